"""Nearest and max unpooling with one Python loop per index."""
import numpy as np

from .padding import float_array, pair


def unpool_nearest(x, scale):
    x = float_array(x)
    sh, sw = pair(scale)
    N, C, H, W = x.shape
    out = np.zeros((N, C, H * sh, W * sw), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H * sh):
                for j in range(W * sw):
                    out[n, c, i, j] = x[n, c, i // sh, j // sw]
    return out


def unpool_nearest_backward(dout, scale):
    dout = float_array(dout)
    sh, sw = pair(scale)
    N, C, Hs, Ws = dout.shape
    dx = np.zeros((N, C, Hs // sh, Ws // sw), dtype=dout.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(Hs):
                for j in range(Ws):
                    dx[n, c, i // sh, j // sw] += dout[n, c, i, j]
    return dx


def max_unpool(x, indices, output_size):
    x = float_array(x)
    H_out, W_out = pair(output_size)
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
    dout = float_array(dout)
    N, C, H, W = np.shape(indices)
    W_out = dout.shape[3]
    dx = np.zeros((N, C, H, W), dtype=dout.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H):
                for j in range(W):
                    k = indices[n, c, i, j]
                    dx[n, c, i, j] = dout[n, c, k // W_out, k % W_out]
    return dx
