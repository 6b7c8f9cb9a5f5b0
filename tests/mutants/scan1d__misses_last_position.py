"""The loop runs over range((L - F) // stride), one position short: the + 1 is missing."""
FUNCTION = "scan1d"
FAMILY = "output size"

import numpy as np


def scan1d(x, w, stride=1):
    L, F = len(x), len(w)
    L_out = (L - F) // stride
    y = np.zeros(L_out, dtype=np.result_type(x, w))
    for i in range(L_out):
        y[i] = np.dot(w, x[i * stride:i * stride + F])
    return y
