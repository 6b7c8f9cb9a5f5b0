"""The backward ignores the stride and sends dy[i] to x[i + j] instead of x[i * stride + j]."""
FUNCTION = "scan1d_backward"
FAMILY = "stride"

import numpy as np


def scan1d_backward(dy, x, w, stride=1):
    L, F = len(x), len(w)
    dx = np.zeros(L, dtype=np.result_type(dy, w))
    dw = np.zeros(F, dtype=np.result_type(dy, x))
    for i in range(len(dy)):
        for j in range(F):
            dx[i + j] += dy[i] * w[j]
            dw[j] += dy[i] * x[i + j]
    return dx, dw
