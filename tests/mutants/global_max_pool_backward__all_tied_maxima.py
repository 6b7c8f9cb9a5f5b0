"""The mask x == max sends the gradient to every tied maximum, not only the first."""
FUNCTION = "global_max_pool_backward"
FAMILY = "ties"

import numpy as np


def global_max_pool_backward(dout, x):
    x = _check_maps(x)
    dout = as_float_array(dout, "dout", ndim=2)
    check_shape(dout, "dout", x.shape[:2])
    mask = x == x.max(axis=(2, 3), keepdims=True)
    return (mask * dout[:, :, None, None]).astype(np.result_type(dout, x))
