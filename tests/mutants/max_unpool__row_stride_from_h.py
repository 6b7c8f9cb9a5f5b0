"""The flat index is split with the output height: row = idx // H_out, col = idx % H_out (wrong when H_out != W_out)."""
FUNCTION = "max_unpool"
FAMILY = "flat index"

import numpy as np


def max_unpool(x, indices, output_size):
    H_out, W_out = as_pair(output_size, "output_size")
    N, C, H, W = x.shape
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H):
                for j in range(W):
                    idx = indices[n, c, i, j]
                    r, s = idx // H_out, idx % H_out
                    if r < H_out and s < W_out:
                        out[n, c, r, s] = x[n, c, i, j]
    return out
