"""Checks of the detector's layers: relu, linear, global max pooling and softmax cross-entropy.

The checks of the detector itself (detector_loss, train_detector, predict) are in `detector_training`.
"""

import numpy as np

from .. import strategies_detector as gen
from .base import Case, CheckFailed, check, compare, expect_close, expect_raises, require_array
from .common import corrupted, expect_nontrivial, gradient_note, inner
from .detector_common import (direction, expect_float32_pure, finite_difference, pair_of, reference,
                              scalar_loss)

RELU_HINT = "np.maximum(x, 0): negative values become 0, the others stay, in the dtype of x."
RELU_DX_HINT = ("the gradient passes only where the input was positive: dx = dout * (x > 0). At the kink "
                "x == 0 it is 0 too (x > 0, not x >= 0), and dout itself is never passed on unmasked.")
LINEAR_HINT = "out = x @ w + b: x (N, D) times w (D, M), plus the bias b[m] added to every row."
DX_HINT = "dx = dout @ w.T, of shape (N, D) like x."
DW_HINT = "dw = x.T @ dout has the shape of w, (D, M) (not dout.T @ x, which is its transpose)."
DB_HINT = "b is shared by the N examples, so its gradient is the sum over the batch: db = dout.sum(axis=0)."
GMAX_HINT = ("out[n, c] is the maximum of the whole map x[n, c]: x.max(axis=(2, 3)), or a running maximum that "
             "starts at the map's first element or at -inf (never at 0: a map may be all negative).")
GMAX_DX_HINT = ("dx is zeros shaped like x except at the first maximum of each map x[n, c], which gets dout[n, c]: "
                "np.argmax of the flattened map gives its position.")
GMAX_TIE_HINT = ("on ties (a map holding its maximum more than once) only the first maximum in row-major order "
                 "gets the gradient, as in max_pool_backward; a mask x == max sends it to all of them.")
SOFTMAX_HINT = ("subtract each row's max before exp (softmax does not change, exp cannot overflow); then "
                "log p = shifted - log(sum(exp(shifted))), loss = the average of -log p[n, labels[n]] over the N "
                "rows, dlogits = (p - onehot(labels)) / N.")
STABLE_HINT = ("subtract each row's max before exp: exp(1000) overflows to inf, and log(p) of a probability that "
               "underflows to 0 is -inf. Use log p = shifted - log(sum(exp(shifted))), never log(softmax).")
SHAPE_ERRORS = "validate once, at the entry: raise ValueError with a message that names the argument."

LARGE_LOGITS = (
    Case({"logits": np.array([[1000.0, 0.0], [0.0, 1000.0], [1000.0, 1000.0]]), "labels": np.array([1, 1, 0])},
         note="logits of 1000: exp overflows unless the max is subtracted"),
    Case({"logits": np.array([[-1000.0, -1001.0, -1002.0], [1e4, 1e4 - 800, 1e4 + 1]]), "labels": np.array([2, 1])},
         note="a label whose probability underflows to 0"),
)


# ------------------------------------------------------------------------------------------ relu
@check("relu_forward", name="matches the reference", points=0.5, kind="value",
       statement="relu_forward(x) equals max(x, 0) elementwise, for x of any shape.",
       strategy=gen.relu_cases(), hint=RELU_HINT,
       corners=(Case({"x": np.array([[-1.5, 0.0, 2.0], [-0.0, 3.0, -4.0]])}),))
def relu_forward_matches_the_reference(ctx, case):
    expect_close(ctx.call(case), ctx.reference(case), "out", hint=RELU_HINT, shape_hint="out has the shape of x.")


@check("relu_forward", name="splits x into its positive and negative parts", points=0.25, kind="property",
       statement="relu_forward(x) - relu_forward(-x) equals x.",
       strategy=gen.relu_cases(), hint=RELU_HINT)
def relu_forward_splits_x_into_parts(ctx, case):
    x = case.args["x"]
    positive = require_array(ctx.call(case), "relu(x)", x.shape, hint="out has the shape of x.")
    negative = require_array(ctx.call(case.with_args(x=-x)), "relu(-x)", x.shape, hint="out has the shape of x.")
    expect_nontrivial(positive, ctx.reference(case), "relu(x)")
    expect_close(np.asarray(positive, np.float64) - negative, x.astype(np.float64), "relu(x) - relu(-x)",
                 hint=RELU_HINT, scale=float(np.abs(x).max()))


@check("relu_forward", name="keeps the dtype and leaves x unchanged", points=0.25, kind="contract",
       statement="float32 x gives a float32 output of the same shape, and x is not modified.",
       strategy=gen.relu_cases(), hint="np.maximum(x, 0) makes a new array of x's dtype; x[x < 0] = 0 changes x.")
def relu_forward_keeps_float32_and_x(ctx, case):
    expect_float32_pure(ctx, case, lambda got, c: require_array(got, "out", c.args["x"].shape, dtype=np.float32))


@check("relu_backward", name="matches the reference", points=0.75, kind="value",
       statement="dx equals dout where x > 0 and 0 where x <= 0, at the kink x == 0 too.",
       strategy=gen.relu_backward_cases(), hint=RELU_DX_HINT,
       corners=(Case({"dout": np.array([1.0, 2, 3, 4, 5, 6]), "x": np.array([-1.0, 0, 0.5, 0, 2, -0.0])},
                     note="x == 0 at the kink"),))
def relu_backward_matches_the_reference(ctx, case):
    expect_close(ctx.call(case), ctx.reference(case), "dx", hint=RELU_DX_HINT, shape_hint="dx has the shape of x.")


@check("relu_backward", name="passes a finite-difference check", points=0.25, kind="gradient",
       statement="For x away from 0, along a random direction v, (L(x + h v) - L(x - h v)) / 2h equals <dx, v>, "
                 "L(x) = sum(relu(x) * dout).",
       strategy=gen.relu_backward_cases(away_from_zero=True), hint=RELU_DX_HINT)
def relu_backward_passes_a_finite_difference_check(ctx, case):
    finite_difference(ctx, case, "x", lambda x: inner(reference("relu_forward")(x), case.args["dout"]),
                      lambda got: got, step=0.1, hint=RELU_DX_HINT)


@check("relu_backward", name="keeps the dtype and leaves inputs unchanged", points=0.25, kind="contract",
       statement="float32 dout and x give a float32 dx shaped like x, and dout and x are not modified.",
       strategy=gen.relu_backward_cases(), hint="build a new array: dout * (x > 0); dout[x <= 0] = 0 changes dout.")
def relu_backward_keeps_float32_and_inputs(ctx, case):
    expect_float32_pure(ctx, case, lambda got, c: require_array(got, "dx", c.args["x"].shape, dtype=np.float32))


@check("relu_backward", name="rejects a dout shaped unlike x", points=0.25, kind="errors",
       statement="A dout whose shape differs from x's, even one that broadcasts against it, raises ValueError.",
       strategy=corrupted(gen.relu_backward_cases(), {
           "dout has an extra leading axis": lambda c: c.with_args(dout=c.args["dout"][None]),
           "dout is a single number (a 0-D array)": lambda c: c.with_args(dout=np.array(c.args["dout"].flat[0])),
       }), hint=SHAPE_ERRORS + " dout must have exactly the shape of x.")
def relu_backward_rejects_a_mismatched_dout(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ linear
@check("linear_forward", name="matches the reference", points=1, kind="value",
       statement="linear_forward(x, w, b) equals x @ w + b.",
       strategy=gen.linear_cases(), hint=LINEAR_HINT,
       corners=(Case({"x": np.array([[1.0, 2], [3, 4], [5, 6]]), "w": np.array([[1.0, -1], [2, 0]]),
                      "b": np.array([10.0, 20])}),))
def linear_forward_matches_the_reference(ctx, case):
    expect_close(ctx.call(case), ctx.reference(case), "out", hint=LINEAR_HINT, shape_hint="out is (N, M).")


@check("linear_forward", name="keeps the dtype and leaves inputs unchanged", points=0.25, kind="contract",
       statement="float32 x, w and b give a float32 out (N, M), and x, w, b are not modified.",
       strategy=gen.linear_cases())
def linear_forward_keeps_float32_and_inputs(ctx, case):
    shape = (case.args["x"].shape[0], case.args["w"].shape[1])
    expect_float32_pure(ctx, case, lambda got, c: require_array(got, "out", shape, dtype=np.float32))


@check("linear_forward", name="rejects bad arguments", points=0.25, kind="errors",
       statement="x and w that disagree on D, or a b without exactly M entries, raise ValueError.",
       strategy=corrupted(gen.linear_cases(), {
           "x has one more column than w has rows": lambda c: c.with_args(
               x=np.concatenate([c.args["x"], c.args["x"][:, :1]], axis=1)),
           "b has one entry where M > 1 are needed": lambda c: c.with_args(
               w=np.concatenate([c.args["w"]] * 2, axis=1), b=c.args["b"][:1]),
       }), hint=SHAPE_ERRORS)
def linear_forward_rejects_bad_arguments(ctx, case):
    expect_raises(ctx, case, why=case.note)


def expect_linear_gradient(ctx, case, index, what, hint):
    got = pair_of(ctx.call(case), "linear_backward", ("dx", "dw", "db"))
    expect_close(got[index], ctx.reference(case)[index], what, hint=hint, shape_hint=hint)


LINEAR_CORNERS = (Case({"dout": np.array([[1.0, -2], [0.5, 3], [2, 1]]), "x": np.array([[1.0, 2], [3, 4], [5, 6]]),
                        "w": np.array([[1.0, -1], [2, 0]])}, note="N = 3, D = M = 2"),)


@check("linear_backward", name="dx matches the reference", points=0.5, kind="value",
       statement="dx equals dout @ w.T, the gradient of sum(out * dout) with respect to x.",
       strategy=gen.linear_backward_cases(), hint=DX_HINT, corners=LINEAR_CORNERS)
def linear_backward_dx_matches_the_reference(ctx, case):
    expect_linear_gradient(ctx, case, 0, "dx", DX_HINT)


@check("linear_backward", name="dw matches the reference", points=0.75, kind="value",
       statement="dw equals x.T @ dout, the gradient of sum(out * dout) with respect to w.",
       strategy=gen.linear_backward_cases(), hint=DW_HINT, corners=LINEAR_CORNERS)
def linear_backward_dw_matches_the_reference(ctx, case):
    expect_linear_gradient(ctx, case, 1, "dw", DW_HINT)


@check("linear_backward", name="db matches the reference", points=0.5, kind="value",
       statement="db equals dout.sum(axis=0), the gradient of sum(out * dout) with respect to b.",
       strategy=gen.linear_backward_cases(), hint=DB_HINT, corners=LINEAR_CORNERS)
def linear_backward_db_matches_the_reference(ctx, case):
    expect_linear_gradient(ctx, case, 2, "db", DB_HINT)


@check("linear_backward", name="dx and dw are adjoints of the layer", points=0.25, kind="gradient",
       statement="For any v shaped like x and u shaped like w: <v @ w, dout> == <v, dx> and <x @ u, dout> == <u, dw>.",
       strategy=gen.linear_backward_cases(), hint=DX_HINT + " " + DW_HINT)
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
            raise CheckFailed(f"<linear with {name[1]} replaced by v, dout> = {left:.6g} but <v, {name}> = "
                              f"{right:.6g}: {name} is not the gradient.\n"
                              + gradient_note(grad, expected[index], name) + f"\nHint: {hint}")


@check("linear_backward", name="keeps the dtype and leaves inputs unchanged", points=0.25, kind="contract",
       statement="With float32 inputs, linear_backward returns float32 (dx, dw, db) shaped like x, w and (M,), and "
                 "does not modify dout, x or w.",
       strategy=gen.linear_backward_cases())
def linear_backward_keeps_float32_and_inputs(ctx, case):
    def shapes(got, c):
        got = pair_of(got, "linear_backward", ("dx", "dw", "db"))
        x, w = c.args["x"], c.args["w"]
        for value, what, shape in zip(got, ("dx", "dw", "db"), (x.shape, w.shape, w.shape[1:])):
            require_array(value, what, shape, dtype=np.float32)

    expect_float32_pure(ctx, case, shapes)


@check("linear_backward", name="rejects a dout that is not (N, M)", points=0.25, kind="errors",
       statement="A dout without exactly one row per example and one column per output raises ValueError.",
       strategy=corrupted(gen.linear_backward_cases(), {
           "dout has an extra leading axis": lambda c: c.with_args(dout=c.args["dout"][None]),
           "dout has a column more than w": lambda c: c.with_args(
               dout=np.concatenate([c.args["dout"], c.args["dout"][:, :1]], axis=1)),
       }), hint=SHAPE_ERRORS)
def linear_backward_rejects_a_bad_dout(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ global max pool
FAR_BELOW_ZERO = Case({"x": np.array([[[[-5e6, -2e6], [-3e6, -4e6]]], [[[-7.0, -9.0], [-8.0, -1e6]]]])},
                      note="every value below zero")
LAST_ROW = Case({"x": np.array([[[[0.0, 1, 2], [3, 4, 5], [6, 7, 9]], [[1.0, 0, 0], [0, 0, 0], [0, 0, 8]]]])},
                note="the maximum in the last row and column")


@check("global_max_pool_forward", name="matches the reference", points=0.75, kind="value",
       statement="out[n, c] equals the maximum of the whole map x[n, c], also when every value is negative.",
       strategy=gen.global_pool_cases(), hint=GMAX_HINT, corners=(FAR_BELOW_ZERO, LAST_ROW))
def global_max_pool_forward_matches_the_reference(ctx, case):
    expect_close(ctx.call(case), ctx.reference(case), "out", hint=GMAX_HINT, shape_hint="out is (N, C).")


@check("global_max_pool_forward", name="does not move when the pattern moves", points=0.25, kind="property",
       statement="Rolling every map along H and W (the pattern moves, nothing is lost) leaves out unchanged: the "
                 "post's shift invariance.",
       strategy=gen.global_pool_cases(values="distinct"), hint=GMAX_HINT)
def global_max_pool_forward_is_shift_invariant(ctx, case):
    x = case.args["x"]
    out = require_array(ctx.call(case), "out", x.shape[:2], hint="out is (N, C).")
    expect_nontrivial(out, ctx.reference(case), "out")
    for shift in ((1, 0), (0, 1), (1, 1)):
        moved = require_array(ctx.call(case.with_args(x=np.roll(x, shift, axis=(2, 3)))), "out", x.shape[:2])
        problem = compare(moved, out, f"out of x rolled by {shift}", scale=float(np.abs(x).max()))
        if problem:
            raise CheckFailed(problem.replace("expected", "out of x gives") + f"\nHint: {GMAX_HINT}")


@check("global_max_pool_forward", name="keeps the dtype and leaves x unchanged", points=0.25, kind="contract",
       statement="float32 x gives a float32 out (N, C), and x is not modified.",
       strategy=gen.global_pool_cases())
def global_max_pool_forward_keeps_float32_and_x(ctx, case):
    expect_float32_pure(ctx, case, lambda got, c: require_array(got, "out", c.args["x"].shape[:2], dtype=np.float32))


@check("global_max_pool_forward", name="rejects x that is not (N, C, H, W)", points=0.25, kind="errors",
       statement="x with 3 or 5 axes, or with maps of no pixel, raises ValueError.",
       strategy=corrupted(gen.global_pool_cases(), {
           "x has 3 axes (C, H, W)": lambda c: c.with_args(x=c.args["x"][0]),
           "x has 5 axes": lambda c: c.with_args(x=c.args["x"][None]),
           "the maps have no column": lambda c: c.with_args(x=c.args["x"][:, :, :, :0]),
       }), hint=SHAPE_ERRORS)
def global_max_pool_forward_rejects_bad_x(ctx, case):
    expect_raises(ctx, case, why=case.note)


def expect_global_dx(got, case):
    expected = reference("global_max_pool_backward")(*case.positional)
    got = require_array(got, "dx", expected.shape, hint="dx has the shape of x.")
    maxima = case.args["x"] == case.args["x"].max(axis=(2, 3), keepdims=True)
    tie = np.any((got != 0) & (expected == 0) & maxima)
    expect_close(got, expected, "dx", hint=GMAX_TIE_HINT if tie else GMAX_DX_HINT)


@check("global_max_pool_backward", name="matches the reference", points=0.75, kind="value",
       statement="dx equals the gradient of sum(global_max_pool(x) * dout) with respect to x.",
       strategy=gen.global_pool_backward_cases(), hint=GMAX_DX_HINT,
       corners=(Case({"dout": np.array([[2.0, -3.0]]), "x": LAST_ROW.args["x"]}),))
def global_max_pool_backward_matches_the_reference(ctx, case):
    expect_global_dx(ctx.call(case), case)


@check("global_max_pool_backward", name="on ties the first maximum gets the gradient", points=0.5,
       kind="property",
       statement="When a map holds its maximum more than once, its whole dout goes to the first maximum in "
                 "row-major order and nothing to the others.",
       strategy=gen.global_pool_backward_cases(values="tied"), hint=GMAX_TIE_HINT,
       corners=(Case({"dout": np.array([[1.0, 2.0]]), "x": np.array([[[[0.0, 3], [3, 1]], [[5.0, 5], [5, 5]]]])},
                     note="3 twice in the first map, a constant second map"),))
def global_max_pool_backward_breaks_ties_first(ctx, case):
    expect_global_dx(ctx.call(case), case)


@check("global_max_pool_backward", name="passes a finite-difference check", points=0.25, kind="gradient",
       statement="For x without ties, along a random direction v, (L(x + h v) - L(x - h v)) / 2h equals <dx, v>, "
                 "L(x) = sum(global_max_pool(x) * dout).",
       strategy=gen.global_pool_backward_cases(values="distinct"), hint=GMAX_DX_HINT)
def global_max_pool_backward_passes_a_finite_difference_check(ctx, case):
    gap = np.diff(np.unique(case.args["x"]))  # a step of a tenth of the smallest gap moves no maximum
    finite_difference(ctx, case, "x", lambda x: inner(reference("global_max_pool_forward")(x), case.args["dout"]),
                      lambda got: got, step=0.1 * float(gap.min()) if gap.size else 1.0, hint=GMAX_DX_HINT)


@check("global_max_pool_backward", name="keeps the dtype and leaves inputs unchanged", points=0.25,
       kind="contract",
       statement="float32 dout and x give a float32 dx shaped like x, and dout and x are not modified.",
       strategy=gen.global_pool_backward_cases())
def global_max_pool_backward_keeps_float32_and_inputs(ctx, case):
    expect_float32_pure(ctx, case, lambda got, c: require_array(got, "dx", c.args["x"].shape, dtype=np.float32))


@check("global_max_pool_backward", name="rejects a dout that is not (N, C)", points=0.25, kind="errors",
       statement="A dout without exactly one value per map, even one that broadcasts, raises ValueError.",
       strategy=corrupted(gen.global_pool_backward_cases(), {
           "dout has one column where C are needed": lambda c: c.with_args(
               x=np.concatenate([c.args["x"]] * 2, axis=1), dout=c.args["dout"][:, :1]),
           "dout has a trailing axis of length 1": lambda c: c.with_args(dout=c.args["dout"][..., None]),
       }), hint=SHAPE_ERRORS)
def global_max_pool_backward_rejects_a_bad_dout(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ softmax
def expect_softmax(ctx, case, index):
    got = pair_of(ctx.call(case), "softmax_cross_entropy", ("loss", "dlogits"))
    expected = ctx.reference(case)
    if index == 0:
        loss = scalar_loss(got[0])
        problem = compare(np.asarray(loss), np.asarray(expected[0]), "loss")
        if problem:
            raise CheckFailed(problem + f"\nHint: {SOFTMAX_HINT}")
    else:
        expect_close(got[1], expected[1], "dlogits", hint=SOFTMAX_HINT, shape_hint="dlogits is (N, M).")


@check("softmax_cross_entropy", name="loss matches the reference", points=0.5, kind="value",
       statement="loss equals the average over the N rows of -log softmax(logits)[n, labels[n]].",
       strategy=gen.softmax_cases(), hint=SOFTMAX_HINT,
       corners=(Case({"logits": np.array([[2.0, 0, -1], [0, 1, 0], [3, 3, 3]]), "labels": np.array([0, 2, 1])},
                     note="N = 3"),))
def softmax_cross_entropy_loss_matches_the_reference(ctx, case):
    expect_softmax(ctx, case, 0)


@check("softmax_cross_entropy", name="dlogits matches the reference", points=0.75, kind="value",
       statement="dlogits equals (softmax(logits) - onehot(labels)) / N, the gradient of the loss.",
       strategy=gen.softmax_cases(), hint=SOFTMAX_HINT,
       corners=(Case({"logits": np.array([[2.0, 0, -1], [0, 1, 0], [3, 3, 3]]), "labels": np.array([0, 2, 1])},
                     note="N = 3"),))
def softmax_cross_entropy_dlogits_matches_the_reference(ctx, case):
    expect_softmax(ctx, case, 1)


@check("softmax_cross_entropy", name="is stable for large logits", points=0.5, kind="value",
       statement="For logits in the thousands (far above or below 0), loss and dlogits are finite and equal the "
                 "reference's.",
       strategy=gen.softmax_cases(large=True), hint=STABLE_HINT, corners=LARGE_LOGITS)
def softmax_cross_entropy_is_stable_for_large_logits(ctx, case):
    got = pair_of(ctx.call(case), "softmax_cross_entropy", ("loss", "dlogits"))
    loss, dlogits = ctx.reference(case)
    for value, expected, what in ((np.asarray(scalar_loss(got[0])), np.asarray(loss), "loss"),
                                  (got[1], dlogits, "dlogits")):
        expect_close(value, expected, what, hint=STABLE_HINT, shape_hint="dlogits is (N, M).")


@check("softmax_cross_entropy", name="passes a finite-difference check", points=0.25, kind="gradient",
       statement="Along a random direction v, (loss(logits + h v) - loss(logits - h v)) / 2h equals <dlogits, v>.",
       strategy=gen.softmax_cases(), hint=SOFTMAX_HINT)
def softmax_cross_entropy_passes_a_finite_difference_check(ctx, case):
    labels = case.args["labels"]
    loss = reference("softmax_cross_entropy")
    finite_difference(ctx, case.with_args(logits=case.args["logits"].astype(np.float64)), "logits",
                      lambda z: loss(z, labels)[0],
                      lambda got: pair_of(got, "softmax_cross_entropy", ("loss", "dlogits"))[1],
                      step=1e-4, hint=SOFTMAX_HINT)


@check("softmax_cross_entropy", name="keeps the dtype and leaves inputs unchanged", points=0.25, kind="contract",
       statement="float32 logits give a float loss and a float32 dlogits (N, M), and logits and labels are not "
                 "modified.",
       strategy=gen.softmax_cases())
def softmax_cross_entropy_keeps_float32_and_inputs(ctx, case):
    def validate(got, c):
        got = pair_of(got, "softmax_cross_entropy", ("loss", "dlogits"))
        scalar_loss(got[0])
        require_array(got[1], "dlogits", c.args["logits"].shape, dtype=np.float32)

    expect_float32_pure(ctx, case, validate)


@check("softmax_cross_entropy", name="rejects labels that are not classes", points=0.25, kind="errors",
       statement="A label below 0 or not below M, or labels without exactly one entry per row, raise ValueError.",
       strategy=corrupted(gen.softmax_cases(), {
           "a label is -1": lambda c: c.with_args(labels=np.concatenate([[-1], c.args["labels"][1:]])),
           "a label equals M": lambda c: c.with_args(
               labels=np.concatenate([[c.args["logits"].shape[1]], c.args["labels"][1:]])),
           "labels has one entry too many": lambda c: c.with_args(labels=np.append(c.args["labels"], 0)),
       }), hint=SHAPE_ERRORS + " Labels are class indices in [0, M).")
def softmax_cross_entropy_rejects_bad_labels(ctx, case):
    expect_raises(ctx, case, why=case.note)
