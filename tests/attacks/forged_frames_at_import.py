"""At import, finds every pipe among its open file descriptors (trying them all: there may be no /proc)
and writes forged frames
into them: a "result", a "ready" claiming the function exists, a "child_exit" and a "timeout".

The child only holds its own pipe to the worker's parent process, which expects "ready" first and
refuses anything else: the import is reported as failed.
"""
import json
import os
import stat
import struct


def frame(message):
    header = json.dumps({**message, "_segments": []}).encode()
    return struct.pack(">I", len(header)) + header + struct.pack(">Q", 0)


FORGED = b"".join(frame(m) for m in (
    {"op": "result", "ok": True, "value": 3, "id": "0"},
    {"op": "ready", "ok": True, "found": True, "output": ""},
    {"op": "child_exit", "code": 0},
    {"op": "timeout"},
))

for fd in range(3, 1024):
    try:
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            os.write(fd, FORGED)
    except OSError:
        pass


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    return -1.5


EXPECT = {
    "only": ("conv_output_size",),
    "outcome": {"score": 0, "status": "error", "says": "when 'ready' was due"},
}
