"""A fork bomb: every process forks as fast as it can and never stops, not even when fork fails.

In bubblewrap mode, and in plain-process mode as root, the worker runs under a uid of its own with
RLIMIT_NPROC: fork fails with EAGAIN at the limit, the call times out, and the worker kills every process
of that uid. The next function is graded normally. (Without root, RLIMIT_NPROC counts every process of the
grader's user, so the limit is the user's count plus 16.)
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
    "outcome": {"status": {"conv_output_size": "timeout", "same_padding": "passed"}, "seconds": 30},
}
