"""The `grade` command: default subcommand, options, exit codes, output files."""

import fnmatch
import importlib
import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from grader.catalog import FUNCTIONS
from grader.cli import main
from grader.results import seed_fingerprint
from grading_helpers import REPO, SOLUTIONS, stub_folder


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="grade", catch_exceptions=False)


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
    assert data["score"] == data["max_score"] == 21.0 and data["seed_fingerprint"] == "5feceb66"
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


def test_help_shows_the_grading_options_and_sets_instructor_commands_apart():
    result = run("--help")
    assert result.exit_code == 0
    text = result.output
    assert text.startswith("Usage: grade [OPTIONS] [PATH]\n       grade COMMAND [ARGS]...\n")
    grading, rest = text.split("Grading options:")[1].split("\nOptions:")
    for option in ("--only", "--seed", "--examples", "--timeout", "--sandbox", "--format", "--output",
                   "--fail-under"):
        assert option in grading
    students, instructors = rest.split("Commands:")[1].split("Instructor commands:")
    assert "\n  init " in students
    assert not any(f"\n  {c} " in students for c in ("batch", "merge", "release", "generate", "audit"))
    for command in ("batch", "merge", "release", "gradescope-bundle", "generate", "audit"):
        assert f"\n  {command} " in instructors
    assert "gradescope-run" not in text  # what a bundle's run_autograder calls


def test_usage_errors_of_the_default_command_name_grade_not_grade_check(tmp_path):
    for args in (("--seed", "x"), (SOLUTIONS, "--examples", "0"), (tmp_path / "nowhere",)):
        result = run(*args)
        assert result.exit_code == 2
        assert result.output.startswith("Usage: grade [OPTIONS] [PATH]\nTry 'grade --help' for help.")
        assert "grade check" not in result.output
    explicit = run("check", "--seed", "x")
    assert explicit.exit_code == 2 and explicit.output.startswith("Usage: grade check [OPTIONS] [PATH]")
    assert run(SOLUTIONS, "--help").output.startswith("Usage: grade [OPTIONS] [PATH]\n")


def test_an_empty_folder_is_one_clear_line_and_still_a_grade(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing to grade here")
    result = run(tmp_path, "--sandbox", "process", "--no-color")
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 3 and lines[-1] == "Total: 0.0 / 100.0"
    assert lines[1] == (f"no exercise modules or notebooks found in {str(tmp_path)!r}: expected params.py, "
                        f"padding.py, scanning.py, conv.py, pooling.py, unpooling.py, detector.py or *.ipynb "
                        f"(pass the folder of your work, or get the exercises with `grade init`)")
    assert run(tmp_path, "--sandbox", "process", "--fail-under", "1").exit_code == 1
    data = json.loads(run(tmp_path, "--sandbox", "process", "--format", "json").output)
    assert len(data["functions"]) == len(FUNCTIONS) and {f["status"] for f in data["functions"]} == {"missing"}


def test_the_note_that_bubblewrap_is_missing_is_shown_once_per_user(tmp_path, monkeypatch):
    check_module = importlib.import_module("grader.commands.check")  # (the package's `check` is the command)
    monkeypatch.setattr(check_module, "resolve_mode", lambda sandbox: "process")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "empty").mkdir()
    first, second = run(tmp_path / "empty"), run(tmp_path / "empty")
    assert first.exit_code == second.exit_code == 0
    assert "bubblewrap (bwrap) is not used" in first.stderr
    assert "bubblewrap" not in second.stderr
    assert (tmp_path / "cache" / "convgrade" / "notes-shown.json").is_file()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty" / "not-a-folder"))
    (tmp_path / "empty" / "not-a-folder").write_text("a file where the cache folder should be")
    for _ in range(2):  # the state cannot be written: the note is shown every time, grading goes on
        unwritable = run(tmp_path / "empty")
        assert unwritable.exit_code == 0 and "bubblewrap (bwrap) is not used" in unwritable.stderr
        assert "Total: 0.0 / 100.0" in unwritable.stdout


def test_the_outputs_the_docs_tell_grade_to_write_are_ignored_by_git():
    patterns = [line.strip().strip("/") for line in (REPO / ".gitignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    docs = [REPO / "README.md", *(REPO / "docs").glob("*.md"), *(REPO / "grader" / "templates").glob("*.yml")]
    commands = [line for path in docs for line in path.read_text().splitlines() if re.search(r"\bgrade \w", line)]
    named = {m for line in commands for m in re.findall(r"(?:--output(?:-dir)?|-o|--json) ([a-z][\w.-]*)", line)}
    named |= {m for line in commands for m in re.findall(r"grade gradescope-bundle ([a-z][\w.-]*)", line)}
    named |= {m.rstrip("/") for line in commands for m in re.findall(r"grade batch ([a-z][\w.-]*/?)", line)}
    assert {"grade-result.json", "out", "all", "audit.json", "autograder.zip", "submissions"} <= named
    named.add("convgrade-exercises")  # what `grade init` writes by default
    for name in named:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name


@pytest.mark.parametrize("module", ["fcntl", "resource"])
@pytest.mark.parametrize("args", [[], ["--help"], ["batch", "class", "-o", "out"]])
def test_on_windows_grade_says_in_one_sentence_that_it_needs_linux_macos_or_wsl(module, args):
    code = f"import sys; sys.modules[{module!r}] = None  # as on Windows\nfrom grader.cli import main; main()"
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO,
                            timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"convgrade runs on Linux, macOS and WSL, not on Windows itself (this Python has no "
                             f"{module} module, which its sandbox needs): install WSL "
                             f"(https://learn.microsoft.com/windows/wsl/install) and run grade inside it.\n")


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
