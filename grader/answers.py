"""Answers shared by the checks of a function: keyed by their arguments, handed out as fresh copies; and the
question a recording of the reference cannot answer."""

from __future__ import annotations

import numpy as np

from .i18n import N_

PLAIN = (int, float, bool, str, type(None))


def case_key(case) -> tuple:
    """A hashable key of a case's arguments (positional, in order, and keyword): equal keys, equal calls."""
    return arguments_key(case.positional, case.kwargs)


def arguments_key(args: tuple, kwargs: dict) -> tuple:
    parts: list = []
    _flatten(args, parts)
    _flatten(kwargs, parts)
    return tuple(parts)


def call_key(case, return_args: bool) -> tuple:
    return case_key(case) + (return_args,)


def _flatten(value, parts: list):
    kind = type(value)
    if kind is np.ndarray:
        parts += (value.dtype.str, value.shape, value.tobytes())
    elif kind is tuple or kind is list:
        parts.append((kind, len(value)))
        for item in value:
            _flatten(item, parts)
    elif kind is dict:
        parts.append((dict, len(value)))
        for key, item in value.items():
            parts.append(key)
            _flatten(item, parts)
    elif kind in PLAIN:
        parts.append((kind, repr(value)))  # 1, 1.0 and True stay apart, and so do 0.0 and -0.0
    elif isinstance(value, np.generic):
        parts.append((value.dtype.str, value.tobytes()))
    else:
        parts.append((kind, repr(value)))


def fresh(value):
    """A copy of `value` whose arrays can be changed without changing the shared answer."""
    kind = type(value)
    if kind is np.ndarray:
        return value.copy()
    if kind is tuple or kind is list:
        return kind(fresh(item) for item in value)
    if kind is dict:
        return {key: fresh(item) for key, item in value.items()}
    return value


NOT_RECORDED_TEXT = N_("the property does not hold on this recorded case. (The local preview has the reference's "
                     "answers only for what a correct function leads to, so it cannot say more here.)")


class NotRecorded(LookupError):
    """The recorded answers hold no answer to this question (the live reference would compute one)."""
