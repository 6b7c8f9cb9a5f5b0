"""The worker sandbox at the Worker level: time, CPU, memory and process limits, crashes, uids, helpers.

Tests that need bubblewrap are marked `sandbox` and skipped when it is not usable here.
"""

import os
import re
import signal
import threading
import time
import uuid

import numpy as np
import pytest

from grader import bwrap, sandbox
from grader.bwrap import bwrap_available, process_mode_note, resolve_mode
from grader.sandbox import Call, CallTimeout, FunctionMissing, ImportFailed, Target, Worker, WorkerCrashed

NEEDS_BWRAP = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed or not usable")
MODES = ["process", pytest.param("bwrap", marks=[pytest.mark.sandbox, NEEDS_BWRAP])]

SOURCE = '''
import ctypes, os, resource, signal, subprocess, sys, time
import numpy as np

def double(x):
    return 2 * x

def loop(x):
    while True:
        pass

def crash_on_one(x):
    if x == 1:
        ctypes.string_at(0)
    return 2 * x

def allocate(n_bytes):
    a = np.ones(n_bytes // 8)
    return float(a.sum())

def status(_):
    text = open("/proc/self/status").read()
    return {k: re.search(k + r":\\s*(\\S+)", text).group(1) for k in ("Uid", "CapEff", "NoNewPrivs")}

def confinement(paths):
    """What this process may do: everything here must be refused."""
    def refused(action):
        try:
            action()
        except OSError:
            return True
        return False

    libc = ctypes.CDLL(None, use_errno=True)
    return {"uid": os.getuid(), "root": sorted(os.listdir("/")), "nofile": resource.getrlimit(resource.RLIMIT_NOFILE)[1],
            "read": [p for p in paths if not refused(lambda: open(p, "rb").close())],
            "setuid": refused(lambda: os.setuid(0)),
            "memfd": refused(lambda: os.memfd_create("hoard")),
            "socket": refused(lambda: __import__("socket").socket()),
            "shmget": libc.shmget(0, 1 << 20, 0o1600) == -1,
            "ptrace": libc.ptrace(16, os.getppid(), 0, 0) == -1}  # PTRACE_ATTACH the worker

def fork_count(_):
    count = 0
    while count < 500:
        try:
            if os.fork() == 0:
                time.sleep(60)
                os._exit(0)
        except OSError:
            return count
        count += 1
    return count

def ask(x):
    try:
        return helper(x)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"

def helper(x):
    return x

def strange(_):
    raise ValueError(repr(object()))

def function_value(_):
    return lambda: 0

def orphan_then_kill_worker(marker):
    try:
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1000)", marker], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:  # no Python to start (the jail of plain-process mode as root): a forked orphan instead
        if os.fork() == 0:
            os.setsid()
            time.sleep(1000)
            os._exit(0)
    time.sleep(0.5)
    os.kill(os.getppid(), signal.SIGKILL)
    time.sleep(5)

def nap(seconds):
    time.sleep(seconds)
    return seconds

def shout(n):
    for _ in range(n):
        print("x" * 1000)
    return n
'''.replace("import ctypes,", "import ctypes, re,")
MODULES = [{"name": "m", "filename": "m.py", "source": SOURCE}]


def target(function, proxies=()):
    return Target("m", function, proxies)


def test_resolve_mode_checks_its_argument():
    with pytest.raises(ValueError, match="'sandbox' must be one of"):
        resolve_mode("docker")
    assert resolve_mode("process") == "process"
    assert resolve_mode("auto") in ("bwrap", "process")


def test_the_process_mode_note_says_what_it_cannot_prevent(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    as_root = process_mode_note()
    assert "uid of its own" in as_root and "kernel" in as_root
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    as_user = process_mode_note()
    assert "read every file you can read" in as_user and "bubblewrap" in as_user


def test_a_batch_without_root_or_bubblewrap_needs_process_mode_by_name(monkeypatch):
    monkeypatch.setattr(bwrap, "bwrap_available", lambda: False)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(RuntimeError, match="pass --sandbox process"):
        bwrap.batch_mode("auto")
    assert bwrap.batch_mode("process") == "process"
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert bwrap.batch_mode("auto") == "process"


@pytest.mark.parametrize("mode", MODES)
def test_a_timeout_costs_the_child_not_the_worker(mode):
    with Worker(MODULES, mode=mode, timeout=0.5) as worker:
        assert worker.call(target("double"), (3,)).value == 6
        pid = worker.proc.pid
        started = time.monotonic()
        with pytest.raises(CallTimeout):
            worker.call(target("loop"), (0,))
        assert time.monotonic() - started < 0.5 + 1.0
        started = time.monotonic()
        assert worker.call(target("double"), (4,)).value == 8
        assert worker.proc.pid == pid, "the worker was restarted"
        assert time.monotonic() - started < 0.5


@pytest.mark.parametrize("mode", MODES)
def test_a_batch_of_calls_is_answered_call_by_call(mode):
    with Worker(MODULES, mode=mode) as worker:
        answers = worker.call_many(target("shout"), [Call((1,)), Call((0,)), Call((2,))])
        assert [a.value for a in answers] == [1, 0, 2]
        assert [a.output.count("x" * 1000) for a in answers] == [1, 0, 2], "each call has its own output"
        answers = worker.call_many(target("crash_on_one"), [Call((2,)), Call((1,)), Call((3,))])
        assert answers[0].value == 4 and isinstance(answers[1], WorkerCrashed) and answers[2] is None
        assert [a.value for a in worker.call_many(target("crash_on_one"), [Call((3,)), Call((5,))])] == [6, 10]
        answer = worker.call_many(target("strange"), [Call((0,))])[0]
        assert not answer.ok and answer.error["type"] == "ValueError"


@pytest.mark.parametrize("mode", MODES)
def test_a_timeout_in_a_batch_costs_one_time_limit(mode):
    with Worker(MODULES, mode=mode, timeout=0.5) as worker:
        worker.call(target("double"), (1,))
        pid, started = worker.proc.pid, time.monotonic()
        answers = worker.call_many(target("loop"), [Call((0,)), Call((1,)), Call((2,))])
        assert isinstance(answers[0], CallTimeout) and answers[1:] == [None, None]
        assert time.monotonic() - started < 0.5 + 1.0
        assert worker.call(target("double"), (4,)).value == 8 and worker.proc.pid == pid


@pytest.mark.parametrize("mode", MODES)
def test_each_call_of_a_batch_has_its_own_time_limit(mode):
    with Worker(MODULES, mode=mode, timeout=0.6) as worker:
        answers = worker.call_many(target("nap"), [Call((0.4,))] * 3)
        assert [a.value for a in answers] == [0.4] * 3, "three calls of 0.4 s each fit a limit of 0.6 s per call"


@pytest.mark.parametrize("mode", MODES)
def test_an_answer_at_the_time_limit_never_answers_another_call(mode):
    """Answers that come just before or just after their call's time limit: each call gets its own answer
    or a timeout, and what comes late is never taken for the next call's answer (every message about a
    call carries its batch's id and index, checked by the worker and by the grader)."""
    with Worker(MODULES, mode=mode, timeout=0.3) as worker:
        for seconds in (0.27, 0.29, 0.3, 0.31, 0.33) * 2:
            for answer in worker.call_many(target("nap"), [Call((seconds,)), Call((0.0,))]):
                assert answer is None or isinstance(answer, CallTimeout) or answer.value in (seconds, 0.0)
            assert worker.call(target("double"), (5,)).value == 10


@pytest.mark.parametrize("mode", MODES)
def test_the_cpu_limit_backs_up_the_wall_clock(mode):
    with Worker(MODULES, mode=mode, timeout=30, limits={"cpu": 1}) as worker:
        started = time.monotonic()
        with pytest.raises(WorkerCrashed, match="SIGXCPU|SIGKILL"):
            worker.call(target("loop"), (0,))
        assert time.monotonic() - started < 10


@pytest.mark.parametrize("mode", MODES)
def test_the_address_space_fits_numpy_but_not_a_bomb(mode):
    with Worker(MODULES, mode=mode, timeout=10) as worker:
        assert worker.call(target("allocate"), (200 << 20,)).value == (200 << 20) // 8
        result = worker.call(target("allocate"), (10**11,))
        assert not result.ok and result.error["type"] == "MemoryError"
        assert worker.call(target("double"), (1,)).value == 2


@pytest.mark.parametrize("mode", MODES)
def test_a_segfault_fails_only_the_calls_that_crash(mode):
    with Worker(MODULES, mode=mode) as worker:
        outcomes = []
        for x in (2, 1, 3, 1, 4):
            try:
                outcomes.append(worker.call(target("crash_on_one"), (x,)).value)
            except WorkerCrashed as exc:
                outcomes.append(str(exc))
        assert outcomes[0::2] == [4, 6, 8]
        assert all("SIGSEGV" in o and "segmentation fault" in o for o in outcomes[1::2])


@pytest.mark.parametrize("mode", MODES)
def test_import_failures_are_remembered_per_module(mode):
    broken = [{"name": "b", "filename": "b.py", "source": "import os\nos._exit(3)\ndef f(): pass\n"}]
    with Worker(broken, mode=mode) as worker:
        with pytest.raises(ImportFailed, match="exited with code 3 during the import"):
            worker.call(Target("b", "f"))
        started = time.monotonic()
        with pytest.raises(ImportFailed):
            worker.call(Target("b", "g"))
        assert time.monotonic() - started < 0.01
    with Worker(MODULES, mode=mode) as worker, pytest.raises(FunctionMissing):
        worker.call(target("nothing_here"))


@pytest.mark.parametrize("mode", MODES)
def test_output_is_capped(mode):
    with Worker(MODULES, mode=mode, limits={"output": 5000}) as worker:
        result = worker.call(target("shout"), (20_000,))
        assert result.value == 20_000
        assert len(result.output) < 5100 and "more characters of output dropped" in result.output


@pytest.mark.parametrize("mode", MODES)
def test_results_carry_no_addresses(mode):
    with Worker(MODULES, mode=mode) as worker:
        message = worker.call(target("strange"), (0,)).error["message"]
        assert "object object" in message and not re.search(r"0x[0-9a-f]{6,}", message)
        value = worker.call(target("function_value"), (0,)).value
        assert "lambda" in repr(value) and not re.search(r"0x[0-9a-f]{6,}", repr(value))


@pytest.mark.parametrize("mode", MODES)
def test_helpers_run_with_limits_outside_the_grader(mode):
    def helper(name, args, kwargs):
        if args[0] == "huge":
            return np.ones(10**11 // 8)
        if args[0] == "slow":
            while True:
                pass
        return os.getpid()

    with Worker(MODULES, helper=helper, mode=mode, timeout=1.0) as worker:
        assert "MemoryError" in worker.call(target("ask", ("helper",)), ("huge",)).value
        assert "did not finish" in worker.call(target("ask", ("helper",)), ("slow",)).value
        answer = worker.call(target("ask", ("helper",)), ("pid",))
        assert answer.value != os.getpid() and answer.helpers == ["helper"]
        assert worker.call(target("ask"), ("pid",)).value == "pid"  # not a proxy here: the student's own runs


@pytest.mark.parametrize("mode", MODES)
def test_orphans_of_a_killed_worker_are_killed(mode):
    """The orphan carries the marker in its command line, or (forked) the worker's own, which names its scratch
    folder."""
    marker = f"convgrade-orphan-{uuid.uuid4().hex}"
    with Worker(MODULES, mode=mode, timeout=5) as worker:
        with pytest.raises(WorkerCrashed, match="ended unexpectedly"):
            worker.call(target("orphan_then_kill_worker"), (marker,))
        assert worker.call(target("double"), (1,)).value == 2
        scratch = str(worker.scratch)
    survivors = [p for p in os.listdir("/proc") if p.isdigit() and (_has(p, marker) or _has(p, scratch))]
    assert survivors == []


def _has(pid, marker):
    try:
        return marker.encode() in open(f"/proc/{pid}/cmdline", "rb").read()
    except OSError:
        return False


@pytest.mark.sandbox
@NEEDS_BWRAP
def test_the_bwrap_worker_is_unprivileged():
    with Worker(MODULES, mode="bwrap") as worker:
        status = worker.call(target("status"), (0,)).value
        assert int(status["Uid"]) >= bwrap.UID_BASE
        assert int(status["CapEff"], 16) == 0 and status["NoNewPrivs"] == "1"


@pytest.mark.parametrize("mode", MODES)
def test_memory_no_limit_counts_sockets_and_tracing_are_refused(mode):
    """The seccomp filter: memfd and System V shared memory (pages RLIMIT_AS does not count), sockets and
    ptrace fail with EPERM; few descriptors."""
    with Worker(MODULES, mode=mode) as worker:
        report = worker.call(target("confinement"), ([],)).value
    assert report["nofile"] == sandbox.DEFAULT_LIMITS["nofile"]
    assert all(report[k] for k in ("setuid", "memfd", "socket", "shmget", "ptrace")), report


@pytest.mark.skipif(os.geteuid() != 0, reason="the worker drops to a uid of its own only when the grader runs as root")
def test_the_process_worker_of_root_is_jailed_under_a_uid_of_its_own():
    reference = str(sandbox.HERE.parent / "solutions" / "conv.py")
    with Worker(MODULES, mode="process") as worker:
        report = worker.call(target("confinement"), ([reference, "/etc/passwd", sandbox.__file__],)).value
        with open(f"/proc/{worker.proc.pid}/status") as f:
            status = dict(line.split(":", 1) for line in f)
    assert bwrap.UID_BASE <= report["uid"] < bwrap.UID_BASE + bwrap.UID_COUNT
    assert report["root"] == ["dev"] and report["read"] == [] and report["setuid"], report
    assert status["Uid"].split()[0] == str(report["uid"]) and status["NoNewPrivs"].strip() == "1"
    assert int(status["CapEff"], 16) == 0


@pytest.mark.sandbox
@NEEDS_BWRAP
def test_concurrent_workers_get_distinct_uids_and_their_own_process_limit():
    """RLIMIT_NPROC counts per uid: one worker's forks do not use up another's."""
    limits = {"nproc": 12}
    with Worker(MODULES, mode="bwrap", limits=limits) as first, Worker(MODULES, mode="bwrap", limits=limits) as second:
        uids = {int(w.call(target("status"), (0,)).value["Uid"]) for w in (first, second)}
        assert len(uids) == 2
        counts = [first.call(target("fork_count"), (0,)).value]  # its 10 sleeping children stay alive
        counts.append(second.call(target("fork_count"), (0,)).value)
        assert counts[0] == counts[1] and 0 < counts[0] <= 12


@pytest.mark.sandbox
@NEEDS_BWRAP
def test_a_fork_bomb_does_not_starve_another_worker():
    bomb = [{"name": "bomb", "filename": "bomb.py", "source": (
        "import os\ndef go(_):\n    while True:\n        try:\n            os.fork()\n"
        "        except OSError:\n            pass\n")}]
    outcome = []
    with Worker(bomb, mode="bwrap", timeout=3) as bomber, Worker(MODULES, mode="bwrap") as victim:
        victim.call(target("double"), (1,))
        thread = threading.Thread(target=lambda: outcome.append(_timed_out(bomber, Target("bomb", "go"))))
        thread.start()
        time.sleep(1.0)
        assert victim.call(target("fork_count"), (0,)).value > 0
        thread.join()
    assert outcome == [True]


def _timed_out(worker, what):
    try:
        worker.call(what, (0,))
    except CallTimeout:
        return True
    return False


def test_the_uid_lock_is_exclusive():
    uid, fd = bwrap.claim_uid()
    try:
        others = [bwrap.claim_uid() for _ in range(5)]
        assert uid not in {u for u, _ in others}
        for other_uid, other_fd in others:
            bwrap.release_uid(other_uid, other_fd)
    finally:
        bwrap.release_uid(uid, fd)
    assert not (bwrap.UID_LOCKS / str(uid)).exists()


def test_a_killed_grader_takes_its_process_worker_along(tmp_path):
    """PR_SET_PDEATHSIG: a plain-process worker dies with the process that started it."""
    script = tmp_path / "grader.py"
    script.write_text(
        "import os, sys, time\n"
        f"sys.path.insert(0, {str(sandbox.HERE.parent)!r})\n"
        "from grader.sandbox import Worker, Target\n"
        f"w = Worker([{{'name': 'm', 'filename': 'm.py', 'source': 'def f(x): return x'}}], mode='process')\n"
        "w.call(Target('m', 'f'), (1,))\n"
        "print(w.proc.pid, flush=True)\n"
        "time.sleep(60)\n")
    import subprocess
    import sys

    grader = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    worker_pid = int(grader.stdout.readline())
    grader.send_signal(signal.SIGKILL)
    grader.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(worker_pid):
        time.sleep(0.05)
    assert not _alive(worker_pid)


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("mode", MODES)
def test_a_sandbox_that_cannot_start_is_an_infrastructure_error(mode, monkeypatch):
    """Not a crash of the student's function: the error stops the run and says what the sandbox said."""
    sandbox.check_sandbox(mode)
    if mode == "bwrap":
        monkeypatch.setattr(sandbox, "bwrap_command", lambda *args: ["bwrap", "--no-such-option"])
        said = "Unknown option --no-such-option"
    else:
        monkeypatch.setattr(sandbox.sys, "executable", "/bin/false")
        said = "ended unexpectedly"
    with pytest.raises(sandbox.InfrastructureError, match=f"the {mode} sandbox did not start.*{said}"):
        sandbox.check_sandbox(mode)
    with Worker(MODULES, mode=mode) as worker, pytest.raises(sandbox.InfrastructureError):
        worker.call(target("double"), (1,))


def test_the_self_test_report_is_checked():
    limits = {"uid": 200123, "address_space": 1 << 30, "jail": "/somewhere"}
    good = {"uid": 200123, "euid": 200123, "groups": [], "dumpable": 0, "address_space": 1 << 30,
            "filtered": True, "memfd_refused": True, "root_regained": False, "visible": ["dev"]}
    assert bwrap.self_test_problems({"self_test": good}, limits) == []
    for change, words in [({"uid": 0, "euid": 0}, "runs as uid 0"), ({"groups": [0]}, "groups [0]"),
                          ({"root_regained": True}, "root again"), ({"dumpable": 1}, "dumpable"),
                          ({"memfd_refused": False}, "memfd_create"), ({"visible": ["dev", "etc"]}, "machine's files"),
                          ({"address_space": -1}, "address space")]:
        assert words in "; ".join(bwrap.self_test_problems({"self_test": {**good, **change}}, limits)), change
    assert "could not confine itself (OSError: chroot)" in bwrap.self_test_problems({"error": "OSError: chroot"}, limits)[0]


CRASH_ON_HUGE = [{"name": "m", "filename": "m.py", "source": "import os\ndef f(n):\n    os._exit(9)\n"}]


@pytest.mark.parametrize("mode", MODES)
def test_a_worker_dying_where_the_reference_fails_too_is_retried_then_stops_the_run(mode):
    from hypothesis import strategies as st

    from grader.cases import Case
    from grader.checks.base import Check
    from grader.engine import FunctionContext, run_check

    def on(n):
        return Check("f", f"f({n})", 1, "value", "f returns", st.just(Case({"n": n})), lambda ctx, case: ctx.call(case))

    calls = []

    def reference(name, args, kwargs):  # runs out of memory on 10**12, like any implementation would
        calls.append(args)
        if args[0] >= 10**12:
            raise MemoryError()
        return 0

    with Worker(CRASH_ON_HUGE, helper=reference, mode=mode) as worker:
        ctx = FunctionContext(worker, Target("m", "f"), None, 2.0)
        crashed = run_check(on(3), ctx, examples=1, seed=0)  # the reference copes: the student's crash
        assert not crashed.passed and "exited with code 9" in crashed.feedback
        first = worker.proc.pid
        with pytest.raises(sandbox.InfrastructureError, match="died twice calling f"):
            run_check(on(10**12), ctx, examples=1, seed=0)
        assert worker.proc is None or worker.proc.pid != first, "the retry ran in a fresh worker"
