"""Checks of unpool_nearest, unpool_nearest_backward, max_unpool and max_unpool_backward."""

import numpy as np

from .. import corners, strategies as gen
from .base import CheckFailed, check, expect_close, expect_raises, require_array
from .common import expect_pure, gradient_note, inner, rejects
from .pooling import mismatch

NEAREST_HINT = ("repeat every value sh times down and sw times across, out[n, c, i, j] = x[n, c, i // sh, j // sw]: "
                "x.repeat(sh, axis=2).repeat(sw, axis=3) (np.tile would repeat the whole image instead).")
NEAREST_DX_HINT = ("x[n, c, i, j] was copied to the whole (sh, sw) block at rows i*sh.., columns j*sw.. (sh for the "
                   "height, sw for the width), so its gradient is the sum of dout over that block (not one element "
                   "of it).")
MAX_UNPOOL_HINT = ("indices are flat into the whole H_out*W_out output plane, not into a window: "
                   "out[n, c, idx // W_out, idx % W_out] = x[n, c, i, j], zeros elsewhere.")
MAX_UNPOOL_DX_HINT = ("max_unpool copied x[n, c, i, j] to position idx of the output plane, so dx[n, c, i, j] "
                      "reads (gathers) dout there: dout[n, c, idx // W_out, idx % W_out]; dx has the shape of x.")


def reference(name):
    import solutions

    return getattr(solutions, name)


def reference_indices(x, kernel_size, stride):
    return reference("max_pool_indices")(x, kernel_size, stride)


def nearest_shape(case):
    (N, C, H, W), (sh, sw) = case.args["x"].shape, gen.as_pair(case.args["scale"])
    return (N, C, H * sh, W * sw)


def direction(shape, seed):
    return np.random.default_rng(seed).standard_normal(shape)


def expect_float32_pure(ctx, case, what, shape_of):
    """float32 stays float32 with the right shape, and no argument changes."""
    case32 = case.with_args(**{k: v.astype(np.float32) for k, v in case.args.items()
                               if isinstance(v, np.ndarray) and v.dtype.kind == "f"})
    expect_pure(ctx, case32, lambda got: require_array(got, what, shape_of(case32), dtype=np.float32))


KEEPS_FLOAT32 = "keeps float32 and leaves its inputs unchanged"


def odd_height(dout):
    return dout if dout.shape[2] % 2 else np.concatenate([dout, dout[:, :, :1]], axis=2)


def out_of_plane(case, key="output_size", low=False):
    """The same case with one index outside [0, H_out * W_out)."""
    indices = case.args["indices"].copy()
    plane = int(np.prod(case.args[key] if key == "output_size" else case.args[key].shape[2:]))
    indices.flat[0] = -1 if low else plane
    return case.with_args(indices=indices)


MAX_UNPOOL_CASES = gen.max_unpool_cases(reference_indices)
MAX_UNPOOL_BACKWARD_CASES = gen.max_unpool_backward_cases(reference_indices)


# ------------------------------------------------------------------------------------------ unpool_nearest
# Corners (grader/corners.py) by mutant family: shape (the first scale for both axes) and repeat (np.tile)
# "pair"; dtype "pair"; validation every corruption of "pair".
@check("unpool_nearest", name="matches the reference", points=1, kind="value",
       statement="unpool_nearest(x, scale) repeats every x[n, c, i, j] over an (sh, sw) block of the output.",
       strategy=gen.nearest_cases(),
       corners=corners.nearests("smallest", "pair", "int"),
       hint=NEAREST_HINT)
def unpool_nearest_matches_the_reference(ctx, case):
    expect_close(ctx.call(case), ctx.reference(case), "out", hint=NEAREST_HINT,
                 shape_hint="out has shape (N, C, H*sh, W*sw): repeat along both spatial axes.")


@check("unpool_nearest", name="average pooling undoes it", points=1, kind="property",
       statement="avg_pool(unpool_nearest(x, s), kernel_size=s) == x: every (sh, sw) block holds copies of one value.",
       strategy=gen.nearest_cases(),
       corners=corners.nearests("pair", "int"),
       hint=NEAREST_HINT)
def unpool_nearest_is_undone_by_average_pooling(ctx, case):
    x, scale = case.args["x"], case.args["scale"]
    out = require_array(ctx.call(case), "out", nearest_shape(case),
                        hint="out has shape (N, C, H*sh, W*sw): repeat along both spatial axes.")
    back = reference("avg_pool_forward")(out, gen.as_pair(scale))
    problem = mismatch(back, x, "avg_pool(out, s)", "x")
    if problem:
        raise CheckFailed(problem + f"\nHint: {NEAREST_HINT}")


@check("unpool_nearest", name=KEEPS_FLOAT32, points=0.5, kind="contract",
       statement="float32 x gives a float32 output of shape (N, C, H*sh, W*sw), and x is not modified.",
       strategy=gen.nearest_cases(),
       corners=corners.nearests("pair"),
       documented=("float32 x gives a float32 out", "x is not modified"))
def unpool_nearest_keeps_float32_and_inputs(ctx, case):
    expect_float32_pure(ctx, case, "out", nearest_shape)


# ------------------------------------------------------------------------------------------ unpool_nearest_backward
# Corners by family: sum (a block mean, a strided pick) and height and width (a scale pair swapped) "pair"
# and "int"; validation (an uneven dout cropped) the corruptions of "pair".
def nearest_dx_shape(case):
    (N, C, Hs, Ws), (sh, sw) = case.args["dout"].shape, gen.as_pair(case.args["scale"])
    return (N, C, Hs // sh, Ws // sw)


@check("unpool_nearest_backward", name="matches the reference", points=1, kind="value",
       statement="dx[n, c, i, j] is the sum of dout over the (sh, sw) block that x[n, c, i, j] was copied to.",
       strategy=gen.nearest_backward_cases(),
       corners=corners.nearest_backwards("smallest", "pair", "int"),
       hint=NEAREST_DX_HINT)
def unpool_nearest_backward_matches_the_reference(ctx, case):
    expect_close(ctx.call(case), ctx.reference(case), "dx", hint=NEAREST_DX_HINT,
                 shape_hint="dx has shape (N, C, H_out // sh, W_out // sw), the shape of x.")


@check("unpool_nearest_backward", name="dx is the adjoint of nearest unpooling", points=1, kind="gradient",
       statement="For any v shaped like x: <unpool_nearest(v, s), dout> == <v, dx>.",
       strategy=gen.nearest_backward_cases(),
       corners=corners.nearest_backwards("pair", "int"),
       hint=NEAREST_DX_HINT)
def unpool_nearest_backward_dx_is_the_adjoint_of_nearest_unpooling(ctx, case):
    dout, scale = case.args["dout"], case.args["scale"]
    shape = nearest_dx_shape(case)
    dx = require_array(ctx.call(case), "dx", shape, hint="dx has the shape of x, (N, C, H_out // sh, W_out // sw).")
    v = direction(shape, dout.size)
    lhs, rhs = inner(reference("unpool_nearest")(v, scale), dout), inner(v, dx)
    if not np.isclose(lhs, rhs, rtol=1e-4, atol=1e-5 * (1 + float(np.abs(dout).sum()))):
        raise CheckFailed(f"<unpool_nearest(v), dout> = {lhs:.6g} but <v, dx> = {rhs:.6g}: dx is not the gradient.\n"
                          + gradient_note(dx, ctx.reference(case), "dx") + f"\nHint: {NEAREST_DX_HINT}")


@check("unpool_nearest_backward", name=KEEPS_FLOAT32, points=0.5, kind="contract",
       statement="float32 dout gives a float32 dx of shape (N, C, H_out // sh, W_out // sw), and dout is not modified.",
       strategy=gen.nearest_backward_cases(),
       corners=corners.nearest_backwards("pair"),
       documented=("float32 dout gives a float32 dx", "dout is not modified"))
def unpool_nearest_backward_keeps_float32_and_inputs(ctx, case):
    expect_float32_pure(ctx, case, "dx", nearest_dx_shape)


# ------------------------------------------------------------------------------------------ max_unpool
# Corners by family: flat index (row stride from H_out, the window's corner) "rectangular" and "gaps"; dtype;
# validation (negative indices wrap around) every corruption of "rectangular".
def max_unpool_shape(case):
    return case.args["x"].shape[:2] + tuple(case.args["output_size"])


@check("max_unpool", name="matches the reference", points=1, kind="value",
       statement="max_unpool(x, indices, output_size) puts every x[n, c, i, j] at flat position indices[n, c, i, j] of "
                 "its (H_out, W_out) plane and zeros elsewhere.",
       strategy=MAX_UNPOOL_CASES,
       corners=corners.max_unpools("smallest", "rectangular", "gaps"),
       hint=MAX_UNPOOL_HINT)
def max_unpool_matches_the_reference(ctx, case):
    expect_close(ctx.call(case), ctx.reference(case), "out", hint=MAX_UNPOOL_HINT,
                 shape_hint="out has shape (N, C) + output_size.")


@check("max_unpool", name="puts x back where max pooling found it", points=1, kind="property",
       statement="With indices = max_pool_indices(s), out holds x[n, c, i, j] exactly at the maximum of window (i, j) of s, "
                 "and 0 everywhere else.",
       strategy=MAX_UNPOOL_CASES,
       corners=corners.max_unpools("rectangular", "gaps"),
       hint=MAX_UNPOOL_HINT)
def max_unpool_puts_values_at_their_indices(ctx, case):
    x, idx = case.args["x"], case.args["indices"]
    N, C = x.shape[:2]
    out = require_array(ctx.call(case), "out", max_unpool_shape(case), hint="out has shape (N, C) + output_size.")
    H_out, W_out = out.shape[2:]
    flat = np.asarray(out, dtype=np.float64).reshape(N, C, -1)
    at_indices = np.take_along_axis(flat, idx.reshape(N, C, -1), axis=2).reshape(x.shape)
    problem = mismatch(at_indices, x, "out at the indices", "x")
    if problem:
        raise CheckFailed(problem + f"\nHint: {MAX_UNPOOL_HINT}")
    elsewhere = flat.copy()
    np.put_along_axis(elsewhere, idx.reshape(N, C, -1), 0.0, axis=2)
    if np.any(elsewhere != 0):
        n, c, k = (int(i) for i in np.argwhere(elsewhere != 0)[0])
        raise CheckFailed(f"out[{n}, {c}, {k // W_out}, {k % W_out}] = {flat[n, c, k]:.6g}, but no index points "
                          f"there, so it should be 0.\nHint: {MAX_UNPOOL_HINT}")


@check("max_unpool", name=KEEPS_FLOAT32, points=0.5, kind="contract",
       statement="float32 x gives a float32 output of shape (N, C) + output_size, and x and indices are not modified.",
       strategy=MAX_UNPOOL_CASES,
       corners=corners.max_unpools("rectangular"),
       documented=("float32 x gives a float32 out", "x and indices are not modified"))
def max_unpool_keeps_float32_and_inputs(ctx, case):
    expect_float32_pure(ctx, case, "out", max_unpool_shape)


# ------------------------------------------------------------------------------------------ max_unpool_backward
# Corners by family: flat index (row stride from H_out) "rectangular"; shape (a scatter instead of a
# gather) every one; dtype "rectangular".
def max_unpool_dx_shape(case):
    return case.args["indices"].shape


@check("max_unpool_backward", name="matches the reference", points=1, kind="value",
       statement="dx[n, c, i, j] = dout[n, c, idx // W_out, idx % W_out] with idx = indices[n, c, i, j].",
       strategy=MAX_UNPOOL_BACKWARD_CASES,
       corners=corners.max_unpool_backwards("smallest", "rectangular", "gaps"),
       hint=MAX_UNPOOL_DX_HINT)
def max_unpool_backward_matches_the_reference(ctx, case):
    expect_close(ctx.call(case), ctx.reference(case), "dx", hint=MAX_UNPOOL_DX_HINT,
                 shape_hint="dx has the shape of indices (and of x).")


@check("max_unpool_backward", name="dx is the adjoint of max unpooling", points=1, kind="gradient",
       statement="For any v shaped like indices: <max_unpool(v, indices, output_size), dout> == <v, dx>.",
       strategy=MAX_UNPOOL_BACKWARD_CASES,
       corners=corners.max_unpool_backwards("rectangular", "gaps"),
       hint=MAX_UNPOOL_DX_HINT)
def max_unpool_backward_dx_is_the_adjoint_of_max_unpooling(ctx, case):
    dout, idx = case.args["dout"], case.args["indices"]
    dx = require_array(ctx.call(case), "dx", idx.shape, hint="dx has the shape of indices (and of x).")
    v = direction(idx.shape, dout.size)
    lhs = inner(reference("max_unpool")(v, idx, dout.shape[2:]), dout)
    rhs = inner(v, dx)
    if not np.isclose(lhs, rhs, rtol=1e-4, atol=1e-5 * (1 + float(np.abs(dout).sum()))):
        raise CheckFailed(f"<max_unpool(v), dout> = {lhs:.6g} but <v, dx> = {rhs:.6g}: dx is not the gradient.\n"
                          + gradient_note(dx, ctx.reference(case), "dx") + f"\nHint: {MAX_UNPOOL_DX_HINT}")


@check("max_unpool_backward", name=KEEPS_FLOAT32, points=0.5, kind="contract",
       statement="float32 dout gives a float32 dx shaped like indices, and dout and indices are not modified.",
       strategy=MAX_UNPOOL_BACKWARD_CASES,
       corners=corners.max_unpool_backwards("rectangular"),
       documented=("float32 dout gives a float32 dx", "dout and indices are not modified"))
def max_unpool_backward_keeps_float32_and_inputs(ctx, case):
    expect_float32_pure(ctx, case, "dx", max_unpool_dx_shape)


# ------------------------------------------------------------------------------------------ bad arguments
SCALE_RULE, INDEX_RULE = "scale < 1", "an index lies outside [0, H_out * W_out)"
BAD_NEAREST_ARGS = {  # what is wrong -> (the docstring's rule, the corruption)
    "scale is 0": (SCALE_RULE, lambda c: c.with_args(scale=0)),
    "scale is negative": (SCALE_RULE, lambda c: c.with_args(scale=(1, -2))),
    "x is not 4-D": ("x is not 4-D", lambda c: c.with_args(x=c.args["x"][0])),
}
BAD_NEAREST_BACKWARD_ARGS = {
    "dout has an odd height and the scale is 2": ("not a multiple of the scale", lambda c: c.with_args(
        dout=odd_height(c.args["dout"]), scale=2)),
    "scale is 0": (SCALE_RULE, lambda c: c.with_args(scale=0)),
}
BAD_MAX_UNPOOL_ARGS = {
    "an index is negative": (INDEX_RULE, lambda c: out_of_plane(c, low=True)),
    "an index is past the end of the output plane": (INDEX_RULE, lambda c: out_of_plane(c)),
    "indices and x disagree on shape": ("indices is not shaped like x", lambda c: c.with_args(
        indices=c.args["indices"][:, :, :0])),
}
BAD_MAX_UNPOOL_BACKWARD_ARGS = {
    "an index is negative": (INDEX_RULE, lambda c: out_of_plane(c, key="dout", low=True)),
    "an index is past the end of dout's plane": (INDEX_RULE, lambda c: out_of_plane(c, key="dout")),
}


@check("unpool_nearest", name="rejects bad arguments", points=0.5, kind="errors",
       statement="scale < 1 or an x that is not (N, C, H, W) raises ValueError.",
       hint="validate once, at the entry: as_pair(scale, 'scale', minimum=1) and x.ndim == 4.",
       **rejects(gen.nearest_cases(), corners.nearests("pair")[0], BAD_NEAREST_ARGS))
def unpool_nearest_rejects_bad_arguments(ctx, case):
    expect_raises(ctx, case, why=case.note)


@check("unpool_nearest_backward", name="rejects bad arguments", points=0.5, kind="errors",
       statement="A dout whose height or width is not a multiple of the scale, or scale < 1, raises ValueError.",
       hint="dout came from unpool_nearest, so its H and W are multiples of (sh, sw): refuse any other dout "
            "instead of cropping it silently.",
       **rejects(gen.nearest_backward_cases(), corners.nearest_backwards("pair")[0], BAD_NEAREST_BACKWARD_ARGS))
def unpool_nearest_backward_rejects_bad_arguments(ctx, case):
    expect_raises(ctx, case, why=case.note)


@check("max_unpool", name="rejects bad arguments", points=0.5, kind="errors",
       statement="An index outside [0, H_out * W_out), or indices not shaped like x, raise ValueError.",
       hint="check 0 <= indices < H_out * W_out before writing: a negative index would silently wrap around.",
       **rejects(MAX_UNPOOL_CASES, corners.max_unpools("rectangular")[0], BAD_MAX_UNPOOL_ARGS))
def max_unpool_rejects_bad_arguments(ctx, case):
    expect_raises(ctx, case, why=case.note)


@check("max_unpool_backward", name="rejects bad arguments", points=0.5, kind="errors",
       statement="An index outside [0, H_out * W_out) of dout's plane raises ValueError.",
       hint="check 0 <= indices < H_out * W_out before reading: a negative index would silently wrap around.",
       **rejects(MAX_UNPOOL_BACKWARD_CASES, corners.max_unpool_backwards("rectangular")[0],
                 BAD_MAX_UNPOOL_BACKWARD_ARGS))
def max_unpool_backward_rejects_bad_arguments(ctx, case):
    expect_raises(ctx, case, why=case.note)
