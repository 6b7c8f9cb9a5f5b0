"""x is reshaped to (N, C, -1) without checking that it has 4 axes."""
FUNCTION = "global_max_pool_forward"
FAMILY = "validation"

import numpy as np


def global_max_pool_forward(x):
    x = np.asarray(x)
    return x.reshape(x.shape[0], x.shape[1], -1).max(axis=2)
