"""Computes nothing itself: every function gets its answer from another exercise function, hoping that
the grader answers that one with the reference. conv2d_forward is built from conv2d_backward (a batch
of one-hot upstream gradients, one per output position: dx of each is the kernel placed there) and
conv2d_backward from conv2d_forward (conv is linear in x and in w: the forward of a batch of basis
images and of basis kernels gives the exact gradients); scan1d and avg_pool_forward run through conv2d_forward; max_pool_forward reads x at
max_pool_indices; max_pool_indices itself is left a stub.

Only a function's declared helpers are answered by the reference (conv2d: zero_pad and
conv_output_size; max_pool_backward: max_pool_indices), and none of these is one: each call runs the
student's own version, which is the mutual recursion or the stub, so every function loses its points.
"""
import numpy as np


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    raise NotImplementedError


def zero_pad(x, padding):
    raise NotImplementedError


def max_pool_indices(x, kernel_size, stride=None):
    raise NotImplementedError


def _pairs(stride, padding):
    sh, sw = (stride, stride) if np.isscalar(stride) else stride
    ph, pw = (padding, padding) if np.isscalar(padding) else padding
    return sh, sw, ph, pw


def conv2d_forward(x, w, b, stride=1, padding=0):
    x, w, b = np.asarray(x, float), np.asarray(w, float), np.asarray(b, float)
    (N, C, H, W), (K, _, R, S) = x.shape, w.shape
    sh, sw, ph, pw = _pairs(stride, padding)
    H_out, W_out = (H + 2 * ph - R) // sh + 1, (W + 2 * pw - S) // sw + 1
    # one upstream gradient per output position (k, i, j), batched: dx of each is the kernel placed there
    dout = np.eye(K * H_out * W_out).reshape(-1, K, H_out, W_out)
    dx, _, _ = conv2d_backward(dout, np.zeros((len(dout), C, H, W)), w, stride, padding)
    out = np.einsum("nchw,mchw->nm", x, dx).reshape(N, K, H_out, W_out)
    return out + b[:, None, None]


def conv2d_backward(dout, x, w, stride=1, padding=0):
    dout, x, w = np.asarray(dout, float), np.asarray(x, float), np.asarray(w, float)
    (N, C, H, W), (K, _, R, S) = x.shape, w.shape
    # conv is linear in x: the convolution of every basis image, in one batched call
    basis_x = np.eye(C * H * W).reshape(-1, C, H, W)
    responses = conv2d_forward(basis_x, w, np.zeros(K), stride, padding)
    dx = np.einsum("mkij,nkij->nm", responses, dout).reshape(x.shape)
    # and linear in w: one basis kernel per (c, r, s) gives every window element
    basis_w = np.eye(C * R * S).reshape(-1, C, R, S)
    windows = conv2d_forward(x, basis_w, np.zeros(len(basis_w)), stride, padding)
    dw = np.einsum("nkij,nmij->km", dout, windows).reshape(w.shape)
    return dx, dw, dout.sum(axis=(0, 2, 3))


def scan1d(x, w, stride=1):
    x, w = np.asarray(x, float), np.asarray(w, float)
    out = conv2d_forward(x[None, None, None, :], w[None, None, None, :], np.zeros(1), (1, stride), 0)
    return out[0, 0, 0]


def avg_pool_forward(x, kernel_size, stride=None):
    x = np.asarray(x, float)
    kh, kw = (kernel_size, kernel_size) if np.isscalar(kernel_size) else kernel_size
    stride = (kh, kw) if stride is None else stride
    N, C, H, W = x.shape
    mean = np.full((1, 1, kh, kw), 1.0 / (kh * kw))
    out = conv2d_forward(x.reshape(N * C, 1, H, W), mean, np.zeros(1), stride, 0)
    return out.reshape(N, C, *out.shape[2:])


def max_pool_forward(x, kernel_size, stride=None):
    x = np.asarray(x, float)
    N, C, H, W = x.shape
    idx = max_pool_indices(x, kernel_size, stride)
    return np.take_along_axis(x.reshape(N, C, H * W), idx.reshape(N, C, -1), axis=2).reshape(idx.shape)


EXPECT = {
    "only": ("conv2d_forward", "conv2d_backward", "scan1d", "avg_pool_forward", "max_pool_forward"),
    "examples": 2,
    "outcome": {"score": 0, "status": {"max_pool_forward": "not_implemented"}},
}
