"""Nearest and max unpooling with one Python loop per index."""
import numpy as np

from .padding import check_shape, float_array, pair


def _check_indices(indices, plane_size):
    """ValueError unless every flat index, one at a time, lies in [0, plane_size)."""
    for k in np.asarray(indices).flat:
        if not 0 <= k < plane_size:
            raise ValueError(f"'indices' must lie in [0, {plane_size}) (got {k})")


def unpool_nearest(x, scale):
    x = float_array(x, "x", ndim=4)
    sh, sw = pair(scale, "scale", 1)
    N, C, H, W = x.shape
    out = np.zeros((N, C, H * sh, W * sw), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H * sh):
                for j in range(W * sw):
                    out[n, c, i, j] = x[n, c, i // sh, j // sw]
    return out


def unpool_nearest_backward(dout, scale):
    dout = float_array(dout, "dout", ndim=4)
    sh, sw = pair(scale, "scale", 1)
    N, C, Hs, Ws = dout.shape
    if Hs % sh or Ws % sw:
        raise ValueError(f"'dout' spatial shape {(Hs, Ws)} must be a multiple of scale {(sh, sw)}")
    dx = np.zeros((N, C, Hs // sh, Ws // sw), dtype=dout.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(Hs):
                for j in range(Ws):
                    dx[n, c, i // sh, j // sw] += dout[n, c, i, j]
    return dx


def max_unpool(x, indices, output_size):
    x = float_array(x, "x", ndim=4)
    indices = np.asarray(indices)
    check_shape(indices, "indices", x.shape)
    H_out, W_out = pair(output_size, "output_size", 1)
    _check_indices(indices, H_out * W_out)
    N, C, H, W = x.shape
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H):
                for j in range(W):
                    k = indices[n, c, i, j]
                    out[n, c, k // W_out, k % W_out] = x[n, c, i, j]
    return out


def max_unpool_backward(dout, indices):
    dout = float_array(dout, "dout", ndim=4)
    indices = np.asarray(indices)
    if indices.ndim != 4 or indices.shape[:2] != dout.shape[:2]:
        raise ValueError(f"dout and indices disagree on (N, C): dout.shape={dout.shape}, "
                         f"indices.shape={indices.shape}")
    _check_indices(indices, dout.shape[2] * dout.shape[3])
    N, C, H, W = indices.shape
    W_out = dout.shape[3]
    dx = np.zeros((N, C, H, W), dtype=dout.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H):
                for j in range(W):
                    k = indices[n, c, i, j]
                    dx[n, c, i, j] = dout[n, c, k // W_out, k % W_out]
    return dx
