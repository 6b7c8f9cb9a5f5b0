"""The gradient is computed in float64, whatever the dtype of logits."""
FUNCTION = "softmax_cross_entropy"
FAMILY = "dtype"

import numpy as np


def softmax_cross_entropy(logits, labels):
    logits = as_float_array(logits, "logits", ndim=2).astype(np.float64)
    N, M = logits.shape
    labels = _check_labels(labels, N, M)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(N)
    dlogits = np.exp(log_p)
    dlogits[rows, labels] -= 1
    return float(-log_p[rows, labels].mean()), dlogits / N
