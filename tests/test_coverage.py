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
