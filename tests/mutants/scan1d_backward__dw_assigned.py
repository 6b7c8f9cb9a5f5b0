"""dw[j] is assigned (=) at each position instead of accumulated (+=): the shared weight keeps one position's gradient."""
FUNCTION = "scan1d_backward"
FAMILY = "accumulation"

import numpy as np


def scan1d_backward(dy, x, w, stride=1):
    x, w = as_float_array(x, "x", ndim=1), as_float_array(w, "w", ndim=1)
    stride = as_int(stride, "stride", minimum=1)
    if not 1 <= len(w) <= len(x):
        raise ValueError(f"kernel of size {len(w)} does not fit the input of size {len(x)}")
    check_shape(dy, "dy", ((len(x) - len(w)) // stride + 1,))
    L, F = len(x), len(w)
    dx = np.zeros(L, dtype=np.result_type(dy, w))
    dw = np.zeros(F, dtype=np.result_type(dy, x))
    for i in range(len(dy)):
        for j in range(F):
            dx[i * stride + j] += dy[i] * w[j]
            dw[j] = dy[i] * x[i * stride + j]
    return dx, dw
