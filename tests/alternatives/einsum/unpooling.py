"""Unpooling with einsum against a block of ones and with fancy indexing."""
import numpy as np

from .padding import check, check_shape, float_array, pair


def _check_indices(indices, plane_size):
    """Every flat index must lie in [0, plane_size): a negative one would wrap around."""
    inside = (indices >= 0) & (indices < plane_size)
    check(inside.all(), f"'indices' must lie in [0, {plane_size}) (got {indices[~inside][:3].tolist()})")


def unpool_nearest(x, scale):
    x = float_array(x, "x", ndim=4)
    sh, sw = pair(scale, "scale", 1)
    N, C, H, W = x.shape
    block = np.ones((sh, sw), dtype=x.dtype)
    return np.einsum("nchw,ab->nchawb", x, block).reshape(N, C, H * sh, W * sw)


def unpool_nearest_backward(dout, scale):
    dout = float_array(dout, "dout", ndim=4)
    sh, sw = pair(scale, "scale", 1)
    N, C, Hs, Ws = dout.shape
    check(Hs % sh == 0 and Ws % sw == 0,
          f"'dout' spatial shape {(Hs, Ws)} must be a multiple of scale {(sh, sw)}")
    block = np.ones((sh, sw), dtype=dout.dtype)
    return np.einsum("nchawb,ab->nchw", dout.reshape(N, C, Hs // sh, sh, Ws // sw, sw), block)


def max_unpool(x, indices, output_size):
    x = float_array(x, "x", ndim=4)
    indices = np.asarray(indices)
    check_shape(indices, "indices", x.shape)
    H_out, W_out = pair(output_size, "output_size", 1)
    _check_indices(indices, H_out * W_out)
    N, C = x.shape[:2]
    n, c, _, _ = np.indices(x.shape)
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    out[n, c, indices // W_out, indices % W_out] = x
    return out


def max_unpool_backward(dout, indices):
    dout = float_array(dout, "dout", ndim=4)
    indices = np.asarray(indices)
    check(indices.ndim == 4 and indices.shape[:2] == dout.shape[:2],
          f"dout and indices disagree on (N, C): dout.shape={dout.shape}, indices.shape={indices.shape}")
    _check_indices(indices, dout.shape[2] * dout.shape[3])
    W_out = dout.shape[3]
    n, c, _, _ = np.indices(indices.shape)
    return dout[n, c, indices // W_out, indices % W_out]
