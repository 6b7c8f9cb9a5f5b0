"""Wall time and memory of `grade batch` on a class of correct and mutant submissions.

    python benchmarks/bench_batch.py [--sizes 40,200] [--examples N] [--repeats 1] [--output FILE]

The class cycles through a correct copy of solutions/ and four mutants (one function broken each). For the
first size, `grade batch --jobs 1` and `--jobs 2` are timed, alternating `--repeats` times (the ratio of
the medians should be <= 0.6 on two free cores); every size is also run with `--jobs 2` for memory. Each
run is a fresh `grade batch` subprocess with a fresh output folder. Memory of the whole process tree (the
batch, its forkserver and pool, every sandboxed worker) is sampled every 0.2 s from /proc (the sampler
costs about 4% of a core): the peak of the summed RSS (which counts pages shared between forked processes
once per process) and of the summed PSS (which splits them); the largest single process is `ru_maxrss`
from wait4(). Prints a Markdown report and, with --output, writes it.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from batch_fixtures import MUTANTS, class_of_mutants  # noqa: E402
from bench_grade import machine, publish  # noqa: E402
from grader.defaults import DEFAULT_EXAMPLES  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


def tree(root: int) -> list[int]:
    """`root` and every process descending from it (by parent pid), read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in bytes; (0, 0) once it is gone."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            rss = int(f.read().split()[1]) * PAGE
        pss = rss
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
                    break
        return rss, pss
    except (OSError, IndexError, ValueError):
        return 0, 0


class Sampler(threading.Thread):
    """Peaks of the summed RSS and PSS of the tree under `pid`, and of its process count."""

    def __init__(self, pid: int, period: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.period = pid, period
        self.rss = self.pss = self.processes = 0
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            pids = tree(self.pid)
            sizes = [memory(p) for p in pids]
            self.rss = max(self.rss, sum(s[0] for s in sizes))
            self.pss = max(self.pss, sum(s[1] for s in sizes))
            self.processes = max(self.processes, sum(1 for s in sizes if s[0]))
            self.done.wait(self.period)


def run_batch(root: Path, jobs: int, examples: int | None) -> dict:
    out = Path(tempfile.mkdtemp(prefix="bench-batch-out-"))
    command = [sys.executable, "-c", "from grader.cli import main; main()", "batch", str(root), "-o", str(out),
               "--jobs", str(jobs), *(("--examples", str(examples)) if examples else ())]
    load = os.getloadavg()[0]
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = Sampler(proc.pid)
    sampler.start()
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"grade batch failed ({proc.returncode}):\n{stderr.decode()}")
    graded = sum(1 for line in stderr.decode().splitlines() if "] graded " in line)
    shutil.rmtree(out)
    return {"wall": wall, "rss": sampler.rss, "pss": sampler.pss, "processes": sampler.processes,
            "maxrss": usage.ru_maxrss * 1024, "graded": graded, "load": (load, os.getloadavg()[0])}


def mib(n: int) -> str:
    return f"{n / (1 << 20):.0f} MiB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="40,200", help="class sizes (comma-separated); jobs 1 vs 2 on the first")
    parser.add_argument("--examples", type=int, help="examples per property (default: grade's)")
    parser.add_argument("--repeats", type=int, default=1,
                        help="runs of --jobs 1 and --jobs 2, alternating, on the first size (the median counts)")
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    from grader.bwrap import resolve_mode

    load = os.getloadavg()
    rows, speed = [], None
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        for size in sizes:
            root = Path(tmp) / f"class{size}"
            class_of_mutants(root, size)
            for jobs in ((1, 2) * args.repeats if size == sizes[0] else (2,)):
                result = run_batch(root, jobs, args.examples)
                assert result["graded"] == size, result
                rows.append((size, jobs, result))
                print(f"{size} submissions, --jobs {jobs}: {result['wall']:.1f} s, tree peak RSS "
                      f"{mib(result['rss'])}, PSS {mib(result['pss'])}", file=sys.stderr)
        walls = {j: statistics.median(r["wall"] for s, jobs, r in rows if s == sizes[0] and jobs == j) for j in (1, 2)}
        speed = walls[2] / walls[1]
    lines = [
        "# `grade batch` benchmark", "",
        f"Machine: {machine()}; sandbox: {resolve_mode('auto')}; load average at start "
        f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1 / 5 / 15 min).", "",
        f"Class: a correct copy of solutions/ and the mutants {', '.join(MUTANTS)} in turn; every function "
        f"graded, {args.examples or DEFAULT_EXAMPLES} examples per property. Command: `python "
        f"benchmarks/bench_batch.py --sizes {args.sizes}{f' --examples {args.examples}' if args.examples else ''} "
        f"--repeats {args.repeats}`.", "",
        "| Submissions | --jobs | Wall time | Per submission | Peak tree RSS (sum) | Peak tree PSS (sum) "
        "| Largest process (ru_maxrss) | Peak processes | Load before / after |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, jobs, r in rows:
        lines.append(f"| {size} | {jobs} | {r['wall']:.1f} s | {r['wall'] / size:.2f} s | {mib(r['rss'])} | "
                     f"{mib(r['pss'])} | {mib(r['maxrss'])} | {r['processes']} | "
                     f"{r['load'][0]:.1f} / {r['load'][1]:.1f} |")
    lines += ["", f"`--jobs 2` / `--jobs 1` median wall time on {sizes[0]} submissions: **{speed:.2f}x** "
                  f"(target <= 0.6x). Load is the 1-minute load average of the machine (other work included).",
              ""]
    report = "\n".join(lines)
    publish(report, args.output)


if __name__ == "__main__":
    main()
