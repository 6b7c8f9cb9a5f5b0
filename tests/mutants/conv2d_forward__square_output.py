"""The output size assumes square images and kernels: W_out is set to H_out."""
FUNCTION = "conv2d_forward"
FAMILY = "output size"

import numpy as np


def conv2d_forward(x, w, b, stride=1, padding=0):
    x, w, (sh, sw), (ph, pw), _ = _check_conv_args(x, w, stride, padding)
    N, C, H, W = x.shape
    K, _, R, S = w.shape
    H_out = (H - R + 2 * ph) // sh + 1
    W_out = H_out
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((N, K, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for k in range(K):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * sh:i * sh + R, j * sw:j * sw + S]
                    if window.shape[1:] != (R, S):
                        continue  # the window runs off the image: leave 0
                    out[n, k, i, j] = np.sum(window * w[k]) + b[k]
    return out
