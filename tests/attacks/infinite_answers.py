"""Returns inf everywhere (with the right shape and dtype, arguments validated): if a tolerance were scaled
by the student's own values, inf would make it infinite and every comparison pass; the metamorphic
properties (linearity, shift equivariance, the adjoint identity) compare the student's outputs with each
other.

Tolerances come from the reference's answer only, and a non-finite value fails wherever it appears,
with a message that says so.
"""
import numpy as np
from _args import as_float_array, as_int, as_pair, check_shape, window_output_shape


def _inf(shape, *arrays):
    return np.full(shape, np.inf, dtype=np.result_type(*arrays))


def scan1d(x, w, stride=1):
    x = as_float_array(x, "x", ndim=1, layout="(L,)")
    w = as_float_array(w, "w", ndim=1, layout="(F,)")
    stride = as_int(stride, "stride", minimum=1)
    if w.shape[0] < 1 or w.shape[0] > x.shape[0]:
        raise ValueError(f"kernel of size {w.shape[0]} does not fit the input of size {x.shape[0]}")
    return _inf(((x.shape[0] - w.shape[0]) // stride + 1,), x, w)


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
    return _inf((x.shape[0], w.shape[0], H_out, W_out), x, w, b)


def conv2d_backward(dout, x, w, stride=1, padding=0):
    x, w, (H_out, W_out) = _conv_args(x, w, stride, padding)
    dout = as_float_array(dout, "dout", ndim=4, layout="(N, K, H_out, W_out)")
    check_shape(dout, "dout", (x.shape[0], w.shape[0], H_out, W_out))
    return _inf(x.shape, dout, w), _inf(w.shape, dout, x), _inf(w.shape[:1], dout)


def avg_pool_forward(x, kernel_size, stride=None):
    x = as_float_array(x, "x", ndim=4, layout="(N, C, H, W)")
    kernel = as_pair(kernel_size, "kernel_size", minimum=1)
    stride = kernel if stride is None else as_pair(stride, "stride", minimum=1)
    return _inf(x.shape[:2] + window_output_shape(x.shape[2:], kernel, stride, what="pooling window"), x)


EXPECT = {
    "only": ("scan1d", "conv2d_forward", "conv2d_backward", "avg_pool_forward"),
    "outcome": {"score": 0, "status": "failed", "says": "non-finite value"},
}
