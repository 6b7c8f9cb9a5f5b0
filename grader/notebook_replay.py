"""Replaying notebook modules in the worker: a cell still running after its time limit is left out.

A notebook's cells run again in the worker when it is graded. A cell that loops forever (an endless loop
the student interrupted in the kernel) would cost every function its time: the first import finds such
cells, and they are left out from then on, each with a note, while the other cells still count.
"""

from __future__ import annotations

from .notebook import CELL_TIME_LIMIT, STOPPED_CELLS, Cell, build_module
from .sandbox import CallTimeout, FunctionMissing, ImportFailed, Target, WorkerCrashed
from .submission import Submission


def replay_notebooks(worker, sub: Submission):
    """Import each notebook module once in the worker: the cells its time limit stopped are left out from
    then on (their definitions stay), each with a note, so that a loop costs its time once, not per function."""
    for name, module in list(sub.notebooks.items()):
        try:
            result = worker.call(Target(name, STOPPED_CELLS))
        except (ImportFailed, CallTimeout, WorkerCrashed, FunctionMissing):
            continue  # grading the module's functions reports what went wrong
        labels = {cell.label: cell for cell in module.cells}
        reported = result.value if result.ok and isinstance(result.value, (list, tuple)) else []
        stopped = [label for label in dict.fromkeys(reported) if isinstance(label, str) and label in labels]
        if not stopped:
            continue
        rebuilt = build_module(module.cells, module.where, stopped=set(stopped))
        next(m for m in sub.modules if m["name"] == name)["source"] = rebuilt.source
        sub.notebooks[name] = rebuilt
        sub.notes += [stopped_note(labels[label]) for label in stopped]
        worker.replace_sources(sub.modules)


def stopped_note(cell: Cell) -> str:
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    first = first if len(first) <= 60 else first[:57] + "..."
    text = (f"{cell.label} (`{first}`) was still running after {CELL_TIME_LIMIT:g} s when its cells were run "
            f"again for grading, so its statements were skipped (an endless loop?); its definitions and the other "
            f"cells still count.")
    if cell.label.startswith("In ["):
        return text + (" If you interrupted it, restart the kernel (Kernel > Restart) and run your cells "
                       "again, so that grading no longer replays it.")
    return text + " Fix that cell, or delete it, and save the notebook again."
