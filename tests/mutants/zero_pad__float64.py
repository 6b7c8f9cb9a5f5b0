"""x_pad is allocated with np.zeros(shape) (float64), so float32 x gives a float64 x_pad."""
FUNCTION = "zero_pad"
FAMILY = "dtype"

import numpy as np


def zero_pad(x, padding):
    if isinstance(padding, tuple) and isinstance(padding[0], tuple):
        (top, bottom), (left, right) = padding
    else:
        ph, pw = padding if isinstance(padding, tuple) else (padding, padding)
        top = bottom = ph
        left = right = pw
    N, C, H, W = x.shape
    x_pad = np.zeros((N, C, top + H + bottom, left + W + right))
    x_pad[:, :, top:top + H, left:left + W] = x
    return x_pad
