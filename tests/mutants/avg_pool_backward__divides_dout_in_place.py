"""dout is divided in place (dout /= kh * kw), which changes the caller's upstream gradient."""
FUNCTION = "avg_pool_backward"
FAMILY = "purity"

import numpy as np


def avg_pool_backward(dout, x, kernel_size, stride=None):
    x, (kh, kw), (sh, sw), (H_out, W_out) = _check_pool_args(x, kernel_size, stride)
    check_shape(dout, "dout", (x.shape[0], x.shape[1], H_out, W_out))
    dout /= kh * kw
    dx = np.zeros(x.shape, dtype=np.result_type(dout, x))
    for i in range(H_out):
        for j in range(W_out):
            dx[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw] += dout[:, :, i, j, None, None]
    return dx
