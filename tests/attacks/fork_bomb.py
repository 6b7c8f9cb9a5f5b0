"""A fork bomb: every process forks as fast as it can and never stops, not even when fork fails.

In bubblewrap mode the worker runs under a uid of its own with RLIMIT_NPROC: fork fails with EAGAIN at
the limit, the call times out, and the worker kills every process of that uid. The next function is graded
normally. (In plain-process mode as root no limit applies to the number of processes: not run there.)
"""
import os


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    while True:
        try:
            os.fork()
        except OSError:
            pass


def same_padding(kernel_size):
    before = (kernel_size - 1) // 2
    return before, kernel_size - 1 - before


EXPECT = {
    "only": ("conv_output_size", "same_padding"),
    "modes": ("bwrap",),
    "why_not": "RLIMIT_NPROC does not apply to root",
    "outcome": {"status": {"conv_output_size": "timeout", "same_padding": "passed"}, "seconds": 30},
}
