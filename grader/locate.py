"""Finding the work in what a student uploaded to Gradescope: a repository, a folder, loose files, notebooks.

Students put their work in many shapes: the repository of a release (uploaded from GitHub, with
`exercises/` inside beside README.md and wheels/), the exercise modules themselves, one folder around
everything (a downloaded zip), or their notebooks. The upload is copied the way `grade batch` copies a
submission (`grader.unpack`: only .py and .ipynb files, no links that leave it), and the work is found in
the copy by the same rule (`submission_root`). When there is nothing to grade, the explanation says what
the upload holds and what was expected, so that the student reads why instead of a silent zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .catalog import MODULES
from .i18n import _
from .unpack import IGNORED_DIRS, UnsafeSubmission, copy_folder, submission_root

SHOWN = 20


@dataclass
class Located:
    path: Path | None  # what to grade (inside the private copy), or None
    explanation: str  # where it was found, or why nothing was


def _listing(root: Path) -> str:
    shown = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") or part in IGNORED_DIRS for part in rel.parts):
            continue
        shown.append(f"{rel}/" if path.is_dir() else str(rel))
        if len(shown) > SHOWN:
            shown[-1] = "..."
            break
    return ", ".join(shown) if shown else "nothing (the upload is empty)"


def locate_submission(upload: Path, scratch: Path) -> Located:
    """The work in the folder `upload`, copied into the new folder `scratch` first."""
    try:
        copy = copy_folder(Path(upload), Path(scratch))
    except UnsafeSubmission as exc:
        return Located(None, _("The upload could not be read: {problem}. Upload your files themselves, then "
                               "submit again.").format(problem=exc))
    found = submission_root(copy)
    if found is not None:
        where = "." if found == copy else found.relative_to(copy).as_posix()
        return Located(found, _("graded {where} of the upload").format(where=where))
    expected = ", ".join(f"{m}.py" for m in MODULES)
    return Located(None, _("No exercises were found in the upload. Found: {found}. Expected the exercise modules "
                           "({expected}) at the top of the upload or in an exercises/ folder (as in your "
                           "repository), or your notebooks (.ipynb). Upload your repository or those files, then "
                           "submit again.").format(found=_listing(Path(upload)), expected=expected))
