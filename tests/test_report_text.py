"""The terminal and Markdown reports a student reads."""

import io
import re

import pytest
from sample_results import LAYOUT, TRICKY_FEEDBACK, full_score_result, mixed_result

from grader.catalog import MODULES as MODULE_ORDER
from grader.report_text import (
    points,
    render_feedback_markdown,
    render_text,
    use_color,
)
from grader.results import CheckResult, GradeResult

ANSI = re.compile(r"\x1b\[")


def function_line(report: str, name: str) -> str:
    return next(line for line in report.splitlines() if line.strip().startswith(name + " "))


def test_totals_and_function_lines():
    report = render_text(mixed_result())
    assert "Total: 73.0 / 100.0" in report
    line = function_line(report, "conv2d_backward")
    assert re.search(r"8\.0 / 16\.0\s+failed$", line)
    assert re.search(r"12\.0 / 12\.0\s+passed$", function_line(report, "conv2d_forward"))
    assert "Total: 100.0 / 100.0" in render_text(full_score_result())


def test_failed_check_shows_name_points_and_feedback_indented():
    report = render_text(mixed_result())
    lines = report.splitlines()
    start = lines.index("    - gradient wrt w  (0.0 / 8.0)")
    assert lines[start + 1].startswith("        dw is wrong where x < 0 & w > 0")
    assert '"transposed" kernel? 커널을 뒤집었나요?' in lines[start + 1]
    assert "        hint: dw[k, c, r, s]" in report
    assert "gradient wrt x" not in report  # passed checks stay quiet


def test_no_ansi_or_control_characters_without_color():
    report = render_text(mixed_result(), color=False)
    assert not ANSI.search(report)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", report)


def test_colors_by_status():
    report = render_text(mixed_result(), color=True)
    assert "\x1b[32mpassed\x1b[0m" in report
    assert "\x1b[31mfailed\x1b[0m" in report
    assert "\x1b[33mnot implemented yet\x1b[0m" in report
    assert "\x1b[31m\x07" not in report  # the student's own escape codes are stripped


def test_not_implemented_missing_timeout_error_are_short():
    report = render_text(mixed_result())
    assert function_line(report, "max_pool_indices").endswith("not implemented yet")
    assert "NotImplementedError" not in report and "argmax positions" not in report
    assert "missing" in function_line(report, "max_unpool_backward")
    assert "timed out" in function_line(report, "detect")
    assert "error" in function_line(report, "scan1d_backward")
    assert report.count("IndexError: index 5 is out of bounds") == 1


def test_notes_and_captured_output():
    report = render_text(mixed_result())
    assert "note: skipped IPython magic in cell 3" in report
    assert "    note: graded with the reference zero_pad: your zero_pad failed its checks" in report
    assert "your function printed, first 8 of 12 lines:" in report
    assert report.count("      | padding 1") == 8
    assert "      | debug: dw computed" in report


def test_captured_output_hidden_when_function_passed():
    result = full_score_result()
    result.functions[0].output = "hello from a passing function\n"
    assert "hello from a passing function" not in render_text(result)


def test_encouragement_names_the_function_with_most_points_to_gain():
    assert render_text(mixed_result()).rstrip().endswith(
        "Next: work on conv2d_backward (8.0 points still to gain).")
    result = mixed_result()
    result.function("max_pool_indices").max_score = 20.0
    assert "Next: implement max_pool_indices (20.0 points still to gain)." in render_text(result)
    assert "well done" in render_text(full_score_result())


def test_modules_grouped_in_teaching_order():
    result = mixed_result()
    result.functions.reverse()
    report = render_text(result)
    headings = [line for line in report.splitlines() if line in MODULE_ORDER]
    assert headings == list(MODULE_ORDER)
    assert report.index("zero_pad") < report.index("conv2d_backward") < report.index("max_unpool")


@pytest.mark.parametrize("value, text", [(8, "8.0"), (7.5, "7.5"), (2.25, "2.25"), (100, "100.0")])
def test_points(value, text):
    assert points(value) == text


class FakeStream(io.StringIO):
    def __init__(self, tty):
        super().__init__()
        self.tty = tty

    def isatty(self):
        return self.tty


@pytest.mark.parametrize("tty, env, expected", [
    (True, {}, True),
    (False, {}, False),
    (True, {"NO_COLOR": "1"}, False),
    (True, {"NO_COLOR": ""}, True),
    (False, {"FORCE_COLOR": "1"}, True),
    (True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
    (True, {"TERM": "dumb"}, False),
    (False, {"TERM": "dumb", "FORCE_COLOR": "1"}, True),
])
def test_use_color(tty, env, expected):
    assert use_color(FakeStream(tty), env=env) is expected


def test_use_color_on_stream_without_isatty():
    assert use_color(object(), env={}) is False


def test_markdown_table_and_failed_check_sections():
    md = render_feedback_markdown(mixed_result())
    assert "| conv | `conv2d_backward` | 8.0 / 16.0 | ❌ failed |" in md
    assert "| pooling | `max_pool_indices` | 0.0 / 4.0 | 🚧 not implemented yet |" in md
    assert "**Total: 73.0 / 100.0**" in md
    assert "### `conv2d_backward`: gradient wrt w (0.0 / 8.0)" in md
    block = "```text\n" + TRICKY_FEEDBACK.replace("\x1b[31m\x07", "") + "\n```"
    assert block in md
    assert "argmax positions" not in md
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", md)


def test_markdown_fence_outgrows_backticks_in_feedback():
    result = mixed_result()
    fn = result.function("zero_pad")
    fn.checks[0] = CheckResult("matches the reference", 0.0, 2.0, False,
                               feedback="use ```np.pad``` | not a loop")
    md = render_feedback_markdown(result)
    assert "````text\nuse ```np.pad``` | not a loop\n````" in md


def missing_everywhere(reasons) -> GradeResult:
    result = full_score_result()
    for fn, reason in zip(result.functions, reasons):
        fn.status, fn.score = "missing", 0.0
        for check in fn.checks:
            check.passed, check.score, check.feedback = False, 0.0, reason
    result.score = 0.0
    return result


def test_every_function_missing_for_one_reason_is_one_line():
    result = missing_everywhere(["no exercise modules or notebooks found in 'x'"] * len(LAYOUT))
    report = render_text(result)
    assert report.count("no exercise modules or notebooks found in 'x'") == 1
    assert not any(fn.name in report for fn in result.functions)
    assert report.rstrip().endswith("Total: 0.0 / 100.0")


def test_functions_missing_for_different_reasons_keep_their_lines():
    result = missing_everywhere([f"{module}.py is not in the submission" for module, _, _ in LAYOUT])
    report = render_text(result)
    assert all(function_line(report, fn.name) for fn in result.functions)
    result.functions[0].status = "not_implemented"
    assert "Total: " in render_text(result) and function_line(render_text(result), "conv2d_forward")


def test_a_reason_a_note_already_gives_is_not_said_again():
    result = missing_everywhere(["broken.ipynb is not valid JSON"] * len(LAYOUT))
    result.notes = ["broken.ipynb is not valid JSON; the functions it should define score 0"]
    report = render_text(result)
    assert all(function_line(report, fn.name) for fn in result.functions)


def test_a_check_of_known_kind_is_tagged_with_it():
    result = mixed_result()
    fn = result.function("zero_pad")
    fn.checks[0] = CheckResult("matches the reference", 0.0, 2.0, False, feedback="x_pad is wrong", kind="value")
    assert "    - matches the reference  (0.0 / 2.0)  [value]" in render_text(result).splitlines()
    assert "### `zero_pad`: matches the reference (0.0 / 2.0) `value`" in render_feedback_markdown(result)
