"""Machine-readable formats of a grading result: json, gradescope, junit, github, csv."""

import base64
import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from sample_results import full_score_result, mixed_result

from grader.formats import (
    FORMATS,
    FUNCTION_ORDER,
    csv_row,
    github_step_summary,
    gradebook_columns,
    format_report,
    write_github_outputs,
)
from grader.results import GradeResult

SAMPLES = {"full": full_score_result, "mixed": mixed_result}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def n_items(result: GradeResult) -> int:
    """One report item per check, one per function without checks."""
    return sum(max(1, len(fn.checks)) for fn in result.functions)


def test_format_names():
    assert set(FORMATS) == {"text", "json", "gradescope", "junit", "github", "csv"}


def test_render_rejects_unknown_format():
    with pytest.raises(ValueError, match=r"'fmt' must be one of .* \(got 'yaml'\)"):
        format_report(mixed_result(), "yaml")


def test_render_color_only_for_text():
    assert "\x1b[" in format_report(mixed_result(), "text", color=True)
    assert "\x1b[" not in format_report(mixed_result(), "text")
    assert format_report(mixed_result(), "csv", color=True) == FORMATS["csv"](mixed_result())


@pytest.mark.parametrize("sample", SAMPLES)
def test_json_round_trips(sample):
    result = SAMPLES[sample]()
    text = format_report(result, "json")
    assert text.endswith("}\n")
    assert text == json.dumps(result.to_dict(), indent=2, sort_keys=False) + "\n"
    assert GradeResult.from_dict(json.loads(text)) == result


@pytest.mark.parametrize("sample", SAMPLES)
def test_gradescope_fields_and_scores(sample):
    result = SAMPLES[sample]()
    data = json.loads(format_report(result, "gradescope"))
    assert data["score"] == result.score
    assert isinstance(data["execution_time"], int)
    assert data["stdout_visibility"] in ("hidden", "after_due_date", "after_published", "visible")
    for key in ("output_format", "test_output_format", "test_name_format"):
        assert data[key] == "text"
    assert "Total: " in data["output"]
    assert len(data["tests"]) == n_items(result)
    for test in data["tests"]:
        assert set(test) >= {"name", "score", "max_score", "status", "output", "visibility",
                             "name_format", "output_format"}
        assert test["status"] == ("passed" if test["score"] == test["max_score"] else "failed")
        assert test["visibility"] == "visible"
        assert not CONTROL.search(test["output"])
    assert sum(t["score"] for t in data["tests"]) == pytest.approx(result.score)
    assert sum(t["max_score"] for t in data["tests"]) == pytest.approx(result.max_score)


def test_gradescope_feedback_kept_as_text():
    data = json.loads(format_report(mixed_result(), "gradescope"))
    test = next(t for t in data["tests"] if t["name"] == "conv2d_backward: gradient wrt w")
    assert test["score"] == 0.0 and test["max_score"] == 8.0 and test["status"] == "failed"
    assert 'x < 0 & w > 0: "transposed" kernel? 커널을 뒤집었나요?' in test["output"]
    assert "debug: dw computed" in test["output"]
    missing = next(t for t in data["tests"] if t["name"] == "max_unpool_backward")
    assert missing["max_score"] == 3.0 and "missing" in missing["output"]
    assert "skipped IPython magic in cell 3" in data["output"]


@pytest.mark.parametrize("sample", SAMPLES)
def test_junit_parses_and_counts(sample):
    result = SAMPLES[sample]()
    root = ET.fromstring(format_report(result, "junit").encode("utf-8"))
    assert root.tag == "testsuites"
    cases = root.findall("./testsuite/testcase")
    failures = root.findall("./testsuite/testcase/failure")
    errors = root.findall("./testsuite/testcase/error")
    assert int(root.get("tests")) == len(cases) == n_items(result)
    assert int(root.get("failures")) == len(failures)
    assert int(root.get("errors")) == len(errors)
    lost = [item for item in cases if item.find("failure") is not None or item.find("error") is not None]
    expected = 0 if sample == "full" else 6  # zero_pad, scan1d_backward, detect, conv2d_backward,
    assert len(lost) == expected              # max_pool_indices, max_unpool_backward
    for suite in root.findall("testsuite"):
        assert int(suite.get("tests")) == len(suite.findall("testcase"))


def test_junit_classnames_statuses_and_escaping():
    root = ET.fromstring(format_report(mixed_result(), "junit").encode("utf-8"))
    by_class = {case.get("classname") for case in root.iter("testcase")}
    assert "conv.conv2d_backward" in by_class and "pooling.max_pool_indices" in by_class
    case = next(c for c in root.iter("testcase")
                if c.get("name").startswith("conv2d_backward: gradient wrt w"))
    failure = case.find("failure")
    assert failure.get("message").startswith('dw is wrong where x < 0 & w > 0: "transposed" kernel?')
    assert "커널을 뒤집었나요?" in failure.text and "\x07" not in failure.text
    not_implemented = root.find("./testsuite[@name='pooling.max_pool_indices']/testcase/failure")
    assert not_implemented.get("type") == "not_implemented"
    timeout = root.find("./testsuite[@name='scanning.detect']/testcase/error")
    assert timeout.get("type") == "timeout"


def test_junit_survives_control_characters_in_output():
    result = mixed_result()
    result.function("zero_pad").output = "bell\x07 null\x00 escape\x1b[0m vertical tab\x0b end\n"
    root = ET.fromstring(format_report(result, "junit").encode("utf-8"))
    out = root.find("./testsuite[@name='padding.zero_pad']/system-out").text
    assert out == "bell null escape vertical tab end\n"


@pytest.mark.parametrize("sample", SAMPLES)
def test_github_result_points(sample):
    result = SAMPLES[sample]()
    data = json.loads(format_report(result, "github"))
    assert data["version"] == 1
    assert data["max_score"] == result.max_score
    assert data["status"] == ("pass" if sample == "full" else "fail")
    assert sum(t["score"] for t in data["tests"]) == pytest.approx(result.score)
    for test in data["tests"]:
        assert set(test) == {"name", "status", "message", "test_code", "filename", "line_no",
                             "duration", "score"}
        assert test["status"] in ("pass", "fail", "error")
        assert test["line_no"] == 0  # the reporter prints "- line N" for non-zero values


def test_github_statuses_of_mixed_result():
    tests = {t["name"]: t for t in json.loads(format_report(mixed_result(), "github"))["tests"]}
    assert tests["conv2d_backward: gradient wrt w"]["status"] == "fail"
    assert "커널" in tests["conv2d_backward: gradient wrt w"]["message"]
    assert tests["detect: finds the pattern"]["status"] == "error"
    assert tests["max_unpool_backward"]["status"] == "fail"
    assert tests["scan1d: matches the reference"]["status"] == "pass"
    assert tests["scan1d: matches the reference"]["message"] is None
    assert "graded with the reference zero_pad" in tests["conv2d_forward: output shape"]["message"]


def test_write_github_outputs_appends_base64_result_and_summary(tmp_path):
    output, summary = tmp_path / "output", tmp_path / "summary"
    output.write_text("earlier=1\n")
    result = mixed_result()
    write_github_outputs(result, env={"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)})
    lines = output.read_text().splitlines()
    assert lines[0] == "earlier=1" and len(lines) == 2
    key, value = lines[1].split("=", 1)
    decoded = json.loads(base64.b64decode(value).decode("utf-8"))
    assert key == "result"
    assert decoded == json.loads(format_report(result, "github"))
    assert sum(t["score"] for t in decoded["tests"]) == pytest.approx(73.0)
    assert summary.read_text() == github_step_summary(result)
    assert "| conv | `conv2d_backward` | 8.0 / 16.0 | ❌ failed |" in summary.read_text()


def test_write_github_outputs_is_a_no_op_outside_actions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_github_outputs(mixed_result(), env={})
    assert list(tmp_path.iterdir()) == []


def test_csv_single_result():
    rows = list(csv.reader(io.StringIO(format_report(mixed_result(), "csv"))))
    assert rows[0] == gradebook_columns() == ["id", "score", "max_score", "status", *FUNCTION_ORDER]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1]))
    assert row["id"] == "exercises" and row["status"] == "complete"
    assert float(row["score"]) == 73.0 and float(row["max_score"]) == 100.0
    assert float(row["conv2d_backward"]) == 8.0 and float(row["max_pool_indices"]) == 0.0
    assert sum(float(row[name]) for name in FUNCTION_ORDER) == pytest.approx(73.0)


def test_csv_row_fills_missing_functions_with_zero_and_quotes_ids():
    result = full_score_result()
    result.functions = [fn for fn in result.functions if fn.name != "detect"]
    cells = csv_row(result, 'student "7", 김')
    assert len(cells) == len(gradebook_columns())
    assert cells[gradebook_columns().index("detect")] == "0.0"
    text = io.StringIO()
    csv.writer(text).writerow(cells)
    assert next(csv.reader(io.StringIO(text.getvalue())))[0] == 'student "7", 김'


def test_function_order_covers_the_modules_in_order():
    assert len(FUNCTION_ORDER) == len(set(FUNCTION_ORDER)) == 30
    assert [fn.name for fn in full_score_result().functions] == list(FUNCTION_ORDER)


def test_full_marks_forgives_float_noise_and_nothing_more():
    from grader.results import full_marks

    assert 0.3 < 0.1 + 0.2 and full_marks(0.3, 0.1 + 0.2) and full_marks(100.0, 100.0)
    assert not full_marks(99.99, 100.0) and not full_marks(0.0, 0.5)
