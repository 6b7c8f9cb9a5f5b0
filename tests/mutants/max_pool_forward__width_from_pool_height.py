"""The output width is computed from the pool height: W_out = (W - kh) // sw + 1."""
FUNCTION = "max_pool_forward"
FAMILY = "output size"

import numpy as np


def max_pool_forward(x, kernel_size, stride=None):
    x, (kh, kw), (sh, sw), _ = _check_pool_args(x, kernel_size, stride)
    N, C, H, W = x.shape
    H_out = (H - kh) // sh + 1
    W_out = (W - kh) // sw + 1
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out
