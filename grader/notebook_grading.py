"""Grading from inside a notebook: `grade_cells("conv2d_forward")` in a code cell prints the report.

    from grader.notebook_grading import grade_cells
    grade_cells("conv2d_forward")

The code graded is the code this kernel has run so far: IPython keeps the text of every executed cell
(`In`, and its raw twin in the history manager, with the magics as typed), oldest first, edits and re-runs
included, so running those cells again in order rebuilds the functions as the kernel has them. Outside
IPython, or when the history is empty, pass `notebook="path.ipynb"` to grade the saved file instead.

The cells become one module as for `grade NOTEBOOK` (see `grader.notebook`): magics are skipped, the
grading cells are left out, a cell that raised does not stop the others. That module runs in the
sandboxed worker, never in the grader's code; the kernel itself has of course already run it. Replaying
it, a cell still running after its time limit (an endless loop interrupted in the kernel) is stopped:
`grader.notebook_replay` then leaves its statements out, with a note, and the other cells still count.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from .catalog import FUNCTIONS
from .i18n import _, use_language
from .notebook import Cell, NotebookModule, build_module, module_name, read_cells
from .submission import SHARED_HELPERS, Submission, _add_shared_helpers, _digest


def kernel_cells() -> list[Cell]:
    """The cells this IPython kernel has run, as `In [n]`; empty outside IPython."""
    history = None
    shell = _shell()
    if shell is not None:
        manager = getattr(shell, "history_manager", None)
        history = getattr(manager, "input_hist_raw", None) or shell.user_ns.get("In")
    if not history:
        history = getattr(sys.modules.get("__main__"), "In", None)
    if not isinstance(history, (list, tuple)):
        return []
    return [Cell(f"In [{n}]", text) for n, text in enumerate(history) if n and isinstance(text, str)]


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def notebook_path(notebook=None) -> Path | None:
    """The notebook file: the argument, or what VS Code or Jupyter tell the kernel about it."""
    if notebook:
        return Path(notebook)
    shell = _shell()
    vscode = shell.user_ns.get("__vsc_ipynb_file__") if shell is not None else None
    name = vscode or os.environ.get("JPY_SESSION_NAME")
    return Path(name) if name and name.endswith(".ipynb") and Path(name).exists() else None


def cells_submission(cells: list[Cell], notebook: Path | None = None) -> tuple[Submission, NotebookModule]:
    """A submission of one module built from `cells` (for the kernel: `In [n]` cells)."""
    where = notebook.name if notebook else _("this notebook")
    module = build_module(cells, where)
    name = module_name(notebook) if notebook else "nb_kernel"
    filename = notebook.name if notebook else "notebook"
    labels = [c.label for c in cells]
    span = _("{first} to {last}").format(first=labels[0], last=labels[-1]) if labels else _("no cells")
    sub = Submission(path=_("{where} (the cells run so far: {span})").format(where=where, span=span),
                     notes=list(module.notes))
    sub.modules.append({"name": name, "filename": filename, "source": module.source})
    sub.notebooks[name] = module
    sub.locate = {fn: name for fn in module.defined if fn in FUNCTIONS}
    for fn in FUNCTIONS:
        if fn not in sub.locate:
            key = f"missing.{fn}"
            sub.problems[key] = (f"{fn} is only defined in {module.broken[fn]}" if fn in module.broken else
                                 _("{name} is not defined (with def, at the top level) in the cells run so far; "
                                   "run the cell that defines it, then grade again").format(name=fn))
            sub.locate[fn] = key
    if not any(m["name"] == SHARED_HELPERS for m in sub.modules):
        _add_shared_helpers(sub)
    sub.sha256 = _digest(sub)
    return sub, module


def grade_cells(*functions: str, examples: int | None = None, seed: int | None = None,
                timeout: float | None = None, sandbox: str = "auto", color: bool | None = None,
                notebook=None, cells=None, file=None, lang: str | None = None, policy=None):
    """Grade `functions` (names or modules; default: every exercise the cells define) and print the report.

    `cells` (a list of code strings, oldest first) replaces the kernel's history; `notebook` names the
    saved .ipynb file to grade when there is no history; `lang` ("en", "ko") is the language of the
    report (default: the locale's); `policy` names the course's policy file (by default it is found in
    this folder or above). Returns None, so the cell shows only the report.
    """
    with use_language(lang):
        _grade_cells(functions, examples, seed, timeout, sandbox, color, notebook, cells, file, policy)


def _grade_cells(functions, examples, seed, timeout, sandbox, color, notebook, cells, file, policy):
    from .report_text import render_text, use_color
    from .defaults import DEFAULT_SEED
    from .policy import find_policy, load_policy
    from .runner import grade, select_functions

    path = notebook_path(notebook)
    if cells is not None:
        found = [Cell(f"In [{n}]", text) for n, text in enumerate(cells, start=1)]
    elif notebook is not None:
        found = read_cells(path)
    else:
        found = kernel_cells() or (read_cells(path) if path else [])
    if not found:
        raise RuntimeError(_("grade_cells found no code to grade: run it in Jupyter or IPython after the cells "
                             "that define your functions, or pass notebook='path/to/notebook.ipynb'"))
    sub, module = cells_submission(found, path)
    only = functions or tuple(fn for fn in FUNCTIONS if fn in module.defined)
    if not only:
        print(_("No exercise function is defined in the cells run so far: run the cell with your function, "
                "then this one again."), file=file)
        return None
    select_functions(only)  # a clear ValueError for an unknown name, before any work
    course = load_policy(policy) if policy else find_policy(path.resolve().parent if path else Path.cwd())
    result = grade(sub, seed=DEFAULT_SEED if seed is None else seed, examples=examples, only=only,
                   timeout=timeout, sandbox=sandbox, policy=course)
    point_at_cells(result, sub.notebooks[sub.modules[0]["name"]], sub.modules[0]["filename"])
    if color is None:
        color = not os.environ.get("NO_COLOR") and (_shell() is not None or use_color(sys.stdout))
    print(render_text(result, color=color), end="", file=file)
    return None


def point_at_cells(result, module: NotebookModule, filename: str):
    """Rewrite `File "<notebook>", line 57` in the feedback as the cell and its own line number."""
    pattern = re.compile(r'File "' + re.escape(filename) + r'", line (\d+)')

    def where(match):
        n = int(match.group(1))
        origin = module.lines[n - 1] if 0 < n <= len(module.lines) else None
        return f"{origin[0]}, line {origin[1]}" if origin else match.group(0)

    for fn in result.functions:
        fn.output = pattern.sub(where, fn.output)
        for check in fn.checks:
            check.feedback = pattern.sub(where, check.feedback)
