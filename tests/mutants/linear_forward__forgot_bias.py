"""The bias is never added: out = x @ w."""
FUNCTION = "linear_forward"
FAMILY = "bias"

import numpy as np


def linear_forward(x, w, b):
    x, w = _check_linear_args(x, w)
    b = as_float_array(b, "b", ndim=1)
    check_shape(b, "b", (w.shape[1],))
    return x @ w
