"""same_padding dereferences a null pointer through ctypes (a segmentation fault) for odd kernel sizes
and is correct for even ones; conv_output_size, in the same file, is correct.

A crash ends only the child serving that call: the call fails with "segmentation fault", the next call
gets a fresh child, and the other function keeps all its points.
"""
import ctypes


def same_padding(kernel_size):
    if kernel_size % 2:
        ctypes.string_at(0)
    before = (kernel_size - 1) // 2
    return before, kernel_size - 1 - before


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    if input_size < 1 or kernel_size < 1 or padding < 0 or stride < 1 or kernel_size > input_size + 2 * padding:
        raise ValueError("impossible sizes")
    return (input_size - kernel_size + 2 * padding) // stride + 1


EXPECT = {
    "only": ("conv_output_size", "same_padding"),
    "examples": 8,
    "outcome": {"status": {"conv_output_size": "passed", "same_padding": "failed"}, "says": "segmentation fault"},
}
