"""Notebooks as submissions: the code cells of each notebook become one module for the worker.

The grader only reads a notebook: `json` for the file, `ast` and `tokenize` for the code; nothing a
student wrote runs in this process. Each notebook becomes a module named after its file
(`04_conv2d.ipynb` -> `nb_04_conv2d`) whose source is its code cells in order, each after a `# cell N`
comment, and which runs like a Jupyter session:

- IPython syntax is left out with a note: cell magics (`%%time`), line magics (`%timeit`), shell lines
  (`!ls`), help lines (`np.pad?`) and the `get_ipython()` calls IPython writes for them in its history;
- the grading statements (`from grader... import ...`, `grade_cells(...)`) are left out silently, and so
  are the examples: top-level statements that call an exercise function (`print(scan1d(x, w))`). They
  define nothing the functions need; re-running them would only slow grading down, and an endless loop
  in one would stop the import of the whole notebook;
- a cell with a syntax error is left out with a note (Jupyter would define nothing from it either);
- `def` and `class` statements stay at the top level, every other run of statements is wrapped in
  `try: ... except Exception`, so that a cell that raises (a call of a function not written yet, an
  import of a package the sandbox lacks) does not stop the cells after it, as in Jupyter.

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
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import FUNCTIONS

MAX_NOTEBOOK_BYTES = 64 << 20  # outputs (plots) make notebooks large; only their code is kept

GRADING_CALLS = {"grade_cells", "grade_notebook"}
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
GUARD = "_convgrade_cell_failed"
HEADER = (
    "# {where}: its code cells in order, as one module. Statements other than def and class run\n"
    "# guarded, as in Jupyter: a cell that raises does not stop the cells after it.\n"
    f"def {GUARD}(cell, error):\n"
    "    print(f\"{{cell}} raised {{type(error).__name__}}: {{error}} (the cells after it still ran)\")\n"
)


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


def read_cells(path: Path) -> list[Cell]:
    """The code cells of a notebook file, labelled by their position among all its cells."""
    name = path.name
    if path.is_symlink():
        raise NotebookError(f"{name} is a symbolic link; submit the notebook itself")
    data = path.read_bytes()
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise NotebookError(f"{name} is larger than {MAX_NOTEBOOK_BYTES >> 20} MiB; clear its outputs "
                            f"(Kernel > Restart & Clear Output) and save it again")
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
    return cells


def _upgrade(nb: dict, name: str) -> dict:
    """A notebook of format 3 (IPython 2), converted to format 4 by nbformat."""
    import nbformat

    try:
        return dict(nbformat.convert(nbformat.from_dict(nb), 4))
    except Exception as exc:  # nbformat raises many kinds on malformed old notebooks
        raise NotebookError(f"{name} is an old (format 3) notebook that could not be converted: {exc}") from None


# ------------------------------------------------------------------------------ cells -> one module
def build_module(cells: list[Cell], where: str) -> NotebookModule:
    """One module source from code cells; see the module docstring for what is kept and how."""
    out = NotebookModule("")
    futures: list[str] = []
    body: list[tuple[str, object]] = []
    for cell in cells:
        lines = _cell_lines(cell, out, futures)
        if lines is not None:
            body.append((f"# {cell.label.split(' of ')[0]}", None))
            body += lines
    head = [(f"from __future__ import {', '.join(dict.fromkeys(futures))}", None)] if futures else []
    head += [(line, None) for line in HEADER.format(where=where).splitlines()]
    out.notes = list(dict.fromkeys(out.notes))
    text = [line for line, _ in head + body]
    out.lines = [origin for _, origin in head + body]
    out.source = "\n".join(text) + "\n"
    return out


def _cell_lines(cell: Cell, out: NotebookModule, futures: list[str]):
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
        try:
            ast.parse(source)
        except SyntaxError as exc:  # the parse above failed, so this one fails too
            why = f"{cell.label} has a syntax error (line {exc.lineno}: {exc.msg})"
            out.notes.append(f"{why}; it was left out, as Jupyter would define nothing from it")
            for name in re.findall(r"^def\s+([A-Za-z_]\w*)\s*\(", source, re.M):
                out.broken[name] = why
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
    out.defined += [s.name for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return _guard(source, tree, cell.label)


def _parse(source: str):
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):  # ValueError: a NUL byte in the source
        return None


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


def _guard(source: str, tree: ast.Module, label: str) -> list:
    """The cell's lines with every run of statements other than def/class inside try/except."""
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
            result.append(("try:", None))
            for j in range(i, end + 1):
                line = lines[j - 1]
                result.append((line if j in inside or not line else "    " + line, (label, j)))
            result.append((f"except Exception as {GUARD}_error:", None))
            result.append((f"    {GUARD}({label!r}, {GUARD}_error)", None))
            i = end + 1
        else:
            result.append((lines[i - 1], (label, i)))
            i += 1
    while result and not result[-1][0].strip():
        result.pop()
    return result
