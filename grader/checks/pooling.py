"""Checks of max_pool_forward, max_pool_backward and max_pool_indices, and the rules all pooling checks share."""

import numpy as np

from .. import corners, strategies as gen
from ..answers import NotRecorded
from .base import (N_, Case, CheckFailed, _, check, compare, expect_close, expect_raises, hint_line, indent,
                   require_array, show_array)
from .common import expect_pure, gradient_note, inner, rejects

SIZE_HINT = N_("H_out = (H - kh) // sh + 1 and W_out = (W - kw) // sw + 1, each axis with its own kernel size and "
               "stride, rounded down (a window that does not fit is dropped); stride=None means stride = kernel_size.")
MAX_HINT = N_("out[n, c, i, j] is the maximum of the window x[n, c, i*sh : i*sh + kh, j*sw : j*sw + kw] "
              "(stride=None means stride = kernel_size).")
SHIFT_HINT = N_("take the maximum of the window's own values only (np.max, or a running maximum that starts at the "
                "window's first element or at -inf): a fixed start such as -100000, or padded zeros, beats inputs "
                "below it.")
INDEX_HINT = N_("the index is flat into the whole H*W plane: (i*sh + a) * W + (j*sw + b), where (a, b) is the "
                "maximum's place inside window (i, j) and W is the width of x.")
INDEX_TIE_HINT = N_("on ties keep the first maximum in row-major window order: np.argmax of the flattened window "
                    "does that, and so does a loop that replaces the best only on a strictly greater value (>).")
MAX_DX_HINT = N_("each window sends dout[n, c, i, j] to the one element that is its maximum: dx[n, c, r, s] += "
                 "dout[n, c, i, j] (+=, not =: windows overlap when stride < kernel_size and may share a maximum); "
                 "window (i, j) starts at row i*sh, column j*sw.")
MAX_TIE_HINT = N_("on ties (a window holding its maximum more than once) only the first maximum in row-major order "
                  "(the one max_pool_indices gives) gets the gradient; a mask x == max sends it to all of them.")
SHIFT = 1e6  # the statement of max_pool_forward_is_shift_equivariant writes it as 1e+06


def pool_case(case, x=None):
    """The (x, kernel_size, stride) of a pooling case (or of its backward case), with another x if given."""
    return Case({"x": case.args["x"] if x is None else x, "kernel_size": case.args["kernel_size"]}, case.kwargs)


def geometry(case):
    kernel, stride = case.args["kernel_size"], case.kwargs["stride"]
    return gen.as_pair(kernel), gen.as_pair(kernel if stride is None else stride)


def mismatch(got, expected, what, source, scale=None):
    """compare(), with the expected values named by where they come from."""
    problem = compare(got, expected, what, scale)
    return problem and problem.replace(_("expected {what} =").format(what=what),
                                       _("expected ({source}) =").format(source=source))


def direction(x):
    """A fixed random direction shaped like x, scaled to max |v| = 1."""
    v = np.random.default_rng(x.size).standard_normal(x.shape)
    return v / np.abs(v).max()


# ------------------------------------------------------------------------------------------ shared rules
def expect_float32_pure(ctx, case, validate):
    """float32 stays float32 (or indices are int64), the shape is right, and no argument changes."""
    case32 = case.with_args(**{k: v.astype(np.float32) for k, v in case.args.items() if isinstance(v, np.ndarray)})
    expect_pure(ctx, case32, lambda got: validate(got, case32))


WINDOW_FITS, STRIDE_RULE, DOUT_RULE = "the window does not fit x", "a stride is < 1", "dout's shape is not"
BAD_WINDOW_ARGS = {
    N_("the window is one row taller than x"): (WINDOW_FITS, lambda c: c.with_args(
        kernel_size=(c.args["x"].shape[2] + 1, gen.as_pair(c.args["kernel_size"])[1]))),
    N_("the window is one column wider than x"): (WINDOW_FITS, lambda c: c.with_args(
        kernel_size=(gen.as_pair(c.args["kernel_size"])[0], c.args["x"].shape[3] + 1))),
    N_("stride is 0"): (STRIDE_RULE, lambda c: c.with_args(stride=0)),
    N_("the column stride is negative"): (STRIDE_RULE, lambda c: c.with_args(stride=(1, -1))),
}
BAD_BACKWARD_ARGS = {**BAD_WINDOW_ARGS, N_("dout has one row too many"): (DOUT_RULE, lambda c: c.with_args(
    dout=np.concatenate([c.args["dout"], c.args["dout"][:, :, :1]], axis=2)))}


def bad_windows():
    """@check keywords of a forward's errors check: a window that does not fit, a stride < 1."""
    return {"name": BAD_WINDOWS, "kind": "errors",
            "statement": N_("A window larger than x or a stride < 1 raises ValueError."),
            "hint": N_("validate once, at the entry: raise ValueError when the window does not fit x or a stride is < 1."),
            **rejects(gen.pool_cases(), corners.pools("tall")[0], BAD_WINDOW_ARGS)}


def bad_backward_windows():
    """The same for a backward, and a dout of the wrong shape."""
    return {"name": BAD_WINDOWS, "kind": "errors",
            "statement": N_("A window larger than x or a stride < 1 raises ValueError, and so does a dout whose shape "
                            "is not the output's."),
            "hint": N_("validate once, at the entry: raise ValueError when the window does not fit x or a stride is "
                       "< 1, or when dout's shape is not (N, C, H_out, W_out)."),
            **rejects(gen.pool_backward_cases(), corners.pool_backwards("tall")[0], BAD_BACKWARD_ARGS)}


BAD_WINDOWS = N_("rejects windows that do not fit and strides < 1")
KEEPS_FLOAT32 = N_("keeps float32 and leaves its inputs unchanged")


def validate_output(got, case):
    require_array(got, "out", gen.pool_output_shape(case.args["x"].shape, *geometry(case)), dtype=np.float32,
                  hint=SIZE_HINT)


def validate_dx(got, case):
    require_array(got, "dx", case.args["x"].shape, dtype=np.float32)


def finite_difference(ctx, case, forward, backward, h, hint_for):
    """Central differences of L(x) = <forward(x), dout> through the REFERENCE forward, along a direction."""
    dout, x = case.args["dout"], case.args["x"]
    dx = require_array(ctx.call(case), "dx", x.shape, hint=N_("dx has the shape of x."))
    v = direction(x)
    loss = lambda z: inner(ctx.reference(pool_case(case, z), forward), dout)  # noqa: E731
    numeric = (loss(x + h * v) - loss(x - h * v)) / (2 * h)
    analytic = inner(dx, v)
    if not np.isclose(numeric, analytic, rtol=1e-5, atol=1e-6 * (1 + float(np.abs(dout).sum()))):
        expected = ctx.reference(case, backward)
        raise CheckFailed(_("finite differences give {numeric} along v, but {inner} = {analytic}.").format(
            numeric=f"{numeric:.6g}", inner="<dx, v>", analytic=f"{analytic:.6g}")
            + "\n" + gradient_note(dx, expected, "dx") + hint_line(hint_for(dx, expected)))


# ------------------------------------------------------------------------------------------ max_pool_forward
# Corners (grader/corners.py) by mutant family: window start "overlap" and "gaps"; output size (round(), a
# width from the pool height) "gaps" and "default stride"; initial maximum (-100000, 0) "gaps", "tall" and
# "smallest"; stride (None as 1) "default stride"; large-input code paths "gaps"; validation every
# corruption of "tall".
@check("max_pool_forward", name=N_("matches the reference"), points=1, kind="value",
       statement=N_("max_pool_forward(x, kernel_size, stride) equals the maximum of every window, for overlapping windows, "
                    "gaps, remainders, non-square kernels and stride=None."),
       strategy=gen.pool_cases(),
       corners=corners.pools("smallest", "overlap", "gaps", "tall", "default stride"),
       hint=MAX_HINT)
def max_pool_forward_matches_the_reference(ctx, case):
    expected = ctx.reference(case)
    got = require_array(ctx.call(case), "out", expected.shape, hint=SIZE_HINT)
    foreign = ~np.isin(got, case.args["x"]) & (got != expected)  # a wrong value that is no element of x
    expect_close(got, expected, "out", hint=SHIFT_HINT if foreign.any() else MAX_HINT)


@check("max_pool_forward", name=N_("shifting the input shifts the output"), points=1, kind="property",
       statement=N_("max_pool(x - c) equals max_pool(x) - c for c = 1e+06: inputs far below zero pool as well as any."),
       strategy=gen.pool_cases(),
       corners=corners.pools("overlap", "gaps"),
       hint=SHIFT_HINT)
def max_pool_forward_is_shift_equivariant(ctx, case):
    x = case.args["x"].astype(np.float64)  # float32 would round x - c
    shape = gen.pool_output_shape(x.shape, *geometry(case))
    base = require_array(ctx.call(case.with_args(x=x)), "max_pool(x)", shape, hint=SIZE_HINT)
    shifted = require_array(ctx.call(case.with_args(x=x - SHIFT)), "max_pool(x - c)", shape, hint=SIZE_HINT)
    scale = float(np.abs(ctx.reference(case.with_args(x=x))).max())
    problem = mismatch(shifted + SHIFT, base, "max_pool(x - c) + c", "max_pool(x)", scale=scale)
    if problem:
        raise CheckFailed(problem + hint_line(SHIFT_HINT))


@check("max_pool_forward", name=KEEPS_FLOAT32, points=0.5, kind="contract",
       statement=N_("float32 x gives a float32 output of shape (N, C, H_out, W_out), and x is not modified."),
       strategy=gen.pool_cases(),
       corners=corners.pools("tall"),
       documented=("float32 x gives a float32 out", "x is not modified"))
def max_pool_forward_keeps_float32_and_inputs(ctx, case):
    expect_float32_pure(ctx, case, validate_output)


@check("max_pool_forward", points=0.5, **bad_windows())
def max_pool_forward_rejects_bad_windows(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ max_pool_backward
# Corners by family: accumulation (a maximum shared by overlapping windows) "overlap"; ties constant and
# two-level values; window start "overlap" and "gaps"; return every one; dtype "tall"; validation every
# corruption of "tall" (a dout with one row too many).
def tied_elsewhere(ctx, case):
    """Elements equal to the maximum of a window they lie in, yet the first maximum of no window."""
    x = case.args["x"]
    (kh, kw), (sh, sw) = geometry(case)
    out = ctx.reference(pool_case(case), "max_pool_forward")
    H_out, W_out = out.shape[2:]
    maxima = np.zeros(x.shape, dtype=bool)
    for a in range(kh):
        for b in range(kw):
            rows, cols = slice(a, a + sh * (H_out - 1) + 1, sh), slice(b, b + sw * (W_out - 1) + 1, sw)
            maxima[:, :, rows, cols] |= x[:, :, rows, cols] == out
    N, C, H, W = x.shape
    first = np.zeros((N * C, H * W), dtype=bool)
    idx = ctx.reference(pool_case(case), "max_pool_indices")
    np.put_along_axis(first, idx.reshape(N * C, -1), True, axis=1)
    return maxima & ~first.reshape(x.shape)


def max_dx_hint(ctx, case):
    """The hint for a wrong max-pool dx: the tie rule when gradient reached a later tied maximum, else +=
    (also when the recorded answers of a local preview cannot tell)."""
    def hint(got, expected):
        extra = (got != 0) & (expected == 0)
        try:
            if np.any(extra & tied_elsewhere(ctx, case)):
                return MAX_TIE_HINT
        except NotRecorded:
            pass
        return MAX_DX_HINT
    return hint


def expect_max_dx(ctx, got, case):
    expected = ctx.reference(case)
    got = require_array(got, "dx", expected.shape, hint=N_("dx has the shape of x."))
    expect_close(got, expected, "dx", hint=max_dx_hint(ctx, case)(got, expected))


@check("max_pool_backward", name=N_("matches the reference"), points=1, kind="value",
       statement=N_("dx equals the gradient of sum(max_pool(x) * dout) with respect to x."),
       strategy=gen.pool_backward_cases(),
       corners=corners.pool_backwards("smallest", "overlap", "gaps", "tall", "default stride"),
       hint=MAX_DX_HINT)
def max_pool_backward_matches_the_reference(ctx, case):
    expect_max_dx(ctx, ctx.call(case), case)


@check("max_pool_backward", name=N_("on ties the first maximum gets the gradient"), points=1.5, kind="property",
       statement=N_("When a window holds its maximum more than once (constant or repeated values), its whole dout goes to "
                    "the first maximum in row-major order and nothing to the others."),
       strategy=gen.pool_backward_cases(values="tied"),
       corners=corners.pool_backwards("overlap", "tall", "default stride", values="tied"),
       hint=MAX_TIE_HINT)
def max_pool_backward_breaks_ties_first(ctx, case):
    expect_max_dx(ctx, ctx.call(case), case)


@check("max_pool_backward", name=N_("passes a finite-difference check"), points=0.5, kind="gradient",
       statement=N_("For x without ties, along a random direction v, (L(x + h v) - L(x - h v)) / 2h equals <dx, v>, "
                    "L(x) = sum(max_pool(x) * dout)."),
       strategy=gen.pool_backward_cases(values="distinct"),
       corners=corners.pool_backwards("overlap", "gaps", values="distinct"),
       hint=MAX_DX_HINT)
def max_pool_backward_passes_a_finite_difference_check(ctx, case):
    values = np.unique(case.args["x"])  # distinct, so a step of a tenth of the smallest gap moves no maximum
    h = 0.1 * (float(np.diff(values).min()) if values.size > 1 else 1.0)
    finite_difference(ctx, case, "max_pool_forward", "max_pool_backward", h, max_dx_hint(ctx, case))


@check("max_pool_backward", name=N_("passes on the whole gradient of each window"), points=1, kind="property",
       statement=N_("With overlapping windows, each window's dout reaches dx exactly once: dx[n, c].sum() == dout[n, c].sum()."),
       strategy=gen.pool_backward_cases(overlapping=True),
       corners=corners.pool_backwards("overlap", "tall"),
       hint=MAX_DX_HINT)
def max_pool_backward_passes_on_the_whole_gradient(ctx, case):
    dout, x = case.args["dout"], case.args["x"]
    dx = require_array(ctx.call(case), "dx", x.shape, hint=N_("dx has the shape of x."))
    sums = np.asarray(dx, dtype=np.float64).sum(axis=(2, 3))
    problem = mismatch(sums, dout.sum(axis=(2, 3)), "dx.sum(axis=(2, 3))", "dout.sum(axis=(2, 3))",
                       scale=float(np.abs(dout).sum()))
    if problem:
        expected = ctx.reference(case)
        raise CheckFailed(problem + hint_line(max_dx_hint(ctx, case)(dx, expected)))


@check("max_pool_backward", name=KEEPS_FLOAT32, points=0.5, kind="contract",
       statement=N_("float32 dout and x give a float32 dx shaped like x, and dout and x are not modified."),
       strategy=gen.pool_backward_cases(),
       corners=corners.pool_backwards("tall"),
       documented=("float32 dout and x give a float32 dx", "dout and x are not modified"))
def max_pool_backward_keeps_float32_and_inputs(ctx, case):
    expect_float32_pure(ctx, case, validate_dx)


@check("max_pool_backward", points=0.5, **bad_backward_windows())
def max_pool_backward_rejects_bad_windows(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ max_pool_indices
# Corners by family: flat index (row stride from H, index inside the window) "tall" (H != W); ties constant
# and two-level values; window start "overlap" and "gaps"; initial maximum (a best from 0) "tall" and
# "smallest"; dtype (int32) "tall".
def expect_indices(ctx, got, case):
    """Exact agreement, explained on the first wrong window (with the tie rule when it is one)."""
    x = case.args["x"]
    expected = ctx.reference(case)
    got = require_array(got, "indices", expected.shape, kinds="iu", hint=SIZE_HINT)
    bad = np.argwhere(got != expected)
    if bad.size:
        n, c, i, j = (int(k) for k in bad[0])
        (kh, kw), (sh, sw) = geometry(case)
        H, W = x.shape[2:]
        e, g = int(expected[n, c, i, j]), int(got[n, c, i, j])
        window = x[n, c, i * sh:i * sh + kh, j * sw:j * sw + kw]
        inside = 0 <= g < H * W and i * sh <= g // W < i * sh + kh and j * sw <= g % W < j * sw + kw
        tie = inside and x[n, c, g // W, g % W] == window.max()
        where = (_("row {row}, column {column}").format(row=g // W, column=g % W) if 0 <= g < H * W
                 else _("outside the H*W plane"))
        raise CheckFailed(
            _("indices is wrong at {bad} of {size} windows. Window (i={i}, j={j}) of {plane} starts at row {row}, "
              "column {column} and holds").format(bad=len(bad), size=got.size, i=i, j=j, plane=f"x[{n}, {c}]",
                                                  row=i * sh, column=j * sw)
            + f"\n{indent(show_array(window), 4)}\n"
            + (_("expected index {e} (row {row}, column {column}), got {g} ({where}), another element equal to the "
                 "maximum.") if tie else _("expected index {e} (row {row}, column {column}), got {g} ({where}).")
               ).format(e=e, row=e // W, column=e % W, g=g, where=where)
            + hint_line(INDEX_TIE_HINT if tie else SHIFT_HINT if inside and window.max() < 0 else INDEX_HINT))


@check("max_pool_indices", name=N_("matches the reference"), points=1.5, kind="value",
       statement=N_("max_pool_indices(x, kernel_size, stride) gives the flat H*W index of every window's maximum."),
       strategy=gen.pool_cases(),
       corners=corners.pools("smallest", "overlap", "gaps", "tall", "default stride"),
       hint=INDEX_HINT)
def max_pool_indices_matches_the_reference(ctx, case):
    expect_indices(ctx, ctx.call(case), case)


@check("max_pool_indices", name=N_("on ties the first maximum wins"), points=1, kind="property",
       statement=N_("When a window holds its maximum more than once (constant or repeated values), the index is that of "
                    "the first maximum in row-major window order."),
       strategy=gen.pool_cases(values="tied"),
       corners=corners.pools("overlap", "tall", "default stride", values="tied"),
       hint=INDEX_TIE_HINT)
def max_pool_indices_breaks_ties_first(ctx, case):
    expect_indices(ctx, ctx.call(case), case)


@check("max_pool_indices", name=N_("points at the maximum inside its window"), points=0.5, kind="property",
       statement=N_("x[n, c, idx // W, idx % W] lies inside window (i, j) and equals its maximum, idx = indices[n, c, i, j]."),
       strategy=gen.pool_cases(),
       corners=corners.pools("gaps", "tall"),
       hint=INDEX_HINT)
def max_pool_indices_points_inside_its_window(ctx, case):
    x = case.args["x"]
    N, C, H, W = x.shape
    (kh, kw), (sh, sw) = geometry(case)
    idx = require_array(ctx.call(case), "indices", gen.pool_output_shape(x.shape, *geometry(case)), kinds="iu",
                        hint=SIZE_HINT)
    i, j = np.indices(idx.shape[2:])
    rows, cols = idx // W - i * sh, idx % W - j * sw
    outside = (idx < 0) | (idx >= H * W) | (rows < 0) | (rows >= kh) | (cols < 0) | (cols >= kw)
    if outside.any():
        n, c, a, b = (int(k) for k in np.argwhere(outside)[0])
        g = int(idx[n, c, a, b])
        raise CheckFailed(_("{element} = {g} is row {row}, column {column} of x (W = {W}), outside window {window}, "
                            "which covers rows {rows} and columns {columns}.").format(
            element=f"indices[{n}, {c}, {a}, {b}]", g=g, row=g // W, column=g % W, W=W, window=(a, b),
            rows=f"{a * sh}..{a * sh + kh - 1}", columns=f"{b * sw}..{b * sw + kw - 1}") + hint_line(INDEX_HINT))
    picked = np.take_along_axis(x.reshape(N, C, -1), idx.reshape(N, C, -1), axis=2).reshape(idx.shape)
    problem = mismatch(picked, ctx.reference(case, "max_pool_forward"),
                       _("x at indices"), _("the window maxima"))
    if problem:
        raise CheckFailed(problem + hint_line(MAX_HINT))


def validate_indices(got, case):
    shape = gen.pool_output_shape(case.args["x"].shape, *geometry(case))
    require_array(got, "indices", shape, kinds="iu", hint=SIZE_HINT)
    if got.dtype != np.int64:
        raise CheckFailed(_("indices should have dtype int64 (like PyTorch's), but it is {dtype}: use "
                            ".astype(np.int64).").format(dtype=got.dtype))


@check("max_pool_indices", name=KEEPS_FLOAT32, points=0.5, kind="contract",
       statement=N_("indices is an int64 array of shape (N, C, H_out, W_out), also for float32 x, and x is not modified."),
       strategy=gen.pool_cases(),
       corners=corners.pools("tall"),
       documented=("int64, also for float32 x", "x is not modified"))
def max_pool_indices_keeps_float32_and_inputs(ctx, case):
    expect_float32_pure(ctx, case, validate_indices)


@check("max_pool_indices", points=0.5, **bad_windows())
def max_pool_indices_rejects_bad_windows(ctx, case):
    expect_raises(ctx, case, why=case.note)
