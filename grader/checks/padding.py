"""Checks of conv_output_size, same_padding and zero_pad."""

import numpy as np
from hypothesis import strategies as st

from .. import corners, strategies as gen
from .base import (N_, Case, CheckFailed, _, check, describe_value, expect_close, expect_equal, expect_raises,
                   hint_line, indent, require_array, show_array)
from .common import expect_nontrivial, expect_pure, rejects

SIZE_HINT = N_("out = floor((I - F + 2P) / S) + 1: P zeros on each side (2P in all), then round down with "
               "integer division //.")
FLOOR_HINT = N_("when S does not divide I - F + 2P, the last partial step does not fit: round down with //, "
                "not round() or /: out = (I - F + 2P) // S + 1.")
SAME_HINT = N_("a kernel of size k needs k - 1 zeros in all to keep the size: before = (k - 1) // 2, "
               "after = k - 1 - before, so an even kernel puts its extra zero after.")
FORMS_HINT = N_("an int p pads p on all four sides; (ph, pw) pads ph rows above and below and pw columns left "
                "and right; ((top, bottom), (left, right)) gives each side.")
PAD_HINT = N_("allocate x_pad = np.zeros((N, C, top + H + bottom, left + W + right), dtype=x.dtype), then copy "
              "x_pad[:, :, top:top + H, left:left + W] = x (a slice like p:-p is empty when p is 0). An int p pads "
              "p on all four sides, (ph, pw) pads ph rows above and below and pw columns left and right.")


def is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


# ------------------------------------------------------------------------------------------ output size
# Corners (grader/corners.py) by mutant family: output size (a missing + 1, the padding once) "padded" and
# "kernel wider than input"; round() "fraction above half" and "half, padded"; type every one; validation
# every corruption of "half, padded".
def expect_size(got, expected: int, hint: str):
    if not is_number(got):
        raise CheckFailed(_("{name} should return an int, but it returned {value}.").format(
            name="conv_output_size", value=describe_value(got)))
    if got != expected:
        raise CheckFailed(_("{what}: expected {expected}, got {got}.").format(
            what="conv_output_size", expected=expected, got=repr(got)) + hint_line(hint))


@check("conv_output_size", name=N_("counts positions when the stride divides evenly"), points=1, kind="value",
       statement=N_("conv_output_size(I, F, padding=P, stride=S) == (I - F + 2P) / S + 1 when S divides I - F + 2P."),
       strategy=gen.output_size_cases(uneven=False),
       corners=corners.output_sizes("smallest", "padded", "kernel wider than input", "stride"),
       hint=SIZE_HINT)
def conv_output_size_counts_positions(ctx, case):
    expect_size(ctx.call(case), ctx.reference(case), SIZE_HINT)


@check("conv_output_size", name=N_("rounds down when the stride does not divide evenly"), points=1, kind="value",
       statement=N_("conv_output_size(I, F, padding=P, stride=S) == floor((I - F + 2P) / S) + 1 when S leaves a remainder."),
       strategy=gen.output_size_cases(uneven=True),
       corners=corners.output_sizes("fraction below half", "fraction above half", "half, padded"),
       hint=FLOOR_HINT)
def conv_output_size_rounds_down(ctx, case):
    expect_size(ctx.call(case), ctx.reference(case), FLOOR_HINT)


@check("conv_output_size", name=N_("returns an int"), points=0.5, kind="contract",
       statement=N_("The number of positions is an int (Python or NumPy), not a float, even when it is whole."),
       strategy=gen.output_size_cases(),
       corners=corners.output_sizes("padded", "fraction above half"),
       documented=("returns an int (Python or NumPy), never a float",),
       hint=N_("use integer division // (which keeps ints) instead of / followed by floor, or wrap it in int()."))
def conv_output_size_returns_an_int(ctx, case):
    got = ctx.call(case)
    if not is_int(got):
        raise CheckFailed(_("{name} should return an int, but it returned {value}.").format(
            name="conv_output_size", value=describe_value(got)))


BAD_SIZES = {  # what is wrong -> (the docstring's rule, the corruption)
    N_("the kernel is larger than the padded input"): ("the kernel does not fit the padded input", lambda c: c.with_args(
        kernel_size=c.args["input_size"] + 2 * c.kwargs["padding"] + 1 + c.args["kernel_size"] % 3)),
    N_("stride < 1"): ("stride < 1", lambda c: c.with_args(stride=1 - c.kwargs["stride"])),
    N_("kernel_size < 1"): ("kernel_size < 1", lambda c: c.with_args(kernel_size=1 - c.args["kernel_size"])),
    N_("padding < 0"): ("padding < 0", lambda c: c.with_args(padding=-1 - c.kwargs["padding"])),
}


@check("conv_output_size", name=N_("rejects impossible sizes"), points=1, kind="errors",
       statement=N_("A kernel larger than the padded input, stride < 1, kernel_size < 1 or padding < 0 raise ValueError."),
       hint=N_("validate at the entry and raise ValueError with a message naming the argument, e.g. "
               "\"'stride' must be >= 1 (got 0)\"; the kernel must fit: F <= I + 2P."),
       **rejects(gen.output_size_cases(), corners.output_sizes("half, padded")[0], BAD_SIZES))
def conv_output_size_rejects_impossible_sizes(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ same padding
# Corners by family: same padding (the extra zero before, k // 2 each side) even k = 2 and 4; type 1 and 4.
def expect_pair(got, what: str):
    if not (isinstance(got, tuple) and len(got) == 2 and all(is_int(v) for v in got)):
        shown = describe_value(got) if not isinstance(got, (tuple, list)) else repr(got)
        raise CheckFailed(_("{what} should return a tuple (before, after) of two ints, but it returned {value}.")
                          .format(what=what, value=shown))
    return tuple(int(v) for v in got)


kernel_sizes = st.builds(lambda k: Case({"kernel_size": k}), st.integers(1, 12))


@check("same_padding", name=N_("splits k - 1 zeros, the extra one after"), points=1, kind="value",
       statement=N_("same_padding(k) == ((k - 1) // 2, k - 1 - (k - 1) // 2) for odd and even k."),
       strategy=kernel_sizes,
       corners=corners.kernel_sizes(1, 2, 3, 4),
       hint=SAME_HINT)
def same_padding_splits_k_minus_1_zeros(ctx, case):
    expect_equal(ctx.call(case), ctx.reference(case), f"same_padding({case.args['kernel_size']})", SAME_HINT)


@check("same_padding", name=N_("keeps the size at stride 1"), points=0.5, kind="property",
       statement=N_("With (before, after) = same_padding(k), an input of size I padded to I + before + after gives "
                    "I + before + after - k + 1 == I positions."),
       strategy=kernel_sizes,
       corners=corners.kernel_sizes(2, 3, 4),
       hint=N_("the kernel fits I + before + after - k + 1 times: before + after must be k - 1, for even k too."))
def same_padding_keeps_the_size_at_stride_1(ctx, case):
    k, got = case.args["kernel_size"], ctx.call(case)
    if not (isinstance(got, (tuple, list)) and len(got) == 2 and all(is_number(v) for v in got)):
        raise CheckFailed(_("same_padding should return a pair (before, after), but it returned {value}.").format(
            value=describe_value(got)))
    before, after = got
    if before < 0 or after < 0 or before + after != k - 1:
        raise CheckFailed(_("{call} = {pair}: an input of size I padded to I + {total} gives I + {positions} "
                            "positions, not I.").format(call=f"same_padding({k})", pair=(before, after),
                                                         total=before + after, positions=before + after - k + 1)
                          + hint_line(N_("the kernel fits I + before + after - k + 1 times: before + after must be "
                                         "k - 1, for even k too.")))


@check("same_padding", name=N_("returns a tuple of two ints"), points=0.5, kind="contract",
       statement=N_("same_padding(k) returns a tuple (before, after) of ints."),
       strategy=kernel_sizes,
       corners=corners.kernel_sizes(1, 4),
       documented=("returns a tuple (before, after) of two ints",),
       hint=N_("return before, after with before = (k - 1) // 2 (// keeps ints, / makes floats)."))
def same_padding_returns_a_tuple_of_two_ints(ctx, case):
    expect_pair(ctx.call(case), "same_padding")


# ------------------------------------------------------------------------------------------ zero pad
# Corners by family: crop (p:-p) the three forms of padding 0; shape (a pair swapped, nested read as
# symmetric, every axis padded) "pair" and "nested"; zeros (edge values) "negative"; dtype "pair positive".
def pad_widths(padding):
    """((top, bottom), (left, right)) of any padding form."""
    if isinstance(padding, tuple) and isinstance(padding[0], tuple):
        return padding
    ph, pw = gen.as_pair(padding)
    return (ph, ph), (pw, pw)


@check("zero_pad", name=N_("matches the reference for every form of padding"), points=1, kind="value",
       statement=N_("zero_pad(x, padding) equals the reference for an int p, a pair (ph, pw) and ((top, bottom), (left, right))."),
       strategy=gen.pad_cases(),
       corners=corners.zero_pads("smallest", "pair", "nested", "negative"),
       hint=PAD_HINT)
def zero_pad_matches_the_reference(ctx, case):
    expected = ctx.reference(case)
    expect_close(ctx.call(case), expected, "x_pad", hint=PAD_HINT,
                 shape_hint=_("(top, bottom), (left, right) = {widths}: x_pad has shape (N, C, top + H + bottom, "
                              "left + W + right).").format(widths=pad_widths(case.args["padding"])))


@check("zero_pad", name=N_("padding 0 gives back x"), points=0.5, kind="property",
       statement=N_("zero_pad(x, 0), zero_pad(x, (0, 0)) and zero_pad(x, ((0, 0), (0, 0))) equal x."),
       strategy=gen.zero_padding_cases(),
       corners=corners.zero_pads("zero int", "zero pair", "zero nested"),
       hint=N_("a slice like p:-p is empty when p is 0 (-0 is 0): slice with top:top + H and left:left + W."))
def zero_pad_padding_0_gives_back_x(ctx, case):
    x = case.args["x"]
    expect_close(ctx.call(case), x, "x_pad",
                 hint=N_("a slice like p:-p is empty when p is 0 (-0 is 0): slice with top:top + H and left:left + W."))


@check("zero_pad", name=N_("the border is zeros and x sits inside"), points=1, kind="property",
       statement=N_("x_pad[:, :, top:top + H, left:left + W] == x and every other element is exactly 0, also when x "
                    "is all negative or large."),
       strategy=gen.pad_cases(styles=("negative", "large", "ints"), sides="bordered"),
       corners=corners.zero_pads("negative", "negative nested", "pair"),
       hint=PAD_HINT)
def zero_pad_border_is_zeros(ctx, case):
    x = case.args["x"]
    (top, bottom), (left, right) = pad_widths(case.args["padding"])
    N, C, H, W = x.shape
    got = require_array(ctx.call(case), "x_pad", (N, C, top + H + bottom, left + W + right),
                        hint=N_("x_pad has shape (N, C, top + H + bottom, left + W + right)."))
    border = np.ones(got.shape, dtype=bool)
    border[:, :, top:top + H, left:left + W] = False
    if np.any(got[border] != 0):
        where = tuple(int(i) for i in np.argwhere(border & (got != 0))[0])
        raise CheckFailed(_("the border of x_pad should be zeros, but {element} = {value}.").format(
            element=f"x_pad[{', '.join(map(str, where))}]", value=f"{got[where]:.6g}")
            + f"\nx_pad[0, 0] =\n{indent(show_array(got[0, 0]), 4)}" + hint_line(N_(
                "start from np.zeros (np.empty holds whatever was in memory, np.ones holds ones), never from a value "
                "taken from x.")))
    expect_close(got[:, :, top:top + H, left:left + W], x, f"x_pad[:, :, {top}:{top + H}, {left}:{left + W}]",
                 hint=N_("x goes at rows top:top + H and columns left:left + W (a slice like p:-p is empty when p "
                         "is 0); the first number of each pair is before (top, left), the second after (bottom, right)."))


@check("zero_pad", name=N_("the three forms of padding agree"), points=1, kind="property",
       statement=N_("zero_pad(x, p) places x like zero_pad(x, ((p, p), (p, p))), and zero_pad(x, (ph, pw)) like "
                    "zero_pad(x, ((ph, ph), (pw, pw))): same shape, x at the same place."),
       strategy=gen.pad_cases(sides="positive"),
       corners=corners.zero_pads("int positive", "pair positive", "nested positive"),
       hint=FORMS_HINT)
def zero_pad_the_three_forms_of_padding_agree(ctx, case):
    widths = pad_widths(case.args["padding"])
    (top, _bottom), (left, _right) = widths
    short, nested = ctx.call(case), ctx.call(case.with_args(padding=widths))
    shape = ctx.reference(case).shape
    inside = (slice(None), slice(None), slice(top, shape[2] - widths[0][1]), slice(left, shape[3] - widths[1][1]))
    require_array(nested, f"zero_pad(x, {widths})", shape,
                  hint=N_("((top, bottom), (left, right)): x_pad has shape (N, C, top + H + bottom, left + W + right)."))
    require_array(short, f"zero_pad(x, {case.args['padding']!r})", shape,
                  hint=_("{padding} means ((top, bottom), (left, right)) = {widths}.").format(
                      padding=f"padding={case.args['padding']!r}", widths=widths))
    padding = case.args["padding"]
    expect_nontrivial(short, ctx.reference(case), f"zero_pad(x, {padding!r})")
    expect_close(short[inside], nested[inside], f"zero_pad(x, {padding!r})[:, :, {top}:{top} + H, {left}:{left} + W]",
                 scale=float(np.abs(case.args["x"]).max(initial=0.0)),
                 hint=_("{padding} means ((top, bottom), (left, right)) = {widths}: x goes at rows {rows} and "
                        "columns {columns}.").format(padding=f"padding={padding!r}", widths=widths,
                                                     rows=f"{top}:{top} + H", columns=f"{left}:{left} + W"))


@check("zero_pad", name=N_("keeps the dtype and leaves x unchanged"), points=1, kind="contract",
       statement=N_("float32 x gives a float32 x_pad, and x is not modified."),
       strategy=gen.pad_cases(sides="positive"),
       corners=corners.zero_pads("pair positive"),
       documented=("float32 x gives a float32 x_pad", "x is not modified"),
       hint=N_("np.zeros(..., dtype=x.dtype) keeps the dtype; write into x_pad only, never into x."))
def zero_pad_keeps_float32_and_x(ctx, case):
    case32 = case.with_args(x=case.args["x"].astype(np.float32))

    def float32(got):
        if not isinstance(got, np.ndarray) or got.dtype != np.float32:
            raise CheckFailed(_("zero_pad of a float32 x should return a float32 array, but it returned {value}.")
                              .format(value=describe_value(got))
                              + hint_line(N_("np.zeros(..., dtype=x.dtype) keeps the dtype.")))

    expect_pure(ctx, case32, float32)
