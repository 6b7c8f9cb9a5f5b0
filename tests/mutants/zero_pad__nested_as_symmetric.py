"""((top, bottom), (left, right)) is read as symmetric padding: top on both sides and left on both sides."""
FUNCTION = "zero_pad"
FAMILY = "shape"

import numpy as np


def zero_pad(x, padding):
    if isinstance(padding, tuple) and isinstance(padding[0], tuple):
        ph, pw = padding[0][0], padding[1][0]
    else:
        ph, pw = padding if isinstance(padding, tuple) else (padding, padding)
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
