"""conv_output_size starts a grandchild that keeps the child's channel and, after the child has exited
(os._exit), writes forged "result" frames into it every 20 ms for a minute, hoping they are read as the
answers to the next function's calls. same_padding, graded next, is correct.

Each child has a pipe of its own, and when it ends the worker kills everything it started: the next
function is served by a fresh child on a fresh pipe and keeps its points.
"""
import os
import sys

WRITER = """
import json, os, struct, sys, time
fd = int(sys.argv[1])
header = json.dumps({"op": "result", "ok": True, "value": [0, 0], "_segments": []}).encode()
frame = struct.pack(">I", len(header)) + header + struct.pack(">Q", 0)
for _ in range(3000):
    try:
        os.write(fd, frame)
    except OSError:
        pass
    time.sleep(0.02)
"""


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    fd = sys._getframe(1).f_locals["conn_out"]
    if os.fork() == 0:
        os.set_inheritable(fd, True)
        os.setsid()
        os.execve(sys.executable, [sys.executable, "-c", WRITER, str(fd), "@MARKER@"],
                  {"CONVGRADE_ATTACK": "@MARKER@"})
    os._exit(0)


def same_padding(kernel_size):
    before = (kernel_size - 1) // 2
    return before, kernel_size - 1 - before


EXPECT = {
    "only": ("conv_output_size", "same_padding"),
    "outcome": {"status": {"conv_output_size": "failed", "same_padding": "passed"}},
}
