"""dx is allocated as float64 (np.zeros(x.shape)), whatever the dtype of the inputs."""
FUNCTION = "global_max_pool_backward"
FAMILY = "dtype"

import numpy as np


def global_max_pool_backward(dout, x):
    x = _check_maps(x)
    N, C, H, W = x.shape
    dout = as_float_array(dout, "dout", ndim=2)
    check_shape(dout, "dout", (N, C))
    first = np.argmax(x.reshape(N, C, H * W), axis=2)
    dx = np.zeros((N, C, H * W))
    np.put_along_axis(dx, first[..., None], dout[..., None], axis=2)
    return dx.reshape(x.shape)
