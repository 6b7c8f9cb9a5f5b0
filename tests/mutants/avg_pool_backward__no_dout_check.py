"""No validation: a dout whose shape is not the output's is silently used, and strides are not checked."""
FUNCTION = "avg_pool_backward"
FAMILY = "validation"

import numpy as np


def avg_pool_backward(dout, x, kernel_size, stride=None):
    kh, kw = kernel_size if isinstance(kernel_size, tuple) else (kernel_size, kernel_size)
    sh, sw = (kh, kw) if stride is None else stride if isinstance(stride, tuple) else (stride, stride)
    N, C, H, W = x.shape
    H_out, W_out = max(0, (H - kh) // sh + 1), max(0, (W - kw) // sw + 1)
    dx = np.zeros_like(x)
    for i in range(H_out):
        for j in range(W_out):
            dx[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw] += dout[:, :, i, j, None, None] / (kh * kw)
    return dx
