"""A batch's output folder: what it holds, the gradebook and the cohort summary built from it, merging.

Layout of an output folder (every file is written atomically, one submission at a time):

    grades.csv                    id, score, max_score, status, one column per function, reason
    summary.md                    the cohort at a glance (see `summary_markdown`)
    results/<id>.json             the `grade --format json` contract of each submission
    feedback/<id>.md              what the student reads
    reports/<id>.<ext>            with --format, the report in that format
    .state/                       signed: how a re-run knows what is unchanged, and the last finished
                                  run's ids, shard and settings (what `grade merge` joins; see
                                  `grader.batch_state`)

`grades.csv` and `summary.md` are functions of results/ and .state/ only, rebuilt at the end of a run.
"""

from __future__ import annotations

import io
import statistics
from pathlib import Path

from .batch_state import MANIFEST, STATE_DIR, Record, read_manifest_data, read_record
from .formats import csv_cell, csv_row, csv_writer, gradebook_columns
from .report_text import failed_checks, md_cell, md_code, md_code_span, points, printable
from .results import full_marks

REPORT_EXTENSIONS = {"text": "txt", "json": "json", "gradescope": "json", "junit": "xml", "github": "json",
                     "csv": "csv"}
TOP_FAILURES = 10
EXAMPLE_LINES = 8
BAR = 30


class MergeError(Exception):
    """Output folders that cannot be joined into one gradebook; the message says why."""


# ---------------------------------------------------------------- gradebook


def gradebook_csv(records: list[Record]) -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(gradebook_columns() + ["reason"])
    for r in sorted(records, key=lambda r: r.id):
        writer.writerow(csv_row(r.result, r.id, r.status) + [csv_cell(r.reason)])
    return out.getvalue()


def read_manifest(out: Path) -> dict:
    """The signed manifest of the last finished run in `out`; raises MergeError when no run finished there
    (or its manifest does not verify)."""
    manifest = read_manifest_data(out)
    if manifest is None:
        raise MergeError(f"{str(out)!r} holds no finished batch (no grades.csv and {STATE_DIR}/{MANIFEST} "
                         f"signed by its grader); run its batch again first")
    return manifest


def gradebook_ids(out: Path) -> list[str]:
    """The ids of the last finished run in `out`; raises MergeError when no run finished there."""
    return read_manifest(out)["ids"]


# ---------------------------------------------------------------- summary


def summary_markdown(records: list[Record]) -> str:
    """The cohort: scores with a histogram, each function and check, the most common failures, errors."""
    records = sorted(records, key=lambda r: r.id)
    graded = [r for r in records if r.status == "complete"]
    errors = [r for r in records if r.status != "complete"]
    parts = ["# Class summary",
             f"{len(records)} submissions: {len(graded)} graded, {len(errors)} not graded"
             + (" (listed at the end)." if errors else ".")]
    if records:
        s = records[0].settings
        parts.append(f"Seed fingerprint {records[0].result.seed_fingerprint} (the seed itself is kept in "
                     f"{STATE_DIR}/), {s.get('examples')} examples per property, "
                     f"timeout {s.get('timeout')} s, grader {s.get('grader_version')}, "
                     f"policy {s.get('policy', 'not recorded')}.")
    if graded:
        parts += [_scores(graded), _functions(graded), _checks(graded), _failures(graded)]
    clashes = [r for r in records if r.clash]
    if clashes:
        rows = ["| Graded as | Submission | Clash |", "|---|---|---|"]
        rows += [f"| {md_code_span(r.id)} | {md_code_span(r.result.submission.path)} | {md_cell(r.clash)} |"
                 for r in clashes]
        parts += ["## Id clashes", "Several submissions had the same id (their names without the extension): "
                  "each was graded under an id of its own. Check that they are different students' work.",
                  "\n".join(rows)]
    if errors:
        rows = ["| Submission | Reason |", "|---|---|"]
        rows += [f"| {md_code_span(r.id)} | {md_cell(r.reason)} |" for r in errors]
        parts += ["## Not graded", "\n".join(rows)]
    return "\n\n".join(parts) + "\n"


def _pct(k: int, n: int) -> str:
    return f"{100 * k / n:.0f}% ({k}/{n})" if n else "-"


def histogram(scores: list[float], max_score: float, bins: int = 10) -> str:
    """Ten bins of the fraction of the maximum, the last one closed: [0%, 10%), ..., [90%, 100%]."""
    counts = [0] * bins
    for score in scores:
        fraction = score / max_score if max_score else 1.0
        counts[min(bins - 1, max(0, int(fraction * bins + 1e-9)))] += 1
    top = max(counts) or 1
    lines = []
    for i, count in enumerate(counts):
        low, high = i * 100 // bins, (i + 1) * 100 // bins
        label = f"{f'{low}-{high}%':>7} {points(max_score * low / 100):>6} - {points(max_score * high / 100):<6}"
        lines.append(f"{label} | {'#' * round(BAR * count / top):<{BAR}} {count}")
    return "\n".join(lines)


def _scores(graded: list[Record]) -> str:
    scores = [r.result.score for r in graded]
    top = max(r.result.max_score for r in graded)
    full = sum(full_marks(r.result.score, r.result.max_score) for r in graded)
    table = ("| Graded | Mean | Median | Min | Max | Full marks |\n|---:|---:|---:|---:|---:|---:|\n"
             f"| {len(scores)} | {points(statistics.fmean(scores))} | {points(statistics.median(scores))} | "
             f"{points(min(scores))} | {points(max(scores))} | {_pct(full, len(scores))} |")
    return f"## Scores (out of {points(top)})\n\n{table}\n\n```text\n{histogram(scores, top)}\n```"


def _functions(graded: list[Record]) -> str:
    kinds = ("passed", "failed", "error", "timeout", "not_implemented", "missing")
    rows = ["| Function | Mean | Full marks | " + " | ".join(k.replace("_", " ").capitalize() for k in kinds)
            + " |", "|---|---:|---:|" + "---:|" * len(kinds)]
    for name in _function_names(graded):
        fns = [f for r in graded if (f := r.result.function(name)) is not None]
        full = sum(full_marks(f.score, f.max_score) for f in fns)
        counts = [sum(f.status == k for f in fns) for k in kinds]
        rows.append(f"| {md_code_span(name)} | {points(statistics.fmean(f.score for f in fns))} / "
                    f"{points(fns[0].max_score)} | {_pct(full, len(fns))} | "
                    + " | ".join(str(c) for c in counts) + " |")
    return "## Functions\n\n" + "\n".join(rows)


def _function_names(graded: list[Record]) -> list[str]:
    return list(dict.fromkeys(f.name for r in graded for f in r.result.functions))


def _checks(graded: list[Record]) -> str:
    rows = ["| Function | Check | Points | Pass rate |", "|---|---|---:|---:|"]
    for name in _function_names(graded):
        results: dict[str, list] = {}
        for r in graded:
            fn = r.result.function(name)
            for check in fn.checks if fn else []:
                results.setdefault(check.name, []).append(check)
        for check_name, checks in results.items():
            passed = sum(c.passed for c in checks)
            rows.append(f"| {md_code_span(name)} | {md_cell(check_name)} | {points(checks[0].max_score)} | "
                        f"{_pct(passed, len(checks))} |")
    return "## Checks\n\nEvery check over the graded submissions (a function not implemented or missing " \
           "fails all its checks).\n\n" + "\n".join(rows)


def _failures(graded: list[Record]) -> str:
    """The checks most often failed by functions the students attempted, each with one example."""
    failing: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for r in graded:
        for fn in r.result.functions:
            for check in failed_checks(fn):
                failing.setdefault((fn.name, check.name), []).append((r.id, check.feedback))
    if not failing:
        return "## Most common failures\n\nNo attempted function failed a check."
    ranked = sorted(failing.items(), key=lambda item: (-len(item[1]), item[0]))[:TOP_FAILURES]
    parts = ["## Most common failures",
             "Checks failed by functions that were attempted (not by missing or unimplemented ones), "
             "each with the start of one student's feedback."]
    for rank, ((fn_name, check_name), cases) in enumerate(ranked, 1):
        example_id, feedback = cases[0]
        lines = printable(feedback).strip("\n").splitlines()
        shown = "\n".join(lines[:EXAMPLE_LINES]) + ("\n..." if len(lines) > EXAMPLE_LINES else "")
        parts.append(f"### {rank}. {md_code_span(fn_name)}: {md_cell(check_name)}: {_pct(len(cases), len(graded))}"
                     f"\n\nFor example {md_code_span(example_id)}:\n\n{md_code(shown)}")
    return "\n\n".join(parts)


# ---------------------------------------------------------------- merge


def same_grade(a: Record, b: Record) -> bool:
    return a.key == b.key and a.status == b.status and csv_row(a.result, a.id) == csv_row(b.result, b.id)


def settings_mismatch(first: tuple[Path, dict], other: tuple[Path, dict]) -> MergeError:
    """The error of two folders (folder, settings) graded with different settings, naming the differences."""
    (a, expected), (b, settings) = first, other
    diff = ", ".join(f"{k} {expected.get(k)!r} vs {settings.get(k)!r}"
                     for k in sorted(set(expected) | set(settings)) if expected.get(k) != settings.get(k))
    return MergeError(f"{str(a)!r} and {str(b)!r} were graded with different settings ({diff}); grade every "
                      f"shard with the same options")


def merge_records(outputs: list[Path]) -> list[tuple[Path, Record]]:
    """(source folder, record) of every submission listed by the gradebooks of `outputs`.

    Raises MergeError when a folder is unfinished or unreadable, when folders were graded with different
    settings, or when one id has different grades in two folders.
    """
    chosen: dict[str, tuple[Path, Record]] = {}
    first: tuple[Path, dict] | None = None
    for out in outputs:
        for entry_id in gradebook_ids(out):
            record = read_record(out, entry_id)
            if record is None:
                raise MergeError(f"{str(out)!r} lists {entry_id!r} in grades.csv but its results/ or "
                                 f"{STATE_DIR}/ files are missing, unreadable or changed since they were graded; "
                                 f"run its batch again")
            if first is None:
                first = (out, record.settings)
            elif record.settings != first[1]:
                raise settings_mismatch(first, (out, record.settings))
            if entry_id in chosen:
                other, previous = chosen[entry_id]
                if not same_grade(previous, record):
                    raise MergeError(f"{entry_id!r} is in both {str(other)!r} and {str(out)!r} with different "
                                     f"grades; grade each submission in one shard only")
                continue
            chosen[entry_id] = (out, record)
    return [chosen[i] for i in sorted(chosen)]
