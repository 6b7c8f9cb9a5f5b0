"""dout is passed through unmasked, as if relu were the identity."""
FUNCTION = "relu_backward"
FAMILY = "mask"

import numpy as np


def relu_backward(dout, x):
    x = as_float_array(x, "x")
    dout = as_float_array(dout, "dout")
    check_shape(dout, "dout", x.shape)
    return dout.copy()
