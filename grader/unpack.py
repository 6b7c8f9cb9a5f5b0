"""Private, bounded copies of submissions: safe zip extraction and folder copies.

A batch never grades a student's files where they lie: each submission is first copied (a folder, a .py, a
notebook) or extracted (a .zip) into a private temporary folder, keeping only what the grader reads
(`.py` and `.ipynb` files). Both refuse what could reach outside the destination or exhaust the machine:

- zip members with absolute paths, drive letters or `..` components, symbolic links, devices, encrypted
  members, duplicate names; more than `Limits.members` members; more than `Limits.total_bytes`
  uncompressed bytes, counted on the bytes actually read while they stream (a member's declared size can
  lie), so a zip bomb stops at the limit;
- in folders, symbolic links that point outside the folder.

A refusal raises `UnsafeSubmission` whose message is the reason shown in the gradebook.
"""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .catalog import MODULES

KEPT_SUFFIXES = (".py", ".ipynb")
IGNORED_DIRS = ("__pycache__", "__MACOSX")
CHUNK = 1 << 16


class UnsafeSubmission(Exception):
    """The submission cannot be copied or extracted safely; the message says why."""


@dataclass(frozen=True)
class Limits:
    members: int = 2000  # entries of a zip, files of a folder
    total_bytes: int = 32 << 20  # uncompressed bytes kept from one submission


def _ignored(name: str) -> bool:
    return name.startswith(".") or name in IGNORED_DIRS


def _kept(name: str) -> bool:
    return name.endswith(KEPT_SUFFIXES) and not name.startswith(".")


def member_path(name: str) -> PurePosixPath:
    """The relative path a zip member may be extracted to; raises UnsafeSubmission for an unsafe name."""
    normal = name.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        raise UnsafeSubmission(f"the zip holds an absolute path: {name!r}")
    parts = [p for p in normal.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise UnsafeSubmission(f"the zip holds a path that leaves its folder: {name!r}")
    if "\0" in normal:
        raise UnsafeSubmission(f"the zip holds a name with a NUL character: {name!r}")
    return PurePosixPath(*parts) if parts else PurePosixPath(".")


def _member_kind(info: zipfile.ZipInfo) -> str:
    kind = stat.S_IFMT(info.external_attr >> 16) if info.create_system == 3 else 0  # Unix file type bits
    if kind == stat.S_IFLNK:
        return "symlink"
    if kind in (stat.S_IFCHR, stat.S_IFBLK, stat.S_IFIFO, stat.S_IFSOCK):
        return "special"
    return "dir" if info.is_dir() else "file"


def extract_zip(archive: Path, dest: Path, limits: Limits = Limits()) -> Path:
    """Extract the .py and .ipynb members of `archive` into the new folder `dest`; return `dest`.

    Every member is validated (names, kinds, count) before anything is written; sizes are counted as
    the members stream out.
    """
    try:
        _extract(archive, dest, limits)
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    return dest


def _extract(archive: Path, dest: Path, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if len(infos) > limits.members:
                raise UnsafeSubmission(f"the zip has {len(infos)} members, more than the limit of "
                                       f"{limits.members}")
            plan, seen = [], set()
            for info in infos:
                path = member_path(info.filename)
                kind = _member_kind(info)
                if kind in ("symlink", "special"):
                    what = "a symbolic link" if kind == "symlink" else "a special file"
                    raise UnsafeSubmission(f"the zip holds {what}: {info.filename!r}")
                if info.flag_bits & 0x1:
                    raise UnsafeSubmission(f"the zip holds an encrypted member: {info.filename!r}")
                if kind == "file" and str(path) in seen:
                    raise UnsafeSubmission(f"the zip holds {info.filename!r} twice")
                seen.add(str(path))
                if kind == "file" and _kept(path.name) and not any(_ignored(p) for p in path.parts[:-1]):
                    plan.append((info, path))
            declared = sum(info.file_size for info, _ in plan)
            if declared > limits.total_bytes:
                raise UnsafeSubmission(_too_big(limits))
            dest.mkdir(parents=True)
            written = 0
            for info, path in plan:
                target = dest.joinpath(*path.parts)
                if not target.resolve().is_relative_to(dest.resolve()):
                    raise UnsafeSubmission(f"the zip holds a path that leaves its folder: {info.filename!r}")
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "xb") as out:
                    while chunk := src.read(CHUNK):
                        written += len(chunk)
                        if written > limits.total_bytes:
                            raise UnsafeSubmission(_too_big(limits))
                        out.write(chunk)
    except UnsafeSubmission:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError,
            RuntimeError, ValueError) as exc:
        raise UnsafeSubmission(f"the zip cannot be read: {exc}") from None
    except FileExistsError as exc:
        raise UnsafeSubmission(f"the zip holds {Path(exc.filename).name!r} twice") from None


def _too_big(limits: Limits) -> str:
    return f"the submission holds more than {limits.total_bytes >> 20} MiB of .py and .ipynb files"


def copy_folder(source: Path, dest: Path, limits: Limits = Limits()) -> Path:
    """Copy the .py and .ipynb files under `source` into the new folder `dest`; return `dest`.

    Symbolic links that point inside `source` are copied as the files they point to (linked folders are
    skipped); a link pointing outside `source` refuses the whole submission.
    """
    root = Path(os.path.realpath(source))
    dest.mkdir(parents=True)
    count = written = 0
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        for name in list(dirs):
            if not _ignored(name) and (here / name).is_symlink():
                _inside(root, here / name)
            if _ignored(name) or (here / name).is_symlink():
                dirs.remove(name)
        for name in files:
            path = here / name
            if not _kept(name):
                continue
            if path.is_symlink():
                _inside(root, path)
            if not path.is_file():
                continue
            count += 1
            written += path.stat().st_size
            if count > limits.members:
                raise UnsafeSubmission(f"the folder has more than {limits.members} .py and .ipynb files")
            if written > limits.total_bytes:
                raise UnsafeSubmission(_too_big(limits))
            target = dest / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return dest


def _inside(root: Path, link: Path) -> None:
    target = Path(os.path.realpath(link))
    if not target.is_relative_to(root):
        raise UnsafeSubmission(f"{link.relative_to(root).as_posix()} is a symbolic link to "
                               f"{os.readlink(link)}, outside the submission")


def copy_file(source: Path, dest: Path, limits: Limits = Limits()) -> Path:
    """Copy the single file `source` (a .py or a notebook) into the new folder `dest`; return the copy."""
    size = Path(source).stat().st_size
    if size > limits.total_bytes:
        raise UnsafeSubmission(_too_big(limits))
    dest.mkdir(parents=True)
    target = dest / Path(source).name
    shutil.copyfile(source, target)
    return target


def submission_root(folder: Path) -> Path | None:
    """Where the work is inside an extracted or copied folder, or None when there is nothing to grade.

    A folder holding exercise modules or notebooks is graded as it is; a folder with exactly one
    subfolder and no files of its own (a zip of `alice/` or `exercises/`) is looked into; a folder
    whose only source is one .py file is graded as that file.
    """
    while True:
        names = sorted(p.name for p in folder.iterdir() if not _ignored(p.name))
        files = [n for n in names if (folder / n).is_file()]
        if any(n == f"{m}.py" for m in MODULES for n in files) or any(n.endswith(".ipynb") for n in files):
            return folder
        scripts = [n for n in files if n.endswith(".py")]
        if len(scripts) == 1:
            return folder / scripts[0]
        subfolders = [n for n in names if (folder / n).is_dir()]
        if files or len(subfolders) != 1:
            return None
        folder = folder / subfolders[0]
