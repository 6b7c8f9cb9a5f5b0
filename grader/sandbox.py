"""The grader's side of the worker: start it (bubblewrap or a plain process), call student functions, kill it.

`Worker.call_many(target, calls)` runs one student function on a list of arguments in one round trip,
each call with its own time limit and output capture, and returns a `CallResult` per call; the first call
that exceeds its time limit is answered by a `CallTimeout`, the first that takes its process down or
breaks the protocol by a `WorkerCrashed`, and the calls after it are not run. `send_calls` starts such a
batch and `next_answer` and `poll` take its answers in as they arrive, so that the grader can judge one
answer while the worker computes the next. `ImportFailed` and `FunctionMissing` are raised when there is
nothing to call. `Worker.call` makes one call and raises what it is answered by. Either way the next call
starts a fresh child (or worker), so grading goes on.

Everything the worker sends is untrusted data: it is decoded without pickle, size-checked, and only ever
compared by the grader's own code. The reference helpers a submission may call run in a forked copy of
the grader with memory and time limits, so no argument passed to them can exhaust the grader.
See docs/threat-model.md.
"""

from __future__ import annotations

import json
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import protocol
from .bwrap import (await_uid_gone, bwrap_command, claim_uid, make_jail, numpy_site, release_uid, resolve_mode,
                    self_test_problems)
from .defaults import DEFAULT_TIMEOUT
from .helper_relay import HelperProcess, helper_error
from .calls import (Batch, Call, CallResult, CallTimeout, FunctionMissing, ImportFailed, InfrastructureError, Target,
                    WorkerCrashed)
from .processes import LIVE, become_subreaper, reap_orphans
from .scratch import WORKER as WORKER_SCRATCH, make_scratch

HERE = Path(__file__).resolve().parent
WORKER_FILES = ("worker_main.py", "protocol.py", "confinement.py")
DEFAULT_LIMITS = {"address_space": 1 << 30, "cpu": 300, "fsize": 16 << 20, "nproc": 16, "nofile": 64,
                  "output": 20000}
START_TIMEOUT = 30.0
IMPORT_GRACE = 5.0  # an import may take this much longer than one call
BACKSTOP = 2.0  # the worker enforces time limits; the grader steps in this much later
READ_AHEAD = 1 << 16  # the worker's answers to one batch arrive a few frames per system call
HELPER_MEMORY = 256 << 20  # address space a reference helper may add to the grader's (its arguments are small)


class Worker:
    """One worker process (restarted on demand) that calls a submission's functions."""

    def __init__(self, modules: list[dict], *, helper=None, mode: str = "auto", timeout: float = DEFAULT_TIMEOUT,
                 limits: dict | None = None):
        self.modules = modules
        self.helper = helper
        self.mode = resolve_mode(mode)
        self.timeout = timeout
        self.limits = {**DEFAULT_LIMITS, **(limits or {})}
        self.proc: subprocess.Popen | None = None
        self.reader: protocol.FrameReader | None = None
        self.current: Target | None = None
        self.import_failures: dict[str, ImportFailed] = {}
        self.helpers = HelperProcess(helper, HELPER_MEMORY) if helper is not None else None
        self.uid, self.uid_lock = None, -1
        self.scratch = make_scratch(WORKER_SCRATCH)
        for name in WORKER_FILES:
            shutil.copy(HERE / name, self.scratch / name)
        os.chmod(self.scratch, 0o755)
        if self.mode == "process":
            lib = self.scratch / "lib"
            lib.mkdir()
            numpy_dir, extras = numpy_site()
            for path in (numpy_dir, *extras):
                (lib / path.name).symlink_to(path, target_is_directory=True)
            if os.geteuid() == 0:
                make_jail(self.scratch / "jail")
            else:
                (self.scratch / "home").mkdir(mode=0o700)
            become_subreaper()

    # ------------------------------------------------------------------ lifecycle
    def _spawn(self):
        limits = dict(self.limits)
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
            if key in os.environ:
                env[key] = os.environ[key]
        if self.mode == "bwrap" or os.geteuid() == 0:  # a uid of its own: in bubblewrap, or in the jail
            self.uid, self.uid_lock = claim_uid()
            limits.update(own_uid=True, uid=self.uid)
        cmd, cwd = self._command(limits, env)
        hello = self._start(cmd + [json.dumps(limits)], cwd, env)
        problems = self_test_problems(hello, limits) if hello.get("op") == "hello" else ["it did not say hello"]
        if problems:
            self._kill()
            raise InfrastructureError(f"the {self.mode} sandbox failed its start-up self-test: {'; '.join(problems)}")

    def _command(self, limits: dict, env: dict) -> tuple[list[str], str | None]:
        """The worker's command line and folder; `limits` and `env` completed for the mode."""
        python = os.path.realpath(sys.executable)
        if self.mode == "bwrap":
            limits.update(sys_path=["/sandbox/lib"])
            return bwrap_command(self.scratch, python, self.uid), None
        limits.update(sys_path=[str(self.scratch / "lib")], grader_pid=os.getpid())
        if self.uid is not None:
            cwd = str(self.scratch / "jail")
            limits.update(jail=cwd)
            env.update(HOME="/", TMPDIR="/")
        else:
            cwd = str(self.scratch / "home")
            env.update(HOME=cwd, TMPDIR=cwd)
        return [python, "-I", "-S", "-B", str(self.scratch / "worker_main.py")], cwd

    def _start(self, cmd: list[str], cwd: str | None, env: dict) -> dict:
        """Start the worker and wait for its hello; raises InfrastructureError, with what the sandbox said
        on stderr, when it does not start."""
        with open(self.scratch / "startup.log", "w+b") as log:
            try:
                self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                             start_new_session=True, env=env, cwd=cwd, close_fds=True)
                LIVE.add(self.proc.pid)
                os.set_blocking(self.proc.stdin.fileno(), False)
                self.reader = protocol.FrameReader(self.proc.stdout.fileno(), protocol.MAX_REPLY_HEADER, READ_AHEAD)
                return self._receive(START_TIMEOUT, "starting the worker")
            except (CallTimeout, WorkerCrashed, OSError) as exc:
                self._kill()
                log.seek(0)
                said = log.read(2000).decode("utf-8", "replace").strip()
                raise InfrastructureError(f"the {self.mode} sandbox did not start: {exc}"
                                          + (f"; it said: {said}" if said else "")) from None

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
            LIVE.discard(proc.pid)
            if self.mode == "process":
                reap_orphans()
        if self.uid_lock >= 0:
            await_uid_gone(self.uid)
            release_uid(self.uid, self.uid_lock)
            self.uid, self.uid_lock = None, -1

    def restart(self):
        """Stop the worker; the next call starts a fresh one."""
        self._kill()

    def reference_fails(self, name: str, args, kwargs) -> bool:
        """Whether the reference `name` runs out of memory or time on these arguments too (in the limited
        helper process): then a worker that died on them is not the student's doing."""
        return self.helpers is not None and self.helpers.fails_on(name, args, kwargs, self.timeout)

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
            header, blob = self.reader.read_frame(read)
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
            self._fail_import(target, clean_error(ready.get("error")), str(ready.get("output", ""))[:20000],
                              clean_site(ready.get("failed"), self.modules))
        if not ready.get("found"):
            self._await_exit()
            raise FunctionMissing(target.function)
        self.current = target

    def _fail_import(self, target: Target, error: dict, output: str = "", site: dict | None = None):
        """Importing the same sources fails the same way: remember it for the module's other functions."""
        self.current = None
        error.setdefault("mro", [error["type"]])
        self.import_failures[target.module] = ImportFailed(error, output, site)
        raise self.import_failures[target.module]

    def replace_sources(self, modules: list[dict]):
        """Import these sources from the next function on (a module that does not import was stood in for)."""
        if self.current is not None:
            self._end()
        self.modules, self.import_failures = modules, {}

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

    def call(self, target: Target, args=(), kwargs=None, *, return_args=False,
             timeout: float | None = None) -> CallResult:
        """One call (within `timeout` seconds, by default the worker's); raises what `call_many` reports for it."""
        outcome = self.call_many(target, [Call(tuple(args), dict(kwargs or {}), return_args)], timeout=timeout)[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def call_many(self, target: Target, calls: list[Call], *, timeout: float | None = None) -> list:
        """Call the function once per entry of `calls`, in order, in one round trip: the batch's answers."""
        batch = self.send_calls(target, calls, timeout=timeout)
        while not batch.done:
            self.next_answer(batch)
        return batch.answers

    def send_calls(self, target: Target, calls: list[Call], *, timeout: float | None = None) -> Batch:
        """Send the calls in one message; their answers come in with `next_answer` and `poll`. Raises
        ImportFailed or FunctionMissing when there is nothing to call."""
        self._enter(target)
        limit = self.timeout if timeout is None else timeout
        batch = Batch(target, secrets.token_hex(8), len(calls), limit, time.monotonic() + limit)
        if calls:
            try:
                self._send({"op": "call", "id": batch.id, "timeout": limit,
                            "calls": [{"args": c.args, "kwargs": c.kwargs, "return_args": c.return_args,
                                       "helpers": c.helpers} for c in calls]}, value_keys=("calls",))
            except WorkerCrashed as exc:
                batch.end(exc)
        return batch

    def next_answer(self, batch: Batch):
        """Wait for the batch's next answer, answering the function's helper requests meanwhile."""
        count = len(batch.answers)
        while len(batch.answers) == count:
            self._take(batch)

    def poll(self, batch: Batch):
        """Take in what the worker has sent about the batch so far (answers, helper requests), without waiting."""
        while not batch.done and (self.reader.buffered or select.select([self.reader.fd], [], [], 0)[0]):
            self._take(batch)

    def _take(self, batch: Batch):
        """Read one message about the batch: every one carries the batch's id and the index of its call."""
        index, target = len(batch.answers), batch.target
        try:
            message = self._receive(max(0.0, batch.deadline + BACKSTOP - time.monotonic()),
                                    f"{target.function} (no answer from the worker)")
            op = message.get("op")
            if op == "helper":
                self._answer_helper(target, message, batch.deadline)
            elif message.get("id") != batch.id or message.get("index") != index:
                self._kill()
                raise WorkerCrashed("the process sent an answer that belongs to another call" if op == "result"
                                    else f"the worker sent {str(op)[:40]!r} about another call")
            elif op == "result":
                batch.answers.append(self._result(message, target))
                batch.deadline = time.monotonic() + batch.timeout
            elif op == "timeout":
                self.current = None
                raise CallTimeout(f"{target.function} took longer than {batch.timeout:g} s")
            elif op == "child_exit":
                self.current = None
                raise WorkerCrashed(_exit_text(message))
            else:
                self._kill()
                raise WorkerCrashed(f"the worker sent an unexpected message {str(op)[:40]!r}")
        except (CallTimeout, WorkerCrashed) as exc:
            batch.end(exc)

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
            reply = helper_error("RuntimeError", f"{str(name)[:40]!r} is not available here")
        write = protocol.deadline_io(time.monotonic() + self.timeout + BACKSTOP)[1]
        try:
            protocol.write_all(self.proc.stdin.fileno(), reply, write)
        except (protocol.Deadline, OSError) as exc:
            self._kill()
            raise WorkerCrashed(f"the worker stopped reading ({exc.__class__.__name__})") from None


def check_sandbox(mode: str) -> None:
    """Start a worker in `mode` and stop it; raises InfrastructureError when it fails its self-test."""
    with Worker([], mode=mode) as worker:
        worker._spawn()


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


def clean_site(site, modules: list[dict]) -> dict | None:
    """Where an import failed, as the worker tells it (it may be forged): a module of the submission and
    plain ints, or None."""
    if not isinstance(site, dict) or site.get("module") not in {m["name"] for m in modules}:
        return None

    def number(key):
        value = site.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1 << 31 else None

    return {"module": site["module"], "line": number("line"), "col": number("col"), "end_col": number("end_col")}


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
