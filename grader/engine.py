"""Runs the checks of one function against the worker: hypothesis drives, the worker computes, we judge."""

from __future__ import annotations

import copy
import zlib

import numpy as np
from hypothesis import example, given
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import HypothesisException

from .defaults import check_settings
from .hints import exception_hint, shows_check_hint
from .checks.base import Case, Check, CheckFailed, EnoughShrinking, StopFunction, StudentRaised, indent
from .results import CheckResult
from .sandbox import (CallResult, CallTimeout, FunctionMissing, ImportFailed, InfrastructureError, Target,
                      WorkerCrashed)

SHRINK_CALL_BUDGET = 150


class FunctionContext:
    """What a check sees of one student function: `call` it in the worker, or ask the `reference`."""

    def __init__(self, worker, target: Target, reference, timeout: float):
        self.worker, self.target, self.reference_function = worker, target, reference
        self.timeout = timeout
        self.check_timeout = None  # the limit the check being run sets for its calls (run_check sets it)
        self.helpers: set[str] = set()
        self.output: list[str] = []
        self.succeeded = False
        self.failing = False
        self.calls_since_failure = 0

    @property
    def name(self) -> str:
        return self.target.function

    @property
    def call_timeout(self) -> float:
        """Seconds one call may take: --timeout, or more when the check being run asks for it (training)."""
        return max(self.timeout, self.check_timeout or 0.0)

    def call_raw(self, case: Case, return_args: bool = False) -> CallResult:
        if self.failing:
            self.calls_since_failure += 1
            if self.calls_since_failure > SHRINK_CALL_BUDGET:
                raise EnoughShrinking()
        try:
            result = self._call_worker(case, return_args)
        except CallTimeout:
            raise StopFunction("timeout", f"{self.name} did not return within {self.call_timeout:g} s on this "
                                          f"input, so its checks were stopped (an endless loop?):\n"
                                          f"{indent(case.describe(), 2)}") from None
        except WorkerCrashed as exc:
            raise CheckFailed(f"calling {self.name} crashed: {exc}.") from None
        except ImportFailed as exc:
            raise StopFunction("error", import_error_text(self.target.module, exc)) from None
        except FunctionMissing:
            raise StopFunction("missing", f"{self.name} is not defined in {self.target.module}.") from None
        self.helpers.update(result.helpers)
        if result.output:
            self.output.append(result.output)
        if not result.ok and result.error.get("type") == "NotImplementedError" and not self.succeeded:
            raise StopFunction("not_implemented", "not implemented yet")
        self.succeeded = True
        return result

    def _call_worker(self, case: Case, return_args: bool) -> CallResult:
        """A call in the worker. A worker that dies on an input the reference cannot handle either (out of
        memory or time) is not the student's doing: the call is tried once more in a fresh worker, and a
        second death stops the grading as an infrastructure failure."""
        try:
            return self.worker.call(self.target, case.positional, case.kwargs, return_args=return_args,
                                    timeout=self.call_timeout)
        except WorkerCrashed:
            if not self.worker.reference_fails(self.name, case.positional, case.kwargs):
                raise
        self.worker.restart()
        try:
            return self.worker.call(self.target, case.positional, case.kwargs, return_args=return_args,
                                    timeout=self.call_timeout)
        except WorkerCrashed as exc:
            raise InfrastructureError(f"the worker died twice calling {self.name} on an input that the reference "
                                      f"cannot handle within the limits either ({exc}): the machine is short of "
                                      f"memory or time, grade this submission again later") from None

    def call(self, case: Case):
        """The student's return value for this case; raises StudentRaised if their function raised."""
        result = self.call_raw(case)
        if not result.ok:
            raise StudentRaised(result.error)
        return result.value

    def reference(self, case: Case, function=None):
        fn = function or self.reference_function
        return fn(*copy.deepcopy(case.positional), **copy.deepcopy(case.kwargs))


def import_error_text(module: str, exc: ImportFailed) -> str:
    error = exc.error
    text = f"{module}.py could not be imported: {error.get('type')}: {error.get('message')}"
    if error.get("traceback"):
        text += "\n" + indent(error["traceback"].rstrip(), 2)
    if error.get("type") == "SystemExit":
        text += "\nHint: the module calls sys.exit() (or exit()) while it is imported; remove that call."
    return text


def raised_text(name: str, error: dict, check_hint: str = "") -> str:
    """What the student's function raised, with a hint about that exception in place of the check's hint
    (which is about wrong values), or beside it when the exception is about a size or shape."""
    text = f"{name} raised {error.get('type')}: {error.get('message')}"
    if error.get("traceback"):
        text += "\n" + indent(error["traceback"].rstrip(), 2)
    text += f"\nHint: {exception_hint(error)}"
    if check_hint and shows_check_hint(error):
        text += f"\nWhat this check is about: {check_hint}"
    return text


def check_seed(seed: int, check: Check) -> int:
    return zlib.crc32(f"{seed}:{check.function}:{check.name}".encode())


def run_check(check: Check, ctx: FunctionContext, examples: int, seed: int) -> CheckResult:
    """Run one property with hypothesis; a failure is reported on the smallest case found."""
    failure: list = []
    ctx.failing, ctx.calls_since_failure = False, 0
    ctx.check_timeout = check.timeout

    def prop(case):
        try:
            check.prop(ctx, case)
            return
        except StudentRaised as exc:
            text = raised_text(ctx.name, exc.error, check.hint)
        except CheckFailed as exc:
            text = str(exc)
        failure[:] = [case, text]
        ctx.failing = True
        raise CheckFailed(text)

    test = given(check.strategy)(prop)
    for corner in reversed(check.corners):  # explicit examples run in the order they are declared
        test = example(corner)(test)
    test = check_settings(check.max_examples or examples)(test)
    test = hypothesis_seed(check_seed(seed, check))(test)
    try:
        test()
    except (CheckFailed, EnoughShrinking):
        pass
    except HypothesisException:
        if not failure:
            raise
    if not failure:
        return CheckResult(check.name, float(check.points), float(check.points), True, "", check.statement,
                           check.kind)
    case, text = failure
    return CheckResult(check.name, 0.0, float(check.points), False, feedback(check, case, text), check.statement,
                       check.kind)


def feedback(check: Check, case: Case, text: str) -> str:
    lines = [f"Property: {check.statement}", "Smallest failing case: " + case.describe(), text]
    if check.hint and "Hint:" not in text:
        lines.append(f"Hint: {check.hint}")
    return "\n".join(lines)


def stopped_result(check: Check, stop: StopFunction) -> CheckResult:
    text = "" if stop.status == "not_implemented" else stop.message
    return CheckResult(check.name, 0.0, float(check.points), False, text, check.statement, check.kind)


def gradient_direction(rng_seed: int, shape) -> np.ndarray:
    return np.random.default_rng(rng_seed).standard_normal(shape)
