"""For even kernels the extra zero goes before (k // 2, k - 1 - k // 2) instead of after."""
FUNCTION = "same_padding"
FAMILY = "same padding"


def same_padding(kernel_size):
    before = kernel_size // 2
    return before, kernel_size - 1 - before
