"""The detector's layers with one Python loop per index, and the detector built from them."""
import math

import numpy as np

from .conv import conv2d_backward, conv2d_forward
from .padding import check_fits, check_shape, float_array

KEYS = ("w", "b", "w_fc", "b_fc")


def relu_forward(x):
    x = float_array(x, "x")
    out = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        if x[i] > 0:
            out[i] = x[i]
    return out


def relu_backward(dout, x):
    x, dout = float_array(x, "x"), float_array(dout, "dout")
    check_shape(dout, "dout", x.shape)
    dx = np.zeros(x.shape, dtype=np.result_type(dout, x))
    for i in np.ndindex(x.shape):
        if x[i] > 0:
            dx[i] = dout[i]
    return dx


def _linear_arguments(x, w):
    x, w = float_array(x, "x", ndim=2), float_array(w, "w", ndim=2)
    if x.shape[1] != w.shape[0]:
        raise ValueError(f"x and w disagree on D: x.shape={x.shape}, w.shape={w.shape}")
    return x, w


def linear_forward(x, w, b):
    x, w = _linear_arguments(x, w)
    b = float_array(b, "b", ndim=1)
    check_shape(b, "b", w.shape[1:])
    (N, D), M = x.shape, w.shape[1]
    out = np.zeros((N, M), dtype=np.result_type(x, w, b))
    for n in range(N):
        for m in range(M):
            total = b[m]
            for d in range(D):
                total += x[n, d] * w[d, m]
            out[n, m] = total
    return out


def linear_backward(dout, x, w):
    x, w = _linear_arguments(x, w)
    dout = float_array(dout, "dout", ndim=2)
    (N, D), M = x.shape, w.shape[1]
    check_shape(dout, "dout", (N, M))
    dx = np.zeros(x.shape, dtype=np.result_type(dout, w))
    dw = np.zeros(w.shape, dtype=np.result_type(dout, x))
    db = np.zeros(M, dtype=dout.dtype)
    for n in range(N):
        for m in range(M):
            db[m] += dout[n, m]
            for d in range(D):
                dx[n, d] += dout[n, m] * w[d, m]
                dw[d, m] += x[n, d] * dout[n, m]
    return dx, dw, db


def _maps(x):
    x = float_array(x, "x", ndim=4)
    if x.shape[2] == 0 or x.shape[3] == 0:
        raise ValueError(f"'x' must have at least one pixel per map (got shape {x.shape})")
    return x


def _first_maximum(plane):
    """(row, col) of the first maximum in row-major order: replace only on a strictly larger value."""
    best, where = plane[0, 0], (0, 0)
    for i in range(plane.shape[0]):
        for j in range(plane.shape[1]):
            if plane[i, j] > best:
                best, where = plane[i, j], (i, j)
    return where


def global_max_pool_forward(x):
    x = _maps(x)
    N, C = x.shape[:2]
    out = np.zeros((N, C), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            out[n, c] = x[(n, c) + _first_maximum(x[n, c])]
    return out


def global_max_pool_backward(dout, x):
    x = _maps(x)
    N, C = x.shape[:2]
    dout = float_array(dout, "dout", ndim=2)
    check_shape(dout, "dout", (N, C))
    dx = np.zeros(x.shape, dtype=np.result_type(dout, x))
    for n in range(N):
        for c in range(C):
            dx[(n, c) + _first_maximum(x[n, c])] = dout[n, c]
    return dx


def _labels(labels, n, classes):
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu" or labels.shape != (n,):
        raise ValueError(f"'labels' must be {n} integers (got {labels.dtype} of shape {labels.shape})")
    for label in labels:
        if not 0 <= label < classes:
            raise ValueError(f"'labels' must lie in [0, {classes}) (got {label})")
    return labels


def softmax_cross_entropy(logits, labels):
    logits = float_array(logits, "logits", ndim=2)
    N, M = logits.shape
    if N == 0 or M == 0:
        raise ValueError(f"'logits' must not be empty (got shape {logits.shape})")
    labels = _labels(labels, N, M)
    dlogits = np.zeros(logits.shape, dtype=logits.dtype)
    loss = 0.0
    for n in range(N):
        top = max(logits[n])
        total = sum(math.exp(z - top) for z in logits[n])
        for m in range(M):
            dlogits[n, m] = (math.exp(logits[n, m] - top) / total - (m == labels[n])) / N
        loss -= (logits[n, labels[n]] - top - math.log(total)) / N
    return float(loss), dlogits


def _detector_arguments(params, images):
    if not isinstance(params, dict) or sorted(params) != sorted(KEYS):
        raise ValueError(f"'params' must be a dict with the keys {KEYS}")
    images = float_array(images, "images", ndim=4)
    w, b = float_array(params["w"], "w", ndim=4), float_array(params["b"], "b", ndim=1)
    w_fc, b_fc = float_array(params["w_fc"], "w_fc", ndim=2), float_array(params["b_fc"], "b_fc", ndim=1)
    K = w.shape[0]
    if w.shape[1] != images.shape[1] or b.shape != (K,) or w_fc.shape[0] != K or b_fc.shape != w_fc.shape[1:]:
        raise ValueError("the params do not fit together or with the images")
    check_fits(w.shape[2:], images.shape[2:])
    return images, w, b, w_fc, b_fc


def detector_loss(params, images, labels):
    images, w, b, w_fc, b_fc = _detector_arguments(params, images)
    labels = _labels(labels, images.shape[0], w_fc.shape[1])
    conv = conv2d_forward(images, w, b)
    act = relu_forward(conv)
    pooled = global_max_pool_forward(act)
    logits = linear_forward(pooled, w_fc, b_fc)
    loss, dlogits = softmax_cross_entropy(logits, labels)
    dpooled, dw_fc, db_fc = linear_backward(dlogits, pooled, w_fc)
    dconv = relu_backward(global_max_pool_backward(dpooled, act), conv)
    _, dw, db = conv2d_backward(dconv, images, w)
    return loss, {"w": dw, "b": db, "w_fc": dw_fc, "b_fc": db_fc}


def train_detector(images, labels, *, kernels=4, kernel_size=3, classes=2, steps=100, lr=0.5, seed=0):
    images = float_array(images, "images", ndim=4)
    if steps < 0 or not lr > 0 or kernels < 1 or classes < 2:
        raise ValueError(f"bad training arguments: steps={steps}, lr={lr}, kernels={kernels}, classes={classes}")
    check_fits((kernel_size, kernel_size), images.shape[2:])
    _labels(labels, images.shape[0], classes)
    C = images.shape[1]
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((kernels, C, kernel_size, kernel_size)) * math.sqrt(2 / (C * kernel_size * kernel_size))
    w_fc = rng.standard_normal((kernels, classes)) * math.sqrt(1 / kernels)
    params = {"w": w, "b": np.zeros(kernels), "w_fc": w_fc, "b_fc": np.zeros(classes)}
    params = {key: value.astype(images.dtype) for key, value in params.items()}
    for _ in range(steps):
        grads = detector_loss(params, images, labels)[1]
        for key in KEYS:
            params[key] = params[key] - lr * grads[key]
    return params


def predict(params, images):
    images, w, b, w_fc, b_fc = _detector_arguments(params, images)
    logits = linear_forward(global_max_pool_forward(relu_forward(conv2d_forward(images, w, b))), w_fc, b_fc)
    labels = np.zeros(len(logits), dtype=np.int64)
    for n, row in enumerate(logits):
        labels[n] = _first_maximum(row[None])[1]
    return labels
