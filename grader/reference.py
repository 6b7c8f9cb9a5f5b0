"""Where the reference's answers come from, for one grading run.

A check reaches the reference only through `ctx.reference(case, function)`, the engine learns a check's
cases from `source.cases(check)` and the helper answers sent along with a call from `source.foreseen`, and
the worker's proxies for a function's declared helpers ask `source.helper(name, args, kwargs)`; all of
them ask the run's source:

- `LiveReference`: the reference implementation in `solutions/`, found in the instructor's checkout (next
  to this `grader` package), as an importable `solutions` package, or at `--reference PATH`. Every check
  draws its cases (grader.drawing). This is where the grade of record is made.
- `grader.recorded.RecordedReference`: the reference's answers recorded when a student release was built
  (`grade release`), shipped inside the release's wheel. The checks that need the reference run on the
  recorded cases; the others draw theirs as usual. A student's local grade is a preview.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
import threading
from pathlib import Path

from .answers import arguments_key, case_key, fresh
from .catalog import DATA_FUNCTIONS, FUNCTIONS
from .foreseen import foreseen
from .i18n import _

CHECKOUT = Path(__file__).resolve().parent.parent
REFERENCES: dict[tuple, tuple] = {}  # (function, arguments key) -> (True, answer) or (False, exception)
LOADING = threading.RLock()  # held while a reference package is imported
MAX_REFERENCES = 4096  # every submission of a class meets the same cases: their answers are kept (this many)


class ReferenceMissing(Exception):
    """Neither the reference nor recorded answers are available: nothing to grade against."""


class LiveReference:
    """The reference implementation itself: every answer is computed (once per process, handed out as a
    copy), every check draws its own cases."""

    def __init__(self, functions: dict):
        self.functions = functions  # exercise function name -> the reference's function

    def answer(self, function: str, case):
        """The reference's return value for `case` (its own exception is raised again)."""
        fn = self.functions[function]
        key = (fn, case_key(case))
        known = REFERENCES.get(key)
        if known is None:
            try:
                known = (True, fn(*fresh(case.positional), **fresh(case.kwargs)))
            except Exception as exc:  # a case the reference refuses: the check asks for exactly that
                known = (False, exc)
            remember(key, known)
        ok, answer = known
        if not ok:
            raise answer.with_traceback(None)
        return fresh(answer)

    def foreseen(self, function: str, helpers: tuple, args: tuple, kwargs: dict) -> list:
        """[name, args, kwargs, answer] of every call of `helpers` the reference `function` makes on these
        arguments (sent along with the student's call); its own answer is kept for `answer`."""
        fn = self.functions[function]
        made, known = foreseen(fn, helpers, args, kwargs)
        remember((fn, arguments_key(args, kwargs)), known)
        return made

    def helper(self, name: str, args: tuple, kwargs: dict):
        """The reference's answer to a declared helper call made by student code (runs in the helper relay)."""
        return self.functions[name](*args, **kwargs)

    def cases(self, check):
        """The cases recorded for `check`, or None: the engine draws them."""
        return None

    def preview_note(self, seed: int):
        return None


def remember(key: tuple, known: tuple):
    if len(REFERENCES) >= MAX_REFERENCES:
        REFERENCES.clear()
    REFERENCES[key] = known


def load_solutions(path: Path):
    """The reference package in the folder `path` (its modules import each other relatively). Threads that
    grade at once (grade audit, grade batch) get it whole: the first loads it, the others wait."""
    with LOADING:
        return _load_solutions(path)


def _load_solutions(path: Path):
    path = Path(path).resolve()
    init = path / "__init__.py"
    if not init.is_file():
        raise ReferenceMissing(f"{path} is not the folder of the reference solutions (it has no __init__.py)")
    name = "convgrade_reference_" + hashlib.sha256(str(path).encode()).hexdigest()[:12]
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[str(path)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    missing = [fn for fn in (*FUNCTIONS, *DATA_FUNCTIONS) if not callable(getattr(module, fn, None))]
    if missing:
        raise ReferenceMissing(f"{path} lacks the reference functions {', '.join(missing)}")
    return module


def find_solutions():
    """The reference package: the checkout's solutions/ next to this grader, else an importable `solutions`;
    None when neither exists (a student's installation)."""
    checkout = CHECKOUT / "solutions"
    imported = sys.modules.get("solutions")
    if imported is not None and Path(imported.__file__).resolve().parent == checkout:
        return imported
    if (checkout / "__init__.py").is_file() and (CHECKOUT / "pyproject.toml").is_file():
        return load_solutions(checkout)
    try:
        module = importlib.import_module("solutions")
    except ImportError:
        return None
    return module if all(callable(getattr(module, fn, None)) for fn in (*FUNCTIONS, *DATA_FUNCTIONS)) else None


def solutions_dir(reference: Path | None = None) -> Path:
    """The folder of the reference modules; ReferenceMissing when there is none."""
    module = load_solutions(reference) if reference else find_solutions()
    if module is None:
        raise ReferenceMissing("the reference solutions are not available here (this is a student installation)")
    return Path(module.__file__).resolve().parent


def live_reference(path: Path | None = None) -> LiveReference | None:
    module = load_solutions(path) if path else find_solutions()
    if module is None:
        return None
    return LiveReference({name: getattr(module, name) for name in (*FUNCTIONS, *DATA_FUNCTIONS)})


def reference_source(reference=None):
    """The source of a grading run: `reference` itself when it is one, the reference at `reference` when it
    is a path, else the reference found here, else the recorded answers installed with this grader."""
    if hasattr(reference, "answer"):
        return reference
    live = live_reference(Path(reference) if reference else None)
    if live is not None:
        return live
    from .recorded import installed_recording

    recorded = installed_recording()
    if recorded is None:
        raise ReferenceMissing(_(
            "this installation of convgrade has neither the reference solutions nor recorded cases, so it "
            "cannot grade. Students: install the wheel of your course's release (see its README). "
            "Instructors: run from your checkout, or pass --reference PATH (the folder of solutions/)."))
    return recorded
