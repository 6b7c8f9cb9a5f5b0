"""Imports the reference implementation: `import solutions`, and when that fails, puts the real
site-packages folder (found through numpy's real path) back on sys.path, with its .pth files, and tries
again; also looks for a copy of solutions/ next to numpy.

In bubblewrap mode none of it exists inside the sandbox (site-packages is an empty tmpfs, the project
tree is not mounted), and in plain-process mode as root the worker runs in an empty root folder: the
import fails. In plain-process mode without root the installed package can be reached this way: a known
limit of that mode (docs/threat-model.md); it is not asserted there because it depends on how the grader
was installed.
"""
import glob
import os
import site
import sys

import numpy

try:
    import solutions
except ImportError:
    site_packages = os.path.dirname(os.path.dirname(os.path.realpath(numpy.__file__)))
    site.addsitedir(site_packages)
    for path in glob.glob(os.path.join(site_packages, "**", "solutions"), recursive=False):
        sys.path.append(os.path.dirname(path))
    import solutions

conv2d_forward = solutions.conv2d_forward


EXPECT = {
    "only": ("conv2d_forward",),
    "outcome": {},
    "bwrap": {"score": 0, "status": "error", "says": "ModuleNotFoundError"},
    "process_as_root": {"score": 0, "status": "error", "says": "ModuleNotFoundError"},
}
