"""Checks of the detector itself: detector_loss (end to end), train_detector and predict."""

import numpy as np
from hypothesis import strategies as st

from .. import strategies_detector as gen
from .base import Case, CheckFailed, check, compare, expect_close, expect_equal, expect_raises, require_array
from .common import corrupted, gradient_note, inner
from .detector_common import (PARAM_KEYS, direction, expect_float32_pure, pair_of, params_of, reference,
                              scalar_loss)

LOSS_HINT = ("the forward pass conv2d_forward(images, w, b) -> relu_forward -> global_max_pool_forward -> "
             "linear_forward(pooled, w_fc, b_fc) -> softmax_cross_entropy(logits, labels), whose loss is already "
             "averaged over the N images (do not multiply it by N or add it up per image).")
FC_HINT = ("grads['w_fc'] and grads['b_fc'] are dw and db of linear_backward(dlogits, pooled, w_fc), with dlogits "
           "from softmax_cross_entropy and pooled the input of the linear layer.")
KERNEL_HINT = ("the gradient reaches the kernels through every layer in reverse order: dpooled (the dx of "
               "linear_backward), global_max_pool_backward(dpooled, act), then the relu mask, "
               "relu_backward(dact, conv) (0 where conv <= 0: a kernel that responds nowhere learns nothing), then "
               "conv2d_backward(dconv, images, w).")
BIAS_HINT = ("grads['b'] is the bias gradient db of the kernels, the third value conv2d_backward returns: "
             "_, dw, db = conv2d_backward(dconv, images, w).")
TRAIN_HINT = ("initial params from rng = np.random.default_rng(seed), w first, then w_fc, each scaled as the "
              "docstring says, b and b_fc zeros, in the images' dtype; then exactly `steps` updates "
              "params[key] - lr * grads[key] with the constant lr, the gradient of detector_loss on all the images "
              "computed again at every step, for the params of that step.")
PREDICT_HINT = ("the forward pass of detector_loss up to the logits, the relu included (a kernel that responds "
                "nowhere pools to 0, not to its negative maximum), then np.argmax(logits, axis=1): the largest "
                "logit of each image (the smaller class on ties), as int64.")
ERRORS_HINT = "validate once, at the entry: raise ValueError with a message that names the argument."
TRAINING = {"kernels": 4, "kernel_size": 3, "classes": 2, "steps": 100, "lr": 0.5, "seed": 0}
TRAIN_SEED, TEST_SEED, TRAIN_IMAGES, TEST_IMAGES = 1, 2, 24, 200
TRAIN_TIMEOUT = 120.0  # a plain-loop implementation of every layer trains in ~20 s here, ~60 s under a load of 10
ACCURACY = 0.9


def loss_of(params, images, labels) -> float:
    return reference("detector_loss")(params, images, labels)[0]


def dead_kernel_case() -> Case:
    """Kernel 1 responds below 0 everywhere: the relu mask passes it no gradient."""
    rng = np.random.default_rng(7)
    images = rng.standard_normal((3, 1, 4, 5))
    w = rng.standard_normal((2, 1, 2, 3))
    params = {"w": w, "b": np.array([0.3, gen.dead_bias(w[1], images)]), "w_fc": rng.standard_normal((2, 3)),
              "b_fc": np.array([0.1, -0.2, 0.0])}
    return Case({"params": params, "images": images, "labels": np.array([0, 2, 1])}, note="kernel 1 is dead")


# ------------------------------------------------------------------------------------------ detector_loss
@check("detector_loss", name="loss matches the reference", points=1, kind="value",
       statement="The loss of conv2d -> relu -> global max pool -> linear -> softmax cross-entropy, averaged over "
                 "the images, equals the reference's.",
       strategy=gen.detector_cases(), hint=LOSS_HINT, corners=(dead_kernel_case(),))
def detector_loss_loss_matches_the_reference(ctx, case):
    loss = scalar_loss(pair_of(ctx.call(case), "detector_loss", ("loss", "grads"))[0])
    problem = compare(np.asarray(loss), np.asarray(ctx.reference(case)[0]), "loss")
    if problem:
        raise CheckFailed(problem + f"\nHint: {LOSS_HINT}")


def hint_for(wrong: list) -> str:
    """The chain-rule term a pattern of wrong gradients points at."""
    if {"w_fc", "b_fc"} & set(wrong):
        return FC_HINT
    return BIAS_HINT if wrong == ["b"] else KERNEL_HINT


@check("detector_loss", name="every gradient passes an end-to-end finite-difference check", points=2,
       kind="gradient",
       statement="For each parameter p of w, b, w_fc, b_fc, along a random direction v, (loss(p + h v) - "
                 "loss(p - h v)) / 2h through the whole network equals <grads[p], v>.",
       strategy=gen.detector_cases(), hint=KERNEL_HINT, corners=(dead_kernel_case(),))
def detector_loss_passes_an_end_to_end_gradient_check(ctx, case):
    params, images, labels = case.positional
    grads = params_of(pair_of(ctx.call(case), "detector_loss", ("loss", "grads"))[1], params)
    results = {}
    for salt, key in enumerate(PARAM_KEYS):
        v = direction(params[key], salt)
        h = 1e-5 * (1 + float(np.abs(params[key]).max()))
        numeric = (loss_of({**params, key: params[key] + h * v}, images, labels)
                   - loss_of({**params, key: params[key] - h * v}, images, labels)) / (2 * h)
        results[key] = numeric, inner(grads[key], v)
    wrong = [k for k, (numeric, analytic) in results.items()
             if not np.isclose(numeric, analytic, rtol=1e-4, atol=1e-7 * (1 + abs(numeric)))]
    if wrong:
        key = wrong[0]
        numeric, analytic = results[key]
        right = [f"grads[{k!r}]" for k in PARAM_KEYS if k not in wrong]
        expected = reference("detector_loss")(params, images, labels)[1][key]
        raise CheckFailed(
            f"the gradient of {' and '.join(f'grads[{k!r}]' for k in wrong)} is wrong"
            + (f" ({', '.join(right)} pass)" if right else "") + f". Along a random direction v of params[{key!r}], "
            f"(loss(p + h v) - loss(p - h v)) / 2h = {numeric:.6g}, but <grads[{key!r}], v> = {analytic:.6g}.\n"
            + gradient_note(grads[key], expected, f"grads[{key!r}]") + f"\nHint: {hint_for(wrong)}")


@check("detector_loss", name="returns a float loss and float32 grads and leaves inputs unchanged", points=0.5,
       kind="contract",
       statement="With float32 params and images, detector_loss returns a float loss and float32 grads shaped like "
                 "params, and does not modify params, images or labels.",
       strategy=gen.detector_cases())
def detector_loss_keeps_float32_and_inputs(ctx, case):
    def validate(got, c):
        loss, grads = pair_of(got, "detector_loss", ("loss", "grads"))
        scalar_loss(loss)
        params_of(grads, c.args["params"], dtype=np.float32)

    expect_float32_pure(ctx, case, validate)


def without(params: dict, key: str) -> dict:
    return {k: v for k, v in params.items() if k != key}


DETECTOR_ERRORS = {
    "params has no 'b_fc'": lambda c: c.with_args(params=without(c.args["params"], "b_fc")),
    "params has an extra key 'w2'": lambda c: c.with_args(params={**c.args["params"], "w2": np.ones((2, 2))}),
    "w_fc has one row more than there are kernels": lambda c: c.with_args(params={
        **c.args["params"], "w_fc": np.concatenate([c.args["params"]["w_fc"], c.args["params"]["w_fc"][:1]])}),
}


@check("detector_loss", name="rejects bad arguments", points=0.5, kind="errors",
       statement="params without exactly the keys w, b, w_fc, b_fc, a w_fc without one row per kernel, or a label "
                 "not below M raise ValueError.",
       strategy=corrupted(gen.detector_cases(), {
           **DETECTOR_ERRORS,
           "a label equals M": lambda c: c.with_args(labels=np.concatenate(
               [[c.args["params"]["b_fc"].shape[0]], c.args["labels"][1:]])),
       }), hint=ERRORS_HINT)
def detector_loss_rejects_bad_arguments(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ train_detector
@check("train_detector", name="the initial params and the first step match the reference", points=1,
       kind="value",
       statement="With steps=0 and steps=1 (any kernels, kernel_size, classes, lr and seed), the params equal the "
                 "reference's: the initial draw from default_rng(seed), then params - lr * grads.",
       strategy=gen.train_cases(), hint=TRAIN_HINT,
       corners=(Case({"images": np.arange(32.0).reshape(2, 1, 4, 4) / 32, "labels": np.array([0, 1])},
                     {**TRAINING, "steps": 0}, note="steps=0: the initial params"),
                Case({"images": np.cos(np.arange(54.0)).reshape(3, 2, 3, 3), "labels": np.array([1, 0, 1])},
                     {**TRAINING, "kernels": 2, "kernel_size": 2, "steps": 1}, note="one step")))
def train_detector_matches_the_reference(ctx, case):
    expected = ctx.reference(case)
    got = params_of(ctx.call(case), expected, what="params")
    for key in PARAM_KEYS:
        expect_close(got[key], expected[key], f"params[{key!r}]", hint=TRAIN_HINT)


def training_case() -> Case:
    images, labels = reference("make_shapes")(TRAIN_IMAGES, region="left", seed=TRAIN_SEED)
    return Case({"images": images, "labels": labels}, dict(TRAINING),
                note=f"{TRAIN_IMAGES} images from make_shapes(region='left', seed={TRAIN_SEED})")


@check("train_detector", name="learns a detector that works where it never saw an object", points=1,
       kind="property",
       statement=f"Trained with steps={TRAINING['steps']}, lr={TRAINING['lr']}, seed={TRAINING['seed']} on "
                 f"{TRAIN_IMAGES} images with the object in the left half only, the params classify at least "
                 f"{ACCURACY:.0%} of {TEST_IMAGES} images with the object in the right half correctly, and the "
                 f"kernels have moved from their initial values.",
       strategy=st.builds(training_case), max_examples=1, timeout=TRAIN_TIMEOUT, hint=TRAIN_HINT)
def train_detector_learns_a_shift_invariant_detector(ctx, case):
    images = case.args["images"]
    like = reference("train_detector")(images, case.args["labels"], **{**case.kwargs, "steps": 0})
    trained = params_of(ctx.call(case), like, what="params")
    initial = params_of(ctx.call(case.with_args(steps=0)), like, what="params (steps=0)")
    test_images, test_labels = reference("make_shapes")(TEST_IMAGES, region="right", seed=TEST_SEED)
    accuracy = float(np.mean(reference("predict")(trained, test_images) == test_labels))
    if accuracy < ACCURACY:
        raise CheckFailed(f"the trained params reach an accuracy of {accuracy:.0%} on the {TEST_IMAGES} test images "
                          f"(objects in the right half); at least {ACCURACY:.0%} is needed.\nHint: {TRAIN_HINT}")
    moved = float(np.linalg.norm(trained["w"] - initial["w"]) / max(np.linalg.norm(initial["w"]), 1e-12))
    if moved < 1e-3:
        raise CheckFailed(f"params['w'] after training is (nearly) the kernels of steps=0 (relative change "
                          f"{moved:.2g}): the kernels must learn too, with grads['w'].\nHint: {TRAIN_HINT}")


@check("train_detector", name="keeps the dtype and leaves inputs unchanged", points=0.25, kind="contract",
       statement="float32 images give float32 params, and images and labels are not modified.",
       strategy=gen.train_cases())
def train_detector_keeps_float32_and_inputs(ctx, case):
    like = ctx.reference(case.with_args(steps=0))
    expect_float32_pure(ctx, case, lambda got, c: params_of(got, like, what="params", dtype=np.float32))


@check("train_detector", name="rejects bad arguments", points=0.25, kind="errors",
       statement="steps < 0, lr <= 0, a kernel_size larger than the images, or a label not below classes raise "
                 "ValueError.",
       strategy=corrupted(gen.train_cases(), {
           "steps is -1": lambda c: c.with_args(steps=-1),
           "lr is 0": lambda c: c.with_args(lr=0.0),
           "lr is negative": lambda c: c.with_args(lr=-0.5),
           "kernel_size is larger than the images": lambda c: c.with_args(kernel_size=7),
           "a label equals classes": lambda c: c.with_args(labels=np.concatenate(
               [[c.kwargs["classes"]], c.args["labels"][1:]])),
       }), hint=ERRORS_HINT)
def train_detector_rejects_bad_arguments(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ predict
def relu_matters_case() -> Case:
    """A dead kernel whose negative maximum, without the relu, would flip the class of every image."""
    base = dead_kernel_case()
    params = {**base.args["params"], "w_fc": np.array([[0.0, 0.0, 0.0], [0.0, -1.0, 0.0]]),
              "b_fc": np.array([0.0, -0.5, 0.5])}
    return Case({"params": params, "images": base.args["images"]}, note="the relu decides")


def tie_case() -> Case:
    """Every logit equal: the smaller class wins."""
    base = dead_kernel_case()
    params = {**base.args["params"], "w_fc": np.zeros((2, 3)), "b_fc": np.ones(3)}
    return Case({"params": params, "images": base.args["images"]}, note="every logit is 1")


@check("predict", name="matches the reference", points=0.5, kind="value",
       statement="predict(params, images) gives the class of the largest logit of every image (the smaller class "
                 "on ties), as the reference does.",
       strategy=gen.predict_cases(), hint=PREDICT_HINT, corners=(relu_matters_case(), tie_case()))
def predict_matches_the_reference(ctx, case):
    expect_equal(ctx.call(case), ctx.reference(case), "labels", hint=PREDICT_HINT)


@check("predict", name="returns int64 labels and leaves inputs unchanged", points=0.25, kind="contract",
       statement="predict returns an int64 array of shape (N,), also for float32 params and images, and does not "
                 "modify them.",
       strategy=gen.predict_cases())
def predict_keeps_int64_and_inputs(ctx, case):
    def validate(got, c):
        require_array(got, "labels", c.args["images"].shape[:1], kinds="iu")
        if got.dtype != np.int64:
            raise CheckFailed(f"labels should have dtype int64, but it is {got.dtype}: use .astype(np.int64).")

    expect_float32_pure(ctx, case, validate)


@check("predict", name="rejects bad params", points=0.25, kind="errors",
       statement="params without exactly the keys w, b, w_fc, b_fc, or a w_fc without one row per kernel, raise "
                 "ValueError.",
       strategy=corrupted(gen.predict_cases(), DETECTOR_ERRORS), hint=ERRORS_HINT)
def predict_rejects_bad_params(ctx, case):
    expect_raises(ctx, case, why=case.note)
