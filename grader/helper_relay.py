"""The helper relay: reference versions of other exercise functions, answered for a submission's calls.

While one function is graded, the worker may ask for another exercise function; the grader passes the
request to a forked copy of itself with memory and time limits (`HelperProcess`), so no argument a
submission sends can exhaust the grader, and passes the answer back as it came.
"""

from __future__ import annotations

import os
import resource
import signal
import struct
import time

from . import protocol
from .processes import PR_SET_PDEATHSIG, close_fds_except, prctl, vm_size


class HelperProcess:
    """Runs `helper(name, args, kwargs)` in a forked copy of the grader, with a memory and CPU limit and
    a deadline per request: a submission that calls a reference helper with huge arguments gets an error
    back instead of exhausting the grader. Forked lazily, on the first request."""

    def __init__(self, helper, address_space: int):
        self.helper, self.address_space = helper, address_space
        self.pid = None
        self.fds = (-1, -1)

    def _start(self):
        down_r, down_w = os.pipe()
        up_r, up_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover (runs in the forked copy)
            try:
                close_fds_except({0, 1, 2, down_r, up_w})
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # die with the grader
                vm = vm_size()
                if vm:
                    resource.setrlimit(resource.RLIMIT_AS, (vm + self.address_space, vm + self.address_space))
                resource.setrlimit(resource.RLIMIT_CPU, (300, 301))
                _serve_helpers(self.helper, down_r, up_w)
            finally:
                os._exit(0)
        os.close(down_r)
        os.close(up_w)
        os.set_blocking(down_w, False)
        self.pid, self.fds = pid, (down_w, up_r)

    def call(self, request: bytes, name: str, timeout: float) -> bytes:
        """Pass on the worker's `helper` frame; the `helper_result` frame to pass back, as it came."""
        if self.pid is None:
            self._start()
        read, write = protocol.deadline_io(time.monotonic() + max(timeout, 0.05))
        try:
            protocol.write_all(self.fds[0], request, write)
            return protocol.frame(*protocol.read_frame(self.fds[1], read))
        except protocol.Deadline:
            why = f"did not finish within {timeout:.3g} s on the arguments it was given"
        except (EOFError, OSError, protocol.ProtocolError):
            why = "failed on the arguments it was given (out of memory?)"
        self.stop()
        return helper_error("RuntimeError", f"the reference {name} {why}", beyond_limits=True)

    def fails_on(self, name: str, args, kwargs, timeout: float) -> bool:
        """Whether the reference `name` runs out of memory or time on these arguments (with the limits of
        every helper call)."""
        chunks: list[bytes] = []
        protocol.send(-1, {"op": "helper", "name": name, "args": tuple(args), "kwargs": dict(kwargs)},
                      ("args", "kwargs"), write=lambda fd, data: chunks.append(bytes(data)) or len(data))
        reply = self.call(b"".join(chunks), name, timeout)
        message = protocol.parse_header(reply[4:4 + struct.unpack(">I", reply[:4])[0]])
        return not message.get("ok") and (message.get("type") == "MemoryError" or bool(message.get("beyond_limits")))

    def stop(self):
        if self.pid is None:
            return
        for fd in self.fds:
            os.close(fd)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        self.pid, self.fds = None, (-1, -1)


def _serve_helpers(helper, fd_in, fd_out):  # pragma: no cover (runs in the forked copy)
    while True:
        try:
            header, blob = protocol.read_frame(fd_in)
        except EOFError:
            return
        try:
            message, arrays = protocol.unpack(header, blob)
            args = protocol.decode(message.get("args"), arrays)
            kwargs = protocol.decode(message.get("kwargs"), arrays)
            if not (isinstance(args, tuple) and _is_str_dict(kwargs)):
                raise TypeError("the arguments could not be read")
            value = helper(message["name"], args, kwargs)
            reply = protocol.pack(*_encoded({"op": "helper_result", "ok": True, "value": value}))
            if len(reply) > protocol.MAX_BLOB // 2:
                raise MemoryError(f"the result would take {len(reply)} bytes")
        except BaseException as exc:  # the reference rejected the arguments, or ran out of memory
            reply = helper_error(type(exc).__name__, str(exc)[:1000])
        protocol.write_all(fd_out, reply)


def _encoded(message: dict) -> tuple[dict, list]:
    node, arrays = protocol.encode(message["value"])
    return {**message, "value": node}, arrays


def helper_error(kind: str, text: str, beyond_limits: bool = False) -> bytes:
    """A failed helper call; `beyond_limits` when the reference ran out of time or memory itself."""
    return protocol.pack({"op": "helper_result", "ok": False, "type": kind, "message": text,
                          "beyond_limits": beyond_limits})


def _is_str_dict(value) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) for k in value)
