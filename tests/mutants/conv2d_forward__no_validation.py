"""No argument validation: bad strides, paddings, channels and kernel sizes are not rejected with ValueError."""
FUNCTION = "conv2d_forward"
FAMILY = "validation"

import numpy as np


def conv2d_forward(x, w, b, stride=1, padding=0):
    sh, sw = stride if isinstance(stride, tuple) else (stride, stride)
    ph, pw = padding if isinstance(padding, tuple) else (padding, padding)
    N, C, H, W = x.shape
    K, _, R, S = w.shape
    H_out = (H - R + 2 * ph) // sh + 1
    W_out = (W - S + 2 * pw) // sw + 1
    x_pad = np.pad(x, ((0, 0), (0, 0), (max(ph, 0), max(ph, 0)), (max(pw, 0), max(pw, 0))))
    out = np.zeros((N, K, max(H_out, 0), max(W_out, 0)), dtype=x.dtype)
    for n in range(N):
        for k in range(K):
            for i in range(max(H_out, 0)):
                for j in range(max(W_out, 0)):
                    window = x_pad[n, :, i * sh:i * sh + R, j * sw:j * sw + S]
                    out[n, k, i, j] = np.sum(window * w[k, :window.shape[0], :window.shape[1], :window.shape[2]]) + b[k]
    return out
