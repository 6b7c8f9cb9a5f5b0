"""A scale pair is unpacked as (sw, sh), so the blocks are sw rows high and sh columns wide."""
FUNCTION = "unpool_nearest_backward"
FAMILY = "height and width"

import numpy as np


def unpool_nearest_backward(dout, scale):
    dout = as_float_array(dout, "dout", ndim=4)
    sw, sh = as_pair(scale, "scale", minimum=1)
    N, C, Hs, Ws = dout.shape
    if Hs % sh or Ws % sw:
        raise ValueError(f"'dout' spatial shape {(Hs, Ws)} must be a multiple of scale {(sh, sw)}")
    return dout.reshape(N, C, Hs // sh, sh, Ws // sw, sw).sum(axis=(3, 5))
