"""Writing the grader's output files: whole or not at all, and never in place of something that is not a file.

A regular file (or a new one) is written next to its destination and renamed over it, so a reader never
sees half a file. Anything else that is already there (a device such as /dev/null, a FIFO, a socket, or
a symbolic link to one, such as /dev/stdout) is written in place: renaming over it would replace the
device with a regular file, for every program on the machine. `-` is standard output.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path


def write_output(target, text: str) -> None:
    """Write a report to `target`: a path as `write_atomically` does, or standard output for `-`."""
    if str(target) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomically(Path(target), text)


def write_atomically(path: Path, text: str) -> None:
    """Write next to the destination, then rename; write in place when the destination is not a regular
    file (see the module docstring)."""
    path = Path(path)
    if not _replaceable(path):
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _replaceable(path: Path) -> bool:
    """Whether `path` is missing or (through any symbolic links) a regular file."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return True
