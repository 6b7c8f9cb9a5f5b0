"""Grading many submissions at once: a process pool that survives its processes dying, and progress.

Each process of the pool grades one submission at a time (its grading starts its own sandboxed worker);
the processes are forked from a `forkserver` that imported the grader once, so a pool starts quickly.
If a process of the pool dies (killed, out of memory), every submission it may have been grading is
graded again alone, in a fresh pool: one that kills its process again is recorded as an error, and the
others get their grades. At most `workers` submissions are in flight, so a death only ever concerns those.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable

from .batch_job import failed, init_pool_process
from .report_text import points


def run_pool(jobs: list, workers: int, grade: Callable, on_done: Callable) -> None:
    """Call `grade(job)` in a pool of `workers` processes for every job; `on_done(job, outcome)` in this
    process as each one finishes, in completion order."""
    queue = deque(jobs)
    while queue:
        suspects = deque(_run(queue, workers, grade, on_done))
        while suspects:  # alone in its pool, a job that breaks it again is the one to blame
            for job in _run(suspects, 1, grade, on_done):
                reason = ("the process grading this submission died (killed, or out of memory?), twice, "
                          "so it was given up")
                on_done(job, failed(job, reason))


def _run(queue: deque, workers: int, grade: Callable, on_done: Callable) -> list:
    """Grade jobs from `queue` until it is empty (returns []) or the pool breaks (returns the jobs that
    were in flight; the rest stay queued)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["grader.batch_job"])  # imported once; each process then forks ready
    running: dict = {}
    pool = ProcessPoolExecutor(max_workers=min(workers, len(queue)), mp_context=context,
                               initializer=init_pool_process, initargs=(os.getpid(),))
    finished = False
    try:
        while queue or running:
            while queue and len(running) < workers:
                job = queue.popleft()
                running[pool.submit(grade, job)] = job
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = []
            for future in done:
                job = running.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken.append(job)
                    continue
                except KeyboardInterrupt:
                    raise
                except BaseException as exc:  # raised outside grade_job's own guard
                    reason = f"the grader failed on this submission: {type(exc).__name__}: {exc}"
                    result = failed(job, reason)
                on_done(job, result)
            if broken:
                return broken + list(running.values())
        finished = True
        return []
    finally:
        # interrupted: do not wait for the submissions being graded (the pool's processes die with us)
        pool.shutdown(wait=finished, cancel_futures=True)


class Progress:
    """Counts and an ETA: a bar redrawn in place on a terminal, one plain line per submission otherwise."""

    def __init__(self, total: int, stream=None):
        self.total, self.done, self.errors = total, 0, 0
        self.stream = stream or sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.tty = bool(isatty and isatty())
        self.started = time.monotonic()

    def eta(self) -> str:
        if not self.done:
            return "--:--"
        left = (time.monotonic() - self.started) / self.done * (self.total - self.done)
        return f"{int(left) // 60:d}:{int(left) % 60:02d}"

    def update(self, entry_id: str, status: str, score: float, max_score: float, reason: str = "") -> None:
        self.done += 1
        self.errors += status != "complete"
        if self.tty:
            filled = round(30 * self.done / max(self.total, 1))
            self.stream.write(f"\r\x1b[K[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} graded"
                              f", {self.errors} errors, ETA {self.eta()}")
        else:
            width = len(str(self.total))
            text = (f"graded {entry_id}: {points(score)} / {points(max_score)}" if status == "complete"
                    else f"error {entry_id}: {reason}")
            self.stream.write(f"[{self.done:>{width}}/{self.total}] {text}\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty and self.total:
            self.stream.write("\n")
            self.stream.flush()
