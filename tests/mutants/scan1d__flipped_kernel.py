"""The kernel is flipped (w[::-1]): np.convolve semantics instead of the scan's cross-correlation."""
FUNCTION = "scan1d"
FAMILY = "flip"

import numpy as np


def scan1d(x, w, stride=1):
    return np.convolve(x, w, mode="valid")[::stride]
