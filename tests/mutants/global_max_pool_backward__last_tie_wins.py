"""On ties the last maximum in row-major order gets the gradient."""
FUNCTION = "global_max_pool_backward"
FAMILY = "ties"

import numpy as np


def global_max_pool_backward(dout, x):
    x = _check_maps(x)
    N, C, H, W = x.shape
    dout = as_float_array(dout, "dout", ndim=2)
    check_shape(dout, "dout", (N, C))
    last = H * W - 1 - np.argmax(x.reshape(N, C, H * W)[:, :, ::-1], axis=2)
    dx = np.zeros((N, C, H * W), dtype=np.result_type(dout, x))
    np.put_along_axis(dx, last[..., None], dout[..., None], axis=2)
    return dx.reshape(x.shape)
