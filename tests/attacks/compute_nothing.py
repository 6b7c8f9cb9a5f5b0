"""Computes nothing, carefully: every array function validates its arguments exactly as the API asks
(the shared _args helpers), then returns 1e-300 everywhere (index 0 for max_pool_indices), with the right
shape and dtype and without touching its inputs. 1e-300 is not all zeros, and far below every tolerance.

Contract, property and argument points count only once a function's value checks pass, and the
metamorphic checks refuse answers that do not depend on the input: nothing is earned anywhere.
"""
import numpy as np
from _args import as_float_array, as_index_array, as_int, as_pair, check_shape, is_int, window_output_shape

TINY = 1e-300


def _tiny(shape, *arrays):
    return np.full(shape, TINY, dtype=np.result_type(*arrays))


def zero_pad(x, padding):
    x = as_float_array(x, "x", ndim=4, layout="(N, C, H, W)")
    if isinstance(padding, (tuple, list)) and len(padding) == 2 and not any(is_int(p) for p in padding):
        top, bottom = as_pair(padding[0], "padding[0]", minimum=0)
        left, right = as_pair(padding[1], "padding[1]", minimum=0)
    else:
        top, left = bottom, right = as_pair(padding, "padding", minimum=0)
    N, C, H, W = x.shape
    return _tiny((N, C, top + H + bottom, left + W + right), x)


def _scan_args(x, w, stride):
    x = as_float_array(x, "x", ndim=1, layout="(L,)")
    w = as_float_array(w, "w", ndim=1, layout="(F,)")
    stride = as_int(stride, "stride", minimum=1)
    if w.shape[0] < 1 or w.shape[0] > x.shape[0]:
        raise ValueError(f"kernel of size {w.shape[0]} does not fit the input of size {x.shape[0]}")
    return x, w, (x.shape[0] - w.shape[0]) // stride + 1


def scan1d(x, w, stride=1):
    x, w, L_out = _scan_args(x, w, stride)
    return _tiny((L_out,), x, w)


def scan1d_backward(dy, x, w, stride=1):
    x, w, L_out = _scan_args(x, w, stride)
    dy = as_float_array(dy, "dy", ndim=1, layout="(L_out,)")
    check_shape(dy, "dy", (L_out,))
    return _tiny(x.shape, dy, w), _tiny(w.shape, dy, x)


def _conv_args(x, w, stride, padding):
    x = as_float_array(x, "x", ndim=4, layout="(N, C, H, W)")
    w = as_float_array(w, "w", ndim=4, layout="(K, C, R, S)")
    if x.shape[1] != w.shape[1]:
        raise ValueError(f"x and w disagree on channels: x.shape={x.shape}, w.shape={w.shape}")
    stride, padding = as_pair(stride, "stride", minimum=1), as_pair(padding, "padding", minimum=0)
    return x, w, window_output_shape(x.shape[2:], w.shape[2:], stride, padding)


def conv2d_forward(x, w, b, stride=1, padding=0):
    x, w, (H_out, W_out) = _conv_args(x, w, stride, padding)
    b = as_float_array(b, "b", ndim=1, layout="(K,)")
    check_shape(b, "b", (w.shape[0],))
    return _tiny((x.shape[0], w.shape[0], H_out, W_out), x, w, b)


def conv2d_backward(dout, x, w, stride=1, padding=0):
    x, w, (H_out, W_out) = _conv_args(x, w, stride, padding)
    dout = as_float_array(dout, "dout", ndim=4, layout="(N, K, H_out, W_out)")
    check_shape(dout, "dout", (x.shape[0], w.shape[0], H_out, W_out))
    return _tiny(x.shape, dout, w), _tiny(w.shape, dout, x), _tiny(w.shape[:1], dout)


def _pool_args(x, kernel_size, stride):
    x = as_float_array(x, "x", ndim=4, layout="(N, C, H, W)")
    kernel = as_pair(kernel_size, "kernel_size", minimum=1)
    stride = kernel if stride is None else as_pair(stride, "stride", minimum=1)
    return x, x.shape[:2] + window_output_shape(x.shape[2:], kernel, stride, what="pooling window")


def _pool_backward_args(dout, x, kernel_size, stride):
    x, out_shape = _pool_args(x, kernel_size, stride)
    dout = as_float_array(dout, "dout", ndim=4, layout="(N, C, H_out, W_out)")
    check_shape(dout, "dout", out_shape)
    return _tiny(x.shape, dout, x)


def max_pool_indices(x, kernel_size, stride=None):
    return np.zeros(_pool_args(x, kernel_size, stride)[1], dtype=np.int64)


def max_pool_forward(x, kernel_size, stride=None):
    x, out_shape = _pool_args(x, kernel_size, stride)
    return _tiny(out_shape, x)


def max_pool_backward(dout, x, kernel_size, stride=None):
    return _pool_backward_args(dout, x, kernel_size, stride)


def avg_pool_forward(x, kernel_size, stride=None):
    x, out_shape = _pool_args(x, kernel_size, stride)
    return _tiny(out_shape, x)


def avg_pool_backward(dout, x, kernel_size, stride=None):
    return _pool_backward_args(dout, x, kernel_size, stride)


def unpool_nearest(x, scale):
    x = as_float_array(x, "x", ndim=4, layout="(N, C, H, W)")
    sh, sw = as_pair(scale, "scale", minimum=1)
    N, C, H, W = x.shape
    return _tiny((N, C, H * sh, W * sw), x)


def unpool_nearest_backward(dout, scale):
    dout = as_float_array(dout, "dout", ndim=4, layout="(N, C, H*sh, W*sw)")
    sh, sw = as_pair(scale, "scale", minimum=1)
    N, C, Hs, Ws = dout.shape
    if Hs % sh or Ws % sw:
        raise ValueError(f"'dout' spatial shape {(Hs, Ws)} must be a multiple of scale {(sh, sw)}")
    return _tiny((N, C, Hs // sh, Ws // sw), dout)


def _check_indices(indices, plane_size):
    if indices.size and (indices.min() < 0 or indices.max() >= plane_size):
        raise ValueError(f"'indices' must lie in [0, {plane_size}) (got min {indices.min()}, max {indices.max()})")


def max_unpool(x, indices, output_size):
    x = as_float_array(x, "x", ndim=4, layout="(N, C, H, W)")
    indices = as_index_array(indices, "indices")
    check_shape(indices, "indices", x.shape)
    H_out, W_out = as_pair(output_size, "output_size", minimum=1)
    _check_indices(indices, H_out * W_out)
    return _tiny(x.shape[:2] + (H_out, W_out), x)


def max_unpool_backward(dout, indices):
    dout = as_float_array(dout, "dout", ndim=4, layout="(N, C, H_out, W_out)")
    indices = as_index_array(indices, "indices", ndim=4)
    N, C, H_out, W_out = dout.shape
    if indices.shape[:2] != (N, C):
        raise ValueError(f"dout and indices disagree on (N, C): dout.shape={dout.shape}, "
                         f"indices.shape={indices.shape}")
    _check_indices(indices, H_out * W_out)
    return _tiny(indices.shape, dout)


EXPECT = {
    "only": ("zero_pad", "scan1d", "scan1d_backward", "conv2d_forward", "conv2d_backward", "max_pool_indices",
             "max_pool_forward", "max_pool_backward", "avg_pool_forward", "avg_pool_backward", "unpool_nearest",
             "unpool_nearest_backward", "max_unpool", "max_unpool_backward"),
    "outcome": {"score": 0, "says": "counts only once every value check"},
}
