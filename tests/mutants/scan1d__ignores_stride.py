"""The stride is ignored: the kernel visits every position."""
FUNCTION = "scan1d"
FAMILY = "output size"

import numpy as np


def scan1d(x, w, stride=1):
    x, w = as_float_array(x, "x", ndim=1), as_float_array(w, "w", ndim=1)
    stride = as_int(stride, "stride", minimum=1)
    if not 1 <= len(w) <= len(x):
        raise ValueError(f"kernel of size {len(w)} does not fit the input of size {len(x)}")
    L, F = len(x), len(w)
    return np.array([np.dot(w, x[i:i + F]) for i in range(L - F + 1)], dtype=np.result_type(x, w))
