"""The stride is ignored: the kernel visits every position."""
FUNCTION = "scan1d"
FAMILY = "output size"

import numpy as np


def scan1d(x, w, stride=1):
    L, F = len(x), len(w)
    return np.array([np.dot(w, x[i:i + F]) for i in range(L - F + 1)], dtype=np.result_type(x, w))
