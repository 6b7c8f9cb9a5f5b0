"""The output is allocated with np.zeros(shape), so float32 input gives a float64 output."""
FUNCTION = "avg_pool_forward"
FAMILY = "dtype"

import numpy as np


def avg_pool_forward(x, kernel_size, stride=None):
    x, (kh, kw), (sh, sw), (H_out, W_out) = _check_pool_args(x, kernel_size, stride)
    N, C = x.shape[:2]
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = x[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw].mean(axis=(2, 3))
    return out
