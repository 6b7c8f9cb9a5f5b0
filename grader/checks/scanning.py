"""Checks of scan1d, scan1d_backward and detect."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .. import corners, strategies as gen
from .base import (N_, Case, CheckFailed, _, check, compare, describe_value, expect_close, expect_raises,
                   hint_line, indent, require_array, show_array)
from .common import expect_nontrivial, expect_pure, gradient_note, inner, rejects

SCAN_HINT = N_("y[i] = sum_j w[j] * x[i * stride + j] for i = 0 .. (L - F) // stride: the window starts every "
               "stride positions and w is not flipped.")
DX_HINT = N_("x[i * stride + j] was multiplied by w[j] in window i: add (+=) dy[i] * w[j] into dx[i * stride + j]; "
             "windows start every stride positions and several of them read the same x.")
DW_HINT = N_("a shared weight is used at every window: add the gradients from all of them, "
             "dw[j] = sum_i dy[i] * x[i * stride + j] (+=, not =).")
DETECT_HINT = N_("response[i, j] = sum over r, s of kernel[r, s] * image[i + r, j + s] (no flip) for every valid "
                 "(i, j); return (score, (row, col)) of the largest, row first; on ties the first window in "
                 "row-major order wins (np.argmax does that).")
START_HINT = N_("every response is negative here, so a running best that starts at 0 is never beaten: start it at -inf "
                "or at the first response (or take np.argmax of the whole response array).")
TIE_HINT = N_("on ties the first window in row-major order wins: scan rows top to bottom, columns left to right, "
              "and replace the best only when a response is strictly larger (np.argmax picks the first maximum).")


def forward(ctx, x, w, stride):
    """The reference scan1d (the live one, or its recorded answer)."""
    return ctx.reference(Case({"x": x, "w": w}, {"stride": stride}), "scan1d")


# ------------------------------------------------------------------------------------------ scan1d
# Corners (grader/corners.py) by mutant family: flip "overlap"; output size (the stride ignored, the last
# position missed) "exact" and "gaps"; dtype "exact"; validation every corruption of "gaps".
@check("scan1d", name=N_("matches the reference"), points=1, kind="value",
       statement=N_("scan1d(x, w, stride) equals the reference y[i] = sum_j w[j] * x[i * stride + j]."),
       strategy=gen.scan_cases(),
       corners=corners.scans("smallest", "overlap", "exact", "gaps"),
       hint=SCAN_HINT)
def scan1d_matches_the_reference(ctx, case):
    expect_close(ctx.call(case), ctx.reference(case), "y", hint=SCAN_HINT,
                 shape_hint=N_("y has (L - F) // stride + 1 elements: a window starts every stride positions."))


@check("scan1d", name=N_("is shift equivariant"), points=1, kind="property",
       statement=N_("Shifting x right by stride positions (new values in front) shifts y right by one: "
                    "scan1d(concat(v, x), w)[1:] == scan1d(x, w) for any v of length stride."),
       strategy=gen.scan_cases(),
       corners=corners.scans("overlap", "gaps"),
       hint=N_("each y[i] must depend only on the window x[i * stride : i * stride + F], with the "
               "same w everywhere, so the same window gives the same output wherever it is."))
def scan1d_is_shift_equivariant(ctx, case):
    x, w = case.args["x"], case.args["w"]
    stride = case.kwargs["stride"]
    front = (np.arange(1, stride + 1) * (-1) ** np.arange(stride)).astype(x.dtype)
    shifted = case.with_args(x=np.concatenate([front, x]))
    y, y_shifted = ctx.call(case), ctx.call(shifted)
    length = (x.shape[0] - w.shape[0]) // stride + 1
    require_array(y, "scan1d(x, w)", (length,),
                  hint=N_("y has (L - F) // stride + 1 elements: a window starts every stride positions."))
    require_array(y_shifted, f"scan1d(concat({show_array(front)}, x), w)", (length + 1,),
                  hint=N_("y has (L - F) // stride + 1 elements: a window starts every stride positions."))
    expect_nontrivial(y, ctx.reference(case), "scan1d(x, w)")
    problem = compare(y_shifted[1:], y, "scan1d(concat(v, x), w)[1:]", scale=float(np.abs(ctx.reference(case)).max()),
                      source="scan1d(x, w)")
    if problem:
        raise CheckFailed(_("with v = {v} put in front of x:").format(v=show_array(front)) + "\n" + problem)


@check("scan1d", name=N_("keeps the dtype and leaves inputs unchanged"), points=0.5, kind="contract",
       statement=N_("float32 x and w give a float32 y, and x and w are not modified."),
       strategy=gen.scan_cases(),
       corners=corners.scans("exact"),
       documented=("float32 x and w give a float32 y", "x and w are not modified"),
       hint=N_("np.zeros(L_out, dtype=x.dtype) (or windows @ w) keeps float32; never write into x or w."))
def scan1d_keeps_the_dtype_and_leaves_inputs_unchanged(ctx, case):
    case32 = case.with_args(x=case.args["x"].astype(np.float32), w=case.args["w"].astype(np.float32))

    def float32(got):
        if not isinstance(got, np.ndarray) or got.dtype != np.float32:
            raise CheckFailed(_("scan1d of float32 x and w should return a float32 array, but it returned {value}.")
                              .format(value=describe_value(got))
                              + hint_line(N_("np.zeros(L_out, dtype=x.dtype) keeps the dtype.")))

    expect_pure(ctx, case32, float32)


BAD_SCANS = {  # what is wrong -> (the docstring's rule, the corruption)
    N_("w is longer than x"): ("w is longer than x", lambda c: c.with_args(
        w=np.ones(c.args["x"].shape[0] + 1 + c.args["w"].shape[0] % 2))),
    N_("stride < 1"): ("stride < 1", lambda c: c.with_args(stride=1 - c.kwargs["stride"])),
}


@check("scan1d", name=N_("rejects a kernel longer than x and stride < 1"), points=0.5, kind="errors",
       statement=N_("A kernel w longer than x, stride 0 or a negative stride raise ValueError."),
       hint=N_("validate at the entry: raise ValueError(\"'stride' must be >= 1 (got 0)\") and the like; "
               "the kernel must fit, F <= L."),
       **rejects(gen.scan_cases(), corners.scans("gaps")[0], BAD_SCANS))
def scan1d_rejects_bad_arguments(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ scan1d_backward
# Corners by family: accumulation (dx and dw assigned) "overlap" and "exact"; stride ignored "exact" and
# "gaps"; dtype "exact".
def gradients(ctx, case):
    """The student's (dx, dw), checked to be a pair of arrays shaped like x and w."""
    got = ctx.call(case)
    if not isinstance(got, tuple) or len(got) != 2:
        raise CheckFailed(_("{name} should return a tuple {names}, but it returned {value}.").format(
            name="scan1d_backward", names="(dx, dw)", value=describe_value(got)))
    dx = require_array(got[0], "dx", case.args["x"].shape, hint=N_("dx has the shape of x: (L,)."))
    dw = require_array(got[1], "dw", case.args["w"].shape, hint=N_("dw has the shape of w: (F,)."))
    return dx, dw


@check("scan1d_backward", name=N_("dx matches the reference"), points=1, kind="value",
       statement=N_("dx equals the gradient of sum(scan1d(x, w, stride) * dy) with respect to x."),
       strategy=gen.scan_backward_cases(),
       corners=corners.scan_backwards("smallest", "overlap", "exact", "gaps"),
       hint=DX_HINT)
def scan1d_backward_dx_matches_the_reference(ctx, case):
    dx, _dw = gradients(ctx, case)
    expected = ctx.reference(case)[0]
    if compare(dx, expected, "dx"):
        raise CheckFailed(gradient_note(dx, expected, "dx") + hint_line(DX_HINT))


@check("scan1d_backward", name=N_("dw matches the reference"), points=1, kind="value",
       statement=N_("dw equals the gradient of sum(scan1d(x, w, stride) * dy) with respect to w."),
       strategy=gen.scan_backward_cases(),
       corners=corners.scan_backwards("smallest", "overlap", "exact", "gaps"),
       hint=DW_HINT)
def scan1d_backward_dw_matches_the_reference(ctx, case):
    _dx, dw = gradients(ctx, case)
    expected = ctx.reference(case)[1]
    if compare(dw, expected, "dw"):
        raise CheckFailed(gradient_note(dw, expected, "dw") + hint_line(DW_HINT))


def directional_check(ctx, case, index: int, what: str, hint: str):
    """Central differences of L = sum(scan1d(x, w) * dy) along a random v against <d(what), v>."""
    dy, x, w = (case.args[k].astype(np.float64) for k in ("dy", "x", "w"))
    stride = case.kwargs["stride"]
    grad = gradients(ctx, case)[index]
    point = (x, w)[index]
    v = np.random.default_rng(point.size + 7 * stride).standard_normal(point.shape)
    h = 1e-3 * (1 + float(np.abs(point).max()))

    def loss(p):
        return inner(forward(ctx, p, w, stride) if index == 0 else forward(ctx, x, p, stride), dy)

    numeric = (loss(point + h * v) - loss(point - h * v)) / (2 * h)
    analytic = inner(grad, v)
    tol = 1e-2 if case.args["x"].dtype == np.float32 else 1e-6
    if not np.isclose(numeric, analytic, rtol=tol, atol=tol * (1 + np.abs(dy).sum() * np.abs(v).sum())):
        expected = ctx.reference(case)[index]
        raise CheckFailed(_("finite differences of {loss} along a random v give {numeric}, but {inner} = {analytic}: "
                            "{what} is not the gradient.").format(
            loss="L = sum(scan1d(x, w, stride) * dy)", numeric=f"{numeric:.6g}", inner=f"<{what}, v>",
            analytic=f"{analytic:.6g}", what=what) + "\n" + gradient_note(grad, expected, what) + hint_line(hint))


@check("scan1d_backward", name=N_("dx passes a finite-difference check"), points=1, kind="gradient",
       statement=N_("Along a random v shaped like x, (L(x + h v) - L(x - h v)) / 2h equals <dx, v>, L(x) = sum(scan1d(x, w) * dy)."),
       strategy=gen.scan_backward_cases(),
       corners=corners.scan_backwards("overlap", "gaps"),
       hint=DX_HINT)
def scan1d_backward_dx_passes_a_finite_difference_check(ctx, case):
    directional_check(ctx, case, 0, "dx", DX_HINT)


@check("scan1d_backward", name=N_("dw passes a finite-difference check"), points=1, kind="gradient",
       statement=N_("Along a random v shaped like w, (L(w + h v) - L(w - h v)) / 2h equals <dw, v>, L(w) = sum(scan1d(x, w) * dy)."),
       strategy=gen.scan_backward_cases(),
       corners=corners.scan_backwards("overlap", "gaps"),
       hint=DW_HINT)
def scan1d_backward_dw_passes_a_finite_difference_check(ctx, case):
    directional_check(ctx, case, 1, "dw", DW_HINT)


@check("scan1d_backward", name=N_("returns float32 (dx, dw) shaped like (x, w) and leaves inputs unchanged"), points=1, kind="contract",
       statement=N_("With float32 dy, x and w, scan1d_backward returns a tuple (dx, dw) of float32 arrays shaped like x and w, "
                    "and does not modify dy, x or w."),
       strategy=gen.scan_backward_cases(),
       corners=corners.scan_backwards("exact"),
       documented=("returns the tuple (dx, dw)", "float32 inputs give float32 gradients",
                   "dy, x and w are not modified"),
       hint=N_("start from dx = np.zeros_like(x) and dw = np.zeros_like(w), and never write into dy, x or w."))
def scan1d_backward_keeps_float32_shapes_and_inputs(ctx, case):
    case = case.with_args(**{k: v.astype(np.float32) for k, v in case.args.items()})

    def pair(got):
        if not isinstance(got, tuple) or len(got) != 2:
            raise CheckFailed(_("{name} should return a tuple {names}, but it returned {value}.").format(
                name="scan1d_backward", names="(dx, dw)", value=describe_value(got)))
        for value, what, name in zip(got, ("dx", "dw"), ("x", "w")):
            require_array(value, what, case.args[name].shape, dtype=case.args[name].dtype,
                          hint=_("{what} has the shape of {name}.").format(what=what, name=name))

    expect_pure(ctx, case, pair)


# ------------------------------------------------------------------------------------------ detect
# Corners by family: position ((col, row), a flat index) "rectangular" and moved patterns; argmax (the
# largest |response|) and initial maximum (a best that starts at 0) "negative"; ties "tie" and the tied
# patterns (the second copy below-left, on the same row).
def responses(image, kernel) -> np.ndarray:
    windows = sliding_window_view(np.asarray(image, dtype=np.float64), kernel.shape)
    return np.einsum("ijrs,rs->ij", windows, np.asarray(kernel, dtype=np.float64))


def detection(got, strict=False):
    """(score, (row, col)) as plain Python values, or CheckFailed explaining the type.

    strict=False accepts any real number (a 0-d array too) and any pair of whole numbers, so that only the
    type check charges for the types.
    """
    if not (isinstance(got, (tuple, list)) and len(got) == 2) or (strict and not isinstance(got, tuple)):
        raise CheckFailed(_("{name} should return a tuple {names}, but it returned {value}.").format(
            name="detect", names="(score, (row, col))", value=describe_value(got)))
    score, position = got
    if strict and (isinstance(score, np.ndarray) or not isinstance(score, (float, np.floating))):
        raise CheckFailed(_("the score should be a float, but it is {value}.").format(value=describe_value(score))
                          + hint_line(N_("return float(response[row, col]): a Python float, not a 0-d array or an "
                                         "int.")))
    if strict and not (isinstance(position, tuple) and len(position) == 2 and all(
            isinstance(i, (int, np.integer)) and not isinstance(i, (bool, np.bool_)) for i in position)):
        raise CheckFailed(not_a_position(position) + hint_line(N_(
            "return (int(row), int(col)), e.g. from np.unravel_index(np.argmax(response), response.shape).")))
    score_array = position_array = None
    if isinstance(score, (int, float, np.number, np.ndarray)) and not isinstance(score, (bool, np.bool_)):
        score_array = np.asarray(score)
    if isinstance(position, (tuple, list, np.ndarray)):
        try:
            position_array = np.asarray(position, dtype=np.float64)
        except (TypeError, ValueError):
            pass
    if score_array is None or score_array.dtype.kind not in "iuf" or score_array.size != 1:
        raise CheckFailed(_("the score should be a float, but it is {value}.").format(value=describe_value(score)))
    if (position_array is None or position_array.shape != (2,) or not np.all(np.isfinite(position_array))
            or np.any(position_array != np.round(position_array))):
        raise CheckFailed(not_a_position(position))
    return float(score_array.reshape(())), (int(position_array[0]), int(position_array[1]))


def not_a_position(position) -> str:
    shown = describe_value(position) if not isinstance(position, (tuple, list)) else repr(position)
    return _("the position should be a tuple (row, col) of two ints, but it is {value}.").format(value=shown)


def expect_detection(ctx, case):
    """The student's detection is the reference's: same position, score within rounding."""
    score, position = detection(ctx.call(case))
    expected_score, expected_position = ctx.reference(case)
    image, kernel = case.args["image"], case.args["kernel"]
    response = responses(image, kernel)
    scale = float(np.abs(kernel).sum() * np.abs(image).max()) + 1.0
    rtol = 1e-5 if np.float32 in (image.dtype, kernel.dtype) else 1e-9
    hint = START_HINT if response.max() < 0 <= score else DETECT_HINT
    if position != expected_position:
        inside = all(0 <= p < n for p, n in zip(position, response.shape))
        if inside and response[position] == response[expected_position]:
            raise CheckFailed(_("windows {expected} and {got} tie with the best response {score}; the first in "
                                "row-major order, {expected}, wins, but detect returned {got}.").format(
                expected=expected_position, got=position, score=f"{expected_score:.6g}") + hint_line(TIE_HINT))
        if position[::-1] == expected_position:
            raise CheckFailed(_("the best window is at (row, col) = {expected}, but detect returned {got}: (col, row), "
                                "swapped.").format(expected=expected_position, got=position)
                              + hint_line(N_("return (row, col), row first.")))
        if not (inside and abs(response[position] - expected_score) <= rtol * scale):  # else a rounding near-tie
            found = (_("the response there is {value}").format(value=f"{response[position]:.6g}") if inside
                     else _("not a valid window"))
            raise CheckFailed(_("the best window is at (row, col) = {expected} with response {score}, but detect "
                                "returned {got} ({found}).").format(
                expected=expected_position, score=f"{expected_score:.6g}", got=position, found=found)
                + "\nresponse =\n" + indent(show_array(response), 4) + hint_line(hint))
    if not abs(score - expected_score) <= rtol * scale:  # NaN fails too
        raise CheckFailed(_("the position {position} is right, but the score should be {expected}, not {got}.").format(
            position=position, expected=f"{expected_score:.6g}", got=f"{score:.6g}") + hint_line(hint))
    return score, position


@check("detect", name=N_("finds the reference's score and position"), points=1, kind="value",
       statement=N_("detect(image, kernel) returns the largest response sum(kernel * window) and the (row, col) of its "
                    "window's top-left corner."),
       strategy=gen.detect_cases(),
       corners=corners.detections("smallest", "rectangular", "negative", "tie"),
       hint=DETECT_HINT)
def detect_matches_the_reference(ctx, case):
    expect_detection(ctx, case)


@check("detect", name=N_("returns a float score and a (row, col) tuple of ints"), points=0.5, kind="contract",
       statement=N_("detect returns (score, (row, col)): score a float, row and col ints."),
       strategy=gen.detect_cases(),
       corners=corners.detections("rectangular"),
       documented=("the largest response as a Python float", "as Python ints"),
       hint=N_("return float(response[row, col]), (int(row), int(col))."))
def detect_returns_a_float_and_a_position(ctx, case):
    detection(ctx.call(case), strict=True)


@check("detect", name=N_("moving the pattern moves the position, not the score"), points=1.5, kind="property",
       statement=N_("A pattern on a background of zeros or negative values, moved by (dr, dc), is found (dr, dc) further "
                    "with the same score: the location of the max moves, the values stay."),
       strategy=gen.moved_pattern_cases(),
       corners=corners.moved_patterns("zeros", "negative"),
       hint=N_("the position is (row, col) = (i, j) of the window's top-left corner, "
               "row first; the score is the response there, whatever the position."))
def detect_is_shift_invariant(ctx, case):
    score, position = detection(ctx.call(case))
    moved = case.with_args(image=case.moved)
    moved_score, moved_position = detection(ctx.call(moved))
    dr, dc = case.shift
    expected = (position[0] + dr, position[1] + dc)
    if moved_position != expected:
        raise CheckFailed(_("the pattern moved by (rows, cols) = {shift}: found at {before} before, it should be found "
                            "at {expected} after, but detect returned {got}.").format(
            shift=(dr, dc), before=position, expected=expected, got=moved_position)
            + hint_line(N_("return (row, col), row first, of the best window's top-left corner.")))
    if not np.isclose(moved_score, score, rtol=1e-9, atol=1e-9):
        raise CheckFailed(_("the same pattern scored {score} at {position} but {moved_score} at {moved_position}: the "
                            "score is the response sum(kernel * window), wherever the window is.").format(
            score=f"{score:.6g}", position=position, moved_score=f"{moved_score:.6g}", moved_position=moved_position))


@check("detect", name=N_("ties go to the first window in row-major order"), points=1, kind="property",
       statement=N_("When the kernel appears twice, detect returns the copy whose window comes first row by row "
                    "(smaller row; on the same row, smaller column)."),
       strategy=gen.tied_pattern_cases(),
       corners=corners.tied_patterns("below-left", "same row"),
       hint=TIE_HINT)
def detect_ties_go_to_the_first_window_in_row_major_order(ctx, case):
    expect_detection(ctx, case)
