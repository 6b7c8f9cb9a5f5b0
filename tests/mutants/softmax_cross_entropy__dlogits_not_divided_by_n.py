"""dlogits is softmax - onehot, without dividing by N as the averaged loss requires."""
FUNCTION = "softmax_cross_entropy"
FAMILY = "mean"

import numpy as np


def softmax_cross_entropy(logits, labels):
    logits = as_float_array(logits, "logits", ndim=2)
    N, M = logits.shape
    labels = _check_labels(labels, N, M)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(N)
    dlogits = np.exp(log_p)
    dlogits[rows, labels] -= 1
    return float(-log_p[rows, labels].mean()), dlogits
