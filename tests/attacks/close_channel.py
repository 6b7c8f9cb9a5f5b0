"""Sabotages its own channel: conv_output_size closes every descriptor above 2 before returning;
same_padding first forks a process that keeps a copy of them, then dup2's /dev/null over them, so its
answer goes nowhere while the pipe stays open.

The first ends its child (a crash for that call); the second times out, and the worker kills the
process holding the pipe. Either costs that function only; the worker serves the next one.
"""
import os
import time


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    os.closerange(3, 4096)
    return (input_size - kernel_size + 2 * padding) // stride + 1


def same_padding(kernel_size):
    if os.fork() == 0:
        time.sleep(1000)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in range(3, 64):
        if fd != null:
            try:
                os.dup2(null, fd)
            except OSError:
                pass
    return (kernel_size - 1) // 2, kernel_size // 2


def zero_pad(x, padding):
    return x


EXPECT = {
    "only": ("conv_output_size", "same_padding", "zero_pad"),
    "timeout": 1.0,
    "outcome": {"status": {"conv_output_size": "failed", "same_padding": "timeout",
                                       "zero_pad": "failed"}, "seconds": 20},
}
