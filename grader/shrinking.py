"""Shrinking a failing case: simpler choices, as long as the property still fails.

A case is the list of choices that drew it (`grader/drawing.py`); a simpler case has fewer choices, or
the same number with earlier ones closer to their simplest value (0, False, the first element, the
lower bound): smaller shapes, the first style, array values from offset 0. Each round tries the
variations of the best case so far that move one choice to its simplest value or 1, 2, 4, ... steps
closer to it, and judges all of them in one batch (as the first run does); the smallest one that still
fails becomes the best case, so a number shrinks like a binary search. Shrinking ends when no variation
fails, after MAX_ROUNDS rounds, or when its budget of calls is spent.
"""

from __future__ import annotations

from .drawing import Choice, replay

MAX_ROUNDS = 16
PROBED_RANGE = 1024  # larger ranges (array offsets) are only tried at their simplest value


def order(made: tuple[Choice, ...]) -> tuple:
    """Sorts simpler cases first."""
    return len(made), tuple(abs(c.value - c.simplest) for c in made)


def variations(made: tuple[Choice, ...]):
    """Choice values near `made`, the boldest first: all simplest, then one choice at its simplest, then
    one integer choice (of a range up to PROBED_RANGE) moved 2**k closer to its simplest, for every k."""
    values = [c.value for c in made]
    yield ()
    for i, c in enumerate(made):
        if c.value != c.simplest:
            yield tuple(values[:i] + [c.simplest] + values[i + 1:])
    for i, c in enumerate(made):
        distance = abs(c.value - c.simplest)
        if c.high - c.low > PROBED_RANGE:
            continue
        toward = -1 if c.value > c.simplest else 1
        step = 1 << max(distance.bit_length() - 1, 0)
        while step and step < distance:
            yield tuple(values[:i] + [c.value + toward * step] + values[i + 1:])
            step >>= 1


def shrink(strategy, made: tuple[Choice, ...], case, text: str, judge, budget: int, spent) -> tuple:
    """The smallest failing (case, feedback text) found from the failing `case` drawn by `made`.

    `judge(cases)` gives the verdicts of a list of cases (stopping at a timeout or a crash); `spent()` the
    calls of the student's function made so far, of which shrinking may make `budget`."""
    start = spent()
    best = (order(made), made, case, text)
    seen = {tuple(c.value for c in made)}
    for _ in range(MAX_ROUNDS):
        room = budget - (spent() - start)
        candidates = []
        for values in variations(best[1]):
            if len(candidates) >= room:
                break
            if values in seen:
                continue
            seen.add(values)
            candidate, candidate_made = replay(strategy, values)
            actual = tuple(c.value for c in candidate_made)
            if actual != values and actual in seen:
                continue
            seen.add(actual)
            if order(candidate_made) < best[0]:
                candidates.append((order(candidate_made), candidate_made, candidate))
        if not candidates:
            break
        verdicts = judge([candidate for _, _, candidate in candidates])
        failing = []
        for (key, candidate_made, candidate), verdict in zip(candidates, verdicts):
            if verdict is not None and verdict.stop is not None:
                raise verdict.stop
            if verdict is not None and not verdict.passed:
                failing.append((key, candidate_made, candidate, verdict.text))
        if not failing:
            break
        best = min(failing, key=lambda f: f[0])
    return best[2], best[3]
