"""Reads the id of the current call from the worker's stack frame and sends forged replies that carry
it: a wrong value, an error description of the wrong types, a header nested 100000 deep, and an array
whose header claims 10**12 elements; then it returns as well.

The first reply with the id is the answer, checked like any returned value; the extra frames make the
child speak out of turn (the call fails); malformed ones are refused. The grader never trusts a type.
"""
import json
import os
import struct
import sys

calls = []


def frame(header, blob=b""):
    return struct.pack(">I", len(header)) + header + struct.pack(">Q", len(blob)) + blob


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    call_id = sys._getframe(1).f_locals["message"]["id"]
    calls.append(call_id)
    kind = len(calls) % 4
    if kind == 0:
        header = json.dumps({"op": "result", "id": call_id, "ok": True, "value": 10**6, "_segments": []})
    elif kind == 1:
        header = json.dumps({"op": "result", "id": call_id, "ok": False, "_segments": [],
                             "error": {"type": ["ValueError"], "mro": 5, "message": {"a": 1}, "traceback": 3},
                             "helpers": "conv_output_size", "output": ["x"], "args_after": {"$": "weird"}})
    elif kind == 2:
        header = '{"op": "result", "id": "%s", "ok": true, "value": %s1%s}' % (call_id, "[" * 100000, "]" * 100000)
    else:
        shape = b"{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }"
        npy = b"\x93NUMPY\x01\x00" + shape.ljust(118) + b"\n"
        header = json.dumps({"op": "result", "id": call_id, "ok": True, "value": {"$": "array", "i": 0},
                             "_segments": [len(npy) + 8]})
        os.write(channel_fd(), frame(header.encode(), npy + b"\0" * 8))
        return -1.5
    os.write(channel_fd(), frame(header.encode()))
    return -1.5


def channel_fd():
    """The worker keeps the child's end of its channel in serve_function's `conn_out`."""
    return sys._getframe(2).f_locals["conn_out"]


EXPECT = {
    "only": ("conv_output_size",),
    "examples": 6,
    "outcome": {"score": 0, "status": "failed"},
}
