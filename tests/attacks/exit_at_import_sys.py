"""Calls sys.exit(0) while the module is imported, hoping the grader takes a clean exit for success.

SystemExit is an exception like any other in the worker: the import fails with a hint.
"""
import sys

sys.exit(0)


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    return (input_size - kernel_size + 2 * padding) // stride + 1


EXPECT = {
    "only": ("conv_output_size", "same_padding"),
    "outcome": {"score": 0, "status": "error", "says": "calls sys.exit()"},
}
