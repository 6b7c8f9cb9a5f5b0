"""The gradients are computed in float64, whatever the dtype of the inputs."""
FUNCTION = "linear_backward"
FAMILY = "dtype"

import numpy as np


def linear_backward(dout, x, w):
    x, w = _check_linear_args(x, w)
    dout = as_float_array(dout, "dout", ndim=2).astype(np.float64)
    check_shape(dout, "dout", (x.shape[0], w.shape[1]))
    return dout @ w.T, x.T @ dout, dout.sum(axis=0)
