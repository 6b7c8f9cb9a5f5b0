"""Labels are used as indices unchecked: -1 silently picks the last class."""
FUNCTION = "softmax_cross_entropy"
FAMILY = "validation"

import numpy as np


def softmax_cross_entropy(logits, labels):
    logits = as_float_array(logits, "logits", ndim=2)
    N, M = logits.shape
    labels = np.asarray(labels)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(N)
    dlogits = np.exp(log_p)
    dlogits[rows, labels] -= 1
    return float(-log_p[rows, labels].mean()), dlogits / N
