"""The flat index uses H as the row stride (row * H + col), wrong whenever H != W."""
FUNCTION = "max_pool_indices"
FAMILY = "flat index"

import numpy as np


def max_pool_indices(x, kernel_size, stride=None):
    x, (kh, kw), (sh, sw), (H_out, W_out) = _check_pool_args(x, kernel_size, stride)
    N, C, H, W = x.shape
    idx = np.zeros((N, C, H_out, W_out), dtype=np.int64)
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw].reshape(N, C, -1)
            a = np.argmax(window, axis=-1)
            idx[:, :, i, j] = (i * sh + a // kw) * H + (j * sw + a % kw)
    return idx
