"""Window (i, j) is taken at row i * kh, column j * kw (the kernel size) instead of i * sh, j * sw (the stride)."""
FUNCTION = "max_pool_backward"
FAMILY = "window start"

import numpy as np


def max_pool_backward(dout, x, kernel_size, stride=None):
    x, (kh, kw), (sh, sw), (H_out, W_out) = _check_pool_args(x, kernel_size, stride)
    check_shape(dout, "dout", x.shape[:2] + (H_out, W_out))
    N, C, H, W = x.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * kh:i * kh + kh, j * kw:j * kw + kw]
                    if window.size == 0:
                        continue
                    a, b = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * kh + a, j * kw + b] += dout[n, c, i, j]
    return dx
