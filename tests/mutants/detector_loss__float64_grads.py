"""The images are turned into float64 first, so float32 params get float64 gradients."""
FUNCTION = "detector_loss"
FAMILY = "dtype"

import numpy as np


def detector_loss(params, images, labels):
    images, w, b, w_fc, b_fc = _check_detector_args(params, images)
    images = images.astype(np.float64)
    labels = _check_labels(labels, images.shape[0], w_fc.shape[1])
    conv = conv2d_forward(images, w, b)
    act = relu_forward(conv)
    pooled = global_max_pool_forward(act)
    logits = linear_forward(pooled, w_fc, b_fc)
    loss, dlogits = softmax_cross_entropy(logits, labels)
    dpooled, dw_fc, db_fc = linear_backward(dlogits, pooled, w_fc)
    dact = global_max_pool_backward(dpooled, act)
    dconv = relu_backward(dact, conv)
    _, dw, db = conv2d_backward(dconv, images, w)
    return loss, {"w": dw, "b": db, "w_fc": dw_fc, "b_fc": db_fc}
