"""Right on tiny inputs only: a "fast path" taken when x.size > 200 ignores the stride."""
FUNCTION = "conv2d_forward"
FAMILY = "values"

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv2d_forward(x, w, b, stride=1, padding=0):
    x, w, (sh, sw), (ph, pw), (H_out, W_out) = _check_conv_args(x, w, stride, padding)
    N = x.shape[0]
    K, _, R, S = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    if x.size > 200:  # vectorised path for big inputs
        windows = sliding_window_view(x_pad, (R, S), axis=(2, 3))[:, :, :H_out, :W_out]
        return np.einsum("ncijrs,kcrs->nkij", windows, w) + b[None, :, None, None]
    out = np.zeros((N, K, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for k in range(K):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * sh:i * sh + R, j * sw:j * sw + S]
                    out[n, k, i, j] = np.sum(window * w[k]) + b[k]
    return out
