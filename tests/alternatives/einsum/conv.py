"""Convolution and dw as im2col + matmul; dx as a full correlation with the flipped kernel."""
import numpy as np

from .padding import dilate, float_array, pair, windows, zero_pad


def conv2d_forward(x, w, b, stride=1, padding=0):
    x, w, b = float_array(x), float_array(w), float_array(b)
    K, C, R, S = w.shape
    cols = windows(zero_pad(x, pair(padding)), (R, S), pair(stride))
    N, _, H_out, W_out = cols.shape[:4]
    im2col = cols.transpose(0, 2, 3, 1, 4, 5).reshape(N * H_out * W_out, C * R * S)
    out = im2col @ w.reshape(K, -1).T + b
    return out.reshape(N, H_out, W_out, K).transpose(0, 3, 1, 2)


def conv2d_backward(dout, x, w, stride=1, padding=0):
    dout, x, w = float_array(dout), float_array(x), float_array(w)
    (sh, sw), (ph, pw) = pair(stride), pair(padding)
    K, C, R, S = w.shape
    N, _, H, W = x.shape
    x_pad = zero_pad(x, (ph, pw))
    db = np.einsum("nkij->k", dout)
    cols = windows(x_pad, (R, S), (sh, sw)).transpose(0, 2, 3, 1, 4, 5).reshape(-1, C * R * S)
    dw = (dout.transpose(1, 0, 2, 3).reshape(K, -1) @ cols).reshape(K, C, R, S)
    # dx_pad is dout, dilated by the stride and padded by R-1 / S-1, correlated
    # with the kernel flipped in space and transposed in channels.
    d = zero_pad(dilate(dout, (sh, sw)), ((R - 1, R - 1), (S - 1, S - 1)))
    w_flip = w[:, :, ::-1, ::-1]
    dx_full = np.einsum("nkijrs,kcrs->ncij", windows(d, (R, S), (1, 1)), w_flip)
    dx = np.zeros(x_pad.shape, dtype=dx_full.dtype)  # rows the windows never reached stay 0
    dx[:, :, :dx_full.shape[2], :dx_full.shape[3]] = dx_full
    return dx[:, :, ph:ph + H, pw:pw + W], dw, db
