"""Tries to write files outside its scratch space: in /tmp, in the grader's project tree, in /root and in the
folder of its own submission, and reports which writes worked.

In bubblewrap mode every bound path is read-only and /tmp is the sandbox's own small tmpfs (writes there
succeed but stay in the sandbox): no file appears on the host. In plain-process mode as root the worker
runs in a read-only, empty root folder: every write fails. Without root the worker can write wherever its
user can (documented; not asserted, and the files are removed after the test).
"""
import os

TARGETS = ["/tmp/@MARKER@", "@REPO@/@MARKER@", "/root/@MARKER@", os.path.join(os.getcwd(), "@MARKER@")]


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    wrote = []
    for path in TARGETS:
        try:
            with open(path, "w") as f:
                f.write("written by a submission\n")
            wrote.append(path)
        except OSError:
            pass
    print("wrote:", wrote or "nothing")
    if input_size < 1 or kernel_size < 1 or padding < 0 or stride < 1 or kernel_size > input_size + 2 * padding:
        raise ValueError("impossible sizes")
    return (input_size - kernel_size + 2 * padding) // stride + 1


EXPECT = {
    "only": ("conv_output_size",),
    "examples": 2,
    "outcome": {"full": True, "absent": ["/tmp/@MARKER@", "@REPO@/@MARKER@", "/root/@MARKER@"]},
    "process": {"absent": []},
    "process_as_root": {"absent": ["/tmp/@MARKER@", "@REPO@/@MARKER@", "/root/@MARKER@"],
                        "output_says": "wrote: nothing"},
}
