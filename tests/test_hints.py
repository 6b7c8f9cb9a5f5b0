"""Hints for a function that raised: about the exception, not the concept hint meant for wrong values."""

import numpy as np
import pytest

from grader.checks.conv import DW_HINT
from grader.hints import GENERAL, PAIR, exception_hint
from grader.runner import grade
from grading_helpers import copy_solutions


def raised(code: str) -> dict:
    """The error the worker would report for `code` (type, base classes and message)."""
    try:
        exec(code, {"np": np, "stride": (1, 1), "x": np.ones((1, 1, 3, 3))})
    except BaseException as exc:
        return {"type": type(exc).__name__, "mro": [c.__name__ for c in type(exc).__mro__], "message": str(exc)}
    raise AssertionError(f"{code!r} did not raise")


@pytest.mark.parametrize("code, phrase", [
    ("(3 - 2) // stride + 1", "(h, w) pair"),
    ("stride + 1", "(h, w) pair"),
    ("range(stride)", "(h, w) pair"),
    ("stride < 1", "(h, w) pair"),
    ("np.zeros((2, stride))", "(h, w) pair"),
    ("x[:, :, 2 * stride:3]", "(h, w) pair"),
    ("stride.shape", "(h, w) pair"),
    ("x[0, 0, 3, 0]", "an index runs past the end"),
    ("x[0, 0, 0, 0, 0]", "more axes than it has"),
    ("x[0, 0, 0:2] + x[0, 0]", "two arrays of different shapes met"),
    ("y = np.zeros((2, 2)); y[0:1] = np.ones((2, 2))", "two arrays of different shapes met"),
    ("N, C, H = x.shape", "wrong number of names"),
    ("if x: pass", "np.any"),
    ("1 // (3 - 3)", "a division by zero"),
    ("range(5 / 2)", "`//` keeps ints"),
    ("v = None\nv[0]", "ends without `return`"),
    ("def f():\n    total += 1\n    total = 0\nf()", "read before anything was assigned"),
    ("numpy.zeros(3)", "a name is used that is not defined"),
    ("[1, 2].shape", "np.asarray"),
    ("np.ones((2, 3)) @ np.ones((2, 3))", "a matrix product of shapes that do not fit"),
    ("np.dot(np.ones((2, 3)), np.ones((2, 3)))", "a matrix product of shapes that do not fit"),
    ("{'w': x}['w_fc']", "'w', 'b', 'w_fc' and 'b_fc'"),
])
def test_each_exception_gets_its_own_hint(code, phrase):
    assert phrase in exception_hint(raised(code))


def test_an_unknown_exception_gets_the_general_advice():
    assert exception_hint({"type": "RuntimeError", "mro": ["RuntimeError", "Exception"], "message": "x"}) == GENERAL
    assert exception_hint({}) == GENERAL


def test_a_crash_on_a_stride_pair_is_told_about_pairs_not_accumulation(tmp_path):
    """conv2d_backward that uses stride as an int: the crash on stride=(1, 1) gets the pair hint."""
    folder = copy_solutions(tmp_path / "sub")
    with (folder / "conv.py").open("a") as f:
        f.write("\n\n_reference_backward = conv2d_backward\n\n\n"
                "def conv2d_backward(dout, x, w, stride=1, padding=0):\n"
                "    H_out = (x.shape[2] - w.shape[2]) // stride + 1\n"
                "    return _reference_backward(dout, x, w, stride, padding)\n")
    backward = grade(folder, only=("conv2d_backward",), examples=8).function("conv2d_backward")
    crashed = [c for c in backward.checks if "raised TypeError" in c.feedback]
    assert crashed and backward.score < backward.max_score
    for check in crashed:
        assert f"Hint: {PAIR}" in check.feedback and DW_HINT not in check.feedback


def test_the_check_hint_follows_a_shape_error_but_not_a_named_mistake():
    from grader.engine import raised_text

    shapes = {"type": "ValueError", "mro": ["ValueError"], "message": "could not broadcast (2,3) into (2,0)"}
    pair = {"type": "TypeError", "mro": ["TypeError"], "message": "unsupported operand type(s) for +: 'int' and 'tuple'"}
    concept = "a slice like p:-p is empty when p is 0"
    assert f"What this check is about: {concept}" in raised_text("zero_pad", shapes, concept)
    assert "What this check is about" not in raised_text("conv2d_forward", pair, concept)
    assert "(h, w) pair" in raised_text("conv2d_forward", pair, concept)
