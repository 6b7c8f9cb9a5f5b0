"""The course's grading policy: points per function and kind, checks turned off, advice, the fingerprint."""

import json
import re

import pytest
from click.testing import CliRunner

from grader import policy as policy_module
from grader.batch_job import Settings
from grader.checks import checks_for
from grader.cli import main
from grader.policy import (ADVICE, DEFAULT_POLICY, PolicyError, find_policy, load_policy, parse_policy,
                           policy_start)
from grader.runner import grade
from grading_helpers import REPO, SOLUTIONS, copy_solutions, mutate

NO_VALIDATION = (REPO / "tests" / "mutants" / "scan1d__no_validation.py").read_text()


def write(path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def points_of(policy, function: str) -> dict:
    return {c.name: c.points for c in policy.checks_for(function)}


# ------------------------------------------------------------------------------------------ the default
def test_the_default_policy_is_the_declared_checks_and_is_documented():
    for function in ("conv2d_forward", "scan1d", "max_unpool_backward"):
        assert points_of(DEFAULT_POLICY, function) == {c.name: c.points for c in checks_for(function)}
    assert re.fullmatch(r"[0-9a-f]{12}", DEFAULT_POLICY.fingerprint)
    assert f"`{DEFAULT_POLICY.fingerprint}`" in (REPO / "README.md").read_text()


# ------------------------------------------------------------------------------------------ weights
def test_a_function_total_is_shared_by_its_checks_in_their_proportions():
    declared = {c.name: c.points for c in checks_for("conv2d_forward")}
    policy = parse_policy({"points": {"conv2d_forward": 26}})
    shares = points_of(policy, "conv2d_forward")
    assert sum(shares.values()) == pytest.approx(26) and shares.keys() == declared.keys()
    scale = 26 / sum(declared.values())
    assert all(abs(shares[n] - declared[n] * scale) <= 0.011 for n in declared)
    thirds = parse_policy({"points": {"scan1d": 10}, "kinds": {"errors": 0.5}})
    assert sum(points_of(thirds, "scan1d").values()) == pytest.approx(10)  # in hundredths that add up


def test_a_kind_factor_scales_every_check_of_that_kind(tmp_path):
    policy = parse_policy({"kinds": {"errors": 2, "property": 0.5}})
    for c in checks_for("scan1d"):
        factor = {"errors": 2, "property": 0.5}.get(c.kind, 1)
        assert points_of(policy, "scan1d")[c.name] == pytest.approx(c.points * factor)
    result = grade(SOLUTIONS, only=("scan1d",), examples=3, policy=policy)
    assert result.score == result.max_score == pytest.approx(sum(points_of(policy, "scan1d").values()))


def test_a_disabled_check_and_a_disabled_function_are_not_graded(tmp_path):
    off = next(c.name for c in checks_for("scan1d") if c.kind == "errors")
    policy = parse_policy({"disable": [f"scan1d: {off}", "detect"]})
    result = grade(SOLUTIONS, only=("scanning",), examples=3, policy=policy)
    assert [f.name for f in result.functions] == ["scan1d", "scan1d_backward"]
    assert off not in {c.name for c in result.function("scan1d").checks}
    assert result.function("scan1d").max_score == sum(c.points for c in checks_for("scan1d") if c.name != off)
    assert Settings(0, 3, ("scan1d", "detect"), 2.0, policy=policy).max_score() < Settings(
        0, 3, ("scan1d", "detect"), 2.0).max_score()


def test_a_kind_at_zero_points_still_runs_and_is_shown_as_advice(tmp_path):
    """scan1d without argument checks fails only its `errors` check: at 0 points that is advice."""
    folder = copy_solutions(tmp_path / "sub")
    with (folder / "scanning.py").open("a") as f:
        f.write("\n\n" + NO_VALIDATION)
    default = grade(folder, only=("scan1d",), examples=5).function("scan1d")
    assert default.status == "failed" and default.score < default.max_score
    scan1d = grade(folder, only=("scan1d",), examples=5,
                   policy=parse_policy({"kinds": {"errors": 0}})).function("scan1d")
    advice = [c for c in scan1d.checks if c.kind == "errors"]
    assert advice and all(c.advice and c.max_score == 0 and not c.passed for c in advice)
    assert advice[0].feedback.startswith(ADVICE) and "ValueError" in advice[0].feedback
    assert scan1d.status == "passed" and scan1d.score == scan1d.max_score > 0


def test_value_checks_at_zero_points_still_gate_the_rest(tmp_path):
    """The policy applies before gating: a wrong answer earns no property points even when the value
    checks themselves are worth nothing, and whatever factor the contract checks get."""
    folder = mutate(tmp_path / "m", "conv", "return out + b[:, None, None]", "return out")
    policy = parse_policy({"kinds": {"value": 0, "contract": 3}})
    forward = grade(folder, only=("conv2d_forward",), examples=5, policy=policy).function("conv2d_forward")
    values = [c for c in forward.checks if c.kind == "value"]
    assert values and all(c.advice and not c.passed and c.max_score == 0 for c in values)
    assert forward.score == 0 and forward.max_score > 0 and forward.status == "failed"
    gated = [c for c in forward.checks if c.kind in ("property", "contract", "errors") and c.max_score > 0]
    assert gated and all(c.score == 0 for c in gated)


# ------------------------------------------------------------------------------------------ fingerprint
def test_the_fingerprint_follows_what_can_change_a_score():
    base = parse_policy({"points": {"scan1d": 10}, "kinds": {"errors": 0}}, "a.toml")
    same = parse_policy({"kinds": {"errors": 0.0}, "points": {"scan1d": 10.0}}, "elsewhere/b.toml")
    assert base.fingerprint == same.fingerprint
    assert base.with_settings(submission_timeout=30).fingerprint == base.fingerprint
    others = [parse_policy({"points": {"scan1d": 11}, "kinds": {"errors": 0}}),
              parse_policy({"points": {"scan1d": 10}}),
              parse_policy({"points": {"scan1d": 10}, "kinds": {"errors": 0}, "disable": ["detect"]}),
              base.with_settings(examples=9), base.with_settings(timeout=3)]
    assert len({base.fingerprint, *(p.fingerprint for p in others)}) == len(others) + 1


def test_every_report_carries_the_fingerprint(tmp_path):
    course = tmp_path / "course"
    write(course / "convgrade.toml", "examples = 3\n[points]\nscan1d = 10\n")
    copy_solutions(course / "work")
    run = CliRunner().invoke(main, [str(course / "work"), "--only", "scan1d", "--format", "json"])
    assert run.exit_code == 0, run.output
    assert f"note: grading policy: {course / 'convgrade.toml'}\n" == run.stderr
    data = json.loads(run.stdout)
    expected = load_policy(course / "convgrade.toml").fingerprint
    assert data["policy"] == expected != DEFAULT_POLICY.fingerprint
    assert data["max_score"] == 10
    for fmt in ("text", "gradescope", "junit", "github"):
        run = CliRunner().invoke(main, [str(course / "work"), "--only", "scan1d", "--format", fmt, "--no-color"],
                                 env={"GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")})
        assert run.exit_code == 0 and (expected in run.output or expected in (tmp_path / "summary.md").read_text())
    assert f"policy {expected}" in (tmp_path / "summary.md").read_text()


def test_the_batch_cache_key_includes_the_policy():
    policy = parse_policy({"points": {"scan1d": 10}})
    plain, weighted = Settings(0, 3, ("scan1d",), 2.0), Settings(0, 3, ("scan1d",), 2.0, policy=policy)
    assert plain.key("abc") != weighted.key("abc")
    assert weighted.as_dict()["policy"] == policy.fingerprint
    assert json.dumps(weighted.as_dict())  # recorded in each submission's state


# ------------------------------------------------------------------------------------------ finding it
def test_the_policy_is_found_above_what_is_graded_but_never_inside_it(tmp_path):
    course = tmp_path / "course"
    write(course / "pyproject.toml", '[project]\nname = "course"\n\n[tool.convgrade.points]\nscan1d = 10\n')
    write(course / "work" / "convgrade.toml", "[points]\nscan1d = 1000\n")  # a student's own file
    (course / "work" / "scanning.py").write_text("")
    found = find_policy(policy_start(course / "work"))
    assert found.points == {"scan1d": 10.0} and found.source.endswith("pyproject.toml [tool.convgrade]")
    write(tmp_path / "other" / "pyproject.toml", '[project]\nname = "x"\n')  # no table: look further up
    assert find_policy(tmp_path / "other") is DEFAULT_POLICY


def test_both_files_in_one_folder_is_an_error(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.convgrade]\nexamples = 3\n")
    write(tmp_path / "convgrade.toml", "examples = 4\n")
    with pytest.raises(PolicyError, match="keep one of them"):
        find_policy(tmp_path)


# ------------------------------------------------------------------------------------------ bad files
@pytest.mark.parametrize("text, message", [
    ("[points]\nconv2d_forward = -1\n", "'points.conv2d_forward' must be >= 0 (got -1)"),
    ("examplez = 3\n", "unknown key 'examplez'; the keys are examples, timeout"),
    ("[points]\nconv2d_fwd = 3\n", "'points.conv2d_fwd' is not an exercise function; choose from fc_param_count"),
    ("[kinds]\nstyle = 0\n", "'kinds.style' is not a kind of check; choose from value, gradient"),
    ("[kinds]\nerrors = true\n", "'kinds.errors' must be a number (got True)"),
    ("examples = 0\n", "'examples' must be >= 1 (got 0)"),
    ('examples = "20"\n', "'examples' must be an integer (got '20')"),
    ("examples = 2.5\n", "'examples' must be an integer (got 2.5)"),
    ("timeout = 1000\n", "'timeout' must be <= 600 (got 1000)"),
    ('disable = "detect"\n', "'disable' must be a list of strings (got 'detect')"),
    ('disable = ["scan1d: is fast"]\n', "scan1d has no check 'is fast'; its checks are: matches the reference"),
    ('disable = ["scan2d"]\n', "'scan2d' is not an exercise function"),
    ('disable = ["detect"]\n[points]\ndetect = 3\n', "'points.detect' is set, but detect is disabled"),
    ("[kinds]\nvalue = 0\nproperty = 0\n[points]\nconv_param_count = 3\n",
     "'points.conv_param_count' is 3, but every check of conv_param_count is disabled or of a kind worth 0"),
    ("points = 3\n", "'points' must be a table of numbers (got 3)"),
    ("[points\n", "is not valid TOML"),
])
def test_a_bad_policy_file_gets_a_clear_message(tmp_path, text, message):
    path = write(tmp_path / "convgrade.toml", text)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert str(caught.value).startswith(f"{path}")
    assert message in str(caught.value)


def test_turning_off_every_value_check_of_a_function_is_refused():
    """Its contract and property points would then reward an answer that computes nothing."""
    names = [f"conv2d_forward: {c.name}" for c in checks_for("conv2d_forward") if c.kind == "value"]
    with pytest.raises(PolicyError, match="turns off every value check of conv2d_forward"):
        parse_policy({"disable": names})
    assert parse_policy({"disable": names + ["conv2d_forward"]}).functions(["conv2d_forward"]) == []


def test_a_bad_policy_is_a_usage_error_naming_the_file(tmp_path):
    path = write(tmp_path / "course" / "pyproject.toml", "[tool.convgrade.points]\nconv2d_forward = -1\n")
    copy_solutions(tmp_path / "course" / "work")
    run = CliRunner().invoke(main, [str(tmp_path / "course" / "work"), "--only", "scan1d"])
    assert run.exit_code == 2 and "Traceback" not in run.output
    assert f"{path} [tool.convgrade]: 'points.conv2d_forward' must be >= 0 (got -1)" in run.output
    write(tmp_path / "plain" / "pyproject.toml", '[project]\nname = "x"\n')
    run = CliRunner().invoke(main, [str(SOLUTIONS), "--policy", str(tmp_path / "plain" / "pyproject.toml")])
    assert run.exit_code == 2 and "has no [tool.convgrade] table" in run.output


def test_the_command_line_overrides_the_policy_settings(tmp_path):
    path = write(tmp_path / "convgrade.toml", "examples = 30\ntimeout = 5\n")
    policy = load_policy(path).with_settings(examples=4)
    assert (policy.examples, policy.timeout) == (4, 5.0)
    assert load_policy(path).with_settings().examples == 30


def test_without_a_toml_reader_only_a_policy_file_is_an_error(tmp_path, monkeypatch):
    """Python 3.10 without tomli: unrelated pyproject files are skipped, a policy says what to install."""
    monkeypatch.setattr(policy_module, "tomllib", None)
    write(tmp_path / "a" / "pyproject.toml", '[project]\nname = "convgrade"\n[tool.pytest]\nx = "convgrade = 1"\n')
    assert find_policy(tmp_path / "a") is DEFAULT_POLICY
    assert find_policy(REPO) is DEFAULT_POLICY  # this project's own pyproject.toml
    for table in ("[tool.convgrade]\nexamples = 3\n", "[tool]\nconvgrade = {examples = 3}\n",
                  "[tool.convgrade.points]\nscan1d = 1\n", '[tool]\n"convgrade".examples = 3\n'):
        write(tmp_path / "c" / "pyproject.toml", table)
        with pytest.raises(PolicyError, match="needs Python >= 3.11"):
            find_policy(tmp_path / "c")
    write(tmp_path / "b" / "convgrade.toml", "examples = 3\n")
    with pytest.raises(PolicyError, match=r"needs Python >= 3.11 \(tomllib\) or the tomli package"):
        find_policy(tmp_path / "b")


def test_a_batch_grades_under_the_policy_above_the_class_and_regrades_when_it_changes(tmp_path):
    course = tmp_path / "course"
    policy_file = write(course / "convgrade.toml", "examples = 3\n[points]\nscan1d = 10\n")
    copy_solutions(course / "class" / "alice")
    out = tmp_path / "out"

    def batch():
        run = CliRunner().invoke(main, ["batch", str(course / "class"), "-o", str(out), "--only", "scan1d",
                                        "--jobs", "1"], catch_exceptions=False)
        assert run.exit_code == 0, run.output
        return run.output

    batch()
    fingerprint = load_policy(policy_file).fingerprint
    result = json.loads((out / "results" / "alice.json").read_text())
    assert result["policy"] == fingerprint and result["max_score"] == 10
    assert f"policy {fingerprint}" in (out / "summary.md").read_text()
    assert "1 unchanged" in batch()
    policy_file.write_text("examples = 3\n[points]\nscan1d = 20\n")
    assert "1 graded now" in batch()
    assert json.loads((out / "results" / "alice.json").read_text())["max_score"] == 20
