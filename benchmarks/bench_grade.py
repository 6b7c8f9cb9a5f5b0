"""Wall time of `grade` on the reference solutions, on the stubs and on a submission that loops forever.

    python benchmarks/bench_grade.py [--runs 5] [--output benchmarks/RESULTS-grade.md]

Each case runs the real command line (`grade PATH --format json`) in a fresh process, as a student does, and
reports the median and the spread of the wall times, with the machine and its load.
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

from grader.defaults import DEFAULT_EXAMPLES, DEFAULT_TIMEOUT

REPO = Path(__file__).resolve().parent.parent
BODY = re.compile(r"(\n[ \t]*)# BEGIN SOLUTION\n.*?# END SOLUTION", re.S)


def make_variant(dest: Path, body: str) -> Path:
    dest.mkdir(parents=True)
    for source in (REPO / "solutions").glob("*.py"):
        (dest / source.name).write_text(BODY.sub(lambda m: m.group(1) + body, source.read_text()))
    return dest


def time_grade(path: Path, runs: int, extra=()) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([shutil.which("grade") or "grade", str(path), "--format", "json", *extra],
                       check=True, capture_output=True, cwd=REPO)
        times.append(time.perf_counter() - started)
    return times


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    return f"{cpu}, {os.cpu_count()} logical cores, Python {platform.python_version()}, {platform.system()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-grade-"))
    try:
        cases = [
            ("reference solutions", REPO / "solutions", args.runs, ()),
            ("all stubs (NotImplementedError)", make_variant(scratch / "stubs", "raise NotImplementedError"),
             args.runs, ()),
            ("endless loop in every function", make_variant(scratch / "loops", "while True:\n            pass"),
             1, ()),
        ]
        load_before = os.getloadavg()[0]
        rows = []
        for name, path, runs, extra in cases:
            times = time_grade(path, runs, extra)
            rows.append(f"| {name} | {len(times)} | {statistics.median(times):.2f} s | "
                        f"{min(times):.2f}–{max(times):.2f} s |")
        load_after = os.getloadavg()[0]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    sandbox = "bwrap" if shutil.which("bwrap") else "process"
    report = "\n".join([
        "| submission | runs | median wall | range |", "|---|---:|---:|---:|", *rows, "",
        f"Machine: {machine()}. Default options ({DEFAULT_EXAMPLES} examples per property, {DEFAULT_TIMEOUT:g} s "
        f"per call), sandbox: {sandbox}. "
        f"1-minute load average {load_before:.2f} before, {load_after:.2f} after.",
    ])
    print(report)
    if args.output:
        args.output.write_text(report + "\n")


if __name__ == "__main__":
    main()
