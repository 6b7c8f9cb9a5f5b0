"""Returns the flat index of np.argmax(response) as the position instead of a (row, col) pair."""
FUNCTION = "detect"
FAMILY = "position"

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def detect(image, kernel):
    response = np.einsum("ijrs,rs->ij", sliding_window_view(image, kernel.shape), kernel)
    best = int(np.argmax(response))
    return float(response.flat[best]), best
