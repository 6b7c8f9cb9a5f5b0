"""Checks of the detector's layers: relu, linear and global max pooling.

The checks of its loss and of the detector itself (softmax_cross_entropy, detector_loss, train_detector,
predict) are in `detector_training`.
"""

import numpy as np

from .. import corners_detector as corners, strategies_detector as gen
from .base import N_, Case, CheckFailed, _, check, compare, expect_close, expect_raises, hint_line, require_array
from .common import expect_nontrivial, gradient_note, inner, rejects
from .detector_common import direction, expect_float32_pure, finite_difference, pair_of

RELU_HINT = N_("np.maximum(x, 0): negative values become 0, the others stay, in the dtype of x.")
RELU_DX_HINT = N_("the gradient passes only where the input was positive: dx = dout * (x > 0). At the kink "
                  "x == 0 it is 0 too (x > 0, not x >= 0), and dout itself is never passed on unmasked.")
LINEAR_HINT = N_("out = x @ w + b: x (N, D) times w (D, M), plus the bias b[m] added to every row.")
DX_HINT = N_("dx = dout @ w.T, of shape (N, D) like x.")
DW_HINT = N_("dw = x.T @ dout has the shape of w, (D, M) (not dout.T @ x, which is its transpose).")
DB_HINT = N_("b is shared by the N examples, so its gradient is the sum over the batch: db = dout.sum(axis=0).")
GMAX_HINT = N_("out[n, c] is the maximum of the whole map x[n, c]: x.max(axis=(2, 3)), or a running maximum that "
               "starts at the map's first element or at -inf (never at 0: a map may be all negative).")
GMAX_DX_HINT = N_("dx is zeros shaped like x except at the first maximum of each map x[n, c], which gets dout[n, c]: "
                  "np.argmax of the flattened map gives its position.")
GMAX_TIE_HINT = N_("on ties (a map holding its maximum more than once) only the first maximum in row-major order "
                   "gets the gradient, as in max_pool_backward; a mask x == max sends it to all of them.")
SHAPE_ERRORS = N_("validate once, at the entry: raise ValueError with a message that names the argument.")
RELU_DOUT_ERRORS = N_("validate once, at the entry: raise ValueError with a message that names the argument. dout "
                      "must have exactly the shape of x.")
DX_DW_HINT = N_("dx = dout @ w.T, of shape (N, D) like x. dw = x.T @ dout has the shape of w, (D, M) (not dout.T @ x, "
                "which is its transpose).")

def forward_loss(ctx, function: str, dout):
    """L(x) = sum(function(x) * dout) through the reference's forward `function` (ctx.reference)."""
    return lambda x: inner(ctx.reference(Case({"x": x}), function), dout)


# ------------------------------------------------------------------------------------------ relu
# Corners (grader/corners_detector.py) by mutant family: values (the mask returned) "kink" and "maps"; mask
# and kink (x >= 0, a mask from the output, dout unmasked) "kink"; purity (in place) and dtype "kink";
# validation every corruption of "kink".
BAD_RELU_DOUT = {
    N_("dout has an extra leading axis"): ("unless dout has exactly the shape of x", lambda c: c.with_args(
        dout=c.args["dout"][None])),
    N_("dout is a single number (a 0-D array)"): ("one that merely broadcasts is refused", lambda c: c.with_args(
        dout=np.array(c.args["dout"].flat[0]))),
}


@check("relu_forward", name=N_("matches the reference"), points=0.5, kind="value",
       statement=N_("relu_forward(x) equals max(x, 0) elementwise, for x of any shape."),
       strategy=gen.relu_cases(), hint=RELU_HINT, corners=corners.relus("kink", "maps"))
def relu_forward_matches_the_reference(ctx, case):
    expect_close(ctx.call(case), ctx.reference(case), "out", hint=RELU_HINT, shape_hint=N_("out has the shape of x."))


@check("relu_forward", name=N_("splits x into its positive and negative parts"), points=0.25, kind="property",
       statement=N_("relu_forward(x) - relu_forward(-x) equals x."),
       strategy=gen.relu_cases(), hint=RELU_HINT, corners=corners.relus("maps"))
def relu_forward_splits_x_into_parts(ctx, case):
    x = case.args["x"]
    positive = require_array(ctx.call(case), "relu(x)", x.shape, hint=N_("out has the shape of x."))
    negative = require_array(ctx.call(case.with_args(x=-x)), "relu(-x)", x.shape, hint=N_("out has the shape of x."))
    expect_nontrivial(positive, ctx.reference(case), "relu(x)")
    expect_close(np.asarray(positive, np.float64) - negative, x.astype(np.float64), "relu(x) - relu(-x)",
                 hint=RELU_HINT, scale=float(np.abs(x).max()))


@check("relu_forward", name=N_("keeps the dtype and leaves x unchanged"), points=0.25, kind="contract",
       statement=N_("float32 x gives a float32 output of the same shape, and x is not modified."),
       strategy=gen.relu_cases(), hint=N_("np.maximum(x, 0) makes a new array of x's dtype; x[x < 0] = 0 changes x."),
       corners=corners.relus("kink"), documented=("float32 x gives a float32 out", "x is not modified"))
def relu_forward_keeps_float32_and_x(ctx, case):
    expect_float32_pure(ctx, case, lambda got, c: require_array(got, "out", c.args["x"].shape, dtype=np.float32))


@check("relu_backward", name=N_("matches the reference"), points=0.75, kind="value",
       statement=N_("dx equals dout where x > 0 and 0 where x <= 0, at the kink x == 0 too."),
       strategy=gen.relu_backward_cases(), hint=RELU_DX_HINT, corners=corners.relu_backwards("kink", "away from zero"))
def relu_backward_matches_the_reference(ctx, case):
    expect_close(ctx.call(case), ctx.reference(case), "dx", hint=RELU_DX_HINT, shape_hint=N_("dx has the shape of x."))


@check("relu_backward", name=N_("passes a finite-difference check"), points=0.25, kind="gradient",
       statement=N_("For x away from 0, along a random direction v, (L(x + h v) - L(x - h v)) / 2h equals <dx, v>, "
                    "L(x) = sum(relu(x) * dout)."),
       strategy=gen.relu_backward_cases(away_from_zero=True), hint=RELU_DX_HINT,
       corners=corners.relu_backwards("away from zero"))
def relu_backward_passes_a_finite_difference_check(ctx, case):
    finite_difference(ctx, case, "x", forward_loss(ctx, "relu_forward", case.args["dout"]), lambda got: got,
                      step=0.1, hint=RELU_DX_HINT)


@check("relu_backward", name=N_("keeps the dtype and leaves inputs unchanged"), points=0.25, kind="contract",
       statement=N_("float32 dout and x give a float32 dx shaped like x, and dout and x are not modified."),
       strategy=gen.relu_backward_cases(), hint=N_("build a new array: dout * (x > 0); dout[x <= 0] = 0 changes dout."),
       corners=corners.relu_backwards("kink"), documented=("float32 dout and x give a float32 dx",
                                                           "dout and x are not modified"))
def relu_backward_keeps_float32_and_inputs(ctx, case):
    expect_float32_pure(ctx, case, lambda got, c: require_array(got, "dx", c.args["x"].shape, dtype=np.float32))


@check("relu_backward", name=N_("rejects a dout shaped unlike x"), points=0.25, kind="errors",
       statement=N_("A dout whose shape differs from x's, even one that broadcasts against it, raises ValueError."),
       hint=RELU_DOUT_ERRORS,
       **rejects(gen.relu_backward_cases(), corners.relu_backwards("kink")[0], BAD_RELU_DOUT))
def relu_backward_rejects_a_mismatched_dout(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ linear
# Corners by family: bias and values "square" (w not symmetric) and "rectangular"; shape (dx without w.T, dw
# transposed) "rectangular"; sum (db a mean over N) both; dtype "rectangular"; validation every corruption of
# "rectangular".
BAD_LINEAR_ARGS = {
    N_("x has one more column than w has rows"): ("when x and w disagree on D", lambda c: c.with_args(
        x=np.concatenate([c.args["x"], c.args["x"][:, :1]], axis=1))),
    N_("b has one entry where M > 1 are needed"): ("b does not have exactly M entries", lambda c: c.with_args(
        w=np.concatenate([c.args["w"]] * 2, axis=1), b=c.args["b"][:1])),
}
BAD_LINEAR_DOUT = {
    N_("dout has an extra leading axis"): ("unless dout is (N, M)", lambda c: c.with_args(dout=c.args["dout"][None])),
    N_("dout has a column more than w"): ("unless dout is (N, M)", lambda c: c.with_args(
        dout=np.concatenate([c.args["dout"], c.args["dout"][:, :1]], axis=1))),
}


@check("linear_forward", name=N_("matches the reference"), points=1, kind="value",
       statement=N_("linear_forward(x, w, b) equals x @ w + b."),
       strategy=gen.linear_cases(), hint=LINEAR_HINT, corners=corners.linears("square", "rectangular"))
def linear_forward_matches_the_reference(ctx, case):
    expect_close(ctx.call(case), ctx.reference(case), "out", hint=LINEAR_HINT, shape_hint=N_("out is (N, M)."))


@check("linear_forward", name=N_("keeps the dtype and leaves inputs unchanged"), points=0.25, kind="contract",
       statement=N_("float32 x, w and b give a float32 out (N, M), and x, w and b are not modified."),
       strategy=gen.linear_cases(), corners=corners.linears("rectangular"),
       documented=("float32 x, w and b give a float32 out", "x, w and b are not modified"))
def linear_forward_keeps_float32_and_inputs(ctx, case):
    shape = (case.args["x"].shape[0], case.args["w"].shape[1])
    expect_float32_pure(ctx, case, lambda got, c: require_array(got, "out", shape, dtype=np.float32))


@check("linear_forward", name=N_("rejects bad arguments"), points=0.25, kind="errors",
       statement=N_("x and w that disagree on D, or a b without exactly M entries, raise ValueError."),
       hint=SHAPE_ERRORS, **rejects(gen.linear_cases(), corners.linears("rectangular")[0], BAD_LINEAR_ARGS))
def linear_forward_rejects_bad_arguments(ctx, case):
    expect_raises(ctx, case, why=case.note)


def expect_linear_gradient(ctx, case, index, what, hint):
    got = pair_of(ctx.call(case), "linear_backward", ("dx", "dw", "db"))
    expect_close(got[index], ctx.reference(case)[index], what, hint=hint, shape_hint=hint)


LINEAR_CORNERS = corners.linear_backwards("square", "rectangular")


@check("linear_backward", name=N_("dx matches the reference"), points=0.5, kind="value",
       statement=N_("dx equals dout @ w.T, the gradient of sum(out * dout) with respect to x."),
       strategy=gen.linear_backward_cases(), hint=DX_HINT, corners=LINEAR_CORNERS)
def linear_backward_dx_matches_the_reference(ctx, case):
    expect_linear_gradient(ctx, case, 0, "dx", DX_HINT)


@check("linear_backward", name=N_("dw matches the reference"), points=0.75, kind="value",
       statement=N_("dw equals x.T @ dout, the gradient of sum(out * dout) with respect to w."),
       strategy=gen.linear_backward_cases(), hint=DW_HINT, corners=LINEAR_CORNERS)
def linear_backward_dw_matches_the_reference(ctx, case):
    expect_linear_gradient(ctx, case, 1, "dw", DW_HINT)


@check("linear_backward", name=N_("db matches the reference"), points=0.5, kind="value",
       statement=N_("db equals dout.sum(axis=0), the gradient of sum(out * dout) with respect to b."),
       strategy=gen.linear_backward_cases(), hint=DB_HINT, corners=LINEAR_CORNERS)
def linear_backward_db_matches_the_reference(ctx, case):
    expect_linear_gradient(ctx, case, 2, "db", DB_HINT)


@check("linear_backward", name=N_("dx and dw are adjoints of the layer"), points=0.25, kind="gradient",
       statement=N_("For any v shaped like x and u shaped like w: <v @ w, dout> == <v, dx> and <x @ u, dout> == <u, dw>."),
       strategy=gen.linear_backward_cases(), hint=DX_DW_HINT, corners=LINEAR_CORNERS)
def linear_backward_is_the_adjoint(ctx, case):
    dout, x, w = case.positional
    got = pair_of(ctx.call(case), "linear_backward", ("dx", "dw", "db"))
    expected = ctx.reference(case)
    for name, value, v, lhs, hint, index in (
            ("dx", x, direction(x), lambda v: inner(v @ w, dout), DX_HINT, 0),
            ("dw", w, direction(w), lambda u: inner(x @ u, dout), DW_HINT, 1)):
        grad = require_array(got[index], name, value.shape, hint=hint)
        left, right = lhs(v), inner(v, grad)
        if not np.isclose(left, right, rtol=1e-4, atol=1e-5 * (1 + float(np.abs(dout).sum()))):
            raise CheckFailed(_("<linear with {param} replaced by v, dout> = {left} but <v, {name}> = {right}: "
                                "{name} is not the gradient.").format(param=name[1], left=f"{left:.6g}", name=name,
                                                                      right=f"{right:.6g}")
                              + "\n" + gradient_note(grad, expected[index], name) + hint_line(hint))


@check("linear_backward", name=N_("keeps the dtype and leaves inputs unchanged"), points=0.25, kind="contract",
       statement=N_("float32 dout, x and w give float32 dx, dw and db shaped like x, w and (M,), and dout, x and w are "
                    "not modified."),
       strategy=gen.linear_backward_cases(), corners=corners.linear_backwards("rectangular"),
       documented=("float32 dout, x and w give float32 dx, dw and db", "dout, x and w are not modified"))
def linear_backward_keeps_float32_and_inputs(ctx, case):
    def shapes(got, c):
        got = pair_of(got, "linear_backward", ("dx", "dw", "db"))
        x, w = c.args["x"], c.args["w"]
        for value, what, shape in zip(got, ("dx", "dw", "db"), (x.shape, w.shape, w.shape[1:])):
            require_array(value, what, shape, dtype=np.float32)

    expect_float32_pure(ctx, case, shapes)


@check("linear_backward", name=N_("rejects a dout that is not (N, M)"), points=0.25, kind="errors",
       statement=N_("A dout without exactly one row per example and one column per output raises ValueError."),
       hint=SHAPE_ERRORS,
       **rejects(gen.linear_backward_cases(), corners.linear_backwards("rectangular")[0], BAD_LINEAR_DOUT))
def linear_backward_rejects_a_bad_dout(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ global max pool
# Corners by family: initial maximum (0, -1e5) "far below zero"; values (loops that stop early) "last row";
# dtype "distinct"; validation every corruption of "distinct". Backward: ties (every tied maximum, the last
# one) "ties"; values (the mask of the whole batch's maximum) "last row"; dtype "distinct"; validation every
# corruption of "distinct".
BAD_MAPS = {
    N_("x has 3 axes (C, H, W)"): ("unless x has 4 axes", lambda c: c.with_args(x=c.args["x"][0])),
    N_("x has 5 axes"): ("unless x has 4 axes", lambda c: c.with_args(x=c.args["x"][None])),
    N_("the maps have no column"): ("at least one pixel per map", lambda c: c.with_args(x=c.args["x"][:, :, :, :0])),
}
BAD_GLOBAL_DOUT = {
    N_("dout has one column where C are needed"): ("unless dout is (N, C)", lambda c: c.with_args(
        x=np.concatenate([c.args["x"]] * 2, axis=1), dout=c.args["dout"][:, :1])),
    N_("dout has a trailing axis of length 1"): ("unless dout is (N, C)", lambda c: c.with_args(
        dout=c.args["dout"][..., None])),
}


@check("global_max_pool_forward", name=N_("matches the reference"), points=0.75, kind="value",
       statement=N_("out[n, c] equals the maximum of the whole map x[n, c], also when every value is negative."),
       strategy=gen.global_pool_cases(), hint=GMAX_HINT, corners=corners.global_pools("far below zero", "last row"))
def global_max_pool_forward_matches_the_reference(ctx, case):
    expect_close(ctx.call(case), ctx.reference(case), "out", hint=GMAX_HINT, shape_hint=N_("out is (N, C)."))


@check("global_max_pool_forward", name=N_("does not move when the pattern moves"), points=0.25, kind="property",
       statement=N_("Rolling every map along H and W (the pattern moves, nothing is lost) leaves out unchanged: the "
                    "post's shift invariance."),
       strategy=gen.global_pool_cases(values="distinct"), hint=GMAX_HINT, corners=corners.global_pools("distinct"))
def global_max_pool_forward_is_shift_invariant(ctx, case):
    x = case.args["x"]
    out = require_array(ctx.call(case), "out", x.shape[:2], hint=N_("out is (N, C)."))
    expect_nontrivial(out, ctx.reference(case), "out")
    for shift in ((1, 0), (0, 1), (1, 1)):
        moved = require_array(ctx.call(case.with_args(x=np.roll(x, shift, axis=(2, 3)))), "out", x.shape[:2])
        problem = compare(moved, out, _("out of x rolled by {shift}").format(shift=shift),
                          scale=float(np.abs(x).max()), source=_("out of x"))
        if problem:
            raise CheckFailed(problem + hint_line(GMAX_HINT))


@check("global_max_pool_forward", name=N_("keeps the dtype and leaves x unchanged"), points=0.25, kind="contract",
       statement=N_("float32 x gives a float32 out (N, C), and x is not modified."),
       strategy=gen.global_pool_cases(), corners=corners.global_pools("distinct"),
       documented=("float32 x gives a float32 out", "x is not modified"))
def global_max_pool_forward_keeps_float32_and_x(ctx, case):
    expect_float32_pure(ctx, case, lambda got, c: require_array(got, "out", c.args["x"].shape[:2], dtype=np.float32))


@check("global_max_pool_forward", name=N_("rejects x that is not (N, C, H, W)"), points=0.25, kind="errors",
       statement=N_("x with 3 or 5 axes, or with maps of no pixel, raises ValueError."),
       hint=SHAPE_ERRORS, **rejects(gen.global_pool_cases(), corners.global_pools("distinct")[0], BAD_MAPS))
def global_max_pool_forward_rejects_bad_x(ctx, case):
    expect_raises(ctx, case, why=case.note)


def expect_global_dx(ctx, got, case):
    expected = ctx.reference(case)
    got = require_array(got, "dx", expected.shape, hint=N_("dx has the shape of x."))
    maxima = case.args["x"] == case.args["x"].max(axis=(2, 3), keepdims=True)
    tie = np.any((got != 0) & (expected == 0) & maxima)
    expect_close(got, expected, "dx", hint=GMAX_TIE_HINT if tie else GMAX_DX_HINT)


@check("global_max_pool_backward", name=N_("matches the reference"), points=0.75, kind="value",
       statement=N_("dx equals the gradient of sum(global_max_pool(x) * dout) with respect to x."),
       strategy=gen.global_pool_backward_cases(), hint=GMAX_DX_HINT,
       corners=corners.global_pool_backwards("last row", "distinct"))
def global_max_pool_backward_matches_the_reference(ctx, case):
    expect_global_dx(ctx, ctx.call(case), case)


@check("global_max_pool_backward", name=N_("on ties the first maximum gets the gradient"), points=0.5,
       kind="property",
       statement=N_("When a map holds its maximum more than once, its whole dout goes to the first maximum in "
                    "row-major order and nothing to the others."),
       strategy=gen.global_pool_backward_cases(values="tied"), hint=GMAX_TIE_HINT,
       corners=corners.global_pool_backwards("ties"))
def global_max_pool_backward_breaks_ties_first(ctx, case):
    expect_global_dx(ctx, ctx.call(case), case)


@check("global_max_pool_backward", name=N_("passes a finite-difference check"), points=0.25, kind="gradient",
       statement=N_("For x without ties, along a random direction v, (L(x + h v) - L(x - h v)) / 2h equals <dx, v>, "
                    "L(x) = sum(global_max_pool(x) * dout)."),
       strategy=gen.global_pool_backward_cases(values="distinct"), hint=GMAX_DX_HINT,
       corners=corners.global_pool_backwards("distinct"))
def global_max_pool_backward_passes_a_finite_difference_check(ctx, case):
    gap = np.diff(np.unique(case.args["x"]))  # a step of a tenth of the smallest gap moves no maximum
    finite_difference(ctx, case, "x", forward_loss(ctx, "global_max_pool_forward", case.args["dout"]),
                      lambda got: got, step=0.1 * float(gap.min()) if gap.size else 1.0, hint=GMAX_DX_HINT)


@check("global_max_pool_backward", name=N_("keeps the dtype and leaves inputs unchanged"), points=0.25,
       kind="contract",
       statement=N_("float32 dout and x give a float32 dx shaped like x, and dout and x are not modified."),
       strategy=gen.global_pool_backward_cases(), corners=corners.global_pool_backwards("distinct"),
       documented=("float32 dout and x give a float32 dx", "dout and x are not modified"))
def global_max_pool_backward_keeps_float32_and_inputs(ctx, case):
    expect_float32_pure(ctx, case, lambda got, c: require_array(got, "dx", c.args["x"].shape, dtype=np.float32))


@check("global_max_pool_backward", name=N_("rejects a dout that is not (N, C)"), points=0.25, kind="errors",
       statement=N_("A dout without exactly one value per map, even one that broadcasts, raises ValueError."),
       hint=SHAPE_ERRORS,
       **rejects(gen.global_pool_backward_cases(), corners.global_pool_backwards("distinct")[0], BAD_GLOBAL_DOUT))
def global_max_pool_backward_rejects_a_bad_dout(ctx, case):
    expect_raises(ctx, case, why=case.note)
