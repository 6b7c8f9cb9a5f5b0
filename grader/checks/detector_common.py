"""Check helpers of the detector exercises: returned tuples and losses, purity of dict arguments, gradients."""

import numpy as np

from .base import Case, CheckFailed, StudentRaised, _, describe_value, hint_line, require_array
from .common import gradient_note, inner

PARAM_KEYS = ("w", "b", "w_fc", "b_fc")


def direction(x, salt: int = 0) -> np.ndarray:
    """A fixed random direction shaped like x, scaled to max |v| = 1."""
    v = np.random.default_rng(x.size + salt).standard_normal(x.shape)
    return v / np.abs(v).max()


def pair_of(got, function: str, names: tuple) -> tuple:
    """The tuple `function` returned, checked to hold len(names) values."""
    if not isinstance(got, tuple) or len(got) != len(names):
        message = (_("{function} should return a tuple ({names}), but it returned {value} of length {length}.")
                   if isinstance(got, (tuple, list)) else
                   _("{function} should return a tuple ({names}), but it returned {value}."))
        raise CheckFailed(message.format(function=function, names=", ".join(names), value=describe_value(got),
                                         length=len(got) if isinstance(got, (tuple, list)) else 0))
    return got


def scalar_loss(value, what: str = "loss") -> float:
    """A loss as a float: a Python float, a NumPy floating scalar or a 0-D floating array, finite."""
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind == "f":
        value = value[()]
    if not isinstance(value, (float, np.floating)):
        raise CheckFailed(_("{what} should be a float (for example float(loss)), but it is {value}.").format(
            what=what, value=describe_value(value)))
    if not np.isfinite(value):
        raise CheckFailed(_("{what} is {value}, not a finite number: look for an overflow in exp or a log of 0.").format(
            what=what, value=value))
    return float(value)


def params_of(got, like: dict, what: str = "grads", dtype=None) -> dict:
    """A dict with an array for every parameter key, each shaped like `like[key]`."""
    if not isinstance(got, dict):
        raise CheckFailed(_("{what} should be a dict with the keys {keys}, but it is {value}.").format(
            what=what, keys=PARAM_KEYS, value=describe_value(got)))
    missing = [k for k in PARAM_KEYS if k not in got]
    if missing:
        raise CheckFailed(_("{what} has no key {key} (it has {keys}): give an array for every parameter "
                            "{params}.").format(what=what, key=repr(missing[0]), keys=sorted(got), params=PARAM_KEYS))
    return {k: require_array(got[k], f"{what}[{k!r}]", like[k].shape, dtype=dtype) for k in PARAM_KEYS}


# ------------------------------------------------------------------------------------------ purity, float32
def as_float32(value):
    """Floating arrays (also inside dicts) as float32; everything else as it is."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value.astype(np.float32)
    if isinstance(value, dict):
        return {k: as_float32(v) for k, v in value.items()}
    return value


def changed(name: str, before, after) -> str | None:
    """The name of the first array of `before` (an array, or a dict of them) that `after` does not equal."""
    if isinstance(before, dict):
        if not isinstance(after, dict):
            return name
        return next((where for k, v in before.items()
                     if (where := changed(f"{name}[{k!r}]", v, after.get(k))) is not None), None)
    if isinstance(before, np.ndarray) and (not isinstance(after, np.ndarray) or after.shape != before.shape
                                           or not np.array_equal(after, before, equal_nan=True)):
        return name
    return None


def expect_float32_pure(ctx, case: Case, validate):
    """Call with float32 arguments; `validate(value, case32)` checks what came back; no argument may change."""
    case32 = Case({k: as_float32(v) for k, v in case.args.items()}, dict(case.kwargs), case.note)
    result = ctx.call_raw(case32, return_args=True)
    if not result.ok:
        raise StudentRaised(result.error)
    validate(result.value, case32)
    for (name, before), after in zip(case32.args.items(), result.args_after):
        where = changed(name, before, after)
        if where:
            raise CheckFailed(_("the call modified its argument {where}. Functions must be pure: compute new arrays "
                                "(params[key] - lr * grads[key], np.maximum(x, 0), ...) instead of writing into "
                                "{where}.").format(where=where))


# ------------------------------------------------------------------------------------------ gradients
def finite_difference(ctx, case: Case, arg: str, loss, extract, *, step: float, hint: str):
    """Along a fixed direction v shaped like `arg`, (loss(arg + h v) - loss(arg - h v)) / 2h must equal
    <d arg, v>, with d arg = extract(what the student returned). `loss(x)` asks the reference (ctx.reference)."""
    x = case.args[arg].astype(np.float64)
    what = f"d{arg}"
    grad = require_array(extract(ctx.call(case)), what, x.shape,
                         hint=_("{what} has the shape of {arg}.").format(what=what, arg=arg))
    v = direction(x)
    numeric = (loss(x + step * v) - loss(x - step * v)) / (2 * step)
    analytic = inner(grad, v)
    if not np.isclose(numeric, analytic, rtol=1e-4, atol=1e-6 * (1 + abs(numeric))):
        expected = extract(ctx.reference(case))
        raise CheckFailed(_("finite differences give {numeric} along v, but {inner} = {analytic}.").format(
            numeric=f"{numeric:.6g}", inner=f"<{what}, v>", analytic=f"{analytic:.6g}")
            + "\n" + gradient_note(grad, expected, what) + hint_line(hint))
