"""params is read key by key without checking its keys, so an extra key goes unnoticed."""
FUNCTION = "detector_loss"
FAMILY = "validation"

import numpy as np


def detector_loss(params, images, labels):
    w, b, w_fc, b_fc = params["w"], params["b"], params["w_fc"], params["b_fc"]
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
