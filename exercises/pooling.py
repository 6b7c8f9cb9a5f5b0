"""Max and average pooling over (kh, kw) windows of each channel.

``stride=None`` means ``stride = kernel_size`` (non-overlapping windows);
windows that do not fit are dropped:

    H_out = (H - kh) // sh + 1,   W_out = (W - kw) // sw + 1
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._args import as_float_array, as_pair, check_shape, window_output_shape


def _check_pool_args(x, kernel_size, stride):
    """Validate the arguments shared by the pooling functions; return them normalised."""
    x = as_float_array(x, "x", ndim=4, layout="(N, C, H, W)")
    kernel = as_pair(kernel_size, "kernel_size", minimum=1)
    stride = kernel if stride is None else as_pair(stride, "stride", minimum=1)
    out_hw = window_output_shape(x.shape[2:], kernel, stride, what="pooling window")
    return x, kernel, stride, out_hw


def max_pool_indices(x, kernel_size, stride=None):
    """Position of the maximum of every pooling window (PyTorch's ``return_indices``).

    x (N, C, H, W). Returns idx (N, C, H_out, W_out), int64, flat into the
    H*W plane: the maximum of window (i, j) is x[n, c, idx // W, idx % W].
    On ties the first maximum in row-major window order wins.

    Graded: raises ValueError when the window does not fit x (kh > H or
    kw > W) or a stride is < 1. idx is int64, also for float32 x, and x is
    not modified.
    """
    # Your code here: the argmax inside every window, turned into a flat index row * W + col of
    # the plane.
    raise NotImplementedError


def max_pool_forward(x, kernel_size, stride=None):
    """Forward pass of max pooling.

        out[n, c, i, j] = max_{a < kh, b < kw} x[n, c, i*sh + a, j*sw + b]

    x (N, C, H, W) -> out (N, C, H_out, W_out).

    Graded: raises ValueError when the window does not fit x (kh > H or
    kw > W) or a stride is < 1. float32 x gives a float32 out, and x is not
    modified.
    """
    # Your code here: the largest value of every window.
    raise NotImplementedError


def max_pool_backward(dout, x, kernel_size, stride=None):
    """Backward pass of max pooling.

    Each window's gradient dout[n, c, i, j] goes to the one element that was
    its maximum (the first one on ties); overlapping windows accumulate:

        dx[n, c, idx // W, idx % W] += dout[n, c, i, j],   idx = indices[n, c, i, j]

    dout (N, C, H_out, W_out), x (N, C, H, W) -> dx (N, C, H, W).

    Graded: raises ValueError when the window does not fit x (kh > H or
    kw > W), when a stride is < 1, or when dout's shape is not
    (N, C, H_out, W_out). float32 dout and x give a float32 dx, and dout and
    x are not modified.
    """
    # Your code here: each window's gradient goes to its maximum; overlapping windows add up.
    raise NotImplementedError


def avg_pool_forward(x, kernel_size, stride=None):
    """Forward pass of average pooling.

        out[n, c, i, j] = mean_{a < kh, b < kw} x[n, c, i*sh + a, j*sw + b]

    x (N, C, H, W) -> out (N, C, H_out, W_out).

    Graded: raises ValueError when the window does not fit x (kh > H or
    kw > W) or a stride is < 1. float32 x gives a float32 out, and x is not
    modified.
    """
    # Your code here: the mean of every window.
    raise NotImplementedError


def avg_pool_backward(dout, x, kernel_size, stride=None):
    """Backward pass of average pooling.

    Every element of a window receives an equal share of its gradient;
    overlapping windows accumulate:

        dx[n, c, i*sh + a, j*sw + b] += dout[n, c, i, j] / (kh * kw)

    dout (N, C, H_out, W_out), x (N, C, H, W) -> dx (N, C, H, W).

    Graded: raises ValueError when the window does not fit x (kh > H or
    kw > W), when a stride is < 1, or when dout's shape is not
    (N, C, H_out, W_out). float32 dout and x give a float32 dx, and dout and
    x are not modified.
    """
    # Your code here: each window's gradient is shared equally by its kh * kw elements; overlaps
    # add up.
    raise NotImplementedError
