"""Right on tiny inputs only: when x.size > 200 a reshape "fast path" pools blocks of the kernel size, ignoring the stride."""
FUNCTION = "max_pool_forward"
FAMILY = "values"

import numpy as np


def max_pool_forward(x, kernel_size, stride=None):
    x, (kh, kw), (sh, sw), (H_out, W_out) = _check_pool_args(x, kernel_size, stride)
    N, C = x.shape[:2]
    if x.size > 200:  # fast path: crop to whole blocks, one reshape, one max
        blocks = x[:, :, :H_out * kh, :W_out * kw] if H_out * kh <= x.shape[2] and W_out * kw <= x.shape[3] else \
            np.pad(x, ((0, 0), (0, 0), (0, max(0, H_out * kh - x.shape[2])), (0, max(0, W_out * kw - x.shape[3]))))
        blocks = blocks[:, :, :H_out * kh, :W_out * kw]
        return blocks.reshape(N, C, H_out, kh, W_out, kw).max(axis=(3, 5))
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = x[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw].max(axis=(2, 3))
    return out
