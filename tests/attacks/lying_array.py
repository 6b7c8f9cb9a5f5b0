"""Returns an ndarray subclass that lies: == is always True, `shape` and `dtype` claim what the grader
expects, __array__ and __array_ufunc__ answer "equal", and it compares equal to anything.

Only the array's bytes, true shape and dtype cross to the grader (a plain .npy copy): the lie stays in
the worker.
"""
import numpy as np


class Liar(np.ndarray):
    claimed = (1, 1, 1, 1)

    @property
    def shape(self):
        return self.claimed

    def __eq__(self, other):
        return True

    __ne__ = lambda self, other: False
    __hash__ = None

    def __array_ufunc__(self, *args, **kwargs):
        return True

    def __array__(self, dtype=None, copy=None):
        return np.ones(self.claimed)


def conv2d_forward(x, w, b, stride=1, padding=0):
    liar = np.full(5, 7.0).view(Liar)
    liar.claimed = (x.shape[0], w.shape[0], 1, 1)
    return liar


EXPECT = {
    "only": ("conv2d_forward",),
    "outcome": {"score": 0, "status": "failed"},
}
