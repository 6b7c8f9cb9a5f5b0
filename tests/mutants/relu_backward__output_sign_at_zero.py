"""The mask is taken from the output as out >= 0, which holds everywhere, so dout passes unmasked."""
FUNCTION = "relu_backward"
FAMILY = "mask"

import numpy as np


def relu_backward(dout, x):
    x = as_float_array(x, "x")
    dout = as_float_array(dout, "dout")
    check_shape(dout, "dout", x.shape)
    out = np.maximum(x, 0)
    return dout * (out >= 0)
