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
    # Your code here: check the four ints (as_int with a minimum), check that the kernel fits the
    # padded input, then apply the formula.
    raise NotImplementedError


def same_padding(kernel_size):
    """Padding ``(before, after)`` that keeps the size with stride 1 ("same").

    A kernel of size k needs k - 1 zeros in total: ``before = (k - 1) // 2``
    and ``after = k - 1 - before``, so the extra zero of an even kernel goes
    after, as with PyTorch's ``padding="same"``. Graded: returns a tuple
    (before, after) of two ints.

    >>> same_padding(3), same_padding(4)
    ((1, 1), (1, 2))
    """
    # Your code here: a kernel of size k needs k - 1 zeros in all; the odd one goes after.
    raise NotImplementedError


def zero_pad(x, padding):
    """Pad the last two axes of ``x (N, C, H, W)`` with zeros.

    ``padding`` is an int p (p zeros on all four sides), a pair ``(ph, pw)``
    (ph rows above and below, pw columns left and right) or a pair of pairs
    ``((top, bottom), (left, right))``.

    Returns ``x_pad (N, C, top + H + bottom, left + W + right)`` with
    ``x_pad[:, :, top:top + H, left:left + W] == x`` and zeros elsewhere.

    Graded: float32 x gives a float32 x_pad, and x is not modified.
    """
    # Your code here: turn padding into (top, bottom, left, right), allocate the padded zeros,
    # copy x into the middle.
    raise NotImplementedError
