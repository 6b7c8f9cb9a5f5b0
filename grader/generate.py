"""Student material from the reference, written by `grade generate` (instructors) and `grade init` (students).

`solutions/` holds the reference; each exercise body sits between `# BEGIN SOLUTION` and
`# END SOLUTION`. Generation replaces every such block by a one-line hint and `raise NotImplementedError`
and keeps everything else (module docstrings, imports, signatures, docstrings, private helpers);
`_args.py` and `__init__.py` are copied. It also writes one notebook per topic, in the order the ideas
build on each other (see `grader.catalog.TOPICS`). Output depends only on the solutions' text, so
running it twice changes nothing, and `--check` (or the test suite) catches stale material.

A notebook is self-contained: a hidden setup cell holds the imports of its exercise module, the
argument helpers of `_args.py` and the module's private helpers, all of it given code. Some exercises
call an exercise of a later notebook (`conv2d_forward` may use `zero_pad`, `network_param_count` uses
`conv_output_size`). The notebook never holds a reference body: it gets the *stub* of that function, in
a visible cell that says where the exercise is, so the student can paste their own version there to try
things. Grading does not depend on it: every function is graded with the reference versions of the
other exercise functions (the worker's proxies), so `conv2d_forward` gets full marks with a stub
`zero_pad`, and a bug in `zero_pad` costs points only in `zero_pad`. When a folder of notebooks is
graded, the notebook that teaches a function wins (otherwise the last one defining it), so `05_padding...`
(the real `zero_pad`) wins over the stub in `04_conv2d`, and `04_conv2d` over the one in `08_...`.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import nbformat

from .catalog import FUNCTIONS, HINTS, MODULES, TOPICS
from .teaching import FIGURES, INTRO, TRY, WORKING
from .submission import SHARED_HELPERS

REPO = Path(__file__).resolve().parent.parent
BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
NOTEBOOK_DIR = "notebooks"


class GenerateError(Exception):
    """The solutions cannot be turned into exercises (a marker is misplaced, a module is missing)."""


# ------------------------------------------------------------------------------------------ modules
def stub_source(source: str, filename: str) -> str:
    """`source` with every solution block replaced by a hint and `raise NotImplementedError`."""
    owners = _function_lines(source, filename)
    lines, out, begin = source.split("\n"), [], None
    for n, line in enumerate(lines, start=1):
        marker = line.strip()
        if marker == BEGIN:
            if begin is not None:
                raise GenerateError(f"{filename}:{n}: {BEGIN} again, but the block opened at line {begin} "
                                    f"has no {END}")
            if n not in owners:
                raise GenerateError(f"{filename}:{n}: {BEGIN} outside a top-level function")
            begin, indent = n, line[:len(line) - len(line.lstrip())]
            hint = HINTS.get(owners[n], "")
            comment = textwrap.wrap(f"Your code here{': ' + hint if hint else '.'}", 96 - len(indent))
            out += [f"{indent}# {text}" for text in comment] + [f"{indent}raise NotImplementedError"]
        elif marker == END:
            if begin is None:
                raise GenerateError(f"{filename}:{n}: {END} without {BEGIN}")
            begin = None
        elif begin is None:
            out.append(line)
    if begin is not None:
        raise GenerateError(f"{filename}:{begin}: {BEGIN} is never closed by {END}")
    return "\n".join(out)


def _function_lines(source: str, filename: str) -> dict[int, str]:
    """Line number -> name of the top-level function whose body holds that line."""
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as exc:
        raise GenerateError(f"{filename}:{exc.lineno}: {exc.msg}") from None
    return {n: node.name for node in tree.body if isinstance(node, ast.FunctionDef)
            for n in range(node.lineno + 1, node.end_lineno + 1)}


def exercise_sources(solutions: Path) -> dict[str, str]:
    """File name -> text of every exercise module, `_args.py` and `__init__.py`."""
    solutions = Path(solutions)
    files = {}
    for name in ("__init__", SHARED_HELPERS, *MODULES):
        path = solutions / f"{name}.py"
        if not path.is_file():
            raise GenerateError(f"{path} is missing: --solutions must be the folder of the reference modules")
        text = path.read_text(encoding="utf-8")
        if name == "__init__":
            text = text.replace("Reference NumPy implementation", "Your NumPy implementation", 1)
        elif name != SHARED_HELPERS:
            text = stub_source(text, path.name)
        files[f"{name}.py"] = text
    return files


# ---------------------------------------------------------------------------------------- notebooks
def _segments(source: str) -> dict[str, str]:
    """Top-level function name -> its source text."""
    tree = ast.parse(source)
    return {node.name: ast.get_source_segment(source, node) for node in tree.body
            if isinstance(node, ast.FunctionDef)}


def _given_code(module: str, files: dict[str, str]) -> tuple[list[str], list[str], list[tuple], list[str]]:
    """(imports, definitions, [(importer, module, name)] of exercise functions imported, the other modules
    whose private helpers are given) of the setup cell: those of `_args.py` and of `module`, then those of
    the exercise modules it imports from, and so on (their exercise functions call their private helpers)."""
    imports, definitions, foreign, others = [], [], [], []
    order, queue = [SHARED_HELPERS, module], [SHARED_HELPERS, module]
    while queue:
        name = queue.pop(0)
        source = files[f"{name}.py"]
        given = len(definitions)
        for node in ast.parse(source).body:
            text = ast.get_source_segment(source, node)
            if isinstance(node, ast.ImportFrom) and node.level:
                if node.module != SHARED_HELPERS:
                    foreign += [(name, node.module, alias.name) for alias in node.names]
                    if node.module not in order:
                        order.append(node.module)
                        queue.append(node.module)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append(text)
            elif isinstance(node, ast.FunctionDef):
                if name == SHARED_HELPERS or node.name not in FUNCTIONS:
                    definitions.append(text)
            elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
                definitions.append(text)  # module-level constants
        if name not in (SHARED_HELPERS, module) and len(definitions) > given:
            others.append(name)
    return list(dict.fromkeys(imports)), definitions, foreign, others


def _cell(kind: str, source: str, n: int, **metadata) -> dict:
    cell = {"cell_type": kind, "id": f"cell-{n:02d}", "metadata": metadata, "source": source.strip("\n")}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def notebook_text(stem: str, functions: tuple, files: dict[str, str]) -> str:
    """The notebook of one topic as nbformat v4 JSON."""
    module = FUNCTIONS[functions[0]]
    stubs = _segments(files[f"{module}.py"])
    imports, given, foreign, others = _given_code(module, files)
    cells = [("markdown", text, {}) for text in INTRO[stem]]
    cells.append(("markdown", WORKING.format(module=module), {}))
    helpers_of = "".join(f" and of exercises/{m}.py" for m in others)
    setup = (f"# Setup (given, not graded): the imports of exercises/{module}.py, the argument helpers of\n"
             f"# exercises/{SHARED_HELPERS}.py that every exercise uses to check its inputs, and the private\n"
             f"# helpers of exercises/{module}.py{helpers_of}. Run this cell first.\n")
    setup += "\n".join(imports) + "\n\n\n" + "\n\n\n".join(given)
    cells.append(("code", setup, {"jupyter": {"source_hidden": True}, "tags": ["setup"]}))
    given_elsewhere = [(m, name) for _, m, name in foreign if name not in FUNCTIONS]
    if given_elsewhere:
        raise GenerateError(f"{module}.py imports private helpers of other modules ({given_elsewhere}); "
                            f"notebooks only support importing exercise functions")
    elsewhere = list(dict.fromkeys((m, name) for _, m, name in foreign if name not in functions))
    if elsewhere:
        home = {fn: stem for stem, fns in TOPICS for fn in fns}
        names = ", ".join(f"`{name}`" for importer, _, name in foreign if importer == module)
        further = "".join(f" (`{importer}.py` in turn imports `{name}`)" for importer, _, name in foreign
                          if importer != module and name not in functions)
        homes = ", ".join(dict.fromkeys(f"`{home[name]}.ipynb`" for _, name in elsewhere))
        one = len(elsewhere) == 1
        cells.append(("markdown", (
            f"**From another notebook.** `{module}.py` imports {names}{further}, "
            f"{'an exercise' if one else 'exercises'} of {homes}. The cell below holds "
            f"{'its stub' if one else 'their stubs'}: paste your own "
            f"{'version' if one else 'versions'} there to try the functions of this notebook with "
            f"{'it' if one else 'them'}. The grader does not need {'it' if one else 'them'}: each function is "
            f"graded with the reference versions of the other exercises, so a missing or buggy "
            f"{', '.join(f'`{name}`' for _, name in elsewhere)} costs no points here."), {}))
        code = []
        for m, name in elsewhere:
            code.append(f"# {name}: the exercise of {home[name]}.ipynb (exercises/{m}.py).\n"
                        + _segments(files[f"{m}.py"])[name])
        cells.append(("code", "\n\n\n".join(code), {"tags": ["from-another-notebook"]}))
    for fn in functions:
        cells.append(("markdown", f"### `{fn}`\n\n{_first_line(stubs[fn])}", {}))
        cells.append(("code", stubs[fn], {"tags": ["exercise"]}))
        if fn in TRY:
            cells.append(("code", TRY[fn], {"tags": ["try-it"]}))
        cells.append(("code", f'from grader.notebook_grading import grade_cells\ngrade_cells("{fn}")',
                      {"tags": ["grade"]}))
    for kind, source in FIGURES.get(stem, ()):
        cells.append((kind, source, {"tags": ["figure"]} if kind == "code" else {}))
    everything = ", ".join(f'"{fn}"' for fn in functions)
    cells.append(("markdown", "### The whole notebook\n\nEvery function of this notebook, graded together:", {}))
    cells.append(("code", f"from grader.notebook_grading import grade_cells\ngrade_cells({everything})",
                  {"tags": ["grade"]}))
    nb = {
        "cells": [_cell(kind, source, n, **meta) for n, (kind, source, meta) in enumerate(cells, start=1)],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    node = nbformat.from_dict(nb)
    nbformat.validate(node)
    return nbformat.writes(node, version=4) + "\n"


def _first_line(function_source: str) -> str:
    doc = ast.get_docstring(ast.parse(function_source).body[0]) or ""
    return doc.split("\n\n")[0].replace("\n", " ")


def generate_files(solutions: Path = REPO / "solutions") -> dict[str, str]:
    """Relative path -> text of every generated file: the exercise modules and the notebooks."""
    files = exercise_sources(solutions)
    for stem, functions in TOPICS:
        files[f"{NOTEBOOK_DIR}/{stem}.ipynb"] = notebook_text(stem, functions, files)
    return files


def differences(files: dict[str, str], output: Path) -> list[str]:
    """What differs between `files` and the folder `output`, one line per file."""
    lines = []
    for rel, text in files.items():
        path = Path(output) / rel
        if not path.is_file():
            lines.append(f"missing: {path}")
        elif path.read_bytes() != text.encode("utf-8"):
            lines.append(f"differs: {path}")
    return lines


def write_files(files: dict[str, str], output: Path) -> list[Path]:
    """Write the files that differ (bytes, no newline translation); return the paths written."""
    written = []
    for rel, text in files.items():
        path = Path(output) / rel
        data = text.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def installed_solutions() -> Path:
    """The folder of the reference modules: the installed `solutions` package."""
    import solutions

    return Path(solutions.__file__).resolve().parent
