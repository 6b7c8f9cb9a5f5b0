"""The grader's side of the worker: start it (bubblewrap or a plain process), call student functions, kill it.

`Worker.call(target, args, kwargs)` runs one student function in the worker and returns a `CallResult`;
it raises `CallTimeout` when the call exceeds its time limit, `WorkerCrashed` when the function took its
process down or broke the protocol, `ImportFailed` and `FunctionMissing` when there is nothing to call.
Either way the next call starts a fresh child (or worker), so grading goes on.

Everything the worker sends is untrusted data: it is decoded without pickle, size-checked, and only ever
compared by the grader's own code. The reference helpers a submission may call run in a forked copy of
the grader with memory and time limits, so no argument passed to them can exhaust the grader.
See docs/threat-model.md.
"""

from __future__ import annotations

import ctypes
import fcntl
import functools
import json
import os
import random
import resource
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import protocol

HERE = Path(__file__).resolve().parent
WORKER_FILES = ("worker_main.py", "protocol.py")
MODES = ("auto", "bwrap", "process")
DEFAULT_LIMITS = {"address_space": 1 << 30, "cpu": 300, "fsize": 16 << 20, "nproc": 16, "output": 20000}
START_TIMEOUT = 30.0
IMPORT_GRACE = 5.0  # an import may take this much longer than one call
BACKSTOP = 2.0  # the worker enforces time limits; the grader steps in this much later
HELPER_MEMORY = 256 << 20  # address space a reference helper may add to the grader's (its arguments are small)
UID_BASE, UID_COUNT = 200_000, 100_000  # bubblewrap workers run under a uid of this range, one each
UID_LOCKS = Path(tempfile.gettempdir()) / "convgrade-uids"
_LIVE: set[int] = set()  # pids of the workers this process is running


class CallTimeout(Exception):
    """The student's function did not return within its time limit."""


class WorkerCrashed(Exception):
    """The student's process died, or sent something that is not a valid reply."""


class ImportFailed(Exception):
    """The student's module could not be imported; `error` describes why."""

    def __init__(self, error: dict, output: str = ""):
        super().__init__(f"{error.get('type')}: {error.get('message')}")
        self.error, self.output = error, output


class FunctionMissing(Exception):
    """The module imported but does not define the function."""


@dataclass(frozen=True)
class Target:
    """Which student function to call: the module to import, the function, the names to proxy."""

    module: str
    function: str
    proxies: tuple[str, ...] = ()


@dataclass
class CallResult:
    ok: bool
    value: object = None
    error: dict = field(default_factory=dict)
    output: str = ""
    helpers: list = field(default_factory=list)
    args_after: tuple = ()
    elapsed: float = 0.0


# ------------------------------------------------------------------------------------------ modes
@functools.lru_cache(maxsize=None)
def bwrap_available() -> bool:
    """Whether a worker can run in bubblewrap here: bwrap can create its namespaces, and we may switch to
    a uid of the worker's own (so the grader must run as root)."""
    if not shutil.which("bwrap") or not shutil.which("setpriv") or os.geteuid() != 0:
        return False
    probe = subprocess.run(["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-pid",
                            "--unshare-net", "--die-with-parent", "setpriv", f"--reuid={UID_BASE}",
                            f"--regid={UID_BASE}", "--clear-groups", "--no-new-privs", "true"], capture_output=True)
    return probe.returncode == 0


def resolve_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"'sandbox' must be one of {MODES} (got {mode!r})")
    if mode == "process":
        return mode
    if bwrap_available():
        return "bwrap"
    if mode == "bwrap":
        raise RuntimeError("--sandbox bwrap was asked for, but it is not usable here: it needs bubblewrap (bwrap) "
                           "and setpriv, and the grader running as root to give each worker a uid of its own")
    return "process"


def process_mode_note() -> str:
    """What a plain-process worker cannot prevent, for a one-time warning."""
    text = ("note: bubblewrap (bwrap) is not usable here, so student code runs in a plain process. Its memory, "
            "CPU time, file sizes and call times are limited, but it can read every file you can read, "
            "use the network, and write files outside its scratch folder")
    if os.geteuid() == 0:
        text += (". Running as root it can also write root's files, signal any process and fork without "
                 "limit (a fork bomb can freeze the machine)")
    return text + ". Install bubblewrap to isolate it (see docs/threat-model.md)."


def _prctl(option: int, value: int) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _become_subreaper():
    """Orphans of the worker (daemons, setsid) get reparented to us, so we can find and kill them."""
    _prctl(36, 1)  # PR_SET_CHILD_SUBREAPER


# ------------------------------------------------------------------------------------------ bubblewrap
def _numpy_site() -> tuple[Path, list[Path]]:
    numpy_dir = Path(np.__file__).resolve().parent
    extras = [p for p in [numpy_dir.parent / "numpy.libs"] if p.exists()]
    return numpy_dir, extras


def bwrap_command(scratch: Path, python: str, uid: int) -> list[str]:
    """A sandbox with no network, its own PID namespace, the Python runtime and numpy read-only, a small
    writable /tmp, and the worker's files: no home, no project tree, no other submission."""
    cmd = ["bwrap", "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net",
           "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib64", "lib32"):
        path = Path("/") / name
        if path.is_symlink():
            cmd += ["--symlink", os.readlink(path), str(path)]
        elif path.exists():
            cmd += ["--ro-bind", str(path), str(path)]
    cmd += _dirs("/etc/x", "/sandbox/lib/x", "/sandbox/worker")
    cmd += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache", "--dev", "/dev", "--proc", "/proc",
            "--perms", "1777", "--size", str(64 << 20), "--tmpfs", "/tmp"]
    base = Path(sys.base_prefix).resolve()
    if not str(base).startswith("/usr/"):
        cmd += _dirs(str(base)) + ["--ro-bind", str(base), str(base)]
    for site_dir in _site_dirs(base):
        cmd += ["--tmpfs", str(site_dir)]
    numpy_dir, extras = _numpy_site()
    cmd += ["--ro-bind", str(numpy_dir), "/sandbox/lib/numpy"]
    for extra in extras:
        cmd += ["--ro-bind", str(extra), f"/sandbox/lib/{extra.name}"]
    cmd += ["--ro-bind", str(scratch), "/sandbox/worker", "--chdir", "/tmp", "--setenv", "HOME", "/tmp",
            "--setenv", "TMPDIR", "/tmp",
            "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
            "--inh-caps=-all", "--bounding-set=-all",
            python, "-I", "-S", "-B", "/sandbox/worker/worker_main.py"]
    return cmd


def _dirs(*paths: str) -> list[str]:
    """bwrap arguments creating the parent folders of `paths`, world-readable (bwrap's default is 0700)."""
    out, seen = [], set()
    for path in paths:
        for parent in reversed(Path(path).parents[:-1]):
            if str(parent) not in seen:
                seen.add(str(parent))
                out += ["--perms", "0755", "--dir", str(parent)]
    return out


def _site_dirs(base: Path) -> list[Path]:
    lib = base / "lib"
    return sorted(p / "site-packages" for p in lib.glob("python3*") if (p / "site-packages").is_dir())


def _claim_uid() -> tuple[int, int]:
    """A uid no other worker on this machine is using: its lock file stays locked while we hold `fd`, and
    no process runs under it (leftovers of a killed sandbox would count against its RLIMIT_NPROC)."""
    UID_LOCKS.mkdir(mode=0o700, exist_ok=True)
    info = os.lstat(UID_LOCKS)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
        raise RuntimeError(f"{UID_LOCKS} must be a folder of this user that nobody else can write to")
    in_use = _uids_in_use()
    start = random.SystemRandom().randrange(UID_COUNT)
    for i in range(UID_COUNT):
        uid = UID_BASE + (start + i) % UID_COUNT
        if uid in in_use:
            continue
        path = UID_LOCKS / str(uid)
        fd = os.open(path, os.O_CREAT | os.O_RDWR | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.fstat(fd).st_ino == os.stat(path).st_ino:  # not unlinked by its last holder meanwhile
                return uid, fd
        except OSError:
            pass
        os.close(fd)
    raise RuntimeError("no free uid for a sandboxed worker")


def _release_uid(uid: int, fd: int):
    """Unlink the lock file while still holding its lock, then let go of it."""
    try:
        os.unlink(UID_LOCKS / str(uid))
    except OSError:
        pass
    os.close(fd)


def _await_uid_gone(uid: int, seconds: float = 5.0):
    """A killed sandbox's PID namespace is torn down asynchronously: wait until none of its processes is
    left, so that nothing of a submission is running once its grading is over."""
    end = time.monotonic() + seconds
    while uid in _uids_in_use() and time.monotonic() < end:
        time.sleep(0.01)


def _uids_in_use() -> set[int]:
    uids = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/status") as f:
                    uids.update(int(line.split()[1]) for line in f if line.startswith("Uid:"))
            except (OSError, ValueError, IndexError):
                continue
    return uids


# ------------------------------------------------------------------------------------------ reference helpers
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
                _close_fds_except({0, 1, 2, down_r, up_w})
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                _prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with the grader
                vm = _vm_size()
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
        return _helper_error("RuntimeError", f"the reference {name} {why}")

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
            reply = _helper_error(type(exc).__name__, str(exc)[:1000])
        protocol.write_all(fd_out, reply)


def _encoded(message: dict) -> tuple[dict, list]:
    node, arrays = protocol.encode(message["value"])
    return {**message, "value": node}, arrays


def _helper_error(kind: str, text: str) -> bytes:
    return protocol.pack({"op": "helper_result", "ok": False, "type": kind, "message": text})


def _close_fds_except(keep: set[int]):
    folder = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
    for name in os.listdir(folder):
        if int(name) not in keep:
            try:
                os.close(int(name))
            except OSError:
                pass


def _vm_size() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


# ------------------------------------------------------------------------------------------ the worker
class Worker:
    """One worker process (restarted on demand) that calls a submission's functions."""

    def __init__(self, modules: list[dict], *, helper=None, mode: str = "auto", timeout: float = 2.0,
                 limits: dict | None = None):
        self.modules = modules
        self.helper = helper
        self.mode = resolve_mode(mode)
        self.timeout = timeout
        self.limits = {**DEFAULT_LIMITS, **(limits or {})}
        self.proc: subprocess.Popen | None = None
        self.current: Target | None = None
        self.import_failures: dict[str, ImportFailed] = {}
        self.helpers = HelperProcess(helper, HELPER_MEMORY) if helper is not None else None
        self.uid, self.uid_lock = None, -1
        self.scratch = Path(tempfile.mkdtemp(prefix="convgrade-worker-"))
        for name in WORKER_FILES:
            shutil.copy(HERE / name, self.scratch / name)
        os.chmod(self.scratch, 0o755)
        if self.mode == "process":
            lib, home = self.scratch / "lib", self.scratch / "home"
            lib.mkdir()
            home.mkdir(mode=0o700)
            numpy_dir, extras = _numpy_site()
            for path in (numpy_dir, *extras):
                (lib / path.name).symlink_to(path, target_is_directory=True)
            _become_subreaper()

    # ------------------------------------------------------------------ lifecycle
    def _spawn(self):
        python = os.path.realpath(sys.executable)
        limits = dict(self.limits)
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
            if key in os.environ:
                env[key] = os.environ[key]
        if self.mode == "bwrap":
            self.uid, self.uid_lock = _claim_uid()
            limits.update(sys_path=["/sandbox/lib"], own_uid=True, uid=self.uid)
            cmd, cwd = bwrap_command(self.scratch, python, self.uid), None
        else:
            home = str(self.scratch / "home")
            env.update(HOME=home, TMPDIR=home)
            limits.update(sys_path=[str(self.scratch / "lib")], grader_pid=os.getpid())
            cmd, cwd = [python, "-I", "-S", "-B", str(self.scratch / "worker_main.py")], home
        self.proc = subprocess.Popen(cmd + [json.dumps(limits)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, start_new_session=True, env=env, cwd=cwd,
                                     close_fds=True)
        _LIVE.add(self.proc.pid)
        os.set_blocking(self.proc.stdin.fileno(), False)
        hello = self._receive(START_TIMEOUT, "starting the worker")
        if hello.get("op") != "hello":
            self._kill()
            raise WorkerCrashed("the worker did not start")

    def _kill(self):
        proc, self.proc, self.current = self.proc, None, None
        if proc is not None:
            for sig_target in (lambda: os.killpg(proc.pid, signal.SIGKILL), proc.kill):
                try:
                    sig_target()
                except (ProcessLookupError, PermissionError):
                    pass
            for stream in (proc.stdin, proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            proc.wait()
            _LIVE.discard(proc.pid)
            if self.mode == "process":
                _reap_orphans()
        if self.uid_lock >= 0:
            _await_uid_gone(self.uid)
            _release_uid(self.uid, self.uid_lock)
            self.uid_lock = -1

    def close(self):
        try:
            if self.current is not None:
                self._end()  # the worker kills what the last child started, before the worker itself goes
        finally:  # even when interrupted (a batch's time limit arrives as an exception at any point)
            try:
                self._kill()
            finally:
                if self.helpers is not None:
                    self.helpers.stop()
                shutil.rmtree(self.scratch, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------------ channel
    def _send(self, message, value_keys=()):
        write = protocol.deadline_io(time.monotonic() + self.timeout + BACKSTOP)[1]
        try:
            protocol.send(self.proc.stdin.fileno(), message, value_keys, write)
        except (protocol.Deadline, OSError) as exc:
            self._kill()
            raise WorkerCrashed(f"the worker stopped reading ({exc.__class__.__name__})") from None

    def _receive(self, timeout: float, what: str) -> dict:
        read = protocol.deadline_io(time.monotonic() + timeout)[0]
        try:
            header, blob = protocol.read_frame(self.proc.stdout.fileno(), read, protocol.MAX_REPLY_HEADER)
            message, arrays = protocol.unpack(header, blob)
            message["_arrays"], message["_frame"] = arrays, (header, blob)
            return message
        except protocol.Deadline:
            self._kill()
            raise CallTimeout(f"{what} took longer than {timeout:g} s") from None
        except EOFError:
            self._kill()
            raise WorkerCrashed("the worker process ended unexpectedly (was it killed?)") from None
        except (OSError, protocol.ProtocolError) as exc:
            self._kill()
            raise WorkerCrashed(f"the worker's reply was unreadable: {exc}") from None

    # ------------------------------------------------------------------ calls
    def _enter(self, target: Target):
        if target.module in self.import_failures:
            raise self.import_failures[target.module]
        if self.current == target:
            return
        if self.current is not None:
            self._end()
        if self.proc is None:
            self._spawn()
        limit = self.timeout + IMPORT_GRACE
        self._send({"op": "start", "modules": self.modules, "import": target.module,
                    "function": target.function, "proxies": list(target.proxies), "import_timeout": limit})
        try:
            ready = self._receive(limit + BACKSTOP, f"importing {target.module}")
        except CallTimeout:
            ready = {"op": "timeout"}
        op = ready.get("op")
        if op == "timeout":
            self._fail_import(target, {"type": "TimeoutError",
                                       "message": f"importing {target.module} took longer than {limit:g} s"})
        if op == "child_exit":
            self._fail_import(target, {"type": "ProcessDied", "message": _exit_text(ready, " during the import")})
        if op != "ready":
            self._kill()
            raise WorkerCrashed(f"the worker sent {str(op)[:40]!r} instead of 'ready'")
        if not ready.get("ok"):
            self._await_exit()
            self._fail_import(target, clean_error(ready.get("error")), str(ready.get("output", ""))[:20000])
        if not ready.get("found"):
            self._await_exit()
            raise FunctionMissing(target.function)
        self.current = target

    def _fail_import(self, target: Target, error: dict, output: str = ""):
        """Importing the same sources fails the same way: remember it for the module's other functions."""
        self.current = None
        error.setdefault("mro", [error["type"]])
        self.import_failures[target.module] = ImportFailed(error, output)
        raise self.import_failures[target.module]

    def _end(self):
        """End the current function's child; whatever went wrong there is not the next function's fault."""
        self.current = None
        try:
            self._send({"op": "end"})
            self._await_exit()
        except (CallTimeout, WorkerCrashed):
            pass

    def _await_exit(self):
        self.current = None
        message = self._receive(5.0, "ending the call")
        if message.get("op") != "child_exit":
            self._kill()

    def call(self, target: Target, args=(), kwargs=None, *, return_args=False) -> CallResult:
        self._enter(target)
        call_id = secrets.token_hex(8)
        deadline = time.monotonic() + self.timeout
        self._send({"op": "call", "id": call_id, "timeout": self.timeout, "args": tuple(args),
                    "kwargs": dict(kwargs or {}), "return_args": return_args}, value_keys=("args", "kwargs"))
        while True:
            remaining = deadline + BACKSTOP - time.monotonic()
            message = self._receive(max(0.0, remaining), f"{target.function} (no answer from the worker)")
            op = message.get("op")
            if op == "helper":
                self._answer_helper(target, message, deadline)
            elif op == "result" and message.get("id") == call_id:
                return self._result(message, target)
            elif op == "result":
                self._end()
                raise WorkerCrashed("the process sent an answer that belongs to another call")
            elif op == "timeout":
                self.current = None
                raise CallTimeout(f"{target.function} took longer than {self.timeout:g} s")
            elif op == "child_exit":
                self.current = None
                raise WorkerCrashed(_exit_text(message))
            else:
                self._kill()
                raise WorkerCrashed(f"the worker sent an unexpected message {str(op)[:40]!r}")

    def _result(self, message, target: Target) -> CallResult:
        arrays = message["_arrays"]
        try:
            value = protocol.decode(message.get("value"), arrays)
            args_after = protocol.decode(message.get("args_after", []), arrays)
        except protocol.ProtocolError as exc:
            self._end()
            raise WorkerCrashed(f"the process's answer was unreadable: {exc}") from None
        helpers = message.get("helpers")
        return CallResult(ok=message.get("ok") is True, value=value,
                          error={} if message.get("ok") is True else clean_error(message.get("error")),
                          output=str(message.get("output", ""))[:self.limits["output"] + 100],
                          helpers=[h for h in helpers if h in target.proxies] if isinstance(helpers, list) else [],
                          args_after=tuple(args_after) if isinstance(args_after, (list, tuple)) else ())

    def _answer_helper(self, target: Target, message, deadline: float):
        """Answer with the reference version of another exercise function, computed in the helper process
        (the student's code keeps a share of the call's time to handle a failing helper)."""
        name = message.get("name")
        if isinstance(name, str) and name in target.proxies and self.helpers is not None:
            reply = self.helpers.call(protocol.frame(*message["_frame"]), name, 0.8 * (deadline - time.monotonic()))
        else:
            reply = _helper_error("RuntimeError", f"{str(name)[:40]!r} is not available here")
        write = protocol.deadline_io(time.monotonic() + self.timeout + BACKSTOP)[1]
        try:
            protocol.write_all(self.proc.stdin.fileno(), reply, write)
        except (protocol.Deadline, OSError) as exc:
            self._kill()
            raise WorkerCrashed(f"the worker stopped reading ({exc.__class__.__name__})") from None


def clean_error(error) -> dict:
    """An error description from the worker, as plain bounded strings (it may be forged)."""
    error = error if isinstance(error, dict) else {}

    def text(key, limit):
        value = error.get(key)
        return protocol.scrub(value if isinstance(value, str) else "")[:limit]

    kind = text("type", 100) or "Exception"
    mro = error.get("mro")
    mro = [str(c)[:100] for c in mro[:30]] if isinstance(mro, list) and mro else [kind]
    return {"type": kind, "mro": mro, "message": text("message", 1000), "traceback": text("traceback", 3000)}


def _is_str_dict(value) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) for k in value)


def _exit_text(message: dict, when: str = "") -> str:
    code, why = message.get("code"), message.get("why")
    if isinstance(why, str) and why:
        return f"the process {why[:200]}{when}"
    if isinstance(code, int) and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = {"SIGSEGV": " (a segmentation fault)", "SIGKILL": " (killed: memory or CPU limit?)",
                "SIGXCPU": " (CPU time limit)", "SIGABRT": " (aborted)"}.get(name, "")
        return f"the process died from {name}{when}{hint}"
    if isinstance(code, int):
        return f"the process exited with code {code}{when} (os._exit?)"
    return f"the process ended unexpectedly{when}"


def _reap_orphans():
    """Kill and reap processes a worker left behind (daemons, setsid) that were reparented to us.

    Only processes in a session other than ours are taken: the worker runs in a session of its own and
    student code can only create new ones, while the grader's own helpers stay in the grader's session.
    Killing one orphan may hand us its children, so this repeats until none is left."""
    me, my_session = os.getpid(), os.getsid(0)
    if not os.path.isdir("/proc/self"):
        return
    for _ in range(200):
        found = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) in _LIVE:
                continue
            pid = int(entry)
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                if ppid != me or os.getsid(pid) == my_session:
                    continue
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                found += 1
            except (OSError, ValueError, IndexError):
                continue
        if not found:
            return
