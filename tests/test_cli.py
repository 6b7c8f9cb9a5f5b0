"""The `grade` command: default subcommand, options, exit codes, output files."""

import json

from click.testing import CliRunner

from grader.cli import main
from grading_helpers import SOLUTIONS, stub_folder


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_grade_path_is_the_default_command_and_prints_a_report():
    result = run(SOLUTIONS, "--only", "conv2d_forward", "--examples", "3", "--no-color")
    assert result.exit_code == 0, result.output
    assert "conv2d_forward" in result.output and "Total: 9.0 / 9.0" in result.output
    assert "\x1b[" not in result.output


def test_json_to_a_file(tmp_path):
    out = tmp_path / "deep" / "result.json"
    result = run(SOLUTIONS, "--only", "conv", "--examples", "3", "--format", "json", "--output", out)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["score"] == data["max_score"] == 21.0 and data["seed"] == 0
    assert not list(out.parent.glob(".*.tmp"))


def test_fail_under_exits_1_below_the_score(tmp_path):
    stubs = stub_folder(tmp_path / "stubs")
    assert run(stubs, "--only", "conv", "--examples", "2", "--fail-under", "50").exit_code == 1
    assert run(SOLUTIONS, "--only", "conv", "--examples", "2", "--fail-under", "21").exit_code == 0


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
