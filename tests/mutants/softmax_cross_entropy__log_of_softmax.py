"""The loss is log(softmax): a probability that underflows to 0 gives an infinite loss."""
FUNCTION = "softmax_cross_entropy"
FAMILY = "stable"

import numpy as np


def softmax_cross_entropy(logits, labels):
    logits = as_float_array(logits, "logits", ndim=2)
    N, M = logits.shape
    labels = _check_labels(labels, N, M)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    rows = np.arange(N)
    with np.errstate(divide="ignore"):
        loss = -np.log(p[rows, labels]).mean()
    p[rows, labels] -= 1
    return float(loss), p / N
