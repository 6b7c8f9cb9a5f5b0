"""b is never checked, so a single bias broadcast over M outputs is accepted."""
FUNCTION = "linear_forward"
FAMILY = "validation"

import numpy as np


def linear_forward(x, w, b):
    x, w = _check_linear_args(x, w)
    return x @ w + as_float_array(b, "b")
