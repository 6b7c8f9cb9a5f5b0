"""Shrinking a failing case: simpler choices, as long as the property still fails.

A case is the list of choices that drew it (`grader/drawing.py`); a simpler case has fewer choices, or
the same number with earlier ones closer to their simplest value (0, False, the first element, the
lower bound): smaller shapes, the first style, array values from offset 0. A round tries variations of
the best case so far in three tiers, boldest first: every choice at its simplest; one choice at its
simplest; one integer choice 1, 2, 4, ... steps closer to it (so that a number shrinks like a binary
search). A tier's variations are judged in one batch, as the first run is, and the smallest that still
fails in the same way (the property's own failure, an exception of the same type, or a crash) becomes
the best case and starts the next round, so that the smallest case shows the bug first seen. Shrinking
ends when no variation fails, after MAX_ROUNDS rounds, or when its budget of calls is spent.
"""

from __future__ import annotations

from .drawing import Choice, replay

MAX_ROUNDS = 16
PROBED_RANGE = 1024  # choices from larger ranges (array offsets) are only tried at their simplest value


def order(made: tuple[Choice, ...]) -> tuple:
    """Sorts simpler cases first."""
    return len(made), tuple(abs(c.value - c.simplest) for c in made)


def tiers(made: tuple[Choice, ...]) -> list[list[tuple]]:
    """The choice values to try instead of `made`'s, in tiers, the boldest first."""
    values = [c.value for c in made]

    def changed(i, value):
        return tuple(values[:i] + [value] + values[i + 1:])

    probes = []
    for i, c in enumerate(made):
        toward, distance = (-1 if c.value > c.simplest else 1), abs(c.value - c.simplest)
        step = 1 << ((distance - 1).bit_length() - 1) if distance > 1 and c.high - c.low <= PROBED_RANGE else 0
        while step:  # the largest power of two below the distance, down to 1
            probes.append(changed(i, c.value + toward * step))
            step >>= 1
    return [[()], [changed(i, c.simplest) for i, c in enumerate(made) if c.value != c.simplest], probes]


def shrink(strategy, made: tuple[Choice, ...], case, verdict, judge, budget: int, spent) -> tuple:
    """The smallest (case, feedback text) failing like `verdict` found from the failing `case` drawn by `made`.

    `judge(cases)` gives the verdicts of a list of cases (stopping at a timeout or a crash); `spent()` the
    calls of the student's function made so far, of which shrinking may make `budget`."""
    start, best = spent(), (order(made), made, case, verdict.text)
    seen = {tuple(c.value for c in made)}
    for _ in range(MAX_ROUNDS):
        for tier in tiers(best[1]):
            room = budget - (spent() - start)
            if room <= 0:
                return best[2], best[3]
            candidates = fresh_candidates(strategy, tier, seen, best[0])[:room]
            failing = failures(candidates, judge([c for _, _, c in candidates]), verdict.kind)
            if failing:
                best = min(failing, key=lambda f: f[0])
                break
        else:
            break
    return best[2], best[3]


def fresh_candidates(strategy, tier: list[tuple], seen: set, bound: tuple) -> list[tuple]:
    """(order, choices, case) for the choice values of `tier` not tried yet that give a case simpler than `bound`."""
    candidates = []
    for values in tier:
        if values in seen:
            continue
        seen.add(values)
        case, made = replay(strategy, values)
        actual = tuple(c.value for c in made)
        if actual != values and actual in seen:
            continue
        seen.add(actual)
        if order(made) < bound:
            candidates.append((order(made), made, case))
    return candidates


def failures(candidates: list[tuple], verdicts, kind: str) -> list[tuple]:
    """(order, choices, case, feedback text) of the candidates that fail in the way `kind` says; a timeout
    stops the function."""
    failing = []
    for (key, made, case), verdict in zip(candidates, verdicts):
        if verdict is not None and verdict.stop is not None:
            raise verdict.stop
        if verdict is not None and not verdict.passed and verdict.kind == kind:
            failing.append((key, made, case, verdict.text))
    return failing
