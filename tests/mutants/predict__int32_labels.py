"""The labels are returned as int32 instead of int64."""
FUNCTION = "predict"
FAMILY = "dtype"

import numpy as np


def predict(params, images):
    images, w, b, w_fc, b_fc = _check_detector_args(params, images)
    pooled = global_max_pool_forward(relu_forward(conv2d_forward(images, w, b)))
    return np.argmax(linear_forward(pooled, w_fc, b_fc), axis=1).astype(np.int32)
