"""Starts a setsid'd subprocess that ignores SIGTERM while the module is imported (once for every
function graded), and leaves it running. The graded function is correct.

After grading, none of them may remain (checked through the marker in their command line).
"""
import subprocess
import sys

subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                  "time.sleep(1000)", "@MARKER@"], start_new_session=True, env={"CONVGRADE_ATTACK": "@MARKER@"},
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


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
