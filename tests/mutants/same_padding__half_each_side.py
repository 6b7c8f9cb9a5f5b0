"""Pads k // 2 on each side, which is one zero too many for even kernels."""
FUNCTION = "same_padding"
FAMILY = "same padding"


def same_padding(kernel_size):
    return kernel_size // 2, kernel_size // 2
