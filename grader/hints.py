"""Hints for a function that raised: what the exception usually means in these exercises.

A function that raised needs a hint about that exception, not the concept hint meant for wrong values
(a crash on `stride=(1, 1)` is not an `=` that should be `+=`). `exception_hint(error)` reads the type (and
its base classes) and the message the worker reported and returns the first rule that fits; every
exception gets at least the general advice. The rules are a table: add one where a new crash shows up.
"""

from __future__ import annotations

import re

from .i18n import N_, _

PAIR = N_("stride, padding, kernel_size and scale may be an (h, w) pair, and here one was used as a single "
          "int. Split it first (sh, sw = as_pair(stride), as the stub's helpers do) and use sh for rows and sw for "
          "columns.")

VALID_INPUT = N_("your function raised ValueError on an input that is valid (the failing case above): its checks "
                 "reject more than the docstring says, or read the arguments another way (an (h, w) pair is "
                 "(rows, columns)).")

# (exception types, a pattern its message matches or None, the hint), the first that fits wins.
RULES = (
    (("TypeError",), r"tuple.*\bint\b|\bint\b.*tuple|'tuple' object cannot be interpreted as an integer|"
                     r"not 'tuple'", PAIR),
    (("TypeError",), r"slice indices must be integers",
     N_("a slice bound is not an int: an (h, w) pair used as one int (split it with sh, sw = as_pair(stride)), "
        "or a float from `/` (positions and sizes need `//`).")),
    (("TypeError",), r"NoneType",
     N_("a value is None where a number or an array was expected: a function (yours or a helper) that ends "
        "without `return` gives None.")),
    (("TypeError",), r"'float' object cannot be interpreted as an integer|only integers",
     N_("a size or an index is a float: `/` always gives a float, `//` keeps ints (the output size is "
        "(I - F + 2P) // S + 1).")),
    (("TypeError",), r"positional argument|keyword argument",
     N_("the function was called as the exercise's signature says, and its parameters do not match: keep the "
        "names, the order and the defaults of the stub.")),
    (("IndexError",), r"out of bounds|out of range",
     N_("an index runs past the end of an array: the last window starts at (H_out - 1) * stride, so loop "
        "over range(H_out), and read the padded input, not x.")),
    (("IndexError",), r"too many indices",
     N_("an array is indexed with more axes than it has: x is (N, C, H, W), w is (K, C, R, S), b is (K,).")),
    (("IndexError",), r"only integers",
     N_("an index is a float: use `//` instead of `/`, or int(...), for positions and sizes.")),
    (("ValueError",), r"matmul|not aligned",
     N_("a matrix product of shapes that do not fit: a linear layer computes x (N, D) @ w (D, M), and its "
        "backward dout (N, M) @ w.T for dx (N, D) and x.T @ dout for dw (D, M). Print the shapes on the smallest "
        "failing case.")),
    (("ValueError",), r"broadcast|shape mismatch|mismatch in its core dimension",
     N_("two arrays of different shapes met: a window (or a slice) of the wrong size, or an output allocated "
        "with the wrong shape. Print the shapes on the smallest failing case: a window is "
        "x_pad[..., i*sh : i*sh + R, j*sw : j*sw + S].")),
    (("ValueError",), r"values to unpack",
     N_("an unpacking has the wrong number of names: N, C, H, W = x.shape and K, C, R, S = w.shape.")),
    (("ValueError",), r"truth value of an array",
     N_("an array was used as a single True/False (`if a`, `a and b`, Python's max or min on arrays): use "
        "np.any, np.all, np.maximum or the array's .max().")),
    (("ValueError",), r"cannot reshape|negative dimensions",
     N_("an array was given a shape that does not fit: check the output size (I - F + 2P) // S + 1 on the "
        "smallest failing case.")),
    (("ValueError",), None, VALID_INPUT),
    (("KeyError",), None,
     N_("a key is missing from a dict: params (and the grads you return) have exactly the keys 'w', 'b', "
        "'w_fc' and 'b_fc', spelt as the docstring spells them.")),
    (("ZeroDivisionError",), None,
     N_("a division by zero: something you divide by is 0 on the smallest failing case (a count, a size or "
        "a stride); compute it from the arguments as the docstring defines them.")),
    (("AttributeError",), r"'tuple' object",
     N_("a tuple was used as an array: stride, padding, kernel_size and scale may be an (h, w) pair, and here one was "
        "used as a single int. Split it first (sh, sw = as_pair(stride), as the stub's helpers do) and use sh for rows "
        "and sw for columns.")),
    (("AttributeError",), r"'(int|float|list)' object",
     N_("a plain number or list was used as an array: np.asarray(...) turns it into one, or keep the array "
        "you were given.")),
    (("UnboundLocalError",), None,
     N_("a variable is read before anything was assigned to it: it is set only inside a branch, or inside a "
        "loop that runs zero times on the smallest failing case. Give it its starting value before the loop.")),
    (("NameError",), r"'np'",
     N_("numpy is not imported in this module: add `import numpy as np` at the top.")),
    (("NameError",), None, N_("a name is used that is not defined: a typo, or a helper that is not imported.")),
    (("ModuleNotFoundError",), None,
     N_("the module imports a package grading does not have: only numpy and Python's standard library are "
        "there; remove the import (or move it into the code that is not graded).")),
    (("SystemExit",), None, N_("the module calls sys.exit() (or exit()) while it is imported; remove that call.")),
    (("ImportError",), r"does not import",
     N_("a function of another module was called, and that module does not import: fix it first.")),
    (("RecursionError",), None, N_("the function calls itself without end: call the helper, not itself.")),
    (("MemoryError",), None, N_("the function allocates far more memory than the case needs: check every shape.")),
)
GENERAL = N_("your function raised instead of returning: the last lines of the traceback show where; run it "
             "yourself on the smallest failing case.")


def hint_line(hint: str) -> str:
    """The line that ends a feedback with `hint` (a message marked with N_()), in the current language."""
    return "\n" + _("Hint: {hint}").format(hint=_(hint)) if hint else ""


def has_hint(text: str) -> bool:
    """Whether a feedback already ends with a hint (in the current language)."""
    return _("Hint: {hint}").format(hint="") in text


def shows_check_hint(error: dict) -> bool:
    """Whether the check's own hint should follow the exception's. It should for a ValueError or an
    IndexError (a window, a slice, a validation or an output of the wrong size: the check's hint about the
    geometry it tests, a crop, a stride, H against W, is as much to the point), and for an exception no rule
    knows; not for a specific mistake that a rule names (an (h, w) pair used as an int)."""
    kinds = set(error.get("mro") or ()) | {error.get("type")}
    return bool(kinds & {"ValueError", "IndexError"}) or rule_hint(error) is None


def exception_hint(error: dict) -> str:
    """The hint for the exception the worker described (its type, base classes and message)."""
    return rule_hint(error) or GENERAL


def rule_hint(error: dict) -> str | None:
    """The hint of the first rule that fits the exception, or None."""
    kinds = set(error.get("mro") or ()) | {error.get("type")}
    message = str(error.get("message", ""))
    return next((hint for types, pattern, hint in RULES
                 if kinds & set(types) and (pattern is None or re.search(pattern, message))), None)
