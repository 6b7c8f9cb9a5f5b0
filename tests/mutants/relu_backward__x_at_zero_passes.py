"""The mask is x >= 0, so the gradient passes at the kink x == 0."""
FUNCTION = "relu_backward"
FAMILY = "kink"

import numpy as np


def relu_backward(dout, x):
    x = as_float_array(x, "x")
    dout = as_float_array(dout, "dout")
    check_shape(dout, "dout", x.shape)
    return np.where(x >= 0, dout, 0).astype(np.result_type(dout, x))
