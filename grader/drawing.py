"""Cases drawn from the checks' hypothesis strategies at the cost of the NumPy work in them.

Hypothesis' engine spends milliseconds of bookkeeping per example, far more than drawing a case costs, and
a check needs dozens of examples. `draw` runs the same strategies (`@st.composite`, `st.integers`,
`st.booleans`, `st.sampled_from`, `st.just`, `st.builds`, `st.one_of`, `st.tuples` and `.map`) with a
seeded source of choices and records every choice, so that a case is described by a short list of
integers: `replay` draws the case again from that list, and `shrinking.py` shrinks a failing case by
simplifying the list (smaller shapes, the first style in a list, array seed 0), as hypothesis shrinks its
own choice sequences.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

BOUNDS_CHANCE = 1 / 8  # how often a range of four values or more gives one of its ends


class UnsupportedStrategy(TypeError):
    """The strategy is not one `draw` knows (see the module docstring for the ones it does)."""


@dataclass(frozen=True)
class Choice:
    """One integer choice made while drawing a case, with the range it was made in."""

    value: int
    low: int
    high: int

    @property
    def simplest(self) -> int:
        """What shrinking moves the choice towards: 0 (False, the first element) or the bound nearest to it."""
        return min(max(0, self.low), self.high)


class Source:
    """Where choices come from: a seeded generator, or a recorded list of values replayed in order (clamped
    into each choice's range, and the simplest value once the list runs out)."""

    def __init__(self, seed: int | None = None, prefix=()):
        self.random = random.Random(seed) if seed is not None else None
        self.prefix = list(prefix)
        self.made: list[Choice] = []

    def choose(self, low: int, high: int) -> int:
        if high <= low:
            value = low
        elif self.random is None:
            index = len(self.made)
            value = self.prefix[index] if index < len(self.prefix) else min(max(0, low), high)
            value = min(max(value, low), high)
        else:
            value = self._random_in(low, high)
        self.made.append(Choice(value, low, high))
        return value

    def _random_in(self, low: int, high: int) -> int:
        span = high - low
        if span >= 3 and self.random.random() < BOUNDS_CHANCE:
            return low if self.random.random() < 0.5 else high
        bits = span.bit_length()
        while True:  # uniform below span + 1 from raw bits: the same numbers with every Python version
            offset = self.random.getrandbits(bits)
            if offset <= span:
                return low + offset

    def case(self, strategy) -> tuple[object, tuple[Choice, ...]]:
        """A value of `strategy` and the choices it took."""
        self.made = []
        value = draw(strategy, self)
        return value, tuple(self.made)


def draw(strategy, source: Source):
    """A value of `strategy`, its choices taken from (and recorded in) `source`."""
    handler = HANDLERS.get(type(strategy)) or handler_of(type(strategy), strategy)
    return handler(strategy, source)


def handler_of(kind: type, strategy):
    """How to draw from strategies of this class, recognised by the names of hypothesis' classes (which
    hypothesis keeps private)."""
    names = {c.__name__ for c in kind.__mro__}
    for name, handler in BY_NAME.items():
        if name in names:
            HANDLERS[kind] = handler
            return handler
    raise UnsupportedStrategy(f"cannot draw cases from {strategy!r}: build strategies from st.integers (with "
                              f"both bounds), st.booleans, st.sampled_from, st.just, st.builds, st.one_of, "
                              f"st.tuples, .map and @st.composite")


def integers(strategy, source: Source):
    if strategy.start is None or strategy.end is None:
        raise UnsupportedStrategy(f"cannot draw cases from {strategy!r}: give st.integers both bounds")
    return source.choose(strategy.start, strategy.end)


def one_of(strategy, source: Source):
    branches = strategy.original_strategies
    return draw(branches[source.choose(0, len(branches) - 1)], source)


def sampled(strategy, source: Source):
    value = strategy.elements[source.choose(0, len(strategy.elements) - 1)]
    for how, function in strategy._transformations:
        if how != "map":
            raise UnsupportedStrategy(f"cannot draw cases from {strategy!r}: draw dependent values instead "
                                      f"of filtering them")
        value = function(value)
    return value


def replay(strategy, values) -> tuple[object, tuple[Choice, ...]]:
    """The case the choice values `values` give (adjusted where they no longer fit), and the choices made."""
    return Source(prefix=values).case(strategy)


BY_NAME = {
    "LazyStrategy": lambda strategy, source: draw(strategy.wrapped_strategy, source),
    "IntegersStrategy": integers,
    "BooleansStrategy": lambda strategy, source: bool(source.choose(0, 1)),
    "SampledFromStrategy": sampled,
    "CompositeStrategy": lambda strategy, source: strategy.definition(lambda inner: draw(inner, source),
                                                                      *strategy.args, **strategy.kwargs),
    "BuildsStrategy": lambda strategy, source: strategy.target(
        *(draw(a, source) for a in strategy.args), **{k: draw(v, source) for k, v in strategy.kwargs.items()}),
    "MappedStrategy": lambda strategy, source: strategy.pack(draw(strategy.mapped_strategy, source)),
    "OneOfStrategy": one_of,
    "TupleStrategy": lambda strategy, source: tuple(draw(s, source) for s in strategy.element_strategies),
}
HANDLERS: dict[type, object] = {}
