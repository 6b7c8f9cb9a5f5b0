"""The output starts as np.zeros and keeps np.maximum with each window element, so all-negative windows pool to 0."""
FUNCTION = "max_pool_forward"
FAMILY = "initial maximum"

import numpy as np


def max_pool_forward(x, kernel_size, stride=None):
    x, (kh, kw), (sh, sw), (H_out, W_out) = _check_pool_args(x, kernel_size, stride)
    N, C = x.shape[:2]
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for a in range(kh):
        for b in range(kw):
            out = np.maximum(out, x[:, :, a:a + sh * (H_out - 1) + 1:sh, b:b + sw * (W_out - 1) + 1:sw])
    return out
