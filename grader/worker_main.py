"""The worker: the only process that runs student code.

Started by the grader as `python -I worker_main.py LIMITS_JSON` with the channel on its stdin/stdout. It
moves the channel to private descriptors, points fds 0-2 at /dev/null, imports numpy, applies its resource
limits and then serves one graded function at a time: for each `start` it forks a child that imports the
submission from the sources the grader sent, replaces the other exercise functions by proxies that ask the
grader for the reference result, and answers `call` messages until `end`. The parent of the children
reports how each child ended, so a crash (segfault, os._exit) costs one call, not the worker.

Only the standard library, numpy and the sibling protocol module are used here.
"""

import importlib
import importlib.abc
import importlib.util
import json
import os
import resource
import signal
import sys
import time
import traceback

protocol = None  # imported in main(), once sys.path holds numpy

PACKAGE = "submission"
ALIASES = ("exercises",)
SAFE_ERRORS = {e.__name__: e for e in (ValueError, TypeError, IndexError, ZeroDivisionError, MemoryError)}


class Capture:
    """A stand-in for sys.stdout/sys.stderr that keeps the first `limit` characters and counts the rest."""

    def __init__(self, limit):
        self.limit, self.parts, self.kept, self.dropped = limit, [], 0, 0

    def write(self, text):
        text = str(text)
        room = self.limit - self.kept
        self.parts.append(text[:room])
        self.kept += min(len(text), room)
        self.dropped += max(0, len(text) - room)
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

    The plain names (`import padding`) and `exercises.<name>` refer to the same module objects.
    """

    def __init__(self, modules):
        self.sources = {m["name"]: m for m in modules}

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
            sys.modules[alias] = module
        if head == "":
            module.__package__ = PACKAGE
        exec(compile(entry["source"], entry["filename"], "exec"), module.__dict__)


def describe_error(exc, filenames):
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in filenames]
    where = "".join(traceback.format_list(frames[-4:]))
    return {
        "type": type(exc).__name__,
        "mro": [c.__name__ for c in type(exc).__mro__],
        "message": str(exc)[:1000],
        "traceback": where[-3000:],
    }


def serve_function(start, chan_in, chan_out, capture):
    finder = SourceFinder(start["modules"])
    sys.meta_path.insert(0, finder)
    filenames = {m["filename"] for m in start["modules"]}
    try:
        module = importlib.import_module(f"{PACKAGE}.{start['import']}")
    except BaseException as exc:  # a student's module may even call sys.exit at import
        protocol.send(chan_out, {"op": "ready", "ok": False, "error": describe_error(exc, filenames),
                                 "output": capture.take()})
        return
    function = getattr(module, start["function"], None)
    found = callable(function)
    helpers_used = set()
    install_proxies(start["proxies"], chan_in, chan_out, helpers_used)
    protocol.send(chan_out, {"op": "ready", "ok": True, "found": found, "output": capture.take()})
    while True:
        message, arrays = protocol.receive(chan_in)
        if message.get("op") != "call" or not found:
            return
        args = protocol.decode(message["args"], arrays)
        kwargs = protocol.decode(message["kwargs"], arrays)
        helpers_used.clear()
        started = time.perf_counter()
        try:
            value = function(*args, **kwargs)
            reply = {"op": "result", "ok": True, "value": value}
        except BaseException as exc:
            reply = {"op": "result", "ok": False, "error": describe_error(exc, filenames)}
        reply["elapsed"] = time.perf_counter() - started
        reply["helpers"] = sorted(helpers_used)
        reply["output"] = capture.take()
        keys = ("value",) if reply["ok"] else ()
        if message.get("return_args"):
            reply["args_after"] = args
            keys += ("args_after",)
        protocol.send(chan_out, reply, value_keys=keys)


def install_proxies(names, chan_in, chan_out, helpers_used):
    """Replace the student's other exercise functions by calls to the grader's reference versions."""

    def make_proxy(name):
        def proxy(*args, **kwargs):
            helpers_used.add(name)
            protocol.send(chan_out, {"op": "helper", "name": name, "args": args, "kwargs": kwargs},
                          value_keys=("args", "kwargs"))
            message, arrays = protocol.receive(chan_in)
            if message.get("ok"):
                return protocol.decode(message["value"], arrays)
            error = SAFE_ERRORS.get(message.get("type"), RuntimeError)
            raise error(message.get("message", "reference helper failed"))

        proxy.__name__ = name
        return proxy

    proxies = {name: make_proxy(name) for name in names}
    for module_name, module in list(sys.modules.items()):
        if getattr(module, "__convgrade_loaded__", False):
            for name, proxy in proxies.items():
                if name in vars(module):
                    setattr(module, name, proxy)


def apply_limits(limits):
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    pairs = [(resource.RLIMIT_CORE, 0), (resource.RLIMIT_FSIZE, limits.get("fsize")),
             (resource.RLIMIT_AS, limits.get("address_space")), (resource.RLIMIT_CPU, limits.get("cpu"))]
    if os.getuid() != 0 and limits.get("nproc"):
        pairs.append((resource.RLIMIT_NPROC, limits["nproc"]))
    for which, value in pairs:
        if value is not None:
            resource.setrlimit(which, (value, value))


def main():
    global protocol
    limits = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    sys.path[:0] = [os.path.dirname(os.path.abspath(__file__)), *limits.get("sys_path", [])]
    import numpy  # noqa: F401  (imported before forking, so that every child starts warm)
    import protocol as _protocol
    protocol = _protocol
    chan_in, chan_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    capture = Capture(limits.get("output", 20000))
    sys.stdout = sys.stderr = capture
    sys.stdin = None
    apply_limits(limits)
    protocol.send(chan_out, {"op": "hello", "pid": os.getpid()})
    while True:
        try:
            message, _ = protocol.receive(chan_in)
        except EOFError:
            return
        if message.get("op") != "start":
            return
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                serve_function(message, chan_in, chan_out, capture)
            except BaseException:
                code = 70
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        protocol.send(chan_out, {"op": "child_exit", "code": os.waitstatus_to_exitcode(status)})


if __name__ == "__main__":
    main()
