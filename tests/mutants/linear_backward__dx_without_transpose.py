"""dx is computed as dout @ w, without transposing w."""
FUNCTION = "linear_backward"
FAMILY = "shape"

import numpy as np


def linear_backward(dout, x, w):
    x, w = _check_linear_args(x, w)
    dout = as_float_array(dout, "dout", ndim=2)
    check_shape(dout, "dout", (x.shape[0], w.shape[1]))
    return dout @ w, x.T @ dout, dout.sum(axis=0)
