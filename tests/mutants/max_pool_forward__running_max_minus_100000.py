"""The running maximum of each window starts at -100000, so windows of values below it pool to -100000."""
FUNCTION = "max_pool_forward"
FAMILY = "initial maximum"

import numpy as np


def max_pool_forward(x, kernel_size, stride=None):
    x, (kh, kw), (sh, sw), (H_out, W_out) = _check_pool_args(x, kernel_size, stride)
    N, C = x.shape[:2]
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            best = np.full((N, C), -100000.0, dtype=x.dtype)
            for a in range(kh):
                for b in range(kw):
                    best = np.maximum(best, x[:, :, i * sh + a, j * sw + b])
            out[:, :, i, j] = best
    return out
