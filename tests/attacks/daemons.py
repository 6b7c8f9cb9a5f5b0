"""Starts processes meant to outlive the grading: a double-forked setsid daemon, a subprocess in a new
session, and a child that ignores SIGTERM, each running Python with a marker in its command line and
environment (where no Python can be started, in the jail of plain-process mode as root: forked copies
named after the marker). The graded function itself is correct.

When a child ends, the worker (a child subreaper) kills everything below it, setsid'd orphans
included; in bubblewrap mode the PID namespace ends with the worker anyway.
"""
import ctypes
import os
import signal
import subprocess
import sys
import time

SLEEPER = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(1000)"
ENV = {"CONVGRADE_ATTACK": "@MARKER@"}
started = []  # once per child: a fresh child serves each graded function


def start_daemons():
    try:
        subprocess.Popen([sys.executable, "-c", SLEEPER, "@MARKER@"], env=ENV, start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:  # no Python to start (the jail of plain-process mode as root): forked copies instead
        return fork_daemons()
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execve(sys.executable, [sys.executable, "-c", SLEEPER, "@MARKER@"], ENV)
        os._exit(0)
    if os.fork() == 0:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        os.execve(sys.executable, [sys.executable, "-c", SLEEPER, "@MARKER@"], ENV)


def fork_daemons():
    """The same three, forked; each names itself after the marker (what the test looks for)."""
    for detach, twice in ((True, False), (True, True), (False, False)):
        if os.fork() == 0:
            if detach:
                os.setsid()
            if twice and os.fork() != 0:
                os._exit(0)
            ctypes.CDLL(None).prctl(15, "@MARKER@"[-15:].encode(), 0, 0, 0)  # PR_SET_NAME
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            time.sleep(1000)
            os._exit(0)


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    if not started:
        started.append(start_daemons())
    if input_size < 1 or kernel_size < 1 or padding < 0 or stride < 1 or kernel_size > input_size + 2 * padding:
        raise ValueError("impossible sizes")
    return (input_size - kernel_size + 2 * padding) // stride + 1


EXPECT = {
    "only": ("conv_output_size",),
    "examples": 2,
    "outcome": {"full": True},
}
