"""Student material from the reference, written by `grade generate` (instructors) and `grade init` (students).

`solutions/` holds the reference; each exercise body sits between `# BEGIN SOLUTION` and
`# END SOLUTION`. Generation replaces every such block by a one-line hint and `raise NotImplementedError`
and keeps everything else (module docstrings, imports, signatures, docstrings, private helpers);
`_args.py` and `__init__.py` are copied. It also writes one notebook per topic, in the order the ideas
build on each other (see `grader.catalog.TOPICS`), in English (`notebooks/`) and in Korean
(`notebooks/ko/`): both from the one description of each notebook (`grader.lessons` and
`grader.teaching`, where every text stands in both languages), with the same cells and the same code.
Output depends only on the solutions' text, so running it twice changes nothing, and `--check` (or
the test suite) catches stale material. With the material goes a manifest (`MANIFEST`: the sha256 of
every file), by which a later generation tells a file it wrote itself from one changed by hand since,
which it never overwrites unasked (`hand_edited`).

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
import hashlib
import json
import re
import textwrap
from pathlib import Path

import nbformat

from .catalog import FUNCTIONS, HINTS, MODULES, TOPICS
from .i18n import SOURCE_LANGUAGE
from .lessons import LESSONS
from .submission import SHARED_HELPERS
from .teaching import (FROM_ANOTHER_NOTEBOOK, FROM_OTHER_NOTEBOOKS, IN_TURN_IMPORTS, STEPS, WHOLE_NOTEBOOK,
                       WORKING)

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
NOTEBOOK_DIR = "notebooks"
MANIFEST = ".convgrade-generated.json"
NOTEBOOK_DIRS = {"en": NOTEBOOK_DIR, "ko": f"{NOTEBOOK_DIR}/ko"}  # the notebooks of each language


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


def notebook_text(stem: str, functions: tuple, files: dict[str, str], lang: str = "en") -> str:
    """The notebook of one topic, in `lang`, as nbformat v4 JSON."""
    module = FUNCTIONS[functions[0]]
    stubs = _segments(files[f"{module}.py"])
    if stem not in LESSONS:
        raise GenerateError(f"grader/lessons.py has no lesson for {stem}: add its first Markdown cells, "
                            f"in English and Korean")
    cells = [("markdown", text(lang), {}) for text in LESSONS[stem]]
    cells.append(("markdown", WORKING(lang, module=module), {}))
    cells.append(("code", _setup_code(module, files), {"jupyter": {"source_hidden": True},
                                                       "tags": ["setup", "hide-input"]}))
    cells += _from_another_notebook(module, functions, files, lang)
    for fn in functions:
        step = _step(fn, stubs[fn])
        cells.append(("markdown", f"### `{fn}`\n\n{step.summary(lang)}", {}))
        cells.append(("code", stubs[fn], {"tags": ["exercise"]}))
        if step.try_it:
            cells.append(("code", step.try_it, {"tags": ["try-it"]}))
        if step.figure:
            cells.append(("markdown", step.figure.caption(lang), {}))
            cells.append(("code", _figure_code(step.figure.call, lang), {"tags": ["figure"]}))
        cells.append(("code", _grading_code((fn,), lang), {"tags": ["grade"]}))
    cells.append(("markdown", WHOLE_NOTEBOOK(lang), {}))
    cells.append(("code", _grading_code(functions, lang), {"tags": ["grade"]}))
    nb = {
        "cells": [_cell(kind, source, n, **meta) for n, (kind, source, meta) in enumerate(cells, start=1)],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    node = nbformat.from_dict(nb)
    nbformat.validate(node)
    return nbformat.writes(node, version=4) + "\n"


def _setup_code(module: str, files: dict[str, str]) -> str:
    """The hidden setup cell: the imports and given helpers the exercise module relies on."""
    imports, given, _, others = _given_code(module, files)
    helpers_of = "".join(f" and of exercises/{m}.py" for m in others)
    header = (f"# Setup (given, not graded): the imports of exercises/{module}.py, the argument helpers of\n"
              f"# exercises/{SHARED_HELPERS}.py that every exercise uses to check its inputs, and the private\n"
              f"# helpers of exercises/{module}.py{helpers_of}. Run this cell first.\n")
    return header + "\n".join(imports) + "\n\n\n" + "\n\n\n".join(given)


def _from_another_notebook(module: str, functions: tuple, files: dict[str, str], lang: str) -> list:
    """A Markdown cell and a cell with the stubs of the exercises of other notebooks the module imports,
    directly or through another exercise module."""
    foreign = _given_code(module, files)[2]
    given_elsewhere = [(m, name) for _, m, name in foreign if name not in FUNCTIONS]
    if given_elsewhere:
        raise GenerateError(f"{module}.py imports private helpers of other modules ({given_elsewhere}); "
                            f"notebooks only support importing exercise functions")
    elsewhere = list(dict.fromkeys((m, name) for _, m, name in foreign if name not in functions))
    if not elsewhere:
        return []
    home = {fn: stem for stem, fns in TOPICS for fn in fns}
    homes = ", ".join(dict.fromkeys(f"`{home[name]}.ipynb`" for _, name in elsewhere))
    every = ", ".join(f"`{name}`" for _, name in elsewhere)
    if len(elsewhere) == 1:
        text = FROM_ANOTHER_NOTEBOOK(lang, module=module, names=every, homes=homes)
    else:
        names = ", ".join(f"`{name}`" for importer, _, name in foreign if importer == module)
        further = "".join(IN_TURN_IMPORTS(lang, importer=importer, name=f"`{name}`") for importer, _, name in foreign
                          if importer != module and name not in functions)
        text = FROM_OTHER_NOTEBOOKS(lang, module=module, names=names, further=further, homes=homes, every=every)
    code = [f"# {name}: the exercise of {home[name]}.ipynb (exercises/{m}.py).\n"
            + _segments(files[f"{m}.py"])[name] for m, name in elsewhere]
    return [("markdown", text, {}), ("code", "\n\n\n".join(code), {"tags": ["from-another-notebook"]})]


def _step(fn: str, stub: str):
    """The teaching text of `fn`, checked against its docstring (a changed docstring needs a new translation)."""
    step = STEPS.get(fn)
    if step is None:
        raise GenerateError(f"grader/teaching.py has no Step for {fn}: add the first line of its docstring "
                            f"and its Korean")
    if step.summary.en != _first_line(stub):
        raise GenerateError(f"the summary of {fn} in grader/teaching.py is {step.summary.en!r}, but its "
                            f"docstring now begins {_first_line(stub)!r}: update the English and the Korean")
    return step


def _figure_code(call: str, lang: str) -> str:
    """`from grader.figures import show_x` and the call, told the notebook's language."""
    if lang != SOURCE_LANGUAGE:
        call = f'{call[:-1]}, lang="{lang}")'
    return f"from grader.figures import {call.split('(')[0]}\n{call}"


def _grading_code(functions: tuple, lang: str) -> str:
    args = [f'"{fn}"' for fn in functions] + ([f'lang="{lang}"'] if lang != SOURCE_LANGUAGE else [])
    return f"from grader.notebook_grading import grade_cells\ngrade_cells({', '.join(args)})"


def _first_line(function_source: str) -> str:
    doc = ast.get_docstring(ast.parse(function_source).body[0]) or ""
    return doc.split("\n\n")[0].replace("\n", " ")


def generate_files(solutions: Path) -> dict[str, str]:
    """Relative path -> text of every generated file: the exercise modules, the notebooks, the manifest."""
    files = exercise_sources(solutions)
    for lang, folder in NOTEBOOK_DIRS.items():
        for stem, functions in TOPICS:
            files[f"{folder}/{stem}.ipynb"] = notebook_text(stem, functions, files, lang)
    files[MANIFEST] = manifest_text(files)
    return files


# ----------------------------------------------------------------------------------------- manifest
def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_text(files: dict[str, str]) -> str:
    """The sha256 of every generated file, by which the next generation recognises what it wrote."""
    return json.dumps({"about": "written by `grade generate`, which never overwrites a file changed since "
                                "unless asked to (--force)",
                       "files": {rel: _sha256(text.encode("utf-8")) for rel, text in sorted(files.items())}},
                      indent=2) + "\n"


def previous_generation(output: Path) -> dict[str, str]:
    """Relative path -> sha256 of what the last generation wrote into `output` ({} without its manifest)."""
    try:
        recorded = json.loads((Path(output) / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {rel: digest for rel, digest in recorded.items() if isinstance(digest, str)} \
        if isinstance(recorded, dict) else {}


def hand_edited(files: dict[str, str], output: Path) -> list[Path]:
    """The files of `output` that writing `files` would change although the last generation did not write
    them as they are: changed by hand since (or, when the manifest is missing, every one that differs)."""
    previous = previous_generation(output)
    edited = []
    for rel, text in files.items():
        path = Path(output) / rel
        if rel == MANIFEST or not path.is_file():
            continue
        data = path.read_bytes()
        if data != text.encode("utf-8") and previous.get(rel) != _sha256(data):
            edited.append(path)
    return edited


def find_checkout(start: Path) -> Path | None:
    """The convgrade source checkout holding `start`: the nearest folder from `start` upward with a
    pyproject.toml naming convgrade next to a solutions/ folder."""
    start = Path(start).resolve()
    for folder in (start, *start.parents):
        if (folder / "solutions").is_dir() and _names_convgrade(folder / "pyproject.toml"):
            return folder
    return None


def _names_convgrade(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"""(?m)^name\s*=\s*["']convgrade["']\s*$""", text) is not None


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

