"""Starts a setsid'd process that ignores SIGTERM while the module is imported (once for every function
graded), and leaves it running: a Python subprocess, or where no Python can be started (the jail of
plain-process mode as root) a forked copy of itself. The graded function is correct.

After grading, none of them may remain (checked through the marker in their command line, or the name a
forked copy gives itself).
"""
import ctypes
import os
import signal
import subprocess
import sys
import time

try:
    subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                      "time.sleep(1000)", "@MARKER@"], start_new_session=True, env={"CONVGRADE_ATTACK": "@MARKER@"},
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
except OSError:
    if os.fork() == 0:
        ctypes.CDLL(None).prctl(15, "@MARKER@"[-15:].encode(), 0, 0, 0)  # PR_SET_NAME
        os.setsid()
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        time.sleep(1000)
        os._exit(0)


def same_padding(kernel_size):
    before = (kernel_size - 1) // 2
    return before, kernel_size - 1 - before


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    if input_size < 1 or kernel_size < 1 or padding < 0 or stride < 1 or kernel_size > input_size + 2 * padding:
        raise ValueError("impossible sizes")
    return (input_size - kernel_size + 2 * padding) // stride + 1


EXPECT = {
    "only": ("conv_output_size", "same_padding"),
    "outcome": {"full": True},
}
