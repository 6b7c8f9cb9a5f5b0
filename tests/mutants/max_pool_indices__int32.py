"""The indices are returned as int32 (.astype(np.int32)) instead of int64."""
FUNCTION = "max_pool_indices"
FAMILY = "dtype"

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def max_pool_indices(x, kernel_size, stride=None):
    x, (kh, kw), (sh, sw), (H_out, W_out) = _check_pool_args(x, kernel_size, stride)
    N, C, H, W = x.shape
    windows = sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    a = np.argmax(windows.reshape(N, C, H_out, W_out, kh * kw), axis=-1)
    rows = np.arange(H_out)[:, None] * sh + a // kw
    cols = np.arange(W_out)[None, :] * sw + a % kw
    return (rows * W + cols).astype(np.int32)
