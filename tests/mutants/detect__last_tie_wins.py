"""The scan keeps the best response with >=, so on ties the last position wins instead of the first."""
FUNCTION = "detect"
FAMILY = "ties"

import numpy as np


def detect(image, kernel):
    H, W = image.shape
    R, S = kernel.shape
    best, where = -np.inf, (0, 0)
    for i in range(H - R + 1):
        for j in range(W - S + 1):
            score = float(np.sum(image[i:i + R, j:j + S] * kernel))
            if score >= best:
                best, where = score, (i, j)
    return best, where
