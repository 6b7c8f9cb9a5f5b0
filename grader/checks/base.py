"""What a check is, how it calls the student's function, and how it explains a failure.

A check is a property of one function, with points: `@check(...)` registers a function
`prop(ctx, case)` together with the hypothesis strategy that draws its cases. The property calls the
student's code through `ctx.call(...)` (which runs in the worker) and the reference through
`ctx.reference(...)` (which runs here), and raises `CheckFailed` with feedback when the property does not
hold. The engine then shrinks the case, so the feedback the student reads is about the smallest failing
input it found. A property may run more than once on a case (it is run again once the answers it waits
for have come), so it must not keep state between runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..cases import Case, indent, show_array, squeeze_leading  # noqa: F401  (re-exported for checks)
from ..protocol import ForeignObject


class CheckFailed(Exception):
    """The property does not hold; the message is the feedback."""


class StudentRaised(Exception):
    """The student's function raised an exception (described by the worker)."""

    def __init__(self, error: dict):
        super().__init__(f"{error.get('type', 'Exception')}: {error.get('message', '')}")
        self.error = error


class StopFunction(BaseException):
    """Ends the grading of a function at once (hypothesis lets BaseException through, unshrunk)."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status, self.message = status, message


KINDS = ("value", "gradient", "property", "contract", "errors")


@dataclass
class Check:
    """One graded property of one exercise function."""

    function: str  # the exercise function it grades
    name: str  # what it checks, as the report shows it ("dw matches the reference")
    points: float
    kind: str  # one of KINDS: value (against the reference), gradient, property, contract, errors
    statement: str  # the property in one sentence, shown as the check's description
    strategy: object  # the hypothesis strategy that draws its cases
    prop: Callable  # prop(ctx, case): raises CheckFailed (or lets StudentRaised through) when it fails
    hint: str = ""  # shown after the feedback of a failure
    max_examples: int | None = None  # overrides --examples for this check
    corners: tuple = ()  # explicit cases run first at every seed: the corners that show each bug family
    documented: tuple = ()  # phrases of the function's docstring that ask for what this check grades
    timeout: float | None = None  # seconds one call may take in this check, when more than --timeout (training)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"'kind' must be one of {KINDS} (got {self.kind!r})")


REGISTRY: list[Check] = []


def check(function: str, *, name: str, points: float, kind: str, statement: str, strategy, hint: str = "",
          max_examples: int | None = None, corners=(), documented=(), timeout: float | None = None):
    """Register the decorated `prop(ctx, case)` as a check of `function` worth `points`.

    `corners` are the cases run first at every seed (grader/corners.py); `documented` the phrases of the
    function's docstring that state the requirement (every errors and contract check has them); `timeout`
    the seconds one call may take in this check when that is more than --timeout (training)."""

    def register(prop):
        REGISTRY.append(Check(function, name, points, kind, statement, strategy, prop, hint, max_examples,
                              tuple(corners), tuple(documented), timeout))
        return prop

    return register


# ------------------------------------------------------------------------------------------ values
def describe_value(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an ndarray of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, ForeignObject):
        return f"a {value.type_name} object"
    if value is None:
        return "None (did you forget to return?)"
    return f"a {type(value).__name__} ({value!r:.60})"


def require_array(got, what: str, shape: tuple, *, dtype=None, kinds="f", hint: str = "") -> np.ndarray:
    """Check type, dtype kind and shape of a returned array before any comparison."""
    if not isinstance(got, np.ndarray):
        raise CheckFailed(f"{what} should be an ndarray of shape {shape}, but it is {describe_value(got)}.")
    if got.dtype.kind not in kinds:
        raise CheckFailed(f"{what} should have a {'floating' if kinds == 'f' else 'integer'} dtype, "
                          f"but it has dtype {got.dtype}.")
    if got.shape != tuple(shape):
        raise CheckFailed(f"{what} should have shape {tuple(shape)}, but it has shape {got.shape}."
                          + (f"\nHint: {hint}" if hint else ""))
    if dtype is not None and got.dtype != dtype:
        raise CheckFailed(f"{what} should keep the input's dtype {np.dtype(dtype)}, but it is {got.dtype}.")
    return got


def tolerance(expected: np.ndarray, scale: float | None = None):
    """Tolerances that accept any summation order (float64 relative error ~1e-7 is normal), from the
    magnitude of the reference's answer (`scale`, or `expected` itself when it is the reference's)."""
    eps = 1e-3 if expected.dtype == np.float32 else 1e-6
    finite = np.abs(expected[np.isfinite(expected)]) if expected.size else expected
    big = float(np.max(finite)) if finite.size else 0.0
    return eps, eps * max(1.0, big if scale is None else scale)


def compare(got: np.ndarray, expected: np.ndarray, what: str, scale: float | None = None) -> str | None:
    """None when close; otherwise a description with expected vs got and the worst element.

    Tolerances come from the reference only: `expected` is the reference's answer, or, when it is
    derived from the student's own output (a metamorphic property), `scale` is the magnitude of the
    reference's answer. A non-finite value fails wherever it appears: the cases drawn never need one."""
    rtol, atol = tolerance(np.asarray(expected), scale)
    got64, exp64 = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    for values, whose in ((got64, what), (exp64, f"the {what} it is compared with")):
        if values.size and not np.all(np.isfinite(values)):
            bad = int(np.count_nonzero(~np.isfinite(values)))
            return (f"{whose} has {bad} non-finite value{'s' if bad > 1 else ''} (inf or nan) where the correct "
                    f"values are finite: look for a division by zero, an overflow, or an uninitialised array.")
    with np.errstate(invalid="ignore"):
        err = np.abs(got64 - exp64)
        bad = ~(err <= atol + rtol * np.abs(exp64))
    if not bad.any():
        return None
    err = np.where(np.isnan(err), np.inf, err)
    worst = np.unravel_index(int(np.argmax(np.where(bad, err, -1))), exp64.shape) if exp64.ndim else ()
    index = ", ".join(str(int(i)) for i in worst)
    lines = [f"{what} is wrong at {int(bad.sum())} of {bad.size} elements."]
    if exp64.size <= 48:
        lines += [f"expected {what} =", indent(show_array(exp64), 4), f"got {what} =", indent(show_array(got64), 4)]
    lines.append(f"worst element {what}[{index}]: expected {exp64[worst]:.6g}, got {got64[worst]:.6g} "
                 f"(error {err[worst]:.3g})")
    return "\n".join(lines)


def expect_close(got, expected: np.ndarray, what: str, *, dtype=None, hint: str = "", shape_hint: str = "",
                 scale: float | None = None):
    got = require_array(got, what, expected.shape, dtype=dtype, hint=shape_hint)
    problem = compare(got, expected, what, scale)
    if problem:
        raise CheckFailed(problem + (f"\nHint: {hint}" if hint else ""))


def expect_equal(got, expected, what: str, hint: str = ""):
    """Exact comparison for ints, tuples of ints and integer arrays."""
    if isinstance(expected, np.ndarray):
        got = require_array(got, what, expected.shape, kinds="iu")
        same = np.array_equal(got, expected)
    else:
        got_plain = to_plain(got)
        same = got_plain == expected and type(got_plain) is type(expected)
    if not same:
        shown = show_array(got) if isinstance(got, np.ndarray) else describe_value(got) if not isinstance(
            got, (int, tuple)) or isinstance(got, bool) else repr(got)
        expected_shown = show_array(expected) if isinstance(expected, np.ndarray) else repr(expected)
        raise CheckFailed(f"{what}: expected {expected_shown}, got {shown}." + (f"\nHint: {hint}" if hint else ""))


def to_plain(value):
    """Python ints for numpy integers, tuples for lists: what a caller may compare with ==."""
    if isinstance(value, (np.integer,)) and not isinstance(value, np.bool_):
        return int(value)
    if isinstance(value, (list, tuple)):
        return tuple(to_plain(v) for v in value)
    return value


def expect_raises(ctx, case: Case, kinds=("ValueError",), why: str = ""):
    result = ctx.call_raw(case)
    if result.ok:
        raise CheckFailed(f"expected {' or '.join(kinds)} ({why}), but the call returned "
                          f"{describe_value(result.value)}.")
    mro = result.error.get("mro", [result.error.get("type")])
    if not any(k in mro for k in kinds):
        raise CheckFailed(f"expected {' or '.join(kinds)} ({why}), but it raised "
                          f"{result.error.get('type')}: {result.error.get('message')}")


def random_like(rng: np.random.Generator, shape, dtype=np.float64) -> np.ndarray:
    return rng.standard_normal(shape).astype(dtype)
