"""Submits conv.py as a symbolic link (it could point at the reference solution or at any file of the
grader's machine, which the grader would then read as the student's source).

Symbolic links are refused when the submission is read, before anything runs.
"""


def conv2d_forward(x, w, b, stride=1, padding=0):
    return x


EXPECT = {
    "only": ("conv2d_forward",),
    "place": ["conv.py"],
    "solutions": True,
    "symlink": True,
    "outcome": {"score": 0, "status": "missing", "says": "is a symbolic link"},
}
