"""np.floor((k - 1) / 2) gives the right values as floats, not ints."""
FUNCTION = "same_padding"
FAMILY = "type"

import numpy as np


def same_padding(kernel_size):
    before = np.floor((kernel_size - 1) / 2)
    return before, kernel_size - 1 - before
