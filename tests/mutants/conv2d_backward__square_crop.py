"""dx is cropped with the height for both axes, dx_pad[:, :, ph:ph + H, pw:pw + H]: right only for square images."""
FUNCTION = "conv2d_backward"
FAMILY = "crop"

import numpy as np


def conv2d_backward(dout, x, w, stride=1, padding=0):
    x, w, (sh, sw), (ph, pw), (H_out, W_out) = _check_conv_args(x, w, stride, padding)
    N, C, H, W = x.shape
    K, _, R, S = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(N):
        for k in range(K):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * sh:i * sh + R, j * sw:j * sw + S]
                    dw[k] += window * dout[n, k, i, j]
                    dx_pad[n, :, i * sh:i * sh + R, j * sw:j * sw + S] += w[k] * dout[n, k, i, j]
    return dx_pad[:, :, ph:ph + H, pw:pw + H], dw, db
