"""dx[...] = dout (assignment) instead of +=, so overlapping windows that share a maximum overwrite each other."""
FUNCTION = "max_pool_backward"
FAMILY = "accumulation"

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
                    window = x[n, c, i * sh:i * sh + kh, j * sw:j * sw + kw]
                    a, b = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * sh + a, j * sw + b] = dout[n, c, i, j]
    return dx
