"""Check helpers shared by several exercise modules: purity, inner products, bad arguments."""

import numpy as np
from hypothesis import strategies as st

from ..corners import corrupted_corners
from .base import Case, CheckFailed, compare


def inner(a, b) -> float:
    return float(np.sum(np.asarray(a, dtype=np.float64) * np.asarray(b, dtype=np.float64)))


def expect_pure(ctx, case: Case, validate):
    """Call once; `validate(value)` checks what came back; then no argument may have changed."""
    result = ctx.call_raw(case, return_args=True)
    if not result.ok:
        from .base import StudentRaised

        raise StudentRaised(result.error)
    validate(result.value)
    for (name, before), after in zip(case.args.items(), result.args_after):
        if isinstance(before, np.ndarray) and (not isinstance(after, np.ndarray) or after.shape != before.shape
                                               or not np.array_equal(after, before, equal_nan=True)):
            raise CheckFailed(f"the call modified its argument {name!r}. Functions must be pure: work on a "
                              f"copy (e.g. x = x.copy() or np.pad) instead of writing into {name}.")


def expect_nontrivial(got, expected, what: str):
    """Metamorphic properties also hold for answers that compute nothing (all zeros, one constant, 1e-300
    everywhere): refuse such an answer where the reference's answer is not like that."""
    if not (isinstance(got, np.ndarray) and got.shape == np.shape(expected) and got.size):
        return
    g, e = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    big = float(np.max(np.abs(e))) if np.all(np.isfinite(e)) else 0.0
    if not big:
        return
    if np.all(np.abs(g) <= 1e-6 * big):
        raise CheckFailed(f"{what} is (nearly) all zeros, but it should not be here (the correct {what} has "
                          f"{int(np.count_nonzero(e))} non-zero elements, up to {big:.4g}). This property only "
                          f"counts for a function that computes its result.")
    if e.size > 1 and np.ptp(e) > 1e-6 * big and np.ptp(g) == 0:
        raise CheckFailed(f"{what} is the same value ({g.flat[0]:.4g}) everywhere, but the correct {what} is "
                          f"not: it must depend on the input. This property only counts for a function that "
                          f"computes its result.")


def gradient_note(got: np.ndarray, expected: np.ndarray, what: str) -> str:
    """Pinpoint the wrong elements of a gradient for the feedback."""
    problem = compare(got, expected, what)
    if problem is None:
        return f"{what} matches the exact gradient elementwise, yet fails the identity: check its dtype."
    total_got, total_expected = float(np.abs(got).sum()), float(np.abs(expected).sum())
    note = problem
    if total_expected and total_got < 0.9 * total_expected:
        note += (f"\nYour {what} is smaller than it should be (sum of |{what}| {total_got:.4g} vs "
                 f"{total_expected:.4g}): some contributions are overwritten or missing.")
    return note


def corrupted(base, corruptions: dict):
    """Valid cases from `base`, then one corruption drawn from `corruptions`.

    `corruptions` maps a note (what is wrong, shown with the case) to (rule, Case -> Case): the rule is the
    phrase of the function's docstring that asks for the error."""

    @st.composite
    def simple(draw):
        case = draw(base)
        note = draw(st.sampled_from(list(corruptions)))
        bad = corruptions[note][1](case)
        bad.note = note
        return bad

    return simple()


def rules(corruptions: dict) -> tuple:
    """The docstring phrases that ask for the errors of `corruptions`, each once."""
    return tuple(dict.fromkeys(rule for rule, _ in corruptions.values()))


def rejects(base, corner: Case, corruptions: dict) -> dict:
    """The strategy, corners and documented rules of an errors check, as @check keywords: generated
    corruptions of `base`, and every corruption of `corner` at every seed."""
    return {"strategy": corrupted(base, corruptions), "corners": corrupted_corners(corner, corruptions),
            "documented": rules(corruptions)}
