"""The result of grading one submission: plain dataclasses, one JSON contract.

Every report format (text, json, gradescope, junit, github, csv, batch gradebooks) is a function of a
`GradeResult`. `GradeResult.to_dict()` is the `grade --format json` contract documented in the README;
`GradeResult.from_dict()` reads it back (batch re-runs and `grade merge` rely on that). A result carries
the seed's fingerprint, never the seed: every report is given to students.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

STATUSES = ("passed", "failed", "not_implemented", "missing", "error", "timeout")


@dataclass
class CheckResult:
    """One check of one function: its points and, when it failed, what the student reads."""

    name: str  # the check's name ("dw matches the reference")
    score: float
    max_score: float
    passed: bool
    feedback: str = ""  # property, smallest failing case, expected vs got, hint
    description: str = ""  # the check's one-line property
    kind: str = ""  # value, gradient, property, contract or errors
    advice: bool = False  # earned no points by rule (e.g. a property that counts only once the values pass)


@dataclass
class FunctionResult:
    """Every check of one exercise function."""

    name: str
    module: str
    score: float
    max_score: float
    status: str  # one of STATUSES
    checks: list[CheckResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. that a reference helper was used
    output: str = ""  # what the student's code printed (capped)

    @classmethod
    def from_dict(cls, data: dict) -> "FunctionResult":
        return cls(**{**data, "checks": [CheckResult(**c) for c in data.get("checks", [])]})

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"'status' must be one of {STATUSES} (got {self.status!r})")


@dataclass
class SubmissionInfo:
    """Which submission a result is about."""

    path: str
    sha256: str


@dataclass
class GradeSettings:
    """What a grade was run with besides the seed: the policy's settings, after `--examples` and `--timeout`."""

    examples: int  # generated cases per property (each check's corners come on top)
    timeout: float  # seconds one call of a student function may take
    policy: str | None = None  # the fingerprint of the grading policy in force (as GradeResult.policy)


@dataclass
class GradeResult:
    """A whole submission's grade: the one object every report format is a function of."""

    score: float
    max_score: float
    seed_fingerprint: str  # seed_fingerprint(seed): the seed itself is the instructor's secret
    grader_version: str
    elapsed_s: float
    submission: SubmissionInfo
    settings: GradeSettings | None = None
    functions: list[FunctionResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    policy: str = ""  # the fingerprint of the grading policy (grader.policy); "" in results older than it

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "GradeResult":
        functions = [FunctionResult.from_dict(f) for f in data.get("functions", [])]
        settings = GradeSettings(**data["settings"]) if data.get("settings") else None
        return cls(**{**data, "submission": SubmissionInfo(**data["submission"]), "settings": settings,
                      "functions": functions})

    def function(self, name: str) -> FunctionResult | None:
        return next((f for f in self.functions if f.name == name), None)

    def checks(self):
        """Every (function, check) pair in report order."""
        for fn in self.functions:
            for check in fn.checks:
                yield fn, check


def full_marks(score: float, max_score: float) -> bool:
    """Whether `score` is all of `max_score` (sums of float points may fall short by rounding noise)."""
    return score >= max_score - 1e-9


def seed_fingerprint(seed: int) -> str:
    """What reports show of a seed: the first 8 hex digits of the sha256 of its decimal text. Two runs
    can be told apart by it, but the seed cannot be read back from it."""
    return hashlib.sha256(str(int(seed)).encode("ascii")).hexdigest()[:8]


def total(parts) -> float:
    """Sum of scores rounded so that float noise never shows in a report."""
    return round(sum(parts), 6)
