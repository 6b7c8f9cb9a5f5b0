"""The output is computed in float64, whatever the dtype of the inputs."""
FUNCTION = "linear_forward"
FAMILY = "dtype"

import numpy as np


def linear_forward(x, w, b):
    x, w = _check_linear_args(x, w)
    b = as_float_array(b, "b", ndim=1)
    check_shape(b, "b", (w.shape[1],))
    return x.astype(np.float64) @ w + b
