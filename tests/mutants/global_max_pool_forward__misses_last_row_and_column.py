"""The scan loops run to H - 1 and W - 1, so the last row and column are never looked at."""
FUNCTION = "global_max_pool_forward"
FAMILY = "values"

import numpy as np


def global_max_pool_forward(x):
    x = _check_maps(x)
    N, C, H, W = x.shape
    out = x[:, :, 0, 0].copy()
    for i in range(H - 1):
        for j in range(W - 1):
            out = np.maximum(out, x[:, :, i, j])
    return out
