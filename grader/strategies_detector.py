"""Hypothesis strategies for the detector exercises: relu, linear, global max pooling, softmax, the detector.

Drawn like those of `grader.strategies` (by `grader/drawing.py`): shapes are drawn, so that shrinking makes
them small; array values come from a drawn style and a drawn offset into the pool of `grader/noise.py`;
dependent values (labels below the number of classes, a kernel that fits the image) are drawn from ranges
that satisfy the constraint, never filtered.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from .cases import Case
from .corners_detector import dead_bias, graded_training as graded_training_corner
from .strategies import BOOLEANS, arrays, choice, integers, noise, pool_values

PARAM_KEYS = ("w", "b", "w_fc", "b_fc")
SMALL = ("ints", "normal")


@st.composite
def any_shape(draw, max_dims=4, max_side=4) -> tuple:
    return tuple(draw(integers(1, max_side)) for _ in range(draw(integers(1, max_dims))))


# ------------------------------------------------------------------------------------------ relu
@st.composite
def relu_cases(draw):
    """x of any shape (1 to 4 axes); the "ints" style puts many elements exactly at the kink, 0."""
    return Case({"x": draw(arrays(draw(any_shape())))})


@st.composite
def relu_backward_cases(draw, away_from_zero=False):
    """dout and x of one shape, dout in x's dtype; away_from_zero: every |x| >= 0.25 (relu is linear there)."""
    shape = draw(any_shape())
    if away_from_zero:
        rng = noise(draw)
        x = np.where(rng.integers(0, 2, size=shape) == 0, -1.0, 1.0) * (0.25 + np.abs(rng.standard_normal(shape)))
    else:
        x = draw(arrays(shape))
    dout = draw(arrays(shape, styles=SMALL)).astype(x.dtype)
    return Case({"dout": dout, "x": x})


# ------------------------------------------------------------------------------------------ linear
@st.composite
def linear_cases(draw):
    """x (N, D), w (D, M), b (M,) in x's dtype; N, D, M from 1, D == M as often as not."""
    n, d = draw(integers(1, 4)), draw(integers(1, 6))
    m = d if draw(BOOLEANS) else draw(integers(1, 5))
    x = draw(arrays((n, d)))
    w = draw(arrays((d, m), styles=SMALL)).astype(x.dtype)
    b = draw(arrays((m,), styles=SMALL)).astype(x.dtype)
    return Case({"x": x, "w": w, "b": b})


@st.composite
def linear_backward_cases(draw):
    """dout (N, M), x (N, D), w (D, M), all in x's dtype."""
    case = draw(linear_cases())
    x, w = case.args["x"], case.args["w"]
    dout = draw(arrays((x.shape[0], w.shape[1]), styles=SMALL)).astype(x.dtype)
    return Case({"dout": dout, "x": x, "w": w})


# ------------------------------------------------------------------------------------------ global max pool
@st.composite
def map_shapes(draw) -> tuple:
    return (draw(integers(1, 3)), draw(integers(1, 3)), draw(integers(1, 5)), draw(integers(1, 5)))


@st.composite
def global_pool_cases(draw, values="any"):
    """x (N, C, H, W); values as for pooling: "any" (far below zero too), "distinct" or "tied"."""
    return Case({"x": draw(pool_values(draw(map_shapes()), values))})


@st.composite
def global_pool_backward_cases(draw, values="any"):
    """dout (N, C) in x's dtype, x (N, C, H, W)."""
    x = draw(global_pool_cases(values)).args["x"]
    dout = draw(arrays(x.shape[:2], styles=SMALL)).astype(x.dtype)
    return Case({"dout": dout, "x": x})


# ------------------------------------------------------------------------------------------ softmax
@st.composite
def softmax_cases(draw, large=False):
    """logits (N, M) and labels (N,) int64 in [0, M); large=True: logits spread over thousands, far from 0."""
    n, m = draw(integers(1, 5)), draw(integers(1, 5))
    rng = noise(draw)
    if large:
        spread = draw(choice((100.0, 1000.0)))
        offset = draw(choice((-1e4, -1000.0, 0.0, 1000.0, 1e4)))
        logits = rng.standard_normal((n, m)) * spread + offset
    else:
        logits = draw(arrays((n, m), styles=("ints", "normal", "float32")))
    return Case({"logits": logits, "labels": rng.integers(0, m, size=n)})


# ------------------------------------------------------------------------------------------ the detector
@st.composite
def detector_parts(draw, dead=None):
    """(params, images): K kernels (K, C, R, S) fitting images (N, C, H, W), M classes; normal values.

    dead=True (None: drawn) gives one kernel a bias so negative that its response is below 0 everywhere:
    the relu then passes no gradient to it, and its pooled value is 0.
    """
    n, c, k, m = (draw(integers(1, 4)), draw(integers(1, 2)), draw(integers(1, 3)),
                  draw(integers(2, 3)))
    r, s = draw(integers(1, 3)), draw(integers(1, 3))
    h, w = draw(integers(r, r + 4)), draw(integers(s, s + 4))
    rng = noise(draw)
    images = rng.standard_normal((n, c, h, w))
    params = {"w": rng.standard_normal((k, c, r, s)), "b": rng.standard_normal(k),
              "w_fc": rng.standard_normal((k, m)), "b_fc": rng.standard_normal(m)}
    if draw(BOOLEANS) if dead is None else dead:
        at = draw(integers(0, k - 1))
        params["b"][at] = dead_bias(params["w"][at], images)
    return params, images, rng


@st.composite
def detector_cases(draw, dead=None):
    """params, images and labels (N,) int64 in [0, M) for detector_loss."""
    params, images, rng = draw(detector_parts(dead))
    labels = rng.integers(0, params["b_fc"].shape[0], size=images.shape[0])
    return Case({"params": params, "images": images, "labels": labels})


@st.composite
def predict_cases(draw):
    params, images, _ = draw(detector_parts())
    return Case({"params": params, "images": images})


@st.composite
def train_cases(draw):
    """The initial params or one step of training on small random images: N 2-6, C 1-2, H and W 3-6, every
    keyword drawn (the training check takes the loop's other steps)."""
    rng = noise(draw)
    n, c = draw(integers(2, 6)), draw(integers(1, 2))
    h, w = draw(integers(3, 6)), draw(integers(3, 6))
    classes = draw(integers(2, 3))
    kwargs = {"kernels": draw(integers(1, 3)), "kernel_size": draw(integers(1, 3)), "classes": classes,
              "steps": draw(integers(0, 1)), "lr": draw(choice((0.1, 0.5, 1.0))),
              "seed": draw(integers(0, 2**16))}
    images = draw(arrays((n, c, h, w), styles=("normal", "float32")))
    return Case({"images": images, "labels": rng.integers(0, classes, size=n)}, kwargs)


def graded_training():
    """The one training the detector is graded on: its corner (grader.corners_detector.graded_training, built
    by the engine from the run's reference before any case is drawn)."""
    return st.builds(lambda: graded_training_corner[0])
