"""No validation: a kernel longer than x gives an empty y and stride 0 raises ZeroDivisionError."""
FUNCTION = "scan1d"
FAMILY = "validation"

import numpy as np


def scan1d(x, w, stride=1):
    L, F = len(x), len(w)
    L_out = max(0, (L - F) // stride + 1)
    y = np.zeros(L_out, dtype=np.result_type(x, w))
    for i in range(L_out):
        y[i] = np.dot(w, x[i * stride:i * stride + F])
    return y
