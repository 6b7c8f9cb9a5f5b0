"""Reading a submission: a folder of exercise modules, one .py file, or notebooks.

The grader reads the files as text and sends their sources to the worker; it never imports them. A
module that does not import (it does not compile here, or the worker reports that importing it raised)
costs only its own functions: it is stood in for, as a missing module is, so that the modules importing
it are still graded, and its error is shown once, in the report's notes.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import FUNCTIONS, MODULES, TOPICS
from .hints import hint_line, rule_hint
from .i18n import _
from .notebook import READER_LIMITS, NotebookError, module_name, read_notebooks

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
    broken: dict = field(default_factory=dict)  # module name -> why it does not import (its functions: error)
    notebooks: dict = field(default_factory=dict)  # module name -> the NotebookModule it is built as


def load_submission(path, label: str | None = None) -> Submission:
    """Read the submission at `path`; its result names it `label` (default: the path itself).

    Raises SubmissionError when the path cannot be graded at all."""
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
    stand_in_uncompilable(sub)
    _add_placeholders(sub)
    if label is not None:
        sub.path = label
    return sub


def _read_source(path: Path, sub: Submission, name: str) -> str | None:
    if path.is_symlink():
        sub.problems[name] = _("{file} is a symbolic link; submit the file itself").format(file=path.name)
        return None
    if path.stat().st_size > MAX_SOURCE_BYTES:  # before reading it
        sub.problems[name] = _("{file} is larger than {size} MiB").format(file=path.name, size=MAX_SOURCE_BYTES >> 20)
        return None
    data = path.read_bytes()
    try:  # as Python reads a source file: UTF-8 unless a PEP 263 coding line says otherwise
        encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except SyntaxError as exc:
        if exc.msg != "invalid or missing encoding declaration":  # not only non-UTF-8 bytes in line 1 or 2
            sub.problems[name] = _("{file} has a coding line Python cannot use ({error}); fix or remove it and "
                                   "save the file as UTF-8").format(file=path.name, error=exc.msg)
            return None
        encoding = "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding.startswith("utf-8"):
            sub.problems[name] = _not_utf8(path.name, data, exc.start)
        else:
            sub.problems[name] = _("{file} is not {encoding} text as its coding line says (byte {byte}); save "
                                   "it as UTF-8 and remove the coding line").format(
                file=path.name, encoding=encoding, byte=exc.start)
        return None


def _not_utf8(filename: str, data: bytes, byte: int) -> str:
    """Why a file without a coding line is unreadable, and how to fix it; Korean encodings are named."""
    try:
        hangul = re.search("[\uac00-\ud7a3]", data.decode("cp949"))
    except UnicodeDecodeError:
        hangul = None
    if hangul:
        return _("{file} is not UTF-8 text (byte {byte}): it looks like CP949/EUC-KR, the Korean encoding of "
                 "some Windows editors. Save it as UTF-8 (VS Code: click the encoding in the status bar, 'Save "
                 "with Encoding', UTF-8; Notepad: 'Save as', Encoding UTF-8), or declare the encoding on its "
                 "first line: # -*- coding: cp949 -*-").format(file=filename, byte=byte)
    return _("{file} is not UTF-8 text (byte {byte}); save it as UTF-8").format(file=filename, byte=byte)


def _load_folder(folder: Path) -> Submission:
    sub = Submission(path=str(folder))
    present = [m for m in MODULES if (folder / f"{m}.py").exists() or (folder / f"{m}.py").is_symlink()]
    if not present and any(folder.glob("*.ipynb")):
        return load_notebooks(sorted(folder.glob("*.ipynb")), str(folder))
    if not present:
        return _nothing_to_grade(sub)
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


def _nothing_to_grade(sub: Submission) -> Submission:
    """A folder without exercise modules or notebooks: every function is missing for that one reason."""
    why = (f"no exercise modules or notebooks found in {sub.path!r}: expected "
           f"{', '.join(m + '.py' for m in MODULES)} or *.ipynb (pass the folder of your work, or get the "
           f"exercises with `grade init`)")
    sub.problems = {module: why for module in MODULES}
    sub.locate = dict(FUNCTIONS)
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
    if not any(m["name"] == SHARED_HELPERS for m in sub.modules):
        sub.modules.append({"name": SHARED_HELPERS, "filename": f"{SHARED_HELPERS}.py", "source": _given_helpers()})


def _given_helpers() -> str:
    home = Path(__file__).resolve().parent.parent  # a checkout, or the site-packages of an installed release
    return next(p for p in (home / folder / f"{SHARED_HELPERS}.py" for folder in ("solutions", "exercises"))
                if p.exists()).read_text()


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


# ------------------------------------------------------------------------------------------ broken modules
# Compiling runs none of a module's code, but a huge module costs much memory and time to compile: it is
# done in a fresh Python with the limits of the notebook reader, so whatever a submission holds costs that
# process only.
COMPILE_CHECK = """
import json, resource, sys
limit, seconds = int(sys.argv[1]), int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
errors = {}
for module in json.load(sys.stdin):
    try:
        compile(module["source"], module["filename"], "exec", dont_inherit=True)
    except SyntaxError as exc:  # IndentationError and TabError too
        errors[module["name"]] = {"type": type(exc).__name__, "message": exc.msg, "line": exc.lineno,
                                  "offset": exc.offset, "end_offset": exc.end_offset, "end_line": exc.end_lineno}
    except (ValueError, RecursionError, MemoryError) as exc:  # nested too deeply to compile at all
        errors[module["name"]] = {"type": type(exc).__name__, "message": str(exc)[:300]}
print(json.dumps(errors))
"""


def compile_errors(modules: list[dict]) -> dict[str, dict]:
    """name -> what compiling it raised, for every module of `modules` that does not compile (none when
    the compiling process itself fails: the worker then reports the module when it imports it)."""
    request = json.dumps([{k: m[k] for k in ("name", "filename", "source")} for m in modules])
    limits = [str(READER_LIMITS["address_space"]), str(READER_LIMITS["seconds"])]
    try:
        run = subprocess.run([sys.executable, "-I", "-S", "-c", COMPILE_CHECK, *limits], input=request,
                             capture_output=True, text=True, timeout=READER_LIMITS["seconds"] + 5)
        errors = json.loads(run.stdout) if run.returncode == 0 else {}
    except (subprocess.TimeoutExpired, ValueError):
        errors = {}
    return errors if isinstance(errors, dict) else {}


def stand_in_uncompilable(sub: Submission):
    """Every module that does not compile is stood in for (see `stand_in_broken`)."""
    for name, exc in compile_errors(sub.modules).items():
        if not isinstance(exc, dict) or not isinstance(exc.get("type"), str):
            continue
        error = {"type": exc["type"], "message": str(exc.get("message", ""))}
        line, offset, end = (exc.get(k) if isinstance(exc.get(k), int) else None
                             for k in ("line", "offset", "end_offset"))
        if line is None:
            stand_in_broken(sub, {"module": name}, error)
            continue
        col = (offset or 1) - 1
        end_col = (end or offset or 1) - 1 if exc.get("end_line") in (None, line) else None
        stand_in_broken(sub, {"module": name, "line": line, "col": col, "end_col": end_col}, error)


def stand_in_broken(sub: Submission, site: dict | None, error: dict) -> bool:
    """Replace the module named by `site` (where importing it failed) and say why, once; False when there
    is nothing to replace (no site, an unknown module, or one replaced already)."""
    entry = next((m for m in sub.modules if site and m["name"] == site.get("module")), None)
    if entry is None or entry["name"] in sub.broken:
        return False
    name, filename = entry["name"], entry["filename"]
    shown = located_error(filename, entry["source"], site, error)
    what = (_("{type} at line {line}").format(type=error.get("type"), line=site["line"]) if site.get("line")
            else error.get("type"))
    sub.broken[name] = _("{file} does not import ({what}: {message}), so its functions cannot run; the note at the "
                         "top of the report shows where. Fix it and grade again.").format(
        file=filename, what=what, message=error.get("message")) + hint_line(rule_hint(error) or "")
    if name == SHARED_HELPERS:
        entry["source"] = _given_helpers()
        sub.notes.append(_("{file} does not import, so the {helpers} you were given was used in its place:").format(
            file=filename, helpers=f"{SHARED_HELPERS}.py") + f"\n{shown}")
        return True
    names = {fn for fn, module in sub.locate.items() if module == name} | {
        fn for fn, module in FUNCTIONS.items() if module == name}
    entry["source"] = stand_ins(sorted(names), filename)
    sub.notes.append(_("{file} does not import, so its functions score 0; the modules that import it were graded "
                       "with stand-ins for it, so that costs points only once:").format(file=filename) + f"\n{shown}")
    return True


def stand_ins(names, filename: str) -> str:
    """A module with the exercise functions `names`, and any other name a dependent imports from it, each
    raising ImportError when called (while a function is graded, its declared helpers are the reference's)."""
    why = f"{filename} does not import (see the note at the top of the report)"
    lines = [f"def {name}(*args, **kwargs):\n    raise ImportError({f'{name} is not available: {why}'!r})\n\n"
             for name in names]
    lines.append("def __getattr__(name):\n"
                 "    if name.startswith('__'):\n"
                 "        raise AttributeError(name)\n"
                 "    def stand_in(*args, **kwargs):\n"
                 f"        raise ImportError(name + ' is not available: ' + {why!r})\n"
                 "    return stand_in\n")
    return "\n".join(lines)


def located_error(filename: str, source: str, site: dict, error: dict) -> str:
    """Python's own form of an error at a place in a file: the file and line, the source line with a caret
    under the columns (0-based, end exclusive) when known, then the exception's type and message."""
    lines, line = source.splitlines(), site.get("line")
    shown = [f'  File "{filename}", line {line}' if line else f'  File "{filename}"']
    if line and 0 < line <= len(lines):
        text = lines[line - 1].rstrip()
        indent = len(text) - len(text.lstrip())
        shown.append("    " + text.strip())
        col, end = site.get("col"), site.get("end_col")
        if isinstance(col, int) and indent <= col <= len(text):
            width = end - col if isinstance(end, int) and col < end <= len(text) else 1
            shown.append("    " + " " * (col - indent) + "^" * width)
    shown.append(f"{error.get('type')}: {error.get('message')}")
    return "\n".join("    " + text for text in shown)


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
    for path, module in zip(paths, read_notebooks(paths)):
        name = module_name(path, taken)
        taken.add(name)
        if isinstance(module, NotebookError):
            sub.problems[name] = str(module)
            sub.notes.append(_("{problem}; the functions it should define score 0").format(problem=module))
            unreadable.append((name, path))
            continue
        sub.modules.append({"name": name, "filename": path.name, "source": module.source})
        sub.notebooks[name] = module
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
            why = _("{name} is only defined in {where}").format(name=fn, where=broken[fn])
        else:
            home = next((f"{stem}.ipynb" for stem, fns in TOPICS if fn in fns), _("a notebook"))
            why = _("{name} is not defined (with def, at the top level of a code cell) in the submitted notebooks "
                    "({names}); it belongs in {home}").format(name=fn, names=names, home=home)
            if unreadable:
                why += "; " + _("{files} could not be read").format(
                    files=", ".join(p.name for _name, p in unreadable))
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
