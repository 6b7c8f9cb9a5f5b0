"""Window (i, j) starts at row i * kh, column j * kw (the kernel size) instead of i * sh, j * sw (the stride)."""
FUNCTION = "max_pool_forward"
FAMILY = "window start"

import numpy as np


def max_pool_forward(x, kernel_size, stride=None):
    x, (kh, kw), (sh, sw), (H_out, W_out) = _check_pool_args(x, kernel_size, stride)
    N, C = x.shape[:2]
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = x[:, :, i * kh:i * kh + kh, j * kw:j * kw + kw].max(axis=(2, 3))
    return out
