"""Notebooks as submissions: the code cells of each notebook become one module for the worker.

The grader only reads a notebook: `json` for the file, `ast` and `tokenize` for the code; nothing a
student wrote runs. An untrusted notebook is read in a process of its own with memory and time limits
(`read_notebooks`), after its size was checked: a notebook of a million statements costs that process,
never the grader. Each notebook becomes a module named after its file
(`04_conv2d.ipynb` -> `nb_04_conv2d`) whose source is its code cells in order, each after a `# cell N`
comment, and which runs like a Jupyter session:

- IPython syntax is left out with a note: cell magics (`%%time`), line magics (`%timeit`), shell lines
  (`!ls`), help lines (`np.pad?`) and the `get_ipython()` calls IPython writes for them in its history;
- the grading statements (`from grader... import ...`, `grade_cells(...)`, the figures' `show_...(...)`)
  are left out silently, and so are the examples: top-level statements that call an exercise function
  (`print(scan1d(x, w))`). They define nothing the functions need; re-running them would only slow
  grading down, and an endless loop in one would stop the import of the whole notebook;
- a cell with a syntax error is left out with a note (Jupyter would define nothing from it either);
- `def` and `class` statements stay at the top level, every other run of statements is guarded
  (`with _convgrade_cell("In [3]"):`), so that a cell that raises (a call of a function not written yet,
  an import of a package the sandbox lacks) does not stop the cells after it, as in Jupyter; and a cell
  still running after CELL_TIME_LIMIT seconds (an endless loop the student interrupted in the kernel) is
  stopped, and its label recorded for `_convgrade_stopped_cells()`: the grader asks for them once, then
  builds the module again without those statements (`build_module(..., stopped=...)`).

Each exercise function is located in the notebook that defines it at the top level of a cell: the
notebook that teaches it when that one does, otherwise the last in name order. Modules named after the
topics (`padding`, `conv`, ...) re-export the located functions, so a cell's `from exercises.padding import
zero_pad` works in the worker too.
"""

from __future__ import annotations

import ast
import io
import json
import re
import subprocess
import sys
import tokenize
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .catalog import FUNCTIONS
from .figures import FIGURES

MAX_NOTEBOOK_BYTES = 64 << 20  # outputs (plots) make notebooks large; only their code is kept
MAX_CODE_BYTES, MAX_CODE_CELLS = 2 << 20, 2000  # of one notebook, checked before its code is parsed
READER_LIMITS = {"address_space": 1 << 30, "seconds": 60}  # of the process reading untrusted notebooks

GRADING_CALLS = {"grade_cells", "grade_notebook", *FIGURES}  # the figures of grader.figures too
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
CELL_TIME_LIMIT = 1.0  # seconds a cell's statements may run: they define things; longer is an experiment or a loop
GUARD = "_convgrade_cell"
STOPPED_CELLS = "_convgrade_stopped_cells"  # the module's function that lists the cells stopped by the limit
HEADER = f"""\
# WHERE: its code cells in order, as one module. Statements other than def and class run guarded, as in
# Jupyter: a cell that raises, or runs longer than {CELL_TIME_LIMIT:g} s, does not stop the cells after it.
import signal as _convgrade_signal
class _convgrade_too_long(BaseException):
    pass
_convgrade_stopped = []
def {STOPPED_CELLS}():
    return list(_convgrade_stopped)
class {GUARD}:
    def __init__(self, label):
        self.label, self.armed = label, False
    def __enter__(self):
        def stop(signum, frame):
            raise _convgrade_too_long()
        try:
            self.previous = _convgrade_signal.signal(_convgrade_signal.SIGALRM, stop)
            _convgrade_signal.setitimer(_convgrade_signal.ITIMER_REAL, {CELL_TIME_LIMIT!r})
            self.armed = True
        except (ValueError, AttributeError):  # not the main thread, or no timers here: no time limit
            pass
    def __exit__(self, kind, error, traceback):
        if self.armed:
            _convgrade_signal.setitimer(_convgrade_signal.ITIMER_REAL, 0)
            _convgrade_signal.signal(_convgrade_signal.SIGALRM, self.previous or _convgrade_signal.SIG_DFL)
        if kind is _convgrade_too_long:
            _convgrade_stopped.append(self.label)
            return True
        if kind is not None and issubclass(kind, Exception):
            print(f"{{self.label}} raised {{kind.__name__}}: {{error}} (the cells after it still ran)")
            return True
"""


@dataclass
class Cell:
    label: str  # "cell 3 of 04_conv2d.ipynb" or "In [3]": how notes and errors name it
    source: str


@dataclass
class NotebookModule:
    source: str
    defined: list = field(default_factory=list)  # top-level function names, in order of definition
    notes: list = field(default_factory=list)
    broken: dict = field(default_factory=dict)  # function name -> why the cell defining it was left out
    lines: list = field(default_factory=list)  # module line i + 1 -> (cell label, line in the cell) or None
    cells: list = field(default_factory=list)  # the cells it was built from (to build it again)
    where: str = ""  # the notebook's name, as notes say it


class NotebookError(Exception):
    """The file is not a readable notebook; the message says why and what to do."""


# ------------------------------------------------------------------------------------ reading files
def module_name(path: Path, taken=()) -> str:
    """An identifier for the module of a notebook: `04_conv2d.ipynb` -> `nb_04_conv2d`."""
    base = "nb_" + re.sub(r"_+", "_", re.sub(r"[^0-9A-Za-z_]", "_", path.stem)).strip("_")
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def check_notebook_file(path: Path) -> None:
    """Raise NotebookError for a notebook file that must not even be read: a link, or too large."""
    if path.is_symlink():
        raise NotebookError(f"{path.name} is a symbolic link; submit the notebook itself")
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise NotebookError(f"{path.name} is larger than {MAX_NOTEBOOK_BYTES >> 20} MiB; clear its outputs "
                            f"(Kernel > Restart & Clear Output) and save it again")


def read_cells(path: Path) -> list[Cell]:
    """The code cells of a notebook file, labelled by their position among all its cells."""
    name = path.name
    check_notebook_file(path)
    data = path.read_bytes()
    try:
        nb = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise NotebookError(f"{name} is not UTF-8 text (byte {exc.start}), so it is not a notebook "
                            f"saved by Jupyter") from None
    except json.JSONDecodeError as exc:
        raise NotebookError(f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}), "
                            f"so it cannot be read as a notebook; was it edited by hand or cut short? "
                            f"Submit a copy saved by Jupyter") from None
    if isinstance(nb, dict) and "worksheets" in nb and "cells" not in nb:
        nb = _upgrade(nb, name)
    if not (isinstance(nb, dict) and isinstance(nb.get("cells"), list)):
        raise NotebookError(f"{name} is JSON but not a Jupyter notebook (it has no list of 'cells')")
    cells = []
    for i, cell in enumerate(nb["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise NotebookError(f"cell {i} of {name} has a 'source' that is not text")
        cells.append(Cell(f"cell {i} of {name}", source))
    if sum(len(c.source.encode()) for c in cells) > MAX_CODE_BYTES or len(cells) > MAX_CODE_CELLS:
        raise NotebookError(f"the code cells of {name} are larger than {MAX_CODE_BYTES >> 20} MiB or more "
                            f"than {MAX_CODE_CELLS}")
    return cells


def _upgrade(nb: dict, name: str) -> dict:
    """A notebook of format 3 (IPython 2), converted to format 4 by nbformat."""
    import nbformat

    try:
        return dict(nbformat.convert(nbformat.from_dict(nb), 4))
    except Exception as exc:  # nbformat raises many kinds on malformed old notebooks
        raise NotebookError(f"{name} is an old (format 3) notebook that could not be converted: {exc}") from None


# ------------------------------------------------------------------------ untrusted notebooks, limited
def read_notebooks(paths: list[Path]) -> list:
    """`build_module(read_cells(path), path.name)` for every path, or the NotebookError it raised, computed
    in a fresh Python with READER_LIMITS: whatever a notebook holds costs that process only."""
    request = json.dumps([str(p) for p in paths])
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r}); "
            f"from grader.notebook import _reader_main; _reader_main()")
    try:
        run = subprocess.run([sys.executable, "-I", "-c", code], input=request, capture_output=True, text=True,
                             timeout=READER_LIMITS["seconds"] + 5)
        answers = json.loads(run.stdout) if run.returncode == 0 else None
    except (subprocess.TimeoutExpired, ValueError):
        answers = None
    if not isinstance(answers, list) or len(answers) != len(paths):
        why = "reading them ran out of memory or time"
        return [NotebookError(f"{p.name} could not be read within the limits ({why}): is it a notebook "
                              f"saved by Jupyter?") for p in paths]
    return [NotebookError(a["error"]) if "error" in a else _module_from_json(a["module"]) for a in answers]


def _module_from_json(data: dict) -> NotebookModule:
    """A NotebookModule as the reading process sent it (its cells come back as Cell objects)."""
    return NotebookModule(**{**data, "cells": [Cell(**cell) for cell in data.get("cells", [])]})


def _reader_main():  # pragma: no cover (runs in the reading process)
    import resource

    limit = READER_LIMITS["address_space"]
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (READER_LIMITS["seconds"], READER_LIMITS["seconds"] + 1))
    answers = []
    for name in json.loads(sys.stdin.read()):
        path = Path(name)
        try:
            module = build_module(read_cells(path), path.name)
            module.lines = []  # where each line came from: not needed to grade a saved notebook
            answers.append({"module": asdict(module)})
        except NotebookError as exc:
            answers.append({"error": str(exc)})
        except (MemoryError, RecursionError, OSError) as exc:
            answers.append({"error": f"{path.name} could not be read within the limits "
                                     f"({type(exc).__name__}): is it a notebook saved by Jupyter?"})
    sys.stdout.write(json.dumps(answers))


# ------------------------------------------------------------------------------ cells -> one module
def build_module(cells: list[Cell], where: str, stopped=frozenset()) -> NotebookModule:
    """One module source from code cells; see the module docstring for what is kept and how. The
    statements of the cells labelled in `stopped` are left out (their definitions stay)."""
    out = NotebookModule("", cells=list(cells), where=where)
    futures: list[str] = []
    body: list[tuple[str, object]] = []
    for cell in cells:
        lines = _cell_lines(cell, out, futures, cell.label in stopped)
        if lines is not None:
            body.append((f"# {cell.label.split(' of ')[0]}", None))
            body += lines
    head = [(f"from __future__ import {', '.join(dict.fromkeys(futures))}", None)] if futures else []
    head += [(line, None) for line in HEADER.replace("WHERE", where).splitlines()]
    out.notes = list(dict.fromkeys(out.notes))
    text = [line for line, _ in head + body]
    out.lines = [origin for _, origin in head + body]
    out.source = "\n".join(text) + "\n"
    return out


def _cell_lines(cell: Cell, out: NotebookModule, futures: list[str], definitions_only: bool = False):
    """The cell's lines for the module, each with its (label, line) origin; None to leave it out."""
    source = cell.source.replace("\r\n", "\n")
    first = next((line.strip() for line in source.splitlines() if line.strip()), "")
    if not first:
        return None
    if first.startswith("%%"):
        out.notes.append(f"skipped IPython cell magic {first.split()[0]} in {cell.label}")
        return None
    tree = _parse(source)
    if tree is None:
        source, skipped = _strip_ipython_lines(source)
        for kind in skipped:
            out.notes.append(f"skipped {kind} in {cell.label}")
        tree = _parse(source)
    if tree is None:
        _leave_out(cell, source, out, _compile_error(source))
        return None
    removed = [(stmt, kind) for stmt in tree.body if (kind := _removable(stmt))]
    for stmt, kind in removed:
        if kind == "future":
            futures += [alias.name for alias in stmt.names]
        elif kind == "magic":
            out.notes.append(f"skipped IPython magic in {cell.label}")
    if removed:
        lines = source.split("\n")
        for stmt, _ in reversed(removed):  # from the end, so that earlier columns stay valid
            _replace_span(lines, stmt, "pass")
        source = "\n".join(lines)
        tree = ast.parse(source)
    error = _compile_error(source)
    if error is not None:  # it parses, but does not compile: `return` or `await` outside a def
        _leave_out(cell, source, out, error)
        return None
    out.defined += [s.name for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return _guard(source, tree, cell.label, definitions_only)


def _parse(source: str):
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):  # ValueError: a NUL byte in the source
        return None


def _compile_error(source: str) -> Exception | None:
    """Why the cell's code does not compile (compiling runs none of it), or None."""
    try:
        compile(source, "<cell>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return exc
    return None


def _leave_out(cell: Cell, source: str, out: NotebookModule, error: Exception):
    """A cell with a syntax error is left out with a note, as Jupyter would define nothing from it."""
    why = f"{cell.label} has a syntax error (line {getattr(error, 'lineno', '?')}: {getattr(error, 'msg', error)})"
    out.notes.append(f"{why}; it was left out, as Jupyter would define nothing from it")
    for name in re.findall(r"^def\s+([A-Za-z_]\w*)\s*\(", source, re.M):
        out.broken[name] = why


_MAGIC_LINE = re.compile(r"^\s*(%|!|\?)|^\s*[\w.]+\?\??\s*$|^\s*[\w.,\s\[\]]+=\s*[%!]")
_SHELL_LINE = re.compile(r"^\s*!|^\s*[\w.,\s\[\]]+=\s*!")


def _strip_ipython_lines(source: str) -> tuple[str, list[str]]:
    """Replace line magics, shell lines and help lines (outside strings) by `pass`."""
    inside = _string_continuation_lines(source)
    lines, skipped = source.split("\n"), []
    for i, line in enumerate(lines):
        if i + 1 not in inside and _MAGIC_LINE.match(line):
            stripped = line.strip()
            skipped.append("shell command" if _SHELL_LINE.match(line) else
                           "IPython help" if stripped.startswith("?") or stripped.endswith("?") else
                           "IPython magic")
            lines[i] = line[:len(line) - len(line.lstrip())] + "pass"
    return "\n".join(lines), skipped


def _removable(stmt):
    """Why a top-level statement must not reach the worker: 'future', 'grading', 'magic', 'example'."""
    if isinstance(stmt, DEFINITIONS):
        return None
    if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
        return "future"
    if isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and (stmt.module or "").split(".")[0] == "grader":
        return "grading"
    if isinstance(stmt, ast.Import) and any(a.name.split(".")[0] == "grader" for a in stmt.names):
        return "grading"
    calls = {_called(node.func) for node in ast.walk(stmt) if isinstance(node, ast.Call)}
    if calls & GRADING_CALLS:
        return "grading"
    if "get_ipython()" in calls:
        return "magic"
    if calls & set(FUNCTIONS):
        return "example"
    return None


def _called(func) -> str | None:
    """The name a call goes to: `f(...)` and `module.f(...)` -> 'f'; `get_ipython().x(...)` -> 'get_ipython()'."""
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call) \
            and isinstance(func.value.func, ast.Name) and func.value.func.id == "get_ipython":
        return "get_ipython()"
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _replace_span(lines: list[str], node, text: str):
    """Replace the source of `node` by `text` (ast columns count UTF-8 bytes)."""
    first, last = node.lineno - 1, node.end_lineno - 1
    head = lines[first].encode()[:node.col_offset].decode()
    tail = lines[last].encode()[node.end_col_offset:].decode()
    lines[first] = head + text + (tail if first == last else "")
    for i in range(first + 1, last + 1):
        lines[i] = tail if i == last else ""


def _string_continuation_lines(source: str) -> set[int]:
    """Line numbers (from 1) that start inside a multi-line string token: their text is the string's."""
    inside: set[int] = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.start[0] < tok.end[0] and tok.type not in (tokenize.NL, tokenize.NEWLINE):
                inside.update(range(tok.start[0] + 1, tok.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        pass
    return inside


def _guard(source: str, tree: ast.Module, label: str, definitions_only: bool = False) -> list:
    """The cell's lines with every run of statements other than def/class guarded (left out when
    `definitions_only`)."""
    lines = source.split("\n")
    inside = _string_continuation_lines(source)
    runs, current = [], None
    for stmt in tree.body:
        if isinstance(stmt, ast.Pass):  # left by a removed statement: nothing to guard
            continue
        if isinstance(stmt, DEFINITIONS):
            current = None
        elif current is None:
            current = [stmt.lineno, stmt.end_lineno]
            runs.append(current)
        else:
            current[1] = stmt.end_lineno
    starts = {start: end for start, end in runs}
    result, i = [], 1
    while i <= len(lines):
        if i in starts:
            end = starts[i]
            result.append((f"with {GUARD}({label!r}):", None) if not definitions_only else ("pass", None))
            for j in range(i, end + 1):
                line = lines[j - 1]
                if not definitions_only:
                    result.append((line if j in inside or not line else "    " + line, (label, j)))
            i = end + 1
        else:
            result.append((lines[i - 1], (label, i)))
            i += 1
    while result and not result[-1][0].strip():
        result.pop()
    return result
