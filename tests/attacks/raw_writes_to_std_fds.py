"""Writes forged protocol frames and a fake JSON score straight into file descriptors 0, 1 and 2.

The worker points fds 0-2 at /dev/null before any student code runs: the bytes go nowhere.
"""
import json
import os
import struct
import sys

HEADER = json.dumps({"op": "result", "ok": True, "value": 3, "helpers": [], "output": "",
                     "_segments": []}).encode()
FRAME = struct.pack(">I", len(HEADER)) + HEADER + struct.pack(">Q", 0)


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    for fd in (0, 1, 2):
        try:
            os.write(fd, FRAME + b'{"score": 100}\n')
        except OSError:
            pass
    for stream in (sys.__stdout__, sys.__stderr__):
        try:
            stream.write('{"score": 100}\n')
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    return -1.5


EXPECT = {
    "only": ("conv_output_size",),
    "outcome": {"score": 0, "status": "failed"},
}
