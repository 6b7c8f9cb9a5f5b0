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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..cases import Case, indent, show_array, squeeze_leading  # noqa: F401  (re-exported for checks)
from ..corners import DeferredCorners
from ..hints import has_hint, hint_line  # noqa: F401  (re-exported for checks)
from ..i18n import N_, _, ngettext  # noqa: F401  (re-exported for checks)
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
    statement: str  # the property in one sentence, shown as the check's description (marked with N_())
    strategy: object  # the hypothesis strategy that draws its cases
    prop: Callable  # prop(ctx, case): raises CheckFailed (or lets StudentRaised through) when it fails
    hint: str = ""  # shown after the feedback of a failure (marked with N_())
    max_examples: int | None = None  # overrides --examples for this check
    corners: Sequence = ()  # explicit cases run first at every seed: the corners that show each bug family
    documented: tuple = ()  # phrases of the function's docstring that ask for what this check grades
    timeout: float | None = None  # seconds one call may take in this check, when more than --timeout (training)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"'kind' must be one of {KINDS} (got {self.kind!r})")


REGISTRY: list[Check] = []


def check(function: str, *, name: str, points: float, kind: str, statement: str, strategy, hint: str = "",
          max_examples: int | None = None, corners=(), documented=(), timeout: float | None = None):
    """Register the decorated `prop(ctx, case)` as a check of `function` worth `points`.

    `corners` are the cases run first at every seed (grader/corners.py), or DeferredCorners; `documented` the phrases of the
    function's docstring that state the requirement (every errors and contract check has them); `timeout`
    the seconds one call may take in this check when that is more than --timeout (training)."""

    def register(prop):
        REGISTRY.append(Check(function, name, points, kind, statement, strategy, prop, hint, max_examples,
                              corners if isinstance(corners, DeferredCorners) else tuple(corners),
                              tuple(documented), timeout))
        return prop

    return register


# ------------------------------------------------------------------------------------------ values
def describe_value(value) -> str:
    if isinstance(value, np.ndarray):
        return _("an ndarray of shape {shape} and dtype {dtype}").format(shape=value.shape, dtype=value.dtype)
    if isinstance(value, ForeignObject):
        return _("a {type} object").format(type=value.type_name)
    if value is None:
        return _("None (did you forget to return?)")
    return _("a {type} ({value})").format(type=type(value).__name__, value=f"{value!r:.60}")


def require_array(got, what: str, shape: tuple, *, dtype=None, kinds="f", hint: str = "") -> np.ndarray:
    """Check type, dtype kind and shape of a returned array before any comparison."""
    if not isinstance(got, np.ndarray):
        raise CheckFailed(_("{what} should be an ndarray of shape {shape}, but it is {value}.").format(
            what=what, shape=shape, value=describe_value(got)))
    if got.dtype.kind not in kinds:
        wanted = _("{what} should have a floating dtype, but it has dtype {dtype}.") if kinds == "f" else _(
            "{what} should have an integer dtype, but it has dtype {dtype}.")
        raise CheckFailed(wanted.format(what=what, dtype=got.dtype))
    if got.shape != tuple(shape):
        raise CheckFailed(_("{what} should have shape {shape}, but it has shape {got}.").format(
            what=what, shape=tuple(shape), got=got.shape) + hint_line(hint))
    if dtype is not None and got.dtype != dtype:
        raise CheckFailed(_("{what} should keep the input's dtype {dtype}, but it is {got}.").format(
            what=what, dtype=np.dtype(dtype), got=got.dtype))
    return got


def tolerance(expected: np.ndarray, scale: float | None = None):
    """Tolerances that accept any summation order (float64 relative error ~1e-7 is normal), from the
    magnitude of the reference's answer (`scale`, or `expected` itself when it is the reference's)."""
    eps = 1e-3 if expected.dtype == np.float32 else 1e-6
    finite = np.abs(expected[np.isfinite(expected)]) if expected.size else expected
    big = float(np.max(finite)) if finite.size else 0.0
    return eps, eps * max(1.0, big if scale is None else scale)


def compare(got: np.ndarray, expected: np.ndarray, what: str, scale: float | None = None,
            source: str = "") -> str | None:
    """None when close; otherwise a description with expected vs got and the worst element.

    Tolerances come from the reference only: `expected` is the reference's answer, or, when it is
    derived from the student's own output (a metamorphic property), `scale` is the magnitude of the
    reference's answer, and `source` names what gives the expected values ("2*conv(x1) + conv(x2)").
    A non-finite value fails wherever it appears: the cases drawn never need one."""
    rtol, atol = tolerance(np.asarray(expected), scale)
    got64, exp64 = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    for values, whose in ((got64, what), (exp64, _("the {what} it is compared with").format(what=what))):
        if values.size and not np.all(np.isfinite(values)):
            bad = int(np.count_nonzero(~np.isfinite(values)))
            return ngettext("{whose} has {bad} non-finite value (inf or nan) where the correct values are finite: "
                            "look for a division by zero, an overflow, or an uninitialised array.",
                            "{whose} has {bad} non-finite values (inf or nan) where the correct values are finite: "
                            "look for a division by zero, an overflow, or an uninitialised array.",
                            bad).format(whose=whose, bad=bad)
    with np.errstate(invalid="ignore"):
        err = np.abs(got64 - exp64)
        bad = ~(err <= atol + rtol * np.abs(exp64))
    if not bad.any():
        return None
    err = np.where(np.isnan(err), np.inf, err)
    worst = np.unravel_index(int(np.argmax(np.where(bad, err, -1))), exp64.shape) if exp64.ndim else ()
    index = ", ".join(str(int(i)) for i in worst)
    lines = [_("{what} is wrong at {bad} of {size} elements.").format(what=what, bad=int(bad.sum()), size=bad.size)]
    if exp64.size <= 48:
        expected_line = (_("{source} gives {what} =").format(source=source, what=what) if source
                         else _("expected {what} =").format(what=what))
        lines += [expected_line, indent(show_array(exp64), 4), _("got {what} =").format(what=what),
                  indent(show_array(got64), 4)]
    worst_line = (_("worst element {what}[{index}]: {source} gives {expected}, got {got} (error {error})") if source
                  else _("worst element {what}[{index}]: expected {expected}, got {got} (error {error})"))
    lines.append(worst_line.format(what=what, index=index, source=source, expected=f"{exp64[worst]:.6g}",
                                   got=f"{got64[worst]:.6g}", error=f"{err[worst]:.3g}"))
    return "\n".join(lines)


def expect_close(got, expected: np.ndarray, what: str, *, dtype=None, hint: str = "", shape_hint: str = "",
                 scale: float | None = None):
    got = require_array(got, what, expected.shape, dtype=dtype, hint=shape_hint)
    problem = compare(got, expected, what, scale)
    if problem:
        raise CheckFailed(problem + hint_line(hint))


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
        raise CheckFailed(_("{what}: expected {expected}, got {got}.").format(what=what, expected=expected_shown,
                                                                             got=shown) + hint_line(hint))


def to_plain(value):
    """Python ints for numpy integers, tuples for lists: what a caller may compare with ==."""
    if isinstance(value, (np.integer,)) and not isinstance(value, np.bool_):
        return int(value)
    if isinstance(value, (list, tuple)):
        return tuple(to_plain(v) for v in value)
    return value


def expect_raises(ctx, case: Case, kinds=("ValueError",), why: str = ""):
    """The call raises one of `kinds`; `why` (marked with N_()) says what is wrong with the case."""
    result = ctx.call_raw(case)
    expected = _(" or ").join(kinds)
    if result.ok:
        raise CheckFailed(_("expected {expected} ({why}), but the call returned {value}.").format(
            expected=expected, why=_(str(why)), value=describe_value(result.value)))
    mro = result.error.get("mro", [result.error.get("type")])
    if not any(k in mro for k in kinds):
        raise CheckFailed(_("expected {expected} ({why}), but it raised {type}: {message}").format(
            expected=expected, why=_(str(why)), type=result.error.get("type"), message=result.error.get("message")))


def random_like(rng: np.random.Generator, shape, dtype=np.float64) -> np.ndarray:
    return rng.standard_normal(shape).astype(dtype)
