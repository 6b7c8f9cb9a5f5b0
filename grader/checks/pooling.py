"""Checks of max_pool_forward, max_pool_backward, max_pool_indices, avg_pool_forward and avg_pool_backward."""

import numpy as np

from .. import strategies as gen
from .base import CheckFailed, check, compare, expect_close, expect_raises, indent, require_array, show_array
from .common import corrupted, expect_pure, gradient_note, inner

SIZE_HINT = ("H_out = (H - kh) // sh + 1 and W_out = (W - kw) // sw + 1, each axis with its own kernel size and "
             "stride, rounded down (a window that does not fit is dropped); stride=None means stride = kernel_size.")
MAX_HINT = ("out[n, c, i, j] is the maximum of the window x[n, c, i*sh : i*sh + kh, j*sw : j*sw + kw] "
            "(stride=None means stride = kernel_size).")
SHIFT_HINT = ("take the maximum of the window's own values only (np.max, or a running maximum that starts at the "
              "window's first element or at -inf): a fixed start such as -100000, or padded zeros, beats inputs "
              "below it.")
INDEX_HINT = ("the index is flat into the whole H*W plane: (i*sh + a) * W + (j*sw + b), where (a, b) is the "
              "maximum's place inside window (i, j) and W is the width of x.")
INDEX_TIE_HINT = ("on ties keep the first maximum in row-major window order: np.argmax of the flattened window "
                  "does that, and so does a loop that replaces the best only on a strictly greater value (>).")
MAX_DX_HINT = ("each window sends dout[n, c, i, j] to the one element that is its maximum: dx[n, c, r, s] += "
               "dout[n, c, i, j] (+=, not =: windows overlap when stride < kernel_size and may share a maximum).")
MAX_TIE_HINT = ("on ties (a window holding its maximum more than once) only the first maximum in row-major order "
                "(the one max_pool_indices gives) gets the gradient; a mask x == max sends it to all of them.")
AVG_HINT = ("out[n, c, i, j] is the sum of the window x[n, c, i*sh : i*sh + kh, j*sw : j*sw + kw] divided by "
            "kh * kw (stride=None means stride = kernel_size).")
AVG_DX_HINT = ("every element of window (i, j) gets dout[n, c, i, j] / (kh * kw); add (+=) the shares, since "
               "windows overlap when stride < kernel_size.")
ERROR_HINT = "validate once, at the entry: raise ValueError when the window does not fit x or a stride is < 1"
SHIFT = 1e6


def reference(name):
    import solutions

    return getattr(solutions, name)


def geometry(case):
    kernel, stride = case.args["kernel_size"], case.kwargs["stride"]
    return gen.as_pair(kernel), gen.as_pair(kernel if stride is None else stride)


def mismatch(got, expected, what, source, scale=None):
    """compare(), with the expected values named by where they come from."""
    problem = compare(got, expected, what, scale)
    return problem and problem.replace(f"expected {what} =", f"expected ({source}) =")


def direction(x):
    """A fixed random direction shaped like x, scaled to max |v| = 1."""
    v = np.random.default_rng(x.size).standard_normal(x.shape)
    return v / np.abs(v).max()


# ------------------------------------------------------------------------------------------ shared rules
def expect_float32_pure(ctx, case, validate):
    """float32 stays float32 (or indices are int64), the shape is right, and no argument changes."""
    case32 = case.with_args(**{k: v.astype(np.float32) for k, v in case.args.items() if isinstance(v, np.ndarray)})
    expect_pure(ctx, case32, lambda got: validate(got, case32))


def bad_windows(strategy, backward=False):
    """Valid cases with one corruption: a window that does not fit, a stride < 1 (a dout of the wrong shape)."""
    corruptions = {
        "the window is one row taller than x": lambda c: c.with_args(
            kernel_size=(c.args["x"].shape[2] + 1, gen.as_pair(c.args["kernel_size"])[1])),
        "the window is one column wider than x": lambda c: c.with_args(
            kernel_size=(gen.as_pair(c.args["kernel_size"])[0], c.args["x"].shape[3] + 1)),
        "stride is 0": lambda c: c.with_args(stride=0),
        "the column stride is negative": lambda c: c.with_args(stride=(1, -1)),
    }
    if backward:
        corruptions["dout has one row too many"] = lambda c: c.with_args(
            dout=np.concatenate([c.args["dout"], c.args["dout"][:, :, :1]], axis=2))
    return corrupted(strategy, corruptions)


BAD_WINDOWS = "rejects windows that do not fit and strides < 1"
BAD_WINDOWS_STATEMENT = "A window larger than x or a stride < 1 raises ValueError."
BAD_WINDOWS_BACKWARD_STATEMENT = ("A window larger than x or a stride < 1 raises ValueError, and so does a dout "
                                  "whose shape is not the output's.")
BAD_WINDOWS_HINT = ERROR_HINT + "."
BAD_WINDOWS_BACKWARD_HINT = ERROR_HINT + ", or when dout's shape is not (N, C, H_out, W_out)."
KEEPS_FLOAT32 = "keeps float32 and leaves its inputs unchanged"


def validate_output(got, case):
    require_array(got, "out", gen.pool_output_shape(case.args["x"].shape, *geometry(case)), dtype=np.float32,
                  hint=SIZE_HINT)


def validate_dx(got, case):
    require_array(got, "dx", case.args["x"].shape, dtype=np.float32)


def finite_difference(ctx, case, forward, backward, h, hint_for):
    """Central differences of L(x) = <forward(x), dout> through the REFERENCE forward, along a direction."""
    dout, x = case.args["dout"], case.args["x"]
    dx = require_array(ctx.call(case), "dx", x.shape, hint="dx has the shape of x.")
    v, f = direction(x), reference(forward)
    loss = lambda z: inner(f(z, case.args["kernel_size"], **case.kwargs), dout)  # noqa: E731
    numeric = (loss(x + h * v) - loss(x - h * v)) / (2 * h)
    analytic = inner(dx, v)
    if not np.isclose(numeric, analytic, rtol=1e-5, atol=1e-6 * (1 + float(np.abs(dout).sum()))):
        expected = reference(backward)(*case.positional, **case.kwargs)
        raise CheckFailed(f"finite differences give {numeric:.6g} along v, but <dx, v> = {analytic:.6g}.\n"
                          + gradient_note(dx, expected, "dx") + f"\nHint: {hint_for(dx, expected)}")


# ------------------------------------------------------------------------------------------ max_pool_forward
@check("max_pool_forward", name="matches the reference", points=1, kind="value",
       statement="max_pool_forward(x, kernel_size, stride) equals the maximum of every window, for overlapping windows, "
                 "gaps, remainders, non-square kernels and stride=None.",
       strategy=gen.pool_cases(),
       hint=MAX_HINT)
def max_pool_forward_matches_the_reference(ctx, case):
    expected = ctx.reference(case)
    got = require_array(ctx.call(case), "out", expected.shape, hint=SIZE_HINT)
    foreign = ~np.isin(got, case.args["x"]) & (got != expected)  # a wrong value that is no element of x
    expect_close(got, expected, "out", hint=SHIFT_HINT if foreign.any() else MAX_HINT)


@check("max_pool_forward", name="shifting the input shifts the output", points=1, kind="property",
       statement=f"max_pool(x - c) equals max_pool(x) - c for c = {SHIFT:g}: inputs far below zero pool as well as any.",
       strategy=gen.pool_cases(),
       hint=SHIFT_HINT)
def max_pool_forward_is_shift_equivariant(ctx, case):
    x = case.args["x"].astype(np.float64)  # float32 would round x - c
    shape = gen.pool_output_shape(x.shape, *geometry(case))
    base = require_array(ctx.call(case.with_args(x=x)), "max_pool(x)", shape, hint=SIZE_HINT)
    shifted = require_array(ctx.call(case.with_args(x=x - SHIFT)), "max_pool(x - c)", shape, hint=SIZE_HINT)
    scale = float(np.abs(ctx.reference(case.with_args(x=x))).max())
    problem = mismatch(shifted + SHIFT, base, "max_pool(x - c) + c", "max_pool(x)", scale=scale)
    if problem:
        raise CheckFailed(problem + f"\nHint: {SHIFT_HINT}")


@check("max_pool_forward", name=KEEPS_FLOAT32, points=0.5, kind="contract",
       statement="float32 x gives a float32 output of shape (N, C, H_out, W_out), and x is not modified.",
       strategy=gen.pool_cases())
def max_pool_forward_keeps_float32_and_inputs(ctx, case):
    expect_float32_pure(ctx, case, validate_output)


@check("max_pool_forward", name=BAD_WINDOWS, points=0.5, kind="errors",
       statement=BAD_WINDOWS_STATEMENT,
       strategy=bad_windows(gen.pool_cases()),
       hint=BAD_WINDOWS_HINT)
def max_pool_forward_rejects_bad_windows(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ max_pool_backward
def tied_elsewhere(case):
    """Elements equal to the maximum of a window they lie in, yet the first maximum of no window."""
    x = case.args["x"]
    (kh, kw), (sh, sw) = geometry(case)
    out = reference("max_pool_forward")(x, case.args["kernel_size"], **case.kwargs)
    H_out, W_out = out.shape[2:]
    maxima = np.zeros(x.shape, dtype=bool)
    for a in range(kh):
        for b in range(kw):
            rows, cols = slice(a, a + sh * (H_out - 1) + 1, sh), slice(b, b + sw * (W_out - 1) + 1, sw)
            maxima[:, :, rows, cols] |= x[:, :, rows, cols] == out
    N, C, H, W = x.shape
    first = np.zeros((N * C, H * W), dtype=bool)
    idx = reference("max_pool_indices")(x, case.args["kernel_size"], **case.kwargs)
    np.put_along_axis(first, idx.reshape(N * C, -1), True, axis=1)
    return maxima & ~first.reshape(x.shape)


def max_dx_hint(case):
    """The hint for a wrong max-pool dx: the tie rule when gradient reached a later tied maximum, else +=."""
    def hint(got, expected):
        extra = (got != 0) & (expected == 0)
        if np.any(extra & tied_elsewhere(case)):
            return MAX_TIE_HINT
        return MAX_DX_HINT
    return hint


def expect_max_dx(got, case):
    expected = reference("max_pool_backward")(*case.positional, **case.kwargs)
    got = require_array(got, "dx", expected.shape, hint="dx has the shape of x.")
    expect_close(got, expected, "dx", hint=max_dx_hint(case)(got, expected))


@check("max_pool_backward", name="matches the reference", points=1, kind="value",
       statement="dx equals the gradient of sum(max_pool(x) * dout) with respect to x.",
       strategy=gen.pool_backward_cases(),
       hint=MAX_DX_HINT)
def max_pool_backward_matches_the_reference(ctx, case):
    expect_max_dx(ctx.call(case), case)


@check("max_pool_backward", name="on ties the first maximum gets the gradient", points=1.5, kind="property",
       statement="When a window holds its maximum more than once (constant or repeated values), its whole dout goes to "
                 "the first maximum in row-major order and nothing to the others.",
       strategy=gen.pool_backward_cases(values="tied"),
       hint=MAX_TIE_HINT)
def max_pool_backward_breaks_ties_first(ctx, case):
    expect_max_dx(ctx.call(case), case)


@check("max_pool_backward", name="passes a finite-difference check", points=0.5, kind="gradient",
       statement="For x without ties, along a random direction v, (L(x + h v) - L(x - h v)) / 2h equals <dx, v>, "
                 "L(x) = sum(max_pool(x) * dout).",
       strategy=gen.pool_backward_cases(values="distinct"),
       hint=MAX_DX_HINT)
def max_pool_backward_passes_a_finite_difference_check(ctx, case):
    values = np.unique(case.args["x"])  # distinct, so a step of a tenth of the smallest gap moves no maximum
    h = 0.1 * (float(np.diff(values).min()) if values.size > 1 else 1.0)
    finite_difference(ctx, case, "max_pool_forward", "max_pool_backward", h, max_dx_hint(case))


@check("max_pool_backward", name="passes on the whole gradient of each window", points=1, kind="property",
       statement="With overlapping windows, each window's dout reaches dx exactly once: dx[n, c].sum() == dout[n, c].sum().",
       strategy=gen.pool_backward_cases(overlapping=True),
       hint=MAX_DX_HINT)
def max_pool_backward_passes_on_the_whole_gradient(ctx, case):
    dout, x = case.args["dout"], case.args["x"]
    dx = require_array(ctx.call(case), "dx", x.shape, hint="dx has the shape of x.")
    sums = np.asarray(dx, dtype=np.float64).sum(axis=(2, 3))
    problem = mismatch(sums, dout.sum(axis=(2, 3)), "dx.sum(axis=(2, 3))", "dout.sum(axis=(2, 3))",
                       scale=float(np.abs(dout).sum()))
    if problem:
        expected = reference("max_pool_backward")(*case.positional, **case.kwargs)
        raise CheckFailed(problem + f"\nHint: {max_dx_hint(case)(dx, expected)}")


@check("max_pool_backward", name=KEEPS_FLOAT32, points=0.5, kind="contract",
       statement="float32 dout and x give a float32 dx shaped like x, and dout and x are not modified.",
       strategy=gen.pool_backward_cases())
def max_pool_backward_keeps_float32_and_inputs(ctx, case):
    expect_float32_pure(ctx, case, validate_dx)


@check("max_pool_backward", name=BAD_WINDOWS, points=0.5, kind="errors",
       statement=BAD_WINDOWS_BACKWARD_STATEMENT,
       strategy=bad_windows(gen.pool_backward_cases(), backward=True),
       hint=BAD_WINDOWS_BACKWARD_HINT)
def max_pool_backward_rejects_bad_windows(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ max_pool_indices
def expect_indices(got, case):
    """Exact agreement, explained on the first wrong window (with the tie rule when it is one)."""
    x = case.args["x"]
    expected = reference("max_pool_indices")(x, case.args["kernel_size"], **case.kwargs)
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
        where = f"row {g // W}, column {g % W}" if 0 <= g < H * W else "outside the H*W plane"
        raise CheckFailed(
            f"indices is wrong at {len(bad)} of {got.size} windows. Window (i={i}, j={j}) of x[{n}, {c}] starts "
            f"at row {i * sh}, column {j * sw} and holds\n{indent(show_array(window), 4)}\n"
            f"expected index {e} (row {e // W}, column {e % W}), got {g} ({where})"
            + (", another element equal to the maximum" if tie else "")
            + f".\nHint: {INDEX_TIE_HINT if tie else INDEX_HINT}")


@check("max_pool_indices", name="matches the reference", points=1.5, kind="value",
       statement="max_pool_indices(x, kernel_size, stride) gives the flat H*W index of every window's maximum.",
       strategy=gen.pool_cases(),
       hint=INDEX_HINT)
def max_pool_indices_matches_the_reference(ctx, case):
    expect_indices(ctx.call(case), case)


@check("max_pool_indices", name="on ties the first maximum wins", points=1, kind="property",
       statement="When a window holds its maximum more than once (constant or repeated values), the index is that of "
                 "the first maximum in row-major window order.",
       strategy=gen.pool_cases(values="tied"),
       hint=INDEX_TIE_HINT)
def max_pool_indices_breaks_ties_first(ctx, case):
    expect_indices(ctx.call(case), case)


@check("max_pool_indices", name="points at the maximum inside its window", points=0.5, kind="property",
       statement="x[n, c, idx // W, idx % W] lies inside window (i, j) and equals its maximum, idx = indices[n, c, i, j].",
       strategy=gen.pool_cases(),
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
        raise CheckFailed(f"indices[{n}, {c}, {a}, {b}] = {g} is row {g // W}, column {g % W} of x (W = {W}), "
                          f"outside window ({a}, {b}), which covers rows {a * sh}..{a * sh + kh - 1} and columns "
                          f"{b * sw}..{b * sw + kw - 1}.\nHint: {INDEX_HINT}")
    picked = np.take_along_axis(x.reshape(N, C, -1), idx.reshape(N, C, -1), axis=2).reshape(idx.shape)
    problem = mismatch(picked, reference("max_pool_forward")(x, case.args["kernel_size"], **case.kwargs),
                       "x at indices", "the window maxima")
    if problem:
        raise CheckFailed(problem + f"\nHint: {MAX_HINT}")


def validate_indices(got, case):
    shape = gen.pool_output_shape(case.args["x"].shape, *geometry(case))
    require_array(got, "indices", shape, kinds="iu", hint=SIZE_HINT)
    if got.dtype != np.int64:
        raise CheckFailed(f"indices should have dtype int64 (like PyTorch's), but it is {got.dtype}: "
                          f"use .astype(np.int64).")


@check("max_pool_indices", name=KEEPS_FLOAT32, points=0.5, kind="contract",
       statement="indices is an int64 array of shape (N, C, H_out, W_out), also for float32 x, and x is not modified.",
       strategy=gen.pool_cases())
def max_pool_indices_keeps_float32_and_inputs(ctx, case):
    expect_float32_pure(ctx, case, validate_indices)


@check("max_pool_indices", name=BAD_WINDOWS, points=0.5, kind="errors",
       statement=BAD_WINDOWS_STATEMENT,
       strategy=bad_windows(gen.pool_cases()),
       hint=BAD_WINDOWS_HINT)
def max_pool_indices_rejects_bad_windows(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ avg_pool_forward
@check("avg_pool_forward", name="matches the reference", points=1.5, kind="value",
       statement="avg_pool_forward(x, kernel_size, stride) equals the mean of every window, for overlapping windows, "
                 "gaps, remainders, non-square kernels and stride=None.",
       strategy=gen.pool_cases(),
       hint=AVG_HINT)
def avg_pool_forward_matches_the_reference(ctx, case):
    expect_close(ctx.call(case), ctx.reference(case), "out", hint=AVG_HINT, shape_hint=SIZE_HINT)


@check("avg_pool_forward", name="a constant image pools to the same constant", points=0.5, kind="property",
       statement="avg_pool(c * ones) equals c at every output position.",
       strategy=gen.pool_cases(),
       hint=AVG_HINT)
def avg_pool_forward_keeps_a_constant(ctx, case):
    x = case.args["x"]
    c = 1.0 + float(np.round(np.abs(x.flat[0])))
    got = ctx.call(case.with_args(x=np.full_like(x, c)))
    expect_close(got, np.full(gen.pool_output_shape(x.shape, *geometry(case)), c, dtype=x.dtype),
                 f"avg_pool({c:g} * ones)", hint="divide each window's sum by its number of elements, kh * kw.",
                 shape_hint=SIZE_HINT)


@check("avg_pool_forward", name=KEEPS_FLOAT32, points=0.5, kind="contract",
       statement="float32 x gives a float32 output of shape (N, C, H_out, W_out), and x is not modified.",
       strategy=gen.pool_cases())
def avg_pool_forward_keeps_float32_and_inputs(ctx, case):
    expect_float32_pure(ctx, case, validate_output)


@check("avg_pool_forward", name=BAD_WINDOWS, points=0.5, kind="errors",
       statement=BAD_WINDOWS_STATEMENT,
       strategy=bad_windows(gen.pool_cases()),
       hint=BAD_WINDOWS_HINT)
def avg_pool_forward_rejects_bad_windows(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ avg_pool_backward
@check("avg_pool_backward", name="matches the reference", points=1.5, kind="value",
       statement="dx equals the gradient of sum(avg_pool(x) * dout) with respect to x.",
       strategy=gen.pool_backward_cases(),
       hint=AVG_DX_HINT)
def avg_pool_backward_matches_the_reference(ctx, case):
    expect_close(ctx.call(case), ctx.reference(case), "dx", hint=AVG_DX_HINT, shape_hint="dx has the shape of x.")


@check("avg_pool_backward", name="dx is the adjoint of average pooling", points=1, kind="gradient",
       statement="For any v shaped like x: <avg_pool(v), dout> == <v, dx>.",
       strategy=gen.pool_backward_cases(),
       hint=AVG_DX_HINT)
def avg_pool_backward_dx_is_the_adjoint_of_average_pooling(ctx, case):
    dout, x = case.args["dout"], case.args["x"]
    dx = require_array(ctx.call(case), "dx", x.shape, hint="dx has the shape of x.")
    v = direction(x)
    lhs = inner(reference("avg_pool_forward")(v, case.args["kernel_size"], **case.kwargs), dout)
    rhs = inner(v, dx)
    if not np.isclose(lhs, rhs, rtol=1e-4, atol=1e-5 * (1 + float(np.abs(dout).sum()))):
        raise CheckFailed(f"<avg_pool(v), dout> = {lhs:.6g} but <v, dx> = {rhs:.6g}: dx is not the gradient.\n"
                          + gradient_note(dx, ctx.reference(case), "dx") + f"\nHint: {AVG_DX_HINT}")


@check("avg_pool_backward", name="passes a finite-difference check", points=0.5, kind="gradient",
       statement="Along a random direction v, (L(x + h v) - L(x - h v)) / 2h equals <dx, v>, L(x) = sum(avg_pool(x) * dout).",
       strategy=gen.pool_backward_cases(),
       hint=AVG_DX_HINT)
def avg_pool_backward_passes_a_finite_difference_check(ctx, case):
    x, dout = case.args["x"].astype(np.float64), case.args["dout"].astype(np.float64)
    h = 1e-3 * (1 + float(np.abs(x).max()))  # L is linear: any step is exact up to rounding
    finite_difference(ctx, case.with_args(x=x, dout=dout), "avg_pool_forward", "avg_pool_backward", h,
                      lambda got, expected: AVG_DX_HINT)


@check("avg_pool_backward", name=KEEPS_FLOAT32, points=0.5, kind="contract",
       statement="float32 dout and x give a float32 dx shaped like x, and dout and x are not modified.",
       strategy=gen.pool_backward_cases())
def avg_pool_backward_keeps_float32_and_inputs(ctx, case):
    expect_float32_pure(ctx, case, validate_dx)


@check("avg_pool_backward", name=BAD_WINDOWS, points=0.5, kind="errors",
       statement=BAD_WINDOWS_BACKWARD_STATEMENT,
       strategy=bad_windows(gen.pool_backward_cases(), backward=True),
       hint=BAD_WINDOWS_BACKWARD_HINT)
def avg_pool_backward_rejects_bad_windows(ctx, case):
    expect_raises(ctx, case, why=case.note)
