"""The kernels' bias gradient is left at zero (only dw is taken from conv2d_backward)."""
FUNCTION = "detector_loss"
FAMILY = "bias"

import numpy as np


def detector_loss(params, images, labels):
    images, w, b, w_fc, b_fc = _check_detector_args(params, images)
    labels = _check_labels(labels, images.shape[0], w_fc.shape[1])
    conv = conv2d_forward(images, w, b)
    act = relu_forward(conv)
    pooled = global_max_pool_forward(act)
    logits = linear_forward(pooled, w_fc, b_fc)
    loss, dlogits = softmax_cross_entropy(logits, labels)
    dpooled, dw_fc, db_fc = linear_backward(dlogits, pooled, w_fc)
    dact = global_max_pool_backward(dpooled, act)
    dconv = relu_backward(dact, conv)
    _, dw, _ = conv2d_backward(dconv, images, w)
    return loss, {"w": dw, "b": np.zeros_like(b), "w_fc": dw_fc, "b_fc": db_fc}
