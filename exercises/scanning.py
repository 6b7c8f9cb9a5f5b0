"""Scanning a kernel over an input: the 1-D picture of a convolution layer.

One small weight vector ``w`` is reused at every position of the input, so
the layer has F weights whatever the length of the input, and the gradient of
a shared weight is the sum of its gradients over all the positions.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._args import as_float_array, as_int, check_shape


def scan1d(x, w, stride=1):
    """Scan the kernel ``w (F,)`` over the signal ``x (L,)``.

        y[i] = sum_j w[j] * x[i * stride + j],   i = 0 .. L_out - 1

    with ``L_out = (L - F) // stride + 1`` (no padding). Returns ``y (L_out,)``.

    Graded: raises ValueError when w is longer than x or when stride < 1.
    float32 x and w give a float32 y, and x and w are not modified.
    """
    # Your code here: one dot product of w with the window at every stride step.
    raise NotImplementedError


def scan1d_backward(dy, x, w, stride=1):
    """Gradients of ``scan1d`` given the upstream gradient ``dy (L_out,)``.

        dx[i * stride + j] += dy[i] * w[j]
        dw[j] = sum_i dy[i] * x[i * stride + j]   (shared weight: sum over positions)

    Graded: returns the tuple (dx, dw), shaped like x (L,) and w (F,);
    float32 inputs give float32 gradients, and dy, x and w are not modified.
    """
    # Your code here: every dy[i] flows back to the window it came from: into dx through w, into
    # dw through x.
    raise NotImplementedError


def detect(image, kernel):
    """Find where the 2-D ``kernel (R, S)`` responds most in ``image (H, W)``.

        response[i, j] = sum_{r, s} kernel[r, s] * image[i + r, j + s]

    over the valid positions (stride 1, no padding).

    Graded: returns ``(score, (row, col))``, the largest response as a Python
    float and the top-left corner of its window as Python ints (row first);
    on ties the first position in row-major order wins.
    """
    # Your code here: the response at every valid position, then the first position of the
    # largest.
    raise NotImplementedError
