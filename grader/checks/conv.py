"""Checks of conv2d_forward and conv2d_backward."""

import numpy as np
from hypothesis import strategies as st

from .. import corners, strategies as gen
from .base import (N_, Case, CheckFailed, _, check, compare, expect_close, expect_raises, hint_line,
                   require_array)
from .common import expect_nontrivial, expect_pure, gradient_note, inner, rejects

SIZE_HINT = N_("H_out = (H - R + 2*ph) // sh + 1 and W_out = (W - S + 2*pw) // sw + 1: the post's "
               "(I - F + 2P)/S + 1, rounded down, computed separately for height and width.")
DX_HINT = N_("every input pixel is read by several windows: window (i, j) starts at row i*sh, column j*sw of x_pad, "
             "for i < H_out and j < W_out (height and width counted separately); add (+=) its share "
             "dout[n, k, i, j] * w[k, c, r, s] (w itself, not a flipped kernel) into dx_pad, then crop the padding "
             "with dx_pad[:, :, ph:ph+H, pw:pw+W] (a slice like p:-p is empty when p is 0).")
DW_HINT = N_("a shared weight is used at every window (i < H_out, j < W_out, height and width counted separately): "
             "add the gradients from all of them (+=, not =), over the whole batch.")
DB_HINT = N_("db[k] adds dout[n, k, i, j] over the batch and every position: dout.sum(axis=(0, 2, 3)).")


def forward(ctx, x, w, b, stride, padding):
    """The reference conv2d_forward (the live one, or its recorded answer)."""
    return ctx.reference(Case({"x": x, "w": w, "b": b}, {"stride": stride, "padding": padding}), "conv2d_forward")


def output_shape(case) -> tuple:
    """(N, K, H_out, W_out) of a conv case, from the formula of the docstring."""
    (N, _, H, W), (K, _, R, S) = case.args["x"].shape, case.args["w"].shape
    (ph, pw), (sh, sw) = gen.as_pair(case.kwargs["padding"]), gen.as_pair(case.kwargs["stride"])
    return (N, K, (H - R + 2 * ph) // sh + 1, (W - S + 2 * pw) // sw + 1)


@st.composite
def backward_cases(draw):
    case = draw(gen.conv_cases())
    dout = draw(gen.arrays(output_shape(case), styles=("ints", "normal"))).astype(case.args["x"].dtype)
    return Case({"dout": dout, "x": case.args["x"], "w": case.args["w"]}, case.kwargs, note=f"b {case.args['b'].shape}")


BAD_CONV_ARGS = {
    N_("x and w disagree on channels"): ("x and w disagree on channels", lambda c: c.with_args(
        w=np.concatenate([c.args["w"]] * 2, axis=1))),
    N_("the kernel is larger than the padded input"): ("the kernel is larger than the padded input", lambda c: c.with_args(
        w=np.ones((1, c.args["x"].shape[1], c.args["x"].shape[2] + 5, 1)), b=np.zeros(1))),
    N_("stride is 0"): ("a stride is < 1", lambda c: c.with_args(stride=0)),
    N_("padding is negative"): ("a padding < 0", lambda c: c.with_args(padding=-1)),
}


# ------------------------------------------------------------------------------------------ forward
# Corners (grader/corners.py) by mutant family: flip and height and width "rectangular"; output size
# (square, a missing + 1, round) "rectangular" and "fractions"; bias (forgotten, per input channel) "batch";
# large-input code paths "batch"; dtype "rectangular"; validation every corruption of "rectangular".
@check("conv2d_forward", name=N_("matches the reference"), points=3, kind="value",
       statement=N_("conv2d_forward(x, w, b, stride, padding) equals the reference cross-correlation plus bias."),
       strategy=gen.conv_cases(),
       corners=corners.convs("smallest", "rectangular", "fractions", "batch"),
       hint=N_("out[n, k, i, j] = b[k] + sum over c, r < R, s < S of w[k, c, r, s] * "
               "x_pad[n, c, i*sh + r, j*sw + s] (no kernel flip; height and width counted separately)."))
def conv2d_forward_matches_the_reference(ctx, case):
    expect_close(ctx.call(case), ctx.reference(case), "out", shape_hint=SIZE_HINT)


@check("conv2d_forward", name=N_("is linear in x"), points=1, kind="property",
       statement=N_("With b = 0, conv(2*x1 + x2) equals 2*conv(x1) + conv(x2)."),
       strategy=gen.conv_cases(),
       corners=corners.convs("rectangular", "batch"),
       hint=N_("a convolution only multiplies and adds: no max, no abs, no clipping, no bias when b is 0."))
def conv2d_forward_is_linear_in_x(ctx, case):
    x1 = case.args["x"]
    x2 = np.roll(x1, 1, axis=-1) - 1
    zero = case.with_args(b=np.zeros_like(case.args["b"]))
    out1, out2 = ctx.call(zero.with_args(x=x1)), ctx.call(zero.with_args(x=x2))
    both = ctx.call(zero.with_args(x=2 * x1 + x2))
    shape = np.shape(ctx.reference(zero))
    for value, what in ((out1, "conv(x1)"), (out2, "conv(x2)"), (both, "conv(2*x1 + x2)")):
        require_array(value, what, shape, hint=SIZE_HINT)
    expect_nontrivial(out1, ctx.reference(zero.with_args(x=x1)), "conv(x1)")
    scale = float(np.abs(ctx.reference(zero.with_args(x=2 * x1 + x2))).max())
    problem = compare(both, 2 * out1 + out2, "conv(2*x1 + x2)", scale=scale, source="2*conv(x1) + conv(x2)")
    if problem:
        raise CheckFailed(problem)


@check("conv2d_forward", name=N_("padding means zeros around the image"), points=1, kind="property",
       statement=N_("conv(x, padding=p) equals conv(zero_pad(x, p), padding=0)."),
       strategy=gen.conv_cases(),
       corners=corners.convs("rectangular", "fractions"),
       hint=N_("padding adds p rows of zeros above and below and p columns left and right before scanning."))
def conv2d_forward_pads_with_zeros(ctx, case):
    ph, pw = gen.as_pair(case.kwargs["padding"])
    x_pad = np.pad(case.args["x"], ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    padded = ctx.call(case)
    unpadded = ctx.call(case.with_args(x=x_pad, padding=0))
    expected_shape = np.shape(ctx.reference(case))
    require_array(padded, f"conv(x, padding={case.kwargs['padding']!r})", expected_shape, hint=SIZE_HINT)
    expect_nontrivial(padded, ctx.reference(case), f"conv(x, padding={case.kwargs['padding']!r})")
    expect_close(padded, require_array(unpadded, "conv(zero_pad(x), padding=0)", expected_shape, hint=SIZE_HINT),
                 f"conv(x, padding={case.kwargs['padding']!r})", scale=float(np.abs(ctx.reference(case)).max()))


@check("conv2d_forward", name=N_("adds the bias of each kernel"), points=2, kind="property",
       statement=N_("conv(x, w, b) - conv(x, w, 0) equals b[k] in every position of output channel k."),
       strategy=gen.conv_cases(),
       corners=corners.convs("rectangular", "batch"),
       hint=N_("each output channel k gets its own bias b[k], added once per output position."))
def conv2d_forward_adds_the_bias(ctx, case):
    with_bias = ctx.call(case)
    without = ctx.call(case.with_args(b=np.zeros_like(case.args["b"])))
    shape = np.shape(ctx.reference(case))
    difference = require_array(with_bias, "out", shape, hint=SIZE_HINT) - require_array(without, "out", shape)
    expected = np.broadcast_to(case.args["b"][None, :, None, None], shape)
    expect_close(difference, np.asarray(expected, dtype=difference.dtype), "conv(x, w, b) - conv(x, w, 0)")


@check("conv2d_forward", name=N_("keeps the dtype and leaves inputs unchanged"), points=1, kind="contract",
       statement=N_("float32 inputs give a float32 output, and x, w, b are not modified."),
       strategy=gen.conv_cases(),
       corners=corners.convs("rectangular"),
       documented=("float32 inputs give a float32 out", "x, w and b are not modified"))
def conv2d_forward_keeps_float32_and_inputs(ctx, case):
    case32 = case.with_args(**{k: case.args[k].astype(np.float32) for k in ("x", "w", "b")})
    expect_pure(ctx, case32, lambda got: require_array(got, "out", np.shape(ctx.reference(case32)),
                                                       dtype=np.float32, hint=SIZE_HINT))


@check("conv2d_forward", name=N_("rejects bad arguments"), points=1, kind="errors",
       statement=N_("A channel mismatch, a kernel larger than the padded input, stride < 1 or padding < 0 raise ValueError."),
       hint=N_("validate once, at the entry, and raise ValueError with a message that names the argument."),
       **rejects(gen.conv_cases(), corners.convs("rectangular")[0], BAD_CONV_ARGS))
def conv2d_forward_rejects_bad_arguments(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ backward
# Corners by family: crop (p:-p, 1:-1, H for W) "smallest" and "rectangular" (padding 0 on one axis) and
# "batch" (padding 2); accumulation and batch "batch"; height and width "fractions" and "batch" (W_out >
# H_out); window start (the stride ignored in dx) "fractions" and "batch"; flip "rectangular"; dtype.
def expect_component(ctx, case, index, what, hint):
    """Element `index` of the (dx, dw, db) the student returned equals the reference's."""
    got = ctx.call(case)
    expected = ctx.reference(case)[index]
    if not isinstance(got, tuple) or len(got) != 3:
        got_text = (_("{type} of length {length}").format(type=type(got).__name__, length=len(got))
                    if isinstance(got, (tuple, list)) else type(got).__name__)
        raise CheckFailed(_("{name} should return a tuple {names}, got {got}.").format(
            name="conv2d_backward", names="(dx, dw, db)", got=got_text))
    expect_close(got[index], expected, what, hint=hint)


@check("conv2d_backward", name=N_("dx matches the reference"), points=3, kind="value",
       statement=N_("dx equals the gradient of sum(out * dout) with respect to x."),
       strategy=backward_cases(), hint=DX_HINT,
       corners=corners.conv_backwards("smallest", "rectangular", "fractions", "batch"))
def conv2d_backward_dx_matches_the_reference(ctx, case):
    expect_component(ctx, case, 0, "dx", DX_HINT)


@check("conv2d_backward", name=N_("dw matches the reference"), points=3, kind="value",
       statement=N_("dw equals the gradient of sum(out * dout) with respect to w."),
       strategy=backward_cases(), hint=DW_HINT,
       corners=corners.conv_backwards("smallest", "rectangular", "fractions", "batch"))
def conv2d_backward_dw_matches_the_reference(ctx, case):
    expect_component(ctx, case, 1, "dw", DW_HINT)


@check("conv2d_backward", name=N_("db matches the reference"), points=2, kind="value",
       statement=N_("db equals the gradient of sum(out * dout) with respect to b."),
       strategy=backward_cases(), hint=DB_HINT,
       corners=corners.conv_backwards("smallest", "rectangular", "batch"))
def conv2d_backward_db_matches_the_reference(ctx, case):
    expect_component(ctx, case, 2, "db", DB_HINT)


@check("conv2d_backward", name=N_("dx is the adjoint of the convolution"), points=1, kind="gradient",
       statement=N_("For any v shaped like x: <conv(v, w, 0), dout> == <v, dx>."),
       strategy=backward_cases(),
       corners=corners.conv_backwards("rectangular", "batch"),
       hint=DX_HINT)
def conv2d_backward_dx_is_the_adjoint_of_the_convolution(ctx, case):
    dout, x, w = case.positional
    got = ctx.call(case)
    dx = require_array(got[0] if isinstance(got, tuple) and got else got, "dx", x.shape, hint=DX_HINT)
    v = np.random.default_rng(x.size).standard_normal(x.shape)
    lhs = inner(forward(ctx, v, w, np.zeros(w.shape[0]), **case.kwargs), dout)
    rhs = inner(v, dx)
    if not np.isclose(lhs, rhs, rtol=1e-4, atol=1e-6 * (1 + abs(lhs))):
        raise CheckFailed(_("{lhs_name} = {lhs} but {rhs_name} = {rhs}: {what} is not the gradient.").format(
            lhs_name="<conv(v, w), dout>", lhs=f"{lhs:.6g}", rhs_name="<v, dx>", rhs=f"{rhs:.6g}", what="dx")
            + "\n" + gradient_note(dx, ctx.reference(case)[0], "dx") + hint_line(DX_HINT))


@check("conv2d_backward", name=N_("dw passes a finite-difference check"), points=1, kind="gradient",
       statement=N_("Along a random direction v, (L(w + h v) - L(w - h v)) / 2h equals <dw, v>, L(w) = sum(conv(x, w) * dout)."),
       strategy=backward_cases(),
       corners=corners.conv_backwards("rectangular", "batch"),
       hint=DW_HINT)
def conv2d_backward_dw_passes_finite_differences(ctx, case):
    dout, x, w = case.positional
    got = ctx.call(case)
    dw = require_array(got[1] if isinstance(got, tuple) and len(got) > 1 else got, "dw", w.shape, hint=DW_HINT)
    v = np.random.default_rng(w.size).standard_normal(w.shape)
    h = 1e-3 * (1 + float(np.abs(w).max()))
    b = np.zeros(w.shape[0])
    x64, w64, d64 = (a.astype(np.float64) for a in (x, w, dout))
    numeric = (inner(forward(ctx, x64, w64 + h * v, b, **case.kwargs), d64)
               - inner(forward(ctx, x64, w64 - h * v, b, **case.kwargs), d64)) / (2 * h)
    analytic = inner(dw, v)
    if not np.isclose(numeric, analytic, rtol=1e-3, atol=1e-5 * (1 + abs(numeric))):
        raise CheckFailed(_("finite differences give {numeric} along v, but {inner} = {analytic}.").format(
            numeric=f"{numeric:.6g}", inner="<dw, v>", analytic=f"{analytic:.6g}")
            + "\n" + gradient_note(dw, ctx.reference(case)[1], "dw") + hint_line(DW_HINT))


@check("conv2d_backward", name=N_("returns gradients shaped like the inputs and leaves inputs unchanged"), points=2, kind="contract",
       statement=N_("With float32 inputs, conv2d_backward returns float32 (dx, dw, db) with the shapes of x, w and b, and "
                    "does not modify dout, x or w."),
       strategy=backward_cases(),
       corners=corners.conv_backwards("rectangular"),
       documented=("returns the tuple (dx, dw, db)", "float32 inputs give float32 gradients",
                   "dout, x and w are not modified"))
def conv2d_backward_keeps_float32_shapes_and_inputs(ctx, case):
    def shapes(got):
        if not isinstance(got, tuple) or len(got) != 3:
            raise CheckFailed(_("{name} should return a tuple {names}, got {got}.").format(
                name="conv2d_backward", names="(dx, dw, db)", got=type(got).__name__))
        x, w = case.args["x"], case.args["w"]
        for value, what, shape in zip(got, ("dx", "dw", "db"), (x.shape, w.shape, (w.shape[0],))):
            require_array(value, what, shape, dtype=np.float32)

    case32 = case.with_args(**{k: case.args[k].astype(np.float32) for k in ("dout", "x", "w")})
    expect_pure(ctx, case32, shapes)
