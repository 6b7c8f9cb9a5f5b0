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
    # BEGIN SOLUTION
    x = as_float_array(x, "x", ndim=1, layout="(L,)")
    w = as_float_array(w, "w", ndim=1, layout="(F,)")
    stride = as_int(stride, "stride", minimum=1)
    L, F = x.shape[0], w.shape[0]
    if F < 1 or F > L:
        raise ValueError(f"kernel of size {F} does not fit the input of size {L}")
    windows = sliding_window_view(x, F)[::stride]  # (L_out, F)
    return windows @ w
    # END SOLUTION


def scan1d_backward(dy, x, w, stride=1):
    """Gradients of ``scan1d`` given the upstream gradient ``dy (L_out,)``.

        dx[i * stride + j] += dy[i] * w[j]
        dw[j] = sum_i dy[i] * x[i * stride + j]   (shared weight: sum over positions)

    Graded: returns the tuple (dx, dw), shaped like x (L,) and w (F,);
    float32 inputs give float32 gradients, and dy, x and w are not modified.
    """
    # BEGIN SOLUTION
    x = as_float_array(x, "x", ndim=1, layout="(L,)")
    w = as_float_array(w, "w", ndim=1, layout="(F,)")
    stride = as_int(stride, "stride", minimum=1)
    L, F = x.shape[0], w.shape[0]
    if F < 1 or F > L:
        raise ValueError(f"kernel of size {F} does not fit the input of size {L}")
    L_out = (L - F) // stride + 1
    dy = as_float_array(dy, "dy", ndim=1, layout="(L_out,)")
    check_shape(dy, "dy", (L_out,))

    windows = sliding_window_view(x, F)[::stride]  # (L_out, F)
    dw = dy @ windows
    dx = np.zeros(L, dtype=np.result_type(dy, w))
    for j in range(F):  # weight j touched x[j], x[j + stride], ...
        dx[j:j + stride * (L_out - 1) + 1:stride] += dy * w[j]
    return dx, dw
    # END SOLUTION


def detect(image, kernel):
    """Find where the 2-D ``kernel (R, S)`` responds most in ``image (H, W)``.

        response[i, j] = sum_{r, s} kernel[r, s] * image[i + r, j + s]

    over the valid positions (stride 1, no padding).

    Graded: returns ``(score, (row, col))``, the largest response as a Python
    float and the top-left corner of its window as Python ints (row first);
    on ties the first position in row-major order wins.
    """
    # BEGIN SOLUTION
    image = as_float_array(image, "image", ndim=2, layout="(H, W)")
    kernel = as_float_array(kernel, "kernel", ndim=2, layout="(R, S)")
    if min(kernel.shape) < 1 or any(k > n for k, n in zip(kernel.shape, image.shape)):
        raise ValueError(f"kernel {kernel.shape} does not fit the input (H, W)={image.shape}")
    windows = sliding_window_view(image, kernel.shape)  # (H_out, W_out, R, S)
    response = np.einsum("ijrs,rs->ij", windows, kernel)
    row, col = np.unravel_index(np.argmax(response), response.shape)
    return float(response[row, col]), (int(row), int(col))
    # END SOLUTION
