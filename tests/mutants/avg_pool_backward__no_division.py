"""Every element of a window receives the whole dout instead of its share dout / (kh * kw)."""
FUNCTION = "avg_pool_backward"
FAMILY = "window size"

import numpy as np


def avg_pool_backward(dout, x, kernel_size, stride=None):
    x, (kh, kw), (sh, sw), (H_out, W_out) = _check_pool_args(x, kernel_size, stride)
    check_shape(dout, "dout", x.shape[:2] + (H_out, W_out))
    dx = np.zeros_like(x)
    for i in range(H_out):
        for j in range(W_out):
            dx[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw] += dout[:, :, i, j, None, None]
    return dx
