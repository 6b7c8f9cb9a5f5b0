"""The wire format between the grader and its worker: framed JSON plus raw array bytes, never pickle.

A frame is `len(header) (4 bytes) | header (JSON) | len(blob) (8 bytes) | blob`. Arrays travel in the blob
as consecutive C-ordered buffers whose dtype (booleans, integers and floats only) and shape the header
lists in `_segments`; everything else is JSON with small tags:
`{"$": "tuple", "v": [...]}`, `{"$": "dict", "v": [[key, value], ...]}`, `{"$": "array", "i": 0}`,
`{"$": "npscalar", "i": 0}` and, for anything the worker cannot express,
`{"$": "object", "type": "...", "repr": "..."}`.

This module is copied next to the worker script and imported there too, so it uses only the standard
library and numpy. Decoding never executes code: an array is a copy of its bytes, taken after its dtype
and shape have been checked against the bytes actually present.
"""

from __future__ import annotations

import json
import math
import os
import re
import select
import struct
import time

import numpy as np

MAX_HEADER = 32 << 20  # what the grader sends: the submission's sources travel in the `start` header
MAX_REPLY_HEADER = 1 << 20  # what the worker sends: values, captured output, error descriptions
MAX_BLOB = 64 << 20
MAX_DEPTH = 12
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
ARRAY_KINDS = "biuf"
DTYPE = re.compile(r"[<>|=]?[biuf](1|2|4|8|16)")  # how the dtypes of ARRAY_KINDS are written
MAX_NDIM = 32


class Deadline(Exception):
    """A read or write did not complete before its deadline."""


def deadline_io(deadline: float):
    """os.read and os.write for `receive`/`write_all` that raise Deadline at `deadline` (time.monotonic)."""

    def wait(fd, for_write):
        remaining = max(deadline - time.monotonic(), 0)
        readable, writable, _ = select.select([] if for_write else [fd], [fd] if for_write else [], [], remaining)
        if not (writable if for_write else readable):
            raise Deadline()

    def read(fd, n):
        wait(fd, False)
        return os.read(fd, n)

    def write(fd, data):
        wait(fd, True)
        try:
            return os.write(fd, data)
        except BlockingIOError:
            return 0

    return read, write


class ProtocolError(Exception):
    """The other side sent something that is not a well-formed frame."""


class ForeignObject:
    """Stands for a value the worker returned that is not data (a function, a custom class, ...)."""

    def __init__(self, type_name: str, text: str):
        self.type_name = type_name
        self.text = text

    def __repr__(self):
        return f"<{self.type_name} object: {self.text}>"


# ---------------------------------------------------------------------------------------- encoding
def encode(value) -> tuple[dict, list[np.ndarray]]:
    arrays: list[np.ndarray] = []
    return _encode(value, arrays, 0), arrays


PLAIN = (bool, int, float, str, type(None))  # sent as they are (exactly these types; subclasses below)


def _encode(value, arrays, depth):
    if depth >= MAX_DEPTH:
        return _foreign(value, "nested too deeply")
    kind = type(value)
    if kind in PLAIN:
        return value
    if kind is np.ndarray:
        return _array_ref("array", value, arrays, value)
    if kind is tuple:
        return {"$": "tuple", "v": [_encode(v, arrays, depth + 1) for v in value]}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.generic):
        return _array_ref("npscalar", np.asarray(value), arrays, value)
    if isinstance(value, (int, float)):
        return int(value) if isinstance(value, int) else float(value)
    if isinstance(value, np.ndarray):
        return _array_ref("array", value, arrays, value)
    if isinstance(value, tuple):
        return {"$": "tuple", "v": [_encode(v, arrays, depth + 1) for v in value]}
    if isinstance(value, list):
        return [_encode(v, arrays, depth + 1) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"$": "dict", "v": [[k, _encode(v, arrays, depth + 1)] for k, v in value.items()]}
    return _foreign(value)


def _array_ref(tag, array, arrays, original):
    if array.dtype.kind not in ARRAY_KINDS:
        return _foreign(original, f"array of dtype {array.dtype}")
    arrays.append(array)
    return {"$": tag, "i": len(arrays) - 1}


def _foreign(value, why=""):
    try:
        text = why or repr(value)[:200]
    except BaseException:
        text = "unprintable"
    return {"$": "object", "type": type(value).__name__, "repr": str(text)[:200]}


def pack(message: dict, arrays=()) -> bytes:
    header = json.dumps({**message, "_segments": [[a.dtype.str, list(a.shape)] for a in arrays]}).encode()
    blob = b"".join(np.ascontiguousarray(a).tobytes() for a in arrays)
    return struct.pack(">I", len(header)) + header + struct.pack(">Q", len(blob)) + blob


def send(fd: int, message: dict, value_keys=(), write=os.write) -> None:
    """Write one frame; the entries named in value_keys are encoded (arrays go to the blob)."""
    arrays: list[np.ndarray] = []
    out = dict(message)
    for key in value_keys:
        out[key] = _encode(message[key], arrays, 0)
    write_all(fd, pack(out, arrays), write)


def write_all(fd: int, data: bytes, write=os.write) -> None:
    data = memoryview(data)
    while data:
        written = write(fd, data)
        data = data[written:]


# ---------------------------------------------------------------------------------------- decoding
def scrub(text: str) -> str:
    """Drop memory addresses (`<function f at 0x7f...>`), so that feedback is the same on every run."""
    return ADDRESS.sub("", text)


def parse_header(header_bytes: bytes) -> dict:
    try:
        message = json.loads(header_bytes)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ProtocolError(f"header is not JSON: {str(exc)[:200]}") from None
    if not isinstance(message, dict):
        raise ProtocolError("header is not a JSON object")
    return message


def unpack(header_bytes: bytes, blob: bytes) -> tuple[dict, list[np.ndarray]]:
    message = parse_header(header_bytes)
    table = message.pop("_segments", [])
    if not isinstance(table, list):
        raise ProtocolError("bad segment table")
    arrays, start = [], 0
    for entry in table:
        dtype, shape = _segment(entry)
        count = math.prod(shape)
        end = start + count * dtype.itemsize
        if end > len(blob):
            raise ProtocolError("segment table does not match the blob")
        arrays.append(np.frombuffer(blob, dtype, count, start).reshape(shape).copy() if count
                      else np.zeros(shape, dtype))
        start = end
    if start != len(blob):
        raise ProtocolError("segment table does not match the blob")
    return message, arrays


def _segment(entry) -> tuple[np.dtype, tuple]:
    """The dtype and shape of one array of the segment table, checked."""
    if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str) and isinstance(entry[1], list)):
        raise ProtocolError("bad segment table")
    kind, shape = entry
    if not DTYPE.fullmatch(kind):
        raise ProtocolError(f"array of dtype {kind[:40]!r} refused")
    try:
        dtype = np.dtype(kind)
    except TypeError:
        raise ProtocolError(f"array of dtype {kind[:40]!r} refused") from None
    if len(shape) > MAX_NDIM or not all(type(n) is int and n >= 0 for n in shape):
        raise ProtocolError("bad array shape")
    return dtype, tuple(shape)


def decode(node, arrays, depth=0):
    if depth > MAX_DEPTH:
        raise ProtocolError("value nested too deeply")
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if isinstance(node, list):
        return [decode(v, arrays, depth + 1) for v in node]
    if not isinstance(node, dict):
        raise ProtocolError(f"unexpected JSON value {type(node).__name__}")
    tag = node.get("$")
    if tag == "tuple" and isinstance(node.get("v"), list):
        return tuple(decode(v, arrays, depth + 1) for v in node["v"])
    if tag == "dict" and isinstance(node.get("v"), list):
        pairs = [p for p in node["v"] if isinstance(p, list) and len(p) == 2 and isinstance(p[0], str)]
        return {k: decode(v, arrays, depth + 1) for k, v in pairs}
    if tag in ("array", "npscalar"):
        index = node.get("i")
        if not isinstance(index, int) or not 0 <= index < len(arrays):
            raise ProtocolError("array reference out of range")
        array = arrays[index]
        return array[()] if tag == "npscalar" and array.ndim == 0 else array
    if tag == "object":
        return ForeignObject(str(node.get("type"))[:80], scrub(str(node.get("repr"))[:200]))
    raise ProtocolError(f"unknown tag {tag!r}")


def same(a, b) -> bool:
    """Whether two decoded values are the same data, of the same types."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (np.ndarray, np.generic)):
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    return a == b


def copied(value):
    """A decoded value whose arrays are fresh copies."""
    if isinstance(value, (tuple, list)):
        return type(value)(copied(v) for v in value)
    if isinstance(value, dict):
        return {k: copied(v) for k, v in value.items()}
    return value.copy() if isinstance(value, np.ndarray) else value


class FrameReader:
    """Reads frames from one descriptor. With `ahead`, a read asks for that many bytes more than the frame
    needs, so that frames sent one after the other arrive in one system call; the descriptor then must
    have no other reader, and `buffered` says whether bytes of a next frame are already here."""

    def __init__(self, fd: int, max_header: int = MAX_HEADER, ahead: int = 0):
        self.fd, self.max_header, self.ahead = fd, max_header, ahead
        self.data = bytearray()

    @property
    def buffered(self) -> bool:
        return bool(self.data)

    def read_frame(self, read=os.read) -> tuple[bytes, bytes]:
        """The header (JSON bytes) and the blob of one frame, their sizes checked before they are read."""
        (header_len,) = struct.unpack(">I", self._take(4, read))
        if header_len > self.max_header:
            raise ProtocolError(f"header of {header_len} bytes is too large")
        header = self._take(header_len, read)
        (blob_len,) = struct.unpack(">Q", self._take(8, read))
        if blob_len > MAX_BLOB:
            raise ProtocolError(f"payload of {blob_len} bytes is too large")
        return header, self._take(blob_len, read)

    def _take(self, n: int, read) -> bytes:
        while len(self.data) < n:
            chunk = read(self.fd, min(n - len(self.data), 1 << 20) + self.ahead)
            if not chunk:
                raise EOFError("channel closed")
            self.data += chunk
        taken = bytes(self.data[:n])
        del self.data[:n]
        return taken


def read_frame(fd: int, read=os.read, max_header: int = MAX_HEADER) -> tuple[bytes, bytes]:
    """One frame, read without reading past it (the descriptor may have other readers after us)."""
    return FrameReader(fd, max_header).read_frame(read)


def frame(header: bytes, blob: bytes) -> bytes:
    """A frame read with read_frame, as bytes again (to pass it on unchanged)."""
    return struct.pack(">I", len(header)) + header + struct.pack(">Q", len(blob)) + blob


def receive(fd: int, read=os.read, max_header: int = MAX_HEADER) -> tuple[dict, list[np.ndarray]]:
    return unpack(*read_frame(fd, read, max_header))
