"""params is read key by key without checking its keys, so an extra key goes unnoticed."""
FUNCTION = "predict"
FAMILY = "validation"

import numpy as np


def predict(params, images):
    pooled = global_max_pool_forward(relu_forward(conv2d_forward(images, params["w"], params["b"])))
    return np.argmax(linear_forward(pooled, params["w_fc"], params["b_fc"]), axis=1).astype(np.int64)
