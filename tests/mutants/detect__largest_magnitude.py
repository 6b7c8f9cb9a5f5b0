"""Picks the largest absolute response (np.abs(response).argmax()), so strongly negative matches win."""
FUNCTION = "detect"
FAMILY = "argmax"

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def detect(image, kernel):
    image, kernel = as_float_array(image, "image", ndim=2), as_float_array(kernel, "kernel", ndim=2)
    if min(kernel.shape) < 1 or any(k > n for k, n in zip(kernel.shape, image.shape)):
        raise ValueError(f"kernel {kernel.shape} does not fit the input (H, W)={image.shape}")
    response = np.einsum("ijrs,rs->ij", sliding_window_view(image, kernel.shape), kernel)
    row, col = np.unravel_index(np.argmax(np.abs(response)), response.shape)
    return float(response[row, col]), (int(row), int(col))
