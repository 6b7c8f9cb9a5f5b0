"""Max and average pooling with one Python loop per index."""
import numpy as np

from .padding import check_fits, check_shape, count_positions, float_array, pair


def _geometry(x, kernel_size, stride):
    """Check the window and the stride against x; return kh, kw, sh, sw, H_out, W_out."""
    (kh, kw) = pair(kernel_size, "kernel_size", 1)
    (sh, sw) = (kh, kw) if stride is None else pair(stride, "stride", 1)
    H, W = x.shape[2:]
    check_fits((kh, kw), (H, W), "pooling window")
    return kh, kw, sh, sw, count_positions(H, kh, sh), count_positions(W, kw, sw)


def _gradient(dout, x, H_out, W_out):
    """Check that dout is shaped like the output (N, C, H_out, W_out)."""
    dout = float_array(dout, "dout", ndim=4)
    check_shape(dout, "dout", x.shape[:2] + (H_out, W_out))
    return dout


def max_pool_indices(x, kernel_size, stride=None):
    x = float_array(x, "x", ndim=4)
    kh, kw, sh, sw, H_out, W_out = _geometry(x, kernel_size, stride)
    N, C, H, W = x.shape
    idx = np.zeros((N, C, H_out, W_out), dtype=np.int64)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    best = None
                    for a in range(kh):
                        for b in range(kw):
                            row, col = i * sh + a, j * sw + b
                            if best is None or x[n, c, row, col] > best:
                                best = x[n, c, row, col]
                                idx[n, c, i, j] = row * W + col
    return idx


def max_pool_forward(x, kernel_size, stride=None):
    x = float_array(x, "x", ndim=4)
    kh, kw, sh, sw, H_out, W_out = _geometry(x, kernel_size, stride)
    N, C = x.shape[:2]
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    out[n, c, i, j] = max(x[n, c, i * sh + a, j * sw + b]
                                          for a in range(kh) for b in range(kw))
    return out


def max_pool_backward(dout, x, kernel_size, stride=None):
    x = float_array(x, "x", ndim=4)
    _, _, _, _, H_out, W_out = _geometry(x, kernel_size, stride)
    dout = _gradient(dout, x, H_out, W_out)
    idx = max_pool_indices(x, kernel_size, stride)
    N, C, H, W = x.shape
    dx = np.zeros(x.shape, dtype=np.result_type(dout, x))
    for n in range(N):
        for c in range(C):
            for i in range(idx.shape[2]):
                for j in range(idx.shape[3]):
                    k = idx[n, c, i, j]
                    dx[n, c, k // W, k % W] += dout[n, c, i, j]
    return dx


def avg_pool_forward(x, kernel_size, stride=None):
    x = float_array(x, "x", ndim=4)
    kh, kw, sh, sw, H_out, W_out = _geometry(x, kernel_size, stride)
    N, C = x.shape[:2]
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    total = 0.0
                    for a in range(kh):
                        for b in range(kw):
                            total += x[n, c, i * sh + a, j * sw + b]
                    out[n, c, i, j] = total / (kh * kw)
    return out


def avg_pool_backward(dout, x, kernel_size, stride=None):
    x = float_array(x, "x", ndim=4)
    kh, kw, sh, sw, H_out, W_out = _geometry(x, kernel_size, stride)
    dout = _gradient(dout, x, H_out, W_out)
    N, C = x.shape[:2]
    dx = np.zeros(x.shape, dtype=np.result_type(dout, x))
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    for a in range(kh):
                        for b in range(kw):
                            dx[n, c, i * sh + a, j * sw + b] += dout[n, c, i, j] / (kh * kw)
    return dx
