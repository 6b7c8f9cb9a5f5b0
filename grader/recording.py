"""Making the recording of a student release: every check run against the reference at the release seed.

For each check, the cases the grader itself draws at the release seed (`grader.engine.drawn_cases`: the
check's corners, then RECORDED_CASES cases from its strategy) are run through the check with the reference
standing in for the student, in this process (`RecordingContext`). A check
is *replayed* from the recording when it compares with the reference (kind "value"), when it asked the
reference anything, or when its function calls declared helpers (whose answers the student's code needs):
its cases, every answer it asked for, the function's own answer on each case and the answers to the helper
calls its cases lead to are kept. Every other check needs no reference and draws its cases at grading time.
"""

from __future__ import annotations

import copy
import inspect
import json
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from . import __version__
from .calls import CallResult
from .cases import Case
from .catalog import FUNCTIONS, helpers_of
from .checks import checks_for
from .checks.base import StudentRaised
from .engine import drawn_cases
from .recorded import (FORMAT, MANIFEST, FunctionRecord, digest, helper_key, outcome_of, question,
                       registered_checks, replay, write_record)
from .results import seed_fingerprint

RECORDED_CASES = 40  # cases drawn per replayed check besides its corners (all when its strategy has fewer)


class RecordingError(Exception):
    """The reference fails one of its own checks: the recording would grade students wrongly."""


# ------------------------------------------------------------------------------------------ cases
def _magnitude(value) -> tuple[int, int]:
    """(array elements, sum of |numbers|) of a value: how large a case reads."""
    if isinstance(value, np.ndarray):
        return value.size, 0
    if isinstance(value, (bool, str)) or value is None:
        return 0, 0
    if isinstance(value, (int, float, np.number)):
        return 0, int(min(abs(float(value)), 1e12))
    parts = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
    sizes = [_magnitude(v) for v in parts]
    return sum(s[0] for s in sizes), sum(s[1] for s in sizes)


def size_key(case: Case):
    return (*_magnitude((case.args, case.kwargs)), digest("order", (case.positional, case.kwargs)))


def draw_cases(check, seed: int, count: int = RECORDED_CASES, source=None) -> list[Case]:
    """The distinct cases the grader judges `check` on at `seed` with `count` examples (its corners and the
    cases drawn from its strategy; all of them when it has fewer), smallest first."""
    distinct: dict = {}
    for case, _ in drawn_cases(check, count, seed, source):
        distinct.setdefault(question(check.function, case), case)
    return sorted(distinct.values(), key=size_key)


# ------------------------------------------------------------------------------------------ helpers
def _conv_calls(case):
    """Helper calls a conv2d implementation makes: zero_pad of x (as given or as float64), and
    conv_output_size along each axis."""
    x, w = case.args["x"], case.args["w"]
    padding, stride = case.kwargs.get("padding", 0), case.kwargs.get("stride", 1)
    (ph, pw), (sh, sw) = (p if isinstance(p, tuple) else (p, p) for p in (padding, stride))
    return [("zero_pad", (x, padding)), ("zero_pad", (np.asarray(x, dtype=np.float64), padding)),
            ("conv_output_size", (x.shape[2], w.shape[2], ph, sh)),
            ("conv_output_size", (x.shape[3], w.shape[3], pw, sw))]


def _pool_calls(case):
    """max_pool_indices of x (as given or as float64) with the case's window."""
    x, kernel, stride = case.args["x"], case.args["kernel_size"], case.kwargs.get("stride")
    return [("max_pool_indices", (x, kernel, stride)),
            ("max_pool_indices", (np.asarray(x, dtype=np.float64), kernel, stride))]


LIKELY_HELPER_CALLS = {"conv2d_forward": _conv_calls, "conv2d_backward": _conv_calls,
                       "max_pool_backward": _pool_calls}


def helper_signatures(live) -> dict:
    """helper -> [[parameter, has_default, default], ...] of the reference's function."""
    names = sorted({h for fn in FUNCTIONS for h in helpers_of(fn)})
    return {name: [[p.name, p.default is not p.empty, None if p.default is p.empty else p.default]
                   for p in inspect.signature(live.functions[name]).parameters.values()] for name in names}


# ------------------------------------------------------------------------------------------ running
class RecordingContext:
    """Stands in for a FunctionContext: the 'student' is the reference, and every question is kept."""

    def __init__(self, name: str, live, record: FunctionRecord, signatures: dict):
        self.name, self.live, self.record, self.signatures = name, live, record, signatures
        self.asked = False

    def call_raw(self, case: Case, return_args: bool = False) -> CallResult:
        args, kwargs = copy.deepcopy(case.positional), copy.deepcopy(case.kwargs)
        function = self.live.functions[self.name]
        with self.helpers_recorded(function):
            try:
                result = CallResult(ok=True, value=function(*args, **kwargs))
            except Exception as exc:
                result = CallResult(ok=False, error={"type": type(exc).__name__, "message": str(exc),
                                                     "mro": [c.__name__ for c in type(exc).__mro__]})
        self.record_likely_helper_calls(case)
        result.args_after = tuple(args)
        return result

    def call(self, case: Case):
        result = self.call_raw(case)
        if not result.ok:
            raise StudentRaised(result.error)
        return result.value

    def reference(self, case: Case, function: str | None = None):
        self.asked = True
        return replay(self.keep(function or self.name, case))

    def keep(self, function: str, case: Case) -> dict:
        outcome = outcome_of(lambda: self.live.answer(function, case))
        self.record.answers[question(function, case)] = outcome
        return outcome

    def keep_helper(self, name: str, args: tuple, kwargs: dict):
        key = helper_key(name, args, kwargs, self.signatures[name])
        if key is not None:
            self.record.helpers[key] = outcome_of(lambda: self.live.helper(name, copy.deepcopy(args),
                                                                           copy.deepcopy(kwargs)))

    @contextmanager
    def helpers_recorded(self, function):
        """While the reference runs, its own calls of the declared helpers are kept too."""
        names = [h for h in helpers_of(self.name) if h in function.__globals__]
        originals = {h: function.__globals__[h] for h in names}

        def wrapper(name):
            def keep_and_call(*args, **kwargs):
                self.keep_helper(name, args, kwargs)
                return originals[name](*args, **kwargs)
            return keep_and_call

        function.__globals__.update({h: wrapper(h) for h in names})
        try:
            yield
        finally:
            function.__globals__.update(originals)

    def record_likely_helper_calls(self, case: Case):
        likely = LIKELY_HELPER_CALLS.get(self.name)
        if likely is None:
            return
        try:
            calls = likely(case)
        except (KeyError, IndexError, AttributeError, TypeError):  # a malformed case of an errors check
            return
        for name, args in calls:
            self.keep_helper(name, args, {})


def record_function(name: str, live, seed: int, signatures: dict, count: int = RECORDED_CASES) -> FunctionRecord:
    record = FunctionRecord()
    for check in checks_for(name):
        ctx = RecordingContext(name, live, record, signatures)
        cases = draw_cases(check, seed, count, live)
        for case in cases:
            try:
                check.prop(ctx, case)
            except Exception as exc:
                raise RecordingError(f"the reference fails the check {check.name!r} of {name} on "
                                     f"{case.describe()}: {exc}") from exc
        if check.kind == "value" or ctx.asked or helpers_of(name):
            record.checks[check.name] = list(range(len(record.cases), len(record.cases) + len(cases)))
            record.cases += cases
            for case in cases:
                ctx.keep(name, case)  # the function's own answer explains a failure
    return record


def record(directory: Path, seed: int, live, count: int = RECORDED_CASES, progress=None) -> dict:
    """Write the recording of every exercise function at `seed` into `directory`; return the manifest."""
    directory = Path(directory)
    signatures = helper_signatures(live)
    files, counts = {}, {}
    for name in FUNCTIONS:
        if progress:
            progress(name)
        rec = record_function(name, live, seed, signatures, count)
        files[f"{name}.npz"] = write_record(directory / f"{name}.npz", rec)
        counts[name] = {check: len(ids) for check, ids in rec.checks.items()}
    manifest = {"format": FORMAT, "grader_version": __version__, "seed_fingerprint": seed_fingerprint(seed),
                "checks": registered_checks(), "helper_signatures": signatures, "cases": counts, "files": files}
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return manifest
