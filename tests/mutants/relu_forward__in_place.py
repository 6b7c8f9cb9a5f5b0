"""Negative values are zeroed in place (x[x < 0] = 0), which changes the caller's x."""
FUNCTION = "relu_forward"
FAMILY = "purity"

import numpy as np


def relu_forward(x):
    x = as_float_array(x, "x")
    x[x < 0] = 0
    return x
