"""Corners of the detector's checks: the fixed cases they run first, the same at every seed.

As in `grader.corners` (whose helpers they use): small cases, each chosen for the bug families of
tests/mutants/ that it shows, named in the comment next to it.
"""

from __future__ import annotations

import numpy as np

from .cases import Case
from .corners import Corners, DeferredCorners, counting, ranks
from .i18n import N_, later

# The training the detector is graded on: train_detector's defaults on images of make_shapes with the object
# in the left half, tested on images with the object in the right half.
TRAINING = {"kernels": 4, "kernel_size": 3, "classes": 2, "steps": 100, "lr": 0.5, "seed": 0}
TRAIN_SEED, TEST_SEED, TRAIN_IMAGES, TEST_IMAGES = 1, 2, 24, 200


# ------------------------------------------------------------------------------------------ relu
relus = Corners({
    # negatives, +0.0, -0.0 and positives: the mask returned instead of the values, x zeroed in place
    "kink": lambda: Case({"x": np.array([[-1.5, 0.0, 2.0], [-0.0, 3.0, -4.0]])}),
    # 4 axes, distinct values from -6 to 5 (none of them 0): any shape, relu(x) - relu(-x) == x
    "maps": lambda: Case({"x": ranks((1, 2, 2, 3))}),
})

relu_backwards = Corners({
    # x == 0 (and -0.0) at the kink beside negatives and positives, dout 1, 2, ...: the mask x >= 0, a mask
    # from the output (out >= 0 holds everywhere), dout passed unmasked, dout masked in place
    "kink": lambda: Case({"dout": counting((6,)), "x": np.array([-1.0, 0, 0.5, 0, 2, -0.0])}),
    # 4 axes, |x| >= 0.5 everywhere: relu is linear around every element (the finite-difference check)
    "away from zero": lambda: Case({"dout": counting((1, 2, 2, 2)), "x": ranks((1, 2, 2, 2)) + 0.5}),
})


# ------------------------------------------------------------------------------------------ linear
def linear_case(n, d, m) -> Case:
    b = np.array([(-1) ** i * (i + 1) for i in range(m)], dtype=np.float64)  # 1, -2, 3, ...: no bias is 0
    return Case({"x": ranks((n, d)), "w": ranks((d, m), seed=1), "b": b})


def linear_backward_case(n, d, m) -> Case:
    case = linear_case(n, d, m)
    return Case({"dout": counting((n, m)), "x": case.args["x"], "w": case.args["w"]}, note=f"N={n}, D={d}, M={m}")


LINEAR_SHAPES = {
    # N = 3, D = M = 2, w not symmetric: the bias forgotten, dx without w.T and dw transposed give wrong values
    "square": (3, 2, 2),
    # N = 2, D = 3, M = 4: the shapes of dx, dw and db tell them from their transposes; db a mean over N
    "rectangular": (2, 3, 4),
}

linears = Corners(LINEAR_SHAPES, lambda shape: linear_case(*shape))
linear_backwards = Corners(LINEAR_SHAPES, lambda shape: linear_backward_case(*shape))


# ------------------------------------------------------------------------------------------ global max pool
FAR_BELOW_ZERO = np.array([[[[-5e6, -2e6], [-3e6, -4e6]]], [[[-7.0, -9.0], [-8.0, -1e6]]]])
LAST_ROW = np.array([[[[0.0, 1, 2], [3, 4, 5], [6, 7, 9]], [[1.0, 0, 0], [0, 0, 0], [0, 0, 8]]]])
TIED = np.array([[[[0.0, 3], [3, 1]], [[5.0, 5], [5, 5]]]])  # 3 twice in the first map, a constant second map

global_pools = Corners({
    # every value below zero, far below in one image: a running maximum that starts at 0 (or at -1e5)
    "far below zero": lambda: Case({"x": FAR_BELOW_ZERO}, note=N_("every value below zero")),
    # the maxima in the last row and column, C = 2: scan loops that stop at H - 1 and W - 1
    "last row": lambda: Case({"x": LAST_ROW}, note=N_("the maxima in the last row and column")),
    # N, C > 1, H != W, distinct values: rolling a map moves its maximum, not its value
    "distinct": lambda: Case({"x": ranks((2, 2, 3, 4))}),
})

global_pool_backwards = Corners({
    # the maxima in the last row and column, maps of different maxima (9, 8): the mask x == x.max() of the
    # whole batch, scan loops that stop early
    "last row": lambda: Case({"dout": np.array([[2.0, -3.0]]), "x": LAST_ROW}),
    # a map holding its maximum twice and a constant map: every tied maximum or the last one gets the gradient
    "ties": lambda: Case({"dout": np.array([[1.0, 2.0]]), "x": TIED}, note=N_("3 twice in the first map, a "
                                                                              "constant second map")),
    # N, C > 1, H != W, distinct values (gaps of 1): the finite-difference check
    "distinct": lambda: Case({"dout": counting((2, 2)), "x": ranks((2, 2, 3, 4))}),
})


# ------------------------------------------------------------------------------------------ softmax
softmaxes = Corners({
    # N = 3, M = 3, a row of ties: the loss summed over N, dlogits not divided by N
    "small": lambda: Case({"logits": np.array([[2.0, 0, -1], [0, 1, 0], [3, 3, 3]]), "labels": np.array([0, 2, 1])},
                          note="N = 3"),
    # logits of 1000: exp overflows unless each row's max is subtracted
    "large": lambda: Case({"logits": np.array([[1000.0, 0.0], [0.0, 1000.0], [1000.0, 1000.0]]),
                           "labels": np.array([1, 1, 0])}, note=N_("logits of 1000: exp overflows unless the max "
                                                                   "is subtracted")),
    # a label whose probability underflows to 0: the log of softmax is -inf
    "underflow": lambda: Case({"logits": np.array([[-1000.0, -1001.0, -1002.0], [1e4, 1e4 - 800, 1e4 + 1]]),
                               "labels": np.array([2, 1])}, note=N_("a label whose probability underflows to 0")),
})


# ------------------------------------------------------------------------------------------ the detector
def dead_bias(w_k: np.ndarray, images: np.ndarray) -> float:
    """A bias that makes kernel w_k's response negative (by at least 1) at every position of every image."""
    return -(1.0 + float(np.abs(w_k).sum()) * float(np.abs(images).max()))


def dead_kernel_case() -> Case:
    """Kernel 1 responds below 0 everywhere: the relu mask passes it no gradient, and it pools to 0."""
    rng = np.random.default_rng(7)
    images = rng.standard_normal((3, 1, 4, 5))
    w = rng.standard_normal((2, 1, 2, 3))
    params = {"w": w, "b": np.array([0.3, dead_bias(w[1], images)]), "w_fc": rng.standard_normal((2, 3)),
              "b_fc": np.array([0.1, -0.2, 0.0])}
    return Case({"params": params, "images": images, "labels": np.array([0, 2, 1])}, note=N_("kernel 1 is dead"))


def relu_matters_case() -> Case:
    """The dead kernel's negative maximum, without the relu, would flip the class of every image."""
    base = dead_kernel_case()
    params = {**base.args["params"], "w_fc": np.array([[0.0, 0.0, 0.0], [0.0, -1.0, 0.0]]),
              "b_fc": np.array([0.0, -0.5, 0.5])}
    return Case({"params": params, "images": base.args["images"]}, note=N_("the relu decides"))


def tie_case() -> Case:
    """Every logit equal: the smaller class wins."""
    base = dead_kernel_case()
    params = {**base.args["params"], "w_fc": np.zeros((2, 3)), "b_fc": np.ones(3)}
    return Case({"params": params, "images": base.args["images"]}, note=N_("every logit is 1"))


detectors = Corners({
    # N = 3, M = 3, one dead kernel and a live one: the relu left out or its mask skipped, the bias gradient
    # forgotten, the loss summed over N, float64 grads for float32 params
    "dead kernel": dead_kernel_case,
})

predictions = Corners({
    # N = 3 images, M = 3 classes: the relu left out flips every class; argmax over the images, not the classes
    "relu decides": relu_matters_case,
    # every logit 1: the smaller class on ties
    "tie": tie_case,
})


def shapes_case(n: int, region: str, seed: int) -> Case:
    """The question whose answer is make_shapes(n, region=region, seed=seed), asked with ctx.reference."""
    return Case({"n": n}, {"region": region, "seed": seed})


TEST_SHAPES = shapes_case(TEST_IMAGES, "right", TEST_SEED)  # the images the trained detector is tested on


def training_case(source) -> Case:
    """The graded training on the images of make_shapes(TRAIN_IMAGES, region="left") of the run's reference
    source (a release has the case recorded instead: see DeferredCorners)."""
    images, labels = source.answer("make_shapes", shapes_case(TRAIN_IMAGES, "left", TRAIN_SEED))
    return Case({"images": images, "labels": labels}, dict(TRAINING),
                note=later("{count} images from make_shapes(region='left', seed={seed})", count=TRAIN_IMAGES,
                           seed=TRAIN_SEED))


trainings = Corners({
    # steps=0: the initial params (np.random instead of default_rng(seed), zero kernels, float64 params)
    "initial": lambda: Case({"images": np.arange(32.0).reshape(2, 1, 4, 4) / 32, "labels": np.array([0, 1])},
                            {**TRAINING, "steps": 0}, note=N_("steps=0: the initial params")),
    # one step, C = 2, 2 kernels of 2x2, 3 images: params + lr * grads, frozen kernels
    "one step": lambda: Case({"images": np.cos(np.arange(54.0)).reshape(3, 2, 3, 3), "labels": np.array([1, 0, 1])},
                             {**TRAINING, "kernels": 2, "kernel_size": 2, "steps": 1}, note=N_("one step")),
})
# the graded training, 100 steps: a gradient computed once, a loop that does not learn
graded_training = DeferredCorners(lambda source: (training_case(source),))
