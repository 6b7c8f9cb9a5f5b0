"""The grader's defaults, each written once, and the one hypothesis settings profile checks run under."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, Verbosity, settings

DEFAULT_SEED = 0
DEFAULT_EXAMPLES = 8  # generated examples per property
DEFAULT_TIMEOUT = 2.0  # seconds one call of a student function may take; honest loop-style code needs < 0.3 s
DEFAULT_SUBMISSION_TIMEOUT = 600.0  # seconds `grade batch` gives one submission in all
AUDIT_EXAMPLES = 20
AUDIT_TIMEOUT = 5.0  # mutants run several at a time, so each call gets a generous limit
AUDIT_SEEDS = 5  # the audit catches every mutant at this many seeds

HYPOTHESIS_PROFILE = "convgrade"
settings.register_profile(
    HYPOTHESIS_PROFILE, database=None, deadline=None, derandomize=False, verbosity=Verbosity.quiet,
    report_multiple_bugs=False, suppress_health_check=list(HealthCheck), print_blob=False,
    phases=(Phase.explicit, Phase.generate, Phase.shrink))


def check_settings(max_examples: int) -> settings:
    """The settings of one check's run: the profile, with its number of examples."""
    return settings(settings.get_profile(HYPOTHESIS_PROFILE), max_examples=max_examples)
