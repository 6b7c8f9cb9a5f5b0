"""Assumes a square kernel: a pair (R, S) is counted as R * R."""
FUNCTION = "conv_param_count"
FAMILY = "pair"


def conv_param_count(in_channels, out_channels, kernel_size, bias=True):
    R = kernel_size[0] if isinstance(kernel_size, tuple) else kernel_size
    return out_channels * in_channels * R * R + (out_channels if bias else 0)
