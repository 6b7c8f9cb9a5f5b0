"""A module saved in Latin-1 instead of UTF-8 (an accented letter in a comment).

It is refused when the submission is read, with a message saying how to fix it.
"""
# Café


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    return (input_size - kernel_size + 2 * padding) // stride + 1


EXPECT = {
    "only": ("conv_output_size",),
    "outcome": {"score": 0, "status": "missing", "says": "is not UTF-8 text"},
}
