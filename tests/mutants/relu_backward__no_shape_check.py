"""dout is never checked against x, so a dout that broadcasts is accepted."""
FUNCTION = "relu_backward"
FAMILY = "validation"

import numpy as np


def relu_backward(dout, x):
    x = as_float_array(x, "x")
    dout = as_float_array(dout, "dout")
    return np.where(x > 0, dout, 0).astype(np.result_type(dout, x))
