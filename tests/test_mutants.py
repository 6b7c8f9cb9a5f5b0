"""The mutant corpus: every realistic wrong implementation loses points on its own function at five seeds, to
a check of the behaviour it breaks, and already on the corners (so at every seed); the first check that
catches it explains its bug; correct alternatives keep full marks at every seed.

The grades run in a thread pool (each grade starts its own worker process), once per module.
"""
import importlib
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from grader.catalog import FUNCTIONS
from grader.checks import REGISTRY, checks_for
from grader.mutants import (FAMILIES, build_submission, default_mutants_dir, load_mutants, run_mutants,
                            without_case)
from grader.runner import grade

EXAMPLES = 10
SEEDS = (0, 1, 2, 3, 2024)
EXTRA_EXAMPLES = 3  # at the seeds after the first: the corners do the catching, a few generated cases add to them
JOBS = int(os.environ.get("CONVGRADE_TEST_JOBS", "2"))
TIMEOUT = 10.0  # seconds per call: generous, so that a busy machine does not turn a catch into a timeout
HERE = Path(__file__).resolve().parent
MUTANTS = load_mutants(default_mutants_dir())
BY_NAME = {m.name: m for m in MUTANTS}

# Bugs taken from real students' code: the corpus must keep a mutant for each.
REQUIRED = {
    "conv2d_backward__crop_minus_pad": "dx_pad[:, :, pad:-pad, pad:-pad], empty when pad is 0",
    "conv2d_backward__crop_hardcoded_one": "dx_pad[:, :, 1:-1, 1:-1] hard-coded",
    "max_pool_backward__assigned": "= instead of += with overlapping windows",
    "max_pool_backward__all_tied_maxima": "every tied maximum receives the gradient",
    "max_pool_forward__running_max_minus_100000": "running maximum initialised to -100000",
    "max_pool_forward__width_from_pool_height": "output width computed from the pool height",
    "max_pool_indices__row_stride_from_h": "row stride taken from H",
    "conv_output_size__round_not_floor": "round instead of floor",
    "conv2d_backward__rebinds_slice": "dx and dw left at zero",
    "max_pool_backward__returns_none": "max-pool backward returns None",
    "conv2d_backward__dw_assigned": "conv dw assigned instead of accumulated",
    "scan1d_backward__dw_assigned": "scan1d dw assigned instead of accumulated",
    "conv2d_forward__flipped_kernel": "flipped kernel (true convolution)",
    "conv2d_forward__forgot_bias": "forgotten bias",
    "conv2d_forward__square_output": "output size assuming square images",
    "conv2d_forward__fast_path_for_large_inputs": "right on tiny inputs only (x.size > 200)",
    "avg_pool_backward__assigned": "= instead of += with overlapping average-pooling windows",
    "max_pool_forward__round_output_size": "round() for the max-pooling output size",
    "max_pool_forward__windows_at_kernel_steps": "max-pooling windows started at i * kernel, not i * stride",
    "max_pool_backward__windows_at_kernel_steps": "the same in the max-pooling backward",
    "avg_pool_forward__windows_at_kernel_steps": "average-pooling windows started at i * kernel",
    "avg_pool_backward__windows_at_kernel_steps": "the same in the average-pooling backward",
    "conv2d_backward__square_loops": "a conv backward that works on square outputs only",
    "conv2d_backward__square_crop": "a conv backward whose crop works on square images only",
    "conv2d_forward__square_kernel": "a conv forward that reads the kernel as square",
}

# Mutants that no check catches yet (by name, or (name, seed) when only some seeds miss them), and the
# check that would: strict, once caught the entry must go.
KNOWN_SURVIVORS = {}

# Mutants whose first failing check does not (yet) name their bug: the reason says which check to improve.
# strict xfail: once the feedback names the bug, the entry must go.
FEEDBACK_GAPS = {}

# Correct implementations that still lose points, and why: the implementation is to be completed, not the
# checks weakened. strict: once it scores full marks, the entry must go.
IMPLEMENTATION_GAPS = {}


@pytest.fixture(scope="module")
def outcomes():
    """(mutant name, seed) -> MutantOutcome, for the whole corpus at every seed.

    At the first seed failures are shrunk as for a student (the feedback is tested); at the others only
    being caught matters, so shrinking stops at once and a few generated cases come after the corners.
    """
    results = run_mutants(MUTANTS, seeds=SEEDS[:1], jobs=JOBS, examples=EXAMPLES, timeout=TIMEOUT)
    results += run_mutants(MUTANTS, seeds=SEEDS[1:], jobs=JOBS, examples=EXTRA_EXAMPLES, timeout=TIMEOUT,
                           shrink=False)
    return {(o.mutant.name, o.seed): o for o in results}


@pytest.fixture(scope="module")
def corner_outcomes():
    """mutant name -> MutantOutcome when every check runs its corners only (no generated case at all)."""
    results = run_mutants(MUTANTS, jobs=JOBS, examples=0, timeout=TIMEOUT, shrink=False)  # examples=0: corners only
    return {o.mutant.name: o for o in results}


# ------------------------------------------------------------------------------------------ the corpus
def test_corpus_is_large_and_covers_every_function():
    assert len(MUTANTS) >= 40
    missing = [f for f in FUNCTIONS if not any(m.function == f for m in MUTANTS)]
    assert not missing, f"functions without a mutant: {missing}"


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_required_student_bug_is_in_the_corpus(name):
    assert name in BY_NAME, f"the corpus lost the mutant for: {REQUIRED[name]}"


def test_every_family_has_key_phrases_and_every_mutant_a_one_line_description():
    assert all(FAMILIES[f] and all(p.strip() for p in FAMILIES[f]) for f in FAMILIES)
    for m in MUTANTS:
        assert m.family in FAMILIES and m.description and "\n" not in m.description, m.name


def test_key_phrases_are_not_looked_for_in_the_failing_case():
    feedback = ("Property: out equals the reference.\nSmallest failing case: x (1, 1, 1, 2), kernel_size=2, "
                "stride=None, bias=True\nx =\n    [[0 0]]\nw =\n    [[1]]\nout is wrong at 1 of 1 elements.\n"
                "expected out =\n    [[0]]\nHint: use +=.")
    kept = without_case(feedback)
    assert "stride=None" not in kept and "bias" not in kept and "[[0 0]]" not in kept and "[[1]]" not in kept
    assert kept.splitlines() == ["Property: out equals the reference.", "out is wrong at 1 of 1 elements.",
                                 "expected out =", "    [[0]]", "Hint: use +=."]


# ------------------------------------------------------------------------------------------ caught
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", [m.name for m in MUTANTS])
def test_mutant_loses_points_on_its_function(outcomes, name, seed, record_property):
    o = outcomes[name, seed]
    record_property("caught_by", ", ".join(o.caught_by))
    assert o.status not in ("error", "missing", "not_implemented", "timeout"), (
        f"{name} could not be graded ({o.status}): {o.first_feedback[:500]}")
    known = KNOWN_SURVIVORS.get(name) or KNOWN_SURVIVORS.get((name, seed))
    if known:
        assert not o.caught, f"{name} is caught by {o.caught_by} at seed {seed}: remove it from KNOWN_SURVIVORS"
        pytest.xfail(known)
    assert o.score < o.max_score, (
        f"{name} ({o.mutant.description}) scores {o.score}/{o.max_score} at seed {seed}: it survives every "
        f"check of {o.mutant.function} ({', '.join(o.checks)})")
    assert o.caught_by_behaviour, (
        f"{name} is caught at seed {seed} only by {o.caught_by} ({o.caught_kinds}), not by a check of the "
        f"behaviour it breaks ({', '.join(o.mutant.breaks)})")


@pytest.mark.parametrize("name", [m.name for m in MUTANTS])
def test_the_corners_alone_catch_every_mutant(corner_outcomes, name):
    """The corners are the same at every seed: a mutant they catch is caught whatever the seed."""
    o = corner_outcomes[name]
    assert o.caught_by_behaviour, (
        f"{name} ({o.mutant.description}) is not caught by the corners of the {'/'.join(o.mutant.breaks)} checks "
        f"of {o.mutant.function} (caught by {o.caught_by or 'none'}): add a corner that shows its bug family "
        f"(grader/corners.py)")

@pytest.mark.parametrize("name", [m.name for m in MUTANTS])
def test_first_failure_names_the_bug(outcomes, name):
    o = outcomes[name, SEEDS[0]]
    if name in KNOWN_SURVIVORS and not o.caught:
        pytest.xfail(KNOWN_SURVIVORS[name])
    if name in FEEDBACK_GAPS and not o.phrase_found:
        pytest.xfail(FEEDBACK_GAPS[name])
    assert o.caught_by, f"{name} survives every check"
    assert o.phrase_found, (
        f"{name} ({o.mutant.description}) is first caught by {o.caught_by[0]!r}, whose feedback has none of the "
        f"{o.mutant.family!r} phrases {FAMILIES[o.mutant.family]} outside the failing case:\n{o.first_feedback}")
    assert name not in FEEDBACK_GAPS, f"{name} is fixed: remove it from FEEDBACK_GAPS"


@pytest.mark.parametrize("key", [f"{c.function}: {c.name}" for c in REGISTRY])
def test_every_check_catches_a_mutant(outcomes, key):
    function, name = key.split(": ", 1)
    catchers = {o.mutant.name for o in outcomes.values() if o.mutant.function == function and name in o.caught_by}
    assert catchers, f"the check {key!r} catches no mutant of {function}: add a mutant with the bug it guards against"


def test_first_feedback_is_short_enough_to_read(outcomes):
    lengths = [len(o.first_feedback) for o in outcomes.values() if o.caught_by and o.seed == SEEDS[0]]
    assert lengths and np.mean(lengths) < 1500 and max(lengths) < 6000


# ------------------------------------------------------------------------------------------ tiny inputs
def test_large_input_mutant_is_right_on_tiny_inputs(tmp_path, monkeypatch):
    """The x.size > 200 mutant matches the reference on a tiny input, so only the moderately sized cases catch it."""
    import solutions

    build_submission(BY_NAME["conv2d_forward__fast_path_for_large_inputs"], tmp_path / "tiny_only_mutant")
    monkeypatch.syspath_prepend(str(tmp_path))
    conv = importlib.import_module("tiny_only_mutant.conv")
    try:
        rng = np.random.default_rng(0)
        x, w, b = rng.standard_normal((1, 2, 5, 5)), rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3)
        small = conv.conv2d_forward(x, w, b, stride=2, padding=1)
        np.testing.assert_allclose(small, solutions.conv2d_forward(x, w, b, stride=2, padding=1))
        big, w_big = np.tile(x, (3, 3, 1, 1)), np.tile(w, (1, 3, 1, 1))  # x.size 450
        got = conv.conv2d_forward(big, w_big, b, stride=2, padding=1)
        expected = solutions.conv2d_forward(big, w_big, b, stride=2, padding=1)
        assert got.shape != expected.shape or not np.allclose(got, expected)
    finally:
        for module in [m for m in sys.modules if m.startswith("tiny_only_mutant")]:
            del sys.modules[module]


# ------------------------------------------------------------------------------------------ correct code
@pytest.fixture(scope="module")
def correct_grades():
    paths = {"solutions": HERE.parent / "solutions", "loops": HERE / "alternatives" / "loops",
             "einsum": HERE / "alternatives" / "einsum"}
    runs = [(name, seed) for name in paths for seed in SEEDS]

    def one(run):  # as many generated cases over the seeds as two seeds at EXAMPLES, besides the corners
        name, seed = run
        return grade(paths[name], seed=seed, examples=EXAMPLES if seed == SEEDS[0] else EXTRA_EXAMPLES,
                     timeout=TIMEOUT)

    with ThreadPoolExecutor(max_workers=JOBS) as pool:
        results = pool.map(one, runs)
    return dict(zip(runs, results))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", ["solutions", "loops", "einsum"])
def test_correct_implementation_scores_full_marks(correct_grades, name, seed):
    result = correct_grades[name, seed]
    lost = [f"{fn.name}: {c.name}\n{c.feedback}" for fn, c in result.checks() if not c.passed]
    if name in IMPLEMENTATION_GAPS and lost:
        pytest.xfail(f"{IMPLEMENTATION_GAPS[name]}; lost: " + "; ".join(x.split("\n")[0] for x in lost))
    assert result.score == result.max_score, "\n\n".join(lost)
    assert name not in IMPLEMENTATION_GAPS, f"{name} scores full marks: remove it from IMPLEMENTATION_GAPS"


def test_the_points_add_up_to_100():
    budgets = {f: sum(c.points for c in checks_for(f)) for f in FUNCTIONS}
    assert sum(budgets.values()) == 100, f"the functions' points add up to {sum(budgets.values())}: {budgets}"
