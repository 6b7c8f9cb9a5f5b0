"""A course's grading policy: what each function and each kind of check is worth, which checks are off,
how many examples and how much time. Read once, validated at the entry, fingerprinted in every report.

    [tool.convgrade]              # in the course's pyproject.toml; or the same keys at the top of convgrade.toml
    examples = 20                 # generated examples per property
    timeout = 2.0                 # seconds one call of a student function may take
    submission-timeout = 600      # seconds `grade batch` gives one submission in all
    disable = ["detect", "conv2d_forward: rejects bad arguments"]   # a whole function, or one check

    [tool.convgrade.points]       # a function's total, shared by its checks in their declared proportions
    conv2d_backward = 20

    [tool.convgrade.kinds]        # a factor on the points of every check of a kind (1: as declared)
    errors = 0                    # 0: the checks still run and are shown as advice, for no points

Without a file the default policy applies: every check as declared in grader/checks (100 points), the
default examples and time limits. The fingerprint is the first 12 hex digits of the sha256 of the
policy's canonical JSON; it covers everything that can change a score (the submission timeout only
decides when a batch gives up on a submission, so it is left out).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import FUNCTIONS
from .checks import checks_for as declared_checks
from .checks.base import KINDS, Check
from .defaults import DEFAULT_EXAMPLES, DEFAULT_SUBMISSION_TIMEOUT, DEFAULT_TIMEOUT
from .results import CheckResult, GradeSettings

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the tomli package reads TOML the same way, when installed
    try:
        import tomli as tomllib
    except ModuleNotFoundError:
        tomllib = None

FILE_NAME = "convgrade.toml"
PYPROJECT = "pyproject.toml"
TABLE = "tool.convgrade"
SETTINGS = {"examples": (int, 1, 10_000), "timeout": (float, 0.1, 600.0),
            "submission-timeout": (float, 1.0, 86_400.0)}  # key -> (type, minimum, maximum), as the options
KEYS = (*SETTINGS, "disable", "points", "kinds")
GATED_KINDS = ("property", "contract", "errors")  # count only once the value checks pass (runner.gate_on_values)
ADVICE = "Advice only: the course's grading policy gives this check no points."
# A pyproject.toml that may hold [tool.convgrade]: the table's header, a dotted key, or a key of [tool]
MENTIONS_POLICY = re.compile(r"^\s*(\[\s*)?(tool\s*\.\s*)?[\"']?convgrade[\"']?\s*[.=\]]", re.M)


class PolicyError(ValueError):
    """The policy file cannot be read or says something invalid; the message names the file and the key."""


@dataclass(frozen=True)
class Policy:
    """What a course's grade is made of; the default is the checks as declared."""

    points: dict = field(default_factory=dict)  # function -> its total points
    kinds: dict = field(default_factory=dict)  # kind -> factor on the points of its checks
    disable: tuple = ()  # function names and "function: check name"s that are not graded
    examples: int = DEFAULT_EXAMPLES
    timeout: float = DEFAULT_TIMEOUT
    submission_timeout: float = DEFAULT_SUBMISSION_TIMEOUT
    source: str = ""  # the file it was read from ("" for the default); not part of the fingerprint

    def canonical(self) -> dict:
        """Everything a score depends on, in one normal form."""
        return {"points": {k: float(v) for k, v in sorted(self.points.items())},
                "kinds": {k: float(v) for k, v in sorted(self.kinds.items())},
                "disable": sorted(self.disable), "examples": int(self.examples), "timeout": float(self.timeout)}

    @property
    def fingerprint(self) -> str:
        text = json.dumps(self.canonical(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def __hash__(self):
        return hash(self.fingerprint)

    def with_settings(self, *, examples=None, timeout=None, submission_timeout=None) -> "Policy":
        """This policy with the settings given on the command line (None keeps the policy's)."""
        given = {"examples": examples, "timeout": timeout, "submission_timeout": submission_timeout}
        return dataclasses.replace(self, **{k: v for k, v in given.items() if v is not None})

    def grade_settings(self) -> GradeSettings:
        """What a result records of this policy: its examples, time limit and fingerprint."""
        return GradeSettings(self.examples, self.timeout, self.fingerprint)

    def functions(self, selected) -> list[str]:
        """The selected functions this policy grades."""
        return [f for f in selected if f not in self.disable]

    def checks_for(self, function: str) -> list[Check]:
        """The function's checks that run, each with the points it is worth under this policy."""
        checks = [c for c in declared_checks(function) if f"{function}: {c.name}" not in self.disable]
        weights = [c.points * self.kinds.get(c.kind, 1.0) for c in checks]
        shares = apportion(weights, self.points.get(function))
        return [dataclasses.replace(c, points=p) for c, p in zip(checks, shares)]

    def mark_advice(self, checks: list[Check], results: list[CheckResult]) -> list[CheckResult]:
        """A check worth nothing here still ran: its result is advice (and a failure says so)."""
        marked = []
        for check, result in zip(checks, results):
            if check.points == 0 and not result.advice:
                feedback = f"{ADVICE}\n{result.feedback}" if result.feedback and not result.passed else result.feedback
                result = dataclasses.replace(result, score=0.0, max_score=0.0, feedback=feedback, advice=True)
            marked.append(result)
        return marked


DEFAULT_POLICY = Policy()


def apportion(weights: list[float], total: float | None) -> list[float]:
    """`weights` scaled to add up to `total` (default: their sum), in hundredths that add up exactly: each
    share rounded down, then the hundredths left over to the largest remainders (the largest remainder
    method), so that no share is off by a hundredth or more."""
    whole = sum(weights)
    cents = round(100 * (whole if total is None else total))
    if whole == 0:
        return [0.0] * len(weights)
    raw = [w * cents / whole for w in weights]
    shares = [math.floor(r + 1e-9) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: shares[i] - raw[i])
    for i in by_remainder[:cents - sum(shares)]:
        shares[i] += 1
    return [s / 100 for s in shares]


# ------------------------------------------------------------------------------------------ reading
def load_policy(path) -> Policy:
    """The policy in `path`: [tool.convgrade] of a pyproject.toml, or a whole convgrade-style file."""
    path = Path(path)
    data, where = _read_toml(path), str(path)
    if path.name == PYPROJECT:
        data, where = _tool_table(data), f"{path} [{TABLE}]"
        if data is None:
            raise PolicyError(f"{path} has no [{TABLE}] table")
    return parse_policy(data, where)


def find_policy(start) -> Policy:
    """The policy of the nearest folder at or above `start` that has one; the default when none does.

    A folder has one when it holds convgrade.toml, or a pyproject.toml with a [tool.convgrade] table."""
    start = Path(start).resolve()
    for folder in (start, *start.parents):
        candidates = [p for p in (folder / FILE_NAME, folder / PYPROJECT) if p.is_file() and _has_policy(p)]
        if len(candidates) > 1:
            raise PolicyError(f"both {candidates[0]} and the [{TABLE}] table of {candidates[1]} set a grading "
                              f"policy; keep one of them")
        if candidates:
            return load_policy(candidates[0])
    return DEFAULT_POLICY


def policy_start(graded) -> Path:
    """Where the search for the policy of a graded path begins: the folder holding it, so that a file
    inside a submission is never read as its course's policy."""
    return Path(graded).resolve().parent


def _has_policy(path: Path) -> bool:
    if path.name != PYPROJECT:
        return True
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False  # a file that cannot be read as text cannot hold a policy either
    if not MENTIONS_POLICY.search(text):  # cheap, and spares Python 3.10 without tomli every other pyproject
        return False
    return isinstance(_tool_table(_read_toml(path)), dict)


def _tool_table(data: dict):
    tool = data.get("tool")
    return tool.get("convgrade") if isinstance(tool, dict) else None


def _read_toml(path: Path) -> dict:
    if tomllib is None:
        raise PolicyError(f"reading the grading policy in {path} needs Python >= 3.11 (tomllib) or the tomli "
                          f"package: pip install tomli")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PolicyError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise PolicyError(f"{path} is not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path} is not valid TOML: {exc}") from None


def parse_policy(data, where: str = "the policy") -> Policy:
    """Validate the policy's table once; every error names `where` and the key."""

    def fail(message: str):
        raise PolicyError(f"{where}: {message}")

    if not isinstance(data, dict):
        fail(f"the policy must be a table (got {type(data).__name__})")
    for key in data:
        if key not in KEYS:
            fail(f"unknown key {key!r}; the keys are {', '.join(KEYS)}")
    settings = {key.replace("-", "_"): _setting(data[key], key, fail) for key in SETTINGS if key in data}
    points = _table(data.get("points", {}), "points", FUNCTIONS, "an exercise function", fail)
    kinds = _table(data.get("kinds", {}), "kinds", KINDS, "a kind of check", fail)
    disable = _disable(data.get("disable", []), fail)
    policy = Policy(points=points, kinds=kinds, disable=disable, source=where, **settings)
    _consistent(policy, fail)
    return policy


def _number(value, key: str, fail, minimum: float, maximum: float = math.inf):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(f"{key!r} must be a number (got {value!r})")
    if not math.isfinite(value) or value < minimum:
        fail(f"{key!r} must be >= {minimum:g} (got {value!r})")
    if value > maximum:
        fail(f"{key!r} must be <= {maximum:g} (got {value!r})")
    return value


def _setting(value, key: str, fail):
    kind, minimum, maximum = SETTINGS[key]
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        fail(f"{key!r} must be an integer (got {value!r})")
    return kind(_number(value, key, fail, minimum, maximum))


def _table(value, name: str, allowed, what: str, fail) -> dict:
    if not isinstance(value, dict):
        fail(f"{name!r} must be a table of numbers (got {value!r})")
    for key in value:
        if key not in allowed:
            fail(f"{f'{name}.{key}'!r} is not {what}; choose from {', '.join(allowed)}")
    return {key: float(_number(v, f"{name}.{key}", fail, 0)) for key, v in value.items()}


def _disable(value, fail) -> tuple:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        fail(f"'disable' must be a list of strings (got {value!r})")
    entries = set()
    for entry in value:
        function, _, check = (part.strip() for part in entry.partition(":"))
        if function not in FUNCTIONS:
            fail(f"'disable' names {entry!r}, but {function!r} is not an exercise function; write a function "
                 f"name, or 'function: check name' as the report shows it")
        names = [c.name for c in declared_checks(function)]
        if check and check not in names:
            fail(f"'disable' names {entry!r}, but {function} has no check {check!r}; its checks are: "
                 f"{'; '.join(names)}")
        entries.add(f"{function}: {check}" if check else function)
    return tuple(sorted(entries))


def _consistent(policy: Policy, fail):
    """What a policy may not ask: points for a function it does not grade, or points without a value check
    to earn them (a function's contract and property points count only once its value checks pass)."""
    for function in FUNCTIONS:
        if function in policy.disable:
            if function in policy.points:
                fail(f"'points.{function}' is set, but {function} is disabled")
            continue
        checks = policy.checks_for(function)
        if policy.points.get(function, 0) > 0 and not any(c.points for c in checks):
            fail(f"'points.{function}' is {policy.points[function]:g}, but every check of {function} is "
                 f"disabled or of a kind worth 0")
        declared = any(c.kind == "value" for c in declared_checks(function))
        values = [c for c in checks if c.kind == "value"]
        if declared and not values and any(c.points for c in checks if c.kind in GATED_KINDS):
            fail(f"'disable' turns off every value check of {function}, which its contract and property points "
                 f"depend on (they would reward an answer that computes nothing); give those checks 0 points "
                 f"instead")
