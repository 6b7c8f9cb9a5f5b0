"""Loads the reference implementation straight from the grader's project tree
(@REPO@/solutions/__init__.py, found on disk) and submits it as its own.

In bubblewrap mode the project tree is not mounted, and in plain-process mode as root the worker runs in
an empty root folder: the import fails. In plain-process mode without root a submission can read every
file the grader's user can read, so this works and scores full marks: the reason `grade batch` refuses
that mode unless it is asked for by name (docs/threat-model.md). This test keeps that documented limit
honest.
"""
import importlib.util
import sys

spec = importlib.util.spec_from_file_location("stolen", "@REPO@/solutions/__init__.py",
                                              submodule_search_locations=["@REPO@/solutions"])
stolen = importlib.util.module_from_spec(spec)
sys.modules["stolen"] = stolen
spec.loader.exec_module(stolen)
conv2d_forward = stolen.conv2d_forward


EXPECT = {
    "only": ("conv2d_forward",),
    "outcome": {},
    "process": {"full": True},
    "process_as_root": {"full": False, "score": 0, "status": "error", "says": "FileNotFoundError"},
    "bwrap": {"score": 0, "status": "error", "says": "FileNotFoundError"},
}
