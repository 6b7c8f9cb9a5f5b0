"""The grader's side of the worker: start it (bubblewrap or a plain process), call student functions, kill it.

`Worker.call(target, args, kwargs)` runs one student function in the worker and returns a `CallResult`;
it raises `CallTimeout` when the call exceeds its time limit and `WorkerCrashed` when the function took the
worker down. Either way the next call starts a fresh worker or child, so grading goes on.
"""

from __future__ import annotations

import ctypes
import itertools
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import protocol

HERE = Path(__file__).resolve().parent
WORKER_FILES = ("worker_main.py", "protocol.py")
MODES = ("auto", "bwrap", "process")
DEFAULT_LIMITS = {"address_space": 3 << 30, "cpu": 300, "fsize": 16 << 20, "nproc": 64, "output": 20000}
START_TIMEOUT = 30.0
_uid_counter = itertools.count()
_LIVE: set[int] = set()  # pids of the workers this process is running


class CallTimeout(Exception):
    """The student's function did not return within its time limit."""


class WorkerCrashed(Exception):
    """The worker died or sent something that is not a valid reply."""


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


def bwrap_available() -> bool:
    if not shutil.which("bwrap") or not shutil.which("setpriv"):
        return False
    probe = subprocess.run(["bwrap", "--ro-bind", "/", "/", "--unshare-pid", "true"], capture_output=True)
    return probe.returncode == 0


def resolve_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"'sandbox' must be one of {MODES} (got {mode!r})")
    if mode == "process":
        return mode
    if bwrap_available():
        return "bwrap"
    if mode == "bwrap":
        raise RuntimeError("--sandbox bwrap was asked for, but bubblewrap (bwrap) is not usable here")
    return "process"


def _become_subreaper():
    """Orphans of the worker (daemons, setsid) get reparented to us, so we can find and kill them."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def _numpy_site() -> tuple[Path, list[Path]]:
    numpy_dir = Path(np.__file__).resolve().parent
    extras = [p for p in [numpy_dir.parent / "numpy.libs"] if p.exists()]
    return numpy_dir, extras


def bwrap_command(scratch: Path, python: str, uid: int) -> list[str]:
    """A sandbox with no network, its own PID namespace, the Python runtime and numpy read-only, and the
    worker's scratch folder: no home, no project tree, no other submission."""
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
            "--size", str(64 << 20), "--tmpfs", "/tmp"]
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
            "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            python, "-I", "/sandbox/worker/worker_main.py"]
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


class Worker:
    """One worker process (restarted on demand) that calls a submission's functions."""

    def __init__(self, modules: list[dict], *, helper=None, mode: str = "auto", timeout: float = 5.0,
                 limits: dict | None = None):
        self.modules = modules
        self.helper = helper
        self.mode = resolve_mode(mode)
        self.timeout = timeout
        self.limits = {**DEFAULT_LIMITS, **(limits or {})}
        self.proc: subprocess.Popen | None = None
        self.current: Target | None = None
        self.scratch = Path(tempfile.mkdtemp(prefix="convgrade-worker-"))
        for name in WORKER_FILES:
            shutil.copy(HERE / name, self.scratch / name)
        os.chmod(self.scratch, 0o755)
        if self.mode == "process":
            _become_subreaper()

    # ------------------------------------------------------------------ lifecycle
    def _spawn(self):
        python = os.path.realpath(sys.executable)
        limits = dict(self.limits)
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "HOME": "/tmp"}
        for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
            if key in os.environ:
                env[key] = os.environ[key]
        if self.mode == "bwrap":
            limits["sys_path"] = ["/sandbox/lib"]
            uid = 200000 + (os.getpid() * 97 + next(_uid_counter)) % 700000
            cmd = bwrap_command(self.scratch, python, uid)
        else:
            limits["sys_path"] = [str(_numpy_site()[0].parent)]
            cmd = [python, "-I", str(self.scratch / "worker_main.py")]
        self.proc = subprocess.Popen(cmd + [json.dumps(limits)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     start_new_session=True, env=env, close_fds=True)
        _LIVE.add(self.proc.pid)
        hello = self._receive(START_TIMEOUT, "start")
        if hello.get("op") != "hello":
            self._kill()
            raise WorkerCrashed("the worker did not start")

    def _kill(self):
        proc, self.proc, self.current = self.proc, None, None
        if proc is None:
            return
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
        _reap_orphans()

    def close(self):
        self._kill()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------------ channel
    def _send(self, message, value_keys=()):
        try:
            protocol.send(self.proc.stdin.fileno(), message, value_keys)
        except (BrokenPipeError, OSError) as exc:
            self._kill()
            raise WorkerCrashed(f"the worker stopped reading ({exc.__class__.__name__})") from None

    def _receive(self, timeout: float, what: str) -> dict:
        deadline = time.monotonic() + timeout

        def read(fd, n):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise CallTimeout(f"{what} took longer than {timeout:g} s")
            return os.read(fd, n)

        try:
            message, arrays = protocol.receive(self.proc.stdout.fileno(), read=read)
            message["_arrays"] = arrays
            return message
        except CallTimeout:
            self._kill()
            raise
        except (EOFError, OSError, protocol.ProtocolError) as exc:
            self._kill()
            raise WorkerCrashed(f"the worker's reply was unreadable: {exc}") from None

    # ------------------------------------------------------------------ calls
    def _enter(self, target: Target):
        if self.current == target:
            return
        if self.current is not None:
            self._end()
        if self.proc is None:
            self._spawn()
        self._send({"op": "start", "modules": self.modules, "import": target.module,
                    "function": target.function, "proxies": list(target.proxies)})
        ready = self._receive(self.timeout + 5.0, f"importing {target.module}")
        if ready.get("op") == "child_exit":
            raise WorkerCrashed(_exit_text(ready.get("code")) + " while importing the module")
        if not ready.get("ok"):
            self._await_exit()
            raise ImportFailed(ready.get("error") or {}, ready.get("output", ""))
        if not ready.get("found"):
            self._await_exit()
            raise FunctionMissing(target.function)
        self.current = target

    def _end(self):
        self.current = None
        self._send({"op": "end"})
        self._await_exit()

    def _await_exit(self):
        self.current = None
        message = self._receive(5.0, "ending the call")
        if message.get("op") != "child_exit":
            self._kill()

    def call(self, target: Target, args=(), kwargs=None, *, return_args=False) -> CallResult:
        self._enter(target)
        self._send({"op": "call", "args": tuple(args), "kwargs": dict(kwargs or {}),
                    "return_args": return_args}, value_keys=("args", "kwargs"))
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._receive(max(0.0, deadline - time.monotonic()), target.function)
            op = message.get("op")
            if op == "helper":
                self._answer_helper(target, message)
            elif op == "result":
                return self._result(message)
            elif op == "child_exit":
                self.current = None
                raise WorkerCrashed(_exit_text(message.get("code")))
            else:
                self._kill()
                raise WorkerCrashed(f"the worker sent an unexpected message {op!r}")

    def _result(self, message) -> CallResult:
        arrays = message["_arrays"]
        try:
            value = protocol.decode(message.get("value"), arrays)
            args_after = protocol.decode(message.get("args_after", []), arrays)
        except protocol.ProtocolError as exc:
            self._kill()
            raise WorkerCrashed(f"the worker's reply was unreadable: {exc}") from None
        error = message.get("error") if isinstance(message.get("error"), dict) else {}
        return CallResult(ok=bool(message.get("ok")), value=value, error=error,
                          output=str(message.get("output", ""))[:20000],
                          helpers=[h for h in message.get("helpers", []) if isinstance(h, str)],
                          args_after=tuple(args_after) if isinstance(args_after, (list, tuple)) else (),
                          elapsed=float(message.get("elapsed", 0.0) or 0.0))

    def _answer_helper(self, target: Target, message):
        name = message.get("name")
        reply = {"op": "helper_result", "ok": False, "type": "RuntimeError",
                 "message": f"{name!r} is not available here"}
        if name in target.proxies and self.helper is not None:
            try:
                args = protocol.decode(message.get("args"), message["_arrays"])
                kwargs = protocol.decode(message.get("kwargs"), message["_arrays"])
                if isinstance(args, tuple) and _is_str_dict(kwargs):
                    reply = {"op": "helper_result", "ok": True, "value": self.helper(name, args, kwargs)}
            except protocol.ProtocolError:
                pass
            except Exception as exc:  # the reference rejected the student's arguments
                reply = {"op": "helper_result", "ok": False, "type": type(exc).__name__, "message": str(exc)}
        self._send(reply, value_keys=("value",) if reply["ok"] else ())


def _is_str_dict(value) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) for k in value)


def _exit_text(code) -> str:
    if isinstance(code, int) and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = {"SIGSEGV": " (a segmentation fault)", "SIGKILL": " (killed: memory or CPU limit?)",
                "SIGXCPU": " (CPU time limit)"}.get(name, "")
        return f"the worker process died from {name}{hint}"
    return f"the worker process exited with code {code} (os._exit?)"


def _reap_orphans():
    """Kill and reap processes a worker left behind (daemons, setsid) that were reparented to us."""
    me, my_session = os.getpid(), os.getsid(0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in _LIVE:
            continue
        pid = int(entry.name)
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid != me or os.getsid(pid) == my_session:
                continue
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (OSError, ValueError, IndexError):
            continue
