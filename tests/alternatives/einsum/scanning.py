"""1-D scanning as a strided matrix; its input gradient as a full correlation."""
import numpy as np

from .padding import check, check_shape, check_window, float_array


def _arguments(x, w, stride):
    """Check x (L,), w (F,) and stride; return them, stride as an int."""
    x, w = float_array(x, "x", ndim=1), float_array(w, "w", ndim=1)
    check(stride >= 1, f"'stride' must be >= 1 (got {stride})")
    check(1 <= len(w) <= len(x), f"kernel of size {len(w)} does not fit the input of size {len(x)}")
    return x, w, int(stride)


def _frames(x, F, stride):
    L_out = (len(x) - F) // stride + 1
    return np.lib.stride_tricks.as_strided(
        x, (L_out, F), (x.strides[0] * stride, x.strides[0]), writeable=False)


def scan1d(x, w, stride=1):
    x, w, stride = _arguments(x, w, stride)
    return np.einsum("if,f->i", _frames(x, len(w), stride), w)


def scan1d_backward(dy, x, w, stride=1):
    x, w, stride = _arguments(x, w, stride)
    frames = _frames(x, len(w), stride)  # (L_out, F)
    dy = float_array(dy, "dy", ndim=1)
    check_shape(dy, "dy", frames.shape[:1])
    dw = np.einsum("i,if->f", dy, frames)
    dilated = np.zeros((len(dy) - 1) * stride + 1, dtype=dy.dtype)
    dilated[::stride] = dy
    full = np.convolve(dilated, w)  # convolve flips w: the adjoint of correlation
    dx = np.zeros(len(x), dtype=np.result_type(dy, w))
    dx[:len(full)] = full
    return dx, dw


def detect(image, kernel):
    image, kernel = float_array(image, "image", ndim=2), float_array(kernel, "kernel", ndim=2)
    (H, W), (R, S) = image.shape, kernel.shape
    check(min(R, S) >= 1, f"kernel {kernel.shape} does not fit the input (H, W)={image.shape}")
    check_window(image.shape, kernel.shape)
    cols = np.stack([image[r:r + H - R + 1, s:s + W - S + 1].ravel()
                     for r in range(R) for s in range(S)], axis=1)
    response = cols @ kernel.ravel()
    best = int(np.flatnonzero(response == response.max())[0])
    return float(response[best]), divmod(best, W - S + 1)
