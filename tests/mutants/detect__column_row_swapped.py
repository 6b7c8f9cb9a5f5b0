"""The position is returned as (column, row) instead of (row, column)."""
FUNCTION = "detect"
FAMILY = "position"

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def detect(image, kernel):
    response = np.einsum("ijrs,rs->ij", sliding_window_view(image, kernel.shape), kernel)
    row, col = np.unravel_index(np.argmax(response), response.shape)
    return float(response[row, col]), (int(col), int(row))
