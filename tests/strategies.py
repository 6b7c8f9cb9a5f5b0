"""Hypothesis strategies for the exercise functions.

Shapes, strides and paddings are drawn so that every window fits (dependent
values are drawn, not filtered); array contents come from a NumPy generator
seeded with one drawn integer, which keeps generation fast. Sizes are small:
the plain-loop implementation and the finite-difference checks run on them.
"""
from typing import NamedTuple

import numpy as np
from hypothesis import strategies as st


def _rng(draw):
    return np.random.default_rng(draw(st.integers(0, 2**32 - 1)))


def _pair_arg(draw, pair):
    """An (h, w) pair, sometimes passed as a single int when h == w."""
    if pair[0] == pair[1] and draw(st.booleans()):
        return pair[0]
    return tuple(pair)


def _values(draw, rng, shape, dtype=np.float64, kind=None):
    """Array of ``shape``: "normal", small "integers" (many ties) or "distinct" values.

    Distinct values are a shuffled arithmetic progression (gaps of 0.25), safe
    for finite differences of max pooling.
    """
    kind = kind or draw(st.sampled_from(["normal", "integers"]))
    if kind == "normal":
        values = rng.standard_normal(shape)
    elif kind == "integers":
        values = rng.integers(-3, 4, size=shape).astype(np.float64)
    else:
        size = int(np.prod(shape))
        values = (rng.permutation(size) - size / 2).reshape(shape) * 0.25
    return values.astype(dtype)


class ConvCase(NamedTuple):
    x: np.ndarray
    w: np.ndarray
    b: np.ndarray
    stride: object   # int or (sh, sw), as passed to the functions
    padding: object  # int or (ph, pw)
    sh: int
    sw: int
    ph: int
    pw: int


@st.composite
def conv_cases(draw, dtype=np.float64, max_batch=2, max_channels=3, max_kernel=4,
               max_stride=3, max_padding=2, max_extra=5):
    """Inputs of conv2d: x (N, C, H, W), w (K, C, R, S), b (K,), stride, padding."""
    N = draw(st.integers(1, max_batch))
    C = draw(st.integers(1, max_channels))
    K = draw(st.integers(1, max_channels))
    R, S = draw(st.integers(1, max_kernel)), draw(st.integers(1, max_kernel))
    sh, sw = draw(st.integers(1, max_stride)), draw(st.integers(1, max_stride))
    ph, pw = draw(st.integers(0, max_padding)), draw(st.integers(0, max_padding))
    h_min, w_min = max(1, R - 2 * ph), max(1, S - 2 * pw)
    H = draw(st.integers(h_min, h_min + max_extra))
    W = draw(st.integers(w_min, w_min + max_extra))
    rng = _rng(draw)
    x = rng.standard_normal((N, C, H, W)).astype(dtype)
    w = rng.standard_normal((K, C, R, S)).astype(dtype)
    b = rng.standard_normal(K).astype(dtype)
    return ConvCase(x, w, b, _pair_arg(draw, (sh, sw)), _pair_arg(draw, (ph, pw)),
                    sh, sw, ph, pw)


class PoolCase(NamedTuple):
    x: np.ndarray
    kernel_size: object  # int or (kh, kw)
    stride: object       # None, int or (sh, sw)
    kh: int
    kw: int
    sh: int
    sw: int


@st.composite
def pool_cases(draw, dtype=np.float64, values=None, max_batch=2, max_channels=2,
               max_kernel=3, max_stride=3, max_extra=5):
    """Inputs of the pooling functions; strides below the kernel size overlap windows.

    ``values``: "normal", "integers" (ties) or "distinct"; drawn when None.
    """
    N, C = draw(st.integers(1, max_batch)), draw(st.integers(1, max_channels))
    kh, kw = draw(st.integers(1, max_kernel)), draw(st.integers(1, max_kernel))
    if draw(st.booleans()):
        stride, (sh, sw) = None, (kh, kw)
    else:
        sh, sw = draw(st.integers(1, max_stride)), draw(st.integers(1, max_stride))
        stride = _pair_arg(draw, (sh, sw))
    H = draw(st.integers(kh, kh + max_extra))
    W = draw(st.integers(kw, kw + max_extra))
    x = _values(draw, _rng(draw), (N, C, H, W), dtype, values)
    return PoolCase(x, _pair_arg(draw, (kh, kw)), stride, kh, kw, sh, sw)


@st.composite
def scan_cases(draw, values=None, max_length=12, max_stride=3):
    """Inputs of scan1d: x (L,), w (F,) with F <= L, stride."""
    L = draw(st.integers(1, max_length))
    F = draw(st.integers(1, min(L, 5)))
    stride = draw(st.integers(1, max_stride))
    rng = _rng(draw)
    return _values(draw, rng, (L,), kind=values), _values(draw, rng, (F,), kind=values), stride


@st.composite
def detect_cases(draw, values=None, max_size=8):
    """Inputs of detect: image (H, W) and kernel (R, S) with R <= H, S <= W."""
    H, W = draw(st.integers(1, max_size)), draw(st.integers(1, max_size))
    R, S = draw(st.integers(1, min(H, 4))), draw(st.integers(1, min(W, 4)))
    rng = _rng(draw)
    return _values(draw, rng, (H, W), kind=values), _values(draw, rng, (R, S), kind=values)


@st.composite
def pad_cases(draw, dtype=np.float64):
    """x (N, C, H, W), a padding in one of its forms, and it as ((top, bottom), (left, right))."""
    shape = tuple(draw(st.integers(1, n)) for n in (2, 2, 5, 5))
    x = _rng(draw).standard_normal(shape).astype(dtype)
    top, bottom, left, right = (draw(st.integers(0, 3)) for _ in range(4))
    form = draw(st.sampled_from(["int", "pair", "pairs"]))
    if form == "int":
        padding, widths = top, ((top, top), (top, top))
    elif form == "pair":
        padding, widths = (top, left), ((top, top), (left, left))
    else:
        padding = widths = ((top, bottom), (left, right))
    return x, padding, widths


@st.composite
def output_size_cases(draw):
    """(input_size, kernel_size, padding, stride) with the kernel fitting the padded input."""
    input_size, padding = draw(st.integers(1, 30)), draw(st.integers(0, 4))
    kernel_size = draw(st.integers(1, input_size + 2 * padding))
    return input_size, kernel_size, padding, draw(st.integers(1, 5))


@st.composite
def unpool_cases(draw, dtype=np.float64):
    """x (N, C, H, W) and a scale (int or pair)."""
    shape = tuple(draw(st.integers(1, n)) for n in (2, 2, 4, 4))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    x = _rng(draw).standard_normal(shape).astype(dtype)
    return x, _pair_arg(draw, (sh, sw)), (sh, sw)


@st.composite
def max_unpool_cases(draw, dtype=np.float64):
    """x (N, C, H, W), distinct flat indices into each (H_out, W_out) plane, output_size."""
    N, C = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    H_out, W_out = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    H, W = draw(st.integers(1, H_out)), draw(st.integers(1, W_out))
    rng = _rng(draw)
    x = rng.standard_normal((N, C, H, W)).astype(dtype)
    indices = np.stack([rng.permutation(H_out * W_out)[:H * W] for _ in range(N * C)])
    return x, indices.reshape(N, C, H, W).astype(np.int64), (H_out, W_out)


@st.composite
def network_cases(draw, max_features=3):
    """A valid (input_shape, layers) pair: conv / maxpool layers, flatten, fc layers."""
    C, H, W = draw(st.integers(1, 3)), draw(st.integers(1, 16)), draw(st.integers(1, 16))
    input_shape, layers = (C, H, W), []
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.booleans()):
            ph, pw = draw(st.integers(0, 2)), draw(st.integers(0, 2))
            R = draw(st.integers(1, min(5, H + 2 * ph)))
            S = draw(st.integers(1, min(5, W + 2 * pw)))
            sh, sw = draw(st.integers(1, 2)), draw(st.integers(1, 2))
            K = draw(st.integers(1, 8))
            layers.append(("conv", K, _pair_arg(draw, (R, S)), _pair_arg(draw, (sh, sw)),
                           _pair_arg(draw, (ph, pw))))
            C, H, W = K, (H + 2 * ph - R) // sh + 1, (W + 2 * pw - S) // sw + 1
        else:
            kh, kw = draw(st.integers(1, min(3, H))), draw(st.integers(1, min(3, W)))
            sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
            layers.append(("maxpool", _pair_arg(draw, (kh, kw)), _pair_arg(draw, (sh, sw))))
            H, W = (H - kh) // sh + 1, (W - kw) // sw + 1
    layers.append(("flatten",))
    for _ in range(draw(st.integers(0, max_features))):
        layers.append(("fc", draw(st.integers(1, 20))))
    return input_shape, layers
