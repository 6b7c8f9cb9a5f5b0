"""Output sizes and zero padding.

A kernel of size F scanned with stride S over an input of size I padded with
P zeros on each side fits ``floor((I - F + 2P) / S) + 1`` times.
"""
import numpy as np

from ._args import as_float_array, as_int, as_pair, is_int


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    """Number of positions of a kernel along one dimension.

        out = floor((I - F + 2P) / S) + 1

    with I = ``input_size``, F = ``kernel_size``, P = ``padding`` (zeros on
    each side), S = ``stride``. All arguments are ints (one dimension).

    Graded: raises ``ValueError`` when the kernel does not fit the padded
    input, when ``stride < 1``, ``kernel_size < 1`` or ``padding < 0`` (and
    ``input_size < 1``). Returns an int (Python or NumPy), never a float, even
    when it is whole.

    >>> conv_output_size(5, 3, padding=1, stride=2)
    3
    """
    # BEGIN SOLUTION
    input_size = as_int(input_size, "input_size", minimum=1)
    kernel_size = as_int(kernel_size, "kernel_size", minimum=1)
    padding = as_int(padding, "padding", minimum=0)
    stride = as_int(stride, "stride", minimum=1)
    padded = input_size + 2 * padding
    if kernel_size > padded:
        raise ValueError(f"kernel_size {kernel_size} does not fit the padded input "
                         f"(input_size {input_size} + 2 * padding {padding} = {padded})")
    return (padded - kernel_size) // stride + 1
    # END SOLUTION


def same_padding(kernel_size):
    """Padding ``(before, after)`` that keeps the size with stride 1 ("same").

    A kernel of size k needs k - 1 zeros in total: ``before = (k - 1) // 2``
    and ``after = k - 1 - before``, so the extra zero of an even kernel goes
    after, as with PyTorch's ``padding="same"``. Graded: returns a tuple
    (before, after) of two ints.

    >>> same_padding(3), same_padding(4)
    ((1, 1), (1, 2))
    """
    # BEGIN SOLUTION
    k = as_int(kernel_size, "kernel_size", minimum=1)
    before = (k - 1) // 2
    return before, k - 1 - before
    # END SOLUTION


def zero_pad(x, padding):
    """Pad the last two axes of ``x (N, C, H, W)`` with zeros.

    ``padding`` is an int p (p zeros on all four sides), a pair ``(ph, pw)``
    (ph rows above and below, pw columns left and right) or a pair of pairs
    ``((top, bottom), (left, right))``.

    Returns ``x_pad (N, C, top + H + bottom, left + W + right)`` with
    ``x_pad[:, :, top:top + H, left:left + W] == x`` and zeros elsewhere.

    Graded: float32 x gives a float32 x_pad, and x is not modified.
    """
    # BEGIN SOLUTION
    x = as_float_array(x, "x", ndim=4, layout="(N, C, H, W)")
    if isinstance(padding, (tuple, list)) and len(padding) == 2 and not any(
            is_int(p) for p in padding):
        (top, bottom) = as_pair(padding[0], "padding[0]", minimum=0)
        (left, right) = as_pair(padding[1], "padding[1]", minimum=0)
    else:
        ph, pw = as_pair(padding, "padding", minimum=0)
        top = bottom = ph
        left = right = pw
    N, C, H, W = x.shape
    x_pad = np.zeros((N, C, top + H + bottom, left + W + right), dtype=x.dtype)
    x_pad[:, :, top:top + H, left:left + W] = x
    return x_pad
    # END SOLUTION
