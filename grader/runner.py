"""Grade one submission: every selected function, check by check, in one sandboxed worker.

Every function is graded in a fresh child of the worker with seeds derived from `--seed` and the
function's own name, so its result depends on nothing graded before it.
"""

from __future__ import annotations

import time

from . import __version__
from .catalog import FUNCTIONS, helpers_of
from .checks import checks_for
from .checks.base import StopFunction
from .defaults import DEFAULT_EXAMPLES, DEFAULT_SEED, DEFAULT_TIMEOUT
from .engine import FunctionContext, run_check, stopped_result
from .recorded import run_recorded
from .reference import reference_source
from .results import CheckResult, FunctionResult, GradeResult, SubmissionInfo, total
from .sandbox import Target, Worker
from .submission import load_submission

MAX_OUTPUT = 4000


def select_functions(only=()) -> list[str]:
    """The functions named by --only (function or module names), in teaching order; all by default."""
    if not only:
        return list(FUNCTIONS)
    unknown = [n for n in only if n not in FUNCTIONS and n not in FUNCTIONS.values()]
    if unknown:
        raise ValueError(f"unknown function or module {unknown[0]!r}; choose from "
                         f"{', '.join(dict.fromkeys(FUNCTIONS.values()))} or a function name")
    return [f for f, m in FUNCTIONS.items() if f in only or m in only]


def grade(path, *, seed: int = DEFAULT_SEED, examples: int = DEFAULT_EXAMPLES, only=(),
          timeout: float = DEFAULT_TIMEOUT, sandbox: str = "auto", submission=None, reference=None) -> GradeResult:
    """Grade the submission at `path` (or an already loaded `submission`) against `reference`: a
    grader.reference source, the path of a solutions folder, or None (see `reference_source`)."""
    started = time.perf_counter()
    selected = select_functions(only)
    source = reference_source(reference)
    sub = submission or load_submission(path)
    graded = grade_functions(selected, sub=sub, seed=seed, examples=examples, timeout=timeout, sandbox=sandbox,
                             source=source)
    results = [graded[name][0] for name in selected]
    add_helper_notes(results, {name: helpers for name, (_, helpers) in graded.items()})
    return GradeResult(
        score=total(f.score for f in results), max_score=total(f.max_score for f in results), seed=seed,
        grader_version=__version__, elapsed_s=round(time.perf_counter() - started, 2),
        submission=SubmissionInfo(path=str(sub.path), sha256=sub.sha256), functions=results,
        notes=list(sub.notes) + [note for note in [source.preview_note(seed)] if note])


def grade_functions(names, *, sub, seed, examples, timeout, sandbox, source) -> dict[str, tuple[FunctionResult, list]]:
    """name -> (its result, the other exercise functions it called)."""
    graded = {}
    with Worker(sub.modules, helper=source.helper, mode=sandbox, timeout=timeout) as worker:
        for name in names:
            graded[name] = grade_function(worker, sub, name, source, seed, examples, timeout)
    return graded


def grade_function(worker, sub, name, source, seed, examples, timeout) -> tuple[FunctionResult, list]:
    checks = checks_for(name)
    module = sub.locate.get(name)
    if module is None or module in sub.problems:
        why = sub.problems.get(module) or f"{FUNCTIONS[name]}.py is not in the submission"
        return FunctionResult(name, FUNCTIONS[name], 0.0, total(c.points for c in checks), "missing",
                              [CheckResult(c.name, 0.0, float(c.points), False, why, c.statement, c.kind)
                               for c in checks]), []
    ctx = FunctionContext(worker, Target(module, name, helpers_of(name)), source, timeout)
    stop, check_results = None, []
    for check in checks:
        if stop is None:
            try:
                recorded = source.cases(check)
                check_results.append(run_check(check, ctx, examples, seed) if recorded is None
                                     else run_recorded(check, ctx, recorded))
                continue
            except StopFunction as exc:
                stop = exc
        check_results.append(stopped_result(check, stop))
    check_results = gate_on_values(checks, check_results, name)
    if stop is not None:
        status = stop.status
    else:
        status = "passed" if all(c.passed for c in check_results) else "failed"
    output = "".join(ctx.output)
    result = FunctionResult(name, FUNCTIONS[name], total(c.score for c in check_results),
                            total(c.max_score for c in check_results), status, check_results,
                            output=output[:MAX_OUTPUT] + ("\n[... output cut]" if len(output) > MAX_OUTPUT else ""))
    return result, sorted(ctx.helpers)


GATED_KINDS = ("property", "contract", "errors")


def gate_on_values(checks, results: list[CheckResult], name: str) -> list[CheckResult]:
    """Contract and property points count only for a function whose value checks all pass: a function
    that computes nothing (a constant of the right shape and dtype, with its arguments validated) earns
    nothing. A gated check that held is shown as advice, at 0 points (it is not a failure of its own)."""
    values_pass = all(r.passed for c, r in zip(checks, results) if c.kind == "value")
    if values_pass:
        return results
    gated = []
    for c, r in zip(checks, results):
        if c.kind in GATED_KINDS and r.passed:
            r = CheckResult(r.name, 0.0, r.max_score, False,
                            f"This property holds, but it counts only once every value check of {name} "
                            f"passes: a function earns its contract and property points by computing its "
                            f"result.", r.description, r.kind, advice=True)
        gated.append(r)
    return gated


def add_helper_notes(results, helpers_called: dict):
    """Say which reference helpers each function was graded with, and when that hid a bug of the student's."""
    by_name = {r.name: r for r in results}
    for result in results:
        for helper in helpers_called.get(result.name, []):
            used = by_name.get(helper)
            if used is not None and used.status != "passed":
                state = {"missing": "is missing", "not_implemented": "is not implemented yet"}.get(
                    used.status, "did not pass its own checks")
                result.notes.append(f"{result.name} calls {helper}, which {state}; {result.name} was graded "
                                    f"with the reference {helper}, so that costs points only in {helper}. "
                                    f"Your {result.name} will work for real once {helper} does.")
            else:
                result.notes.append(f"{result.name} was graded with the reference {helper} (a helper it is "
                                    f"designed to call), so its points are about {result.name}'s own code.")
