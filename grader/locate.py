"""Finding the work in what a student uploaded: a repository, a folder, loose files or notebooks.

Gradescope unpacks a submission into one folder, and students put their work in many shapes: the
repository of a release (uploaded from GitHub: `exercises/` inside), the exercise modules themselves,
one folder around everything (a downloaded zip), or the notebooks. `locate_submission` tries, in order:

1. the exercise modules (`params.py`, `conv.py`, ...) in the folder itself;
2. an `exercises/` folder holding them;
3. notebooks in the folder itself, then in `exercises/notebooks/` or `notebooks/`;
4. a single `.py` file in the folder (all functions in one file);
5. the same again inside the folder's only subfolder (hidden folders and `__MACOSX` do not count).

When nothing matches it says what it found and what it expected, so that the student reads why the
submission earned nothing instead of a silent zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .catalog import MODULES

IGNORED = ("__MACOSX", "__pycache__")
SHOWN = 20


@dataclass
class Located:
    path: Path | None  # what to grade, or None
    explanation: str  # where it was found, or why nothing was


def _modules(folder: Path) -> bool:
    return any((folder / f"{m}.py").is_file() for m in MODULES)


def _notebooks(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob("*.ipynb"))


def _visible(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".") and p.name not in IGNORED)


def _find(folder: Path, depth: int) -> Path | None:
    for candidate in (folder, folder / "exercises"):
        if candidate.is_dir() and _modules(candidate):
            return candidate
    for candidate in (folder, folder / "exercises" / "notebooks", folder / "notebooks"):
        if _notebooks(candidate):
            return candidate
    entries = _visible(folder)
    files = [p for p in entries if p.is_file() and p.suffix == ".py"]
    if len(files) == 1:
        return files[0]
    folders = [p for p in entries if p.is_dir()]
    if depth and len(folders) == 1 and not files:
        return _find(folders[0], depth - 1)
    return None


def _listing(root: Path) -> str:
    shown = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") or part in IGNORED for part in rel.parts):
            continue
        shown.append(f"{rel}/" if path.is_dir() else str(rel))
        if len(shown) > SHOWN:
            shown[-1] = "..."
            break
    return ", ".join(shown) if shown else "nothing (the submission is empty)"


def locate_submission(root: Path) -> Located:
    root = Path(root)
    found = _find(root, depth=2) if root.is_dir() else None
    if found is not None:
        where = "." if found == root else str(found.relative_to(root))
        return Located(found, f"graded {where} of the submission")
    expected = ", ".join(f"{m}.py" for m in MODULES)
    return Located(None, f"No exercises were found in the submission. Found: {_listing(root)}. Expected the "
                         f"exercise modules ({expected}) at the top of the submission or in an exercises/ "
                         f"folder (as in your repository), or your notebooks (.ipynb). Upload your repository "
                         f"or those files, then submit again.")
