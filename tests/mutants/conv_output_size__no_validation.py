"""No validation: a kernel larger than the padded input gives 0 or less, stride 0 raises ZeroDivisionError."""
FUNCTION = "conv_output_size"
FAMILY = "validation"


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    return (input_size - kernel_size + 2 * padding) // stride + 1
