"""The backward pass skips relu_backward, so a kernel that responds nowhere still gets a gradient."""
FUNCTION = "detector_loss"
FAMILY = "mask"

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
    _, dw, db = conv2d_backward(dact, images, w)
    return loss, {"w": dw, "b": db, "w_fc": dw_fc, "b_fc": db_fc}
