"""Monkeypatches numpy and builtins in its process so that every comparison says "equal":
np.allclose, np.array_equal, np.isclose, np.testing, the builtins all and any, and the ndarray's own
__eq__ (which numpy does not allow).

The comparisons run in the grader's process, on the data the worker sent; nothing patched in the
worker reaches them.
"""
import builtins

import numpy as np

np.allclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(a, b).shape, dtype=bool)
try:  # numpy imports its testing module on first use; the jail of plain-process mode has no file to import
    np.testing.assert_allclose = lambda *a, **k: None
except ImportError:
    pass
builtins.all = builtins.any = lambda *a: True
try:
    np.ndarray.__eq__ = lambda self, other: True
except TypeError:
    pass


def conv2d_forward(x, w, b, stride=1, padding=0):
    return np.zeros(3)


EXPECT = {
    "only": ("conv2d_forward",),
    "outcome": {"score": 0, "status": "failed"},
}
