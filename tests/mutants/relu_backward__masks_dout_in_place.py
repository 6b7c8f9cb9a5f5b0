"""dout is masked in place (dout[x <= 0] = 0), which changes the caller's dout."""
FUNCTION = "relu_backward"
FAMILY = "purity"

import numpy as np


def relu_backward(dout, x):
    x = as_float_array(x, "x")
    dout = as_float_array(dout, "dout")
    check_shape(dout, "dout", x.shape)
    dout[x <= 0] = 0
    return dout
