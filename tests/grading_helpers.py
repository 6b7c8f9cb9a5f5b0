"""Builders of small submissions for the grader's own tests."""

import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
BODY = re.compile(r"(\n[ \t]*)# BEGIN SOLUTION\n.*?# END SOLUTION", re.S)


def copy_solutions(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for source in SOLUTIONS.glob("*.py"):
        shutil.copy(source, dest / source.name)
    return dest


def stub_folder(dest: Path) -> Path:
    """Every exercise body replaced by `raise NotImplementedError`, as the generated stubs are."""
    copy_solutions(dest)
    for path in dest.glob("*.py"):
        path.write_text(BODY.sub(r"\1raise NotImplementedError", path.read_text()))
    return dest


def mutate(dest: Path, module: str, old: str, new: str) -> Path:
    """A copy of the solutions with one textual change in one module."""
    copy_solutions(dest)
    path = dest / f"{module}.py"
    text = path.read_text()
    assert old in text, f"{old!r} not found in {module}.py"
    path.write_text(text.replace(old, new, 1))
    return dest
