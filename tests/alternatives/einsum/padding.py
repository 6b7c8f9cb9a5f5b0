"""Output sizes from the closed formula; padding with ``np.pad``.

Also the argument checks of this package: every public function states its
conditions once, at its entry, as ``check(condition, message)`` calls.
"""
import numpy as np


def check(condition, message):
    """Raise ValueError(message) unless the condition holds."""
    if not condition:
        raise ValueError(message)


def pair(value, name="value", minimum=None):
    """An int or an (h, w) pair as a tuple (h, w); both at least ``minimum`` if given."""
    hw = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    hw = int(hw[0]), int(hw[1])
    check(minimum is None or min(hw) >= minimum, f"{name!r} must be >= {minimum} (got {value})")
    return hw


def float_array(x, name="x", ndim=None):
    """``x`` as a floating array (ints become float64) with ``ndim`` axes if given."""
    x = np.asarray(x)
    check(ndim is None or x.ndim == ndim, f"{name!r} must be a {ndim}-D array (got shape {x.shape})")
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def check_shape(x, name, expected):
    expected = tuple(map(int, expected))
    check(x.shape == expected, f"{name!r} must have shape {expected} (got {x.shape})")


def check_window(size, kernel, what="kernel", where="input"):
    """Check that the (kh, kw) window fits in (H, W)."""
    check(all(k <= n for k, n in zip(kernel, size)),
           f"{what} {tuple(kernel)} does not fit the {where} (H, W)={tuple(size)}")


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
    for name, value, minimum in (("input_size", input_size, 1), ("kernel_size", kernel_size, 1),
                                 ("padding", padding, 0), ("stride", stride, 1)):
        check(value >= minimum, f"{name!r} must be >= {minimum} (got {value})")
    check(kernel_size <= input_size + 2 * padding,
           f"kernel_size {kernel_size} does not fit the padded input "
           f"(input_size {input_size} + 2 * padding {padding})")
    return -(-(input_size + 2 * padding - kernel_size + 1) // stride)  # ceil((I+2P-F+1)/S)


def same_padding(kernel_size):
    check(kernel_size >= 1, f"'kernel_size' must be >= 1 (got {kernel_size})")
    after = kernel_size // 2
    return kernel_size - 1 - after, after


def zero_pad(x, padding):
    x = float_array(x, "x", ndim=4)
    if isinstance(padding, (tuple, list)) and isinstance(padding[0], (tuple, list)):
        widths = pair(padding[0], "padding[0]", 0), pair(padding[1], "padding[1]", 0)
    else:
        ph, pw = pair(padding, "padding", 0)
        widths = ((ph, ph), (pw, pw))
    return np.pad(x, ((0, 0), (0, 0)) + widths, mode="constant")
