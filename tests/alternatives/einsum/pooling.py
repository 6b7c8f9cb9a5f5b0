"""Pooling over as_strided windows; scattering with np.bincount."""
import numpy as np

from .padding import float_array, pair, windows


def _windows(x, kernel_size, stride):
    kernel = pair(kernel_size)
    return windows(x, kernel, kernel if stride is None else pair(stride)), kernel


def max_pool_indices(x, kernel_size, stride=None):
    x = float_array(x)
    W = x.shape[3]
    # Window of positions: index every pixel by its flat position and pool that too.
    pos = np.arange(x.shape[2] * W, dtype=np.float64).reshape(1, 1, -1, W)
    win, (kh, kw) = _windows(x, kernel_size, stride)
    pos_win, _ = _windows(pos, kernel_size, stride)
    flat = win.reshape(*win.shape[:4], kh * kw)
    is_max = flat == flat.max(axis=-1, keepdims=True)
    first = is_max.argmax(axis=-1)  # first True
    pos_flat = np.broadcast_to(pos_win.reshape(1, 1, *pos_win.shape[2:4], kh * kw),
                               flat.shape)
    return np.take_along_axis(pos_flat, first[..., None], axis=-1)[..., 0].astype(np.int64)


def max_pool_forward(x, kernel_size, stride=None):
    x = float_array(x)
    win, _ = _windows(x, kernel_size, stride)
    return win.max(axis=(4, 5))


def max_pool_backward(dout, x, kernel_size, stride=None):
    dout, x = float_array(dout), float_array(x)
    N, C, H, W = x.shape
    idx = max_pool_indices(x, kernel_size, stride).reshape(N * C, -1)
    flat = (idx + (H * W) * np.arange(N * C)[:, None]).ravel()
    dx = np.bincount(flat, weights=dout.ravel(), minlength=N * C * H * W)
    return dx.reshape(x.shape).astype(np.result_type(dout, x))


def avg_pool_forward(x, kernel_size, stride=None):
    x = float_array(x)
    win, (kh, kw) = _windows(x, kernel_size, stride)
    return np.einsum("ncijab->ncij", win) / x.dtype.type(kh * kw)


def avg_pool_backward(dout, x, kernel_size, stride=None):
    dout, x = float_array(dout), float_array(x)
    N, C, H, W = x.shape
    win_pos, (kh, kw) = _windows(np.arange(H * W, dtype=np.float64).reshape(1, 1, H, W),
                                 kernel_size, stride)
    pos = win_pos[0, 0].astype(np.int64)  # (H_out, W_out, kh, kw) flat positions
    share = np.broadcast_to((dout / (kh * kw))[..., None, None], (N, C) + pos.shape)
    flat = (pos[None, None] + (H * W) * np.arange(N * C).reshape(N, C, 1, 1, 1, 1)).ravel()
    dx = np.bincount(flat, weights=share.ravel(), minlength=N * C * H * W)
    return dx.reshape(x.shape).astype(np.result_type(dout, x))
