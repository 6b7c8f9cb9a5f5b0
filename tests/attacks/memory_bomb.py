"""Allocates 10**11 bytes with numpy, then fills memory with bytearrays of 50 MB until it runs out
(once per process; later calls fail the same way at once, so that the test stays fast).

The worker's address-space limit makes both fail with MemoryError, inside the student's call.
"""
import numpy as np

failures = []


def conv2d_forward(x, w, b, stride=1, padding=0):
    if failures:
        raise failures[0]
    try:
        np.ones(10**11 // 8)
    except MemoryError:
        pass
    hoard = []
    try:
        while True:
            hoard.append(bytearray(50 << 20))
    except MemoryError as exc:
        hoard.clear()
        failures.append(exc)
        raise


EXPECT = {
    "only": ("conv2d_forward",),
    "timeout": 10.0,
    "outcome": {"score": 0, "status": "failed", "says": "MemoryError", "seconds": 40},
}
