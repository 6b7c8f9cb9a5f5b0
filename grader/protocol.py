"""The wire format between the grader and its worker: framed JSON plus raw .npy arrays, never pickle.

A frame is `len(header) (4 bytes) | header (JSON) | len(blob) (8 bytes) | blob`. Arrays travel in the blob
as consecutive .npy segments whose lengths the header lists; everything else is JSON with small tags:
`{"$": "tuple", "v": [...]}`, `{"$": "dict", "v": [[key, value], ...]}`, `{"$": "array", "i": 0}`,
`{"$": "npscalar", "i": 0}` and, for anything the worker cannot express,
`{"$": "object", "type": "...", "repr": "..."}`.

This module is copied next to the worker script and imported there too, so it uses only the standard
library and numpy. Decoding never executes code: arrays are read with `allow_pickle=False` after their
header has been checked against the bytes actually present.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import select
import struct
import threading
import time

import numpy as np

MAX_HEADER = 32 << 20  # what the grader sends: the submission's sources travel in the `start` header
MAX_REPLY_HEADER = 1 << 20  # what the worker sends: values, captured output, error descriptions
MAX_BLOB = 64 << 20
MAX_DEPTH = 12
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
ARRAY_KINDS = "biuf"
HEADER_READERS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
}


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


def _encode(value, arrays, depth):
    if depth >= MAX_DEPTH:
        return _foreign(value, "nested too deeply")
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
    arrays.append(np.array(array, copy=True, order="C"))
    return {"$": tag, "i": len(arrays) - 1}


def _foreign(value, why=""):
    try:
        text = why or repr(value)[:200]
    except BaseException:
        text = "unprintable"
    return {"$": "object", "type": type(value).__name__, "repr": str(text)[:200]}


def pack(message: dict, arrays=()) -> bytes:
    segments = []
    for array in arrays:
        buf = io.BytesIO()
        np.save(buf, array, allow_pickle=False)
        segments.append(buf.getvalue())
    header = json.dumps({**message, "_segments": [len(s) for s in segments]}).encode()
    blob = b"".join(segments)
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
    lengths = message.pop("_segments", [])
    if not isinstance(lengths, list) or not all(isinstance(n, int) and n >= 0 for n in lengths):
        raise ProtocolError("bad segment table")
    if sum(lengths) != len(blob):
        raise ProtocolError("segment table does not match the blob")
    arrays, start = [], 0
    for n in lengths:
        arrays.append(_load_npy(blob[start:start + n]))
        start += n
    return message, arrays


_HEADER_LOCK = threading.Lock()  # numpy parses .npy headers with ast, which CPython 3.11 cannot run in two threads


def _load_npy(data: bytes) -> np.ndarray:
    f = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(f)
        read_header = HEADER_READERS.get(version)
        if read_header is None:
            raise ValueError(f"format version {version} is not accepted")
        with _HEADER_LOCK:
            shape, _fortran, dtype = read_header(f)
    except Exception as exc:
        raise ProtocolError(f"bad array header: {exc}") from None
    if dtype.kind not in ARRAY_KINDS or dtype.hasobject:
        raise ProtocolError(f"array of dtype {dtype} refused")
    expected = math.prod(shape) * dtype.itemsize
    if expected != len(data) - f.tell():
        raise ProtocolError("array header does not match its data")
    f.seek(0)
    try:
        with _HEADER_LOCK:
            return np.load(f, allow_pickle=False)
    except Exception as exc:
        raise ProtocolError(f"bad array: {exc}") from None


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


def read_exact(fd: int, n: int, read=os.read) -> bytes:
    chunks, remaining = [], n
    while remaining:
        chunk = read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError("channel closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int, read=os.read, max_header: int = MAX_HEADER) -> tuple[bytes, bytes]:
    """The header (JSON bytes) and the blob of one frame, their sizes checked before they are read."""
    (header_len,) = struct.unpack(">I", read_exact(fd, 4, read))
    if header_len > max_header:
        raise ProtocolError(f"header of {header_len} bytes is too large")
    header = read_exact(fd, header_len, read)
    (blob_len,) = struct.unpack(">Q", read_exact(fd, 8, read))
    if blob_len > MAX_BLOB:
        raise ProtocolError(f"payload of {blob_len} bytes is too large")
    return header, read_exact(fd, blob_len, read)


def frame(header: bytes, blob: bytes) -> bytes:
    """A frame read with read_frame, as bytes again (to pass it on unchanged)."""
    return struct.pack(">I", len(header)) + header + struct.pack(">Q", len(blob)) + blob


def receive(fd: int, read=os.read, max_header: int = MAX_HEADER) -> tuple[dict, list[np.ndarray]]:
    return unpack(*read_frame(fd, read, max_header))
