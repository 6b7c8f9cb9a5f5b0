"""The running best starts at 0 (best = 0), so when every response is negative detect returns (0.0, (0, 0))."""
FUNCTION = "detect"
FAMILY = "initial maximum"

import numpy as np


def detect(image, kernel):
    image, kernel = as_float_array(image, "image", ndim=2), as_float_array(kernel, "kernel", ndim=2)
    if min(kernel.shape) < 1 or any(k > n for k, n in zip(kernel.shape, image.shape)):
        raise ValueError(f"kernel {kernel.shape} does not fit the input (H, W)={image.shape}")
    H, W = image.shape
    R, S = kernel.shape
    best, where = 0.0, (0, 0)
    for i in range(H - R + 1):
        for j in range(W - S + 1):
            score = float(np.sum(image[i:i + R, j:j + S] * kernel))
            if score > best:
                best, where = score, (i, j)
    return best, where
