"""The arguments are never checked: a negative lr or steps is accepted."""
FUNCTION = "train_detector"
FAMILY = "validation"

import numpy as np


def train_detector(images, labels, *, kernels=4, kernel_size=3, classes=2, steps=100, lr=0.5, seed=0):
    images = np.asarray(images)
    C, dtype = images.shape[1], images.dtype
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((kernels, C, kernel_size, kernel_size)) * np.sqrt(2 / (C * kernel_size ** 2))
    w_fc = rng.standard_normal((kernels, classes)) * np.sqrt(1 / kernels)
    params = {"w": w.astype(dtype), "b": np.zeros(kernels, dtype), "w_fc": w_fc.astype(dtype),
              "b_fc": np.zeros(classes, dtype)}
    for _ in range(steps):
        _, grads = detector_loss(params, images, labels)
        params = {key: params[key] - lr * grads[key] for key in PARAM_KEYS}
    return params
