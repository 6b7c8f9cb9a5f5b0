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
    # Your code here: repeat every value sh times down and sw times across.
    raise NotImplementedError


def unpool_nearest_backward(dout, scale):
    """Backward pass of ``unpool_nearest``: each input gets the sum of its block.

        dx[n, c, i, j] = sum_{a < sh, b < sw} dout[n, c, i*sh + a, j*sw + b]

    dout (N, C, H*sh, W*sw) -> dx (N, C, H, W).

    Graded: raises ValueError when dout's height or width is not a multiple
    of the scale, or when scale < 1. float32 dout gives a float32 dx, and
    dout is not modified.
    """
    # Your code here: sum dout over every (sh, sw) block.
    raise NotImplementedError


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
    # Your code here: zeros of the output size, then every value written at its flat index of its
    # plane.
    raise NotImplementedError


def max_unpool_backward(dout, indices):
    """Backward pass of ``max_unpool``: gather the gradient at the indices.

        dx[n, c, i, j] = dout[n, c, idx // W_out, idx % W_out],  idx = indices[n, c, i, j]

    dout (N, C, H_out, W_out), indices (N, C, H, W) -> dx (N, C, H, W).

    Graded: raises ValueError when an index lies outside [0, H_out * W_out)
    of dout's plane. float32 dout gives a float32 dx, and dout and indices
    are not modified.
    """
    # Your code here: read dout at every index of its plane.
    raise NotImplementedError
