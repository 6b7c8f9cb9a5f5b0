"""y is allocated with np.zeros(L_out) (float64), so float32 inputs give a float64 y."""
FUNCTION = "scan1d"
FAMILY = "dtype"

import numpy as np


def scan1d(x, w, stride=1):
    L, F = len(x), len(w)
    if stride < 1 or F < 1 or F > L:
        raise ValueError("the kernel does not fit")
    L_out = (L - F) // stride + 1
    y = np.zeros(L_out)
    for i in range(L_out):
        y[i] = np.dot(w, x[i * stride:i * stride + F])
    return y
