"""What an installed convgrade holds, for `grade init` on a student's machine: the exercise stubs it was
built with, and its own wheel (rebuilt from the installed files), so that the folder `grade init` writes is
the release the wheel came from."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from importlib import metadata
from pathlib import Path

EPOCH = (1980, 1, 1, 0, 0, 0)
INSTALL_RECORDS = ("INSTALLER", "REQUESTED", "direct_url.json", "RECORD")  # written by pip, not in the wheel


def _distribution():
    try:
        return metadata.distribution("convgrade")
    except metadata.PackageNotFoundError:
        return None


def _installed_files(dist) -> list:
    """The installed files of the wheel itself: no caches, no scripts outside site-packages, no pip records."""
    return [f for f in dist.files or () if f.parts[0] != ".." and "__pycache__" not in f.parts
            and f.suffix != ".pyc" and not (f.parent.name.endswith(".dist-info") and f.name in INSTALL_RECORDS)]


def installed_exercises() -> dict[str, str]:
    """Relative path -> text of the exercise stubs and notebooks installed with this grader."""
    dist = _distribution()
    files = {str(f.relative_to("exercises")): f.read_text(encoding="utf-8") for f in _installed_files(dist)
             if f.parts[0] == "exercises"} if dist else {}
    if not files:
        raise FileNotFoundError("the exercise stubs are not installed with this grader: install the wheel of "
                                "your course's release")
    return files


def installed_wheel(out_dir: Path) -> Path | None:
    """This installation's wheel, rebuilt from its installed files into `out_dir`; None for an editable or
    source-tree installation (an instructor's checkout), which has no wheel to give."""
    dist = _distribution()
    if dist is None or "editable" in (dist.read_text("direct_url.json") or ""):
        return None
    files = _installed_files(dist)
    info = next((f.parent for f in files if f.parent.name.endswith(".dist-info")), None)
    if info is None or not any(f.parts[0] == "grader" for f in files):
        return None  # not installed from a wheel (e.g. the egg-info of a source tree, found on sys.path first)
    out = Path(out_dir) / f"convgrade-{dist.version}-py3-none-any.whl"
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as wheel:
        for f in sorted(files, key=str):
            data = Path(f.locate()).read_bytes()
            wheel.writestr(zipfile.ZipInfo(f.as_posix(), date_time=EPOCH), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            rows.append(f"{f.as_posix()},sha256={digest},{len(data)}")
        rows.append(f"{info.as_posix()}/RECORD,,")
        wheel.writestr(zipfile.ZipInfo(f"{info.as_posix()}/RECORD", date_time=EPOCH), "\n".join(rows) + "\n")
    return out
