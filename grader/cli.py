"""The `grade` command."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from .formats import FORMATS, render, write_github_outputs
from .report_text import use_color
from .runner import DEFAULT_EXAMPLES, DEFAULT_SEED, DEFAULT_TIMEOUT, grade, select_functions
from .sandbox import MODES, process_mode_note, resolve_mode
from .submission import SubmissionError, load_submission

DEFAULT_COMMAND = "check"


class DefaultGroup(click.Group):
    """`grade PATH` means `grade check PATH`; `grade batch ...` and the other subcommands stay as they are."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


def write_atomically(path: Path, text: str) -> None:
    """Write next to the destination, then rename: a reader never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def grading_options(f):
    f = click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
                     help="Seed of the generated cases (instructors: pass a secret one).")(f)
    f = click.option("--examples", type=click.IntRange(1, 10_000), default=DEFAULT_EXAMPLES, show_default=True,
                     help="Generated examples per property.")(f)
    f = click.option("--timeout", type=click.FloatRange(0.1, 600), default=DEFAULT_TIMEOUT, show_default=True,
                     help="Seconds one call of a student function may take.")(f)
    f = click.option("--sandbox", type=click.Choice(MODES), default="auto", show_default=True,
                     help="Worker isolation: bwrap (bubblewrap), a plain process, or auto.")(f)
    return f


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="convgrade")
def main():
    """Grade convolutional-network exercises.

    \b
    grade                       grade ./exercises
    grade PATH                  grade a folder, a .py file or a notebook
    grade batch DIR -o OUT      grade a whole class (instructors)
    grade init DEST             copy the exercises and notebooks to DEST
    """


@main.command(DEFAULT_COMMAND)
@click.argument("path", required=False, default="exercises", type=click.Path(path_type=Path))
@click.option("--only", multiple=True, metavar="NAME", help="Grade only this function or module (repeatable).")
@grading_options
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True,
              help="Report format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of the terminal.")
@click.option("--fail-under", type=float, default=None, help="Exit with status 1 when the score is below this.")
@click.option("--color/--no-color", default=None, help="Force colour on or off (default: when a terminal).")
def check(path, only, seed, examples, timeout, sandbox, fmt, output, fail_under, color):
    """Grade PATH (default: ./exercises): a folder of exercise modules, a .py file, or a notebook."""
    if not path.exists():
        hint = " Run `grade init` to get the exercises, or pass the path of your work." if str(path) == "exercises" else ""
        raise click.UsageError(f"{str(path)!r} does not exist.{hint}")
    try:
        select_functions(only)
        mode = resolve_mode(sandbox)
        submission = load_submission(path)
    except (ValueError, RuntimeError, SubmissionError) as exc:
        raise click.UsageError(str(exc)) from None
    if mode == "process" and sandbox == "auto":
        click.echo(process_mode_note(), err=True)
    result = grade(path, seed=seed, examples=examples, only=only, timeout=timeout, sandbox=mode,
                   submission=submission)
    colored = (use_color(sys.stdout) if color is None else color) and output is None
    text = render(result, fmt, color=colored)
    if output is not None:
        write_atomically(output, text)
    else:
        click.echo(text, nl=not text.endswith("\n"))
    if fmt == "github":
        write_github_outputs(result)
    if fail_under is not None and result.score < fail_under:
        raise click.exceptions.Exit(1)


def _register_subcommands():
    """Subcommands live in the modules of their features."""
    from .audit import audit_command
    from .batch import batch, gradescope_bundle, merge
    from .generate import generate_command, init_command

    for command in (batch, merge, gradescope_bundle, generate_command, init_command, audit_command):
        main.add_command(command)


_register_subcommands()
