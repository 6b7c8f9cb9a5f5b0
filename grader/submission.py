"""Reading a submission: a folder of exercise modules, one .py file, or notebooks.

The grader reads the files as text and sends their sources to the worker; it never imports them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import FUNCTIONS, MODULES, TOPICS
from .notebook import NotebookError, build_module, module_name, read_cells

SHARED_HELPERS = "_args"
MAX_SOURCE_BYTES = 2 << 20


class SubmissionError(Exception):
    """The path cannot be graded at all (it does not exist, or is not a kind of submission)."""


@dataclass
class Submission:
    path: str
    modules: list[dict] = field(default_factory=list)  # {"name", "filename", "source"} for the worker
    locate: dict = field(default_factory=dict)  # function name -> module name to import
    problems: dict = field(default_factory=dict)  # module name -> why it could not be read
    notes: list[str] = field(default_factory=list)
    sha256: str = ""


def load_submission(path) -> Submission:
    path = Path(path)
    if not path.exists():
        raise SubmissionError(f"{str(path)!r} does not exist")
    if path.is_dir():
        sub = _load_folder(path)
    elif path.suffix == ".py":
        sub = _load_single_file(path)
    elif path.suffix == ".ipynb":
        sub = load_notebooks([path], str(path))
    else:
        raise SubmissionError(f"{str(path)!r} is not a folder, a .py file or a .ipynb notebook")
    _add_shared_helpers(sub)
    sub.sha256 = _digest(sub)
    _add_placeholders(sub)
    return sub


def _read_source(path: Path, sub: Submission, name: str) -> str | None:
    if path.is_symlink():
        sub.problems[name] = f"{path.name} is a symbolic link; submit the file itself"
        return None
    data = path.read_bytes()
    if len(data) > MAX_SOURCE_BYTES:
        sub.problems[name] = f"{path.name} is larger than {MAX_SOURCE_BYTES >> 20} MiB"
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        sub.problems[name] = f"{path.name} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        return None


def _load_folder(folder: Path) -> Submission:
    sub = Submission(path=str(folder))
    present = [m for m in MODULES if (folder / f"{m}.py").exists() or (folder / f"{m}.py").is_symlink()]
    if not present and any(folder.glob("*.ipynb")):
        return load_notebooks(sorted(folder.glob("*.ipynb")), str(folder))
    for module in present:
        source = _read_source(folder / f"{module}.py", sub, module)
        if source is not None:
            sub.modules.append({"name": module, "filename": f"{module}.py", "source": source})
    helper = folder / f"{SHARED_HELPERS}.py"
    if helper.exists():
        source = _read_source(helper, sub, SHARED_HELPERS)
        if source is not None:
            sub.modules.append({"name": SHARED_HELPERS, "filename": helper.name, "source": source})
    sub.locate = {fn: module for fn, module in FUNCTIONS.items() if module in present}
    return sub


def _load_single_file(path: Path) -> Submission:
    sub = Submission(path=str(path))
    name = path.stem if path.stem.isidentifier() else "submission_file"
    source = _read_source(path, sub, name)
    if source is not None:
        sub.modules.append({"name": name, "filename": path.name, "source": source})
    sub.locate = {fn: name for fn in FUNCTIONS}
    return sub


def _add_shared_helpers(sub: Submission):
    """The argument helpers students are given are not secret: supply them when a submission lacks them."""
    if any(m["name"] == SHARED_HELPERS for m in sub.modules):
        return
    source = (Path(__file__).resolve().parent.parent / "solutions" / f"{SHARED_HELPERS}.py")
    if not source.exists():
        import solutions

        source = Path(solutions.__file__).parent / f"{SHARED_HELPERS}.py"
    sub.modules.append({"name": SHARED_HELPERS, "filename": f"{SHARED_HELPERS}.py", "source": source.read_text()})


def _add_placeholders(sub: Submission):
    """A module the submission lacks is stood in for by stubs, so that `from .padding import zero_pad` in
    the student's conv.py still imports; while conv is graded, the stub is replaced by the reference
    zero_pad like any other helper. The placeholders are never graded themselves."""
    present = {m["name"] for m in sub.modules}
    for module in MODULES:
        if module not in present:
            names = [f for f, m in FUNCTIONS.items() if m == module]
            source = "".join(f"def {name}(*args, **kwargs):\n    raise NotImplementedError\n\n\n" for name in names)
            sub.modules.append({"name": module, "filename": f"<no {module}.py>", "source": source})


def _digest(sub: Submission) -> str:
    h = hashlib.sha256()
    for module in sorted(sub.modules, key=lambda m: m["name"]):
        h.update(module["name"].encode() + b"\0" + module["source"].encode() + b"\0")
    return h.hexdigest()


# ------------------------------------------------------------------------------------------ notebooks
def topic_functions(path: Path) -> tuple[str, ...]:
    """The exercise functions a notebook of this name is meant to define (none for other names)."""
    return next((fns for stem, fns in TOPICS if stem == path.stem), ())


def load_notebooks(paths: list[Path], path_str: str) -> Submission:
    """A submission made of notebooks: one module per notebook, the functions located by `ast`."""
    sub = Submission(path=path_str)
    paths = sorted((Path(p) for p in paths), key=lambda p: (p.name, str(p)))
    taken: set[str] = set(MODULES)
    taught: set[str] = set()  # functions located in the notebook that teaches them: later ones do not win
    broken: dict[str, str] = {}  # function -> why the cell that defines it was left out
    unreadable: list[tuple[str, Path]] = []
    for path in paths:
        name = module_name(path, taken)
        taken.add(name)
        try:
            module = build_module(read_cells(path), path.name)
        except NotebookError as exc:
            sub.problems[name] = str(exc)
            sub.notes.append(f"{exc}; the functions it should define score 0")
            unreadable.append((name, path))
            continue
        if len(module.source.encode()) > MAX_SOURCE_BYTES:
            sub.problems[name] = f"the code cells of {path.name} are larger than {MAX_SOURCE_BYTES >> 20} MiB"
            unreadable.append((name, path))
            continue
        sub.modules.append({"name": name, "filename": path.name, "source": module.source})
        sub.notes += module.notes
        broken.update(module.broken)
        home = topic_functions(path)
        for fn in module.defined:
            if fn in FUNCTIONS and (fn in home or fn not in taught):
                sub.locate[fn] = name
                broken.pop(fn, None)
                if fn in home:
                    taught.add(fn)
    _locate_missing(sub, paths, broken, unreadable)
    _add_topic_modules(sub)
    return sub


def _locate_missing(sub: Submission, paths, broken: dict, unreadable: list):
    """Point every function no notebook defines at a problem that says why (shown as its feedback)."""
    names = ", ".join(p.name for p in paths) or "none"
    for fn in FUNCTIONS:
        if fn in sub.locate:
            continue
        owner = next((name for name, path in unreadable
                      if fn in topic_functions(path) or len(paths) == 1), None)
        if owner is not None:
            sub.locate[fn] = owner
            continue
        key = f"missing.{fn}"
        if fn in broken:
            why = f"{fn} is only defined in {broken[fn]}"
        else:
            home = next((f"{stem}.ipynb" for stem, fns in TOPICS if fn in fns), "a notebook")
            why = (f"{fn} is not defined (with def, at the top level of a code cell) in the submitted "
                   f"notebooks ({names}); it belongs in {home}")
            if unreadable:
                why += f"; {', '.join(p.name for _, p in unreadable)} could not be read"
        sub.problems[key] = why
        sub.locate[fn] = key


def _add_topic_modules(sub: Submission):
    """`padding`, `conv`, ...: the located functions under their exercise module's name."""
    for module in MODULES:
        lines = [f'"""{module}: the {module} exercises as found in the submitted notebooks."""']
        for fn in (f for f, m in FUNCTIONS.items() if m == module):
            owner = sub.locate.get(fn)
            if owner in sub.problems or owner is None:
                lines += [f"def {fn}(*args, **kwargs):",
                          f"    raise NotImplementedError({fn + ' is not in the submitted notebooks'!r})"]
            else:
                lines.append(f"from submission.{owner} import {fn}")
        sub.modules.append({"name": module, "filename": f"{module}.py (from the notebooks)",
                            "source": "\n".join(lines) + "\n"})
