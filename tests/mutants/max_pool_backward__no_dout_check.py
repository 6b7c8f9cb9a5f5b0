"""No validation: the stride and window size are not checked and a dout of the wrong shape is silently cropped."""
FUNCTION = "max_pool_backward"
FAMILY = "validation"

import numpy as np


def max_pool_backward(dout, x, kernel_size, stride=None):
    kh, kw = kernel_size if isinstance(kernel_size, tuple) else (kernel_size, kernel_size)
    sh, sw = (kh, kw) if stride is None else stride if isinstance(stride, tuple) else (stride, stride)
    N, C, H, W = x.shape
    H_out, W_out = max(0, (H - kh) // sh + 1), max(0, (W - kw) // sw + 1)
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * sh:i * sh + kh, j * sw:j * sw + kw]
                    a, b = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * sh + a, j * sw + b] += dout[n, c, i, j]
    return dx
