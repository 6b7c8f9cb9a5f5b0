"""Picks the largest absolute response (np.abs(response).argmax()), so strongly negative matches win."""
FUNCTION = "detect"
FAMILY = "argmax"

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def detect(image, kernel):
    response = np.einsum("ijrs,rs->ij", sliding_window_view(image, kernel.shape), kernel)
    row, col = np.unravel_index(np.argmax(np.abs(response)), response.shape)
    return float(response[row, col]), (int(row), int(col))
