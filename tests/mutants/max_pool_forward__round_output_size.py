"""The output size uses round((H - kh) / sh) + 1 instead of rounding down, and pools the partial windows."""
FUNCTION = "max_pool_forward"
FAMILY = "output size"

import numpy as np


def max_pool_forward(x, kernel_size, stride=None):
    x, (kh, kw), (sh, sw), _ = _check_pool_args(x, kernel_size, stride)
    N, C, H, W = x.shape
    H_out, W_out = round((H - kh) / sh) + 1, round((W - kw) / sw) + 1
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = x[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw].max(axis=(2, 3))
    return out
