"""Check helpers shared by several exercise modules: purity, inner products, bad arguments."""

import numpy as np
from hypothesis import strategies as st

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
    """Metamorphic properties hold for an all-zero answer too: refuse one where the reference is not zero."""
    if (isinstance(got, np.ndarray) and got.shape == np.shape(expected) and got.size
            and not np.any(got) and np.any(expected)):
        raise CheckFailed(f"{what} is all zeros, but it should not be here (the correct {what} has "
                          f"{int(np.count_nonzero(expected))} non-zero elements). This property only counts "
                          f"for a function that computes its result.")


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
    """Valid cases from `base`, then one corruption drawn from `corruptions` (note -> Case -> Case)."""

    @st.composite
    def simple(draw):
        case = draw(base)
        note = draw(st.sampled_from(list(corruptions)))
        bad = corruptions[note](case)
        bad.note = note
        return bad

    return simple()
