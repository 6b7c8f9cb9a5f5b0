"""The gradient is gathered at row idx // H_out, column idx % H_out: the row stride taken from H (wrong when H != W)."""
FUNCTION = "max_unpool_backward"
FAMILY = "flat index"

import numpy as np


def max_unpool_backward(dout, indices):
    N, C, H_out, W_out = dout.shape
    rows, cols = indices // H_out, indices % H_out
    rows, cols = np.minimum(rows, H_out - 1), np.minimum(cols, W_out - 1)
    n, c = np.indices(indices.shape)[:2]
    return dout[n, c, rows, cols]
