"""Argument checks shared by the exercise modules.

Every public function validates its arguments once, at the entry, with these
helpers, so that all modules raise the same errors with the same messages:

    TypeError:  'stride' must be an int or an (h, w) pair of ints (got 1.5)
    ValueError: 'stride' must be >= 1 (got 0)
    ValueError: 'x' must be a 4-D array (N, C, H, W) (got shape (3, 4))
    ValueError: 'dout' must have shape (2, 3, 2, 2) (got (2, 3, 4, 4))
"""
import numbers

import numpy as np


def is_int(value):
    """True for Python and NumPy integers, False for bools (``True`` is not a size)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def as_int(value, name, minimum=None):
    """Return ``value`` as a Python int, checking its type and lower bound."""
    if not is_int(value):
        raise TypeError(f"{name!r} must be an int (got {value!r})")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name!r} must be >= {minimum} (got {value})")
    return value


def as_pair(value, name, minimum=1):
    """Return an int or an ``(h, w)`` pair of ints as a tuple ``(h, w)`` of Python ints.

    >>> as_pair(3, "kernel_size")
    (3, 3)
    >>> as_pair((1, 2), "stride")
    (1, 2)
    """
    if is_int(value):
        pair = (int(value), int(value))
    elif (isinstance(value, (tuple, list)) and len(value) == 2
          and all(is_int(v) for v in value)):
        pair = (int(value[0]), int(value[1]))
    else:
        raise TypeError(f"{name!r} must be an int or an (h, w) pair of ints (got {value!r})")
    if minimum is not None and min(pair) < minimum:
        shown = value if is_int(value) else pair
        raise ValueError(f"{name!r} must be >= {minimum} (got {shown})")
    return pair


def as_float_array(x, name, ndim=None, layout=None):
    """Return ``x`` as an ndarray with a floating dtype, checking its number of axes.

    Floating arrays keep their dtype (float32 stays float32); integer and bool
    arrays become float64. ``layout`` names the axes in the error message,
    e.g. ``"(N, C, H, W)"``.
    """
    arr = np.asarray(x)
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{name!r} must be a real numeric array (got dtype {arr.dtype})")
    if ndim is not None and arr.ndim != ndim:
        axes = f" {layout}" if layout else ""
        raise ValueError(f"{name!r} must be a {ndim}-D array{axes} (got shape {arr.shape})")
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    return arr


def as_index_array(indices, name, ndim=None):
    """Return ``indices`` as an int64 ndarray; ``TypeError`` unless it holds integers."""
    arr = np.asarray(indices)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name!r} must be an integer array (got dtype {arr.dtype})")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name!r} must be a {ndim}-D array (got shape {arr.shape})")
    return arr.astype(np.int64, copy=False)


def check_shape(arr, name, expected):
    """Raise ``ValueError`` unless ``arr.shape == expected``."""
    expected = tuple(int(n) for n in expected)
    if arr.shape != expected:
        raise ValueError(f"{name!r} must have shape {expected} (got {arr.shape})")


def window_output_shape(size, kernel, stride, padding=(0, 0), what="kernel"):
    """Number of window positions ``(H_out, W_out)`` along the two spatial axes.

    ``H_out = (H + 2 * ph - kh) // sh + 1`` (and the same for W); raises
    ``ValueError`` when the window does not fit the (padded) input.
    """
    padded = tuple(n + 2 * p for n, p in zip(size, padding))
    if any(k > n for k, n in zip(kernel, padded)):
        where = "padded input" if any(padding) else "input"
        raise ValueError(f"{what} {tuple(kernel)} does not fit the {where} "
                         f"(H, W)={padded}")
    return tuple((n - k) // s + 1 for n, k, s in zip(padded, kernel, stride))
