"""The kernel is flipped (w[::-1]): np.convolve semantics instead of the scan's cross-correlation."""
FUNCTION = "scan1d"
FAMILY = "flip"

import numpy as np


def scan1d(x, w, stride=1):
    x, w = as_float_array(x, "x", ndim=1), as_float_array(w, "w", ndim=1)
    stride = as_int(stride, "stride", minimum=1)
    if not 1 <= len(w) <= len(x):
        raise ValueError(f"kernel of size {len(w)} does not fit the input of size {len(x)}")
    return np.convolve(x, w, mode="valid")[::stride]
