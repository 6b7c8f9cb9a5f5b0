"""Output files: regular files are replaced atomically; devices, FIFOs and links to them are written in
place and never replaced (a `grade --output /dev/null` run as root must leave /dev/null a device)."""

import os
import stat
import subprocess
import sys
import threading

import pytest

from grader.fileio import write_atomically, write_output
from grading_helpers import REPO, SOLUTIONS


def test_a_regular_file_is_replaced_whole(tmp_path):
    target = tmp_path / "deep" / "report.txt"
    write_atomically(target, "first\n")
    write_atomically(target, "second\n")
    assert target.read_text() == "second\n" and os.listdir(target.parent) == ["report.txt"]


def test_a_link_to_a_regular_file_is_replaced_not_followed(tmp_path):
    """A link planted in an output folder cannot make the grader overwrite the file it points to."""
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me\n")
    link = tmp_path / "report.txt"
    link.symlink_to(elsewhere)
    write_atomically(link, "report\n")
    assert elsewhere.read_text() == "keep me\n"
    assert not link.is_symlink() and link.read_text() == "report\n"


def _read_fifo(path, into):
    with open(path) as f:
        into.append(f.read())


def test_a_fifo_is_written_in_place(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=_read_fifo, args=(fifo, received))
    reader.start()
    write_atomically(fifo, "through the pipe\n")
    reader.join(10)
    assert received == ["through the pipe\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and os.listdir(tmp_path) == ["pipe"]


@pytest.fixture
def null_device(tmp_path):
    """A character device like /dev/null (major 1, minor 3) in a temporary folder: writing to it or
    replacing it cannot hurt the machine."""
    path = tmp_path / "null"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device node needs root (CAP_MKNOD)")
    return path


def test_a_device_and_a_link_to_it_stay_what_they_are(null_device, tmp_path):
    link = tmp_path / "stdout-like"
    link.symlink_to(null_device)
    for target in (null_device, link):
        write_atomically(target, "discarded\n")
    assert stat.S_ISCHR(os.lstat(null_device).st_mode) and link.is_symlink()
    assert sorted(os.listdir(tmp_path)) == ["null", "stdout-like"]


def test_dash_is_standard_output(capsys):
    write_output("-", "to the terminal\n")
    assert capsys.readouterr().out == "to the terminal\n"


def test_grade_output_to_a_device_and_to_dash(null_device):
    command = [sys.executable, "-c", "from grader.cli import main; main()", str(SOLUTIONS), "--only", "fc_param_count",
               "--examples", "1", "--format", "csv"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    to_device = subprocess.run(command + ["--output", str(null_device)], capture_output=True, text=True, env=env)
    assert to_device.returncode == 0, to_device.stderr
    assert stat.S_ISCHR(os.lstat(null_device).st_mode) and to_device.stdout == ""
    to_dash = subprocess.run(command + ["--output", "-"], capture_output=True, text=True, env=env)
    assert to_dash.returncode == 0 and to_dash.stdout.startswith('"id","score","max_score"')
