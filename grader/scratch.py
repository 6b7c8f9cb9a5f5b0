"""Scratch folders of the grader's processes, and removing the ones a killed process left behind.

A scratch folder is `<prefix>-<pid>-<random>` in the system's temporary folder, where <pid> is the process
that made it. That process removes it when it is done; one killed with SIGKILL cannot, so the next batch
removes every folder of the grader's prefixes whose process is gone. A folder whose process lives (or whose
pid was reused since) is kept: nothing is ever removed from under a running grader. (A grader in another
PID namespace that shares this temporary folder would look gone: give each container its own /tmp.)
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

BATCH = "convgrade-batch"  # the private copies of a batch's submissions
WORKER = "convgrade-worker"  # a worker's files and, in process mode, its home
PREFIXES = (BATCH, WORKER)


def make_scratch(prefix: str) -> Path:
    """A new private folder named after `prefix` and this process."""
    return Path(tempfile.mkdtemp(prefix=f"{prefix}-{os.getpid()}-"))


@contextmanager
def scratch_folder(prefix: str):
    """A scratch folder for the duration of a `with` block."""
    path = make_scratch(prefix)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    """Whether process `pid` exists and is not a zombie (a killed process not yet reaped is gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a process of another user
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):  # no /proc (macOS): it exists
        return True


def remove_orphans(prefixes=PREFIXES, folder: Path | None = None) -> list[Path]:
    """Remove the scratch folders (ours, of `prefixes`) whose process is gone; return them."""
    folder = Path(folder or tempfile.gettempdir())
    pattern = re.compile(rf"(?:{'|'.join(map(re.escape, prefixes))})-(\d+)-")
    removed = []
    for path in folder.iterdir():
        match = pattern.match(path.name)
        if match is None or _alive(int(match[1])):
            continue
        try:
            if path.is_symlink() or not path.is_dir() or path.stat().st_uid != os.geteuid():
                continue
        except OSError:
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed
