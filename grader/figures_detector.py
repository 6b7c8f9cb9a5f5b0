"""The figures of notebook 08, drawn with the student's own layers (given code, never graded).

As in `grader.figures`, whose helpers they use and through which the notebook imports them
(`from grader.figures import show_detector`): a function not written yet, one that raises or returns
something that cannot be drawn, or a missing matplotlib gives a message instead of a figure.
"""

from __future__ import annotations

import numpy as np

from .figures_common import _array, _call, _parts, _present, _returned

PARAM_KEYS = ("w", "b", "w_fc", "b_fc")
STEPS, LR = 100, 0.5  # train_detector's defaults: the MLP gets the same budget
COLUMNS = tuple(range(3, 9))  # centres of the test objects; training saw columns 3 to 5 (the left half)
SIDE = 12  # make_shapes' default image size


# ------------------------------------------------------------------------------------------ the max
def show_max_of_the_response(conv2d_forward, relu_forward, global_max_pool_forward, lang=None):
    """An apple at four columns, a blob kernel's response maps, and the global max of each."""
    _present(_max_of_the_response, lang, conv2d_forward, relu_forward, global_max_pool_forward)


def _apple(column: int) -> np.ndarray:
    """A disc of radius 2 with a soft edge, centred at row 6 and `column` of a 12x12 image, as make_shapes draws."""
    rows, cols = np.mgrid[:SIDE, :SIDE]
    return np.clip(2.5 - np.hypot(rows - 6, cols - column), 0, 1)


def _max_of_the_response(plt, conv2d_forward, relu_forward, global_max_pool_forward):
    w, b = np.full((1, 1, 3, 3), 1 / 9), np.array([-0.5])  # a blob detector: the mean of a window, minus 0.5
    fig, axes = plt.subplots(2, 4, figsize=(10, 5.2), layout="constrained")
    maxima = []
    for top, bottom, column in zip(axes[0], axes[1], (3, 5, 7, 9)):
        image = _apple(column)[None, None]
        conv = _array(_call(conv2d_forward, image, w, b), conv2d_forward, (1, 1, SIDE - 2, SIDE - 2))
        response = _array(_call(relu_forward, conv), relu_forward, conv.shape)
        best = float(_array(_call(global_max_pool_forward, response), global_max_pool_forward, (1, 1))[0, 0])
        maxima.append(best)
        i, j = np.unravel_index(np.argmax(response[0, 0]), response.shape[2:])
        top.imshow(image[0, 0], cmap="gray")
        top.plot(j + 1, i + 1, "x", color="tab:red", ms=10, mew=2)  # the centre of the best window
        top.set_title(f"apple at column {column}", fontsize=9)
        bottom.imshow(response[0, 0], cmap="magma", vmin=0, vmax=0.6)
        bottom.plot(j, i, "x", color="cyan", ms=10, mew=2)
        bottom.set_title(f"global max {best:.3f} at ({i}, {j})", fontsize=9)
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    same = "stays" if max(maxima) - min(maxima) <= 1e-9 * (1 + abs(maxima[0])) else "changes!"
    fig.suptitle(f"relu(conv2d(x, w, b)) with a 3×3 blob kernel, b = -0.5: the max moves with the apple, its "
                 f"value {same} (shift invariance)", fontsize=10)
    return fig


# ------------------------------------------------------------------------------------------ trained
def show_detector(make_shapes, train_detector, predict, linear_forward, linear_backward, relu_forward,
                  relu_backward, softmax_cross_entropy, lang=None):
    """Samples, the kernels learned end to end, and the CNN against an MLP on objects at unseen columns."""
    _present(_detector, lang, make_shapes, train_detector, predict, linear_forward, linear_backward, relu_forward,
             relu_backward, softmax_cross_entropy)


def _params(value, fn) -> dict:
    """What train_detector returned, as the dict of params the figure draws, or NoFigure."""
    if not isinstance(value, dict) or set(value) != set(PARAM_KEYS):
        raise _returned(fn, type(value).__name__, "a dict with the keys w, b, w_fc, b_fc")
    w = _array(value["w"], fn, np.shape(value["w"]))
    if w.ndim != 4:
        raise _returned(fn, f"w of shape {w.shape}", "w of shape (K, C, R, S)")
    return {"w": w, **{k: _array(value[k], fn, np.shape(value[k])) for k in PARAM_KEYS[1:]}}


def _detector(plt, make_shapes, train_detector, predict, *layers):
    train, labels = _parts(_call(make_shapes, 24, region="left", seed=0), make_shapes, 2, "(images, labels)")
    params = _params(_call(train_detector, train, labels), train_detector)
    mlp = _train_mlp(train, labels, *layers)
    networks = {"CNN": (sum(v.size for v in params.values()), lambda x: _call(predict, params, x), predict),
                "MLP": (sum(v.size for v in mlp.values()), lambda x: _mlp_predict(mlp, x, *layers), layers[0])}
    accuracy = {}
    for name, (_, classify, fn) in networks.items():
        accuracy[name] = []
        for column in COLUMNS:
            images, truth = _call(make_shapes, 100, region=column, seed=10 + column)
            got = _array(classify(images), fn, truth.shape)
            accuracy[name].append(float(np.mean(got == truth)))

    fig = plt.figure(figsize=(11, 7.5), layout="constrained")
    grid = fig.add_gridspec(3, 6, height_ratios=(1, 1, 1.6))
    apples, bananas = np.flatnonzero(labels == 1)[:3], np.flatnonzero(labels == 0)[:3]
    for n, i in enumerate([*apples, *bananas]):
        ax = fig.add_subplot(grid[0, n])
        ax.imshow(train[i, 0], cmap="gray", vmin=-0.3, vmax=1.2)
        ax.set_title(f"training: {'apple' if labels[i] else 'banana'}", fontsize=8)
        ax.set_axis_off()
    w = params["w"]
    limit = float(np.abs(w).max()) or 1.0
    for k in range(min(len(w), 6)):
        ax = fig.add_subplot(grid[1, k])
        ax.imshow(w[k, 0], cmap="RdBu_r", vmin=-limit, vmax=limit)
        vote = params["w_fc"][k, 1] - params["w_fc"][k, 0] if params["w_fc"].shape[1] > 1 else 0.0
        ax.set_title(f"learned w[{k}, 0]\nvote for apple {vote:+.2f}", fontsize=8)
        ax.set_axis_off()
    ax = fig.add_subplot(grid[2, :])
    ax.axvspan(COLUMNS[0] - 0.5, 5.5, color="0.92", label="columns seen in training")
    for (name, (count, _, _)), style in zip(networks.items(), ("o-", "s--")):
        ax.plot(COLUMNS, accuracy[name], style, label=f"{name}: {count:,} parameters, accuracy "
                                                      f"{min(accuracy[name]):.0%} to {max(accuracy[name]):.0%}")
    ax.axhline(0.5, color="0.5", lw=0.8, ls=":")
    ax.set(xlabel="column of the object's centre in the test images", ylabel="test accuracy", ylim=(0, 1.05))
    ax.legend(loc="lower left", fontsize=8)
    fig.suptitle(f"train_detector ({STEPS} steps, lr {LR}) on 24 images, objects in the left half; an MLP on the "
                 f"{SIDE * SIDE} pixels with the same budget", fontsize=10)
    return fig


def _train_mlp(images, labels, linear_forward, linear_backward, relu_forward, relu_backward, softmax_cross_entropy,
               hidden=16):
    """An MLP on the flattened pixels, linear -> relu -> linear, trained as train_detector trains the CNN."""
    x = images.reshape(len(images), -1)
    rng = np.random.default_rng(0)
    mlp = {"w1": rng.standard_normal((x.shape[1], hidden)) * np.sqrt(2 / x.shape[1]), "b1": np.zeros(hidden),
           "w2": rng.standard_normal((hidden, 2)) * np.sqrt(1 / hidden), "b2": np.zeros(2)}
    for _ in range(STEPS):  # one gradient step on all the images, as train_detector takes
        h = _array(_call(linear_forward, x, mlp["w1"], mlp["b1"]), linear_forward, (len(x), hidden))
        a = _array(_call(relu_forward, h), relu_forward, h.shape)
        logits = _array(_call(linear_forward, a, mlp["w2"], mlp["b2"]), linear_forward, (len(x), 2))
        _, dlogits = _parts(_call(softmax_cross_entropy, logits, labels), softmax_cross_entropy, 2, "(loss, dlogits)")
        da, dw2, db2 = _parts(_call(linear_backward, dlogits, a, mlp["w2"]), linear_backward, 3, "(dx, dw, db)")
        _, dw1, db1 = _parts(_call(linear_backward, _call(relu_backward, da, h), x, mlp["w1"]), linear_backward, 3,
                             "(dx, dw, db)")
        for key, grad in zip(("w1", "b1", "w2", "b2"), (dw1, db1, dw2, db2)):
            mlp[key] = mlp[key] - LR * _array(grad, linear_backward, mlp[key].shape)
    return mlp


def _mlp_predict(mlp, images, linear_forward, linear_backward, relu_forward, *_):
    a = _call(relu_forward, _call(linear_forward, images.reshape(len(images), -1), mlp["w1"], mlp["b1"]))
    return np.argmax(_array(_call(linear_forward, a, mlp["w2"], mlp["b2"]), linear_forward, (len(images), 2)),
                     axis=1)

