"""np.floor((I - F + 2P) / S) + 1 has the right value but is a float, not an int."""
FUNCTION = "conv_output_size"
FAMILY = "type"

import numpy as np


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    if stride < 1 or kernel_size < 1 or padding < 0 or kernel_size > input_size + 2 * padding:
        raise ValueError("the kernel does not fit")
    return np.floor((input_size - kernel_size + 2 * padding) / stride) + 1
