"""A module that does not parse (a missing closing parenthesis on line 8).

The import fails with the SyntaxError and its line, once for the module; nothing else is affected.
"""


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    return (input_size - kernel_size + 2 * padding // stride + 1


EXPECT = {
    "only": ("conv_output_size", "same_padding"),
    "outcome": {"score": 0, "status": "error", "says": ["SyntaxError", "line 8"]},
}
