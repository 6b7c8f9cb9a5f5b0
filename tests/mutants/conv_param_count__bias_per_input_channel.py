"""Counts one bias per input channel (+ C) instead of one per kernel (+ K)."""
FUNCTION = "conv_param_count"
FAMILY = "bias"


def conv_param_count(in_channels, out_channels, kernel_size, bias=True):
    R, S = as_pair(kernel_size, "kernel_size")
    return out_channels * in_channels * R * S + (in_channels if bias else 0)
