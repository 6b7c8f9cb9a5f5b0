"""Looks for the instructor's secret seed (@SEED@ here, so that the test knows what to look for) wherever
a process can read: its own argv and environment, and the command line and environment of every process
visible in /proc (its parents, the grader).

The seed never reaches the worker: its command line holds only the resource limits, its environment is
built from scratch, and the grader is out of sight (bubblewrap: a PID namespace of its own; plain
process as root: another uid and a chroot without /proc). Nothing is found.
"""
import os
import sys

SEED = b"@SEED@"


def where_is_the_seed():
    found = [name for name, text in (("argv", " ".join(sys.argv).encode()),
                                     ("environ", repr(dict(os.environ)).encode())) if SEED in text]
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        pids = []
    for pid in pids:
        for part in ("cmdline", "environ"):
            try:
                with open(f"/proc/{pid}/{part}", "rb") as f:
                    if SEED in f.read():
                        found.append(f"/proc/{pid}/{part}")
            except OSError:
                pass
    return found


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    print("FOUND:" if where_is_the_seed() else "the seed is nowhere", where_is_the_seed())
    if input_size < 1 or kernel_size < 1 or padding < 0 or stride < 1 or kernel_size > input_size + 2 * padding:
        raise ValueError("impossible sizes")
    return (input_size - kernel_size + 2 * padding) // stride + 1


EXPECT = {
    "only": ("conv_output_size",),
    "examples": 1,
    "outcome": {"full": True, "output_says": "the seed is nowhere", "output_lacks": "FOUND"},
}
