"""The grader's defaults, each written once."""

from __future__ import annotations

DEFAULT_SEED = 0
DEFAULT_EXAMPLES = 32  # generated cases per property (each check's corners come on top)
DEFAULT_TIMEOUT = 2.0  # seconds one call of a student function may take; honest loop-style code needs < 0.3 s
DEFAULT_SUBMISSION_TIMEOUT = 600.0  # seconds `grade batch` gives one submission in all
AUDIT_EXAMPLES = DEFAULT_EXAMPLES  # mutants are graded as students are
AUDIT_TIMEOUT = 5.0  # mutants run several at a time, so each call gets a generous limit
AUDIT_SEEDS = 5  # the audit catches every mutant at this many seeds
