"""Hypothesis strategies for every graded function, in one place.

Shapes and parameters are drawn (so hypothesis shrinks them to the smallest failing case); array values
come from a drawn seed and a drawn "style", which shrinks to small integers that read well in feedback.
Drawing elements one by one would cost milliseconds per array. Dependent values (an image at least as large
as its kernel) are drawn from ranges that already satisfy the constraint, never filtered.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from .cases import Case

STYLES = ("ints", "normal", "large", "negative", "float32")


@st.composite
def arrays(draw, shape, styles=STYLES) -> np.ndarray:
    """An array of the given shape: small integers, normal floats, large values, negatives or float32."""
    style = draw(st.sampled_from(styles))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if style == "ints":
        return rng.integers(-4, 5, size=shape).astype(np.float64)
    values = rng.standard_normal(shape)
    if style == "large":
        return values * 1e6
    if style == "negative":
        return -np.abs(values) - 1.0
    return values.astype(np.float32 if style == "float32" else np.float64)


@st.composite
def pairs(draw, low, high, square_bias=True):
    """An int or an (h, w) pair; the int form is tried first when shrinking."""
    if draw(st.booleans()):
        return (draw(st.integers(low, high)), draw(st.integers(low, high)))
    return draw(st.integers(low, high))


def as_pair(value):
    return value if isinstance(value, tuple) else (value, value)


def sizes(moderate):
    """Upper bounds for N, C/K and extra spatial size: tiny by default, some moderately sized cases."""
    return (4, 6, 14) if moderate else (2, 3, 5)


# ------------------------------------------------------------------------------------------ params
@st.composite
def fc_cases(draw):
    return Case({"in_features": draw(st.integers(1, 200_000)), "out_features": draw(st.integers(1, 4096))},
                {"bias": draw(st.booleans())})


@st.composite
def conv_param_cases(draw):
    return Case({"in_channels": draw(st.integers(1, 512)), "out_channels": draw(st.integers(1, 512)),
                 "kernel_size": draw(pairs(1, 11))}, {"bias": draw(st.booleans())})


@st.composite
def layer_stacks(draw):
    """An input (C, H, W) and a list of layers whose windows all fit."""
    channels, h, w = draw(st.integers(1, 4)), draw(st.integers(4, 40)), draw(st.integers(4, 40))
    input_shape, layers = (channels, h, w), []
    for _ in range(draw(st.integers(0, 4))):
        k = draw(st.integers(1, min(h, w, 5)))
        s = draw(st.integers(1, 3))
        if draw(st.booleans()):
            p = draw(st.integers(0, 2))
            layers.append(("conv", draw(st.integers(1, 16)), k, s, p))
            h, w = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
        else:
            layers.append(("maxpool", k, s))
            h, w = (h - k) // s + 1, (w - k) // s + 1
    layers.append(("flatten",))
    layers += [("fc", draw(st.integers(1, 64))) for _ in range(draw(st.integers(0, 3)))]
    return Case({"input_shape": input_shape, "layers": layers})


# ------------------------------------------------------------------------------------------ padding
@st.composite
def output_size_cases(draw):
    kernel, padding, stride = draw(st.integers(1, 7)), draw(st.integers(0, 3)), draw(st.integers(1, 4))
    size = draw(st.integers(max(1, kernel - 2 * padding), kernel - 2 * padding + 12))
    return Case({"input_size": size, "kernel_size": kernel}, {"padding": padding, "stride": stride})


@st.composite
def pad_cases(draw, moderate=False):
    n_max, c_max, extra = sizes(moderate)
    x = draw(arrays((draw(st.integers(1, n_max)), draw(st.integers(1, c_max)),
                     draw(st.integers(1, 1 + extra)), draw(st.integers(1, 1 + extra)))))
    form = draw(st.sampled_from(("int", "pair", "nested")))
    p = lambda: draw(st.integers(0, 3))  # noqa: E731
    padding = {"int": lambda: p(), "pair": lambda: (p(), p()), "nested": lambda: ((p(), p()), (p(), p()))}[form]()
    return Case({"x": x, "padding": padding})


# ------------------------------------------------------------------------------------------ scanning
@st.composite
def scan_cases(draw):
    f = draw(st.integers(1, 5))
    length = draw(st.integers(f, f + 12))
    x, w = draw(arrays((length,))), draw(arrays((f,), styles=("ints", "normal")))
    return Case({"x": x, "w": w}, {"stride": draw(st.integers(1, 3))})


@st.composite
def detect_cases(draw):
    r, s = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    image = draw(arrays((draw(st.integers(r, r + 8)), draw(st.integers(s, s + 8)))))
    return Case({"image": image, "kernel": draw(arrays((r, s), styles=("ints", "normal")))})


# ------------------------------------------------------------------------------------------ conv
@st.composite
def conv_cases(draw):
    """x (N, C, H, W), w (K, C, R, S), b (K,), stride 1-3, padding 0-2; non-square allowed."""
    moderate = draw(st.booleans()) and draw(st.booleans())
    n_max, c_max, extra = sizes(moderate)
    n, c, k = draw(st.integers(1, n_max)), draw(st.integers(1, c_max)), draw(st.integers(1, c_max))
    r, s = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    padding, stride = draw(pairs(0, 2)), draw(pairs(1, 3))
    ph, pw = as_pair(padding)
    h = draw(st.integers(max(1, r - 2 * ph), max(1, r - 2 * ph) + extra))
    w_ = draw(st.integers(max(1, s - 2 * pw), max(1, s - 2 * pw) + extra))
    x = draw(arrays((n, c, h, w_)))
    weights = draw(arrays((k, c, r, s), styles=("ints", "normal")))
    bias = draw(arrays((k,), styles=("ints", "normal")))
    if x.dtype == np.float32:
        weights, bias = weights.astype(np.float32), bias.astype(np.float32)
    return Case({"x": x, "w": weights, "b": bias}, {"stride": stride, "padding": padding})


# ------------------------------------------------------------------------------------------ pooling
@st.composite
def pool_cases(draw, overlapping=None):
    """x (N, C, H, W), kernel_size, stride (None = kernel_size); windows may overlap or leave a remainder."""
    moderate = draw(st.booleans()) and draw(st.booleans())
    n_max, c_max, extra = sizes(moderate)
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kernel = kh if kh == kw and draw(st.booleans()) else (kh, kw)
    overlap = draw(st.booleans()) if overlapping is None else overlapping
    if overlap:
        stride = (draw(st.integers(1, kh)), draw(st.integers(1, kw)))
    else:
        stride = draw(st.sampled_from((None, "kernel")))
        stride = None if stride is None else (kh, kw)
    x = draw(arrays((draw(st.integers(1, n_max)), draw(st.integers(1, c_max)),
                     draw(st.integers(kh, kh + extra)), draw(st.integers(kw, kw + extra)))))
    return Case({"x": x, "kernel_size": kernel}, {"stride": stride})


# ------------------------------------------------------------------------------------------ unpooling
@st.composite
def nearest_cases(draw):
    n_max, c_max, extra = sizes(False)
    x = draw(arrays((draw(st.integers(1, n_max)), draw(st.integers(1, c_max)),
                     draw(st.integers(1, 1 + extra)), draw(st.integers(1, 1 + extra)))))
    return Case({"x": x, "scale": draw(pairs(1, 3))})


@st.composite
def max_unpool_cases(draw, reference_indices):
    """x and indices as max pooling of a larger input produces them, and that input's size."""
    pool = draw(pool_cases(overlapping=False))
    source = pool.args["x"]
    indices = reference_indices(source, pool.args["kernel_size"], pool.kwargs["stride"])
    values = draw(arrays(indices.shape))
    return Case({"x": values, "indices": indices, "output_size": tuple(source.shape[2:])})
