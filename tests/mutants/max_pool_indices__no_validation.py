"""No validation: windows larger than x give an empty result and stride 0 raises ZeroDivisionError."""
FUNCTION = "max_pool_indices"
FAMILY = "validation"

import numpy as np


def max_pool_indices(x, kernel_size, stride=None):
    kh, kw = kernel_size if isinstance(kernel_size, tuple) else (kernel_size, kernel_size)
    sh, sw = (kh, kw) if stride is None else stride if isinstance(stride, tuple) else (stride, stride)
    N, C, H, W = x.shape
    H_out, W_out = max(0, (H - kh) // sh + 1), max(0, (W - kw) // sw + 1)
    idx = np.zeros((N, C, H_out, W_out), dtype=np.int64)
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw].reshape(N, C, -1)
            a = np.argmax(window, axis=-1)
            idx[:, :, i, j] = (i * sh + a // kw) * W + (j * sw + a % kw)
    return idx
