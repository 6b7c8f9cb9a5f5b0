"""Checks of avg_pool_forward and avg_pool_backward."""

import numpy as np

from .. import corners, strategies as gen
from .base import CheckFailed, check, expect_close, expect_raises, require_array
from .common import gradient_note, inner
from .pooling import (KEEPS_FLOAT32, SIZE_HINT, bad_backward_windows, bad_windows, direction, expect_float32_pure,
                      finite_difference, geometry, reference, validate_dx, validate_output)

AVG_HINT = ("out[n, c, i, j] is the sum of the window x[n, c, i*sh : i*sh + kh, j*sw : j*sw + kw] divided by "
            "kh * kw (stride=None means stride = kernel_size).")
AVG_DX_HINT = ("every element of window (i, j), which starts at row i*sh, column j*sw, gets dout[n, c, i, j] / "
               "(kh * kw); add (+=) the shares, since windows overlap when stride < kernel_size.")


# ------------------------------------------------------------------------------------------ avg_pool_forward
# Corners (grader/corners.py) by mutant family: window start and accumulation "overlap" and "gaps"; output
# size (round(), a missing + 1) "gaps" and "default stride"; window size (kh * kw) every one; dtype, purity
# "tall"; validation every corruption of "tall".
@check("avg_pool_forward", name="matches the reference", points=1.5, kind="value",
       statement="avg_pool_forward(x, kernel_size, stride) equals the mean of every window, for overlapping windows, "
                 "gaps, remainders, non-square kernels and stride=None.",
       strategy=gen.pool_cases(),
       corners=corners.pools("smallest", "overlap", "gaps", "tall", "default stride"),
       hint=AVG_HINT)
def avg_pool_forward_matches_the_reference(ctx, case):
    expect_close(ctx.call(case), ctx.reference(case), "out", hint=AVG_HINT, shape_hint=SIZE_HINT)


@check("avg_pool_forward", name="a constant image pools to the same constant", points=0.5, kind="property",
       statement="avg_pool(c * ones) equals c at every output position.",
       strategy=gen.pool_cases(),
       corners=corners.pools("gaps", "default stride"),
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
       strategy=gen.pool_cases(),
       corners=corners.pools("tall"),
       documented=("float32 x gives a float32 out", "x is not modified"))
def avg_pool_forward_keeps_float32_and_inputs(ctx, case):
    expect_float32_pure(ctx, case, validate_output)


@check("avg_pool_forward", points=0.5, **bad_windows())
def avg_pool_forward_rejects_bad_windows(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ avg_pool_backward
# Corners by family: accumulation (=, not +=) and window start "overlap" and "tall"; window size "smallest"
# and "gaps"; dtype and purity (dout /= ...) "tall"; validation every corruption of "tall".
@check("avg_pool_backward", name="matches the reference", points=1.5, kind="value",
       statement="dx equals the gradient of sum(avg_pool(x) * dout) with respect to x.",
       strategy=gen.pool_backward_cases(),
       corners=corners.pool_backwards("smallest", "overlap", "gaps", "tall", "default stride"),
       hint=AVG_DX_HINT)
def avg_pool_backward_matches_the_reference(ctx, case):
    expect_close(ctx.call(case), ctx.reference(case), "dx", hint=AVG_DX_HINT, shape_hint="dx has the shape of x.")


@check("avg_pool_backward", name="dx is the adjoint of average pooling", points=1, kind="gradient",
       statement="For any v shaped like x: <avg_pool(v), dout> == <v, dx>.",
       strategy=gen.pool_backward_cases(),
       corners=corners.pool_backwards("overlap", "gaps"),
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
       corners=corners.pool_backwards("overlap", "tall"),
       hint=AVG_DX_HINT)
def avg_pool_backward_passes_a_finite_difference_check(ctx, case):
    x, dout = case.args["x"].astype(np.float64), case.args["dout"].astype(np.float64)
    h = 1e-3 * (1 + float(np.abs(x).max()))  # L is linear: any step is exact up to rounding
    finite_difference(ctx, case.with_args(x=x, dout=dout), "avg_pool_forward", "avg_pool_backward", h,
                      lambda got, expected: AVG_DX_HINT)


@check("avg_pool_backward", name=KEEPS_FLOAT32, points=0.5, kind="contract",
       statement="float32 dout and x give a float32 dx shaped like x, and dout and x are not modified.",
       strategy=gen.pool_backward_cases(),
       corners=corners.pool_backwards("tall"),
       documented=("float32 dout and x give a float32 dx", "dout and x are not modified"))
def avg_pool_backward_keeps_float32_and_inputs(ctx, case):
    expect_float32_pure(ctx, case, validate_dx)


@check("avg_pool_backward", points=0.5, **bad_backward_windows())
def avg_pool_backward_rejects_bad_windows(ctx, case):
    expect_raises(ctx, case, why=case.note)
