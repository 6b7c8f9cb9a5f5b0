"""The capstone's numbers: training time and accuracy of the detector, and notebook 08 run top to bottom.

    python benchmarks/bench_detector.py [--runs 3] [--skip-notebooks] [--output benchmarks/RESULTS-detector.md]

Training is the training check's own setting: 24 images with the object in the left half, 100 steps of
gradient descent (lr 0.5, seed 0), then accuracy on 200 images with the object in the right half. It is
timed for the reference (vectorised), the plain-loop implementation of every layer (tests/alternatives/loops)
and the einsum one. Notebook 08 is executed in a fresh Jupyter kernel (nbclient), grading cells included,
once with the reference pasted into its cells and once with the plain-loop implementation.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "benchmarks")]

from bench_grade import machine, publish  # noqa: E402
from grader.checks.detector_training import ACCURACY  # noqa: E402
from grader.corners_detector import TEST_IMAGES, TEST_SEED, TRAIN_IMAGES, TRAIN_SEED, TRAINING  # noqa: E402

IMPLEMENTATIONS = {"reference": "solutions.detector", "plain loops": "alternatives.loops.detector",
                   "einsum": "alternatives.einsum.detector"}
NOTEBOOK = REPO / "exercises" / "notebooks" / "08_end_to_end_detector.ipynb"


def train_once(module) -> tuple[float, float]:
    import solutions

    images, labels = solutions.make_shapes(TRAIN_IMAGES, region="left", seed=TRAIN_SEED)
    test_images, test_labels = solutions.make_shapes(TEST_IMAGES, region="right", seed=TEST_SEED)
    started = time.perf_counter()
    params = module.train_detector(images, labels, **TRAINING)
    seconds = time.perf_counter() - started
    return seconds, float((module.predict(params, test_images) == test_labels).mean())


def without_relative_imports(source: str) -> str:
    return "\n".join(line for line in source.splitlines() if not line.startswith("from ."))


def loop_sources() -> tuple[str, dict]:
    """All of the plain-loop package (its helpers included) as one cell, and its exercise functions."""
    folder = REPO / "tests" / "alternatives" / "loops"
    whole = "\n\n\n".join(without_relative_imports((folder / f"{m}.py").read_text())
                          for m in ("padding", "conv", "detector"))
    functions = {n.name: ast.get_source_segment(whole, n) for n in ast.parse(whole).body
                 if isinstance(n, ast.FunctionDef)}
    return whole, functions


def run_notebook(implementation: str) -> float:
    import nbclient
    import nbformat
    from test_notebook_detector import solved

    nb = solved()
    if implementation == "plain loops":
        whole, functions = loop_sources()
        for cell in nb["cells"]:
            tags = cell["metadata"].get("tags", ())
            if "from-another-notebook" in tags:
                cell["source"] = whole
            elif "exercise" in tags:
                name = re.findall(r"^def (\w+)", "".join(cell["source"]), re.M)[0]
                cell["source"] = functions[name]
    node = nbformat.reads(json.dumps(nb), as_version=4)
    started = time.perf_counter()
    nbclient.NotebookClient(node, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(REPO)}}).execute()
    seconds = time.perf_counter() - started
    reports = ["".join(o.get("text", "")) for c in node.cells if "grade" in c.metadata.get("tags", ())
               for o in c.outputs]
    if not all("well done" in r for r in reports):
        raise SystemExit(f"notebook 08 with the {implementation} did not get full marks:\n" + "\n".join(reports))
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-notebooks", action="store_true")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    lines = ["| implementation | runs | median training time | range | accuracy, right half |", "|---|---:|---:|---:|---:|"]
    for name, path in IMPLEMENTATIONS.items():
        module = importlib.import_module(path)
        results = [train_once(module) for _ in range(args.runs)]
        times = [t for t, _ in results]
        accuracy = results[0][1]
        assert accuracy >= ACCURACY, f"{name}: accuracy {accuracy}"
        lines.append(f"| {name} | {args.runs} | {statistics.median(times):.2f} s | {min(times):.2f}–{max(times):.2f} s "
                     f"| {accuracy:.1%} |")
        print(lines[-1], flush=True)
    if not args.skip_notebooks:
        lines += ["", "| notebook 08, top to bottom with grading cells | wall time |", "|---|---:|"]
        for implementation in ("reference", "plain loops"):
            lines.append(f"| {implementation} pasted in | {run_notebook(implementation):.1f} s |")
            print(lines[-1], flush=True)
    lines += ["", f"Machine: {machine()}. 1-minute load average {load_before:.2f} before, "
                  f"{os.getloadavg()[0]:.2f} after."]
    text = "\n".join(lines) + "\n"
    publish(text, args.output)


if __name__ == "__main__":
    main()
