"""Allocates 10**11 bytes with numpy, then grows a bytearray and a list until memory runs out.

The worker's address-space limit makes both fail with MemoryError, inside the student's call.
"""
import numpy as np


def conv2d_forward(x, w, b, stride=1, padding=0):
    try:
        big = np.ones(10**11 // 8)
    except MemoryError:
        pass
    hoard = []
    while True:
        hoard.append(bytearray(50 << 20))


EXPECT = {
    "only": ("conv2d_forward",),
    "outcome": {"score": 0, "status": "failed", "says": "MemoryError", "seconds": 40},
}
