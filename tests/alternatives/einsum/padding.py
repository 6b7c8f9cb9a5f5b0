"""Output sizes from the closed formula; padding with ``np.pad``."""
import numpy as np


def pair(value):
    if isinstance(value, (tuple, list)):
        return int(value[0]), int(value[1])
    return int(value), int(value)


def float_array(x):
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def windows(x, kernel, stride):
    """View of every (kh, kw) window of x (N, C, H, W): (N, C, H_out, W_out, kh, kw)."""
    (kh, kw), (sh, sw) = kernel, stride
    N, C, H, W = x.shape
    sN, sC, sH, sW = x.strides
    shape = (N, C, (H - kh) // sh + 1, (W - kw) // sw + 1, kh, kw)
    strides = (sN, sC, sH * sh, sW * sw, sH, sW)
    return np.lib.stride_tricks.as_strided(x, shape, strides, writeable=False)


def dilate(x, stride):
    """Insert (sh - 1, sw - 1) zeros between the elements of the last two axes."""
    sh, sw = stride
    N, C, H, W = x.shape
    out = np.zeros((N, C, (H - 1) * sh + 1, (W - 1) * sw + 1), dtype=x.dtype)
    out[:, :, ::sh, ::sw] = x
    return out


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    if stride < 1 or kernel_size < 1 or padding < 0 or kernel_size > input_size + 2 * padding:
        raise ValueError("invalid window")
    return -(-(input_size + 2 * padding - kernel_size + 1) // stride)  # ceil((I+2P-F+1)/S)


def same_padding(kernel_size):
    if kernel_size < 1:
        raise ValueError("invalid kernel_size")
    after = kernel_size // 2
    return kernel_size - 1 - after, after


def zero_pad(x, padding):
    x = float_array(x)
    if isinstance(padding, (tuple, list)) and isinstance(padding[0], (tuple, list)):
        widths = tuple(padding)
    else:
        ph, pw = pair(padding)
        widths = ((ph, ph), (pw, pw))
    return np.pad(x, ((0, 0), (0, 0)) + widths, mode="constant")
