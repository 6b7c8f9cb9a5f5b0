"""Where a worker runs: the sandbox modes, the bubblewrap command line, the jail of plain-process mode, the
uid each worker gets, and what its start-up self-test must show.

In `bwrap` mode a worker runs in bubblewrap under a uid of its own (claimed with a lock file, so no two
workers on the machine share one); in `process` mode it is a plain process with resource limits, which,
when the grader runs as root, also drops to a uid of its own in an empty root folder (confinement.py).
"""

from __future__ import annotations

import fcntl
import functools
import os
import random
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

MODES = ("auto", "bwrap", "process")
UID_BASE, UID_COUNT = 200_000, 100_000  # bubblewrap workers run under a uid of this range, one each
UID_LOCKS = Path(tempfile.gettempdir()) / "convgrade-uids"


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
    if os.geteuid() == 0:
        return ("note: bubblewrap (bwrap) is not used, so student code runs in a plain process, under a uid of "
                "its own in an empty root folder (no file of this machine in sight, no network, limited "
                "processes, memory and CPU time). It still shares this machine's kernel, PID and IPC "
                "namespaces: see docs/threat-model.md.")
    return ("note: bubblewrap (bwrap) is not used and the grader does not run as root, so student code runs in "
            "a plain process as you. Its memory, CPU time, file sizes and call times are limited and it has no "
            "network, but it can read every file you can read (the reference solutions, your seed file) and "
            "write wherever you can (the output folder). Grade untrusted work with bubblewrap, as root "
            "(see docs/threat-model.md).")


def batch_mode(requested: str) -> str:
    """The mode a class is graded in. A plain process of a user other than root protects nothing from a
    hostile student (it runs as the grader's user), so it is used only when asked for by name."""
    mode = resolve_mode(requested)
    if mode == "process" and requested != "process" and os.geteuid() != 0:
        raise RuntimeError("bubblewrap is not usable here and the grader does not run as root, so student code "
                           "would run as you: it could read the reference solutions and your seed and rewrite "
                           "the gradebook. Run as root with bubblewrap installed, or pass --sandbox process to "
                           "grade anyway (only submissions you trust)")
    return mode


def numpy_site() -> tuple[Path, list[Path]]:
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
    numpy_dir, extras = numpy_site()
    cmd += ["--ro-bind", str(numpy_dir), "/sandbox/lib/numpy"]
    for extra in extras:
        cmd += ["--ro-bind", str(extra), f"/sandbox/lib/{extra.name}"]
    cmd += ["--ro-bind", str(scratch), "/sandbox/worker", "--chdir", "/tmp", "--setenv", "HOME", "/tmp",
            "--setenv", "TMPDIR", "/tmp",
            "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
            "--inh-caps=-all", "--bounding-set=-all",
            python, "-I", "-S", "-B", "/sandbox/worker/worker_main.py"]
    return cmd


def make_jail(jail: Path) -> None:
    """The root folder of a plain-process worker started as root: read-only, empty but for /dev/null
    (where the machine lets us create it), so that student code finds none of the machine's files."""
    (jail / "dev").mkdir(parents=True)
    try:
        os.mknod(jail / "dev" / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        os.chmod(jail / "dev" / "null", 0o666)  # mknod applies the umask
    except OSError:
        pass
    os.chmod(jail / "dev", 0o555)
    os.chmod(jail, 0o555)


def self_test_problems(hello: dict, limits: dict) -> list[str]:
    """What falls short in a worker's start-up self-test (see confinement.self_test), in words."""
    if hello.get("error"):
        return [f"it could not confine itself ({str(hello['error'])[:300]})"]
    report = hello.get("self_test")
    if not isinstance(report, dict):
        return ["it sent no self-test"]
    problems = []
    uid = limits.get("uid")
    if uid is not None and (report.get("uid"), report.get("euid"), report.get("groups")) != (uid, uid, []):
        problems.append(f"it runs as uid {report.get('uid')} (groups {report.get('groups')}) instead of {uid} alone")
    if report.get("root_regained") is not False:
        problems.append("it could become root again")
    if report.get("dumpable") != 0:
        problems.append("it is dumpable (a process of its uid could read its memory)")
    if report.get("address_space") != limits.get("address_space"):
        problems.append(f"its address space limit is {report.get('address_space')}")
    if report.get("filtered") and report.get("memfd_refused") is not True:
        problems.append("memfd_create is not refused")
    if limits.get("jail") and report.get("visible") != ["dev"]:
        problems.append(f"it still sees the machine's files ({report.get('visible')})")
    return problems


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


def claim_uid() -> tuple[int, int]:
    """A uid no other worker on this machine is using: its lock file stays locked while we hold `fd`, and
    no process runs under it (leftovers of a killed sandbox would count against its RLIMIT_NPROC)."""
    UID_LOCKS.mkdir(mode=0o700, exist_ok=True)
    info = os.lstat(UID_LOCKS)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
        raise RuntimeError(f"{UID_LOCKS} must be a folder of this user that nobody else can write to")
    in_use = uids_in_use()
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


def release_uid(uid: int, fd: int):
    """Unlink the lock file while still holding its lock, then let go of it."""
    try:
        os.unlink(UID_LOCKS / str(uid))
    except OSError:
        pass
    os.close(fd)


def await_uid_gone(uid: int, seconds: float = 5.0):
    """A killed sandbox's PID namespace is torn down asynchronously: wait until none of its processes is
    left, so that nothing of a submission is running once its grading is over."""
    end = time.monotonic() + seconds
    while uid in uids_in_use() and time.monotonic() < end:
        time.sleep(0.01)


def uids_in_use() -> set[int]:
    uids = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/status") as f:
                    uids.update(int(line.split()[1]) for line in f if line.startswith("Uid:"))
            except (OSError, ValueError, IndexError):
                continue
    return uids
