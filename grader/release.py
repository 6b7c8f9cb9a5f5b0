"""A student release: everything a course gives its students, and no reference (`grade release DEST`).

DEST gets `exercises/` (the generated modules and notebooks), a student `README.md` (from
`templates/README.md`), `.gitignore`, the GitHub Classroom workflow, and `wheels/`: the grader and the
exercise stubs, with the reference's answers recorded at the release seed in `grader/recorded/`, built
from a copy of this checkout that has no `solutions/`. Nothing is written to DEST until all of it is
built and checked: no function body of the reference may appear in any file, notebook or archive there.
`grade init DEST` writes the same student files from an installed release (see `student_files`).
"""

from __future__ import annotations

import ast
import io
import json
import os
import secrets
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .catalog import FUNCTIONS, MODULES, functions_of
from .generate import MANIFEST as GENERATED_MANIFEST, generate_files
from .recording import RECORDED_CASES, record
from .reference import CHECKOUT, ReferenceMissing, live_reference, solutions_dir
from .results import seed_fingerprint

TEMPLATES = Path(__file__).resolve().parent / "templates"
WHEEL_FILES = ("pyproject.toml", "README.md", "MANIFEST.in")
WHEEL_DIR = "wheels"
SOURCE_DATE_EPOCH = "315532800"  # 1980-01-01: the same checkout and seed give the same wheel
BUILD = "import sys, setuptools.build_meta as b; print(b.build_wheel(sys.argv[1]))"


class ReleaseError(Exception):
    """The release cannot be made (no reference, DEST in the way, a build failure, a leak)."""


@dataclass
class Release:
    """What `grade release` made."""

    dest: Path
    wheel: Path
    seed_fingerprint: str
    cases: dict  # function -> {check name -> number of recorded cases}
    size: int  # bytes of everything in DEST


def exercise_files() -> dict[str, str]:
    """The generated stubs and notebooks: from the reference when it is here, else as installed. Without the
    manifest of `grade generate`, which tells hand edits apart in an instructor's checkout only."""
    try:
        files = generate_files(solutions_dir())
    except ReferenceMissing:
        from .distribution import installed_exercises

        files = installed_exercises()
    files.pop(GENERATED_MANIFEST, None)
    return files


def readme(wheel: str) -> bytes:
    table = "\n".join(f"| `{module}.py` | " + ", ".join(f"`{fn}`" for fn in functions_of(module)) + " |"
                      for module in MODULES)
    text = (TEMPLATES / "README.md").read_text(encoding="utf-8")
    return (text.replace("{{wheel}}", wheel).replace("{{functions}}", table)
            .replace("{{cases}}", str(RECORDED_CASES))).encode("utf-8")


def wheel_name() -> str:
    return f"convgrade-{__version__}-py3-none-any.whl"


def student_files() -> dict[str, bytes]:
    """Relative path -> bytes of every student file but the wheel."""
    files = {f"exercises/{rel}": text.encode("utf-8") for rel, text in exercise_files().items()}
    files["README.md"] = readme(wheel_name())
    files[".gitignore"] = (TEMPLATES / "gitignore").read_bytes()
    files[".github/workflows/classroom.yml"] = (TEMPLATES / "classroom.yml").read_bytes()
    return files


def write_tree(files: dict[str, bytes], dest: Path):
    for rel, data in files.items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def build_wheel(out_dir: Path, recorded: Path, root: Path = CHECKOUT) -> Path:
    """The wheel of the grader and the stubs (never solutions/), with the recording in grader/recorded/."""
    with tempfile.TemporaryDirectory(prefix="convgrade-wheel-") as tmp:
        stage = Path(tmp) / "convgrade"
        stage.mkdir()
        for name in WHEEL_FILES:
            shutil.copy(root / name, stage / name)
        shutil.copytree(root / "grader", stage / "grader",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*", "recorded"))
        write_tree({rel: text.encode("utf-8") for rel, text in exercise_files().items()}, stage / "exercises")
        shutil.copytree(recorded, stage / "grader" / "recorded")
        out_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PYTHONDONTWRITEBYTECODE": "1"}
        built = subprocess.run([sys.executable, "-c", BUILD, str(out_dir.resolve())], cwd=stage, env=env,
                               capture_output=True, text=True)
        if built.returncode != 0:
            raise ReleaseError("building the wheel failed (it needs setuptools >= 70.1 in this environment):\n"
                               + (built.stderr or built.stdout)[-2000:])
    return out_dir / built.stdout.strip().splitlines()[-1]


def make_release(dest: Path, seed: int | None = None, reference: Path | None = None, progress=None) -> Release:
    """Build the release in a folder next to DEST, check it, then move it into place."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ReleaseError(f"{str(dest)!r} exists and is not an empty folder; nothing was written. Choose a "
                           f"new folder for the release.")
    try:
        live = live_reference(reference)
    except ReferenceMissing as exc:
        raise ReleaseError(str(exc)) from None
    if live is None:
        raise ReleaseError("a release needs the reference solutions: run it from your checkout of convgrade, "
                           "or pass --reference PATH (the folder of solutions/)")
    seed = secrets.randbelow(2**32) if seed is None else seed
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{dest.name}-", dir=dest.parent) as tmp:
        recorded, tree = Path(tmp) / "recorded", Path(tmp) / "release"
        manifest = record(recorded, seed, live, progress=progress)
        wheel = build_wheel(tree / WHEEL_DIR, recorded)
        write_tree(student_files(), tree)
        leaks = leaked_bodies(tree, reference_bodies(solutions_dir(reference)))
        if leaks:
            raise ReleaseError("the release would contain reference code, so it was not written:\n  "
                               + "\n  ".join(leaks))
        size = sum(p.stat().st_size for p in tree.rglob("*") if p.is_file())
        if dest.exists():
            dest.rmdir()
        tree.rename(dest)
    return Release(dest, dest / WHEEL_DIR / wheel.name, seed_fingerprint(seed), manifest["cases"], size)


# ------------------------------------------------------------------------------------------ leaks
def _body(node: ast.FunctionDef) -> str:
    """The function's body without its docstring, as an AST dump (names and structure, no positions)."""
    body = node.body[1:] if ast.get_docstring(node) is not None else node.body
    return ast.dump(ast.Module(body=body, type_ignores=[]))


def reference_bodies(solutions: Path) -> dict[str, str]:
    """AST dump of the body of every exercise function of the reference -> its name."""
    bodies = {}
    for path in sorted(Path(solutions).glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name in FUNCTIONS:
                bodies[_body(node)] = node.name
    return bodies


def _texts(name: str, data: bytes):
    """(where, Python source) of a file: itself, a notebook's code cells, or the members of an archive."""
    if name.endswith(".py"):
        yield name, data.decode("utf-8", "replace")
    elif name.endswith(".ipynb"):
        cells = json.loads(data).get("cells", [])
        for n, cell in enumerate(c for c in cells if c.get("cell_type") == "code"):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
            yield f"{name} (code cell {n + 1})", "\n".join(lines)
    elif name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                yield from _texts(f"{name}!{member}", archive.read(member))
    elif name.endswith((".tar.gz", ".tgz", ".tar")):
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            for member in archive.getmembers():
                if member.isfile():
                    yield from _texts(f"{name}!{member.name}", archive.extractfile(member).read())


def leaked_bodies(folder: Path, bodies: dict[str, str]) -> list[str]:
    """Every function in `folder` (files, notebooks, archives) whose body is a reference body."""
    leaks = []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        for where, text in _texts(str(path.relative_to(folder)), path.read_bytes()):
            try:
                tree = ast.parse(text)
            except SyntaxError:
                continue
            leaks += [f"{where}: {node.name} has the body of the reference {bodies[_body(node)]}"
                      for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and _body(node) in bodies]
    return leaks
