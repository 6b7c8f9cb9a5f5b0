"""`grade [PATH]`: grade one submission and print or write its report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..bwrap import process_mode_note, resolve_mode
from ..fileio import write_output
from ..formats import FORMATS, format_report, write_github_outputs
from ..notices import unseen
from ..report_text import use_color
from ..runner import grade, select_functions
from ..i18n import _
from ..sandbox import InfrastructureError
from ..submission import SubmissionError, load_submission
from .options import GradingStopped, course_policy, grading_options, language_option, only_option

NAME = "check"


@click.command(NAME, hidden=True)  # `grade [PATH]`: the group's default command
@click.argument("path", required=False, default="exercises", type=click.Path(path_type=Path))
@only_option
@grading_options
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True,
              help="Report format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="Write the report to this file instead of the terminal (`-`: standard output).")
@click.option("--fail-under", type=float, default=None, help="Exit with status 1 when the score is below this.")
@click.option("--color/--no-color", default=None, help="Force colour on or off (default: when a terminal).")
@language_option
def check(path, only, seed, examples, timeout, sandbox, policy_file, fmt, output, fail_under, color):
    """Grade PATH (default: ./exercises): a folder of exercise modules, a .py file, or a notebook."""
    if not path.exists():
        message = _("{path} does not exist.").format(path=repr(str(path)))
        if str(path) == "exercises":
            message += " " + _("Run `grade init` to get the exercises, or pass the path of your work.")
        raise click.UsageError(message)
    policy = course_policy(policy_file, path, examples=examples, timeout=timeout)
    try:
        functions = select_functions(only)
        mode = resolve_mode(sandbox)
        submission = load_submission(path)
    except (ValueError, RuntimeError, SubmissionError) as exc:
        raise click.UsageError(str(exc)) from None
    if mode == "process" and sandbox == "auto" and unseen(note := process_mode_note()):
        click.echo(note, err=True)
    try:
        result = grade(submission, seed=seed, only=functions, sandbox=mode, policy=policy)
    except InfrastructureError as exc:
        raise GradingStopped(str(exc), "No report was written.") from None
    colored = (use_color(sys.stdout) if color is None else color) and output is None
    text = format_report(result, fmt, color=colored)
    if output is not None:
        write_output(output, text)
    else:
        click.echo(text, nl=not text.endswith("\n"))
    if fmt == "github":
        write_github_outputs(result)
    if fail_under is not None and result.score < fail_under:
        raise click.exceptions.Exit(1)
