"""Tries to hold memory that RLIMIT_AS does not count (it counts mappings, not files in memory): memfd
pages, System V shared memory, files in /dev/shm and in /tmp, 16 MiB at a time, up to 256 MiB in each
place (a cap that cannot hurt the machine), and prints how much each place held. The graded function is
correct; everything it held is freed before it returns.

memfd_create and shmget are refused by the worker's seccomp filter in every mode; /dev/shm is not
writable in bubblewrap mode and not in sight in the jail of plain-process mode as root, where there is no
/tmp either; bubblewrap's /tmp is a tmpfs of 64 MiB. (Without root, a plain-process worker can still fill
/dev/shm and /tmp: docs/threat-model.md.)
"""
import ctypes
import os

CHUNK, CAP = 16 << 20, 256 << 20


def hold_files(folder):
    held, paths = 0, []
    try:
        while held < CAP:
            path = os.path.join(folder, f"hoard-{os.getpid()}-{len(paths)}")
            with open(path, "wb") as f:
                paths.append(path)
                f.write(b"\1" * CHUNK)
            held += CHUNK
    except OSError:
        pass
    for path in paths:
        try:
            os.unlink(path)
        except OSError:
            pass
    return held


def hold_memfd():
    held, fds = 0, []
    try:
        while held < CAP:
            fds.append(os.memfd_create("hoard"))
            os.write(fds[-1], b"\1" * CHUNK)
            held += CHUNK
    except OSError:
        pass
    for fd in fds:
        os.close(fd)
    return held


def hold_sysv():
    libc = ctypes.CDLL(None, use_errno=True)
    shmid = libc.shmget(0, CAP, 0o1600)  # IPC_PRIVATE, IPC_CREAT | 0600
    if shmid < 0:
        return 0
    libc.shmctl(shmid, 0, None)  # IPC_RMID
    return CAP


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    held = {"memfd": hold_memfd(), "sysv": hold_sysv(), "dev_shm": hold_files("/dev/shm"),
            "tmp": hold_files("/tmp")}
    print("held MiB:", ", ".join(f"{k} {v >> 20}" for k, v in held.items()))
    if input_size < 1 or kernel_size < 1 or padding < 0 or stride < 1 or kernel_size > input_size + 2 * padding:
        raise ValueError("impossible sizes")
    return (input_size - kernel_size + 2 * padding) // stride + 1


EXPECT = {
    "only": ("conv_output_size",),
    "examples": 1,
    "outcome": {"full": True, "output_says": "held MiB: memfd 0, sysv 0"},
    "bwrap": {"output_says": "held MiB: memfd 0, sysv 0, dev_shm 0, tmp 64"},
    "process_as_root": {"output_says": "held MiB: memfd 0, sysv 0, dev_shm 0, tmp 0"},
}
