"""Convolution layer with one Python loop per index of the formula."""
import numpy as np

from .padding import check_fits, check_shape, count_positions, float_array, pair, zero_pad


def _arguments(x, w, stride, padding):
    """Check x, w, stride and padding; return them with the output size (H_out, W_out)."""
    x, w = float_array(x, "x", ndim=4), float_array(w, "w", ndim=4)
    if x.shape[1] != w.shape[1]:
        raise ValueError(f"x and w disagree on channels: x.shape={x.shape}, w.shape={w.shape}")
    (sh, sw), (ph, pw) = pair(stride, "stride", 1), pair(padding, "padding", 0)
    Hp, Wp = x.shape[2] + 2 * ph, x.shape[3] + 2 * pw
    R, S = w.shape[2:]
    check_fits((R, S), (Hp, Wp), "kernel", "padded input" if ph or pw else "input")
    out_size = count_positions(Hp, R, sh), count_positions(Wp, S, sw)
    return x, w, (sh, sw), (ph, pw), out_size


def conv2d_forward(x, w, b, stride=1, padding=0):
    x, w, (sh, sw), (ph, pw), (H_out, W_out) = _arguments(x, w, stride, padding)
    b = float_array(b, "b", ndim=1)
    check_shape(b, "b", w.shape[:1])
    x_pad = zero_pad(x, (ph, pw))
    N, C = x.shape[:2]
    K, _, R, S = w.shape
    out = np.zeros((N, K, H_out, W_out), dtype=np.result_type(x, w, b))
    for n in range(N):
        for k in range(K):
            for i in range(H_out):
                for j in range(W_out):
                    total = b[k]
                    for c in range(C):
                        for r in range(R):
                            for s in range(S):
                                total += w[k, c, r, s] * x_pad[n, c, i * sh + r, j * sw + s]
                    out[n, k, i, j] = total
    return out


def conv2d_backward(dout, x, w, stride=1, padding=0):
    x, w, (sh, sw), (ph, pw), (H_out, W_out) = _arguments(x, w, stride, padding)
    N, C, H, W = x.shape
    K, _, R, S = w.shape
    dout = float_array(dout, "dout", ndim=4)
    check_shape(dout, "dout", (N, K, H_out, W_out))
    x_pad = zero_pad(x, (ph, pw))
    dx_pad = np.zeros(x_pad.shape, dtype=np.result_type(dout, w))
    dw = np.zeros(w.shape, dtype=np.result_type(dout, x))
    db = np.zeros(K, dtype=dout.dtype)
    for n in range(N):
        for k in range(K):
            for i in range(H_out):
                for j in range(W_out):
                    g = dout[n, k, i, j]
                    db[k] += g
                    for c in range(C):
                        for r in range(R):
                            for s in range(S):
                                dw[k, c, r, s] += g * x_pad[n, c, i * sh + r, j * sw + s]
                                dx_pad[n, c, i * sh + r, j * sw + s] += g * w[k, c, r, s]
    return dx_pad[:, :, ph:ph + H, pw:pw + W], dw, db
