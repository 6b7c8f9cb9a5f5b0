"""conv_output_size never returns; same_padding, in the same file, is correct.

The worker kills the child serving conv_output_size when its call runs out of time; same_padding is
served by a fresh child and keeps all its points.
"""


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    while True:
        pass


def same_padding(kernel_size):
    before = (kernel_size - 1) // 2
    return before, kernel_size - 1 - before


EXPECT = {
    "only": ("conv_output_size", "same_padding"),
    "timeout": 1.0,
    "outcome": {"status": {"conv_output_size": "timeout", "same_padding": "passed"}, "seconds": 8},
}
