"""The cases the checks draw at the default seed and example count reach what the contract speaks about.

The cases are those `drawn_cases` gives each check: exactly the cases a passing submission is called with.
"""

import numpy as np

from grader.checks import checks_for
from grader.engine import drawn_cases as cases_of
from grader.defaults import DEFAULT_EXAMPLES, DEFAULT_SEED


def drawn_cases(function):
    return [case for check in checks_for(function) for case, _ in cases_of(check, DEFAULT_EXAMPLES, DEFAULT_SEED)]


def pair(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def test_conv_cases_reach_every_padding_stride_and_shape():
    cases = [c for c in drawn_cases("conv2d_forward") + drawn_cases("conv2d_backward") if "x" in c.args]
    paddings = {p for c in cases if not isinstance(c.kwargs.get("padding"), str)
                for p in pair(c.kwargs.get("padding", 0)) if isinstance(p, int)}
    strides = {s for c in cases for s in pair(c.kwargs.get("stride", 1)) if isinstance(s, int)}
    assert {0, 1, 2} <= paddings
    assert {1, 2, 3} <= strides
    shapes = [(c.args["x"].shape, c.args["w"].shape) for c in cases if "w" in c.args]
    assert any(x[2] != x[3] for x, _ in shapes), "non-square images"
    assert any(w[2] != w[3] for _, w in shapes), "non-square kernels"
    assert any(x[0] == x[1] == w[0] == 1 for x, w in shapes), "N = C = K = 1"
    assert any(np.prod(x) >= 500 for x, _ in shapes), "moderately sized cases"
    values = [c.args["x"] for c in cases]
    assert any(np.abs(v).max() >= 1e5 for v in values), "large magnitudes"
    assert any(v.max() < 0 for v in values), "negative-only inputs"


def test_pooling_cases_reach_overlap_remainders_and_ties():
    cases = [c for name in ("max_pool_forward", "max_pool_backward", "max_pool_indices")
             for c in drawn_cases(name) if "x" in c.args and "kernel_size" in c.args]
    overlapping = remainder = tied = False
    for c in cases:
        kh, kw = pair(c.args["kernel_size"])
        sh, sw = pair(c.kwargs.get("stride") or (kh, kw))
        H, W = c.args["x"].shape[2:]
        overlapping |= sh < kh or sw < kw
        remainder |= (H - kh) % sh != 0 or (W - kw) % sw != 0
        tied |= len(np.unique(c.args["x"])) < c.args["x"].size
    assert overlapping and remainder and tied
    assert any(c.kwargs.get("stride") is None for c in cases), "stride=None"
    assert any(pair(c.args["kernel_size"])[0] != pair(c.args["kernel_size"])[1] for c in cases)


# ------------------------------------------------------------------------------------------ corners
def corner_cases(*functions):
    return [case for f in functions for check in checks_for(f) for case in check.corners]


def fractions(size, kernel, padding, stride):
    """The fractional part of (I - F + 2P) / S."""
    return ((size - kernel + 2 * padding) / stride) % 1


def test_every_check_runs_corners_first():
    from grader.checks import REGISTRY

    assert not [f"{c.function}: {c.name}" for c in REGISTRY if not c.corners]


def test_conv_corners_reach_every_family():
    cases = [c for c in corner_cases("conv2d_forward", "conv2d_backward") if "w" in c.args and not c.note.startswith(
        ("x and", "the kernel", "stride is", "padding is"))]
    seen = {"padding 0": False, "padding > 0": False, "gaps": False, "overlap": False, "H != W": False,
            "R != S": False, "N = C = 1": False, "N, C > 1": False, "fraction < .5": False, "fraction > .5": False,
            "(h, w) pair with different values": False, "smallest": False}
    for c in cases:
        (N, C, H, W), (_, _, R, S) = c.args["x"].shape, c.args["w"].shape
        (ph, pw), (sh, sw) = pair(c.kwargs["padding"]), pair(c.kwargs["stride"])
        seen["padding 0"] |= 0 in (ph, pw)
        seen["padding > 0"] |= max(ph, pw) > 0
        seen["gaps"] |= sh > R or sw > S
        seen["overlap"] |= sh < R or sw < S
        seen["H != W"] |= H != W
        seen["R != S"] |= R != S
        seen["N = C = 1"] |= N == C == 1
        seen["N, C > 1"] |= N > 1 and C > 1
        parts = [fractions(H, R, ph, sh), fractions(W, S, pw, sw)]
        seen["fraction < .5"] |= any(0 < f < 0.5 for f in parts)
        seen["fraction > .5"] |= any(f > 0.5 for f in parts)
        seen["(h, w) pair with different values"] |= any(
            isinstance(v, tuple) and v[0] != v[1] for v in c.kwargs.values())
        seen["smallest"] |= c.args["x"].size == c.args["w"].size == 1
    assert all(seen.values()), [k for k, v in seen.items() if not v]


def test_pooling_corners_reach_every_family():
    cases = [c for c in corner_cases("max_pool_forward", "max_pool_backward", "max_pool_indices", "avg_pool_forward",
                                     "avg_pool_backward") if not c.note]
    seen = dict.fromkeys(("gaps", "overlap", "fraction < .5", "fraction > .5", "ties", "all negative",
                          "far below zero", "H != W", "kh != kw", "stride=None", "(sh, sw) differ", "N, C > 1",
                          "smallest"), False)
    for c in cases:
        x = c.args["x"]
        (kh, kw), stride = pair(c.args["kernel_size"]), c.kwargs["stride"]
        (sh, sw) = pair(stride or (kh, kw))
        H, W = x.shape[2:]
        seen["gaps"] |= sh > kh or sw > kw
        seen["overlap"] |= sh < kh or sw < kw
        parts = [fractions(H, kh, 0, sh), fractions(W, kw, 0, sw)]
        seen["fraction < .5"] |= any(0 < f < 0.5 for f in parts)
        seen["fraction > .5"] |= any(f > 0.5 for f in parts)
        seen["ties"] |= len(np.unique(x)) < x.size
        seen["all negative"] |= bool(x.max() < 0)
        seen["far below zero"] |= bool(x.max() < -1e5)
        seen["H != W"] |= H != W
        seen["kh != kw"] |= kh != kw
        seen["stride=None"] |= stride is None
        seen["(sh, sw) differ"] |= isinstance(stride, tuple) and sh != sw
        seen["N, C > 1"] |= x.shape[0] > 1 and x.shape[1] > 1
        seen["smallest"] |= x.size == 1
    assert all(seen.values()), [k for k, v in seen.items() if not v]


def test_detect_corners_hold_ties_and_all_negative_responses():
    from grader.checks.scanning import responses

    cases = corner_cases("detect")
    maxima = [(r == r.max()).sum() for r in (responses(c.args["image"], c.args["kernel"]) for c in cases)]
    assert any(m > 1 for m in maxima), "tied best windows"
    assert any(responses(c.args["image"], c.args["kernel"]).max() < 0 for c in cases), "all responses negative"
    assert any(c.args["image"].shape[0] != c.args["image"].shape[1] for c in cases), "H != W"


def test_output_size_corners_have_fractions_below_and_above_half():
    parts = [fractions(c.args["input_size"], c.args["kernel_size"], c.kwargs["padding"], c.kwargs["stride"])
             for c in corner_cases("conv_output_size") if not c.note]
    assert 0 in parts and any(0 < f < 0.5 for f in parts) and any(f > 0.5 for f in parts) and 0.5 in parts
