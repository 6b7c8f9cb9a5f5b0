"""Looks for what it should not see: home folders, the project tree, the grader's packages and the
host's user list, and prints everything it found.

In bubblewrap mode none of it is there, nor in plain-process mode as root (an empty root folder). In
plain-process mode without root all of it is readable (documented; not asserted).
"""
import importlib
import os
import sys

PLACES = ["/root", "/home", "/work", "@REPO@", "@REPO@/solutions/conv.py", "/etc/passwd", "/etc/shadow"]
RUNTIME = os.path.realpath(sys.base_prefix)  # the Python runtime is mounted, possibly under /root


def visible(path):
    if os.path.isfile(path):
        return True
    return os.path.isdir(path) and any(not RUNTIME.startswith(os.path.join(path, entry) + os.sep)
                                       for entry in os.listdir(path))


def seen():
    found = [p for p in PLACES if visible(p)]
    for name in ("solutions", "grader", "hypothesis", "convgrade"):
        try:
            importlib.import_module(name)
            found.append(f"import {name}")
        except ImportError:
            pass
    return found


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    print("SEEN:", seen())
    if input_size < 1 or kernel_size < 1 or padding < 0 or stride < 1 or kernel_size > input_size + 2 * padding:
        raise ValueError("impossible sizes")
    return (input_size - kernel_size + 2 * padding) // stride + 1


EXPECT = {
    "only": ("conv_output_size",),
    "examples": 1,
    "outcome": {"full": True},
    "bwrap": {"output_says": "SEEN: []"},
    "process_as_root": {"output_says": "SEEN: []"},
}
