"""The bias is added inside the loop over input channels, so every output gets C * b[k] instead of b[k]."""
FUNCTION = "conv2d_forward"
FAMILY = "bias"

import numpy as np


def conv2d_forward(x, w, b, stride=1, padding=0):
    x, w, (sh, sw), (ph, pw), (H_out, W_out) = _check_conv_args(x, w, stride, padding)
    N, C, H, W = x.shape
    K, _, R, S = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((N, K, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for k in range(K):
            for i in range(H_out):
                for j in range(W_out):
                    for c in range(C):
                        window = x_pad[n, c, i * sh:i * sh + R, j * sw:j * sw + S]
                        out[n, k, i, j] += np.sum(window * w[k, c]) + b[k]
    return out
