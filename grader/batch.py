"""Grading a whole class, on one or many machines: `run_batch` and `merge_outputs` (the `grade batch` and
`grade merge` commands call them).

`grade batch SUBMISSIONS -o OUT` grades every entry of SUBMISSIONS (a folder, a .zip, a .py or a notebook;
its id is its name without the extension) from a private copy, in parallel, and writes the output folder
described in `grader.gradebook`. Each submission's files are written atomically as soon as it is graded,
and a re-run regrades only the submissions whose content or grading settings changed: a batch that was
killed is finished by running it again. `--shard i/n` grades a stable 1/n of the class; `grade merge`
joins the shards' output folders into one gradebook.
"""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .batch_job import (Entry, Job, Outcome, Settings, error_result, find_entries, grade_job, in_shard, parse_shard,
                        read_entry)
from .batch_pool import Progress, run_pool
from .batch_state import MANIFEST, STATE_DIR, Record, manifest_json, read_record, sha256, state_path, write_state
from .fileio import write_atomically
from .formats import format_report
from .gradebook import REPORT_EXTENSIONS, gradebook_csv, merge_records, read_manifest, summary_markdown
from .report_text import md_cell, md_code_span, one_line, points, render_feedback_markdown
from .results import GradeResult
from .sandbox import InfrastructureError, check_sandbox
from .scratch import BATCH, remove_orphans, scratch_folder
from .shards import check_shard_set
from .submission import Submission, SubmissionError
from .unpack import UnsafeSubmission


def error_feedback(result: GradeResult, reason: str) -> str:
    return (f"# Grading report: {md_code_span(result.submission.path)}\n\n"
            f"**Your submission could not be graded: {md_cell(reason)}.**\n\n"
            f"Check what you submitted (a folder or a .zip of your exercise modules, one .py file or a "
            f"notebook) and submit it again, or ask your instructor.\n")


def record_files(record: Record, fmt: str | None) -> dict[str, str]:
    """path in the output folder -> text, of every file of one submission but its state."""
    result = record.result
    feedback = (render_feedback_markdown(result) if record.status == "complete"
                else error_feedback(result, record.reason))
    files = {f"results/{record.id}.json": format_report(result, "json"), f"feedback/{record.id}.md": feedback}
    if fmt:
        files[f"reports/{record.id}.{REPORT_EXTENSIONS[fmt]}"] = format_report(result, fmt)
    return files


def write_record(out: Path, record: Record, fmt: str | None, run: str) -> None:
    """The files of one submission, its signed state last: a re-run trusts a result only once all are
    written, and only as they were written."""
    files = record_files(record, fmt)
    for name, text in files.items():
        write_atomically(out / name, text)
    record.files, record.run = {name: sha256(text) for name, text in files.items()}, run
    write_atomically(state_path(out, record.id), write_state(out, record))


def write_gradebook(out: Path, records: list[Record], shard: str | None, settings: dict | None) -> None:
    write_atomically(out / "grades.csv", gradebook_csv(records))
    write_atomically(out / "summary.md", summary_markdown(records))
    write_atomically(out / STATE_DIR / MANIFEST, manifest_json(out, [r.id for r in records], shard, settings))


def make_output_folder(out: Path) -> None:
    """Create `out`, which keeps itself out of version control: grades and feedback are private."""
    out.mkdir(parents=True, exist_ok=True)
    ignore = out / ".gitignore"
    if not ignore.exists():
        write_atomically(ignore, "# written by convgrade: grades and feedback stay out of version control\n*\n")


def remove_partial_writes(out: Path) -> None:
    """Temporary files of atomic writes interrupted by a kill (the files they were replacing are intact)."""
    for folder in (out, out / "results", out / "feedback", out / "reports", out / STATE_DIR,
                   out / STATE_DIR / "submissions"):
        for tmp in folder.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


def unchanged(out: Path, entry_id: str, key: str) -> bool:
    """Whether `entry_id` was graded with this cache key, and its files are as the grader wrote them."""
    record = read_record(out, entry_id)
    return record is not None and record.key == key


def read_entries(entries: list[Entry], refuse: Callable[[str, str, str], None]) -> list[tuple[Entry, Submission]]:
    """Every entry loaded from a private copy (removed as soon as it is loaded); `refuse(id, name, reason)`
    the ones that cannot be read. Scratch folders that batches and workers killed with SIGKILL left in
    the temporary folder are removed first."""
    remove_orphans()
    loaded = []
    with scratch_folder(BATCH) as scratch:
        for index, entry in enumerate(entries):
            try:
                loaded.append((entry, read_entry(entry, scratch / str(index))))
            except (UnsafeSubmission, SubmissionError) as exc:
                refuse(entry.id, entry.label, str(exc))
            except Exception as exc:  # whatever else makes it unreadable costs this submission only
                refuse(entry.id, entry.label, f"the submission cannot be read: {type(exc).__name__}: {exc}")
    return loaded


class BatchInterrupted(Exception):
    """The batch was interrupted (Ctrl-C); the submissions graded so far are kept."""

    def __init__(self, done: int):
        super().__init__(f"interrupted: the {done} submissions graded so far are kept; run the same "
                         f"command again to grade the rest")
        self.done = done


def to_stderr(line: str) -> None:
    print(line, file=sys.stderr)


def run_batch(submissions: Path, out: Path, settings: Settings, *, mode: str, jobs: int, fmt: str | None = None,
              shard: str | None = None, submission_timeout: float = 600.0, force: bool = False,
              log: Callable[[str], None] = to_stderr) -> BatchRun:
    """Grade every entry of `submissions` into the output folder `out`.

    Raises ValueError for a bad shard or an output folder that is the submissions folder,
    BatchInterrupted when interrupted, and InfrastructureError when the sandbox fails (before anything is
    written when it cannot start at all; the submission being graded is then not recorded)."""
    parts = parse_shard(shard) if shard else None
    if out.resolve() == submissions.resolve():
        raise ValueError("--output-dir must not be the submissions folder itself (a folder inside it is fine)")
    check_sandbox(mode)
    entries, ignored = find_entries(submissions, out)
    if parts:
        entries = [e for e in entries if in_shard(e.id, parts)]
    clashes = {e.id: e.clash for e in entries}
    if ignored:
        log(f"note: not submissions, ignored: {', '.join(ignored)}")
    run = uuid.uuid4().hex
    make_output_folder(out)
    remove_partial_writes(out)

    def record(entry_id: str, status: str, reason: str, key: str, result: GradeResult) -> None:
        write_record(out, Record(entry_id, status, reason, key, settings.as_dict(), result, clashes[entry_id]),
                     fmt, run)

    def refuse(entry_id: str, label: str, reason: str) -> None:
        record(entry_id, "error", reason, "", error_result(label, settings, reason))
        log(f"not graded {entry_id}: {one_line(reason)}")

    todo, skipped = [], 0
    for entry, sub in read_entries(entries, refuse):
        key = settings.key(sub.sha256)
        if not force and unchanged(out, entry.id, key):
            skipped += 1
        else:
            todo.append(Job(entry.id, sub, key, settings, mode, submission_timeout))
    if skipped:
        log(f"{skipped} submissions unchanged since they were graded: kept their grades "
            f"(--force grades them again)")
    progress = Progress(len(todo))

    def done(job: Job, outcome: Outcome) -> None:
        if outcome.status == "infrastructure":
            raise InfrastructureError(f"{outcome.reason} (while grading {job.id}, which is not recorded; "
                                      f"the {progress.done} submissions graded before it are kept)")
        result = outcome.result
        record(job.id, outcome.status, outcome.reason, job.key, result)
        progress.update(job.id, outcome.status, result.score, result.max_score, one_line(outcome.reason))

    try:
        run_pool(todo, jobs, grade_job, done)
    except KeyboardInterrupt:
        progress.finish()
        raise BatchInterrupted(progress.done) from None
    progress.finish()
    records = [r for e in entries if (r := read_record(out, e.id)) is not None]
    write_gradebook(out, records, shard, settings.as_dict())
    return BatchRun(out, records, graded=len(todo), skipped=skipped)


@dataclass
class BatchRun:
    """What a batch left in its output folder."""

    out: Path
    records: list[Record]  # every submission of the gradebook, graded now or kept
    graded: int  # graded by this run
    skipped: int  # unchanged since an earlier run, kept


def batch_summary(run: BatchRun) -> str:
    out, records, graded, skipped = run.out, run.records, run.graded, run.skipped
    complete = [r.result.score for r in records if r.status == "complete"]
    errors = len(records) - len(complete)
    mean = (f"; mean {points(sum(complete) / len(complete))} / {points(records[0].result.max_score)}"
            if complete else "")
    return (f"{out / 'grades.csv'}: {len(records)} submissions ({graded} graded now, {skipped} unchanged, "
            f"{errors} not graded){mean}; see {out / 'summary.md'}")


def merge_outputs(outputs: list[Path], out: Path, *, allow_partial: bool = False,
                  log: Callable[[str], None] = to_stderr) -> list[Record]:
    """Join the output folders of the shards of one batch into `out`; raises ValueError or MergeError
    (also, without `allow_partial`, when the folders are not every shard exactly once)."""
    target = out.resolve()
    if any(o.resolve() == target for o in outputs):
        raise ValueError(f"--output-dir {str(out)!r} must not be one of the folders being merged")
    manifests = [(o, read_manifest(o)) for o in outputs]
    for warning in check_shard_set(manifests, allow_partial):
        log(warning)
    chosen = merge_records(list(outputs))
    make_output_folder(out)
    for source, record in chosen:
        for name in record.files:  # verified when read: copied as they are, the state signed anew
            write_atomically(out / name, (source / name).read_text(encoding="utf-8"))
        write_atomically(state_path(out, record.id), write_state(out, record))
    records = [record for _, record in chosen]
    settings = next((m["settings"] for _, m in manifests if m.get("settings") is not None),
                    records[0].settings if records else None)
    write_gradebook(out, records, None, settings)
    return records
