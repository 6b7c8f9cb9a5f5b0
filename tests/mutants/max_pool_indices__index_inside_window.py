"""Returns the position of the maximum inside its window (argmax of the window), not the flat H*W index."""
FUNCTION = "max_pool_indices"
FAMILY = "flat index"

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def max_pool_indices(x, kernel_size, stride=None):
    x, (kh, kw), (sh, sw), (H_out, W_out) = _check_pool_args(x, kernel_size, stride)
    N, C = x.shape[:2]
    windows = sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    return np.argmax(windows.reshape(N, C, H_out, W_out, kh * kw), axis=-1).astype(np.int64)
