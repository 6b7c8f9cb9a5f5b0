"""Corners: the fixed cases every check runs first, the same at every seed.

A few generated cases per property may never reach the one input that shows a bug, so a verdict would
depend on the seed. The corners do not: each check lists some of the cases below with
`@check(..., corners=...)`, and the engine runs them before its generated cases. They are small (the
student reads them in the feedback when one fails) and few, and each is chosen for the bug families of
tests/mutants/ that it shows, named in the comment next to it. Values are small integers (distinct where a
maximum or a flip must show), so expected and wrong answers read well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Callable

import numpy as np

from .cases import Case
from .i18n import N_, later
from .strategies import window_positions


def pair(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def ranks(shape, seed=0) -> np.ndarray:
    """Distinct small integers, a fixed shuffle of -n // 2 .. n - n // 2 - 1 (no ties, no symmetry)."""
    n = int(np.prod(shape))
    return (np.random.default_rng(seed).permutation(n) - n // 2).reshape(shape).astype(np.float64)


def small_ints(shape, seed=0) -> np.ndarray:
    """Integers in -4 .. 4 (ties likely), fixed by `seed`."""
    return np.random.default_rng(seed).integers(-4, 5, size=shape).astype(np.float64)


def negatives(shape, seed=0) -> np.ndarray:
    """Distinct integers all below zero, -1 .. -n shuffled (a maximum that starts at 0 shows)."""
    return -1 - ranks(shape, seed) - int(np.prod(shape)) // 2


def counting(shape) -> np.ndarray:
    """1, 2, 3, ... : an upstream gradient whose every element can be told apart in a sum."""
    return np.arange(1, int(np.prod(shape)) + 1, dtype=np.float64).reshape(shape)


class Corners:
    """Named corners of one kind of case: `corners("a", "b", **options)` builds cases a and b.

    `table` maps a name to a spec; `build(spec, **options)` makes its Case (by default the spec is a
    function that does). A misspelt name is an error when the checks are imported, not a silent gap."""

    def __init__(self, table: dict, build=None):
        self.table, self.build = table, build or (lambda make: make())

    def __call__(self, *names, **options) -> tuple:
        unknown = [n for n in names if n not in self.table]
        if unknown:
            raise KeyError(f"no corner named {unknown[0]!r}; choose from {', '.join(map(str, self.table))}")
        return tuple(self.build(self.table[n], **options) for n in names)


class DeferredCorners(Sequence):
    """Corners built when they are first needed, from the run's reference source: cases made of the
    reference's given data (make_shapes). A student release never builds them: its recorded cases, the
    corners among them, stand in for them."""

    def __init__(self, build: Callable[[object], tuple]):
        self.build, self.built = build, None  # build(source) -> the corners

    def cases(self, source=None) -> tuple:
        """The corners, built once with `source` (by default the reference found here)."""
        if self.built is None:
            if source is None:
                from .reference import reference_source

                source = reference_source()
            self.built = tuple(self.build(source))
        return self.built

    def __getitem__(self, index):
        return self.cases()[index]

    def __len__(self) -> int:
        return len(self.cases())


def corrupted_corners(base: Case, corruptions: dict) -> tuple:
    """One case per corruption of `base` (note -> (rule, Case -> Case)), its note saying what is wrong."""
    return tuple(replace(corrupt(base), note=note) for note, (_, corrupt) in corruptions.items())


# ------------------------------------------------------------------------------------------ params
fc = Corners({
    "smallest": lambda: Case({"in_features": 1, "out_features": 1}, {"bias": True}),
    # in != out with and without bias: a bias per input, a bias counted when bias=False
    "no bias": lambda: Case({"in_features": 7, "out_features": 3}, {"bias": False}),
    "bias": lambda: Case({"in_features": 3, "out_features": 5}, {"bias": True}),
})

conv_params = Corners({
    "smallest": lambda: Case({"in_channels": 1, "out_channels": 1, "kernel_size": 1}, {"bias": True}),
    # C != K and R != S: a bias per input channel, an (R, S) pair counted as R * R
    "rectangular": lambda: Case({"in_channels": 3, "out_channels": 8, "kernel_size": (3, 5)}, {"bias": True}),
    # no bias, a square kernel given as an int
    "no bias": lambda: Case({"in_channels": 4, "out_channels": 2, "kernel_size": 3}, {"bias": False}),
})

networks = Corners({
    # the smallest legal network: a 1x1 image flattened into one unit (2 parameters)
    "smallest": lambda: Case({"input_shape": (1, 1, 1), "layers": [("flatten",), ("fc", 1)]}),
    # conv with padding 1 and stride 2 on H != W ((12 - 3 + 2) / 2 = 5.5, rounded down), a max pool whose
    # stride (1) is not its kernel (2), two fc layers: padding ignored, pool stride = kernel, fc biases
    "mixed": lambda: Case({"input_shape": (3, 12, 9), "layers": [
        ("conv", 4, 3, 2, 1), ("maxpool", 2, 1), ("flatten",), ("fc", 10), ("fc", 2)]}),
})


def published_networks() -> tuple:
    """The post's networks, every one at every seed: LeNet-5 on 32x32 and on 28x28 with padding 2 in its first
    conv (61,706 parameters), a 256-unit layer on a flattened 128x128x3 image (12,582,912 + 256)."""
    from .strategies import LENET

    return (Case({"input_shape": (1, 32, 32), "layers": LENET}, note=N_("LeNet-5: 61,706 parameters")),
            Case({"input_shape": (1, 28, 28), "layers": [("conv", 6, 5, 1, 2)] + LENET[1:]},
                 note=N_("LeNet-5 on 28x28 with padding 2: 61,706 parameters")),
            Case({"input_shape": (3, 128, 128), "layers": [("flatten",), ("fc", 256)]},
                 note=N_("12,582,912 weights + 256 biases")))


BAD_NETWORK = (("maxpool", 50, 1), ("fc", 4), ("relu",))  # one per kind of bad layer, in BAD_LAYERS' order


def bad_networks(problems) -> tuple:
    """A small valid network with one bad layer inserted at index 1, for each problem (strategies' notes)."""
    good = [("conv", 2, 3, 1, 0), ("flatten",), ("fc", 3)]
    return tuple(Case({"input_shape": (1, 6, 5), "layers": good[:1] + [bad] + good[1:]},
                      note=later("layer {at} is {problem}", at=1, problem=later(problem))) for bad, problem in zip(BAD_NETWORK, problems))


# ------------------------------------------------------------------------------------------ padding
def output_size(input_size, kernel_size, padding, stride) -> Case:
    return Case({"input_size": input_size, "kernel_size": kernel_size}, {"padding": padding, "stride": stride})


output_sizes = Corners({
    "smallest": lambda: output_size(1, 1, 0, 1),
    # P > 0 at stride 1: padding added once, the + 1 forgotten
    "padded": lambda: output_size(5, 3, 1, 1),
    # a kernel wider than the input that fits once padded: (4 - 5 + 2) / 1 = 1
    "kernel wider than input": lambda: output_size(4, 5, 1, 1),
    # stride 2 dividing I - F + 2P: the stride ignored
    "stride": lambda: output_size(7, 3, 0, 2),
    # (7 - 3) / 3 = 1.33 and (8 - 3) / 3 = 1.67: round() agrees below .5 and not above it, ceil nowhere
    "fraction below half": lambda: output_size(7, 3, 0, 3),
    "fraction above half": lambda: output_size(8, 3, 0, 3),
    # (6 - 2 + 2) / 4 = 1.5, padded
    "half, padded": lambda: output_size(6, 2, 1, 4),
})

kernel_sizes = Corners({k: k for k in (1, 2, 3, 4)}, lambda k: Case({"kernel_size": k}))  # odd and even


def zero_pad_case(shape, padding, values=ranks) -> Case:
    return Case({"x": values(shape), "padding": padding})


zero_pads = Corners({
    "smallest": lambda: zero_pad_case((1, 1, 1, 1), 0),
    # padding 0 in its three forms: p:-p slices are empty at 0
    "zero int": lambda: zero_pad_case((1, 1, 2, 3), 0),
    "zero pair": lambda: zero_pad_case((2, 1, 2, 3), (0, 0)),
    "zero nested": lambda: zero_pad_case((1, 2, 3, 2), ((0, 0), (0, 0))),
    # (ph, pw) with ph != pw on H != W: the pair swapped
    "pair": lambda: zero_pad_case((1, 2, 2, 3), (1, 2)),
    # ((top, bottom), (left, right)) all different, zeros among them: read as symmetric, p:-p
    "nested": lambda: zero_pad_case((2, 1, 3, 2), ((0, 1), (2, 0))),
    # every side padded, all different: the three forms against each other
    "nested positive": lambda: zero_pad_case((1, 1, 2, 3), ((1, 2), (3, 1))),
    "pair positive": lambda: zero_pad_case((1, 1, 3, 2), (2, 1)),
    "int positive": lambda: zero_pad_case((1, 2, 2, 2), 1),
    # all negative: padding with edge values or with anything but zeros
    "negative": lambda: zero_pad_case((1, 1, 2, 3), 1, values=negatives),
    "negative nested": lambda: zero_pad_case((1, 1, 2, 2), ((0, 2), (1, 0)), values=negatives),
})


# ------------------------------------------------------------------------------------------ scanning
SCAN_GEOMETRIES = {
    "smallest": (1, 1, 1),  # (L, F, stride): the smallest legal input
    "overlap": (6, 3, 1),  # every x read by up to 3 windows: = instead of +=, a flipped w
    "exact": (7, 3, 2),  # (L - F) / stride = 2: the last window ends at the last element (a missing + 1)
    "gaps": (7, 2, 3),  # stride > F, (L - F) / stride = 1.67: the stride ignored, round() for the size
}


def scan_case(geometry) -> Case:
    length, f, stride = geometry
    return Case({"x": ranks((length,)), "w": np.array([2.0, -1.0, 3.0][:f])}, {"stride": stride})


def scan_backward_case(geometry) -> Case:
    case = scan_case(geometry)
    (length,), (f,), stride = case.args["x"].shape, case.args["w"].shape, case.kwargs["stride"]
    return Case({"dy": counting(((length - f) // stride + 1,)), **case.args}, case.kwargs)


scans = Corners(SCAN_GEOMETRIES, scan_case)
scan_backwards = Corners(SCAN_GEOMETRIES, scan_backward_case)


def detect_case(image, kernel, note="") -> Case:
    return Case({"image": np.asarray(image, dtype=np.float64), "kernel": np.asarray(kernel, dtype=np.float64)},
                note=note)


detections = Corners({
    "smallest": lambda: detect_case([[2]], [[1]]),
    # H != W, R != S, the best window at (row, col) = (3, 1): (col, row) swapped, a flat index
    "rectangular": lambda: detect_case([[0, 1, 0, 1], [1, 0, 2, 0], [0, 2, 0, 1], [1, 4, 3, 0], [0, 1, 0, 1]],
                                       [[1, 2]]),
    # every response negative, the most negative far larger in magnitude: the largest |response|, a
    # best response that starts at 0
    "negative": lambda: detect_case([[-1, -2, -9], [-3, -1, -8], [-2, -4, -9]], [[1], [1]]),
    # two best windows, (0, 2) then (2, 0) in row-major order: the last tie wins, column-major scans
    "tie": lambda: detect_case([[0, 0, 1, 1], [0, 0, 1, 1], [1, 1, 0, 0], [1, 1, 0, 0]], [[1, 1], [1, 1]]),
})


def moved_pattern(background, kernel, first, second):
    """The kernel copied into `background` at `first` and, in a second image, at `second`."""
    from .strategies import MovedPattern

    kernel = np.asarray(kernel, dtype=np.float64)
    r, s = kernel.shape
    images = []
    for i, j in (first, second):
        image = np.array(background, dtype=np.float64)
        image[i:i + r, j:j + s] = kernel
        images.append(image)
    return MovedPattern({"image": images[0], "kernel": kernel}, note=later("pattern at {first}", first=first), moved=images[1],
                        shift=(second[0] - first[0], second[1] - first[1]))


moved_patterns = Corners({
    # moved by (2, 1) on zeros, H != W: (col, row) swapped, a flat index
    "zeros": lambda: moved_pattern(np.zeros((4, 5)), [[1, 2]], (0, 1), (2, 2)),
    # moved by (1, -2) on a strongly negative background: the largest |response| finds the background
    "negative": lambda: moved_pattern(-10 * (1 + np.abs(ranks((4, 4)))), [[2], [1]], (0, 3), (1, 1)),
})

tied_patterns = Corners({
    # the second copy below and to the left of the first: it comes later in row-major order but earlier
    # in column-major order
    "below-left": lambda: detect_case([[0, 0, 1, 2], [0, 0, 0, 0], [1, 2, 0, 0]], [[1, 2]],
                                      note=later("the kernel is copied at {first} and {second}", first=(0, 2), second=(2, 0))),
    # on the same row, on a negative background
    "same row": lambda: detect_case([[-1, 3, -1, -2, 3, -1]], [[3]],
                                    note=later("the kernel is copied at {first} and {second}", first=(0, 1), second=(0, 4))),
})


# ------------------------------------------------------------------------------------------ conv
def conv_case(spec) -> Case:
    x_shape, w_shape, stride, padding = spec
    k = w_shape[0]
    b = np.array([(-1) ** i * (i + 1) for i in range(k)], dtype=np.float64)  # 1, -2, 3, ...: no bias is 0
    return Case({"x": small_ints(x_shape), "w": ranks(w_shape, seed=1), "b": b},
                {"stride": stride, "padding": padding})


CONV_SPECS = {  # (x shape, w shape, stride, padding)
    "smallest": ((1, 1, 1, 1), (1, 1, 1, 1), 1, 0),
    # H != W, R != S, (h, w) stride and padding with different values, padding 0 along W: W_out set to
    # H_out, a square-only backward, p:-p crops, hard-coded 1:-1 crops, a flipped kernel
    "rectangular": ((1, 2, 3, 5), (2, 2, 2, 3), (1, 2), (1, 0)),
    # N = 2, C = K = 1, stride 3 larger than the kernel's width (gaps), padding 1:
    # (5 - 3 + 2) / 3 = 1.33 and (7 - 1 + 2) / 3 = 2.67, rounded down
    "fractions": ((2, 1, 5, 7), (1, 1, 3, 1), 3, 1),
    # N, C, K > 1, overlapping windows (stride 2 < 3), padding 2, x.size = 252: the batch or the
    # channels forgotten, = instead of +=, a bias per input channel, code paths for larger inputs
    "batch": ((2, 3, 6, 7), (4, 3, 3, 3), 2, 2),
}


def conv_backward_case(spec) -> Case:
    case = conv_case(spec)
    x, w, stride, padding = case.args["x"], case.args["w"], case.kwargs["stride"], case.kwargs["padding"]
    (sh, sw), (ph, pw) = pair(stride), pair(padding)
    out = (x.shape[0], w.shape[0], (x.shape[2] + 2 * ph - w.shape[2]) // sh + 1,
           (x.shape[3] + 2 * pw - w.shape[3]) // sw + 1)
    return Case({"dout": small_ints(out, seed=7), "x": x, "w": w}, case.kwargs, note=f"b {case.args['b'].shape}")


convs = Corners(CONV_SPECS, conv_case)
conv_backwards = Corners(CONV_SPECS, conv_backward_case)


# ------------------------------------------------------------------------------------------ pooling
POOL_SPECS = {
    # (shape, kernel_size, stride, the values of x when any will do)
    "smallest": ((1, 1, 1, 1), 1, None, "negative"),
    # 2x2 windows at stride 1 on 3x3, all sharing the centre, its maximum: = instead of +=, windows started at
    # i * kernel
    "overlap": ((1, 1, 3, 3), 2, 1, "centre"),
    # N, C > 1, kernel (2, 3), stride 3: a gap along H; (6 - 2) / 3 = 1.33 and (8 - 3) / 3 = 1.67, rounded
    # down; kh != kw (a width from the pool height); x.size = 288 (code paths for larger inputs); far below
    # zero (a running maximum that starts at -100000)
    "gaps": ((2, 3, 6, 8), (2, 3), 3, "far below zero"),
    # H != W, kernel (3, 2), stride (1, 2): a pair read as a square, overlap along H only, the row stride of
    # a flat index taken from H; all negative (a running maximum that starts at 0)
    "tall": ((1, 2, 5, 4), (3, 2), (1, 2), "negative"),
    # stride=None means stride = kernel_size; (5 - 2) / 2 = 1.5
    "default stride": ((2, 1, 5, 4), 2, None, "small ints"),
}
CENTRE = np.array([[1, -3, 2], [0, 9, -1], [4, -2, 3]], dtype=np.float64)  # 9 is every 2x2 window's maximum


def pool_values(shape, style, values) -> np.ndarray:
    """x of a pooling corner. values="any": the corner's own style; "distinct": no ties (gaps >= 1);
    "tied": a constant (small corners) or two levels in 2x2 blocks, so windows hold their maximum twice."""
    if values == "tied":
        return np.ones(shape) if np.prod(shape) <= 9 else np.indices(shape)[2:].sum(axis=0) // 2 % 2 * 1.0
    if style == "small ints":
        return ranks(shape) if values == "distinct" else small_ints(shape)
    return {"centre": lambda: CENTRE.reshape(shape), "negative": lambda: negatives(shape),
            "far below zero": lambda: negatives(shape) - 1e6}[style]()


def pool_case(spec, values="any") -> Case:
    shape, kernel, stride, style = spec
    return Case({"x": pool_values(shape, style, values), "kernel_size": kernel}, {"stride": stride})


def pool_output_shape(shape, kernel, stride):
    (kh, kw), (sh, sw) = pair(kernel), pair(kernel if stride is None else stride)
    return (shape[0], shape[1], (shape[2] - kh) // sh + 1, (shape[3] - kw) // sw + 1)


def pool_backward_case(spec, values="any") -> Case:
    case = pool_case(spec, values)
    shape = pool_output_shape(case.args["x"].shape, case.args["kernel_size"], case.kwargs["stride"])
    return Case({"dout": counting(shape), **case.args}, case.kwargs)


pools = Corners(POOL_SPECS, pool_case)
pool_backwards = Corners(POOL_SPECS, pool_backward_case)


# ------------------------------------------------------------------------------------------ unpooling
NEAREST = {
    "smallest": ((1, 1, 1, 1), 1),
    # (sh, sw) = (2, 3) on H != W: the first scale used for both axes, np.tile instead of repeat
    "pair": ((2, 1, 2, 3), (2, 3)),
    # an int scale on C = 2
    "int": ((1, 2, 3, 2), 2),
}


def nearest_case(spec) -> Case:
    shape, scale = spec
    return Case({"x": ranks(shape), "scale": scale})


def nearest_backward_case(spec) -> Case:
    (N, C, H, W), scale = spec
    sh, sw = pair(scale)
    return Case({"dout": ranks((N, C, H * sh, W * sw), seed=3), "scale": scale})


nearests = Corners(NEAREST, nearest_case)
nearest_backwards = Corners(NEAREST, nearest_backward_case)


MAX_UNPOOLS = {
    # (source shape, kernel_size, stride) of the max pooling that produced the indices
    "smallest": ((1, 1, 1, 1), 1, None),
    # H_out != W_out: a flat index split with H_out; positions away from the windows' top-left corners
    "rectangular": ((1, 2, 4, 6), 2, None),
    # gaps and a remainder (5 and 7 with kernel 2, stride 3): positions no window reaches stay 0
    "gaps": ((2, 1, 5, 7), 2, 3),
}


def max_unpool_case(spec) -> Case:
    shape, kernel, stride = spec
    indices = window_positions(ranks(shape, seed=5), kernel, stride)
    return Case({"x": counting(indices.shape), "indices": indices, "output_size": tuple(shape[2:])})


def max_unpool_backward_case(spec) -> Case:
    case = max_unpool_case(spec)
    N, C = case.args["x"].shape[:2]
    return Case({"dout": ranks((N, C) + case.args["output_size"], seed=2), "indices": case.args["indices"]})


max_unpools = Corners(MAX_UNPOOLS, max_unpool_case)
max_unpool_backwards = Corners(MAX_UNPOOLS, max_unpool_backward_case)
