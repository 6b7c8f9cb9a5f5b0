"""Shared test setup: import path, hypothesis profile and a finite-difference helper."""
import os
import sys

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before numpy: tests grade from thread pools, see grader/__init__.py

import numpy as np  # noqa: E402
import pytest
from hypothesis import HealthCheck, settings

# `import strategies` and `from alternatives.loops import conv` work from any rootdir.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# The tests read English reports: a Korean locale on the machine running them must not change that (the
# tests of Korean output choose the language themselves).
for _variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"

settings.register_profile(
    "default", max_examples=40, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=400)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def numeric_gradient(f, x, eps=1e-6):
    """Central differences of the scalar function ``f`` at the float64 array ``x``.

        grad[i] = (f(x + eps * e_i) - f(x - eps * e_i)) / (2 * eps)
    """
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        plus = f(x.copy())
        x[i] = old - eps
        minus = f(x.copy())
        x[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad


@pytest.fixture(scope="session")
def num_grad():
    """The finite-difference helper ``numeric_gradient(f, x, eps=1e-6)``."""
    return numeric_gradient


def frozen(*arrays):
    """Read-only copies of ``arrays``: a function writing into its inputs fails loudly."""
    out = []
    for a in arrays:
        a = np.array(a)
        a.flags.writeable = False
        out.append(a)
    return out


@pytest.fixture(scope="session")
def read_only():
    """The helper ``frozen(*arrays)`` returning read-only copies."""
    return frozen
