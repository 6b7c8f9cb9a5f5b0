"""Hypothesis strategies for every graded function, in one place.

Shapes and parameters are drawn (so that shrinking makes them as small as the failure allows); array
values come from a drawn "style" and a drawn offset into a fixed pool of random numbers
(`grader/noise.py`), which shrink to small integers that read well in feedback. Drawing elements one by
one would cost milliseconds per array. Dependent values (an image at least as large as its kernel) are
drawn from ranges that already satisfy the constraint, never filtered. Cases are drawn by
`grader/drawing.py`, which knows the strategies used here; `integers` and `choice` build each
hypothesis strategy object once (hypothesis builds a new one, at some cost, on every call).
"""

from __future__ import annotations

import functools

import numpy as np
from hypothesis import strategies as st

from .cases import Case
from .noise import OFFSETS, Noise

STYLES = ("ints", "normal", "large", "negative", "float32")
BOOLEANS = st.booleans()


integers = functools.lru_cache(maxsize=None)(st.integers)
choice = functools.lru_cache(maxsize=None)(st.sampled_from)  # of a tuple


def noise(draw) -> Noise:
    """A source of array values, at a drawn offset into the pool."""
    return Noise(draw(integers(0, OFFSETS - 1)))


@st.composite
def arrays(draw, shape, styles=STYLES) -> np.ndarray:
    """An array of the given shape: small integers, normal floats, large values, negatives or float32."""
    style = draw(choice(tuple(styles)))
    rng = noise(draw)
    if style == "ints":
        return rng.integers(-4, 5, size=shape).astype(np.float64)
    values = rng.standard_normal(shape)
    if style == "large":
        return values * 1e6
    if style == "negative":
        return -np.abs(values) - 1.0
    return values.astype(np.float32 if style == "float32" else np.float64)


@st.composite
def pairs(draw, low, high):
    """An int or an (h, w) pair; the int form is tried first when shrinking."""
    if draw(BOOLEANS):
        return (draw(integers(low, high)), draw(integers(low, high)))
    return draw(integers(low, high))


def as_pair(value):
    return value if isinstance(value, tuple) else (value, value)


def sizes(moderate):
    """Upper bounds for N, C/K and extra spatial size: tiny by default, some moderately sized cases."""
    return (4, 6, 14) if moderate else (2, 3, 5)


# ------------------------------------------------------------------------------------------ params
@st.composite
def fc_cases(draw):
    """in_features, out_features (up to VGG-sized layers) and bias, passed as a keyword."""
    return Case({"in_features": draw(integers(1, 200_000)), "out_features": draw(integers(1, 4096))},
                {"bias": draw(BOOLEANS)})


@st.composite
def conv_param_cases(draw):
    """in_channels, out_channels, kernel_size (an int or a non-square pair) and bias, as a keyword."""
    return Case({"in_channels": draw(integers(1, 512)), "out_channels": draw(integers(1, 512)),
                 "kernel_size": draw(pairs(1, 11))}, {"bias": draw(BOOLEANS)})


@st.composite
def layer_stacks(draw):
    """An input (C, H, W) and a list of layers whose windows all fit: conv / maxpool, flatten, fc.

    Kernels 1-5, strides 1-3 (maxpool strides other than the kernel size too), conv padding 0-2; H and W
    are drawn separately and rarely divide evenly.
    """
    channels, h, w = draw(integers(1, 4)), draw(integers(4, 40)), draw(integers(4, 40))
    input_shape, layers = (channels, h, w), []
    for _ in range(draw(integers(0, 4))):
        k = draw(integers(1, min(h, w, 5)))
        s = draw(integers(1, 3))
        if draw(BOOLEANS):
            p = draw(integers(0, 2))
            layers.append(("conv", draw(integers(1, 16)), k, s, p))
            h, w = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
        else:
            layers.append(("maxpool", k, s))
            h, w = (h - k) // s + 1, (w - k) // s + 1
    layers.append(("flatten",))
    layers += [("fc", draw(integers(1, 64))) for _ in range(draw(integers(0, 3)))]
    return Case({"input_shape": input_shape, "layers": layers})


BAD_LAYERS = ("a window larger than the input", "fc before flatten", "an unknown layer kind")


@st.composite
def bad_layer_stacks(draw):
    """A valid stack with one bad layer inserted; the note says which layer (its index) is bad."""
    case = draw(layer_stacks())
    layers = list(case.args["layers"])
    flatten = layers.index(("flatten",))
    problem = draw(choice(BAD_LAYERS))
    if problem == BAD_LAYERS[0]:  # no image drawn above is 45 wide, even padded
        at, big = draw(integers(0, flatten)), draw(integers(45, 60))
        bad = draw(choice((("conv", 4, big, 1, 0), ("maxpool", big, 1))))
    elif problem == BAD_LAYERS[1]:
        at, bad = draw(integers(0, flatten)), ("fc", draw(integers(1, 64)))
    else:
        at, bad = draw(integers(0, len(layers))), draw(choice((("relu",), ("dropout", 0.5))))
    layers.insert(at, bad)
    return Case({"input_shape": case.args["input_shape"], "layers": layers}, note=f"layer {at} is {problem}")


LENET = [("conv", 6, 5, 1, 0), ("maxpool", 2, 2), ("conv", 16, 5, 1, 0), ("maxpool", 2, 2),
         ("flatten",), ("fc", 120), ("fc", 84), ("fc", 10)]


def published_networks():
    """LeNet-5 on 32x32 (and on 28x28 with padding 2): 61,706; an MLP on 128x128x3 with 256 units."""
    return st.sampled_from((
        Case({"input_shape": (1, 32, 32), "layers": LENET}, note="LeNet-5: 61,706 parameters"),
        Case({"input_shape": (1, 28, 28), "layers": [("conv", 6, 5, 1, 2)] + LENET[1:]},
             note="LeNet-5 on 28x28 with padding 2: 61,706 parameters"),
        Case({"input_shape": (3, 128, 128), "layers": [("flatten",), ("fc", 256)]},
             note="12,582,912 weights + 256 biases"),
    ))


# ------------------------------------------------------------------------------------------ padding
@st.composite
def output_size_cases(draw, uneven=None):
    """input_size, kernel_size (1-7), padding (0-3), stride (1-4), the kernel fitting the padded input.

    uneven=False: the stride divides I - F + 2P; True: it leaves a remainder; None: either.
    """
    kernel, padding = draw(integers(1, 7)), draw(integers(0, 3))
    uneven = draw(BOOLEANS) if uneven is None else uneven
    stride = draw(integers(2 if uneven else 1, 4))
    rest = draw(integers(1, stride - 1)) if uneven else 0
    least = max(0, -(-(1 - kernel + 2 * padding - rest) // stride))  # smallest q giving input_size >= 1
    size = kernel - 2 * padding + rest + stride * draw(integers(least, least + 30))
    return Case({"input_size": size, "kernel_size": kernel}, {"padding": padding, "stride": stride})


def padding_forms(draw, first=0, low=0, high=3):
    """An int p, a pair (ph, pw) or ((top, bottom), (left, right)) of numbers in low..high; the first >= first."""
    form = draw(choice(("int", "pair", "nested")))
    head = draw(integers(max(first, low), high))
    p = lambda: draw(integers(low, high))  # noqa: E731
    return {"int": lambda: head, "pair": lambda: (head, p()), "nested": lambda: ((head, p()), (p(), p()))}[form]()


@st.composite
def pad_cases(draw, styles=STYLES, sides="any"):
    """x (N, C, H, W) and a padding in any of its three forms, asymmetric ones included.

    sides="any": zeros too; "bordered": at least one side padded; "positive": every side padded.
    """
    n_max, c_max, extra = sizes(draw(BOOLEANS) and draw(BOOLEANS))
    x = draw(arrays((draw(integers(1, n_max)), draw(integers(1, c_max)),
                     draw(integers(1, 1 + extra)), draw(integers(1, 1 + extra))), styles=styles))
    low = 1 if sides == "positive" else 0
    return Case({"x": x, "padding": padding_forms(draw, first=0 if sides == "any" else 1, low=low)})


@st.composite
def zero_padding_cases(draw):
    """x (N, C, H, W) with padding 0 in one of its three forms."""
    case = draw(pad_cases())
    return case.with_args(padding=draw(choice((0, (0, 0), ((0, 0), (0, 0))))))


# ------------------------------------------------------------------------------------------ scanning
@st.composite
def scan_cases(draw):
    """x (L,), w (F,) with F <= L (often F == L), stride 1-3; w has x's dtype."""
    f = draw(integers(1, 5))
    length = f if draw(integers(0, 3)) == 0 else draw(integers(f, f + 12))
    x = draw(arrays((length,)))
    w = draw(arrays((f,), styles=("ints", "normal"))).astype(x.dtype)
    return Case({"x": x, "w": w}, {"stride": draw(integers(1, 3))})


@st.composite
def scan_backward_cases(draw):
    """dy (L_out,), x (L,), w (F,), stride, all of x's dtype."""
    case = draw(scan_cases())
    (length,), (f,), stride = case.args["x"].shape, case.args["w"].shape, case.kwargs["stride"]
    dy = draw(arrays(((length - f) // stride + 1,), styles=("ints", "normal")))
    return Case({"dy": dy.astype(case.args["x"].dtype), **case.args}, case.kwargs)


@st.composite
def detect_cases(draw):
    """image (H, W), kernel (R, S) with R <= H, S <= W; integer styles give tied responses."""
    r, s = draw(integers(1, 4)), draw(integers(1, 4))
    image = draw(arrays((draw(integers(r, r + 8)), draw(integers(s, s + 8)))))
    return Case({"image": image, "kernel": draw(arrays((r, s), styles=("ints", "normal")))})


class MovedPattern(Case):
    """A case of detect, plus `moved`: the same pattern on the same background, `shift` (rows, cols) away."""

    def __init__(self, args: dict, moved: np.ndarray, shift: tuple, note: str = ""):
        super().__init__(args, {}, note)
        self.moved, self.shift = moved, shift

    def describe(self) -> str:
        moved = Case({"moved image": self.moved}, note=f"the pattern shifted by {self.shift}")
        return super().describe() + "\n" + moved.describe()


@st.composite
def pattern_parts(draw):
    """A kernel of small non-negative ints (not all zero) and a background of zeros or negative values.

    Copied into the background, the kernel is the unique best window for itself (Cauchy-Schwarz), with
    the score sum(kernel ** 2), wherever it is placed.
    """
    r, s = draw(integers(1, 3)), draw(integers(1, 3))
    rng = noise(draw)
    kernel = rng.integers(0, 4, size=(r, s)).astype(np.float64)
    kernel[draw(integers(0, r - 1)), draw(integers(0, s - 1))] = draw(integers(1, 3))
    background = draw(choice(("zeros", "negative ints", "negative")))
    return kernel, background, rng


def background_image(shape, style, rng) -> np.ndarray:
    if style == "zeros":
        return np.zeros(shape)
    if style == "negative ints":
        return -rng.integers(1, 5, size=shape).astype(np.float64)
    return -np.abs(rng.standard_normal(shape)) * 100


@st.composite
def moved_pattern_cases(draw):
    """The kernel copied at (r1, c1) of a background, and at (r1 + dr, c1 + dc) of the same background."""
    kernel, style, rng = draw(pattern_parts())
    r, s = kernel.shape
    height, width = draw(integers(r, r + 7)), draw(integers(s, s + 7))
    background = background_image((height, width), style, rng)
    first = draw(integers(0, height - r)), draw(integers(0, width - s))
    second = draw(integers(0, height - r)), draw(integers(0, width - s))
    images = []
    for i, j in (first, second):
        image = background.copy()
        image[i:i + r, j:j + s] = kernel
        images.append(image)
    return MovedPattern({"image": images[0], "kernel": kernel}, note=f"pattern at {first}",
                        moved=images[1], shift=(second[0] - first[0], second[1] - first[1]))


@st.composite
def tied_pattern_cases(draw):
    """The kernel copied twice, apart enough that no window touches both copies: two best windows.

    The second copy is to the right, below, below-right or below-left (earlier column, later row).
    """
    kernel, style, rng = draw(pattern_parts())
    r, s = kernel.shape
    layout = draw(choice(("same row", "same column", "below-right", "below-left")))
    dr = 0 if layout == "same row" else draw(integers(2 * r, 2 * r + 2))
    dc = {"same row": lambda: draw(integers(2 * s, 2 * s + 2)), "same column": lambda: 0,
          "below-right": lambda: draw(integers(1, s + 2)),
          "below-left": lambda: -draw(integers(1, s + 2))}[layout]()
    top, left = draw(integers(0, 2)), draw(integers(0, 2)) + max(0, -dc)
    height = top + dr + r + draw(integers(0, 2))
    width = left + max(dc, 0) + s + draw(integers(0, 2))
    image = background_image((height, width), style, rng)
    for i, j in ((top, left), (top + dr, left + dc)):
        image[i:i + r, j:j + s] = kernel
    return Case({"image": image, "kernel": kernel},
                note=f"the kernel is copied at {(top, left)} and {(top + dr, left + dc)}")


# ------------------------------------------------------------------------------------------ conv
@st.composite
def conv_cases(draw):
    """x (N, C, H, W), w (K, C, R, S), b (K,), stride 1-3, padding 0-2; non-square allowed."""
    moderate = draw(BOOLEANS) and draw(BOOLEANS)
    n_max, c_max, extra = sizes(moderate)
    n, c, k = draw(integers(1, n_max)), draw(integers(1, c_max)), draw(integers(1, c_max))
    r, s = draw(integers(1, 4)), draw(integers(1, 4))
    padding, stride = draw(pairs(0, 2)), draw(pairs(1, 3))
    ph, pw = as_pair(padding)
    h = draw(integers(max(1, r - 2 * ph), max(1, r - 2 * ph) + extra))
    w_ = draw(integers(max(1, s - 2 * pw), max(1, s - 2 * pw) + extra))
    x = draw(arrays((n, c, h, w_)))
    weights = draw(arrays((k, c, r, s), styles=("ints", "normal")))
    bias = draw(arrays((k,), styles=("ints", "normal")))
    if x.dtype == np.float32:
        weights, bias = weights.astype(np.float32), bias.astype(np.float32)
    return Case({"x": x, "w": weights, "b": bias}, {"stride": stride, "padding": padding})


# ------------------------------------------------------------------------------------------ pooling
FAR_BELOW_ZERO = "far below zero"
POOL_STYLES = STYLES + (FAR_BELOW_ZERO,)
DISTINCT_STYLES = ("ints", "large", "negative")
TIED_STYLES = ("constant", "two levels", "three levels")


@st.composite
def pool_values(draw, shape, values="any") -> np.ndarray:
    """Pooling inputs of `shape`.

    values="any": every style of `arrays`, or all values far below zero (< -1e6);
    "distinct": no two elements equal, gaps >= 1 (max pooling is differentiable there);
    "tied": a constant or two or three levels, so most windows hold their maximum more than once.
    """
    if values == "any":
        style = draw(choice(POOL_STYLES))
        if style == FAR_BELOW_ZERO:
            return -np.abs(draw(arrays(shape, styles=("normal",)))) * 1e6 - 1e6
        return draw(arrays(shape, styles=(style,)))
    style = draw(choice(DISTINCT_STYLES if values == "distinct" else TIED_STYLES))
    rng = noise(draw)
    size = int(np.prod(shape))
    if style == "constant":
        return np.full(shape, float(draw(integers(-3, 3))))
    if style in ("two levels", "three levels"):
        return rng.integers(0, 2 if style == "two levels" else 3, size=shape).astype(np.float64)
    ranks = rng.permutation(size).reshape(shape).astype(np.float64)
    if style == "large":
        return (ranks - size / 2) * 1e5
    if style == "negative":
        return -ranks - 1e6
    return ranks - size // 2


@st.composite
def pool_geometry(draw, overlapping=None, ties=False):
    """((N, C, H, W), kernel_size, stride) with windows that fit.

    The stride is None (= kernel_size), the kernel size, a larger step (gaps) or, when windows overlap,
    smaller than the kernel along an axis; ints or (h, w) pairs. H and W leave remainders as often as not;
    along an axis whose stride is not the kernel size, two windows fit at least, so the overlap or the gap
    shows. ties=True draws windows of two elements or more.
    overlapping=True: windows overlap along at least one axis; False: they never overlap.
    """
    moderate = draw(BOOLEANS)  # half moderately sized: code taken only for larger inputs
    n_max, c_max, extra = sizes(moderate)
    if overlapping:
        kh = draw(integers(2, 3))
        kw = draw(integers(1, 3))
    else:
        kh = draw(integers(1, 3))
        kw = draw(integers(2 if ties and kh == 1 else 1, 3))
    mode = ("overlap" if overlapping else draw(choice(
        ("none", "kernel", "gap") if overlapping is False else ("none", "kernel", "overlap", "gap"))))
    if mode in ("none", "kernel"):
        sh, sw = kh, kw
    elif mode == "gap":
        sh, sw = draw(integers(kh, 3)), draw(integers(kw, 3))
    else:
        sh, sw = draw(integers(1, kh - 1 if overlapping else kh)), draw(integers(1, kw))
    kernel = kh if kh == kw and draw(BOOLEANS) else (kh, kw)
    stride = None if mode == "none" else sh if sh == sw and draw(BOOLEANS) else (sh, sw)
    least_h, least_w = kh + (sh if sh != kh else 0), kw + (sw if sw != kw else 0)
    shape = (draw(integers(1, n_max)), draw(integers(1, c_max)),
             draw(integers(least_h, least_h + extra)), draw(integers(least_w, least_w + extra)))
    return shape, kernel, stride


def pool_output_shape(shape, kernel, stride):
    """(N, C, H_out, W_out) of pooling an input of `shape`; windows that do not fit are dropped."""
    (kh, kw), (N, C, H, W) = as_pair(kernel), shape
    sh, sw = as_pair(kernel if stride is None else stride)
    return (N, C, (H - kh) // sh + 1, (W - kw) // sw + 1)


@st.composite
def pool_cases(draw, overlapping=None, values="any"):
    """x (N, C, H, W), kernel_size, stride (None = kernel_size); windows may overlap or leave a remainder."""
    shape, kernel, stride = draw(pool_geometry(overlapping, ties=values == "tied"))
    return Case({"x": draw(pool_values(shape, values)), "kernel_size": kernel}, {"stride": stride})


@st.composite
def pool_backward_cases(draw, overlapping=None, values="any"):
    """dout (N, C, H_out, W_out), x (N, C, H, W), kernel_size, stride; dout has x's dtype."""
    case = draw(pool_cases(overlapping, values))
    x, kernel, stride = case.args["x"], case.args["kernel_size"], case.kwargs["stride"]
    dout = draw(arrays(pool_output_shape(x.shape, kernel, stride), styles=("ints", "normal")))
    return Case({"dout": dout.astype(x.dtype), "x": x, "kernel_size": kernel}, {"stride": stride})


# ------------------------------------------------------------------------------------------ unpooling
@st.composite
def nearest_cases(draw):
    """x (N, C, H, W) and scale, an int or an (sh, sw) pair; a quarter of the cases moderately sized."""
    n_max, c_max, extra = sizes(draw(BOOLEANS) and draw(BOOLEANS))
    x = draw(arrays((draw(integers(1, n_max)), draw(integers(1, c_max)),
                     draw(integers(1, 1 + extra)), draw(integers(1, 1 + extra)))))
    return Case({"x": x, "scale": draw(pairs(1, 3))})


@st.composite
def nearest_backward_cases(draw):
    """dout (N, C, H*sh, W*sw) and scale, with dout's shape a multiple of the scale."""
    case = draw(nearest_cases())
    (N, C, H, W), (sh, sw) = case.args["x"].shape, as_pair(case.args["scale"])
    return Case({"dout": draw(arrays((N, C, H * sh, W * sw))), "scale": case.args["scale"]})


@st.composite
def max_unpool_cases(draw, reference_indices):
    """x and indices as max pooling of a larger input produces them, and that input's size."""
    pool = draw(pool_cases(overlapping=False))
    source = pool.args["x"]
    indices = reference_indices(source, pool.args["kernel_size"], pool.kwargs["stride"])
    values = draw(arrays(indices.shape))
    return Case({"x": values, "indices": indices, "output_size": tuple(source.shape[2:])})


@st.composite
def max_unpool_backward_cases(draw, reference_indices):
    """dout (N, C, H_out, W_out) and the indices max pooling of an (H_out, W_out) input produces."""
    case = draw(max_unpool_cases(reference_indices))
    N, C = case.args["x"].shape[:2]
    dout = draw(arrays((N, C) + case.args["output_size"]))
    return Case({"dout": dout, "indices": case.args["indices"]})
