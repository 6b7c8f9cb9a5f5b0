"""Private copies of submissions: zips are extracted safely, folders copied without escaping links."""

import io
import os
import stat
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grader.unpack import (Limits, UnsafeSubmission, copy_file, copy_folder, extract_zip, member_path,
                           submission_root)


def make_zip(path: Path, members: dict, symlinks: dict = {}) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for name, target in symlinks.items():
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, target)
    return path


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_keeps_only_sources_and_their_folders(tmp_path):
    archive = make_zip(tmp_path / "a.zip", {"alice/conv.py": "x = 1\n", "alice/notes.pdf": "%PDF",
                                            "alice/nb.ipynb": "{}", "alice/__MACOSX/._conv.py": "junk",
                                            "alice/.git/config.py": "hidden"})
    dest = extract_zip(archive, tmp_path / "out")
    assert files_under(dest) == {"alice/conv.py", "alice/nb.ipynb"}
    assert (dest / "alice" / "conv.py").read_text() == "x = 1\n"


@pytest.mark.parametrize("name, why", [
    ("../escape.py", "leaves its folder"),
    ("alice/../../escape.py", "leaves its folder"),
    ("..\\escape.py", "leaves its folder"),
    ("/etc/escape.py", "absolute path"),
    ("C:/escape.py", "absolute path"),
])
def test_refuses_paths_outside_the_destination(tmp_path, name, why):
    archive = make_zip(tmp_path / "a.zip", {"conv.py": "x = 1\n", name: "owned = True\n"})
    with pytest.raises(UnsafeSubmission, match=why):
        extract_zip(archive, tmp_path / "out" / "dest")
    assert not (tmp_path / "out" / "dest").exists()
    assert not (tmp_path / "escape.py").exists() and not (tmp_path / "out" / "escape.py").exists()


def test_refuses_symbolic_links(tmp_path):
    archive = make_zip(tmp_path / "a.zip", {"conv.py": "x = 1\n"}, symlinks={"pooling.py": "/etc/passwd"})
    with pytest.raises(UnsafeSubmission, match="symbolic link: 'pooling.py'"):
        extract_zip(archive, tmp_path / "out")


def test_refuses_too_many_members(tmp_path):
    archive = make_zip(tmp_path / "a.zip", {f"f{i}.txt": "" for i in range(11)})
    with pytest.raises(UnsafeSubmission, match="11 members, more than the limit of 10"):
        extract_zip(archive, tmp_path / "out", Limits(members=10))


def test_refuses_a_zip_bomb_by_its_declared_size(tmp_path):
    archive = make_zip(tmp_path / "a.zip", {"conv.py": b"0" * (3 << 20)})
    assert archive.stat().st_size < 100_000
    with pytest.raises(UnsafeSubmission, match="more than 2 MiB"):
        extract_zip(archive, tmp_path / "out", Limits(total_bytes=2 << 20))


def test_refuses_a_member_whose_declared_size_lies(tmp_path):
    """The sizes in the headers say 10 bytes; the data says 3 MiB: reading stops, nothing big is kept."""
    data = bytearray(make_zip(tmp_path / "honest.zip", {"conv.py": b"0" * (3 << 20)}).read_bytes())
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, 22, 10)  # local header: uncompressed size
    struct.pack_into("<I", data, central + 24, 10)  # central directory: uncompressed size
    (tmp_path / "liar.zip").write_bytes(bytes(data))
    with pytest.raises(UnsafeSubmission, match="cannot be read"):
        extract_zip(tmp_path / "liar.zip", tmp_path / "out", Limits(total_bytes=1 << 20))
    assert not (tmp_path / "out").exists()


def test_refuses_a_file_that_is_not_a_zip(tmp_path):
    (tmp_path / "a.zip").write_bytes(b"not a zip at all")
    with pytest.raises(UnsafeSubmission, match="cannot be read"):
        extract_zip(tmp_path / "a.zip", tmp_path / "out")


def test_refuses_duplicate_members(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("conv.py", "a = 1\n")
        with pytest.warns(UserWarning):
            zf.writestr("conv.py", "a = 2\n")
    (tmp_path / "a.zip").write_bytes(buffer.getvalue())
    with pytest.raises(UnsafeSubmission, match="'conv.py' twice"):
        extract_zip(tmp_path / "a.zip", tmp_path / "out")


SEGMENTS = st.sampled_from(["..", ".", "", "a", "b.py", "c", "x.ipynb", "\\..", "C:", "~"])


@st.composite
def member_names(draw):
    """Zip member names made of tricky segments, sometimes absolute, sometimes with backslashes."""
    parts = draw(st.lists(SEGMENTS, max_size=4)) + [draw(st.sampled_from(["b.py", "x.ipynb", "c"]))]
    sep = draw(st.sampled_from(["/", "\\"]))
    return draw(st.sampled_from(["", "/"])) + sep.join(parts)


@given(name=member_names())
def test_any_member_name_is_refused_or_stays_inside(tmp_path_factory, name):
    tmp = tmp_path_factory.mktemp("zip")
    archive = make_zip(tmp / "a.zip", {name: "x = 1\n"})
    try:
        dest = extract_zip(archive, tmp / "box" / "dest")
    except UnsafeSubmission:
        assert not (tmp / "box").exists() or not any((tmp / "box").iterdir())
        return
    written = [p.resolve() for p in dest.rglob("*")]
    assert all(p.is_relative_to(dest.resolve()) for p in written)
    assert {p.name for p in tmp.iterdir()} == {"a.zip", "box"}
    assert member_path(name).parts.count("..") == 0


def test_copy_folder_refuses_links_to_outside(tmp_path):
    (tmp_path / "secret.py").write_text("token = 1\n")
    work = tmp_path / "alice"
    work.mkdir()
    (work / "conv.py").write_text("x = 1\n")
    os.symlink(tmp_path / "secret.py", work / "pooling.py")
    with pytest.raises(UnsafeSubmission, match="pooling.py is a symbolic link to .*secret.py, outside"):
        copy_folder(work, tmp_path / "copy")


def test_copy_folder_refuses_linked_folders_outside(tmp_path):
    work = tmp_path / "alice"
    work.mkdir()
    os.symlink("/etc", work / "exercises")
    with pytest.raises(UnsafeSubmission, match="exercises is a symbolic link to /etc"):
        copy_folder(work, tmp_path / "copy")


def test_copy_folder_copies_inner_links_as_files_and_skips_the_rest(tmp_path):
    work = tmp_path / "alice"
    (work / "sub").mkdir(parents=True)
    (work / "sub" / "conv.py").write_text("x = 1\n")
    os.symlink("sub/conv.py", work / "conv.py")
    (work / "data.bin").write_bytes(b"\0" * 100)
    (work / ".venv").mkdir()
    os.symlink("/usr/bin/python3", work / ".venv" / "python.py")
    (work / "__pycache__").mkdir()
    (work / "__pycache__" / "conv.py").write_text("")
    copy = copy_folder(work, tmp_path / "copy")
    assert files_under(copy) == {"conv.py", "sub/conv.py"}
    assert not (copy / "conv.py").is_symlink() and (copy / "conv.py").read_text() == "x = 1\n"


def test_copy_folder_limits(tmp_path):
    work = tmp_path / "alice"
    work.mkdir()
    for i in range(3):
        (work / f"m{i}.py").write_text("x" * 600)
    with pytest.raises(UnsafeSubmission, match="more than 2 .py and .ipynb files"):
        copy_folder(work, tmp_path / "a", Limits(members=2))
    with pytest.raises(UnsafeSubmission, match="more than 0 MiB"):
        copy_folder(work, tmp_path / "b", Limits(total_bytes=1000))
    with pytest.raises(UnsafeSubmission, match="more than 0 MiB"):
        copy_file(work / "m0.py", tmp_path / "c", Limits(total_bytes=100))


def test_submission_root(tmp_path):
    nested = tmp_path / "a" / "alice" / "exercises"
    nested.mkdir(parents=True)
    (nested / "conv.py").write_text("")
    (nested / "helpers.py").write_text("")
    (tmp_path / "a" / "__MACOSX").mkdir()
    assert submission_root(tmp_path / "a") == nested
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "my_answers.py").write_text("")
    assert submission_root(tmp_path / "b") == tmp_path / "b" / "my_answers.py"
    (tmp_path / "c" / "x").mkdir(parents=True)
    (tmp_path / "c" / "y").mkdir()
    assert submission_root(tmp_path / "c") is None
    (tmp_path / "d").mkdir()
    assert submission_root(tmp_path / "d") is None
