"""dout is never checked, so a dout with an extra leading axis is accepted."""
FUNCTION = "linear_backward"
FAMILY = "validation"

import numpy as np


def linear_backward(dout, x, w):
    x, w = _check_linear_args(x, w)
    dout = as_float_array(dout, "dout")
    return dout @ w.T, x.T @ dout, dout.sum(axis=0)
