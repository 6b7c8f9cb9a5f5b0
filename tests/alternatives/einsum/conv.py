"""Convolution and dw as im2col + matmul; dx as a full correlation with the flipped kernel."""
import numpy as np

from .padding import check, check_shape, check_window, dilate, float_array, pair, windows, zero_pad


def _arguments(x, w, stride, padding):
    """Check the arguments shared by forward and backward; return them normalised."""
    x, w = float_array(x, "x", ndim=4), float_array(w, "w", ndim=4)
    check(x.shape[1] == w.shape[1], f"x and w disagree on channels: x.shape={x.shape}, w.shape={w.shape}")
    stride, padding = pair(stride, "stride", 1), pair(padding, "padding", 0)
    padded = tuple(n + 2 * p for n, p in zip(x.shape[2:], padding))
    check_window(padded, w.shape[2:], "kernel", "padded input" if any(padding) else "input")
    return x, w, stride, padding


def conv2d_forward(x, w, b, stride=1, padding=0):
    x, w, stride, padding = _arguments(x, w, stride, padding)
    b = float_array(b, "b", ndim=1)
    check_shape(b, "b", w.shape[:1])
    K, C, R, S = w.shape
    cols = windows(zero_pad(x, padding), (R, S), stride)
    N, _, H_out, W_out = cols.shape[:4]
    im2col = cols.transpose(0, 2, 3, 1, 4, 5).reshape(N * H_out * W_out, C * R * S)
    out = im2col @ w.reshape(K, -1).T + b
    return out.reshape(N, H_out, W_out, K).transpose(0, 3, 1, 2)


def conv2d_backward(dout, x, w, stride=1, padding=0):
    x, w, (sh, sw), (ph, pw) = _arguments(x, w, stride, padding)
    K, C, R, S = w.shape
    N, _, H, W = x.shape
    x_pad = zero_pad(x, (ph, pw))
    win = windows(x_pad, (R, S), (sh, sw))  # (N, C, H_out, W_out, R, S)
    dout = float_array(dout, "dout", ndim=4)
    check_shape(dout, "dout", (N, K) + win.shape[2:4])
    db = np.einsum("nkij->k", dout)
    cols = win.transpose(0, 2, 3, 1, 4, 5).reshape(-1, C * R * S)
    dw = (dout.transpose(1, 0, 2, 3).reshape(K, -1) @ cols).reshape(K, C, R, S)
    # dx_pad is dout, dilated by the stride and padded by R-1 / S-1, correlated
    # with the kernel flipped in space and transposed in channels.
    d = zero_pad(dilate(dout, (sh, sw)), ((R - 1, R - 1), (S - 1, S - 1)))
    w_flip = w[:, :, ::-1, ::-1]
    dx_full = np.einsum("nkijrs,kcrs->ncij", windows(d, (R, S), (1, 1)), w_flip)
    dx = np.zeros(x_pad.shape, dtype=dx_full.dtype)  # rows the windows never reached stay 0
    dx[:, :, :dx_full.shape[2], :dx_full.shape[3]] = dx_full
    return dx[:, :, ph:ph + H, pw:pw + W], dw, db
