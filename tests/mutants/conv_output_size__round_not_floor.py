"""Uses round((I - F + 2P) / S) + 1, which rounds up half the time, instead of rounding down."""
FUNCTION = "conv_output_size"
FAMILY = "output size"


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    if stride < 1 or kernel_size < 1 or padding < 0 or kernel_size > input_size + 2 * padding:
        raise ValueError("the kernel does not fit")
    return round((input_size - kernel_size + 2 * padding) / stride) + 1
