"""The worker: the only process that runs student code.

Started by the grader as `python -I -S -B worker_main.py LIMITS_JSON` with the channel on its stdin/stdout.
It moves the channel to private descriptors, points fds 0-2 at /dev/null, imports numpy (and what student
code may import), becomes a child subreaper (orphans of student code come back to it), confines itself
(limits, the jail of plain-process mode as root, a seccomp filter, non-dumpable: see confinement.py),
sends the grader the report of its self-test, and then serves one graded function at a time.

For each `start` it forks a child with a pair of pipes of its own: the child never holds the grader's
channel. The child imports the submission from the sources the grader sent, replaces the other exercise
functions by proxies that ask the grader for the reference result, and answers calls. The parent relays
frames between the grader and the child, enforces the time limit of each call, and when the child is done
(`end`, a crash, a timeout, a message out of turn) kills it and everything it started, then tells the
grader with `child_exit` or `timeout`. A crash or an endless loop costs one call, not the worker.

Only the standard library, numpy and the sibling protocol and confinement modules are used here.
"""

import importlib
import importlib.abc
import importlib.util
import json
import os
import select
import signal
import sys
import time
import traceback

protocol = confinement = None  # imported in main(), once sys.path holds numpy

PACKAGE = "submission"
ALIASES = ("exercises",)
SAFE_ERRORS = {e.__name__: e for e in (ValueError, TypeError, IndexError, ZeroDivisionError, MemoryError)}
PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36
REPLY_HEADER = 1 << 20
CLEANUP_SECONDS = 3.0


# ================================================================================ the child (student code)
class Capture:
    """A stand-in for sys.stdout/sys.stderr that keeps the first `limit` characters and counts the rest."""

    def __init__(self, limit):
        self.limit, self.parts, self.kept, self.dropped = limit, [], 0, 0

    def write(self, text):
        text = str(text)
        room = self.limit - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(len(text), room)
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False

    def take(self):
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n[... {self.dropped} more characters of output dropped]"
        self.parts, self.kept, self.dropped = [], 0, 0
        return text


class SourceFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports the submission's modules from the sources the grader sent, as `submission.<name>`.

    The plain names (`import padding`) and `exercises.<name>` refer to the same module objects; a plain
    name never replaces a module that is already imported (a submission file called numpy.py stays
    `submission.numpy` and `import numpy` inside it still gives numpy).
    """

    def __init__(self, modules):
        self.sources = {m["name"]: m for m in modules}
        self.failures = []  # (exception, where) for every module whose code raised, innermost first

    def find_spec(self, fullname, path=None, target=None):
        head, _, name = fullname.rpartition(".")
        if fullname in (PACKAGE, *ALIASES):
            return importlib.util.spec_from_loader(fullname, self, is_package=True)
        if head in ("", PACKAGE, *ALIASES) and name in self.sources:
            return importlib.util.spec_from_loader(fullname, self, origin=self.sources[name]["filename"])
        return None

    def create_module(self, spec):
        head, _, name = spec.name.rpartition(".")
        canonical = f"{PACKAGE}.{name}" if name in self.sources else spec.name
        if canonical != spec.name and canonical in sys.modules:
            return sys.modules[canonical]
        return None

    def exec_module(self, module):
        head, _, name = module.__name__.rpartition(".")
        if module.__name__ in (PACKAGE, *ALIASES):
            module.__path__ = []
            return
        if getattr(module, "__convgrade_loaded__", False):
            return
        entry = self.sources[name]
        module.__file__ = entry["filename"]
        module.__convgrade_loaded__ = True
        for alias in (name, f"{PACKAGE}.{name}", *(f"{a}.{name}" for a in ALIASES)):
            if sys.modules.get(alias, module) is module or alias != name:
                sys.modules[alias] = module
        if head == "":
            module.__package__ = PACKAGE
        try:
            exec(compile(entry["source"], entry["filename"], "exec"), module.__dict__)
        except BaseException as exc:
            self.failures.append((exc, failure_site(name, entry["filename"], exc)))
            raise

    def failed_module(self, exc):
        """Where `exc` was raised: the innermost submission module it passed through while importing."""
        return next((site for seen, site in self.failures if seen is exc), None)


def failure_site(name, filename, exc):
    """The module, line and columns (0-based, end exclusive) where `exc` was raised in its own code."""
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        return {"module": name, "line": exc.lineno, "col": (exc.offset or 1) - 1, "end_col": None}
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    if not frames:
        return {"module": name, "line": None, "col": None, "end_col": None}
    last = frames[-1]  # columns: Python >= 3.11, and only for an expression on one line
    one_line = getattr(last, "end_lineno", None) == last.lineno
    return {"module": name, "line": last.lineno, "col": getattr(last, "colno", None),
            "end_col": getattr(last, "end_colno", None) if one_line else None}


def describe_error(exc, filenames):
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in filenames]
    where = "".join(traceback.format_list(frames[-4:]))
    try:
        text = str(exc)[:1000]
    except BaseException:
        text = "(the exception's message could not be turned into text)"
    return {"type": type(exc).__name__, "mro": [c.__name__ for c in type(exc).__mro__],
            "message": text, "traceback": where[-3000:]}


def serve_function(start, conn_in, conn_out, capture):
    finder = SourceFinder(start["modules"])
    sys.meta_path.insert(0, finder)
    filenames = {m["filename"] for m in start["modules"]}
    try:
        module = importlib.import_module(f"{PACKAGE}.{start['import']}")
    except BaseException as exc:  # a student's module may even call sys.exit at import
        protocol.send(conn_out, {"op": "ready", "ok": False, "error": describe_error(exc, filenames),
                                 "failed": finder.failed_module(exc), "output": capture.take()})
        return
    function = getattr(module, start["function"], None)
    found = callable(function)
    helpers_used, foreseen = set(), []
    install_proxies(start["proxies"], conn_in, conn_out, helpers_used, foreseen)
    protocol.send(conn_out, {"op": "ready", "ok": True, "found": found, "output": capture.take()})
    while True:
        message, arrays = protocol.receive(conn_in)
        if message.get("op") != "call" or not found:
            return
        for index, call in enumerate(protocol.decode(message["calls"], arrays)):
            args, kwargs = call["args"], call["kwargs"]
            helpers_used.clear()
            foreseen[:] = call["helpers"]
            try:
                value = function(*args, **kwargs)  # called here: `message` and `conn_out` are in this frame
                reply = {"op": "result", "ok": True, "value": value}
            except BaseException as exc:
                reply = {"op": "result", "ok": False, "error": describe_error(exc, filenames)}
            reply.update(id=message.get("id"), index=index, helpers=sorted(helpers_used), output=capture.take())
            keys = ("value",) if reply["ok"] else ()
            if call["return_args"]:
                reply["args_after"] = args
                keys += ("args_after",)
            protocol.send(conn_out, reply, value_keys=keys)


def install_proxies(names, conn_in, conn_out, helpers_used, foreseen):
    """Replace the student's other exercise functions by calls to the grader's reference versions. The
    grader sends some answers along with a call, [name, args, kwargs, answer] in `foreseen`: a helper
    call with exactly those arguments takes its answer from there instead of asking."""

    def make_proxy(name):
        def proxy(*args, **kwargs):
            helpers_used.add(name)
            for known, known_args, known_kwargs, answer in foreseen:
                if known == name and protocol.same(known_args, args) and protocol.same(known_kwargs, kwargs):
                    return protocol.copied(answer)
            protocol.send(conn_out, {"op": "helper", "name": name, "args": args, "kwargs": kwargs},
                          value_keys=("args", "kwargs"))
            message, arrays = protocol.receive(conn_in)
            if message.get("ok"):
                return protocol.decode(message["value"], arrays)
            error = SAFE_ERRORS.get(message.get("type"), RuntimeError)
            raise error(message.get("message", "reference helper failed"))

        proxy.__name__ = name
        return proxy

    proxies = {name: make_proxy(name) for name in names}
    for module in list(sys.modules.values()):
        if getattr(module, "__convgrade_loaded__", False):
            for name, proxy in proxies.items():
                if name in vars(module):
                    setattr(module, name, proxy)


def child_main(start, conn_in, conn_out, capture, _exit=os._exit):
    code = 0
    try:
        serve_function(start, conn_in, conn_out, capture)
    except BaseException:
        code = 70
    _exit(code)


# ================================================================================ the parent (no student code)
class Child:
    """A forked child serving one function, seen from the parent: its pid and its two pipe ends."""

    def __init__(self, pid, to_child, from_child):
        self.pid, self.to_child, self.from_child = pid, to_child, from_child
        self.reader = protocol.FrameReader(from_child, REPLY_HEADER, ahead=1 << 16)  # answers a few at a time
        self.status = None  # the wait status once reaped


def spawn_child(start, chan_in, chan_out, capture) -> Child:
    down_r, down_w = os.pipe()
    up_r, up_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        for fd in (chan_in, chan_out, down_w, up_r):
            os.close(fd)
        os.setpgid(0, 0)  # a group of its own, killed as a whole (descendants that leave it: see below)
        confinement.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # dies with this parent, should the parent be killed
        child_main(start, down_r, up_w, capture)
    os.close(down_r)
    os.close(up_w)
    os.set_blocking(down_w, False)
    return Child(pid, down_w, up_r)


def relay_reply(child, chan_in, chan_out, deadline, expect, call=None):
    """Pass the child's frames on to the grader until it sends `expect`; answer its helper requests with the
    grader's replies. Returns the header of that frame, or None when the child had to be stopped (the grader
    has then been told why). During a batch, `call` is {"id": the batch's id, "index": the call's}: the
    child's answer must carry it, and every message the grader gets about the call does."""
    call = call or {}
    read, write = protocol.deadline_io(deadline)
    while True:
        try:
            header, blob = child.reader.read_frame(read)
            message = protocol.unpack(header, blob)[0]  # the grader gets well-formed frames only
        except protocol.Deadline:
            stop_child(child)
            protocol.send(chan_out, {"op": "timeout", **call})
            return None
        except EOFError:
            stop_child(child, grace=1.0)
            protocol.send(chan_out, {"op": "child_exit", "code": exit_code(child), **call})
            return None
        except protocol.ProtocolError as exc:
            return refuse(child, chan_out, f"sent a malformed message ({exc})", call)
        op = message.get("op")
        if op == "helper" and expect == "result":
            protocol.write_all(chan_out, protocol.frame(header, blob))
            answer = protocol.frame(*protocol.read_frame(chan_in))  # the grader bounds its own time
            try:
                protocol.write_all(child.to_child, answer, write)
            except protocol.Deadline:
                stop_child(child)
                protocol.send(chan_out, {"op": "timeout", **call})
                return None
            except OSError:
                pass  # the child is gone; the next read reports how it ended
            continue
        if op != expect:
            return refuse(child, chan_out, f"sent {str(op)[:40]!r} when {expect!r} was due", call)
        if any(message.get(key) != value for key, value in call.items()):
            return refuse(child, chan_out, "sent an answer that belongs to another call", call)
        protocol.write_all(chan_out, protocol.frame(header, blob))
        return message


def refuse(child, chan_out, why, call=None):
    stop_child(child)
    protocol.send(chan_out, {"op": "child_exit", "code": None, "why": why, **(call or {})})
    return None


def run_function(start, chan_in, chan_out, capture):
    child = spawn_child(start, chan_in, chan_out, capture)
    try:
        deadline = time.monotonic() + float(start.get("import_timeout", 10.0))
        ready = relay_reply(child, chan_in, chan_out, deadline, "ready")
        if ready is None:
            return
        if not (ready.get("ok") and ready.get("found")):
            stop_child(child)
            protocol.send(chan_out, {"op": "child_exit", "code": 0})
            return
        while True:
            header, blob = protocol.read_frame(chan_in)
            message = protocol.parse_header(header)
            if message.get("op") != "call":
                stop_child(child)
                protocol.send(chan_out, {"op": "child_exit", "code": 0})
                return
            calls, first = message.get("calls"), {"id": message.get("id"), "index": 0}
            if child.reader.buffered or select.select([child.from_child], [], [], 0)[0]:
                if child.reader.buffered or os.read(child.from_child, 1):
                    return refuse(child, chan_out, "wrote to its channel between two calls", first)
                stop_child(child, grace=1.0)
                protocol.send(chan_out, {"op": "child_exit", "code": exit_code(child), **first})
                return
            timeout = float(message.get("timeout", 5.0))
            deadline = time.monotonic() + timeout
            try:
                _, write = protocol.deadline_io(deadline)
                protocol.write_all(child.to_child, protocol.frame(header, blob), write)
            except (protocol.Deadline, OSError):
                pass  # the reply (a timeout or the child's end) says what happened
            for index in range(len(calls) if isinstance(calls, list) else 0):  # each call has its own time limit
                if relay_reply(child, chan_in, chan_out, deadline, "result", {**first, "index": index}) is None:
                    return
                deadline = time.monotonic() + timeout
    finally:
        stop_child(child)
        for fd in (child.to_child, child.from_child):
            try:
                os.close(fd)
            except OSError:
                pass


# -------------------------------------------------------------------------------- ending children
def stop_child(child, grace=0.0):
    """Kill the child (after `grace` seconds to exit by itself), its process group and every process it
    started. The group is killed before the child is reaped, while its id cannot be reused."""
    if child.status is None:
        end = time.monotonic() + grace
        while not _ended(child.pid) and time.monotonic() < end:
            time.sleep(0.01)
        _kill(-child.pid)
        _kill(child.pid)
        try:
            child.status = os.waitpid(child.pid, 0)[1]
        except ChildProcessError:
            child.status = 0
    kill_descendants()


def _ended(pid):
    """Whether `pid` has ended, without reaping it (its process group id stays reserved)."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def exit_code(child):
    return os.waitstatus_to_exitcode(child.status) if child.status is not None else None


def kill_descendants():
    """Kill and reap every process below this one. Orphans come back here (child subreaper), so
    repeating "kill my children, reap them" until none is left ends whole trees, setsid'd daemons too.
    With a uid of its own, kill(-1) ends every other process of that uid at once, and waiting until no
    child is left needs no /proc (there is none in the jail)."""
    end = time.monotonic() + CLEANUP_SECONDS
    while time.monotonic() < end:
        if OWN_UID:
            _kill(-1)
        children = _children()
        for pid in children:
            _kill(pid)
        reaped = _reap()
        if not children and not reaped and not (OWN_UID and _has_children()):
            return
        if not reaped:
            time.sleep(0.005)
    os._exit(75)  # something keeps forking faster than it is killed: let the grader restart the worker


def _has_children():
    try:
        os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        return True
    except ChildProcessError:
        return False


def _children():
    me = os.getpid()
    try:
        with open(f"/proc/{me}/task/{me}/children") as f:
            return [int(p) for p in f.read().split()]
    except FileNotFoundError:  # a kernel without CONFIG_PROC_CHILDREN: read every parent pid
        pass
    pids = []
    try:
        entries = os.listdir("/proc")
    except OSError:  # no /proc: the process group and the reaping above have to do
        return pids
    for entry in entries:
        try:
            with open(f"/proc/{entry}/stat") as f:
                if entry.isdigit() and int(f.read().rsplit(")", 1)[1].split()[1]) == me:
                    pids.append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    return pids


def _reap():
    count = 0
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return count
        if not pid:
            return count
        count += 1


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


# -------------------------------------------------------------------------------- setup
OWN_UID = False  # set in main(): True when this worker runs under a uid nobody else uses


def main():
    global protocol, confinement, OWN_UID
    limits = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    sys.path[:0] = [os.path.dirname(os.path.abspath(__file__)), *limits.get("sys_path", [])]
    import numpy  # noqa: F401  (imported before forking, so that every child starts warm)
    import confinement as _confinement
    import protocol as _protocol
    protocol, confinement = _protocol, _confinement
    confinement.preload()
    chan_in, chan_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    capture = Capture(limits.get("output", 20000))
    sys.stdout = sys.stderr = capture
    sys.stdin = None
    if limits.get("grader_pid"):  # plain-process mode: die with the grader
        confinement.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != limits["grader_pid"]:
            return
    confinement.prctl(PR_SET_CHILD_SUBREAPER, 1)
    try:
        filtered = confinement.confine(limits)
    except OSError as exc:  # never serve unconfined: tell the grader why, and end
        protocol.send(chan_out, {"op": "hello", "error": f"{type(exc).__name__}: {exc}"[:500]})
        return
    OWN_UID = bool(limits.get("own_uid")) and os.getuid() == limits.get("uid") and os.getuid() != 0
    protocol.send(chan_out, {"op": "hello", "self_test": confinement.self_test(limits, filtered)})
    while True:
        try:
            header, blob = protocol.read_frame(chan_in)
            message = protocol.unpack(header, blob)[0]
        except (EOFError, protocol.ProtocolError):
            return
        if message.get("op") != "start":
            return
        run_function(message, chan_in, chan_out, capture)


if __name__ == "__main__":
    main()
