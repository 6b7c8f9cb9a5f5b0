"""Pooling over as_strided windows; scattering with np.bincount."""
import numpy as np

from .padding import check_shape, check_window, float_array, pair, windows


def _geometry(x, kernel_size, stride):
    """Check x (N, C, H, W), the window and the stride; return x, kernel (kh, kw), stride (sh, sw)."""
    x = float_array(x, "x", ndim=4)
    kernel = pair(kernel_size, "kernel_size", 1)
    stride = kernel if stride is None else pair(stride, "stride", 1)
    check_window(x.shape[2:], kernel, "pooling window")
    return x, kernel, stride


def _gradient(dout, x, kernel, stride):
    """Check that dout (N, C, H_out, W_out) is shaped like the pooled output of x."""
    dout = float_array(dout, "dout", ndim=4)
    check_shape(dout, "dout", windows(x, kernel, stride).shape[:4])
    return dout


def max_pool_indices(x, kernel_size, stride=None):
    x, (kh, kw), stride = _geometry(x, kernel_size, stride)
    W = x.shape[3]
    # Window of positions: index every pixel by its flat position and pool that too.
    pos = np.arange(x.shape[2] * W, dtype=np.float64).reshape(1, 1, -1, W)
    win = windows(x, (kh, kw), stride)
    pos_win = windows(pos, (kh, kw), stride)
    flat = win.reshape(*win.shape[:4], kh * kw)
    is_max = flat == flat.max(axis=-1, keepdims=True)
    first = is_max.argmax(axis=-1)  # first True
    pos_flat = np.broadcast_to(pos_win.reshape(1, 1, *pos_win.shape[2:4], kh * kw),
                               flat.shape)
    return np.take_along_axis(pos_flat, first[..., None], axis=-1)[..., 0].astype(np.int64)


def max_pool_forward(x, kernel_size, stride=None):
    x, kernel, stride = _geometry(x, kernel_size, stride)
    return windows(x, kernel, stride).max(axis=(4, 5))


def max_pool_backward(dout, x, kernel_size, stride=None):
    x, kernel, step = _geometry(x, kernel_size, stride)
    dout = _gradient(dout, x, kernel, step)
    N, C, H, W = x.shape
    idx = max_pool_indices(x, kernel_size, stride).reshape(N * C, -1)
    flat = (idx + (H * W) * np.arange(N * C)[:, None]).ravel()
    dx = np.bincount(flat, weights=dout.ravel(), minlength=N * C * H * W)
    return dx.reshape(x.shape).astype(np.result_type(dout, x))


def avg_pool_forward(x, kernel_size, stride=None):
    x, (kh, kw), stride = _geometry(x, kernel_size, stride)
    return np.einsum("ncijab->ncij", windows(x, (kh, kw), stride)) / x.dtype.type(kh * kw)


def avg_pool_backward(dout, x, kernel_size, stride=None):
    x, (kh, kw), stride = _geometry(x, kernel_size, stride)
    dout = _gradient(dout, x, (kh, kw), stride)
    N, C, H, W = x.shape
    win_pos = windows(np.arange(H * W, dtype=np.float64).reshape(1, 1, H, W), (kh, kw), stride)
    pos = win_pos[0, 0].astype(np.int64)  # (H_out, W_out, kh, kw) flat positions
    share = np.broadcast_to((dout / (kh * kw))[..., None, None], (N, C) + pos.shape)
    flat = (pos[None, None] + (H * W) * np.arange(N * C).reshape(N, C, 1, 1, 1, 1)).ravel()
    dx = np.bincount(flat, weights=share.ravel(), minlength=N * C * H * W)
    return dx.reshape(x.shape).astype(np.result_type(dout, x))
