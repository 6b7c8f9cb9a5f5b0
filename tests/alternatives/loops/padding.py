"""Output sizes and zero padding, by counting and copying one element at a time."""
import numpy as np


def pair(value):
    """An int or an (h, w) pair as a tuple (h, w)."""
    if isinstance(value, (tuple, list)):
        return int(value[0]), int(value[1])
    return int(value), int(value)


def float_array(x):
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    """Count the window positions start = 0, stride, 2*stride, ... that fit."""
    if stride < 1 or kernel_size < 1 or padding < 0 or kernel_size > input_size + 2 * padding:
        raise ValueError("invalid window")
    count = 0
    start = 0
    while start + kernel_size <= input_size + 2 * padding:
        count += 1
        start += stride
    return count


def same_padding(kernel_size):
    """Move zeros to the "before" side while it does not exceed the "after" side."""
    if kernel_size < 1:
        raise ValueError("invalid kernel_size")
    before, after = 0, 0
    for _ in range(kernel_size - 1):
        if after <= before:
            after += 1
        else:
            before += 1
    return before, after


def zero_pad(x, padding):
    x = float_array(x)
    if isinstance(padding, (tuple, list)) and isinstance(padding[0], (tuple, list)):
        (top, bottom), (left, right) = padding
    else:
        (top, left) = pair(padding)
        bottom, right = top, left
    N, C, H, W = x.shape
    out = np.zeros((N, C, H + top + bottom, W + left + right), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H):
                for j in range(W):
                    out[n, c, i + top, j + left] = x[n, c, i, j]
    return out
