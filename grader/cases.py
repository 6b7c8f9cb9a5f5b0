"""The arguments of one generated call, and how to show them to a student."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .i18n import _


@dataclass
class Case:
    """The arguments of one call, in order, with names for the feedback."""

    args: dict  # positional arguments by name, in order
    kwargs: dict = field(default_factory=dict)  # keyword arguments
    note: object = ""  # what is special about this case, shown after it: a message (N_()) or a later()

    @property
    def positional(self) -> tuple:
        return tuple(self.args.values())

    def with_args(self, **changes) -> "Case":
        return Case({**self.args, **{k: v for k, v in changes.items() if k in self.args}},
                    {**self.kwargs, **{k: v for k, v in changes.items() if k not in self.args}}, self.note)

    def describe(self) -> str:
        parts, arrays = [], []
        for name, value in self._named_values():
            if isinstance(value, np.ndarray):
                parts.append(f"{name} {value.shape}" if value.ndim else f"{name}={value!r}")
                if 0 < value.size <= 48:
                    arrays.append(f"{name} =\n{indent(show_array(value), 4)}")
            else:
                parts.append(f"{name}={value!r}")
        text = ", ".join(parts)
        if self.note:
            text += f"  ({_(str(self.note))})"
        return text + ("\n" + "\n".join(arrays) if arrays else "")

    def _named_values(self):
        """(name, value) of every argument; a dict of arrays (the detector's params) one array at a time."""
        for name, value in {**self.args, **self.kwargs}.items():
            if isinstance(value, dict) and value and all(isinstance(v, np.ndarray) for v in value.values()):
                yield from ((f"{name}[{key!r}]", v) for key, v in value.items())
            else:
                yield name, value


def show_array(a: np.ndarray) -> str:
    a = np.asarray(a)
    if a.dtype.kind == "f" and np.all(np.isfinite(a)) and np.all(a == np.round(a)) and a.size:
        a = a.astype(np.int64)  # small integer data reads better without decimals
    with np.printoptions(precision=4, suppress=True, linewidth=96, threshold=60, edgeitems=2):
        return np.array2string(squeeze_leading(a))


def squeeze_leading(a: np.ndarray) -> np.ndarray:
    while a.ndim > 2 and a.shape[0] == 1:
        a = a[0]
    return a


def indent(text: str, n: int) -> str:
    return "\n".join(" " * n + line for line in text.splitlines())
