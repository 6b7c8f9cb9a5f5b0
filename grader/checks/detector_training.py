"""Checks of the detector's loss and of the detector itself: softmax_cross_entropy, detector_loss (end to end),
train_detector and predict."""

import numpy as np

from .. import corners_detector as corners, strategies_detector as gen
from ..corners_detector import TEST_IMAGES, TEST_SHAPES
from ..answers import NotRecorded
from .base import N_, Case, CheckFailed, _, check, hint_line, compare, expect_close, expect_equal, expect_raises, require_array
from .common import gradient_note, inner, rejects
from .detector_common import (PARAM_KEYS, direction, expect_float32_pure, finite_difference, pair_of, params_of,
                              scalar_loss)

SOFTMAX_HINT = N_("subtract each row's max before exp (softmax does not change, exp cannot overflow); then "
                  "log p = shifted - log(sum(exp(shifted))), loss = the average of -log p[n, labels[n]] over the N "
                  "rows, dlogits = (p - onehot(labels)) / N.")
STABLE_HINT = N_("subtract each row's max before exp: exp(1000) overflows to inf, and log(p) of a probability that "
                 "underflows to 0 is -inf. Use log p = shifted - log(sum(exp(shifted))), never log(softmax).")
LOSS_HINT = N_("the forward pass conv2d_forward(images, w, b) -> relu_forward -> global_max_pool_forward -> "
               "linear_forward(pooled, w_fc, b_fc) -> softmax_cross_entropy(logits, labels), whose loss is already "
               "averaged over the N images (do not multiply it by N or add it up per image).")
FC_HINT = N_("grads['w_fc'] and grads['b_fc'] are dw and db of linear_backward(dlogits, pooled, w_fc), with dlogits "
             "from softmax_cross_entropy and pooled the input of the linear layer.")
KERNEL_HINT = N_("the gradient reaches the kernels through every layer in reverse order: dpooled (the dx of "
                 "linear_backward), global_max_pool_backward(dpooled, act), then the relu mask, "
                 "relu_backward(dact, conv) (0 where conv <= 0: a kernel that responds nowhere learns nothing), then "
                 "conv2d_backward(dconv, images, w).")
BIAS_HINT = N_("grads['b'] is the bias gradient db of the kernels, the third value conv2d_backward returns: "
               "_, dw, db = conv2d_backward(dconv, images, w).")
TRAIN_HINT = N_("initial params from rng = np.random.default_rng(seed), w first, then w_fc, each scaled as the "
                "docstring says, b and b_fc zeros, in the images' dtype; then exactly `steps` updates "
                "params[key] - lr * grads[key] with the constant lr, the gradient of detector_loss on all the images "
                "computed again at every step, for the params of that step.")
PREDICT_HINT = N_("the forward pass of detector_loss up to the logits, the relu included (a kernel that responds "
                  "nowhere pools to 0, not to its negative maximum), then np.argmax(logits, axis=1): the largest "
                  "logit of each image (the smaller class on ties), as int64.")
ERRORS_HINT = N_("validate once, at the entry: raise ValueError with a message that names the argument.")
LABELS_HINT = N_("validate once, at the entry: raise ValueError with a message that names the argument. Labels are "
                 "class indices in [0, M).")
TRAIN_TIMEOUT = 120.0  # a plain-loop implementation of every layer trains in ~20 s here, ~60 s under a load of 10
ACCURACY = 0.9


def loss_of(ctx, case, params) -> float:
    """The reference's detector_loss of the case's images and labels with other params."""
    return ctx.reference(case.with_args(params=params), "detector_loss")[0]


# ------------------------------------------------------------------------------------------ softmax
# Corners by family: mean (the loss summed, dlogits not divided by N) "small"; stable (no max subtracted, the
# log of softmax) "large" and "underflow"; dtype "small"; validation every corruption of "small".
BAD_LABELS = {
    N_("a label is -1"): ("each in [0, M)", lambda c: c.with_args(labels=np.concatenate([[-1], c.args["labels"][1:]]))),
    N_("a label equals M"): ("each in [0, M)", lambda c: c.with_args(
        labels=np.concatenate([[c.args["logits"].shape[1]], c.args["labels"][1:]]))),
    N_("labels has one entry too many"): ("unless labels has one entry per row", lambda c: c.with_args(
        labels=np.append(c.args["labels"], 0))),
}


def expect_softmax(ctx, case, index):
    got = pair_of(ctx.call(case), "softmax_cross_entropy", ("loss", "dlogits"))
    expected = ctx.reference(case)
    if index == 0:
        loss = scalar_loss(got[0])
        problem = compare(np.asarray(loss), np.asarray(expected[0]), "loss")
        if problem:
            raise CheckFailed(problem + hint_line(SOFTMAX_HINT))
    else:
        expect_close(got[1], expected[1], "dlogits", hint=SOFTMAX_HINT, shape_hint=N_("dlogits is (N, M)."))


@check("softmax_cross_entropy", name=N_("loss matches the reference"), points=0.5, kind="value",
       statement=N_("loss equals the average over the N rows of -log softmax(logits)[n, labels[n]]."),
       strategy=gen.softmax_cases(), hint=SOFTMAX_HINT, corners=corners.softmaxes("small"))
def softmax_cross_entropy_loss_matches_the_reference(ctx, case):
    expect_softmax(ctx, case, 0)


@check("softmax_cross_entropy", name=N_("dlogits matches the reference"), points=0.75, kind="value",
       statement=N_("dlogits equals (softmax(logits) - onehot(labels)) / N, the gradient of the loss."),
       strategy=gen.softmax_cases(), hint=SOFTMAX_HINT, corners=corners.softmaxes("small"))
def softmax_cross_entropy_dlogits_matches_the_reference(ctx, case):
    expect_softmax(ctx, case, 1)


@check("softmax_cross_entropy", name=N_("is stable for large logits"), points=0.5, kind="value",
       statement=N_("For logits in the thousands (far above or below 0), loss and dlogits are finite and equal the "
                    "reference's."),
       strategy=gen.softmax_cases(large=True), hint=STABLE_HINT, corners=corners.softmaxes("large", "underflow"))
def softmax_cross_entropy_is_stable_for_large_logits(ctx, case):
    got = pair_of(ctx.call(case), "softmax_cross_entropy", ("loss", "dlogits"))
    loss, dlogits = ctx.reference(case)
    for value, expected, what in ((np.asarray(scalar_loss(got[0])), np.asarray(loss), "loss"),
                                  (got[1], dlogits, "dlogits")):
        expect_close(value, expected, what, hint=STABLE_HINT, shape_hint=N_("dlogits is (N, M)."))


@check("softmax_cross_entropy", name=N_("passes a finite-difference check"), points=0.25, kind="gradient",
       statement=N_("Along a random direction v, (loss(logits + h v) - loss(logits - h v)) / 2h equals <dlogits, v>."),
       strategy=gen.softmax_cases(), hint=SOFTMAX_HINT, corners=corners.softmaxes("small"))
def softmax_cross_entropy_passes_a_finite_difference_check(ctx, case):
    case = case.with_args(logits=case.args["logits"].astype(np.float64))
    finite_difference(ctx, case, "logits", lambda z: ctx.reference(case.with_args(logits=z))[0],
                      lambda got: pair_of(got, "softmax_cross_entropy", ("loss", "dlogits"))[1],
                      step=1e-4, hint=SOFTMAX_HINT)


@check("softmax_cross_entropy", name=N_("keeps the dtype and leaves inputs unchanged"), points=0.25, kind="contract",
       statement=N_("float32 logits give a float loss and a float32 dlogits (N, M), and logits and labels are not "
                    "modified."),
       strategy=gen.softmax_cases(), corners=corners.softmaxes("small"),
       documented=("float32 logits give a float32 dlogits", "logits and labels are not modified"))
def softmax_cross_entropy_keeps_float32_and_inputs(ctx, case):
    def validate(got, c):
        got = pair_of(got, "softmax_cross_entropy", ("loss", "dlogits"))
        scalar_loss(got[0])
        require_array(got[1], "dlogits", c.args["logits"].shape, dtype=np.float32)

    expect_float32_pure(ctx, case, validate)


@check("softmax_cross_entropy", name=N_("rejects labels that are not classes"), points=0.25, kind="errors",
       statement=N_("A label below 0 or not below M, or labels without exactly one entry per row, raise ValueError."),
       hint=LABELS_HINT,
       **rejects(gen.softmax_cases(), corners.softmaxes("small")[0], BAD_LABELS))
def softmax_cross_entropy_rejects_bad_labels(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ detector_loss
# Corners (grader/corners_detector.py) by mutant family: values (the relu left out), mean (the loss summed),
# mask (relu_backward skipped), bias (no bias gradient) and dtype "dead kernel"; validation every corruption
# of "dead kernel".
@check("detector_loss", name=N_("loss matches the reference"), points=1, kind="value",
       statement=N_("The loss of conv2d -> relu -> global max pool -> linear -> softmax cross-entropy, averaged over "
                    "the images, equals the reference's."),
       strategy=gen.detector_cases(), hint=LOSS_HINT, corners=corners.detectors("dead kernel"))
def detector_loss_loss_matches_the_reference(ctx, case):
    loss = scalar_loss(pair_of(ctx.call(case), "detector_loss", ("loss", "grads"))[0])
    problem = compare(np.asarray(loss), np.asarray(ctx.reference(case)[0]), "loss")
    if problem:
        raise CheckFailed(problem + hint_line(LOSS_HINT))


GRADIENT_WRONG = N_("the gradient of {wrong} is wrong. Along a random direction v of params[{key}], (loss(p + h v) "
                    "- loss(p - h v)) / 2h = {numeric}, but <grads[{key}], v> = {analytic}.")
GRADIENT_WRONG_BESIDE_RIGHT = N_("the gradient of {wrong} is wrong ({right} pass). Along a random direction v of "
                                 "params[{key}], (loss(p + h v) - loss(p - h v)) / 2h = {numeric}, but <grads[{key}], "
                                 "v> = {analytic}.")


def hint_for(wrong: list) -> str:
    """The chain-rule term a pattern of wrong gradients points at."""
    if {"w_fc", "b_fc"} & set(wrong):
        return FC_HINT
    return BIAS_HINT if wrong == ["b"] else KERNEL_HINT


@check("detector_loss", name=N_("every gradient passes an end-to-end finite-difference check"), points=2,
       kind="gradient",
       statement=N_("For each parameter p of w, b, w_fc, b_fc, along a random direction v, (loss(p + h v) - "
                    "loss(p - h v)) / 2h through the whole network equals <grads[p], v>."),
       strategy=gen.detector_cases(), hint=KERNEL_HINT, corners=corners.detectors("dead kernel"))
def detector_loss_passes_an_end_to_end_gradient_check(ctx, case):
    params = case.args["params"]
    grads = params_of(pair_of(ctx.call(case), "detector_loss", ("loss", "grads"))[1], params)
    results = {}
    for salt, key in enumerate(PARAM_KEYS):
        v = direction(params[key], salt)
        h = 1e-5 * (1 + float(np.abs(params[key]).max()))
        numeric = (loss_of(ctx, case, {**params, key: params[key] + h * v})
                   - loss_of(ctx, case, {**params, key: params[key] - h * v})) / (2 * h)
        results[key] = numeric, inner(grads[key], v)
    wrong = [k for k, (numeric, analytic) in results.items()
             if not np.isclose(numeric, analytic, rtol=1e-4, atol=1e-7 * (1 + abs(numeric)))]
    if wrong:
        key = wrong[0]
        numeric, analytic = results[key]
        right = [f"grads[{k!r}]" for k in PARAM_KEYS if k not in wrong]
        expected = ctx.reference(case)[1][key]
        message = _(GRADIENT_WRONG_BESIDE_RIGHT if right else GRADIENT_WRONG)
        raise CheckFailed(message.format(
            wrong=_(" and ").join(f"grads[{k!r}]" for k in wrong), right=", ".join(right), key=repr(key),
            numeric=f"{numeric:.6g}", analytic=f"{analytic:.6g}")
            + "\n" + gradient_note(grads[key], expected, f"grads[{key!r}]") + hint_line(hint_for(wrong)))


@check("detector_loss", name=N_("returns a float loss and float32 grads and leaves inputs unchanged"), points=0.5,
       kind="contract",
       statement=N_("float32 params and images give a float loss and float32 grads shaped like params, and params, "
                    "images and labels are not modified."),
       strategy=gen.detector_cases(), corners=corners.detectors("dead kernel"),
       documented=("float32 params and images give float32 grads", "params, images and labels are not modified"))
def detector_loss_keeps_float32_and_inputs(ctx, case):
    def validate(got, c):
        loss, grads = pair_of(got, "detector_loss", ("loss", "grads"))
        scalar_loss(loss)
        params_of(grads, c.args["params"], dtype=np.float32)

    expect_float32_pure(ctx, case, validate)


def without(params: dict, key: str) -> dict:
    return {k: v for k, v in params.items() if k != key}


BAD_PARAMS = {
    N_("params has no 'b_fc'"): ("does not have exactly the four keys w, b, w_fc, b_fc", lambda c: c.with_args(
        params=without(c.args["params"], "b_fc"))),
    N_("params has an extra key 'w2'"): ("does not have exactly the four keys w, b, w_fc, b_fc", lambda c: c.with_args(
        params={**c.args["params"], "w2": np.ones((2, 2))})),
    N_("w_fc has one row more than there are kernels"): ("their shapes do not fit together", lambda c: c.with_args(
        params={**c.args["params"], "w_fc": np.concatenate([c.args["params"]["w_fc"],
                                                            c.args["params"]["w_fc"][:1]])})),
}
BAD_DETECTOR_ARGS = {
    **BAD_PARAMS,
    N_("a label equals M"): ("a label is not in [0, M)", lambda c: c.with_args(labels=np.concatenate(
        [[c.args["params"]["b_fc"].shape[0]], c.args["labels"][1:]]))),
}


@check("detector_loss", name=N_("rejects bad arguments"), points=0.5, kind="errors",
       statement=N_("params without exactly the keys w, b, w_fc, b_fc, a w_fc without one row per kernel, or a label "
                    "not below M raise ValueError."),
       hint=ERRORS_HINT, **rejects(gen.detector_cases(), corners.detectors("dead kernel")[0], BAD_DETECTOR_ARGS))
def detector_loss_rejects_bad_arguments(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ train_detector
# Corners by family: init (np.random, zero kernels) "initial"; values (gradient ascent, frozen kernels) "one
# step"; training (a gradient computed once) corners.graded_training; dtype "one step"; validation every corruption of
# "one step".
@check("train_detector", name=N_("the initial params and the first step match the reference"), points=1,
       kind="value",
       statement=N_("With steps=0 and steps=1 (any kernels, kernel_size, classes, lr and seed), the params equal the "
                    "reference's: the initial draw from default_rng(seed), then params - lr * grads."),
       strategy=gen.train_cases(), hint=TRAIN_HINT, corners=corners.trainings("initial", "one step"))
def train_detector_matches_the_reference(ctx, case):
    expected = ctx.reference(case)
    got = params_of(ctx.call(case), expected, what="params")
    for key in PARAM_KEYS:
        expect_close(got[key], expected[key], f"params[{key!r}]", hint=TRAIN_HINT)


PREVIEW_TRAINING = N_("the local preview cannot measure these params: it holds the reference's predictions only "
                      "for the params of the reference's own training, and yours differ from them (params[{key}] by "
                      "up to {difference}). Your grade of record measures the accuracy of your own params; the "
                      "check \"the initial params and the first step match the reference\" shows where a training "
                      "departs.")


def predictions(ctx, case, trained: dict, images) -> np.ndarray:
    """The reference's predict of `images` with the trained params. A release recorded that answer for the
    reference's own training only: params equal to it (to rounding) are measured by it, others cannot be."""
    try:
        return ctx.reference(Case({"params": trained, "images": images}), "predict")
    except NotRecorded:
        expected = params_of(ctx.reference(case), trained, what="params")
        if not all(np.allclose(trained[k], expected[k], rtol=1e-6, atol=1e-9) for k in PARAM_KEYS):
            differences = {k: float(np.abs(trained[k] - expected[k]).max()) for k in PARAM_KEYS}
            key = max(differences, key=differences.get)
            raise CheckFailed(_(PREVIEW_TRAINING).format(key=repr(key), difference=f"{differences[key]:.3g}")) \
                from None
        return ctx.reference(Case({"params": expected, "images": images}), "predict")


@check("train_detector", name=N_("learns a detector that works where it never saw an object"), points=1,
       kind="property",
       statement=N_("Trained with steps=100, lr=0.5, seed=0 on 24 images with the object in the left half only, the "
                    "params classify at least 90% of 200 images with the object in the right half correctly, and "
                    "the kernels have moved from their initial values."),
       strategy=gen.graded_training(), corners=corners.graded_training, max_examples=1, timeout=TRAIN_TIMEOUT,
       hint=TRAIN_HINT)
def train_detector_learns_a_shift_invariant_detector(ctx, case):
    like = ctx.reference(case.with_args(steps=0))
    trained = params_of(ctx.call(case), like, what="params")
    initial = params_of(ctx.call(case.with_args(steps=0)), like, what="params (steps=0)")
    test_images, test_labels = ctx.reference(TEST_SHAPES, "make_shapes")
    accuracy = float(np.mean(predictions(ctx, case, trained, test_images) == test_labels))
    if accuracy < ACCURACY:
        raise CheckFailed(_("the trained params reach an accuracy of {accuracy} on the {count} test images (objects "
                            "in the right half); at least {needed} is needed.").format(
            accuracy=f"{accuracy:.0%}", count=TEST_IMAGES, needed=f"{ACCURACY:.0%}") + hint_line(TRAIN_HINT))
    moved = float(np.linalg.norm(trained["w"] - initial["w"]) / max(np.linalg.norm(initial["w"]), 1e-12))
    if moved < 1e-3:
        raise CheckFailed(_("params['w'] after training is (nearly) the kernels of steps=0 (relative change "
                            "{change}): the kernels must learn too, with grads['w'].").format(change=f"{moved:.2g}")
                          + hint_line(TRAIN_HINT))


@check("train_detector", name=N_("keeps the dtype and leaves inputs unchanged"), points=0.25, kind="contract",
       statement=N_("float32 images give float32 params, and images and labels are not modified."),
       strategy=gen.train_cases(), corners=corners.trainings("one step"),
       documented=("float32 images give float32 params", "images and labels are not modified"))
def train_detector_keeps_float32_and_inputs(ctx, case):
    like = ctx.reference(case.with_args(steps=0))
    expect_float32_pure(ctx, case, lambda got, c: params_of(got, like, what="params", dtype=np.float32))


BAD_TRAINING = {
    N_("steps is -1"): ("steps < 0", lambda c: c.with_args(steps=-1)),
    N_("lr is 0"): ("lr <= 0", lambda c: c.with_args(lr=0.0)),
    N_("lr is negative"): ("lr <= 0", lambda c: c.with_args(lr=-0.5)),
    N_("kernel_size is larger than the images"): ("the kernel does not fit the images", lambda c: c.with_args(
        kernel_size=7)),
    N_("a label equals classes"): ("a label is not in [0, classes)", lambda c: c.with_args(labels=np.concatenate(
        [[c.kwargs["classes"]], c.args["labels"][1:]]))),
}


@check("train_detector", name=N_("rejects bad arguments"), points=0.25, kind="errors",
       statement=N_("steps < 0, lr <= 0, a kernel_size larger than the images, or a label not below classes raise "
                    "ValueError."),
       hint=ERRORS_HINT, **rejects(gen.train_cases(), corners.trainings("one step")[0], BAD_TRAINING))
def train_detector_rejects_bad_arguments(ctx, case):
    expect_raises(ctx, case, why=case.note)


# ------------------------------------------------------------------------------------------ predict
# Corners by family: relu (left out) and argmax (over the images) "relu decides"; ties "tie"; dtype "relu
# decides"; validation every corruption of "relu decides".
@check("predict", name=N_("matches the reference"), points=0.5, kind="value",
       statement=N_("predict(params, images) gives the class of the largest logit of every image (the smaller class "
                    "on ties), as the reference does."),
       strategy=gen.predict_cases(), hint=PREDICT_HINT, corners=corners.predictions("relu decides", "tie"))
def predict_matches_the_reference(ctx, case):
    expect_equal(ctx.call(case), ctx.reference(case), "labels", hint=PREDICT_HINT)


@check("predict", name=N_("returns int64 labels and leaves inputs unchanged"), points=0.25, kind="contract",
       statement=N_("predict returns int64 labels (N,), also for float32 params and images, and params and images are "
                    "not modified."),
       strategy=gen.predict_cases(), corners=corners.predictions("relu decides"),
       documented=("int64 also for float32 params and images", "params and images are not modified"))
def predict_keeps_int64_and_inputs(ctx, case):
    def validate(got, c):
        require_array(got, "labels", c.args["images"].shape[:1], kinds="iu")
        if got.dtype != np.int64:
            raise CheckFailed(_("labels should have dtype int64, but it is {dtype}: use .astype(np.int64).").format(
                dtype=got.dtype))

    expect_float32_pure(ctx, case, validate)


@check("predict", name=N_("rejects bad params"), points=0.25, kind="errors",
       statement=N_("params without exactly the keys w, b, w_fc, b_fc, or a w_fc without one row per kernel, raise "
                    "ValueError."),
       hint=ERRORS_HINT, **rejects(gen.predict_cases(), corners.predictions("relu decides")[0], BAD_PARAMS))
def predict_rejects_bad_params(ctx, case):
    expect_raises(ctx, case, why=case.note)
