"""Array contents for generated cases: slices of one fixed pool of random numbers.

A case's arrays are filled from a `Noise(offset)`, with the offset drawn like any other choice. Seeding
a NumPy generator costs about 75 µs, more than the rest of a case; a slice of the pool costs a few µs,
and shrinking the offset to 0 gives the same simple values every time. The pool is computed with
SplitMix64 in plain integer arithmetic, so every machine and NumPy version sees the same cases.
"""

from __future__ import annotations

import functools
import math

import numpy as np

OFFSETS = 1 << 16  # offsets are drawn from 0 .. OFFSETS - 1
LARGEST = 1 << 15  # elements one Noise may hand out in all


@functools.cache
def _bits() -> np.ndarray:
    """OFFSETS + LARGEST pseudo-random uint64 values (SplitMix64 of 1, 2, 3, ...)."""
    z = np.arange(1, OFFSETS + LARGEST + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    z ^= z >> np.uint64(30)
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    z.flags.writeable = False
    return z


@functools.cache
def _normal() -> np.ndarray:
    """Standard normal values (Box-Muller), one from the two 32-bit halves of each bit value."""
    u1 = (_bits() >> np.uint64(32)).astype(np.float64) * 2.0 ** -32
    u2 = (_bits() & np.uint64(0xFFFFFFFF)).astype(np.float64) * 2.0 ** -32
    values = np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)
    values.flags.writeable = False
    return values


class Noise:
    """A few methods of `numpy.random.Generator`, answered from the pool starting at `offset`; each call
    takes the next elements."""

    def __init__(self, offset: int):
        if not 0 <= offset < OFFSETS:
            raise ValueError(f"'offset' must be in 0..{OFFSETS - 1} (got {offset})")
        self.start = self.end = offset

    def _take(self, pool: np.ndarray, shape) -> np.ndarray:
        size = math.prod(shape) if isinstance(shape, tuple) else int(shape)
        if self.end + size > self.start + LARGEST:
            raise ValueError(f"generated arrays are small: at most {LARGEST} elements per case (got {size} more)")
        values = pool[self.end:self.end + size]
        self.end += size
        return values.reshape(shape)

    def integers(self, low: int, high: int, size) -> np.ndarray:
        """Integers in low .. high - 1 (int64), as Generator.integers."""
        return (self._take(_bits(), size) % np.uint64(high - low)).astype(np.int64) + low

    def standard_normal(self, shape) -> np.ndarray:
        return self._take(_normal(), shape).copy()

    def permutation(self, n: int) -> np.ndarray:
        """A permutation of 0 .. n - 1 (the order of n pool values)."""
        return np.argsort(self._take(_bits(), (n,)), kind="stable")
