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
from grader.i18n import N_, _
from grader.results import CheckResult, FunctionResult, GradeResult, full_marks

OUTPUT_LINES = 8  # captured output shown for a failed function, in lines

STATUS_WORDS = {  # in English; status_word() gives them in the current language
    "passed": N_("passed"),
    "failed": N_("failed"),
    "not_implemented": N_("not implemented yet"),
    "missing": N_("missing"),
    "timeout": N_("timed out: look for a loop that never ends or is very slow"),
    "error": N_("error: your function raised an exception"),
}
COLORS = {"passed": "32", "failed": "31", "error": "31", "timeout": "31",
          "not_implemented": "33", "missing": "33"}

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\ufffe\uffff\ud800-\udfff]")
_WORKFLOW_COMMAND = re.compile(r"^([^\S\n]*)(::|##\[)", re.M)  # what a CI runner obeys at the start of a line
COMMAND_GUARD = "| "
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def printable(text: str) -> str:
    """`text` without ANSI escape sequences and control characters (tabs and newlines stay), and with no
    line that a CI runner would take for a workflow command: a line starting with `::` or `##[` (after
    any spaces, which GitHub Actions skips) gets COMMAND_GUARD in front."""
    text = _CONTROL.sub("", _ANSI.sub("", text.replace("\r\n", "\n")))
    return _WORKFLOW_COMMAND.sub(lambda m: m.group(1) + COMMAND_GUARD + m.group(2), text)


def points(x: float) -> str:
    """8 -> '8.0', 7.5 -> '7.5', 2.25 -> '2.25': at most two decimals, at least one."""
    text = f"{x:.2f}"
    return text[:-1] if text.endswith("0") else text


def status_word(status: str, short: bool = False) -> str:
    """The status of a function in the current language; `short`: only the part before the colon."""
    word = _(STATUS_WORDS[status])
    return word.split(":")[0] if short else word


def total_line(result: GradeResult) -> str:
    return _("Total: {score} / {max_score}").format(score=points(result.score), max_score=points(result.max_score))


def note_line(note: str) -> str:
    return _("note: {note}").format(note=printable(note))


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
    gaps = [(fn.max_score - fn.score, -i, fn) for i, fn in enumerate(result.functions)
            if not full_marks(fn.score, fn.max_score)]
    if not gaps:
        return _("Every function passes all its checks: well done!")
    gap, _rank, fn = max(gaps, key=lambda g: g[:2])
    if fn.status in ("not_implemented", "missing"):
        line = _("Next: implement {name} ({points} points still to gain).")
    else:
        line = _("Next: work on {name} ({points} points still to gain).")
    return line.format(name=fn.name, points=points(gap))


def common_missing_reason(result: GradeResult) -> str | None:
    """The one reason every function is missing for (an empty folder, an unreadable file), when no note
    of the result gives it already; the report then says it once instead of once per function."""
    if not result.functions or any(fn.status != "missing" for fn in result.functions):
        return None
    reasons = {check.feedback for fn in result.functions for check in fn.checks[:1]}
    if len(reasons) != 1 or any(next(iter(reasons)) in note for note in result.notes):
        return None
    return reasons.pop()


def policy_words(result: GradeResult) -> str:
    """Which grading policy the points follow, by its fingerprint (grader.policy)."""
    if result.policy:
        return _("policy {fingerprint}").format(fingerprint=printable(result.policy))
    return _("policy not recorded")


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
    lines = [_("convgrade {version}: {path}  (seed fingerprint {seed}, {policy}, {seconds} s)").format(
        version=result.grader_version, path=printable(result.submission.path), seed=result.seed_fingerprint,
        policy=policy_words(result), seconds=f"{result.elapsed_s:.1f}")]
    lines += [note_line(note) for note in result.notes]
    nothing = common_missing_reason(result)
    if nothing is not None:  # one line, not the same reason once per function
        return "\n".join([*lines, "", printable(nothing), "", paint(total_line(result), None, bold=True)]) + "\n"
    for module, functions in by_module(result):
        lines += ["", paint(module, None, bold=True)]
        for fn in functions:
            score = f"{points(fn.score):>5} / {points(fn.max_score):<5}"
            lines.append(f"  {fn.name:<{width}}  {score}  {paint(status_word(fn.status), fn.status)}")
            for check in failed_checks(fn):
                lines.append(f"    - {printable(check.name)}  "
                             f"({points(check.score)} / {points(check.max_score)}){kind_tag(check)}")
                for text in printable(check.feedback or check.description).strip("\n").splitlines():
                    lines.append(f"        {text}".rstrip())
            lines += [f"    {note_line(note)}" for note in fn.notes]
            if fn.status != "passed" and fn.output.strip():
                shown, count = output_excerpt(fn.output)
                printed = (_("your function printed, first {shown} of {count} lines:") if count > len(shown)
                           else _("your function printed:"))
                lines.append(f"    {printed.format(shown=len(shown), count=count)}")
                lines += [f"      | {text}".rstrip() for text in shown]
    full = full_marks(result.score, result.max_score)
    lines += ["", paint(total_line(result), "passed" if full else None, bold=True), next_step(result)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- Markdown


def one_line(text: str) -> str:
    """`text` printable, on one line (for a log line, a table cell, a CSV cell)."""
    return printable(text).replace("\n", " ")


def md_cell(text: str) -> str:
    """`text` shown as written in Markdown, also in a table cell: one line, every character Markdown or
    HTML would interpret (emphasis, links, code, tags, entities, `|`) escaped."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def md_code_span(text: str) -> str:
    """`text` as inline code, also in a table cell: one line, fenced by more backticks than it holds."""
    text = one_line(text).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_code(text: str, info: str = "text") -> str:
    """A fenced code block whose fence is longer than any backtick run inside `text`."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text.rstrip()}\n{fence}"


def md_note(note: str) -> str:
    """A note as a list item; the lines after its first (an error shown with its caret) as a code block."""
    first, _, rest = note.partition("\n")
    return f"- {md_cell(first)}" + (f"\n\n{md_code(printable(rest))}\n" if rest.strip() else "")


MD_ICONS = {"passed": "✅", "failed": "❌", "error": "💥", "timeout": "⏱️",
            "not_implemented": "🚧", "missing": "❔"}


def md_table(result: GradeResult) -> str:
    """The table of functions and points, one row per function, then the total."""
    head = (_("Module"), _("Function"), _("Points"), _("Status"))
    rows = ["| " + " | ".join(head) + " |", "|---|---|---:|---|"]
    for module, functions in by_module(result):
        for fn in functions:
            rows.append(f"| {md_cell(module)} | {md_code_span(fn.name)} | "
                        f"{points(fn.score)} / {points(fn.max_score)} | "
                        f"{MD_ICONS[fn.status]} {status_word(fn.status, short=True)} |")
    rows.append(f"| **{_('Total')}** | | **{points(result.score)} / {points(result.max_score)}** | |")
    return "\n".join(rows)


def render_feedback_markdown(result: GradeResult) -> str:
    """The Markdown report: a table of functions and points, then a section per failed check."""
    grader = _("(grader {version}, seed fingerprint {seed}, {policy})").format(
        version=md_cell(result.grader_version), seed=md_cell(result.seed_fingerprint),
        policy=md_cell(policy_words(result)))
    parts = [_("# Grading report: {path}").format(path=md_code_span(result.submission.path)),
             f"**{total_line(result)}** {grader}", next_step(result)]
    if result.notes:
        parts.append("\n".join(md_note(note) for note in result.notes))
    parts.append(md_table(result))
    sections = []
    for fn in result.functions:
        if fn.status == "passed":
            continue
        body = []
        if fn.status != "failed":
            body.append(f"*{status_word(fn.status)}*")
        for check in failed_checks(fn):
            text = [f"### {md_code_span(fn.name)}: {md_cell(check.name)} "
                    f"({points(check.score)} / {points(check.max_score)}){md_kind_tag(check)}"]
            if check.description:
                text.append(f"> {md_cell(check.description)}")
            if check.feedback.strip():
                text.append(md_code(printable(check.feedback)))
            body.append("\n\n".join(text))
        body += [f"- {md_cell(note_line(note))}" for note in fn.notes]
        if fn.output.strip():
            shown, count = output_excerpt(fn.output)
            printed = (_("Your function printed (first {shown} of {count} lines):") if count > len(shown)
                       else _("Your function printed:"))
            body.append(printed.format(shown=len(shown), count=count) + "\n\n" + md_code("\n".join(shown)))
        heading = f"## {md_code_span(fn.name)}: {points(fn.score)} / {points(fn.max_score)}"
        sections.append("\n\n".join([heading, *body]))
    if sections:
        parts += [_("# What to fix"), *sections]
    return "\n\n".join(parts) + "\n"

