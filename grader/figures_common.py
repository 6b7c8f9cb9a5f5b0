"""What every figure of the notebooks shares (grader.figures, grader.figures_detector): calling the student's
function, checking what it returned, and drawing or saying in `lang` why there is no figure."""

from __future__ import annotations

import numpy as np

from .i18n import _, use_language


class NoFigure(Exception):
    """Why the figure cannot be drawn, for the student."""


def _call(fn, *args, **kwargs):
    """`fn(*args, **kwargs)`, or NoFigure saying which function is not written yet or what it raised."""
    try:
        return fn(*args, **kwargs)
    except NotImplementedError as exc:
        tb = exc.__traceback__
        while tb.tb_next is not None:
            tb = tb.tb_next
        raise NoFigure(_("No figure yet: {name} is not implemented. Write it, run its cell, then this cell "
                         "again.").format(name=tb.tb_frame.f_code.co_name)) from None
    except Exception as exc:
        raise NoFigure(_("No figure: {name} raised {error}. Try it in the cell above, fix it, then run this "
                         "cell again.").format(name=fn.__name__, error=f"{type(exc).__name__}: {exc}")) from None


def _returned(fn, got: str, expected: str) -> NoFigure:
    return NoFigure(_("No figure: {name} returned {got}; the figure needs {expected}. Try it in the cell "
                      "above.").format(name=fn.__name__, got=got, expected=expected))


def _array(value, fn, shape: tuple) -> np.ndarray:
    """`value` as a float array of `shape`, or NoFigure naming the function that returned it."""
    try:
        arr = None if value is None else np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if arr is None:
        raise _returned(fn, repr(value) if value is None else type(value).__name__, f"shape {shape}")
    if arr.shape != shape:
        raise _returned(fn, f"shape {arr.shape}", f"shape {shape}")
    if not np.isfinite(arr).all():
        raise _returned(fn, _("inf or nan"), _("finite numbers"))
    return arr


def _parts(value, fn, n: int, expected: str) -> tuple:
    """`value` as a tuple of `n` parts, or NoFigure."""
    if isinstance(value, (tuple, list)) and len(value) == n:
        return tuple(value)
    raise _returned(fn, type(value).__name__, expected)


def _present(draw, lang, *functions):
    """Draw `draw(plt, *functions)` and show it, or print why there is no figure."""
    with use_language(lang):
        try:
            import matplotlib.pyplot as plt
        except ImportError:
            print(_('The figures need matplotlib: pip install "convgrade[notebooks]"'))
            return
        before = set(plt.get_fignums())
        try:
            fig = draw(plt, *functions)
        except NoFigure as why:
            for number in set(plt.get_fignums()) - before:
                plt.close(number)
            print(why)
            return
        try:
            from IPython import get_ipython
        except ImportError:
            get_ipython = None
        if get_ipython is not None and get_ipython() is not None:
            plt.show()  # the inline backend displays it as image/png
        plt.close(fig)
