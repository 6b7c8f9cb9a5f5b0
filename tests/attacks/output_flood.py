"""Floods its output: 50 MB printed at import (in one string and in 100000 small prints), 50 MB
written straight to fd 1 and 2, and 1 MB printed in every call. The graded function is correct.

Printed text is kept up to a limit and the rest only counted; fds 1 and 2 are /dev/null. Grading stays
fast and the report shows a short excerpt.
"""
import os

print("x" * (25 << 20))
for _ in range(100_000):
    print("y" * 250)
for fd in (1, 2):
    for _ in range(25):
        os.write(fd, b"z" * (1 << 20))


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    print("w" * (1 << 20))
    if input_size < 1 or kernel_size < 1 or padding < 0 or stride < 1 or kernel_size > input_size + 2 * padding:
        raise ValueError("impossible sizes")
    return (input_size - kernel_size + 2 * padding) // stride + 1


EXPECT = {
    "only": ("conv_output_size",),
    "outcome": {"full": True, "output_max": 4100, "seconds": 30},
}
