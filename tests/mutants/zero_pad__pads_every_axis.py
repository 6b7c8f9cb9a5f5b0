"""np.pad(x, p) pads all four axes, batch and channels included."""
FUNCTION = "zero_pad"
FAMILY = "shape"

import numpy as np


def zero_pad(x, padding):
    if isinstance(padding, tuple) and isinstance(padding[0], tuple):
        (top, bottom), (left, right) = padding
        return np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    if isinstance(padding, tuple):
        return np.pad(x, ((0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2))
    return np.pad(x, padding)
