"""Unpooling: enlarging feature maps again (decoders, segmentation networks).

Nearest unpooling repeats every value over a (sh, sw) block; max unpooling
puts every value back where max pooling found it and zeros elsewhere.
"""
import numpy as np

from ._args import as_float_array, as_index_array, as_pair, check_shape


def _check_indices(indices, plane_size):
    """Raise ``ValueError`` unless every flat index lies in [0, plane_size)."""
    if indices.size and (indices.min() < 0 or indices.max() >= plane_size):
        raise ValueError(f"'indices' must lie in [0, {plane_size}) "
                         f"(got min {indices.min()}, max {indices.max()})")


def unpool_nearest(x, scale):
    """Nearest-neighbour unpooling (upsampling) by ``scale = (sh, sw)``.

        out[n, c, i, j] = x[n, c, i // sh, j // sw]

    x (N, C, H, W) -> out (N, C, H*sh, W*sw).

    Graded: raises ValueError when scale < 1 or x is not 4-D (N, C, H, W).
    float32 x gives a float32 out, and x is not modified.
    """
    # BEGIN SOLUTION
    x = as_float_array(x, "x", ndim=4, layout="(N, C, H, W)")
    sh, sw = as_pair(scale, "scale", minimum=1)
    return x.repeat(sh, axis=2).repeat(sw, axis=3)
    # END SOLUTION


def unpool_nearest_backward(dout, scale):
    """Backward pass of ``unpool_nearest``: each input gets the sum of its block.

        dx[n, c, i, j] = sum_{a < sh, b < sw} dout[n, c, i*sh + a, j*sw + b]

    dout (N, C, H*sh, W*sw) -> dx (N, C, H, W).

    Graded: raises ValueError when dout's height or width is not a multiple
    of the scale, or when scale < 1. float32 dout gives a float32 dx, and
    dout is not modified.
    """
    # BEGIN SOLUTION
    dout = as_float_array(dout, "dout", ndim=4, layout="(N, C, H*sh, W*sw)")
    sh, sw = as_pair(scale, "scale", minimum=1)
    N, C, Hs, Ws = dout.shape
    if Hs % sh or Ws % sw:
        raise ValueError(f"'dout' spatial shape {(Hs, Ws)} must be a multiple of "
                         f"scale {(sh, sw)}")
    return dout.reshape(N, C, Hs // sh, sh, Ws // sw, sw).sum(axis=(3, 5))
    # END SOLUTION


def max_unpool(x, indices, output_size):
    """Max unpooling (PyTorch's ``MaxUnpool2d``): put every value back at its index.

    x (N, C, H, W) pooled values, indices (N, C, H, W) flat into the
    H_out*W_out plane (as returned by ``max_pool_indices``), output_size
    ``(H_out, W_out)``.

        out[n, c, idx // W_out, idx % W_out] = x[n, c, i, j],  idx = indices[n, c, i, j]

    and zeros elsewhere. Returns out (N, C, H_out, W_out).

    Graded: raises ValueError when an index lies outside [0, H_out * W_out)
    or indices is not shaped like x. float32 x gives a float32 out, and x and
    indices are not modified.
    """
    # BEGIN SOLUTION
    x = as_float_array(x, "x", ndim=4, layout="(N, C, H, W)")
    indices = as_index_array(indices, "indices")
    check_shape(indices, "indices", x.shape)
    H_out, W_out = as_pair(output_size, "output_size", minimum=1)
    _check_indices(indices, H_out * W_out)
    N, C = x.shape[:2]
    out = np.zeros((N, C, H_out * W_out), dtype=x.dtype)
    np.put_along_axis(out, indices.reshape(N, C, -1), x.reshape(N, C, -1), axis=2)
    return out.reshape(N, C, H_out, W_out)
    # END SOLUTION


def max_unpool_backward(dout, indices):
    """Backward pass of ``max_unpool``: gather the gradient at the indices.

        dx[n, c, i, j] = dout[n, c, idx // W_out, idx % W_out],  idx = indices[n, c, i, j]

    dout (N, C, H_out, W_out), indices (N, C, H, W) -> dx (N, C, H, W).

    Graded: raises ValueError when an index lies outside [0, H_out * W_out)
    of dout's plane. float32 dout gives a float32 dx, and dout and indices
    are not modified.
    """
    # BEGIN SOLUTION
    dout = as_float_array(dout, "dout", ndim=4, layout="(N, C, H_out, W_out)")
    indices = as_index_array(indices, "indices", ndim=4)
    N, C, H_out, W_out = dout.shape
    if indices.shape[:2] != (N, C):
        raise ValueError(f"dout and indices disagree on (N, C): dout.shape={dout.shape}, "
                         f"indices.shape={indices.shape}")
    _check_indices(indices, H_out * W_out)
    dx = np.take_along_axis(dout.reshape(N, C, -1), indices.reshape(N, C, -1), axis=2)
    return dx.reshape(indices.shape)
    # END SOLUTION
