"""1-D scanning as a strided matrix; its input gradient as a full correlation."""
import numpy as np

from .padding import float_array


def _frames(x, F, stride):
    L_out = (len(x) - F) // stride + 1
    return np.lib.stride_tricks.as_strided(
        x, (L_out, F), (x.strides[0] * stride, x.strides[0]), writeable=False)


def scan1d(x, w, stride=1):
    x, w = float_array(x), float_array(w)
    return np.einsum("if,f->i", _frames(x, len(w), stride), w)


def scan1d_backward(dy, x, w, stride=1):
    dy, x, w = float_array(dy), float_array(x), float_array(w)
    dw = np.einsum("i,if->f", dy, _frames(x, len(w), stride))
    dilated = np.zeros((len(dy) - 1) * stride + 1, dtype=dy.dtype)
    dilated[::stride] = dy
    full = np.convolve(dilated, w)  # convolve flips w: the adjoint of correlation
    dx = np.zeros(len(x), dtype=np.result_type(dy, w))
    dx[:len(full)] = full
    return dx, dw


def detect(image, kernel):
    image, kernel = float_array(image), float_array(kernel)
    (H, W), (R, S) = image.shape, kernel.shape
    cols = np.stack([image[r:r + H - R + 1, s:s + W - S + 1].ravel()
                     for r in range(R) for s in range(S)], axis=1)
    response = cols @ kernel.ravel()
    best = int(np.flatnonzero(response == response.max())[0])
    return float(response[best]), divmod(best, W - S + 1)
