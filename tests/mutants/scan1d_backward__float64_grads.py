"""dx and dw are allocated with np.zeros(n) (float64), so float32 inputs give float64 gradients."""
FUNCTION = "scan1d_backward"
FAMILY = "dtype"

import numpy as np


def scan1d_backward(dy, x, w, stride=1):
    L, F = len(x), len(w)
    if stride < 1 or F < 1 or F > L or len(dy) != (L - F) // stride + 1:
        raise ValueError("bad arguments")
    dx, dw = np.zeros(L), np.zeros(F)
    for i in range(len(dy)):
        for j in range(F):
            dx[i * stride + j] += dy[i] * w[j]
            dw[j] += dy[i] * x[i * stride + j]
    return dx, dw
