"""np.pad(..., mode="edge") repeats the border values of x instead of padding with zeros."""
FUNCTION = "zero_pad"
FAMILY = "zeros"

import numpy as np


def zero_pad(x, padding):
    if isinstance(padding, tuple) and isinstance(padding[0], tuple):
        (top, bottom), (left, right) = padding
    else:
        ph, pw = padding if isinstance(padding, tuple) else (padding, padding)
        top = bottom = ph
        left = right = pw
    return np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)), mode="edge")
