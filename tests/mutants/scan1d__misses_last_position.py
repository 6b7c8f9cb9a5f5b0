"""The loop runs over range((L - F) // stride), one position short: the + 1 is missing."""
FUNCTION = "scan1d"
FAMILY = "output size"

import numpy as np


def scan1d(x, w, stride=1):
    x, w = as_float_array(x, "x", ndim=1), as_float_array(w, "w", ndim=1)
    stride = as_int(stride, "stride", minimum=1)
    if not 1 <= len(w) <= len(x):
        raise ValueError(f"kernel of size {len(w)} does not fit the input of size {len(x)}")
    L, F = len(x), len(w)
    L_out = (L - F) // stride
    y = np.zeros(L_out, dtype=np.result_type(x, w))
    for i in range(L_out):
        y[i] = np.dot(w, x[i * stride:i * stride + F])
    return y
