"""Each window's share goes to rows i * kh.., columns j * kw.. (the kernel size) instead of i * sh.., j * sw.. (the stride)."""
FUNCTION = "avg_pool_backward"
FAMILY = "window start"

import numpy as np


def avg_pool_backward(dout, x, kernel_size, stride=None):
    x, (kh, kw), (sh, sw), (H_out, W_out) = _check_pool_args(x, kernel_size, stride)
    check_shape(dout, "dout", x.shape[:2] + (H_out, W_out))
    dx = np.zeros_like(x)
    for i in range(H_out):
        for j in range(W_out):
            dx[:, :, i * kh:i * kh + kh, j * kw:j * kw + kw] += dout[:, :, i, j, None, None] / (kh * kw)
    return dx
