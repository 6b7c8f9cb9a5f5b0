"""Grade one submission: every selected function, check by check, in one sandboxed worker.

Every function is graded in a fresh child of the worker with seeds derived from `--seed` and the
function's own name, so its result depends on nothing graded before it.
"""

from __future__ import annotations

import time
from pathlib import Path

from . import __version__
from .catalog import FUNCTIONS, helpers_of
from .checks.base import StopFunction
from .defaults import DEFAULT_SEED
from .engine import FunctionContext, run_check, stopped_result
from .i18n import N_, _
from .notebook_replay import replay_notebooks
from .policy import DEFAULT_POLICY, GATED_KINDS, Policy
from .reference import reference_source
from .results import CheckResult, FunctionResult, GradeResult, SubmissionInfo, seed_fingerprint, total
from .sandbox import Target, Worker
from .submission import Submission, load_submission, stand_in_broken

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


def grade(submission: Submission | str | Path, *, seed: int = DEFAULT_SEED, examples: int | None = None,
          only=(), timeout: float | None = None, sandbox: str = "auto",
          policy: Policy = DEFAULT_POLICY, reference=None) -> GradeResult:
    """Grade a loaded `submission` (or, for convenience, load the one at that path first) under `policy`,
    whose examples and time limit `examples` and `timeout` replace when given, against `reference`: a
    grader.reference source, the path of a solutions folder, or None (see `reference_source`)."""
    started = time.perf_counter()
    policy = policy.with_settings(examples=examples, timeout=timeout)
    selected = policy.functions(select_functions(only))
    source = reference_source(reference)
    sub = submission if isinstance(submission, Submission) else load_submission(submission)
    graded = grade_functions(selected, sub=sub, seed=seed, policy=policy, sandbox=sandbox, source=source)
    results = [graded[name][0] for name in selected]
    add_helper_notes(results, {name: helpers for name, (_, helpers) in graded.items()},
                     broken={fn for fn, module in sub.locate.items() if module in sub.broken})
    return GradeResult(
        score=total(f.score for f in results), max_score=total(f.max_score for f in results),
        seed_fingerprint=seed_fingerprint(seed),
        grader_version=__version__, elapsed_s=round(time.perf_counter() - started, 2),
        submission=SubmissionInfo(path=str(sub.path), sha256=sub.sha256), settings=policy.grade_settings(),
        functions=results, notes=list(sub.notes) + [note for note in [source.preview_note(seed)] if note],
        policy=policy.fingerprint)


def grade_functions(names, *, sub, seed, policy, sandbox, source) -> dict[str, tuple[FunctionResult, list]]:
    """name -> (its result, the other exercise functions it called)."""
    graded = {}
    with Worker(sub.modules, helper=source.helper, mode=sandbox, timeout=policy.timeout) as worker:
        replay_notebooks(worker, sub)
        for name in names:
            graded[name] = grade_function(worker, sub, name, source, seed, policy)
            while stand_in_failed_import(worker, sub, name):
                graded[name] = grade_function(worker, sub, name, source, seed, policy)
    return graded


def stand_in_failed_import(worker, sub, name) -> bool:
    """When importing `name` failed in a module the worker names, stand that module in (say why, once) and
    have the worker import the new sources: True when `name` is to be graded again."""
    failure = worker.import_failures.get(sub.locate.get(name))
    if failure is None or not stand_in_broken(sub, failure.site, failure.error):
        return False
    worker.replace_sources(sub.modules)
    return True


def grade_function(worker, sub, name, source, seed, policy) -> tuple[FunctionResult, list]:
    checks = policy.checks_for(name)
    module = sub.locate.get(name)
    if module is None or module in sub.problems or module in sub.broken:
        why = sub.broken.get(module) or sub.problems.get(module) or _("{module}.py is not in the submission").format(
            module=FUNCTIONS[name])
        results = [CheckResult(c.name, 0.0, float(c.points), False, why, _(c.statement), c.kind) for c in checks]
        return FunctionResult(name, FUNCTIONS[name], 0.0, total(c.points for c in checks),
                              "error" if module in sub.broken else "missing",
                              policy.mark_advice(checks, results)), []
    examples, timeout = policy.examples, policy.timeout
    ctx = FunctionContext(worker, Target(module, name, helpers_of(name)), source, timeout)
    stop, check_results = None, []
    for check in checks:
        if stop is None:
            try:
                check_results.append(run_check(check, ctx, examples, seed))
                continue
            except StopFunction as exc:
                stop = exc
        check_results.append(stopped_result(check, stop))
    check_results = gate_on_values(checks, policy.mark_advice(checks, check_results), name)
    if stop is not None:
        status = stop.status
    else:
        counted = [c for c in check_results if not c.advice] or check_results
        status = "passed" if all(c.passed for c in counted) else "failed"
    output = "".join(ctx.output)
    result = FunctionResult(name, FUNCTIONS[name], total(c.score for c in check_results),
                            total(c.max_score for c in check_results), status, check_results,
                            output=output[:MAX_OUTPUT] + ("\n[... output cut]" if len(output) > MAX_OUTPUT else ""))
    return result, sorted(ctx.helpers)


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
                            _("This property holds, but it counts only once every value check of {name} passes: a "
                              "function earns its contract and property points by computing its result.").format(
                                name=name), r.description, r.kind, advice=True)
        gated.append(r)
    return gated


def add_helper_notes(results, helpers_called: dict, broken=frozenset()):
    """Say which reference helpers each function was graded with, when that hid a bug of the student's
    (`broken`: the functions whose module does not import), and when a bug further down (a layer of the
    reference helper it called) would break the student's own code."""
    by_name = {r.name: r for r in results}

    def state(name):
        """None when the student's `name` passes; else why not: a key of HELPER_NOTES and BELOW_NOTES."""
        if name in broken:
            return "broken"
        used = by_name.get(name)
        if used is None or used.status == "passed":
            return None
        return used.status if used.status in ("missing", "not_implemented") else "failed"

    for result in results:
        called = helpers_called.get(result.name, [])
        fine = [helper for helper in called if not state(helper)]
        for helper in called:
            if state(helper):
                result.notes.append(_(HELPER_NOTES[state(helper)]).format(name=result.name, helper=helper))
        if fine:
            note = HELPER_NOTES["passed" if len(fine) == 1 else "passed, several"]
            result.notes.append(_(note).format(name=result.name, helper=", ".join(fine)))
        for helper, deeper in helpers_below(called, skip={result.name, *called}):
            if state(deeper):
                result.notes.append(_(BELOW_NOTES[state(deeper)]).format(name=result.name, helper=helper,
                                                                         deeper=deeper))


def helpers_below(called, skip) -> list[tuple[str, str]]:
    """(helper called, exercise below it): what the reference helpers stood in for, each exercise once."""
    found, seen = [], set(skip)
    for helper in called:
        queue = list(helpers_of(helper))
        while queue:
            deeper = queue.pop(0)
            if deeper not in seen:
                seen.add(deeper)
                found.append((helper, deeper))
                queue += helpers_of(deeper)
    return found


HELPER_NOTES = {  # the note on a function graded with a reference helper, by the state of the student's helper
    "passed": N_("{name} was graded with the reference {helper} (a helper it is designed to call), so its points "
                 "are about {name}'s own code."),
    "passed, several": N_("{name} was graded with the reference {helper} (helpers it is designed to call), so its "
                          "points are about {name}'s own code."),
    "broken": N_("{name} calls {helper}, which is in a module that does not import; {name} was graded with the "
                 "reference {helper}, so that costs points only in {helper}. Your {name} will work for real once "
                 "{helper} does."),
    "missing": N_("{name} calls {helper}, which is missing; {name} was graded with the reference {helper}, so that "
                  "costs points only in {helper}. Your {name} will work for real once {helper} does."),
    "not_implemented": N_("{name} calls {helper}, which is not implemented yet; {name} was graded with the reference "
                          "{helper}, so that costs points only in {helper}. Your {name} will work for real once "
                          "{helper} does."),
    "failed": N_("{name} calls {helper}, which did not pass its own checks; {name} was graded with the reference "
                 "{helper}, so that costs points only in {helper}. Your {name} will work for real once {helper} "
                 "does."),
}
BELOW_NOTES = {  # the note on a bug below a reference helper (a layer that helper calls), by its state
    "broken": N_("{name} relies on {deeper} (through {helper}), which is in a module that does not import: {name} "
                 "was graded with the reference {helper}, but run on your own code it would break until {deeper} "
                 "passes."),
    "missing": N_("{name} relies on {deeper} (through {helper}), which is missing: {name} was graded with the "
                  "reference {helper}, but run on your own code it would break until {deeper} passes."),
    "not_implemented": N_("{name} relies on {deeper} (through {helper}), which is not implemented yet: {name} was "
                          "graded with the reference {helper}, but run on your own code it would break until "
                          "{deeper} passes."),
    "failed": N_("{name} relies on {deeper} (through {helper}), which did not pass its own checks: {name} was graded "
                 "with the reference {helper}, but run on your own code it would break until {deeper} passes."),
}
