"""Tries to raise its own resource limits (address space, CPU time, file size, processes) back to
unlimited, and prints which attempts worked.

A hard limit can only be raised with CAP_SYS_RESOURCE. In bubblewrap mode, and in plain-process mode as
root, the worker runs under an unprivileged uid of its own: all refused.
"""
import resource

LIMITS = {"AS": resource.RLIMIT_AS, "CPU": resource.RLIMIT_CPU, "FSIZE": resource.RLIMIT_FSIZE,
          "NPROC": resource.RLIMIT_NPROC}


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    raised = []
    for name, which in LIMITS.items():
        soft, hard = resource.getrlimit(which)
        if hard == resource.RLIM_INFINITY:
            continue
        try:
            resource.setrlimit(which, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
            raised.append(name)
        except (ValueError, OSError):
            pass
    print("raised:", raised or "none")
    if input_size < 1 or kernel_size < 1 or padding < 0 or stride < 1 or kernel_size > input_size + 2 * padding:
        raise ValueError("impossible sizes")
    return (input_size - kernel_size + 2 * padding) // stride + 1


EXPECT = {
    "only": ("conv_output_size",),
    "examples": 1,
    "outcome": {"full": True, "output_says": "raised: none"},
}
