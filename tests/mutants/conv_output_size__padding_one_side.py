"""Adds the padding once (I - F + P) instead of on both sides (2P)."""
FUNCTION = "conv_output_size"
FAMILY = "output size"


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    if stride < 1 or kernel_size < 1 or padding < 0 or kernel_size > input_size + 2 * padding:
        raise ValueError("the kernel does not fit")
    return (input_size - kernel_size + padding) // stride + 1
