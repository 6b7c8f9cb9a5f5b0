"""Counts only the K * C * R * S weights and forgets the K biases."""
FUNCTION = "conv_param_count"
FAMILY = "bias"


def conv_param_count(in_channels, out_channels, kernel_size, bias=True):
    R, S = as_pair(kernel_size, "kernel_size")
    return out_channels * in_channels * R * S
