"""Indices are not checked: negative ones wrap around to the end of the plane instead of raising ValueError."""
FUNCTION = "max_unpool"
FAMILY = "validation"

import numpy as np


def max_unpool(x, indices, output_size):
    H_out, W_out = as_pair(output_size, "output_size", minimum=1)
    N, C = x.shape[:2]
    out = np.zeros((N, C, H_out * W_out), dtype=x.dtype)
    np.put_along_axis(out, indices.reshape(N, C, -1) % (H_out * W_out), x.reshape(N, C, -1), axis=2)
    return out.reshape(N, C, H_out, W_out)
