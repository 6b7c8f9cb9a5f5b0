"""Helper answers sent along with a call: recorded from the reference, taken by the worker's proxies only for
exactly the same helper call."""

import numpy as np
import pytest

from grader.cases import Case
from grader.engine import FunctionContext
from grader.foreseen import foreseen
from grader.sandbox import Call, Target, Worker
from solutions import conv2d_forward

REFERENCE = '''
def g(x):
    return x * 10

def f(x):
    return g(x) + 1
'''
STUDENT = '''
def g(x):
    raise AssertionError("the student's own g must not run: it is answered by the reference")

def f(x):
    return g(x) + 1

def shifted(x):
    return g(x + 1) + 1
'''


def test_the_helper_calls_of_the_reference_are_recorded_with_its_answer():
    x, w, b = np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)), np.zeros(1)
    helpers, (ok, answer) = foreseen(conv2d_forward, ("zero_pad",), (x, w, b), {"stride": 1, "padding": 1})
    [(name, args, kwargs, padded)] = helpers
    assert name == "zero_pad" and args[0] is not x and np.array_equal(args[0], x) and args[1:] == ((1, 1),)
    assert padded.shape == (1, 1, 5, 5) and ok and answer.shape == (1, 1, 4, 4)
    helpers, (ok, error) = foreseen(conv2d_forward, ("zero_pad",), (x, w, b), {"stride": 0, "padding": 1})
    assert not ok and isinstance(error, ValueError)


@pytest.fixture
def worker_and_asked():
    """A worker whose helper g is the reference's, and the helper requests it gets."""
    reference, asked = {}, []
    exec(REFERENCE, reference)
    with Worker([{"name": "m", "filename": "m.py", "source": STUDENT}], mode="process",
                helper=lambda name, args, kwargs: reference[name](*args, **kwargs)) as worker:
        answer_helper = worker._answer_helper
        worker._answer_helper = lambda target, message, deadline: (asked.append(message["name"]),
                                                                   answer_helper(target, message, deadline))
        yield worker, reference, asked


def test_a_helper_call_the_reference_also_makes_needs_no_round_trip(worker_and_asked):
    worker, reference, asked = worker_and_asked
    ctx = FunctionContext(worker, Target("m", "f", ("g",)), reference["f"], 2.0)
    case = Case({"x": np.arange(3.0)})
    ctx.pending[("f",)] = Call(case.positional)
    ctx.send()
    ctx.finish()
    [answer] = ctx.batch.answers
    assert answer.ok and answer.value.tolist() == [1.0, 11.0, 21.0] and answer.helpers == ["g"]
    assert asked == [], "answered from the foreseen helper calls"


def test_other_helper_calls_are_asked_for_as_before(worker_and_asked):
    worker, reference, asked = worker_and_asked
    ctx = FunctionContext(worker, Target("m", "shifted", ("g",)), reference["f"], 2.0)
    case = Case({"x": np.arange(3.0)})
    ctx.pending[("shifted",)] = Call(case.positional)
    ctx.send()
    ctx.finish()
    [answer] = ctx.batch.answers
    assert answer.ok and answer.value.tolist() == [11.0, 21.0, 31.0]
    assert asked == ["g"]
