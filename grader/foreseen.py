"""Helper answers sent along with a call: what the reference asks its helpers for on the same arguments.

A function graded with reference helpers (conv2d_forward calls zero_pad, see grader/catalog.py) asks the
grader for each helper answer while it runs, a round trip through three processes. A student's function
mostly asks for what the reference asks for on the same arguments, so those answers travel with the call:
computed here by running the reference with recording helpers, taken by the worker's proxy when a helper
call's arguments are exactly those, and asked for as before when they are not. They are answers of the
declared helpers on arguments the student's function is given anyway, which it may ask the proxy for at
any time: nothing the student could not have.
"""

from __future__ import annotations

import types

from .answers import fresh


def foreseen(reference, helpers: tuple[str, ...], args: tuple, kwargs: dict) -> tuple[list, tuple]:
    """([name, args, kwargs, answer] for every call the reference makes to one of `helpers` on these
    arguments, (True, the reference's answer) or (False, what it raised))."""
    made: list = []

    def recording(name, helper):
        def record(*helper_args, **helper_kwargs):
            given = [name, fresh(helper_args), fresh(helper_kwargs)]
            answer = helper(*helper_args, **helper_kwargs)
            made.append(given + [fresh(answer)])
            return answer

        return record

    names = reference.__globals__
    replica = types.FunctionType(reference.__code__,
                                 {**names, **{n: recording(n, names[n]) for n in helpers if n in names}},
                                 reference.__name__, reference.__defaults__, reference.__closure__)
    replica.__kwdefaults__ = reference.__kwdefaults__
    try:
        outcome = (True, replica(*fresh(args), **fresh(kwargs)))
    except Exception as exc:  # a call the reference refuses: the helper answers it asked for still count
        outcome = (False, exc)
    return made, outcome
