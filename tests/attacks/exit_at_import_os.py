"""Calls os._exit(0) while the module is imported: no exception, the process just ends "successfully".

The process ends before it says it is ready: the import is reported as failed, once per module.
"""
import os

os._exit(0)


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    return (input_size - kernel_size + 2 * padding) // stride + 1


def same_padding(kernel_size):
    return (kernel_size - 1) // 2, kernel_size // 2


EXPECT = {
    "only": ("conv_output_size", "same_padding"),
    "outcome": {"score": 0, "status": "error", "says": "exited with code 0 during the import", "seconds": 15},
}
