"""Puts every value at the top-left corner of its window (i * sh, j * sw), ignoring where its maximum was."""
FUNCTION = "max_unpool"
FAMILY = "flat index"

import numpy as np


def max_unpool(x, indices, output_size):
    H_out, W_out = as_pair(output_size, "output_size")
    N, C, H, W = x.shape
    sh, sw = H_out // H, W_out // W
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    out[:, :, :H * sh:sh, :W * sw:sw] = x
    return out
