"""How the worker confines itself before any student code runs (copied into the sandbox beside
worker_main.py; the standard library only).

`confine(limits)` applies, in this order:

1. resource limits, while the worker may still set any hard limit (`apply_limits`);
2. in plain-process mode started as root, the jail (`enter_jail`): an empty root folder, then a uid of
   the worker's own, no groups and no capabilities. The Python runtime may then be unreadable (it lives
   under /root on some machines), so what student code may import is imported first (`preload`);
3. no_new_privs and a seccomp filter (`block_syscalls`): no memfd or shared memory, no sockets, no
   io_uring, no ptrace;
4. non-dumpable: a process of the same uid can neither trace the worker nor open its /proc files.

`self_test(limits)` then reports what holds; the grader refuses a worker whose report falls short.
"""

import ctypes
import importlib
import os
import resource
import signal

PR_GET_DUMPABLE, PR_SET_DUMPABLE, PR_SET_SECCOMP, PR_SET_NO_NEW_PRIVS = 3, 4, 22, 38
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW, SECCOMP_RET_EPERM = 0x7FFF0000, 0x00050001
BPF_LOAD, BPF_JEQ, BPF_JGE, BPF_RET = 0x20, 0x15, 0x35, 0x06  # ld [k]; jeq #k; jge #k; ret #k
X32_SYSCALL_BIT = 0x40000000

# Refused with EPERM, by audit architecture: memfd_create, memfd_secret, shmget, semget, msgget, mq_open
# (memory that no RLIMIT_AS counts, or that outlives the worker), socket, io_uring_setup/enter/register
# (io_uring would bypass this filter), ptrace, process_vm_readv/writev, pidfd_getfd, userfaultfd.
BLOCKED_SYSCALLS = {
    "x86_64": (0xC000003E, (319, 447, 29, 64, 68, 240, 41, 425, 426, 427, 101, 310, 311, 438, 323)),
    "aarch64": (0xC00000B7, (279, 447, 194, 190, 186, 180, 198, 425, 426, 427, 117, 270, 271, 438, 282)),
}

# What student code may import, imported while the Python runtime is still readable (see enter_jail).
PRELOAD = ("abc", "array", "bisect", "cmath", "collections", "collections.abc", "contextlib", "copy", "ctypes",
           "dataclasses", "decimal", "enum", "fractions", "functools", "glob", "heapq", "itertools", "json",
           "math", "numbers", "operator", "pathlib", "random", "re", "resource", "select", "signal", "site",
           "socket", "stat", "statistics", "string", "struct", "subprocess", "tempfile", "textwrap",
           "threading", "time", "types", "typing", "uuid", "warnings", "encodings.ascii", "encodings.idna",
           "encodings.latin_1", "numpy.fft", "numpy.lib.stride_tricks", "numpy.linalg", "numpy.random")


def prctl(option, value=0):
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        return -1


def preload():
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def apply_limits(limits):
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    cpu = limits.get("cpu")
    pairs = [(resource.RLIMIT_CORE, 0, 0), (resource.RLIMIT_FSIZE, limits.get("fsize"), limits.get("fsize")),
             (resource.RLIMIT_AS, limits.get("address_space"), limits.get("address_space")),
             (resource.RLIMIT_NOFILE, limits.get("nofile"), limits.get("nofile")),
             (resource.RLIMIT_CPU, cpu, cpu + 1 if cpu else None)]
    if limits.get("nproc") and (limits.get("own_uid") or os.getuid() != 0):
        nproc = limits["nproc"] + (0 if limits.get("own_uid") else _processes_of(os.getuid()))
        pairs.append((resource.RLIMIT_NPROC, nproc, nproc))
    for which, soft, hard in pairs:
        if soft is not None:
            resource.setrlimit(which, (soft, hard))


def _processes_of(uid):
    """How many processes `uid` runs now (RLIMIT_NPROC counts them all, not only ours)."""
    count = 0
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 64
    for entry in entries:
        try:
            if entry.isdigit() and os.stat(f"/proc/{entry}").st_uid == uid:
                count += 1
        except OSError:
            continue
    return count


def enter_jail(uid, jail):
    """Plain-process mode started as root: the folder `jail`, empty but for /dev/null, becomes the root (no
    file of the machine is left in sight: not the reference, the output folder, other submissions, /proc
    or /dev/shm), then
    the uid becomes `uid` for good. setresuid away from root clears every capability, so the worker can
    neither chroot out again nor raise its limits."""
    os.chroot(jail)
    os.chdir("/")
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)


class _Instruction(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Instruction))]


def seccomp_program(arch, numbers):
    """BPF: refuse (EPERM) every syscall of another ABI (i386, x32) and each of `numbers`; allow the rest."""
    deny = 4 + len(numbers) + 1  # index of the final `ret EPERM`
    code = [(BPF_LOAD, 0, 0, 4),  # seccomp_data.arch
            (BPF_JEQ, 0, deny - 2, arch),
            (BPF_LOAD, 0, 0, 0),  # seccomp_data.nr
            (BPF_JGE, deny - 4, 0, X32_SYSCALL_BIT)]
    code += [(BPF_JEQ, deny - (4 + i) - 1, 0, nr) for i, nr in enumerate(numbers)]
    code += [(BPF_RET, 0, 0, SECCOMP_RET_ALLOW), (BPF_RET, 0, 0, SECCOMP_RET_EPERM)]
    return code


def block_syscalls():
    """Install the seccomp filter (see BLOCKED_SYSCALLS); False on an architecture it does not know."""
    known = BLOCKED_SYSCALLS.get(os.uname().machine)
    if known is None:
        return False
    code = seccomp_program(*known)
    instructions = (_Instruction * len(code))(*code)
    program = _Program(len(code), instructions)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "installing the seccomp filter failed")
    return True


def confine(limits):
    """Everything above, in order; returns whether the seccomp filter is in place."""
    apply_limits(limits)
    if limits.get("jail"):
        enter_jail(limits["uid"], limits["jail"])
    if prctl(PR_SET_NO_NEW_PRIVS, 1) != 0:
        raise OSError("no_new_privs could not be set")
    filtered = block_syscalls()
    prctl(PR_SET_DUMPABLE, 0)
    return filtered


def _refused(action):
    try:
        action()
    except OSError:
        return True
    return False


def self_test(limits, filtered):
    """What holds in this worker now, as plain data for the grader to check."""
    report = {"uid": os.getuid(), "euid": os.geteuid(), "groups": os.getgroups(),
              "dumpable": prctl(PR_GET_DUMPABLE), "address_space": resource.getrlimit(resource.RLIMIT_AS)[1],
              "filtered": filtered, "memfd_refused": _refused(lambda: os.close(os.memfd_create("probe"))),
              "root_regained": os.getuid() != 0 and not _refused(lambda: os.setuid(0))}
    if limits.get("jail"):
        report["visible"] = sorted(os.listdir("/"))[:10]
    return report
