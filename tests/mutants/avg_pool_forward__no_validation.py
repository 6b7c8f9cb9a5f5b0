"""No validation: windows larger than x give an empty output and stride 0 raises ZeroDivisionError."""
FUNCTION = "avg_pool_forward"
FAMILY = "validation"

import numpy as np


def avg_pool_forward(x, kernel_size, stride=None):
    kh, kw = kernel_size if isinstance(kernel_size, tuple) else (kernel_size, kernel_size)
    sh, sw = (kh, kw) if stride is None else stride if isinstance(stride, tuple) else (stride, stride)
    N, C, H, W = x.shape
    H_out, W_out = max(0, (H - kh) // sh + 1), max(0, (W - kw) // sw + 1)
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = x[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw].mean(axis=(2, 3))
    return out
