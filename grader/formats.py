"""Every machine-readable format of a grading result, each a pure function of one `GradeResult`.

`FORMATS[name](result) -> str` for name in text, json, gradescope, junit, github, csv.

- gradescope: Gradescope's autograder `results.json` (gradescope-autograders.readthedocs.io/en/latest/
  specs/): one test per check, output as plain text so `<` and `&` in feedback show as written.
- github: the JSON a GitHub Classroom grader action publishes, base64-encoded, in its `result` output,
  and that `classroom-resources/autograding-grading-reporter` decodes (`version`, `status`,
  `max_score`, `tests[]` with `name`, `status`, `message`, `test_code`, `filename`, `line_no`,
  `duration`, `score`). Classroom's total is the sum of the tests' `score` out of `max_score`.
- junit: one testcase per check, classname `module.function`. A function that is not implemented,
  missing, or has no checks still loses points, so it is reported as a `<failure>` (never `<skipped>`,
  which CI shows as harmless); checks of functions that raised or timed out are `<error>`s.
- csv: a header and one row; missing functions score 0 (not an empty cell) so a gradebook sums.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from typing import Callable

from grader.report_text import (
    STATUS_WORDS, md_table, next_step, one_line, output_excerpt, points, policy_words, printable, render_text,
)
from grader.catalog import FUNCTION_ORDER
from grader.results import FunctionResult, GradeResult, full_marks


def _message(fn: FunctionResult, feedback: str) -> str:
    """A check's feedback followed by its function's notes and the start of its captured output."""
    parts = [printable(feedback).strip("\n")] if feedback.strip() else []
    parts += [f"note: {printable(note)}" for note in fn.notes]
    if fn.output.strip():
        shown, count = output_excerpt(fn.output)
        more = f" (first {len(shown)} of {count} lines)" if count > len(shown) else ""
        parts.append(f"your function printed{more}:\n" + "\n".join(shown))
    return "\n\n".join(parts)


def report_items(result: GradeResult):
    """(function, name, score, max_score, passed, message, description) per check, in report order.

    A function without checks (missing, or not implemented before any check ran) is one item, so that
    its points show up; checks of a not implemented or missing function carry one short message;
    passed checks carry their function's notes only.
    """
    for fn in result.functions:
        kind = STATUS_WORDS[fn.status]
        if not fn.checks:
            passed = fn.status == "passed"
            yield fn, fn.name, fn.score, fn.max_score, passed, "" if passed else _message(fn, kind), ""
            continue
        for check in fn.checks:
            if check.passed:
                message = "\n".join(f"note: {printable(note)}" for note in fn.notes)
            elif fn.status in ("not_implemented", "missing"):
                message = _message(fn, kind)
            else:
                message = _message(fn, check.feedback or kind)
            yield (fn, f"{fn.name}: {check.name}", check.score, check.max_score, check.passed,
                   message, check.description)


def summary_line(result: GradeResult) -> str:
    return f"Total: {points(result.score)} / {points(result.max_score)}"


def to_json(result: GradeResult) -> str:
    """The `grade --format json` contract: `GradeResult.to_dict()`, read back by `from_dict`."""
    return json.dumps(result.to_dict(), indent=2, sort_keys=False) + "\n"


def to_gradescope(result: GradeResult) -> str:
    """Gradescope `results.json`: top-level score and summary, one visible test per check."""
    output = [summary_line(result), next_step(result)] + [f"note: {printable(n)}" for n in result.notes]
    tests = [
        {"name": printable(name), "name_format": "text", "score": score, "max_score": max_score,
         "status": "passed" if passed else "failed",
         "output": "\n\n".join(t for t in (printable(description), message) if t),
         "output_format": "text",
         "tags": [fn.module, fn.name], "visibility": "visible"}
        for fn, name, score, max_score, passed, message, description in report_items(result)
    ]
    data = {
        "score": result.score,
        "execution_time": round(result.elapsed_s),
        "output": "\n".join(output),
        "output_format": "text",
        "test_output_format": "text",
        "test_name_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {"max_score": result.max_score, "seed_fingerprint": result.seed_fingerprint,
                       "policy": result.policy,
                       "grader_version": result.grader_version, "sha256": result.submission.sha256},
        "tests": tests,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_junit(result: GradeResult) -> str:
    """JUnit XML: a testsuite per function, a testcase per check (see the module docstring)."""
    root = ET.Element("testsuites", name="convgrade", time=f"{result.elapsed_s:.3f}")
    counts = {"tests": 0, "failures": 0, "errors": 0}
    by_function: dict[str, list] = {}
    for item in report_items(result):
        by_function.setdefault(item[0].name, []).append(item)
    for fn in result.functions:
        suite = ET.SubElement(root, "testsuite", name=printable(f"{fn.module}.{fn.name}"))
        props = ET.SubElement(suite, "properties")
        for key, value in (("score", fn.score), ("max_score", fn.max_score), ("status", fn.status),
                           ("policy", printable(result.policy))):
            ET.SubElement(props, "property", name=key, value=str(value))
        suite_counts = {"tests": 0, "failures": 0, "errors": 0}
        for _, name, score, max_score, passed, message, _desc in by_function.get(fn.name, []):
            case = ET.SubElement(suite, "testcase", classname=printable(f"{fn.module}.{fn.name}"),
                                 name=f"{printable(name)} ({points(score)} / {points(max_score)})")
            suite_counts["tests"] += 1
            if not passed:
                tag = "error" if fn.status in ("error", "timeout") else "failure"
                first = message.splitlines()[0] if message else fn.status
                element = ET.SubElement(case, tag, message=first, type=fn.status)
                element.text = message
                suite_counts["errors" if tag == "error" else "failures"] += 1
        if fn.output.strip():
            ET.SubElement(suite, "system-out").text = printable(fn.output)
        for key, value in suite_counts.items():
            suite.set(key, str(value))
            counts[key] += value
    for key, value in counts.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def to_github(result: GradeResult) -> str:
    """The Classroom runner result (decoded): what `write_github_outputs` base64-encodes."""
    tests = []
    for fn, name, score, max_score, passed, message, description in report_items(result):
        status = "pass" if passed else ("error" if fn.status in ("error", "timeout") else "fail")
        tests.append({"name": printable(name), "status": status, "message": message or None,
                      "test_code": printable(description), "filename": "", "line_no": 0,
                      "duration": 0, "score": score})
    data = {"version": 1, "status": "pass" if full_marks(result.score, result.max_score) else "fail",
            "max_score": result.max_score, "tests": tests}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def github_step_summary(result: GradeResult) -> str:
    """Markdown for `$GITHUB_STEP_SUMMARY`: the total, the next step and the table of functions."""
    return (f"## convgrade: {points(result.score)} / {points(result.max_score)}\n\n"
            f"{next_step(result)}\n\n{md_table(result)}\n\n"
            f"Seed fingerprint {result.seed_fingerprint}, {policy_words(result)}.\n")


def write_github_outputs(result: GradeResult, env=os.environ) -> None:
    """Append `result=<base64 JSON>` to `$GITHUB_OUTPUT` and the Markdown summary to
    `$GITHUB_STEP_SUMMARY`, each only when its variable is set."""
    if env.get("GITHUB_OUTPUT"):
        compact = json.dumps(json.loads(to_github(result)), separators=(",", ":"), ensure_ascii=False)
        encoded = base64.b64encode(compact.encode("utf-8")).decode("ascii")
        with open(env["GITHUB_OUTPUT"], "a", encoding="utf-8") as out:
            out.write(f"result={encoded}\n")
    if env.get("GITHUB_STEP_SUMMARY"):
        with open(env["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as out:
            out.write(github_step_summary(result))


def gradebook_columns() -> list[str]:
    """CSV header shared by single results and batch gradebooks: id, totals, one column per function."""
    return ["id", "score", "max_score", "status", *FUNCTION_ORDER]


def csv_cell(text: str) -> str:
    """A CSV cell that a spreadsheet shows as the text it is: one line without control characters, and
    never a formula (a leading =, +, - or @ gets a ' in front)."""
    text = one_line(text).replace("\t", " ")
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def csv_writer(out):
    """Every cell quoted, rows ending in \\n (a carriage return inside a cell cannot end a row)."""
    return csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)


def csv_row(result: GradeResult, id: str, status: str = "complete") -> list[str]:
    """One gradebook row; a function absent from `result` scores 0."""
    scores = {fn.name: fn.score for fn in result.functions}
    cells = [result.score, result.max_score, status] + [scores.get(name, 0.0) for name in FUNCTION_ORDER]
    return [csv_cell(id)] + [c if isinstance(c, str) else str(round(float(c), 4)) for c in cells]


def to_csv(result: GradeResult) -> str:
    """Header and one row, the submission path as id."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(gradebook_columns())
    writer.writerow(csv_row(result, result.submission.path))
    return out.getvalue()


FORMATS: dict[str, Callable[[GradeResult], str]] = {
    "text": render_text,
    "json": to_json,
    "gradescope": to_gradescope,
    "junit": to_junit,
    "github": to_github,
    "csv": to_csv,
}


def format_report(result: GradeResult, fmt: str, color: bool = False) -> str:
    """`result` in format `fmt`; `color` only affects the text format."""
    if fmt not in FORMATS:
        raise ValueError(f"'fmt' must be one of {tuple(FORMATS)} (got {fmt!r})")
    return render_text(result, color=color) if fmt == "text" else FORMATS[fmt](result)
