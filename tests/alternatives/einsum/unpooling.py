"""Unpooling with einsum against a block of ones and with fancy indexing."""
import numpy as np

from .padding import float_array, pair


def unpool_nearest(x, scale):
    x = float_array(x)
    sh, sw = pair(scale)
    N, C, H, W = x.shape
    block = np.ones((sh, sw), dtype=x.dtype)
    return np.einsum("nchw,ab->nchawb", x, block).reshape(N, C, H * sh, W * sw)


def unpool_nearest_backward(dout, scale):
    dout = float_array(dout)
    sh, sw = pair(scale)
    N, C, Hs, Ws = dout.shape
    block = np.ones((sh, sw), dtype=dout.dtype)
    return np.einsum("nchawb,ab->nchw", dout.reshape(N, C, Hs // sh, sh, Ws // sw, sw), block)


def max_unpool(x, indices, output_size):
    x = float_array(x)
    H_out, W_out = pair(output_size)
    N, C = x.shape[:2]
    n, c, _, _ = np.indices(x.shape)
    indices = np.asarray(indices)
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    out[n, c, indices // W_out, indices % W_out] = x
    return out


def max_unpool_backward(dout, indices):
    dout = float_array(dout)
    indices = np.asarray(indices)
    W_out = dout.shape[3]
    n, c, _, _ = np.indices(indices.shape)
    return dout[n, c, indices // W_out, indices % W_out]
