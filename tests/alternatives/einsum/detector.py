"""The detector's layers with einsum, masks and bincount; the loss from log-sum-exp with a one-hot matrix."""
import numpy as np

from .conv import conv2d_backward, conv2d_forward
from .padding import check, check_shape, check_window, float_array

KEYS = ("b", "b_fc", "w", "w_fc")


def relu_forward(x):
    x = float_array(x, "x")
    return x * (x > 0)


def relu_backward(dout, x):
    x, dout = float_array(x, "x"), float_array(dout, "dout")
    check_shape(dout, "dout", x.shape)
    return (dout * (x > 0)).astype(np.result_type(dout, x))


def _linear(x, w):
    x, w = float_array(x, "x", ndim=2), float_array(w, "w", ndim=2)
    check(x.shape[1] == w.shape[0], f"x and w disagree on D: x.shape={x.shape}, w.shape={w.shape}")
    return x, w


def linear_forward(x, w, b):
    x, w = _linear(x, w)
    b = float_array(b, "b", ndim=1)
    check_shape(b, "b", w.shape[1:])
    return np.einsum("nd,dm->nm", x, w) + b


def linear_backward(dout, x, w):
    x, w = _linear(x, w)
    dout = float_array(dout, "dout", ndim=2)
    check_shape(dout, "dout", (x.shape[0], w.shape[1]))
    return np.einsum("nm,dm->nd", dout, w), np.einsum("nd,nm->dm", x, dout), np.einsum("nm->m", dout)


def _maps(x):
    x = float_array(x, "x", ndim=4)
    check(x.shape[2] * x.shape[3] > 0, f"'x' must have at least one pixel per map (got shape {x.shape})")
    return x


def global_max_pool_forward(x):
    x = _maps(x)
    return np.amax(x.reshape(x.shape[0], x.shape[1], -1), axis=2)


def global_max_pool_backward(dout, x):
    x = _maps(x)
    N, C, H, W = x.shape
    dout = float_array(dout, "dout", ndim=2)
    check_shape(dout, "dout", (N, C))
    flat = x.reshape(N * C, H * W)
    first = (flat == flat.max(axis=1, keepdims=True)).argmax(axis=1)  # the first True of each row
    where = np.arange(N * C) * H * W + first
    dx = np.bincount(where, weights=dout.reshape(-1).astype(np.float64), minlength=N * C * H * W)
    return dx.reshape(x.shape).astype(np.result_type(dout, x))


def _labels(labels, n, classes):
    labels = np.asarray(labels)
    check(labels.dtype.kind in "iu" and labels.shape == (n,), f"'labels' must be {n} integers")
    check(bool(np.all((labels >= 0) & (labels < classes))), f"'labels' must lie in [0, {classes})")
    return labels


def softmax_cross_entropy(logits, labels):
    logits = float_array(logits, "logits", ndim=2)
    N, M = logits.shape
    check(N > 0 and M > 0, f"'logits' must not be empty (got shape {logits.shape})")
    onehot = np.eye(M, dtype=logits.dtype)[_labels(labels, N, M)]
    top = logits.max(axis=1, keepdims=True)
    lse = top + np.log(np.exp(logits - top).sum(axis=1, keepdims=True))
    loss = np.einsum("nm,nm->", lse - logits, onehot) / N
    return float(loss), ((np.exp(logits - lse) - onehot) / N).astype(logits.dtype)


def _arguments(params, images):
    check(isinstance(params, dict) and sorted(params) == list(KEYS), f"'params' must have the keys {KEYS}")
    images = float_array(images, "images", ndim=4)
    w, b = float_array(params["w"], "w", ndim=4), float_array(params["b"], "b", ndim=1)
    w_fc, b_fc = float_array(params["w_fc"], "w_fc", ndim=2), float_array(params["b_fc"], "b_fc", ndim=1)
    K = len(w)
    check(w.shape[1] == images.shape[1], "the kernels and the images disagree on channels")
    check(b.shape == (K,) and w_fc.shape[0] == K and b_fc.shape == w_fc.shape[1:], "the params do not fit")
    check_window(images.shape[2:], w.shape[2:])
    return images, w, b, w_fc, b_fc


def detector_loss(params, images, labels):
    images, w, b, w_fc, b_fc = _arguments(params, images)
    labels = _labels(labels, len(images), w_fc.shape[1])
    conv = conv2d_forward(images, w, b)
    act = relu_forward(conv)
    pooled = global_max_pool_forward(act)
    loss, dlogits = softmax_cross_entropy(linear_forward(pooled, w_fc, b_fc), labels)
    dpooled, dw_fc, db_fc = linear_backward(dlogits, pooled, w_fc)
    _, dw, db = conv2d_backward(relu_backward(global_max_pool_backward(dpooled, act), conv), images, w)
    return loss, dict(w=dw, b=db, w_fc=dw_fc, b_fc=db_fc)


def train_detector(images, labels, *, kernels=4, kernel_size=3, classes=2, steps=100, lr=0.5, seed=0):
    images = float_array(images, "images", ndim=4)
    check(steps >= 0 and lr > 0 and kernels >= 1 and classes >= 2, "bad training arguments")
    check_window(images.shape[2:], (kernel_size, kernel_size))
    _labels(labels, len(images), classes)
    C = images.shape[1]
    rng = np.random.default_rng(seed)
    params = dict(w=rng.normal(size=(kernels, C, kernel_size, kernel_size)) / np.sqrt(C * kernel_size ** 2 / 2))
    params["w_fc"] = rng.normal(size=(kernels, classes)) / np.sqrt(kernels)
    params.update(b=np.zeros(kernels), b_fc=np.zeros(classes))
    params = {key: value.astype(images.dtype) for key, value in params.items()}
    for _ in range(steps):
        grads = detector_loss(params, images, labels)[1]
        params = {key: value - lr * grads[key] for key, value in params.items()}
    return params


def predict(params, images):
    images, w, b, w_fc, b_fc = _arguments(params, images)
    scores = linear_forward(global_max_pool_forward(relu_forward(conv2d_forward(images, w, b))), w_fc, b_fc)
    return (scores == scores.max(axis=1, keepdims=True)).argmax(axis=1).astype(np.int64)
