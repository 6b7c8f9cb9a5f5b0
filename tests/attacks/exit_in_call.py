"""Ends the process from inside the graded functions: os._exit(0) in one, sys.exit(0) in the other.

os._exit ends the child serving that function: the call fails as a crash. sys.exit raises SystemExit,
which the worker reports like any exception.
"""
import os
import sys


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    os._exit(0)


def same_padding(kernel_size):
    sys.exit(0)


EXPECT = {
    "only": ("conv_output_size", "same_padding"),
    "outcome": {"score": 0, "status": "failed", "says": ["exited with code 0", "SystemExit"]},
}
