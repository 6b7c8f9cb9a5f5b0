"""`grade batch` and `grade merge`: a whole class, on one machine or split over many."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..batch import BatchInterrupted, batch_summary, merge_outputs, run_batch
from ..batch_job import Settings
from ..formats import FORMATS
from ..gradebook import MergeError
from ..notices import unseen
from ..i18n import current_language
from ..runner import select_functions
from ..bwrap import batch_mode, process_mode_note
from ..defaults import DEFAULT_SUBMISSION_TIMEOUT
from ..sandbox import InfrastructureError
from .options import GradingStopped, course_policy, grading_options, language_option, only_option


PROCESS_MODE_REMINDER = ("note: bubblewrap is not usable here, so student code runs in a plain process "
                         "(see docs/threat-model.md)")


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def echo_err(line: str) -> None:
    click.echo(line, err=True)


@click.command("batch")
@click.argument("submissions", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--output-dir", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for grades.csv, summary.md, results/, feedback/ (and reports/ with --format).")
@only_option
@grading_options
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=default_jobs, show_default="the cores",
              help="Submissions graded at the same time.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default=None,
              help="Also write reports/<id>.<ext> in this format.")
@click.option("--shard", metavar="i/n", default=None,
              help="Grade only the i-th of n stable parts of the class (then `grade merge` the outputs).")
@click.option("--submission-timeout", type=click.FloatRange(1, 86400), default=None,
              show_default=f"{DEFAULT_SUBMISSION_TIMEOUT:g}, or the policy's",
              help="Seconds the grading of one submission may take in all.")
@click.option("--force", is_flag=True, help="Grade every submission again, even unchanged ones.")
@language_option
def batch(submissions, output_dir, only, seed, examples, timeout, sandbox, policy_file, jobs, fmt, shard,
          submission_timeout, force):
    """Grade every submission in SUBMISSIONS: folders, .zip files, .py files and notebooks."""
    policy = course_policy(policy_file, submissions, examples=examples, timeout=timeout,
                           submission_timeout=submission_timeout)
    try:
        functions = policy.functions(select_functions(only))
        mode = batch_mode(sandbox)
        if mode == "process":
            note = process_mode_note()
            echo_err(note if unseen(note) else PROCESS_MODE_REMINDER)
        settings = Settings(seed=seed, examples=policy.examples, functions=tuple(functions),
                            timeout=policy.timeout, lang=current_language(), policy=policy)
        run = run_batch(submissions, output_dir, settings, mode=mode, jobs=jobs, fmt=fmt, shard=shard,
                        submission_timeout=policy.submission_timeout, force=force, log=echo_err)
    except (ValueError, RuntimeError) as exc:
        raise click.UsageError(str(exc)) from None
    except BatchInterrupted as exc:
        echo_err(str(exc))
        raise click.exceptions.Exit(130) from None
    except InfrastructureError as exc:
        raise GradingStopped(str(exc), "Fix the machine, then run the same command again: it grades what "
                                       "is not recorded yet.") from None
    click.echo(batch_summary(run))


@click.command("merge")
@click.argument("outputs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--output-dir", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the joined gradebook, summary, results and feedback.")
@click.option("--allow-partial", is_flag=True,
              help="Merge even when a shard is missing or given twice (a warning says which).")
def merge(outputs, output_dir, allow_partial):
    """Join the output folders of `grade batch --shard i/n` runs (OUTPUTS, every i of n once) into one
    gradebook."""
    try:
        records = merge_outputs(list(outputs), output_dir, allow_partial=allow_partial, log=echo_err)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    except MergeError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"merged {len(records)} submissions from {len(outputs)} folders into {output_dir / 'grades.csv'}; "
               f"see {output_dir / 'summary.md'}")
