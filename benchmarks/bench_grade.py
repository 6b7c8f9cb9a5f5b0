"""Wall time of `grade` on the reference solutions, on stubs, on a submission wrong everywhere, and on one that
loops forever.

    python benchmarks/bench_grade.py [--runs 5] [--output benchmarks/RESULTS-grade.md]

Each case runs the real command line (`grade PATH --format json`) in a fresh process, as a student does. The
cases are interleaved (one run of each, then the next round), so that load arriving from elsewhere on the
machine touches all of them alike; the report gives the median and the spread of the wall times, the ratios
the targets are about, the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from grader.catalog import FUNCTIONS
from grader.defaults import DEFAULT_EXAMPLES, DEFAULT_TIMEOUT

REPO = Path(__file__).resolve().parent.parent
BODY = re.compile(r"(\n[ \t]*)# BEGIN SOLUTION\n.*?# END SOLUTION", re.S)
WRONG = '''

def _off_by_one(value):
    if isinstance(value, tuple):
        return tuple(_off_by_one(v) for v in value)
    if isinstance(value, bool) or not isinstance(value, (int, float, __import__("numpy").ndarray)):
        return value
    return value + 1


def _wrong(function):
    def wrong(*args, **kwargs):
        return _off_by_one(function(*args, **kwargs))
    return wrong


for _name in {names!r}:
    globals()[_name] = _wrong(globals()[_name])
'''


def make_variant(dest: Path, body: str) -> Path:
    dest.mkdir(parents=True)
    for source in (REPO / "solutions").glob("*.py"):
        (dest / source.name).write_text(BODY.sub(lambda m: m.group(1) + body, source.read_text()))
    return dest


def make_wrong(dest: Path) -> Path:
    """The solutions with every exercise function's answer off by one (each array element, each number)."""
    dest.mkdir(parents=True)
    for source in (REPO / "solutions").glob("*.py"):
        names = [name for name, module in FUNCTIONS.items() if module == source.stem]
        (dest / source.name).write_text(source.read_text() + (WRONG.format(names=names) if names else ""))
    return dest


def grade_once(path: Path, extra=()) -> float:
    started = time.perf_counter()
    subprocess.run([shutil.which("grade") or "grade", str(path), "--format", "json", *extra],
                   check=True, capture_output=True, cwd=REPO)
    return time.perf_counter() - started


def machine() -> str:
    """The CPU, its cores (and how many this process may use), the OS and Python, for every report."""
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{model}, {os.cpu_count()} logical cores ({usable} usable), {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def publish(report: str, output: Path | None) -> None:
    """Print the Markdown report and, with --output, write it there."""
    print(report)
    if output:
        output.write_text(report.rstrip("\n") + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-grade-"))
    try:
        cases = {  # name -> (path, extra options, runs)
            "reference solutions": (REPO / "solutions", (), args.runs),
            "reference solutions, --examples 8": (REPO / "solutions", ("--examples", "8"), args.runs),
            "wrong answers in every function": (make_wrong(scratch / "wrong"), (), args.runs),
            "all stubs (NotImplementedError)": (make_variant(scratch / "stubs", "raise NotImplementedError"), (),
                                                args.runs),
            "endless loop in every function": (make_variant(scratch / "loops", "while True:\n            pass"), (),
                                               1),
        }
        load_before = os.getloadavg()[0]
        times = {name: [] for name in cases}
        for round_ in range(args.runs):
            for name, (path, extra, runs) in cases.items():
                if round_ < runs:
                    times[name].append(grade_once(path, extra))
        load_after = os.getloadavg()[0]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    median = {name: statistics.median(t) for name, t in times.items()}
    rows = [f"| {name} | {len(t)} | {median[name]:.2f} s | {min(t):.2f}–{max(t):.2f} s |"
            for name, t in times.items()]
    sandbox = "bwrap" if shutil.which("bwrap") else "process"
    correct = median["reference solutions"]
    report = "\n".join([
        "| submission | runs | median wall | range |", "|---|---:|---:|---:|", *rows, "",
        f"Default examples / --examples 8: {correct / median['reference solutions, --examples 8']:.2f}x; "
        f"wrong everywhere / correct: {median['wrong answers in every function'] / correct:.2f}x.",
        "",
        f"Machine: {machine()}. Default options ({DEFAULT_EXAMPLES} examples per property, {DEFAULT_TIMEOUT:g} s "
        f"per call), sandbox: {sandbox}; cases interleaved, one run of each per round. "
        f"1-minute load average {load_before:.2f} before, {load_after:.2f} after.",
    ])
    publish(report, args.output)


if __name__ == "__main__":
    main()
