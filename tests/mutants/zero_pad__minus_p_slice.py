"""x is copied into x_pad[:, :, p:-p, p:-p], an empty slice when p is 0."""
FUNCTION = "zero_pad"
FAMILY = "crop"

import numpy as np


def zero_pad(x, padding):
    if isinstance(padding, tuple) and isinstance(padding[0], tuple):
        (top, bottom), (left, right) = padding
    else:
        ph, pw = padding if isinstance(padding, tuple) else (padding, padding)
        top = bottom = ph
        left = right = pw
    N, C, H, W = x.shape
    x_pad = np.zeros((N, C, top + H + bottom, left + W + right), dtype=x.dtype)
    x_pad[:, :, top:-bottom, left:-right] = x
    return x_pad
