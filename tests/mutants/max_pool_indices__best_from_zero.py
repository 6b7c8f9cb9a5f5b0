"""The running best of each window starts at 0, so in an all-negative window the index stays at its first element."""
FUNCTION = "max_pool_indices"
FAMILY = "initial maximum"

import numpy as np


def max_pool_indices(x, kernel_size, stride=None):
    x, (kh, kw), (sh, sw), (H_out, W_out) = _check_pool_args(x, kernel_size, stride)
    N, C, H, W = x.shape
    idx = np.zeros((N, C, H_out, W_out), dtype=np.int64)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    best, where = 0.0, i * sh * W + j * sw
                    for a in range(kh):
                        for b in range(kw):
                            r, s = i * sh + a, j * sw + b
                            if x[n, c, r, s] > best:
                                best, where = x[n, c, r, s], r * W + s
                    idx[n, c, i, j] = where
    return idx
