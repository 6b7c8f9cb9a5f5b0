"""2-D convolution layer (cross-correlation, as in every deep-learning library).

    out[n, k, i, j] = b[k] + sum_{c, r, s} w[k, c, r, s] * x_pad[n, c, i*sh + r, j*sw + s]

The forward pass views every (R, S) window of the padded input without copying
(``sliding_window_view``) and contracts the windows with the kernels in one
``einsum`` (with ``optimize=True`` it runs as a single matrix product, like
im2col + GEMM). The backward pass computes the gradient of every window
element in one ``einsum`` and adds it back where the window was read, one
kernel offset (r, s) at a time.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._args import as_float_array, as_pair, check_shape, window_output_shape
from .padding import zero_pad


def _check_conv_args(x, w, stride, padding):
    """Validate the arguments shared by forward and backward; return them normalised."""
    x = as_float_array(x, "x", ndim=4, layout="(N, C, H, W)")
    w = as_float_array(w, "w", ndim=4, layout="(K, C, R, S)")
    if x.shape[1] != w.shape[1]:
        raise ValueError(f"x and w disagree on channels: x.shape={x.shape}, w.shape={w.shape}")
    stride = as_pair(stride, "stride", minimum=1)
    padding = as_pair(padding, "padding", minimum=0)
    out_hw = window_output_shape(x.shape[2:], w.shape[2:], stride, padding)
    return x, w, stride, padding, out_hw


def conv2d_forward(x, w, b, stride=1, padding=0):
    """Forward pass of a convolution layer.

    x (N, C, H, W) images, w (K, C, R, S) kernels, b (K,) biases; ``stride``
    and ``padding`` are ints or (h, w) pairs (padding: zeros on each side).

        out[n, k, i, j] = b[k] + sum_{c, r, s} w[k, c, r, s] * x_pad[n, c, i*sh + r, j*sw + s]

    Returns out (N, K, H_out, W_out) with H_out = (H + 2*ph - R) // sh + 1 and
    W_out = (W + 2*pw - S) // sw + 1.

    Graded: raises ValueError when x and w disagree on channels, when the
    kernel is larger than the padded input, when a stride is < 1 or a
    padding < 0. float32 inputs give a float32 out (float64 ones float64),
    and x, w and b are not modified.
    """
    # Your code here: pad x, take every (R, S) window at the stride steps, contract it with each
    # kernel over (C, R, S), add b.
    raise NotImplementedError


def conv2d_backward(dout, x, w, stride=1, padding=0):
    """Backward pass of a convolution layer.

    dout (N, K, H_out, W_out) is the upstream gradient; x, w, stride and
    padding are the forward's inputs (b is not needed).

        db[k]          = sum_{n, i, j} dout[n, k, i, j]
        dw[k, c, r, s] = sum_{n, i, j} dout[n, k, i, j] * x_pad[n, c, i*sh + r, j*sw + s]
        dx_pad[n, c, i*sh + r, j*sw + s] += sum_k dout[n, k, i, j] * w[k, c, r, s]

    and dx is dx_pad without its padding.

    Graded: returns the tuple (dx, dw, db), shaped like x (N, C, H, W),
    w (K, C, R, S) and b (K,); float32 inputs give float32 gradients, and
    dout, x and w are not modified.
    """
    # Your code here: db sums dout; dw and dx_pad send each output's gradient back to the window
    # it came from; crop the padding off dx_pad.
    raise NotImplementedError
