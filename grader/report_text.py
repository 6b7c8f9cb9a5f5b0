"""The reports a student reads: a terminal report and its Markdown twin.

Both are pure functions of a `GradeResult`. Functions are grouped by module in the order the exercises
are taught (params, padding, scanning, conv, pooling, unpooling); every failed check shows its feedback;
functions that were not implemented, are missing, timed out or raised get one short line instead of a
wall of per-check failures.
"""

from __future__ import annotations

import os
import re

from grader.catalog import MODULES
from grader.results import CheckResult, FunctionResult, GradeResult

OUTPUT_LINES = 8  # captured output shown for a failed function, in lines

STATUS_WORDS = {
    "passed": "passed",
    "failed": "failed",
    "not_implemented": "not implemented yet",
    "missing": "missing",
    "timeout": "timed out: look for a loop that never ends or is very slow",
    "error": "error: your function raised an exception",
}
COLORS = {"passed": "32", "failed": "31", "error": "31", "timeout": "31",
          "not_implemented": "33", "missing": "33"}

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` without ANSI escape sequences and control characters (tabs and newlines stay)."""
    return _CONTROL.sub("", _ANSI.sub("", text.replace("\r\n", "\n")))


def points(x: float) -> str:
    """8 -> '8.0', 7.5 -> '7.5', 2.25 -> '2.25': at most two decimals, at least one."""
    text = f"{x:.2f}"
    return text[:-1] if text.endswith("0") else text


def use_color(stream, env=None) -> bool:
    """Whether to colour output written to `stream`.

    NO_COLOR (non-empty) disables colour, then FORCE_COLOR (non-empty) enables it, then TERM=dumb
    disables it; otherwise colour is used when `stream` is a terminal.
    """
    env = os.environ if env is None else env
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):  # closed or detached stream
        return False


def by_module(result: GradeResult) -> list[tuple[str, list[FunctionResult]]]:
    """Functions grouped by module: known modules in teaching order, unknown ones after, as found."""
    groups: dict[str, list[FunctionResult]] = {}
    for fn in result.functions:
        groups.setdefault(fn.module, []).append(fn)
    rank = {m: i for i, m in enumerate(MODULES)}
    order = sorted(groups, key=lambda m: rank.get(m, len(rank)))
    return [(m, groups[m]) for m in order]


def failed_checks(fn: FunctionResult) -> list[CheckResult]:
    """The checks a student should read: none for functions that never ran their checks."""
    if fn.status == "not_implemented":
        return []
    failing = [c for c in fn.checks if not c.passed]
    if fn.status in ("missing", "error", "timeout"):
        return failing[:1]  # the same reason, exception or timeout would repeat on every check
    return failing


def kind_tag(check: CheckResult) -> str:
    """"  [gradient]": what sort of check it is (value, gradient, property, contract, errors), if known."""
    return f"  [{printable(check.kind)}]" if check.kind else ""


def md_kind_tag(check: CheckResult) -> str:
    return f" `{md_cell(check.kind)}`" if check.kind else ""


def next_step(result: GradeResult) -> str:
    """One line of encouragement naming the function with the most points still to gain."""
    gaps = [(fn.max_score - fn.score, -i, fn) for i, fn in enumerate(result.functions)]
    gaps = [g for g in gaps if g[0] > 1e-9]
    if not gaps:
        return "Every function passes all its checks: well done!"
    gap, _, fn = max(gaps, key=lambda g: g[:2])
    verb = "implement" if fn.status in ("not_implemented", "missing") else "work on"
    return f"Next: {verb} {fn.name} ({points(gap)} points still to gain)."


def output_excerpt(output: str, lines: int = OUTPUT_LINES) -> tuple[list[str], int]:
    """The first `lines` lines of captured output and the total number of lines."""
    all_lines = printable(output).rstrip("\n").splitlines()
    return all_lines[:lines], len(all_lines)


def render_text(result: GradeResult, color: bool = False) -> str:
    """The terminal report; ANSI colours only when `color` is true."""

    def paint(text: str, status: str | None, bold: bool = False) -> str:
        codes = ([COLORS[status]] if status in COLORS else []) + (["1"] if bold else [])
        return f"\x1b[{';'.join(codes)}m{text}\x1b[0m" if color and codes else text

    width = max([len(fn.name) for fn in result.functions] + [10])
    lines = [f"convgrade {result.grader_version}: {printable(result.submission.path)}"
             f"  (seed {result.seed}, {result.elapsed_s:.1f} s)"]
    for note in result.notes:
        lines.append(f"note: {printable(note)}")
    for module, functions in by_module(result):
        lines += ["", paint(module, None, bold=True)]
        for fn in functions:
            score = f"{points(fn.score):>5} / {points(fn.max_score):<5}"
            lines.append(f"  {fn.name:<{width}}  {score}  {paint(STATUS_WORDS[fn.status], fn.status)}")
            for check in failed_checks(fn):
                lines.append(f"    - {printable(check.name)}  "
                             f"({points(check.score)} / {points(check.max_score)}){kind_tag(check)}")
                for text in printable(check.feedback or check.description).strip("\n").splitlines():
                    lines.append(f"        {text}".rstrip())
            for note in fn.notes:
                lines.append(f"    note: {printable(note)}")
            if fn.status != "passed" and fn.output.strip():
                shown, count = output_excerpt(fn.output)
                more = f", first {len(shown)} of {count} lines" if count > len(shown) else ""
                lines.append(f"    your function printed{more}:")
                lines += [f"      | {text}".rstrip() for text in shown]
    grand = f"Total: {points(result.score)} / {points(result.max_score)}"
    full = result.score >= result.max_score - 1e-9
    lines += ["", paint(grand, "passed" if full else None, bold=True), next_step(result)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- Markdown


def md_cell(text: str) -> str:
    """`text` made safe for a Markdown table cell."""
    return printable(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def md_code(text: str, info: str = "text") -> str:
    """A fenced code block whose fence is longer than any backtick run inside `text`."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text.rstrip()}\n{fence}"


MD_ICONS = {"passed": "✅", "failed": "❌", "error": "💥", "timeout": "⏱️",
            "not_implemented": "🚧", "missing": "❔"}


def md_table(result: GradeResult) -> str:
    """The table of functions and points, one row per function, then the total."""
    rows = ["| Module | Function | Points | Status |", "|---|---|---:|---|"]
    for module, functions in by_module(result):
        for fn in functions:
            rows.append(f"| {md_cell(module)} | `{md_cell(fn.name)}` | "
                        f"{points(fn.score)} / {points(fn.max_score)} | "
                        f"{MD_ICONS[fn.status]} {STATUS_WORDS[fn.status].split(':')[0]} |")
    rows.append(f"| **Total** | | **{points(result.score)} / {points(result.max_score)}** | |")
    return "\n".join(rows)


def render_feedback_markdown(result: GradeResult) -> str:
    """The Markdown report: a table of functions and points, then a section per failed check."""
    parts = [f"# Grading report: `{md_cell(result.submission.path)}`",
             f"**Total: {points(result.score)} / {points(result.max_score)}** "
             f"(grader {md_cell(result.grader_version)}, seed {result.seed})",
             next_step(result)]
    if result.notes:
        parts.append("\n".join(f"- {md_cell(note)}" for note in result.notes))
    parts.append(md_table(result))
    sections = []
    for fn in result.functions:
        if fn.status == "passed":
            continue
        body = []
        if fn.status != "failed":
            body.append(f"*{STATUS_WORDS[fn.status]}*")
        for check in failed_checks(fn):
            text = [f"### {md_cell(fn.name)}: {md_cell(check.name)} "
                    f"({points(check.score)} / {points(check.max_score)}){md_kind_tag(check)}"]
            if check.description:
                text.append(f"> {md_cell(check.description)}")
            if check.feedback.strip():
                text.append(md_code(printable(check.feedback)))
            body.append("\n\n".join(text))
        body += [f"- note: {md_cell(note)}" for note in fn.notes]
        if fn.output.strip():
            shown, count = output_excerpt(fn.output)
            more = f" (first {len(shown)} of {count} lines)" if count > len(shown) else ""
            body.append(f"Your function printed{more}:\n\n" + md_code("\n".join(shown)))
        heading = f"## `{md_cell(fn.name)}`: {points(fn.score)} / {points(fn.max_score)}"
        sections.append("\n\n".join([heading, *body]))
    if sections:
        parts += ["# What to fix", *sections]
    return "\n\n".join(parts) + "\n"

