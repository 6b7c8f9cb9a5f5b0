"""The kernel is flipped (w[:, :, ::-1, ::-1]): a true convolution instead of the cross-correlation."""
FUNCTION = "conv2d_forward"
FAMILY = "flip"

import numpy as np


def conv2d_forward(x, w, b, stride=1, padding=0):
    x, w, (sh, sw), (ph, pw), (H_out, W_out) = _check_conv_args(x, w, stride, padding)
    N = x.shape[0]
    K, _, R, S = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    w = w[:, :, ::-1, ::-1]
    out = np.zeros((N, K, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for k in range(K):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * sh:i * sh + R, j * sw:j * sw + S]
                    out[n, k, i, j] = np.sum(window * w[k]) + b[k]
    return out
