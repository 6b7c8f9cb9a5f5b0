"""A stride pair is unpacked as (sw, sh): the column stride moves down the rows and the row stride across."""
FUNCTION = "conv2d_forward"
FAMILY = "height and width"

import numpy as np


def conv2d_forward(x, w, b, stride=1, padding=0):
    x, w, _, (ph, pw), _ = _check_conv_args(x, w, stride, padding)
    sw, sh = as_pair(stride, "stride")
    N, C, H, W = x.shape
    K, _, R, S = w.shape
    H_out, W_out = (H + 2 * ph - R) // sh + 1, (W + 2 * pw - S) // sw + 1
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((N, K, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            window = x_pad[:, :, i * sh:i * sh + R, j * sw:j * sw + S]
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out
