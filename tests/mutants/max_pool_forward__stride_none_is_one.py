"""stride=None is taken as stride 1 instead of stride = kernel_size."""
FUNCTION = "max_pool_forward"
FAMILY = "stride"

import numpy as np


def max_pool_forward(x, kernel_size, stride=None):
    kh, kw = as_pair(kernel_size, "kernel_size")
    sh, sw = (1, 1) if stride is None else as_pair(stride, "stride")
    x, _, _, _ = _check_pool_args(x, kernel_size, (sh, sw))
    N, C, H, W = x.shape
    H_out, W_out = (H - kh) // sh + 1, (W - kw) // sw + 1
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = x[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw].max(axis=(2, 3))
    return out
