"""The zip an instructor uploads to Gradescope as a programming assignment's autograder.

Gradescope unpacks the zip into /autograder/source, runs `setup.sh` once when it builds the image, and
runs `run_autograder` for every submission, which must write /autograder/results/results.json
(gradescope-autograders.readthedocs.io/en/latest/specs/). The zip holds, at its root:

- `setup.sh`: installs python3 with pip and venv when missing, creates /autograder/venv and installs
  convgrade into it, from the source tree shipped in `convgrade/` or from `source` (any pip requirement,
  e.g. `convgrade==0.1.0` or a git URL) when given;
- `run_autograder` (mode 755): grades /autograder/submission into results.json;
- `convgrade/`: pyproject.toml, README.md, grader/ and solutions/ (without caches), unless `source`.
"""

from __future__ import annotations

import shlex
import zipfile
from pathlib import Path

import grader

PROJECT_FILES = ("pyproject.toml", "README.md")
PROJECT_TREES = ("grader", "solutions")
SOURCE_DIR = "convgrade"  # inside the zip, hence /autograder/source/convgrade
SKIPPED = ("__pycache__", ".pyc", ".pyo", ".egg-info")  # and hidden files
EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same tree gives the same zip

SETUP_SH = """\
#!/usr/bin/env bash
# Installs convgrade into /autograder/venv (run once by Gradescope when it builds the image).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! command -v python3 >/dev/null || ! python3 -m venv --help >/dev/null 2>&1 \\
        || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    apt-get update
    apt-get install -y python3 python3-pip python3-venv
fi
python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' \\
    || { echo "convgrade needs Python >= 3.10; choose a newer Gradescope base image" >&2; exit 1; }
python3 -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --upgrade pip
/autograder/venv/bin/python -m pip install {requirement}
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Grades one submission (run by Gradescope for every submission, from /autograder).
set -uo pipefail
mkdir -p /autograder/results
exec /autograder/venv/bin/grade /autograder/submission \\
    --format gradescope --output /autograder/results/results.json
"""


def project_root() -> Path:
    """The directory holding pyproject.toml next to the `grader` package."""
    return Path(grader.__file__).resolve().parent.parent


def _source_files(root: Path) -> list[tuple[Path, str]]:
    """(file, name in the zip) for the project tree shipped with the bundle."""
    missing = [name for name in PROJECT_FILES + PROJECT_TREES if not (root / name).exists()]
    if missing:
        raise FileNotFoundError(f"project files missing from {root}: {', '.join(missing)}")
    files = [root / name for name in PROJECT_FILES]
    for tree in PROJECT_TREES:
        files += sorted(p for p in (root / tree).rglob("*")
                        if p.is_file() and not any(part.endswith(SKIPPED) or part.startswith(".")
                                                   for part in p.relative_to(root).parts))
    return [(p, f"{SOURCE_DIR}/{p.relative_to(root).as_posix()}") for p in files]


def _add(bundle: zipfile.ZipFile, name: str, data: bytes, mode: int) -> None:
    info = zipfile.ZipInfo(name, date_time=EPOCH)
    info.create_system = 3  # Unix, so that unzip honours the permission bits
    info.external_attr = (0o100000 | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    bundle.writestr(info, data)


def build_bundle(out_zip: Path, source: str | None = None, root: Path | None = None) -> Path:
    """Write the Gradescope autograder zip to `out_zip` and return its path.

    `source`: what setup.sh passes to `pip install`; None ships the project tree found at `root`
    (default: the checkout this `grader` package was imported from) and installs that.
    """
    out_zip = Path(out_zip)
    files = [] if source else _source_files(Path(root) if root else project_root())
    requirement = shlex.quote(source) if source else f"/autograder/source/{SOURCE_DIR}"
    out_zip.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out_zip, "w") as bundle:
        _add(bundle, "setup.sh", SETUP_SH.replace("{requirement}", requirement).encode(), 0o755)
        _add(bundle, "run_autograder", RUN_AUTOGRADER.encode(), 0o755)
        for path, name in files:
            _add(bundle, name, path.read_bytes(), 0o644)
    return out_zip
