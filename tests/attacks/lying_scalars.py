"""Returns a float subclass and a tuple subclass whose __eq__ always says True and whose __int__,
__len__ and __iter__ lie.

Scalars and tuples cross to the grader as plain JSON numbers and lists: only their true values arrive.
"""


class Always(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__

    def __int__(self):
        return 3


class Pair(tuple):
    def __eq__(self, other):
        return True

    __hash__ = tuple.__hash__


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    return Always(0.5)


def same_padding(kernel_size):
    return Pair((Always(-1.5), Always(-1.5)))


EXPECT = {
    "only": ("conv_output_size", "same_padding"),
    "outcome": {"score": 0, "status": "failed"},
}
