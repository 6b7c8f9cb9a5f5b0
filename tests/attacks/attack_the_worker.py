"""Attacks the worker process that serves it: conv_output_size kills it with SIGKILL, same_padding
freezes it with SIGSTOP; zero_pad tries to read its memory through /proc/<parent>/mem and its channel
through /proc/<parent>/fd, then answers correctly.

A killed worker is restarted for the next call; a frozen one is killed by the grader's own backstop
deadline. The parent is not dumpable, so a process of the same uid cannot open its /proc files without
CAP_SYS_PTRACE, which no mode leaves it (in plain-process mode as root there is no /proc in sight at all).
"""
import os
import signal

import numpy as np


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    os.kill(os.getppid(), signal.SIGKILL)
    return (input_size - kernel_size + 2 * padding) // stride + 1


def same_padding(kernel_size):
    os.kill(os.getppid(), signal.SIGSTOP)
    before = (kernel_size - 1) // 2
    return before, kernel_size - 1 - before


def zero_pad(x, padding):
    opened = []
    for path in (f"/proc/{os.getppid()}/mem", f"/proc/{os.getppid()}/fd/0", f"/proc/{os.getppid()}/environ"):
        try:
            os.close(os.open(path, os.O_RDONLY))
            opened.append(path)
        except OSError:
            pass
    print("opened:", len(opened))
    if isinstance(padding, int):
        widths = ((padding, padding), (padding, padding))
    elif isinstance(padding[0], int):
        widths = ((padding[0], padding[0]), (padding[1], padding[1]))
    else:
        widths = padding
    return np.pad(x, ((0, 0), (0, 0), *widths))


EXPECT = {
    "only": ("conv_output_size", "same_padding", "zero_pad"),
    "examples": 2,
    "timeout": 1.0,
    "outcome": {"status": {"conv_output_size": "failed", "same_padding": "timeout"}, "seconds": 45,
                "output_says": "opened: 0", "output_lacks": "opened: 1"},
}
