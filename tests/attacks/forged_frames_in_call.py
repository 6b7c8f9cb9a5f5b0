"""In every call, writes a forged "result" frame (the right shape of answer, but no call id) into every
writable pipe it can find, then returns a wrong value.

A reply must carry the random id of the call it answers: the forged frame is caught as an answer to
another call, and the call fails.
"""
import json
import os
import stat
import struct


def frame(message):
    header = json.dumps({**message, "_segments": []}).encode()
    return struct.pack(">I", len(header)) + header + struct.pack(">Q", 0)


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    forged = frame({"op": "result", "ok": True, "value": (input_size - kernel_size + 2 * padding) // stride + 1,
                    "helpers": [], "output": ""})
    for fd in range(3, 1024):  # every descriptor (there may be no /proc to list them)
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode):
                os.write(fd, forged)
        except OSError:
            pass
    return -1.5


EXPECT = {
    "only": ("conv_output_size",),
    "outcome": {"score": 0, "status": "failed", "says": "belongs to another call"},
}
