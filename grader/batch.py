"""`grade batch`, `grade merge` and `grade gradescope-bundle`: grading a whole class, on one or many machines.

`grade batch SUBMISSIONS -o OUT` grades every entry of SUBMISSIONS (a folder, a .zip, a .py or a notebook;
its id is its name without the extension) from a private copy, in parallel, and writes the output folder
described in `grader.gradebook`. Each submission's files are written atomically as soon as it is graded,
and a re-run regrades only the submissions whose content or grading settings changed: a batch that was
killed is finished by running it again. `--shard i/n` grades a stable 1/n of the class; `grade merge`
joins the shards' output folders into one gradebook.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import click

from .batch_job import (Job, Settings, error_result, find_entries, grade_job, in_shard, parse_shard, prepare,
                        read_key)
from .batch_pool import Progress, run_pool
from .cli import grading_options, write_atomically
from .formats import FORMATS, render
from .gradebook import (MANIFEST, REPORT_EXTENSIONS, STATE_DIR, MergeError, Record, files_of, gradebook_csv,
                        manifest_json, merge_records, read_record, read_state, result_path, state_json,
                        state_path, summary_markdown)
from .gradescope_bundle import build_bundle
from .report_text import md_cell, points, render_feedback_markdown
from .results import GradeResult
from .runner import select_functions
from .sandbox import process_mode_note, resolve_mode
from .submission import SubmissionError
from .unpack import UnsafeSubmission


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def error_feedback(result: GradeResult, reason: str) -> str:
    return (f"# Grading report: `{md_cell(result.submission.path)}`\n\n"
            f"**Your submission could not be graded: {md_cell(reason)}.**\n\n"
            f"Check what you submitted (a folder or a .zip of your exercise modules, one .py file or a "
            f"notebook) and submit it again, or ask your instructor.\n")


def write_record(out: Path, record: Record, fmt: str | None, run: str) -> None:
    """The files of one submission, its state last: a re-run trusts a result only once all are written."""
    result = record.result
    write_atomically(result_path(out, record.id), render(result, "json"))
    feedback = (render_feedback_markdown(result) if record.status == "complete"
                else error_feedback(result, record.reason))
    write_atomically(out / "feedback" / f"{record.id}.md", feedback)
    if fmt:
        write_atomically(out / "reports" / f"{record.id}.{REPORT_EXTENSIONS[fmt]}", render(result, fmt))
    write_atomically(state_path(out, record.id), state_json(record, run))


def write_gradebook(out: Path, records: list[Record], shard: str | None) -> None:
    write_atomically(out / "grades.csv", gradebook_csv(records))
    write_atomically(out / "summary.md", summary_markdown(records))
    write_atomically(out / STATE_DIR / MANIFEST, manifest_json([r.id for r in records], shard))


def remove_partial_writes(out: Path) -> None:
    """Temporary files of atomic writes interrupted by a kill (the files they were replacing are intact)."""
    for folder in (out, out / "results", out / "feedback", out / "reports", out / STATE_DIR,
                   out / STATE_DIR / "submissions"):
        for tmp in folder.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


def unchanged(out: Path, entry_id: str, key: str) -> bool:
    state = read_state(out, entry_id)
    return bool(state and state.get("key") == key and result_path(out, entry_id).is_file())


@click.command("batch")
@click.argument("submissions", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--output-dir", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for grades.csv, summary.md, results/, feedback/ (and reports/ with --format).")
@click.option("--only", multiple=True, metavar="NAME", help="Grade only this function or module (repeatable).")
@grading_options
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=default_jobs, show_default="the cores",
              help="Submissions graded at the same time.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default=None,
              help="Also write reports/<id>.<ext> in this format.")
@click.option("--shard", metavar="i/n", default=None,
              help="Grade only the i-th of n stable parts of the class (then `grade merge` the outputs).")
@click.option("--submission-timeout", type=click.FloatRange(1, 86400), default=600.0, show_default=True,
              help="Seconds the grading of one submission may take in all.")
@click.option("--force", is_flag=True, help="Grade every submission again, even unchanged ones.")
def batch(submissions, output_dir, only, seed, examples, timeout, sandbox, jobs, fmt, shard,
          submission_timeout, force):
    """Grade every submission in SUBMISSIONS: folders, .zip files, .py files and notebooks."""
    try:
        parts = parse_shard(shard) if shard else None
        functions = select_functions(only)
        mode = resolve_mode(sandbox)
    except (ValueError, RuntimeError) as exc:
        raise click.UsageError(str(exc)) from None
    if output_dir.resolve() == submissions.resolve():
        raise click.UsageError("--output-dir must not be the submissions folder itself (a folder inside it is fine)")
    if mode == "process" and sandbox == "auto":
        click.echo(process_mode_note(), err=True)
    settings = Settings(seed=seed, examples=examples, functions=tuple(functions), timeout=timeout)
    entries, ignored, clashes = find_entries(submissions, output_dir)
    if parts:
        entries = [e for e in entries if in_shard(e.id, parts)]
        clashes = {i: names for i, names in clashes.items() if in_shard(i, parts)}
    if ignored:
        click.echo(f"note: not submissions, ignored: {', '.join(ignored)}", err=True)
    out, run = output_dir, uuid.uuid4().hex
    out.mkdir(parents=True, exist_ok=True)
    remove_partial_writes(out)

    def record(entry_id: str, status: str, reason: str, key: str, result: GradeResult) -> None:
        write_record(out, Record(entry_id, status, reason, key, settings.as_dict(), result), fmt, run)

    def refuse(entry_id: str, label: str, reason: str) -> None:
        record(entry_id, "error", reason, "", error_result(label, settings, reason))
        click.echo(f"not graded {entry_id}: {reason}", err=True)

    with tempfile.TemporaryDirectory(prefix="convgrade-batch-") as scratch:
        todo, skipped = [], 0
        for index, entry in enumerate(entries):
            try:
                root = prepare(entry, Path(scratch) / str(index))
                key = read_key(root, settings)
            except (UnsafeSubmission, SubmissionError) as exc:
                refuse(entry.id, entry.path.name, str(exc))
                continue
            except Exception as exc:  # whatever else makes it unreadable costs this submission only
                refuse(entry.id, entry.path.name, f"the submission cannot be read: {type(exc).__name__}: {exc}")
                continue
            if not force and unchanged(out, entry.id, key):
                skipped += 1
            else:
                todo.append(Job(entry.id, entry.path.name, str(root), key, settings, mode, submission_timeout))
        for entry_id, names in clashes.items():
            refuse(entry_id, names[0], f"several submissions have the id {entry_id!r} ({', '.join(names)}); "
                                       f"rename all but one")
        if skipped:
            click.echo(f"{skipped} submissions unchanged since they were graded: kept their grades "
                       f"(--force grades them again)", err=True)
        progress = Progress(len(todo))

        def done(job: Job, outcome: dict) -> None:
            result = GradeResult.from_dict(outcome["result"])
            record(job.id, outcome["status"], outcome["reason"], outcome["key"], result)
            progress.update(job.id, outcome["status"], result.score, result.max_score, outcome["reason"])

        try:
            run_pool(todo, jobs, grade_job, done)
        except KeyboardInterrupt:
            progress.finish()
            click.echo(f"interrupted: the {progress.done} submissions graded so far are kept; run the same "
                       f"command again to grade the rest", err=True)
            raise click.exceptions.Exit(130) from None
        progress.finish()
    ids = [e.id for e in entries] + list(clashes)
    records = [r for i in ids if (r := read_record(out, i)) is not None]
    write_gradebook(out, records, shard)
    _report(out, records, graded=len(todo), skipped=skipped)


def _report(out: Path, records: list[Record], graded: int, skipped: int) -> None:
    complete = [r.result.score for r in records if r.status == "complete"]
    errors = len(records) - len(complete)
    mean = (f"; mean {points(sum(complete) / len(complete))} / {points(records[0].result.max_score)}"
            if complete else "")
    click.echo(f"{out / 'grades.csv'}: {len(records)} submissions ({graded} graded now, {skipped} unchanged, "
               f"{errors} not graded){mean}; see {out / 'summary.md'}")


@click.command("merge")
@click.argument("outputs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--output-dir", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the joined gradebook, summary, results and feedback.")
def merge(outputs, output_dir):
    """Join the output folders of `grade batch --shard` runs (OUTPUTS) into one gradebook."""
    target = output_dir.resolve()
    if any(o.resolve() == target for o in outputs):
        raise click.UsageError(f"--output-dir {str(output_dir)!r} must not be one of the folders being merged")
    try:
        chosen = merge_records(list(outputs))
    except MergeError as exc:
        raise click.ClickException(str(exc)) from None
    for source, record in chosen:
        for path in files_of(source, record.id):
            if path.is_file():
                write_atomically(output_dir / path.relative_to(source), path.read_text(encoding="utf-8"))
    records = [record for _, record in chosen]
    write_gradebook(output_dir, records, None)
    click.echo(f"merged {len(records)} submissions from {len(outputs)} folders into {output_dir / 'grades.csv'}; "
               f"see {output_dir / 'summary.md'}")


@click.command("gradescope-bundle")
@click.argument("out_zip", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--source", metavar="PIP_SPEC", default=None,
              help="What the autograder pip-installs (e.g. convgrade==0.1.0 or a git URL); default: ships "
                   "this checkout's source in the zip.")
def gradescope_bundle(out_zip, source):
    """Write OUT_ZIP, the autograder zip of a Gradescope programming assignment."""
    try:
        path = build_bundle(out_zip, source=source)
    except FileNotFoundError as exc:
        raise click.ClickException(f"{exc}; pass --source with a pip requirement instead") from None
    click.echo(f"wrote {path}: upload it as the autograder of a Gradescope programming assignment")
