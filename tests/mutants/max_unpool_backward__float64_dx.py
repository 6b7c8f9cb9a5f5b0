"""dx is allocated with np.zeros(indices.shape), so float32 dout gives a float64 dx."""
FUNCTION = "max_unpool_backward"
FAMILY = "dtype"

import numpy as np


def max_unpool_backward(dout, indices):
    N, C, H_out, W_out = dout.shape
    dx = np.zeros(indices.shape)
    for n in range(N):
        for c in range(C):
            dx[n, c] = dout[n, c].reshape(-1)[indices[n, c]]
    return dx
