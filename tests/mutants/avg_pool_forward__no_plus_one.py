"""The output size forgets the + 1: (H - kh) // sh windows, so the last row and column of windows are lost."""
FUNCTION = "avg_pool_forward"
FAMILY = "output size"

import numpy as np


def avg_pool_forward(x, kernel_size, stride=None):
    x, (kh, kw), (sh, sw), _ = _check_pool_args(x, kernel_size, stride)
    N, C, H, W = x.shape
    H_out, W_out = (H - kh) // sh, (W - kw) // sw
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = x[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw].mean(axis=(2, 3))
    return out
