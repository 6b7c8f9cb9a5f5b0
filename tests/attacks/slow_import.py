"""Never finishes importing: an endless loop at module level.

The import has a time limit (the call timeout plus a grace period); the failure is remembered, so the
module's other functions fail at once instead of each waiting again.
"""
while True:
    pass


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    return (input_size - kernel_size + 2 * padding) // stride + 1


def same_padding(kernel_size):
    return (kernel_size - 1) // 2, kernel_size // 2


EXPECT = {
    "only": ("conv_output_size", "same_padding"),
    "timeout": 1.0,
    "outcome": {"score": 0, "status": "error", "says": "took longer than 6 s", "seconds": 12},
}
