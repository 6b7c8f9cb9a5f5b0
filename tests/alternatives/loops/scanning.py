"""1-D scanning and 2-D detection with one loop per index of the formula."""
import numpy as np

from .padding import float_array


def scan1d(x, w, stride=1):
    x, w = float_array(x), float_array(w)
    L, F = len(x), len(w)
    L_out = (L - F) // stride + 1
    y = np.zeros(L_out, dtype=np.result_type(x, w))
    for i in range(L_out):
        for j in range(F):
            y[i] += w[j] * x[i * stride + j]
    return y


def scan1d_backward(dy, x, w, stride=1):
    dy, x, w = float_array(dy), float_array(x), float_array(w)
    dx = np.zeros(len(x), dtype=np.result_type(dy, w))
    dw = np.zeros(len(w), dtype=np.result_type(dy, x))
    for i in range(len(dy)):
        for j in range(len(w)):
            dx[i * stride + j] += dy[i] * w[j]
            dw[j] += dy[i] * x[i * stride + j]
    return dx, dw


def detect(image, kernel):
    image, kernel = float_array(image), float_array(kernel)
    H, W = image.shape
    R, S = kernel.shape
    best, where = None, None
    for i in range(H - R + 1):
        for j in range(W - S + 1):
            score = 0.0
            for r in range(R):
                for s in range(S):
                    score += kernel[r, s] * image[i + r, j + s]
            if best is None or score > best:  # strict: the first maximum wins
                best, where = score, (i, j)
    return float(best), where
