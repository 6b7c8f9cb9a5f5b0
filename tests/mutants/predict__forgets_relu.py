"""The relu is left out, so a kernel that responds nowhere contributes its negative maximum."""
FUNCTION = "predict"
FAMILY = "relu"

import numpy as np


def predict(params, images):
    images, w, b, w_fc, b_fc = _check_detector_args(params, images)
    pooled = global_max_pool_forward(conv2d_forward(images, w, b))
    return np.argmax(linear_forward(pooled, w_fc, b_fc), axis=1).astype(np.int64)
