"""Scatters dout like the forward (max_unpool of dout) instead of gathering it, so dx has dout's shape."""
FUNCTION = "max_unpool_backward"
FAMILY = "shape"

import numpy as np


def max_unpool_backward(dout, indices):
    N, C, H_out, W_out = dout.shape
    flat = dout.reshape(N, C, -1)
    dx = np.zeros_like(flat)
    picked = np.take_along_axis(flat, indices.reshape(N, C, -1), axis=2)
    np.put_along_axis(dx, indices.reshape(N, C, -1), picked, axis=2)
    return dx.reshape(dout.shape)
