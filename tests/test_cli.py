"""The `grade` command: default subcommand, options, exit codes, output files."""

import json

from click.testing import CliRunner

from grader.cli import main
from grader.results import seed_fingerprint
from grading_helpers import SOLUTIONS, stub_folder


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_grade_path_is_the_default_command_and_prints_a_report():
    result = run(SOLUTIONS, "--only", "conv2d_forward", "--examples", "3", "--no-color")
    assert result.exit_code == 0, result.output
    assert "conv2d_forward" in result.output and "Total: 14.0 / 14.0" in result.output
    assert "\x1b[" not in result.output


def test_json_to_a_file(tmp_path):
    out = tmp_path / "deep" / "result.json"
    result = run(SOLUTIONS, "--only", "conv", "--examples", "3", "--format", "json", "--output", out)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["score"] == data["max_score"] == 30.0 and data["seed_fingerprint"] == "5feceb66"
    assert not list(out.parent.glob(".*.tmp"))


def test_fail_under_exits_1_below_the_score(tmp_path):
    stubs = stub_folder(tmp_path / "stubs")
    assert run(stubs, "--only", "conv", "--examples", "2", "--fail-under", "50").exit_code == 1
    assert run(SOLUTIONS, "--only", "conv", "--examples", "2", "--fail-under", "30").exit_code == 0


def test_usage_errors_exit_2_with_a_clear_message(tmp_path):
    missing = run(tmp_path / "nowhere")
    assert missing.exit_code == 2 and "does not exist" in missing.output
    unknown = run(SOLUTIONS, "--only", "convolution")
    assert unknown.exit_code == 2 and "unknown function or module 'convolution'" in unknown.output
    bad_format = run(SOLUTIONS, "--format", "pdf")
    assert bad_format.exit_code == 2
    (tmp_path / "notes.txt").write_text("hello")
    wrong_kind = run(tmp_path / "notes.txt")
    assert wrong_kind.exit_code == 2 and "not a folder, a .py file or a .ipynb" in wrong_kind.output


def test_default_path_missing_suggests_init(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run()
    assert result.exit_code == 2 and "grade init" in result.output


def test_single_file_submission(tmp_path):
    single = tmp_path / "mine.py"
    single.write_text((SOLUTIONS / "scanning.py").read_text().replace("from ._args", "from _args"))
    result = run(single, "--only", "scanning", "--examples", "3", "--format", "json")
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["score"] == data["max_score"] > 0


def test_an_infrastructure_failure_exits_3_and_writes_no_report(tmp_path, monkeypatch):
    import sys

    from grader.sandbox import InfrastructureError

    check_command = sys.modules["grader.commands.check"]  # (the package exports the command under that name)

    def broken(*args, **kwargs):
        raise InfrastructureError("the process sandbox did not start: the worker process ended unexpectedly")

    monkeypatch.setattr(check_command, "grade", broken)
    result = run(SOLUTIONS, "--only", "scan1d", "--output", tmp_path / "report.txt")
    assert result.exit_code == 3 and "grading stopped: the process sandbox did not start" in result.output
    assert "No report was written" in result.output and not (tmp_path / "report.txt").exists()


def test_the_seed_comes_from_a_file_or_the_environment_never_twice(tmp_path):
    (tmp_path / "seed").write_text("4242\n")
    args = [SOLUTIONS, "--only", "fc_param_count", "--examples", "1", "--format", "json"]
    from_file = run(*args, "--seed-file", tmp_path / "seed")
    assert from_file.exit_code == 0 and json.loads(from_file.output)["seed_fingerprint"] == seed_fingerprint(4242)
    twice = run(*args, "--seed-file", tmp_path / "seed", "--seed", "1")
    assert twice.exit_code == 2 and "not both" in twice.output
    (tmp_path / "seed").write_text("not a number 4242\n")
    bad = run(*args, "--seed-file", tmp_path / "seed")
    assert bad.exit_code == 2 and "must hold one integer" in bad.output and "4242" not in bad.output
