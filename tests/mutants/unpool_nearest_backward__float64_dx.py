"""dx is allocated with np.zeros(shape) and filled block by block, so float32 dout gives a float64 dx."""
FUNCTION = "unpool_nearest_backward"
FAMILY = "dtype"

import numpy as np


def unpool_nearest_backward(dout, scale):
    sh, sw = as_pair(scale, "scale", minimum=1)
    N, C, Hs, Ws = dout.shape
    dx = np.zeros((N, C, Hs // sh, Ws // sw))
    for i in range(Hs // sh):
        for j in range(Ws // sw):
            dx[:, :, i, j] = dout[:, :, i * sh:(i + 1) * sh, j * sw:(j + 1) * sw].sum(axis=(2, 3))
    return dx
