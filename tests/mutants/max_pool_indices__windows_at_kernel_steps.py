"""Window (i, j) is searched at row i * kh, column j * kw (the kernel size) instead of i * sh, j * sw (the stride)."""
FUNCTION = "max_pool_indices"
FAMILY = "window start"

import numpy as np


def max_pool_indices(x, kernel_size, stride=None):
    x, (kh, kw), (sh, sw), (H_out, W_out) = _check_pool_args(x, kernel_size, stride)
    N, C, H, W = x.shape
    idx = np.zeros((N, C, H_out, W_out), dtype=np.int64)
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * kh:i * kh + kh, j * kw:j * kw + kw]
            if window.size == 0:
                continue
            a, b = np.divmod(window.reshape(N, C, -1).argmax(axis=2), window.shape[3])
            idx[:, :, i, j] = (i * kh + a) * W + j * kw + b
    return idx
