"""A one-file submission saved as numpy.py that itself does `import numpy as np`.

The module is imported as submission.numpy and never replaces the real numpy, so `import numpy` inside
it still gets numpy: the correct code scores full marks.
"""
import numpy as np


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    if input_size < 1 or kernel_size < 1 or padding < 0 or stride < 1 or kernel_size > input_size + 2 * padding:
        raise ValueError("impossible sizes")
    return int(np.floor_divide(input_size - kernel_size + 2 * padding, stride)) + 1


def same_padding(kernel_size):
    before = int(np.floor_divide(kernel_size - 1, 2))
    return before, kernel_size - 1 - before


EXPECT = {
    "only": ("conv_output_size", "same_padding"),
    "file_name": "numpy.py",
    "outcome": {"full": True},
}
