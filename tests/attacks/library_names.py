"""Placed next to a correct submission as numpy.py and hypothesis.py: if the worker imported them instead
of the real libraries, they would break grading or fake the checks.

Only the exercise modules of a folder are read; the worker's numpy is imported before any submission
code, and hypothesis only runs in the grader. Full marks for the correct code.
"""
import sys

sys.exit("this module shadows a library @MARKER@")


def allclose(*args, **kwargs):
    return True


EXPECT = {
    "only": ("conv2d_forward", "same_padding"),
    "place": ["numpy.py", "hypothesis.py"],
    "solutions": True,
    "outcome": {"full": True},
}
