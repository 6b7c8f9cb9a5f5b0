"""A pair (ph, pw) is read as (pw, ph): ph columns left and right and pw rows above and below."""
FUNCTION = "zero_pad"
FAMILY = "shape"

import numpy as np


def zero_pad(x, padding):
    if isinstance(padding, tuple) and isinstance(padding[0], tuple):
        (top, bottom), (left, right) = padding
    else:
        pw, ph = padding if isinstance(padding, tuple) else (padding, padding)
        top = bottom = ph
        left = right = pw
    return np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
