"""Output sizes and zero padding, by counting and copying one element at a time.

The argument checks used by every module of this package live here too: each
public function calls them once, at its entry, and they raise ``ValueError``
with the messages of the exercise API, e.g. ``'stride' must be >= 1 (got 0)``.
"""
import numpy as np


def pair(value, name="value", minimum=None):
    """An int or an (h, w) pair as a tuple (h, w), each at least ``minimum``."""
    if isinstance(value, (tuple, list)):
        h, w = int(value[0]), int(value[1])
    else:
        h, w = int(value), int(value)
    if minimum is not None:
        for n in (h, w):
            if n < minimum:
                raise ValueError(f"{name!r} must be >= {minimum} (got {value})")
    return h, w


def at_least(value, name, minimum):
    """``value`` itself, checked to be at least ``minimum``."""
    if value < minimum:
        raise ValueError(f"{name!r} must be >= {minimum} (got {value})")
    return value


def float_array(x, name="x", ndim=None):
    """``x`` as an array of floats (ints become float64), with ``ndim`` axes if given."""
    x = np.asarray(x)
    if ndim is not None and x.ndim != ndim:
        raise ValueError(f"{name!r} must be a {ndim}-D array (got shape {x.shape})")
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def check_shape(x, name, expected):
    """ValueError unless ``x.shape == expected``."""
    expected = tuple(int(n) for n in expected)
    if x.shape != expected:
        raise ValueError(f"{name!r} must have shape {expected} (got {x.shape})")


def check_fits(window, size, what="kernel", where="input"):
    """ValueError unless the window (kh, kw) fits, one axis at a time, in size (H, W)."""
    for k, n in zip(window, size):
        if k > n:
            raise ValueError(f"{what} {tuple(window)} does not fit the {where} (H, W)={tuple(size)}")


def count_positions(size, kernel, stride):
    """Count the window starts 0, stride, 2*stride, ... whose window fits in ``size``."""
    count = 0
    start = 0
    while start + kernel <= size:
        count += 1
        start += stride
    return count


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    """Count the window positions start = 0, stride, 2*stride, ... that fit."""
    input_size = at_least(input_size, "input_size", 1)
    kernel_size = at_least(kernel_size, "kernel_size", 1)
    padding = at_least(padding, "padding", 0)
    stride = at_least(stride, "stride", 1)
    if kernel_size > input_size + 2 * padding:
        raise ValueError(f"kernel_size {kernel_size} does not fit the padded input "
                         f"(input_size {input_size} + 2 * padding {padding})")
    return count_positions(input_size + 2 * padding, kernel_size, stride)


def same_padding(kernel_size):
    """Move zeros to the "before" side while it does not exceed the "after" side."""
    kernel_size = at_least(kernel_size, "kernel_size", 1)
    before, after = 0, 0
    for _ in range(kernel_size - 1):
        if after <= before:
            after += 1
        else:
            before += 1
    return before, after


def zero_pad(x, padding):
    x = float_array(x, "x", ndim=4)
    if isinstance(padding, (tuple, list)) and isinstance(padding[0], (tuple, list)):
        top, bottom = pair(padding[0], "padding[0]", 0)
        left, right = pair(padding[1], "padding[1]", 0)
    else:
        (top, left) = pair(padding, "padding", 0)
        bottom, right = top, left
    N, C, H, W = x.shape
    out = np.zeros((N, C, H + top + bottom, W + left + right), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H):
                for j in range(W):
                    out[n, c, i + top, j + left] = x[n, c, i, j]
    return out
