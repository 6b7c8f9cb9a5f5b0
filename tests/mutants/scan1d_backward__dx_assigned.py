"""dx[i * stride + j] is assigned (=) instead of accumulated (+=), so positions read by several windows lose gradient."""
FUNCTION = "scan1d_backward"
FAMILY = "accumulation"

import numpy as np


def scan1d_backward(dy, x, w, stride=1):
    L, F = len(x), len(w)
    dx = np.zeros(L, dtype=np.result_type(dy, w))
    dw = np.zeros(F, dtype=np.result_type(dy, x))
    for i in range(len(dy)):
        for j in range(F):
            dx[i * stride + j] = dy[i] * w[j]
            dw[j] += dy[i] * x[i * stride + j]
    return dx, dw
