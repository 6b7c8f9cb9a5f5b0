"""The zip an instructor uploads to Gradescope as a programming assignment's autograder, and the run that
grades each submission with it: the grade of record, made with the reference at the secret seed.

Gradescope unpacks the zip into /autograder/source, runs `setup.sh` once when it builds the image, and
runs `run_autograder` for every submission, which must write /autograder/results/results.json
(gradescope-autograders.readthedocs.io/en/latest/specs/). The zip holds, at its root:

- `setup.sh`: installs python3 with pip and venv when missing, and bubblewrap when the image has it;
  creates /autograder/venv and installs convgrade into it, from `convgrade/` or from `source` (any pip
  requirement, e.g. a git URL) when given;
- `run_autograder` (mode 755): `grade gradescope-run /autograder --seed-file /autograder/source/seed`,
  which finds the work in a private copy of /autograder/submission (`grader.locate`), grades it and
  writes results.json;
- `reference/`: the reference solutions, and `seed`: the secret seed. Both are made readable by root only
  before every run; the worker that runs student code never sees them (bubblewrap when a probe says it
  works in the container, else a plain process that drops to a uid of its own in an empty root folder);
- `policy.json`: the course's grading policy (the checks as declared when the instructor has none), in
  the keys of a `[tool.convgrade]` table, read without TOML so that any Python >= 3.10 reads it;
- `convgrade/`: pyproject.toml, README.md, MANIFEST.in, grader/ and exercises/ (no solutions), unless
  `source`.
"""

from __future__ import annotations

import json
import os
import shlex
import tempfile
import zipfile
from pathlib import Path

from .fileio import write_atomically
from .locate import locate_submission
from .policy import DEFAULT_POLICY, Policy, parse_policy, policy_table
from .reference import CHECKOUT, ReferenceMissing, live_reference, solutions_dir

PROJECT_FILES = ("pyproject.toml", "README.md", "MANIFEST.in")
PROJECT_TREES = ("grader", "exercises")
SOURCE_DIR = "convgrade"  # inside the zip, hence /autograder/source/convgrade
REFERENCE_DIR, SEED_FILE, POLICY_FILE = "reference", "seed", "policy.json"
SKIPPED = ("__pycache__", ".pyc", ".pyo", ".egg-info", "recorded")  # and hidden files
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
# bubblewrap isolates student code further where the container allows its namespaces; every run probes it
apt-get install -y bubblewrap >/dev/null 2>&1 || true
python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' \\
    || { echo "convgrade needs Python >= 3.10; choose a newer Gradescope base image" >&2; exit 1; }
python3 -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --upgrade pip
/autograder/venv/bin/python -m pip install {requirement}
# bubblewrap runs student code under a uid of its own, which must read this Python's numpy; never the
# reference or the seed (root only; `grade gradescope-run` makes sure of that before every run)
chmod -R a+rX /autograder/venv
chmod go-rwx -R /autograder/source/reference /autograder/source/seed
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Grades one submission (run by Gradescope for every submission, as root, from /autograder).
set -uo pipefail
root="${CONVGRADE_AUTOGRADER:-/autograder}"
exec "$root/venv/bin/grade" gradescope-run "$root" --seed-file "$root/source/seed"
"""


class BundleError(Exception):
    """The bundle cannot be built, or cannot grade (its reference or seed is missing): never a student's zero."""


def project_root() -> Path:
    """The directory holding pyproject.toml next to the `grader` package."""
    return CHECKOUT


def _tree_files(root: Path, tree: str) -> list[Path]:
    return sorted(p for p in (root / tree).rglob("*")
                  if p.is_file() and not any(part.endswith(SKIPPED) or part.startswith(".")
                                             for part in p.relative_to(root).parts))


def _source_files(root: Path) -> list[tuple[Path, str]]:
    """(file, name in the zip) for the installable grader shipped with the bundle."""
    missing = [name for name in PROJECT_FILES + PROJECT_TREES if not (root / name).exists()]
    if missing:
        raise FileNotFoundError(f"project files missing from {root}: {', '.join(missing)}")
    files = [root / name for name in PROJECT_FILES] + [p for tree in PROJECT_TREES for p in _tree_files(root, tree)]
    return [(p, f"{SOURCE_DIR}/{p.relative_to(root).as_posix()}") for p in files]


def _add(bundle: zipfile.ZipFile, name: str, data: bytes, mode: int) -> None:
    info = zipfile.ZipInfo(name, date_time=EPOCH)
    info.create_system = 3  # Unix, so that unzip honours the permission bits
    info.external_attr = (0o100000 | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    bundle.writestr(info, data)


def build_bundle(out_zip: Path, seed: int, source: str | None = None, root: Path | None = None,
                 reference: Path | None = None, policy: Policy = DEFAULT_POLICY) -> Path:
    """Write the Gradescope autograder zip to `out_zip` and return its path.

    `seed`: the secret seed (written to the root-only file `seed`, never to a command line); `source`: what
    setup.sh passes to `pip install`, None ships the grader of `root` (default: this checkout) and installs
    that; `reference`: the folder of the reference solutions (default: this checkout's solutions/);
    `policy`: the course's grading policy, which every run grades under.
    """
    out_zip, root = Path(out_zip), Path(root) if root else project_root()
    try:
        solutions = solutions_dir(reference or (root / "solutions" if (root / "solutions").is_dir() else None))
    except ReferenceMissing:
        raise BundleError("the bundle grades with the reference, which is not available here: run it from "
                          "your checkout, or pass --reference PATH") from None
    files = [] if source else _source_files(root)
    files += [(p, f"{REFERENCE_DIR}/{p.relative_to(solutions).as_posix()}") for p in _tree_files(solutions, ".")]
    requirement = shlex.quote(source) if source else f"/autograder/source/{SOURCE_DIR}"
    out_zip.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out_zip, "w") as bundle:
        _add(bundle, "setup.sh", SETUP_SH.replace("{requirement}", requirement).encode(), 0o755)
        _add(bundle, "run_autograder", RUN_AUTOGRADER.encode(), 0o755)
        _add(bundle, SEED_FILE, f"{int(seed)}\n".encode(), 0o600)
        _add(bundle, POLICY_FILE, (json.dumps(policy_table(policy), indent=1, sort_keys=True) + "\n").encode(),
             0o644)
        for path, name in files:
            _add(bundle, name, path.read_bytes(), 0o644)
    return out_zip


# ------------------------------------------------------------------------------------------ the run
def root_only(path: Path) -> None:
    """Make `path` (a file or a tree) owned by root and unreadable by anyone else."""
    for p in [path, *(path.rglob("*") if path.is_dir() else [])]:
        if os.geteuid() == 0:
            os.chown(p, 0, 0, follow_symlinks=False)
        if not p.is_symlink():
            os.chmod(p, 0o700 if p.is_dir() else 0o600)


def bundle_policy(path: Path) -> Policy:
    """The policy the bundle was built with (validated as a policy file is); the default without one."""
    if not path.exists():
        return DEFAULT_POLICY
    try:
        return parse_policy(json.loads(path.read_text(encoding="utf-8")), str(path))
    except (OSError, ValueError) as exc:  # PolicyError is a ValueError
        raise BundleError(f"the grading policy {path} cannot be used ({exc}): rebuild the bundle with "
                          f"`grade gradescope-bundle`") from None


def no_submission_results(explanation: str) -> str:
    return json.dumps({"score": 0.0, "output": explanation, "output_format": "text", "visibility": "visible",
                       "stdout_visibility": "hidden", "tests": []}, indent=2) + "\n"


def autograde(root: Path, seed: int, sandbox: str = "auto") -> Path:
    """Grade root/submission into root/results/results.json with root/source/reference at the secret `seed`
    (read from the bundle's root-only seed file), under the bundle's policy."""
    from .formats import format_report
    from .runner import grade

    root = Path(root)
    source, results = root / "source", root / "results" / "results.json"
    reference = source / REFERENCE_DIR
    if not (reference / "__init__.py").is_file():
        raise BundleError(f"the reference {reference} is missing: rebuild the bundle with `grade gradescope-bundle`")
    for secret in (reference, source / SEED_FILE):
        if secret.exists():
            root_only(secret)
    policy = bundle_policy(source / POLICY_FILE)
    live = live_reference(reference)
    with tempfile.TemporaryDirectory(prefix="convgrade-submission-") as scratch:
        located = locate_submission(root / "submission", Path(scratch) / "copy")
        if located.path is None:
            write_atomically(results, no_submission_results(located.explanation))
            return results
        result = grade(located.path, seed=seed, sandbox=sandbox, policy=policy, reference=live)
    result.notes.insert(0, located.explanation)
    write_atomically(results, format_report(result, "gradescope"))
    return results
