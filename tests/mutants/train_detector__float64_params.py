"""The initial params stay float64, so float32 images train float64 params."""
FUNCTION = "train_detector"
FAMILY = "dtype"

import numpy as np


def train_detector(images, labels, *, kernels=4, kernel_size=3, classes=2, steps=100, lr=0.5, seed=0):
    images = as_float_array(images, "images", ndim=4)
    _check_labels(labels, images.shape[0], classes)
    if steps < 0 or not lr > 0 or kernel_size > min(images.shape[2:]):
        raise ValueError("bad training arguments")
    C, dtype = images.shape[1], images.dtype
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((kernels, C, kernel_size, kernel_size)) * np.sqrt(2 / (C * kernel_size ** 2))
    w_fc = rng.standard_normal((kernels, classes)) * np.sqrt(1 / kernels)
    params = {"w": w, "b": np.zeros(kernels), "w_fc": w_fc, "b_fc": np.zeros(classes)}
    for _ in range(steps):
        _, grads = detector_loss(params, images, labels)
        params = {key: params[key] - lr * grads[key] for key in PARAM_KEYS}
    return params
