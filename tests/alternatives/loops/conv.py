"""Convolution layer with one Python loop per index of the formula."""
import numpy as np

from .padding import float_array, pair, zero_pad


def conv2d_forward(x, w, b, stride=1, padding=0):
    x, w, b = float_array(x), float_array(w), float_array(b)
    (sh, sw), (ph, pw) = pair(stride), pair(padding)
    x_pad = zero_pad(x, (ph, pw))
    N, C, Hp, Wp = x_pad.shape
    K, _, R, S = w.shape
    H_out, W_out = (Hp - R) // sh + 1, (Wp - S) // sw + 1
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
    dout, x, w = float_array(dout), float_array(x), float_array(w)
    (sh, sw), (ph, pw) = pair(stride), pair(padding)
    x_pad = zero_pad(x, (ph, pw))
    N, C, H, W = x.shape
    K, _, R, S = w.shape
    _, _, H_out, W_out = dout.shape
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
