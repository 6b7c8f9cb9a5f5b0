"""The wire format: values round-trip, and malformed or hostile frames are refused without running code."""

import json
import os
import pickle
import struct

import numpy as np
import pytest

from grader import protocol
from grader.protocol import ForeignObject, ProtocolError


def round_trip(value):
    node, arrays = protocol.encode(value)
    header, blob = _split(protocol.pack({"v": node}, arrays))
    message, arrays = protocol.unpack(header, blob)
    return protocol.decode(message["v"], arrays)


def _split(frame: bytes):
    (n,) = struct.unpack(">I", frame[:4])
    return frame[4:4 + n], frame[4 + n + 8:]


def frame_with(header: dict, blob: bytes = b"") -> tuple[bytes, bytes]:
    return json.dumps(header).encode(), blob


def test_values_round_trip():
    value = {"x": np.arange(6, dtype=np.float32).reshape(2, 3), "pair": (1, 2.5), "items": [None, True, "s"],
             "scalar": np.int64(7), "flags": np.array([True, False]), "u": np.uint8(3)}
    back = round_trip(value)
    assert back["x"].dtype == np.float32 and np.array_equal(back["x"], value["x"])
    assert back["pair"] == (1, 2.5) and back["items"] == [None, True, "s"]
    assert back["scalar"] == 7 and back["scalar"].dtype == np.int64
    assert back["flags"].dtype == bool and back["u"].dtype == np.uint8


def test_subclasses_arrive_as_plain_data():
    class Liar(np.ndarray):
        def __eq__(self, other):
            return True

    class Always(int):
        def __eq__(self, other):
            return True

    back = round_trip((np.zeros(3).view(Liar), Always(4), type("L", (list,), {})([1, 2])))
    assert type(back[0]) is np.ndarray and type(back[1]) is int and type(back[2]) is list


def test_other_objects_become_foreign_without_addresses():
    back = round_trip([object(), lambda: 0, np.array([object()], dtype=object), 1j])
    assert all(isinstance(v, ForeignObject) for v in back)
    assert "0x" not in "".join(repr(v) for v in back)
    assert back[2].text == "array of dtype object"


def test_object_and_pickled_arrays_are_refused():
    for dtype in ("|O", "|V8", "<c16", "[('a', '<f8')]", "<M8[s]", "f8,f8", "S3", "<U2"):
        with pytest.raises(ProtocolError, match="refused"):
            protocol.unpack(*frame_with({"_segments": [[dtype, [1]]]}, b"\0" * 16))
    payload = pickle.dumps(np.zeros(2))
    with pytest.raises(ProtocolError):
        protocol.unpack(*frame_with({"_segments": [len(payload)]}, payload))


def test_an_array_must_match_its_bytes():
    for shape, blob in (([4], b"\0" * 24), ([4], b"\0" * 40), ([4000000000], b"\0" * 32), ([2, 2], b"")):
        with pytest.raises(ProtocolError, match="does not match"):
            protocol.unpack(*frame_with({"_segments": [["<f8", shape]]}, blob))


def test_a_shape_whose_product_overflows_is_refused():
    with pytest.raises(ProtocolError, match="does not match"):
        protocol.unpack(*frame_with({"_segments": [["<f8", [4294967296, 4294967296]]]}, b"\0" * 8))


def test_shapes_are_lists_of_small_non_negative_ints():
    for shape in ([-1], [1.5], [True], ["2"], [1] * 33, 3):
        with pytest.raises(ProtocolError):
            protocol.unpack(*frame_with({"_segments": [["<f8", shape]]}, b"\0" * 8))


def test_decoded_arrays_are_writable_copies():
    node, arrays = protocol.encode((np.arange(3.0), np.zeros((0, 2)), np.float32(2.5)))
    message, back = protocol.unpack(*_split(protocol.pack({"v": node}, arrays)))
    a, empty, scalar = protocol.decode(message["v"], back)
    a[0] = 7.0
    assert a.flags.writeable and a.flags.owndata and empty.shape == (0, 2) and scalar.dtype == np.float32


def test_segment_tables_and_references_are_checked():
    with pytest.raises(ProtocolError, match="segment table"):
        protocol.unpack(*frame_with({"_segments": [["<f8", [1]]]}, b"abc"))
    with pytest.raises(ProtocolError, match="segment table"):
        protocol.unpack(*frame_with({"_segments": "x"}))
    with pytest.raises(ProtocolError, match="segment table"):
        protocol.unpack(*frame_with({"_segments": [5]}, b"abcde"))
    with pytest.raises(ProtocolError, match="out of range"):
        protocol.decode({"$": "array", "i": 3}, [])
    with pytest.raises(ProtocolError, match="unknown tag"):
        protocol.decode({"$": "pickle", "v": "..."}, [])


def test_headers_that_are_not_json_objects_are_refused():
    for header in (b"[1, 2]", b"\xff\xfe", b"{", b"[" * 200_000 + b"]" * 200_000):
        with pytest.raises(ProtocolError):
            protocol.parse_header(header)


def test_nesting_is_bounded():
    deep = [[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]
    assert isinstance(round_trip(deep), list)
    node = 1
    for _ in range(protocol.MAX_DEPTH + 2):
        node = [node]
    with pytest.raises(ProtocolError, match="nested too deeply"):
        protocol.decode(node, [])


def test_oversized_frames_are_refused_before_they_are_read():
    read_fd, write_fd = os.pipe()
    try:
        os.write(write_fd, struct.pack(">I", 2 << 20))
        with pytest.raises(ProtocolError, match="too large"):
            protocol.read_frame(read_fd, max_header=1 << 20)
        os.write(write_fd, struct.pack(">I", 2) + b"{}" + struct.pack(">Q", protocol.MAX_BLOB + 1))
        with pytest.raises(ProtocolError, match="too large"):
            protocol.read_frame(read_fd)
    finally:
        os.close(read_fd)
        os.close(write_fd)


def test_frames_pass_through_unchanged():
    read_fd, write_fd = os.pipe()
    try:
        protocol.send(write_fd, {"op": "result", "value": np.eye(2)}, value_keys=("value",))
        header, blob = protocol.read_frame(read_fd)
        os.write(write_fd, protocol.frame(header, blob))
        message, arrays = protocol.receive(read_fd)
        assert message["op"] == "result" and np.array_equal(protocol.decode(message["value"], arrays), np.eye(2))
    finally:
        os.close(read_fd)
        os.close(write_fd)


def test_a_closed_channel_is_an_eof():
    read_fd, write_fd = os.pipe()
    os.write(write_fd, b"\0\0")
    os.close(write_fd)
    with pytest.raises(EOFError):
        protocol.receive(read_fd)
    os.close(read_fd)


def test_a_frame_reader_reads_ahead_but_hands_out_one_frame_at_a_time():
    read_fd, write_fd = os.pipe()
    try:
        for i in range(3):
            protocol.send(write_fd, {"op": "result", "index": i, "value": np.full(2, i)}, value_keys=("value",))
        reader, reads = protocol.FrameReader(read_fd, ahead=1 << 16), []

        def read(fd, n):
            reads.append(n)
            return os.read(fd, n)

        for i in range(3):
            message, arrays = protocol.unpack(*reader.read_frame(read))
            assert message["index"] == i and protocol.decode(message["value"], arrays).tolist() == [i, i]
            assert reader.buffered == (i < 2)
        assert len(reads) == 1, "the three frames arrive in one read"
    finally:
        os.close(read_fd)
        os.close(write_fd)


def test_same_compares_decoded_data_and_its_types():
    x = np.arange(4.0)
    assert protocol.same((x, 1, {"p": (1, 2)}), (x.copy(), 1, {"p": (1, 2)}))
    for a, b in ((x, x.astype(np.float32)), (x, x.reshape(2, 2)), (1, True), (1, 1.0), ((1, 2), [1, 2]),
                 ({"p": 1}, {"q": 1}), (np.int64(3), 3)):
        assert not protocol.same(a, b), (a, b)
    copy = protocol.copied((x, [x], {"x": x}))
    assert all(v is not x and np.array_equal(v, x) for v in (copy[0], copy[1][0], copy[2]["x"]))
