"""The audit behind `grade audit`: do the checks catch the mutants, and does every check catch one?

Runs the mutant corpus (tests/mutants/ plus any --mutants DIR) against the checks (plus any --checks DIR
of instructor check modules) and prints, for every function, which check catches which mutant. Exits 1
when a mutant survives every check, when a check catches no mutant, or when a mutant could not be graded.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import FUNCTIONS
from .defaults import AUDIT_TIMEOUT
from .checks import REGISTRY, checks_for
from .mutants import MutantOutcome, in_threads, run_mutant, shrinking

BROKEN_STATUSES = ("error", "missing", "not_implemented")
EXTRA_CHECKS_PACKAGE = "convgrade_extra_checks"


def load_check_modules(folder) -> list:
    """Import every .py file of `folder` (not starting with _): each registers checks with @check."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"--checks {str(folder)!r} is not a folder of check modules")
    before = len(REGISTRY)
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        name = f"{EXTRA_CHECKS_PACKAGE}.{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            del sys.modules[name]
            raise ValueError(f"the check module {path} could not be imported: "
                                   f"{type(exc).__name__}: {exc}") from None
    return REGISTRY[before:]


@dataclass
class Audit:
    outcomes: list[MutantOutcome]  # every mutant at every seed, seed by seed
    seeds: list[int]
    examples: int
    extra_checks: list = field(default_factory=list)
    errors: dict = field(default_factory=dict)  # mutant name -> why it could not be graded
    functions: list = field(default_factory=lambda: list(FUNCTIONS))  # the audited ones, teaching order

    @property
    def first(self) -> list[MutantOutcome]:
        """The outcomes at the first seed, whose failures are shrunk: the feedback a student reads."""
        return [o for o in self.outcomes if o.seed == self.seeds[0]]

    def checks(self):
        """(function, check) for every check of the audited functions, in teaching order."""
        return [(f, c) for f in self.functions for c in checks_for(f)]

    def catches(self, function: str, check_name: str) -> list[str]:
        """The mutants of `function` that this check catches at some seed."""
        return list(dict.fromkeys(o.mutant.name for o in self.outcomes
                                  if o.mutant.function == function and check_name in o.caught_by))

    def seeds_caught(self, outcome: MutantOutcome, check_name: str) -> int:
        """At how many seeds this check catches the outcome's mutant."""
        return sum(check_name in o.caught_by for o in self.outcomes if o.mutant.name == outcome.mutant.name)

    @property
    def survivors(self) -> list[MutantOutcome]:
        """(mutant, seed) outcomes not caught by a check of the behaviour the mutant breaks."""
        return [o for o in self.outcomes if not o.caught_by_behaviour and o.mutant.name not in self.errors
                and o.status not in BROKEN_STATUSES]

    def survivors_at(self, seed: int) -> list[str]:
        return [o.mutant.name for o in self.survivors if o.seed == seed]

    @property
    def broken(self) -> list[MutantOutcome]:
        return [o for o in self.first if o.status in BROKEN_STATUSES]

    @property
    def idle_checks(self) -> list:
        return [(f, c) for f, c in self.checks() if not self.catches(f, c.name)]

    @property
    def phrase_misses(self) -> list[MutantOutcome]:
        return [o for o in self.first
                if o.caught and o.status not in (*BROKEN_STATUSES, "timeout") and not o.phrase_found]

    @property
    def ok(self) -> bool:
        return not (self.survivors or self.idle_checks or self.broken or self.errors)

    def summary(self) -> dict:
        surviving = {o.mutant.name for o in self.survivors} | set(self.errors)
        caught = [o for o in self.first if o.caught]
        lengths = [len(o.first_feedback) for o in caught]
        checks = self.checks()
        return {
            "mutants_caught": sum(o.mutant.name not in surviving for o in self.first),
            "mutants_total": len(self.first), "seeds": list(self.seeds),
            "survivors_by_seed": {str(seed): len(self.survivors_at(seed)) for seed in self.seeds},
            "checks_catching": len(checks) - len(self.idle_checks), "checks_total": len(checks),
            "mean_feedback_chars": round(sum(lengths) / len(lengths), 1) if lengths else 0.0,
            "feedback_with_family_phrase": sum(o.phrase_found for o in caught),
        }

    def to_dict(self) -> dict:
        extra = {id(c) for c in self.extra_checks}
        return {
            "seed": self.seeds[0], "seeds": list(self.seeds), "examples": self.examples, "ok": self.ok,
            "summary": self.summary(),
            "mutants": [{
                "name": o.mutant.name, "function": o.mutant.function, "family": o.mutant.family,
                "breaks": list(o.mutant.breaks), "description": o.mutant.description, "path": str(o.mutant.path),
                "score": o.score, "max_score": o.max_score, "status": o.status, "caught": o.caught,
                "caught_by": o.caught_by, "first_feedback_chars": len(o.first_feedback),
                "family_phrase_found": o.phrase_found, "error": self.errors.get(o.mutant.name, ""),
                "by_seed": [{"seed": s.seed, "score": s.score, "caught_by": s.caught_by,
                             "caught_by_behaviour": s.caught_by_behaviour}
                            for s in self.outcomes if s.mutant.name == o.mutant.name],
            } for o in self.first],
            "checks": [{"function": f, "name": c.name, "kind": c.kind, "points": c.points, "extra": id(c) in extra,
                        "catches": self.catches(f, c.name)} for f, c in self.checks()],
            "survivors": list(dict.fromkeys(o.mutant.name for o in self.survivors)),
            "survivors_by_seed": {str(seed): self.survivors_at(seed) for seed in self.seeds},
            "idle_checks": [f"{f}: {c.name}" for f, c in self.idle_checks],
            "feedback_without_family_phrase": [o.mutant.name for o in self.phrase_misses],
        }


def run_audit(mutants, *, seeds=(0,), examples: int, jobs: int, timeout: float = AUDIT_TIMEOUT,
              sandbox: str = "auto", extra_checks=(), functions=None) -> Audit:
    """Grade every mutant at every seed: failures shrunk at the first seed (the feedback shown), stopped at
    the first failing case at the others (the same verdicts, several times faster)."""
    errors = {}

    def one(mutant, seed):
        try:
            return run_mutant(mutant, seed=seed, examples=examples, timeout=timeout, sandbox=sandbox)
        except Exception as exc:  # a check that raises (not CheckFailed): report where, keep auditing the rest
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            errors[mutant.name] = f"{type(exc).__name__}: {exc} (raised at {frame.filename}:{frame.lineno})"
            names = [c.name for c in checks_for(mutant.function)]
            return MutantOutcome(mutant, seed, 0.0, 0.0, "error", [], [], names, "")

    outcomes = []
    for i, seed in enumerate(seeds):
        with shrinking(i == 0):
            outcomes += in_threads(lambda m: one(m, seed), mutants, jobs)
    return Audit(outcomes, list(seeds), examples, list(extra_checks), errors, list(functions or FUNCTIONS))


# ------------------------------------------------------------------------------------------ report
def marks(stream) -> tuple[str, str]:
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "✓·".encode(encoding)
        return "✓", "·"
    except (UnicodeEncodeError, LookupError):
        return "x", "."


def short_name(outcome: MutantOutcome) -> str:
    return outcome.mutant.name.split("__", 1)[-1]


def survival(audit: Audit, outcome: MutantOutcome) -> str:
    """Where the mutant survives ("" when it is caught at every seed): the seeds, and what caught it there."""
    missed = [o for o in audit.survivors if o.mutant.name == outcome.mutant.name]
    if not missed:
        return ""
    seeds = ", ".join(str(o.seed) for o in missed)
    where = "every seed" if len(missed) == len(audit.seeds) else f"seed{'s' * (len(missed) > 1)} {seeds}"
    others = sorted({k for o in missed for k in o.caught_kinds})
    if others:
        return (f"caught at {where} only by {'/'.join(others)} checks, not by a {'/'.join(outcome.mutant.breaks)} "
                f"check")
    return f"survives every check at {where}"


def scores(audit: Audit, outcome: MutantOutcome) -> str:
    values = sorted({o.score for o in audit.outcomes if o.mutant.name == outcome.mutant.name})
    low, high = values[0], values[-1]
    return f"{low:g}/{outcome.max_score:g}" if low == high else f"{low:g}-{high:g}/{outcome.max_score:g}"


def audit_table(audit: Audit, stream=None) -> str:
    yes, no = marks(stream or sys.stdout)
    extra = {id(c) for c in audit.extra_checks}
    every = len(audit.seeds)

    def cell(outcome, check):  # caught at every seed, at none, or at how many
        n = audit.seeds_caught(outcome, check.name)
        return yes if n == every else no if n == 0 else str(n)

    lines = []
    for function in audit.functions:
        checks = checks_for(function)
        rows = [o for o in audit.first if o.mutant.function == function]
        if not checks and not rows:
            continue
        points = sum(c.points for c in checks)
        lines.append(f"{function}  ({len(checks)} checks, {points:g} points, {len(rows)} mutants)")
        for i, c in enumerate(checks, 1):
            count = len(audit.catches(function, c.name))
            tag = " [--checks]" if id(c) in extra else ""
            idle = "   <- catches no mutant" if count == 0 else ""
            lines.append(f"  {i:>2}. {c.name} ({c.points:g}, {c.kind}){tag}: {count}{idle}")
        width = max([len(short_name(o)) for o in rows] + [8])
        header = " ".join(f"{i:>2}" for i in range(1, len(checks) + 1))
        lines.append(f"    {'mutant':<{width}}  {header}  score")
        for o in rows:
            cells = " ".join(f"{cell(o, c):>2}" for c in checks)
            note = ""
            if o.mutant.name in audit.errors:
                note = "  GRADING ERROR (below)"
            elif o.status in BROKEN_STATUSES:
                note = f"  BROKEN ({o.status})"
            elif o.status == "timeout":
                note = "  (a call timed out, which stops every check: raise --timeout on a busy machine)"
            elif survival(audit, o):
                note = f"  <- {survival(audit, o)}"
            elif not o.phrase_found:
                note = f"  (first feedback lacks the {o.mutant.family!r} phrase)"
            lines.append(f"    {short_name(o):<{width}}  {cells}  {scores(audit, o)}{note}")
        lines.append("")
    s = audit.summary()
    per_seed = ", ".join(f"{n} at seed {seed}" for seed, n in s["survivors_by_seed"].items())
    lines += [
        f"seeds {', '.join(map(str, audit.seeds))}; {audit.examples} examples per check"
        + (f" (a number in the matrix: caught at that many of the {every} seeds)" if every > 1 else ""),
        f"mutants caught at every seed, each by a check of the behaviour it breaks: "
        f"{s['mutants_caught']} / {s['mutants_total']}",
        f"survivors: {per_seed}",
        f"checks that catch a mutant: {s['checks_catching']} / {s['checks_total']}",
        f"mean feedback length of first failures: {s['mean_feedback_chars']:g} characters",
        f"first feedback with the family's key phrase: {s['feedback_with_family_phrase']} / "
        f"{sum(o.caught for o in audit.first)}",
    ]
    for o in audit.first:
        if survival(audit, o) and o.mutant.name not in audit.errors:
            lines.append(f"SURVIVOR {o.mutant.name}: {o.mutant.description} ({survival(audit, o)}; {o.mutant.path})")
    for f, c in audit.idle_checks:
        lines.append(f"IDLE CHECK {f}: {c.name} ({c.prop.__module__}.{c.prop.__name__}) catches no mutant")
    for o in audit.broken:
        if o.mutant.name in audit.errors:
            lines.append(f"GRADING ERROR {o.mutant.name}: a check raised {audit.errors[o.mutant.name]}")
        else:
            lines.append(f"BROKEN MUTANT {o.mutant.name} ({o.status}): {o.first_feedback[:300]}")
    return "\n".join(lines) + "\n"
