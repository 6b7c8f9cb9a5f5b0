"""conv2d_forward calls zero_pad, which the grader answers with its reference implementation, with a
padding of 100000 and then 3000: the reference would allocate terabytes, or gigabytes, in the grader.

The reference helpers run in a forked copy of the grader with a memory limit and the call's deadline:
the submission gets MemoryError (or an error saying the reference failed) and the grader is unharmed.
"""
import numpy as np


def zero_pad(x, padding):
    return x


def conv2d_forward(x, w, b, stride=1, padding=0):
    try:
        zero_pad(x, 100000)
    except MemoryError:
        pass
    zero_pad(x, 3000)
    return np.zeros(3)


EXPECT = {
    "only": ("conv2d_forward",),
    "outcome": {"score": 0, "status": "failed", "seconds": 40},
}
