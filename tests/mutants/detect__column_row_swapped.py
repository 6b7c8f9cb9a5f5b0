"""The position is returned as (column, row) instead of (row, column)."""
FUNCTION = "detect"
FAMILY = "position"

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def detect(image, kernel):
    image, kernel = as_float_array(image, "image", ndim=2), as_float_array(kernel, "kernel", ndim=2)
    if min(kernel.shape) < 1 or any(k > n for k, n in zip(kernel.shape, image.shape)):
        raise ValueError(f"kernel {kernel.shape} does not fit the input (H, W)={image.shape}")
    response = np.einsum("ijrs,rs->ij", sliding_window_view(image, kernel.shape), kernel)
    row, col = np.unravel_index(np.argmax(response), response.shape)
    return float(response[row, col]), (int(col), int(row))
