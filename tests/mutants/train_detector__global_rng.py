"""The initial params come from np.random.seed(seed) and np.random.randn, not default_rng(seed)."""
FUNCTION = "train_detector"
FAMILY = "init"

import numpy as np


def train_detector(images, labels, *, kernels=4, kernel_size=3, classes=2, steps=100, lr=0.5, seed=0):
    images = as_float_array(images, "images", ndim=4)
    _check_labels(labels, images.shape[0], classes)
    if steps < 0 or not lr > 0 or kernel_size > min(images.shape[2:]):
        raise ValueError("bad training arguments")
    C, dtype = images.shape[1], images.dtype
    np.random.seed(seed)
    w = np.random.randn(kernels, C, kernel_size, kernel_size) * np.sqrt(2 / (C * kernel_size ** 2))
    w_fc = np.random.randn(kernels, classes) * np.sqrt(1 / kernels)
    params = {"w": w.astype(dtype), "b": np.zeros(kernels, dtype), "w_fc": w_fc.astype(dtype),
              "b_fc": np.zeros(classes, dtype)}
    for _ in range(steps):
        _, grads = detector_loss(params, images, labels)
        params = {key: params[key] - lr * grads[key] for key in PARAM_KEYS}
    return params
