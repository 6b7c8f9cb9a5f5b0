"""A student release measured: build time and size, recorded cases per check, the local grade of the
reference, and the catch rate of the release's local checks beside the full grader's on tests/mutants/.

    python benchmarks/bench_release.py [--seed 20240611] [--output benchmarks/RESULTS-release.md]

The full grader grades each mutant with the reference at seed 0 (as `grade audit`, but at the default
examples); the local checks grade it with the release's recorded answers only, as a student's `grade` does.
A mutant is caught when its own function loses points.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench_grade import machine, publish

from grader.catalog import FUNCTIONS
from grader.checks import checks_for
from grader.defaults import DEFAULT_EXAMPLES
from grader.mutants import build_submission, default_mutants_dir, load_mutants
from grader.recorded import load
from grader.release import make_release
from grader.runner import grade

REPO = Path(__file__).resolve().parent.parent


def caught(mutants, reference) -> dict:
    """mutant name -> whether its own function lost points."""
    def one(mutant):
        with tempfile.TemporaryDirectory() as tmp:
            result = grade(build_submission(mutant, Path(tmp) / "s"), only=(mutant.function,), reference=reference)
        fn = result.function(mutant.function)
        return mutant.name, fn.score < fn.max_score

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, mutants))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-release-") as tmp:
        started = time.perf_counter()
        release = make_release(Path(tmp) / "course", seed=args.seed)
        built = time.perf_counter() - started
        wheel_bytes = release.wheel.stat().st_size
        unpacked = Path(tmp) / "unpacked"
        with zipfile.ZipFile(release.wheel) as wheel:
            wheel.extractall(unpacked, [n for n in wheel.namelist() if n.startswith("grader/recorded/")])
        source = load(unpacked / "grader" / "recorded")
        recorded_bytes = sum(p.stat().st_size for p in (unpacked / "grader" / "recorded").iterdir())
        started = time.perf_counter()
        reference = grade(REPO / "solutions", reference=source)
        local_time = time.perf_counter() - started
        started = time.perf_counter()
        grade(REPO / "solutions")
        live_time = time.perf_counter() - started
        mutants = load_mutants(default_mutants_dir())
        local, full = caught(mutants, source), caught(mutants, None)
    value = [n for fn in FUNCTIONS for c in checks_for(fn) if c.kind == "value"
             for n in [release.cases[fn].get(c.name)]]
    replayed = [n for checks in release.cases.values() for n in checks.values()]
    all_checks = sum(len(checks_for(fn)) for fn in FUNCTIONS)
    survivors = sorted(name for name, hit in local.items() if not hit)
    lines = [
        "# A student release (`python benchmarks/bench_release.py`)", "",
        f"Machine: {machine()}. 1-minute load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after.",
        "", "| measure | value |", "|---|---:|",
        f"| build time (record at seed {args.seed}, wheel, leak check) | {built:.1f} s |",
        f"| release size (all files) | {release.size / 2**20:.2f} MiB |",
        f"| wheel | {wheel_bytes / 2**20:.2f} MiB |",
        f"| recorded answers (.npz, compressed) | {recorded_bytes / 2**20:.2f} MiB |",
        f"| checks replayed on recorded cases / all checks | {len(replayed)} / {all_checks} |",
        f"| value checks: recorded cases per check (min, median, max) | {min(value)}, "
        f"{sorted(value)[len(value) // 2]}, {max(value)} |",
        f"| recorded cases in all | {sum(replayed)} |",
        f"| local grade of the reference | {reference.score:g} / {reference.max_score:g} in {local_time:.1f} s |",
        f"| full grade of the reference (live, {DEFAULT_EXAMPLES} examples per property) | {live_time:.1f} s |",
        f"| mutants caught, full grader (reference, seed 0) | {sum(full.values())} / {len(full)} |",
        f"| mutants caught, release's local checks | {sum(local.values())} / {len(local)} |",
        "", "Value checks with fewer than 40 recorded cases have no more distinct cases to record (a fixed "
        "example, the post's networks, kernel sizes 1-12).",
    ]
    if survivors:
        lines.append(f"Not caught locally: {', '.join(survivors)}.")
    text = "\n".join(lines) + "\n"
    publish(text, args.output)


if __name__ == "__main__":
    main()
