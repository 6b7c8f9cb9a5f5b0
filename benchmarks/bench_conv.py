"""Time solutions.conv2d_forward / conv2d_backward against PyTorch CPU.

    python benchmarks/bench_conv.py [--repeats 9] [--output benchmarks/RESULTS-conv.md]

PyTorch gets as many intra-op threads as NumPy's OpenBLAS uses. Each timing is
the median of ``--repeats`` runs after one warm-up run, ours and torch's runs
alternating. PyTorch's backward is ``aten.convolution_backward`` (dx, dw, db
from the upstream gradient), the same work as ``conv2d_backward``. Prints a
Markdown table and, with ``--output``, writes it to that file.
"""
import argparse
import ctypes
import glob
import os
import platform
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from solutions.conv import conv2d_backward, conv2d_forward  # noqa: E402

# (name, N, C, H, W, K, R, S, stride, padding)
CASES = [
    ("N32 C64 H32 K64 3x3 p1", 32, 64, 32, 32, 64, 3, 3, 1, 1),
    ("N8 C3 H128 K16 3x3 p1", 8, 3, 128, 128, 16, 3, 3, 1, 1),
    ("N64 C16 H28 K32 3x3 p1", 64, 16, 28, 28, 32, 3, 3, 1, 1),
]


def _openblas(verb):
    """NumPy's bundled OpenBLAS function ``*_{verb}_num_threads*``, or None."""
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs",
                                  "*openblas*"))
    for path in libs:
        lib = ctypes.CDLL(path)  # the copy NumPy already loaded
        for name in (f"scipy_openblas_{verb}_num_threads64_", f"openblas_{verb}_num_threads64_",
                     f"openblas_{verb}_num_threads"):
            if hasattr(lib, name):
                return getattr(lib, name)
    return None


def numpy_blas_threads(requested=None):
    """Set (when ``requested``) and return the threads of NumPy's OpenBLAS."""
    setter, getter = _openblas("set"), _openblas("get")
    if requested and setter:
        setter(requested)
    if getter:
        return getter(), "asked from OpenBLAS"
    return len(os.sched_getaffinity(0)), "usable cores (OpenBLAS not found)"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def paired_median_ms(ours, theirs, repeats):
    """Median milliseconds of ``ours`` and ``theirs``, run alternately.

    Alternating the two spreads any background load over both sides.
    """
    ours(), theirs()  # warm-up: allocations, BLAS thread start-up
    times = ([], [])
    for _ in range(repeats):
        for fn, acc in zip((ours, theirs), times):
            start = time.perf_counter()
            fn()
            acc.append(time.perf_counter() - start)
    return tuple(1000 * statistics.median(acc) for acc in times)


def bench_case(torch, case, dtype, repeats):
    _, N, C, H, W, K, R, S, stride, padding = case
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, C, H, W)).astype(dtype)
    w = rng.standard_normal((K, C, R, S)).astype(dtype)
    b = rng.standard_normal(K).astype(dtype)
    out = conv2d_forward(x, w, b, stride, padding)
    dout = rng.standard_normal(out.shape).astype(dtype)
    xt, wt, bt, dt = (torch.from_numpy(a) for a in (x, w, b, dout))

    def torch_forward():
        with torch.no_grad():
            return torch.nn.functional.conv2d(xt, wt, bt, stride=stride, padding=padding)

    def torch_backward():
        return torch.ops.aten.convolution_backward(
            dt, xt, wt, [K], [stride] * 2, [padding] * 2, [1, 1], False, [0, 0], 1,
            [True, True, True])

    # Same results before timing anything.
    tol = 1e-9 if dtype == np.float64 else 2e-3
    np.testing.assert_allclose(out, torch_forward().numpy(), rtol=tol, atol=tol * 10)
    for ours, theirs in zip(conv2d_backward(dout, x, w, stride, padding), torch_backward()):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=tol, atol=tol * 100)

    return {
        "forward": paired_median_ms(lambda: conv2d_forward(x, w, b, stride, padding),
                                    torch_forward, repeats),
        "backward": paired_median_ms(lambda: conv2d_backward(dout, x, w, stride, padding),
                                     torch_backward, repeats),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--threads", type=int,
                        help="threads for both NumPy's OpenBLAS and torch (default: OpenBLAS's)")
    parser.add_argument("--output", help="also write the Markdown report to this file")
    args = parser.parse_args()

    import torch

    threads, how = numpy_blas_threads(args.threads)
    torch.set_num_threads(threads)
    env = {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                                          "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    load_before = os.getloadavg()[0]
    lines = [
        "| case | dtype | pass | ours ms | torch ms | ours / torch |",
        "|---|---|---|---:|---:|---:|",
    ]
    for case in CASES:
        for dtype in (np.float64, np.float32):
            result = bench_case(torch, case, dtype, args.repeats)
            for which, (ours, theirs) in result.items():
                lines.append(f"| {case[0]} | {np.dtype(dtype).name} | {which} | {ours:.1f} | "
                             f"{theirs:.1f} | {ours / theirs:.2f} |")
                print(lines[-1], file=sys.stderr, flush=True)
    machine = [
        f"- CPU: {cpu_model()}, {os.cpu_count()} logical cores "
        f"({len(os.sched_getaffinity(0))} usable)",
        f"- threads: NumPy/OpenBLAS {threads} ({how}); torch.set_num_threads({threads}), "
        f"torch reports {torch.get_num_threads()}",
        f"- numpy {np.__version__}, torch {torch.__version__}, Python {platform.python_version()}",
        "- environment: " + ", ".join(f"{k}={v if v is not None else 'unset'}"
                                      for k, v in env.items()),
        f"- median of {args.repeats} runs after one warm-up, ours and torch alternating; "
        "stride 1, padding 1",
        f"- 1-minute load average: {load_before:.2f} before, {os.getloadavg()[0]:.2f} after "
        f"(other processes share the machine when it exceeds 0)",
    ]
    report = "\n".join(["## conv2d: solutions vs PyTorch CPU", "", *machine, "", *lines, ""])
    print(report)
    if args.output:
        with open(args.output, "w") as f:
            f.write(report)


if __name__ == "__main__":
    main()
