"""The grading engine end to end: scores, statuses, determinism, seeds, no double penalty."""

import json
import re
import time

import pytest
from hypothesis import strategies as st

from grader.checks import REGISTRY, checks_for
from grader import engine
from grader.cases import Case
from grader.checks.base import Check, CheckFailed, StopFunction
from grader.catalog import FUNCTIONS
from grader.engine import FunctionContext, drawn_cases, run_check
from grader.sandbox import Target, Worker
from grader.policy import DEFAULT_POLICY
from grader.results import GradeResult
from grader.runner import grade, select_functions
from grader.sandbox import clean_site
from grading_helpers import SOLUTIONS, copy_solutions, mutate, stub_folder


def test_every_function_has_checks_and_the_points_total_100():
    assert {c.function for c in REGISTRY} == set(FUNCTIONS)
    assert sum(c.points for c in REGISTRY) == pytest.approx(100.0)
    for c in REGISTRY:
        assert c.points > 0 and c.statement and c.name


def test_check_names_are_unique_per_function():
    for name in FUNCTIONS:
        names = [c.name for c in checks_for(name)]
        assert len(names) == len(set(names)), name


def test_solutions_score_full_marks():
    result = grade(SOLUTIONS, examples=10)
    failed = [(f.name, c.name, c.feedback) for f, c in result.checks() if not c.passed]
    assert failed == []
    assert result.score == result.max_score == 100.0
    assert all(f.status == "passed" for f in result.functions)


def test_stubs_score_zero_and_say_not_implemented(tmp_path):
    result = grade(stub_folder(tmp_path / "stubs"), examples=5)
    assert result.score == 0.0
    assert {f.status for f in result.functions} == {"not_implemented"}
    assert result.elapsed_s < 30


def test_missing_module_is_reported_as_missing(tmp_path):
    folder = stub_folder(tmp_path / "partial")
    (folder / "pooling.py").unlink()
    result = grade(folder, only=("pooling", "unpooling"), examples=3)
    statuses = {f.module: f.status for f in result.functions}
    assert statuses["pooling"] == "missing"
    assert "pooling.py is not in the submission" in result.function("max_pool_forward").checks[0].feedback


def test_a_bug_costs_points_in_its_own_function_only(tmp_path):
    folder = mutate(tmp_path / "m", "conv", "return out + b[:, None, None]", "return out")
    result = grade(folder, only=("conv",), examples=10)
    forward, backward = result.function("conv2d_forward"), result.function("conv2d_backward")
    assert forward.status == "failed" and forward.score < forward.max_score
    assert backward.status == "passed"
    caught = [c for c in forward.checks if not c.passed]
    assert {c.name for c in caught} >= {"matches the reference", "adds the bias of each kernel"}
    assert "\nFailing case: " in caught[0].feedback and "Hint:" in caught[0].feedback  # a corner catches it


def test_contract_and_property_points_count_only_when_the_values_are_right(tmp_path):
    """A wrong value gates the function's contract, property and argument checks: those that hold are
    shown as advice at 0 points, so an answer that computes nothing earns nothing from them."""
    folder = mutate(tmp_path / "m", "conv", "return out + b[:, None, None]", "return out")
    forward = grade(folder, only=("conv2d_forward",), examples=10).function("conv2d_forward")
    gated = [c for c in forward.checks if "counts only once every value check" in c.feedback]
    assert {c.name for c in gated} >= {"is linear in x", "rejects bad arguments"}
    assert forward.score == 0 and all(c.score == 0 for c in gated)


def test_a_constant_answer_earns_nothing(tmp_path):
    folder = mutate(tmp_path / "m", "conv", "return out + b[:, None, None]",
                    "return np.full_like(out, 1e-300)")
    result = grade(folder, only=("conv2d_forward",), examples=10)
    assert result.function("conv2d_forward").score == 0


def test_helper_bug_is_not_charged_twice(tmp_path):
    """conv2d_forward calls zero_pad: a wrong zero_pad costs points in zero_pad only, with a note."""
    folder = mutate(tmp_path / "m", "padding", "    return x_pad\n", "    return x_pad + 1\n")
    result = grade(folder, only=("zero_pad", "conv2d_forward"), examples=10)
    assert result.function("zero_pad").status == "failed"
    forward = result.function("conv2d_forward")
    assert forward.status == "passed"
    assert any("reference zero_pad" in note for note in forward.notes)


def test_same_seed_same_json_apart_from_timing(tmp_path):
    folder = mutate(tmp_path / "m", "conv", "return out + b[:, None, None]", "return out")
    runs = [grade(folder, only=("conv2d_forward", "scan1d"), examples=10, seed=7).to_dict() for _ in range(2)]
    for run in runs:
        run.pop("elapsed_s")
    assert json.dumps(runs[0], sort_keys=True) == json.dumps(runs[1], sort_keys=True)


def test_a_different_seed_draws_different_examples():
    probe = Check("scan1d", "records cases", 1, "property", "records", st.integers(0, 10**9), lambda ctx, case: None)
    seen = {seed: [case for case, _ in drawn_cases(probe, 10, seed)] for seed in (0, 1)}
    assert seen[0] != seen[1] and len(set(seen[0])) == 10
    assert [case for case, _ in drawn_cases(probe, 10, 0)] == seen[0]


def test_a_failing_property_reports_the_smallest_case():
    def prop(ctx, case):
        if case >= 17:
            raise CheckFailed(f"{case} is too big")

    wrapped = Check("scan1d", "small", 1, "property", "values stay below 17",
                    st.integers(0, 1000).map(lambda n: Case({"n": n})),
                    lambda ctx, case: prop(ctx, case.args["n"]))
    result = run_check(wrapped, FunctionContext(None, Target("m", "scan1d"), None, 1.0), examples=50, seed=0)
    assert not result.passed and "n=17" in result.feedback and "17 is too big" in result.feedback


def test_only_accepts_functions_and_modules():
    assert select_functions(("pooling",))[0] == "max_pool_forward"
    assert select_functions(("zero_pad", "conv")) == ["zero_pad", "conv2d_forward", "conv2d_backward"]
    with pytest.raises(ValueError, match="unknown function or module 'nope'"):
        select_functions(("nope",))


def test_json_contract_round_trips():
    result = grade(SOLUTIONS, only=("scan1d",), examples=3)
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) >= {"score", "max_score", "seed_fingerprint", "grader_version", "elapsed_s", "submission",
                         "settings", "functions", "policy"}
    policy = DEFAULT_POLICY.with_settings(examples=3)
    assert data["settings"] == {"examples": 3, "timeout": 2.0, "policy": policy.fingerprint} and \
        data["policy"] == policy.fingerprint != DEFAULT_POLICY.fingerprint
    assert set(data["functions"][0]) >= {"name", "module", "score", "max_score", "status", "checks"}
    assert set(data["functions"][0]["checks"][0]) >= {"name", "score", "max_score", "passed", "feedback"}
    assert GradeResult.from_dict(data).to_dict() == data


def test_a_missing_sibling_module_does_not_stop_the_others(tmp_path):
    """conv.py alone still imports (`from .padding import zero_pad`) and is graded with the reference zero_pad."""
    folder = tmp_path / "only_conv"
    folder.mkdir()
    (folder / "conv.py").write_text((SOLUTIONS / "conv.py").read_text())
    result = grade(folder, only=("zero_pad", "conv2d_forward"), examples=3)
    assert result.function("zero_pad").status == "missing"
    forward = result.function("conv2d_forward")
    assert forward.status == "passed"
    assert any("zero_pad, which is missing" in note for note in forward.notes)


# ------------------------------------------------------------------------------------------ the engine
ENGINE_SOURCE = '''
import ctypes
def f(x):
    if x >= 900:
        while True:
            pass
    if x == 7:
        ctypes.string_at(0)
    return 2 * x
def wrong(x):
    return 2 * x + 1
def stub(x):
    raise NotImplementedError
def stub_after_zero(x):
    if x:
        raise NotImplementedError
    return 0
'''
NUMBERS = st.integers(0, 1000).map(lambda n: Case({"x": n}))


def doubles(ctx, case):
    got = ctx.call(case)
    if got != 2 * case.args["x"]:
        raise CheckFailed(f"expected {2 * case.args['x']}, got {got}")


def engine_check(prop=doubles, strategy=NUMBERS, name="doubles", corners=()):
    return Check("f", name, 1, "value", "f doubles", strategy, prop, corners=corners)


@pytest.fixture
def context():
    """A FunctionContext for a function of ENGINE_SOURCE, in a worker with a 0.5 s time limit."""
    with Worker([{"name": "m", "filename": "m.py", "source": ENGINE_SOURCE}], mode="process", timeout=0.5) as worker:
        yield lambda function: FunctionContext(worker, Target("m", function), lambda x: 2 * x, 0.5)


def test_a_timeout_stops_the_function_and_costs_one_time_limit(context):
    ctx, started = context("f"), time.monotonic()
    with pytest.raises(StopFunction) as stop:
        run_check(engine_check(), ctx, examples=30, seed=1)  # about 3 cases in 100 loop
    assert stop.value.status == "timeout" and "x=9" in stop.value.message
    assert time.monotonic() - started < 0.5 + 1.5


def test_a_crash_fails_its_check_and_grading_goes_on(context):
    ctx = context("f")
    crashed = run_check(engine_check(strategy=st.just(Case({"x": 7}))), ctx, examples=5, seed=0)
    assert not crashed.passed and "calling f crashed" in crashed.feedback and "SIGSEGV" in crashed.feedback
    assert run_check(engine_check(strategy=st.integers(0, 800).map(lambda n: Case({"x": n})), name="again"),
                     ctx, examples=20, seed=0).passed


def test_not_implemented_stops_the_function_only_on_its_first_call(context):
    with pytest.raises(StopFunction, match="not implemented"):
        run_check(engine_check(), context("stub"), examples=5, seed=0)
    later = run_check(engine_check(corners=(Case({"x": 0}),)), context("stub_after_zero"), examples=5, seed=0)
    assert not later.passed and "raised NotImplementedError" in later.feedback


def test_checks_on_the_same_cases_share_their_calls_and_references(context, monkeypatch):
    ctx, sent, references = context("f"), [], []
    real_send, real_reference = ctx.worker.send_calls, ctx.reference_function
    monkeypatch.setattr(ctx.worker, "send_calls", lambda target, calls, **kw: sent.extend(calls) or
                        real_send(target, calls, **kw))
    ctx.reference_function = lambda x: references.append(x) or real_reference(x)

    def against_reference(ctx, case):
        if ctx.call(case) != ctx.reference(case):
            raise CheckFailed("differs")

    small = st.integers(0, 800).map(lambda n: Case({"x": n}))
    for name in ("first", "second"):
        assert run_check(engine_check(against_reference, small, name), ctx, examples=20, seed=3).passed
    assert len(sent) == len({c.args for c in sent}) == 20 and len(references) == 20


def test_shrinking_a_failure_is_bounded_and_batched(context, monkeypatch):
    ctx, batches = context("wrong"), []
    real_send = ctx.worker.send_calls
    monkeypatch.setattr(ctx.worker, "send_calls", lambda target, calls, **kw: batches.append(len(calls)) or
                        real_send(target, calls, **kw))
    result = run_check(engine_check(strategy=st.integers(0, 800).map(lambda n: Case({"x": n}))), ctx, examples=32,
                       seed=0)
    assert not result.passed and "Smallest failing case: x=0" in result.feedback
    assert sum(batches[1:]) <= engine.SHRINK_CALL_BUDGET and len(batches) <= 3


def test_corners_run_first_in_their_order_and_a_failing_one_is_shown_as_declared(context, monkeypatch):
    ctx, batches = context("f"), []
    real_send = ctx.worker.send_calls
    monkeypatch.setattr(ctx.worker, "send_calls", lambda target, calls, **kw: batches.append(
        [c.args[0] for c in calls]) or real_send(target, calls, **kw))
    corners = (Case({"x": 5}), Case({"x": 7}))  # f crashes on 7
    result = run_check(engine_check(corners=corners), ctx, examples=8, seed=0)
    assert batches[0] == [5] and batches[1][0] == 7, "the first call alone, then the next corner before the rest"
    assert not result.passed and "\nFailing case: x=7\n" in result.feedback and "Smallest" not in result.feedback


def test_an_endless_loop_or_a_stub_costs_one_call(context, monkeypatch):
    worker, sent = context("f").worker, []
    real_send = worker.send_calls
    monkeypatch.setattr(worker, "send_calls", lambda target, calls, **kw: sent.append(len(calls)) or
                        real_send(target, calls, **kw))
    for function, status in (("f", "timeout"), ("stub", "not_implemented")):
        ctx = context(function)
        sent.clear()
        looping = st.integers(900, 1000).map(lambda n: Case({"x": n}))
        with pytest.raises(StopFunction) as stop:
            run_check(engine_check(strategy=looping), ctx, examples=10, seed=0)
        assert stop.value.status == status and sent == [1]


# ------------------------------------------------------------------------------ a module that does not import
BROKEN_PADDING = {
    "SyntaxError": ("    return x_pad\n", "    return x_pad[\n", "SyntaxError: '[' was never closed", "return x_pad["),
    "IndentationError": ("    return x_pad\n", "    return x_pad\n  oops = 1\n", "IndentationError: unindent does not "
                         "match any outer indentation level", "oops = 1"),
    "NameError": ("\ndef zero_pad", "\nTABLE = undefined_table + 1\n\n\ndef zero_pad",
                  "NameError: name 'undefined_table' is not defined", "TABLE = undefined_table + 1"),
    "ImportError": ("import numpy as np\n", "import numpy as np\nimport scipy_is_not_here\n",
                    "ModuleNotFoundError: No module named 'scipy_is_not_here'", "import scipy_is_not_here"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN_PADDING))
def test_a_module_that_does_not_import_costs_only_its_own_functions(tmp_path, kind):
    """conv.py and params.py import padding.py: they are graded with stand-ins for it, and the error is
    shown once, in Python's own form (file, line, the source line, a caret, the message)."""
    old, new, message, line = BROKEN_PADDING[kind]
    folder = mutate(tmp_path / "m", "padding", old, new)
    result = grade(folder, only=("zero_pad", "conv2d_forward", "network_param_count"), examples=3)
    pad = result.function("zero_pad")
    assert pad.status == "error" and pad.score == 0
    assert pad.checks[0].feedback.startswith("padding.py does not import (")
    for name in ("conv2d_forward", "network_param_count"):
        fn = result.function(name)
        assert fn.status == "passed" and fn.score == fn.max_score, (name, fn.checks)
        assert any("which is in a module that does not import" in note for note in fn.notes)
    shown = [note for note in result.notes if "padding.py does not import" in note]
    assert len(shown) == 1 and sum("does not import" in n for n in result.notes) == 1
    number = (folder / "padding.py").read_text().splitlines().index(next(
        text for text in (folder / "padding.py").read_text().splitlines() if text.strip() == line)) + 1
    assert f'File "padding.py", line {number}\n' in shown[0] and f"\n        {line}\n" in shown[0]
    assert re.search(r"\n        \s*\^+\n", shown[0]) and shown[0].endswith(message)


def test_a_module_whose_own_import_fails_is_the_one_stood_in_for(tmp_path):
    """A typo in conv.py's import of padding costs conv's functions, not padding's."""
    folder = mutate(tmp_path / "m", "conv", "from .padding import zero_pad", "from .padding import zeropad")
    result = grade(folder, only=("zero_pad", "conv"), examples=3)
    assert result.function("zero_pad").status == "passed"
    assert {result.function(n).status for n in ("conv2d_forward", "conv2d_backward")} == {"error"}
    assert any("conv.py does not import" in n and "cannot import name 'zeropad'" in n for n in result.notes)


def test_a_broken_copy_of_the_given_helpers_is_replaced_by_the_given_one(tmp_path):
    folder = copy_solutions(tmp_path / "m")
    (folder / "_args.py").write_text((folder / "_args.py").read_text() + "\ndef broken(:\n")
    result = grade(folder, only=("zero_pad", "scan1d"), examples=3)
    assert all(f.status == "passed" for f in result.functions)
    assert any(n.startswith("_args.py does not import, so the _args.py you were given was used") for n in result.notes)


def test_where_an_import_failed_is_trusted_only_for_a_module_of_the_submission():
    modules = [{"name": "padding"}, {"name": "conv"}]
    assert clean_site({"module": "conv", "line": 3, "col": 4, "end_col": 9}, modules) == {
        "module": "conv", "line": 3, "col": 4, "end_col": 9}
    assert clean_site({"module": "os", "line": 3}, modules) is None
    assert clean_site("padding", modules) is None
    assert clean_site({"module": "padding", "line": "3", "col": True, "end_col": -1}, modules) == {
        "module": "padding", "line": None, "col": None, "end_col": None}
