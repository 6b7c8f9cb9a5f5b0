"""One submission of a batch: find it, copy it privately, know when it is unchanged, grade it.

`find_entries` lists the submissions of a folder (their names cleaned once, here, for every report and
log); `read_entry` copies or extracts one into a private folder and loads it from there (the cache key is
the submission's sha256 and every setting a grade depends on, `Settings.key`); `grade_job` grades the
loaded submission inside a process of the batch's pool and never raises: whatever goes wrong is an
"error" outcome with its reason, or an "infrastructure" one when the machine, not the submission, failed.
"""

from __future__ import annotations

import hashlib
import json
import os
import select
import shutil
import signal
import threading
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

from . import __version__, processes
from .batch_state import STATE_DIR
from .catalog import MODULES
from .i18n import use_language
from .policy import DEFAULT_POLICY, Policy
from .results import GradeResult, SubmissionInfo, seed_fingerprint, total
from .runner import grade
from .sandbox import InfrastructureError
from .submission import Submission, load_submission
from .unpack import IGNORED_DIRS, UnsafeSubmission, copy_file, copy_folder, extract_zip, submission_root

KINDS = {".zip": "zip", ".py": "py", ".ipynb": "ipynb"}
MAX_ID = 100  # characters of an id: results/<id>.json and its temporary twin must fit a file name


@dataclass(frozen=True)
class Entry:
    id: str  # its name cleaned (clean_name), without the extension unless several entries claim one id
    path: Path
    kind: str  # folder, zip, py, ipynb, or link (refused)
    label: str  # its whole name, cleaned: what reports and logs show
    clash: str = ""  # when several entries claimed its id: which, in words (summary.md lists them)


@dataclass(frozen=True)
class Settings:
    """Everything a grade depends on besides the submission itself (sandbox and jobs do not count)."""

    seed: int
    examples: int
    functions: tuple[str, ...]
    timeout: float
    lang: str = "en"  # the language of the feedback
    grader_version: str = __version__
    policy: Policy = DEFAULT_POLICY  # its fingerprint is in the cache key

    def as_dict(self) -> dict:
        """As recorded in each submission's state (and compared by `grade merge`)."""
        return {**asdict(self), "functions": list(self.functions), "policy": self.policy.fingerprint}

    def key(self, sha256: str) -> str:
        text = json.dumps({"sha256": sha256, **self.as_dict()}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def max_score(self) -> float:
        return total(c.points for name in self.functions for c in self.policy.checks_for(name))


@dataclass(frozen=True)
class Job:
    """One submission to grade in the pool (sent to its process as it is: plain, picklable data)."""

    id: str
    submission: Submission  # loaded once, in the batch process; its path is the entry's name
    key: str
    settings: Settings
    sandbox: str
    time_limit: float


@dataclass(frozen=True)
class Outcome:
    """What grading one job gave: its grade, or why it could not be graded."""

    status: str  # complete | error | infrastructure (the machine failed: nothing is recorded)
    reason: str
    result: GradeResult


def failed(job: Job, reason: str) -> Outcome:
    """The outcome of a job that could not be graded: no function, 0 points, the reason."""
    return Outcome("error", reason, error_result(job.submission.path, job.settings, reason))


def clean_name(name: str) -> str:
    """A name as every report and log may show it: NFC, each control, format, separator (but the space),
    private or unassigned character replaced by `_`, at most MAX_ID characters. Letters, digits, marks and
    punctuation of every script (Hangul too) stay as they are."""
    name = unicodedata.normalize("NFC", name)
    return "".join(c if c == " " or unicodedata.category(c)[0] not in "CZ" else "_" for c in name)[:MAX_ID]


def find_entries(folder: Path, output_dir: Path | None = None) -> tuple[list[Entry], list[str]]:
    """(entries sorted by id, the cleaned names of what was ignored).

    Hidden names, `__MACOSX`-like folders, the output folder (and any folder holding a batch's output) and
    files that are not .zip, .py or .ipynb are not submissions. A symbolic link is an entry of kind
    "link", which `prepare` refuses.
    """
    skip = output_dir.resolve() if output_dir is not None else None
    claims, ignored = [], []
    for path in sorted(Path(folder).iterdir()):
        if path.name.startswith(".") or path.name in IGNORED_DIRS or (skip and path.resolve() == skip):
            continue
        if path.is_symlink():
            kind = "link"
        elif path.is_dir() and (path / STATE_DIR).is_dir():
            ignored.append(f"{clean_name(path.name)} (the output of a batch)")
            continue
        elif path.is_dir():
            kind = "folder"
        elif path.suffix in KINDS and path.is_file():
            kind = KINDS[path.suffix]
        else:
            ignored.append(clean_name(path.name))
            continue
        stem = path.name[: -len(path.suffix)] if path.suffix in KINDS and kind != "folder" else path.name
        claims.append((clean_name(stem), path, kind))
    return _distinct(claims), ignored


def _distinct(claims) -> list[Entry]:
    """One id per entry: its cleaned name without the extension. Where several claim one id, a folder
    keeps it and the others take their whole cleaned name, then `~2`, `~3`... in name order."""
    by_id: dict[str, list] = {}
    for claim in claims:
        by_id.setdefault(claim[0], []).append(claim)
    taken = set(by_id)
    entries = []
    for base, group in sorted(by_id.items()):
        if len(group) == 1:
            entries.append(Entry(base, group[0][1], group[0][2], clean_name(group[0][1].name)))
            continue
        names = [clean_name(path.name) for _, path, _ in group]
        clash = f"{' and '.join(names)} all have the id {base!r}"
        keeper = next((path for _, path, kind in group if kind == "folder"), None)
        for (_, path, kind), name in zip(group, names):
            entry_id, n = (base if path == keeper else name), 2
            while path != keeper and entry_id in taken:
                entry_id, n = f"{name}~{n}", n + 1
            taken.add(entry_id)
            entries.append(Entry(entry_id, path, kind, name, clash))
    return sorted(entries, key=lambda e: e.id)


def parse_shard(text: str) -> tuple[int, int]:
    """'2/4' -> (2, 4); raises ValueError with the house message otherwise."""
    try:
        i, n = (int(part) for part in text.split("/"))
    except ValueError:
        i = n = None
    if i is None or not 1 <= i <= n:
        raise ValueError(f"'shard' must look like i/n with 1 <= i <= n (got {text})")
    return i, n


def in_shard(entry_id: str, shard: tuple[int, int]) -> bool:
    """Whether `entry_id` belongs to shard i of n: a stable hash of the id, the same on every machine."""
    i, n = shard
    return int(hashlib.sha256(entry_id.encode("utf-8")).hexdigest(), 16) % n == i - 1


def prepare(entry: Entry, scratch: Path) -> Path:
    """Copy or extract `entry` into the new folder `scratch`; return what to grade inside it.

    Raises UnsafeSubmission when the submission is refused or holds nothing to grade.
    """
    if entry.kind == "link":
        raise UnsafeSubmission(f"{entry.label} is a symbolic link; submit the files themselves")
    if entry.kind == "zip":
        folder = extract_zip(entry.path, scratch)
    elif entry.kind == "folder":
        folder = copy_folder(entry.path, scratch)
    else:
        return copy_file(entry.path, scratch)
    root = submission_root(folder)
    if root is None:
        where = "in the zip" if entry.kind == "zip" else "in the folder"
        raise UnsafeSubmission(f"nothing to grade {where}: no exercise module "
                               f"({', '.join(m + '.py' for m in MODULES)}), notebook or .py file")
    return root


def read_entry(entry: Entry, scratch: Path) -> Submission:
    """`entry` copied or extracted into the new folder `scratch`, loaded from there (named by the entry's
    cleaned name), and the copy removed; raises UnsafeSubmission or SubmissionError."""
    try:
        return load_submission(prepare(entry, scratch), label=entry.label)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def error_result(label: str, settings: Settings, reason: str) -> GradeResult:
    """The result recorded for a submission that could not be graded: no function, 0 points."""
    policy = settings.policy.with_settings(examples=settings.examples, timeout=settings.timeout)
    return GradeResult(score=0.0, max_score=settings.max_score(), seed_fingerprint=seed_fingerprint(settings.seed),
                       grader_version=settings.grader_version, elapsed_s=0.0,
                       submission=SubmissionInfo(path=label, sha256=""), settings=policy.grade_settings(),
                       functions=[], notes=[f"not graded: {reason}"], policy=policy.fingerprint)


class TimeLimit(BaseException):
    """The grading of one submission took longer than its time limit."""


def _on_alarm(signum, frame):
    raise TimeLimit()


def init_pool_process(batch_pid: int) -> None:
    """Run in each process of the pool: die with the batch, even when it is killed with SIGKILL.

    The pool's processes are children of a forkserver that lives as long as they do, so the parent-death
    signal cannot tell; a thread waits on a pidfd of the batch process instead, then kills the sandboxed
    workers of this process and the process itself.
    """
    try:
        pidfd = os.pidfd_open(batch_pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd (not Linux >= 5.3): the pool's closed pipes end us later
        return

    def watch():
        select.select([pidfd], [], [])
        for pid in list(processes.LIVE):  # the workers this process started, each in its own session
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="die-with-the-batch", daemon=True).start()


def grade_job(job: Job) -> Outcome:
    """Grade the submission of `job` (in a process of the pool); never raises an Exception."""
    s = job.settings
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, job.time_limit)
    try:
        with use_language(s.lang):
            result = grade(job.submission, seed=s.seed, examples=s.examples, only=s.functions,
                           timeout=s.timeout, sandbox=job.sandbox, policy=s.policy)
        return Outcome("complete", "", result)
    except TimeLimit:
        reason = (f"grading took longer than {job.time_limit:g} s (--submission-timeout), "
                  f"so it was stopped")
    except InfrastructureError as exc:  # the machine's failure, not the submission's: never recorded
        return Outcome("infrastructure", str(exc), error_result(job.submission.path, s, str(exc)))
    except Exception as exc:  # one broken submission must not stop the class
        reason = f"the grader failed on this submission: {type(exc).__name__}: {exc}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return failed(job, reason)
