"""The output is allocated with np.zeros(shape), so float32 x gives a float64 output."""
FUNCTION = "max_unpool"
FAMILY = "dtype"

import numpy as np


def max_unpool(x, indices, output_size):
    H_out, W_out = as_pair(output_size, "output_size")
    N, C = x.shape[:2]
    out = np.zeros((N, C, H_out * W_out))
    np.put_along_axis(out, indices.reshape(N, C, -1), x.reshape(N, C, -1), axis=2)
    return out.reshape(N, C, H_out, W_out)
