"""The kernel is taken as square (K, C, F, _ = w.shape), so its width S is read as its height R."""
FUNCTION = "conv2d_forward"
FAMILY = "height and width"

import numpy as np


def conv2d_forward(x, w, b, stride=1, padding=0):
    x, w, (sh, sw), (ph, pw), _ = _check_conv_args(x, w, stride, padding)
    N, C, H, W = x.shape
    K, _, F, _ = w.shape
    H_out, W_out = (H + 2 * ph - F) // sh + 1, (W + 2 * pw - F) // sw + 1
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((N, K, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for k in range(K):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * sh:i * sh + F, j * sw:j * sw + F]
                    out[n, k, i, j] = np.sum(window * w[k, :, :F, :F]) + b[k]
    return out
