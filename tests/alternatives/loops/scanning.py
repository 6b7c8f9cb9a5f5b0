"""1-D scanning and 2-D detection with one loop per index of the formula."""
import numpy as np

from .padding import at_least, check_fits, check_shape, count_positions, float_array


def _arguments(x, w, stride):
    """Check x (L,), w (F,) and stride; return them with L_out."""
    x, w = float_array(x, "x", ndim=1), float_array(w, "w", ndim=1)
    stride = at_least(stride, "stride", 1)
    L, F = len(x), len(w)
    if F < 1 or F > L:
        raise ValueError(f"kernel of size {F} does not fit the input of size {L}")
    return x, w, stride, count_positions(L, F, stride)


def scan1d(x, w, stride=1):
    x, w, stride, L_out = _arguments(x, w, stride)
    F = len(w)
    y = np.zeros(L_out, dtype=np.result_type(x, w))
    for i in range(L_out):
        for j in range(F):
            y[i] += w[j] * x[i * stride + j]
    return y


def scan1d_backward(dy, x, w, stride=1):
    x, w, stride, L_out = _arguments(x, w, stride)
    dy = float_array(dy, "dy", ndim=1)
    check_shape(dy, "dy", (L_out,))
    dx = np.zeros(len(x), dtype=np.result_type(dy, w))
    dw = np.zeros(len(w), dtype=np.result_type(dy, x))
    for i in range(len(dy)):
        for j in range(len(w)):
            dx[i * stride + j] += dy[i] * w[j]
            dw[j] += dy[i] * x[i * stride + j]
    return dx, dw


def detect(image, kernel):
    image, kernel = float_array(image, "image", ndim=2), float_array(kernel, "kernel", ndim=2)
    H, W = image.shape
    R, S = kernel.shape
    if R < 1 or S < 1:
        raise ValueError(f"kernel {kernel.shape} does not fit the input (H, W)={image.shape}")
    check_fits((R, S), (H, W), "kernel")
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
