"""The mask window == window.max() sends the full gradient to every tied maximum, not only the first."""
FUNCTION = "max_pool_backward"
FAMILY = "ties"

import numpy as np


def max_pool_backward(dout, x, kernel_size, stride=None):
    x, (kh, kw), (sh, sw), (H_out, W_out) = _check_pool_args(x, kernel_size, stride)
    check_shape(dout, "dout", x.shape[:2] + (H_out, W_out))
    dx = np.zeros_like(x)
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw]
            mask = window == window.max(axis=(2, 3), keepdims=True)
            dx[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw] += mask * dout[:, :, i, j, None, None]
    return dx
