"""db averages dout over the batch (dout.mean) instead of summing it."""
FUNCTION = "linear_backward"
FAMILY = "sum"

import numpy as np


def linear_backward(dout, x, w):
    x, w = _check_linear_args(x, w)
    dout = as_float_array(dout, "dout", ndim=2)
    check_shape(dout, "dout", (x.shape[0], w.shape[1]))
    return dout @ w.T, x.T @ dout, dout.mean(axis=0)
