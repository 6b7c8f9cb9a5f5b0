"""Recorded answers as a reference source: recorded on the grader's own cases, replayed by the engine."""

import numpy as np
import pytest
from hypothesis import strategies as st

from grader.cases import Case
from grader.checks import checks_for
from grader.checks.base import Check
from grader.engine import FunctionContext, drawn_cases, run_check
from grader.recorded import FunctionRecord, RecordedReference, question
from grader.recording import RECORDED_CASES, helper_signatures, record_function
from grader.reference import live_reference
from grader.sandbox import Target

SEED = 20240611


@pytest.mark.parametrize("function", ["conv2d_forward", "zero_pad", "max_pool_backward", "avg_pool_backward"])
def test_the_recorded_cases_are_the_ones_the_grader_judges_at_the_release_seed(function):
    live = live_reference()
    record = record_function(function, live, SEED, helper_signatures(live))
    replayed = [check for check in checks_for(function) if check.name in record.checks]
    assert any(check.kind == "value" for check in replayed)
    for check in replayed:
        recorded = [question(function, record.cases[i]) for i in record.checks[check.name]]
        drawn = {question(function, case) for case, _ in drawn_cases(check, RECORDED_CASES, SEED)}
        assert len(recorded) == len(set(recorded)) == len(drawn) >= RECORDED_CASES, check.name
        assert set(recorded) == drawn, check.name


def test_a_question_the_recording_cannot_answer_fails_its_check_with_a_plain_message():
    case = Case({"x": np.arange(3.0), "w": np.ones(2)})
    recording = RecordedReference({"scan1d": FunctionRecord(cases=[case], checks={"probe": [0]})}, {}, "0" * 8)
    asks_elsewhere = Check("scan1d", "probe", 1, "value", "asks about another input", st.just(case),
                           lambda ctx, c: ctx.reference(c.with_args(x=2 * c.args["x"])))
    result = run_check(asks_elsewhere, FunctionContext(None, Target("m", "scan1d"), recording, 1.0), examples=5,
                       seed=0)
    assert not result.passed and "cannot say more here" in result.feedback
    assert "\nFailing case: x (3,), w (2,)\n" in result.feedback, "shown as it was recorded, not shrunk"
