"""Mutants: realistic wrong implementations that every check suite must catch.

A mutant is one Python file that redefines one graded function with a bug students write:

    \"\"\"dw is assigned (=) at each kernel offset instead of accumulated (+=) over the batch.\"\"\"
    FUNCTION = "conv2d_backward"
    FAMILY = "accumulation"
    BREAKS = ("value", "gradient")  # optional: the kinds of check that count as catching it

    def conv2d_backward(dout, x, w, stride=1, padding=0):
        ...

The file's name is `<FUNCTION>__<short_bug_name>.py`. A mutant submission is a copy of the reference
solutions with the mutant's source appended to the module that defines FUNCTION, so the later def wins and
the mutant may use that module's imports and helpers (`from ._args import as_pair` works too). FAMILY names
the kind of bug; the feedback of the first check that catches the mutant must contain one of the family's
key phrases (FAMILIES below), so that a student with this bug reads a hint about it. A mutant is caught
only by a check of the behaviour it breaks: BREAKS names those kinds of check (by default its family's,
see BREAKS below), so that a wrong value is not counted as caught by an argument check it happens to skip.
"""

from __future__ import annotations

import ast
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import FUNCTIONS
from .defaults import AUDIT_EXAMPLES, AUDIT_TIMEOUT
from .engine import CASE, SHRUNK_CASE
from .reference import solutions_dir
from .results import full_marks

# Family -> key phrases: the first failed check's feedback, without its failing case block (whose
# argument names and values could match by accident), must contain at least one (case-insensitive).
FAMILIES = {
    "accumulation": ("+=", "add the gradient", "accumulate"),
    "output size": ("+ 1", "(I - F + 2P)"),
    "shape": ("shape",),
    "crop": ("p:-p", "crop"),
    "same padding": ("k - 1",),
    "zeros": ("zeros",),
    "flip": ("flip",),
    "bias": ("bias",),
    "ties": ("tie", "more than once", "first maximum"),
    "purity": ("modified its argument", "pure"),
    "dtype": ("dtype",),
    "validation": ("ValueError",),
    "return": ("forget to return", "should return"),
    "batch": ("batch",),
    "sum": ("sum of dout", "dout.sum", "sum over"),
    "flat index": ("// W", "* W", "row-major"),
    "initial maximum": ("-inf", "-np.inf", "first element", "np.max"),
    "stride": ("stride = kernel_size", "own stride", "every stride positions"),
    "position": ("(row, col)", "row first"),
    "argmax": ("largest", "np.argmax"),
    "type": ("an int", "ints", "not a float"),
    "window size": ("kh * kw",),
    "repeat": ("repeat", "np.tile"),
    "pair": ("pair", "(h, w)", "(R, S)"),
    "height and width": ("height and width", "for the height", "H != W"),
    "window start": ("i*sh", "i * sh", "i * stride"),
    "values": ("is wrong at", "worst element"),
    "kink": ("kink", "x == 0"),
    "mask": ("relu mask", "x > 0"),
    "relu": ("relu included",),
    "stable": ("subtract each row's max", "overflow"),
    "mean": ("average", "mean over", "/ N"),
    "init": ("default_rng(seed)", "initial params"),
    "training": ("accuracy",),
}

# Family -> the kinds of check that count as catching its mutants (the behaviour the bug breaks); every
# other family breaks what the function computes.
BEHAVIOUR = ("value", "gradient", "property")
BREAKS = {
    "dtype": ("contract",),
    "purity": ("contract",),
    "validation": ("errors",),
    "type": ("value", "contract"),
}


def default_breaks(family: str) -> tuple[str, ...]:
    return BREAKS.get(family, BEHAVIOUR)


MUTANT_SUFFIX = ".py"


class MutantError(Exception):
    """A mutant file does not follow the format (the message names the file and the problem)."""


@dataclass
class Mutant:
    name: str  # the file's stem, e.g. conv2d_backward__dw_assigned
    function: str
    family: str
    description: str
    source: str
    path: Path
    breaks: tuple[str, ...] = BEHAVIOUR  # the kinds of check that count as catching it

    @property
    def module(self) -> str:
        return FUNCTIONS[self.function]

    @property
    def phrases(self) -> tuple[str, ...]:
        return FAMILIES[self.family]


@dataclass
class MutantOutcome:
    """How the checks of one function fared against one mutant."""

    mutant: Mutant
    seed: int
    score: float
    max_score: float
    status: str
    caught_by: list[str] = field(default_factory=list)  # names of the failed checks, in check order
    caught_kinds: list[str] = field(default_factory=list)  # their kinds, in the same order
    checks: list[str] = field(default_factory=list)  # every check of the function, in order
    first_feedback: str = ""
    elapsed_s: float = 0.0

    @property
    def caught(self) -> bool:
        return not full_marks(self.score, self.max_score)

    @property
    def caught_by_behaviour(self) -> bool:
        """Caught by a check of the behaviour the mutant breaks (see BREAKS), not only by another kind."""
        return any(kind in self.mutant.breaks for kind in self.caught_kinds)

    @property
    def phrase_found(self) -> bool:
        text = without_case(self.first_feedback).lower()
        return any(p.lower() in text for p in self.mutant.phrases)


CASE_HEADERS = (SHRUNK_CASE, CASE)  # a generated case (shrunk) or a corner
ARRAY_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*(\['\w+'\])? =$")  # x =, params['w'] =


def without_case(feedback: str) -> str:
    """The feedback without the line of its failing case and the arrays printed under it."""
    lines, kept, in_case = feedback.splitlines(), [], False
    for line in lines:
        if line.startswith(CASE_HEADERS):
            in_case = True
            continue
        if in_case and (ARRAY_NAME.fullmatch(line) or line.startswith(" ")):
            continue
        in_case = False
        kept.append(line)
    return "\n".join(kept)


def _literal(tree: ast.Module, name: str, path: Path) -> str:
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == name):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                value = None
            if not isinstance(value, str):
                raise MutantError(f"{path.name}: {name} must be a string literal")
            return value
    raise MutantError(f"{path.name}: no {name} = \"...\" assignment at the top level")


def _kinds(tree: ast.Module, path: Path, family: str) -> tuple[str, ...]:
    """BREAKS = ("value", ...) when the file has it, else the family's kinds."""
    from .checks.base import KINDS

    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == "BREAKS"):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                value = None
            if not (isinstance(value, tuple) and value and all(k in KINDS for k in value)):
                raise MutantError(f"{path.name}: BREAKS must be a tuple of check kinds from {', '.join(KINDS)}")
            return value
    return default_breaks(family)


def load_mutant(path) -> Mutant:
    """Read and validate one mutant file (it is parsed, not imported)."""
    path = Path(path)
    source = path.read_text(encoding="utf-8")
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as exc:
        raise MutantError(f"{path.name}: syntax error on line {exc.lineno}: {exc.msg}") from None
    docstring = ast.get_docstring(tree)
    if not docstring:
        raise MutantError(f"{path.name}: starts without a docstring describing the bug in one line")
    function, family = _literal(tree, "FUNCTION", path), _literal(tree, "FAMILY", path)
    if function not in FUNCTIONS:
        raise MutantError(f"{path.name}: FUNCTION {function!r} is not a graded function")
    if family not in FAMILIES:
        raise MutantError(f"{path.name}: FAMILY {family!r} is unknown; choose from {', '.join(FAMILIES)}")
    if not path.stem.startswith(function + "__"):
        raise MutantError(f"{path.name}: the file name must start with {function}__")
    if not any(isinstance(n, ast.FunctionDef) and n.name == function for n in tree.body):
        raise MutantError(f"{path.name}: defines no function named {function}")
    if any(isinstance(n, ast.ImportFrom) and n.module == "__future__" for n in tree.body):
        raise MutantError(f"{path.name}: `from __future__` imports cannot be appended to a module")
    return Mutant(path.stem, function, family, docstring.splitlines()[0].strip(), source, path,
                  _kinds(tree, path, family))


def load_mutants(*folders) -> list[Mutant]:
    """Every mutant in the folders, sorted by function (teaching order) and name; names must be unique."""
    mutants: dict[str, Mutant] = {}
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            raise MutantError(f"{str(folder)!r} is not a folder of mutants")
        for path in sorted(folder.glob(f"*{MUTANT_SUFFIX}")):
            if path.name.startswith("_"):
                continue
            mutant = load_mutant(path)
            if mutant.name in mutants:
                raise MutantError(f"two mutants are named {mutant.name}: {mutants[mutant.name].path} and {path}")
            mutants[mutant.name] = mutant
    order = {f: i for i, f in enumerate(FUNCTIONS)}
    return sorted(mutants.values(), key=lambda m: (order[m.function], m.name))


def default_mutants_dir() -> Path:
    """The repository's tests/mutants/, next to the grader package; MutantError when it is not there."""
    folder = Path(__file__).resolve().parent.parent / "tests" / "mutants"
    if not folder.is_dir():
        raise MutantError(f"the mutant corpus {folder} was not found (the grader is not running from a "
                          f"checkout of the repository); pass --mutants DIR")
    return folder


def build_submission(mutant: Mutant, dest) -> Path:
    """Copy the reference solutions into `dest` and append the mutant to FUNCTION's module."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for source in solutions_dir().glob("*.py"):
        shutil.copyfile(source, dest / source.name)
    module = dest / f"{mutant.module}.py"
    with module.open("a", encoding="utf-8") as f:
        f.write(f"\n\n# ---- mutant {mutant.name}: {mutant.description}\n{mutant.source}")
    return dest


def run_mutant(mutant: Mutant, *, seed: int = 0, examples: int = AUDIT_EXAMPLES, timeout: float = AUDIT_TIMEOUT,
               sandbox: str = "auto") -> MutantOutcome:
    """Grade the mutant's function in a throw-away mutant submission."""
    from .runner import grade

    with tempfile.TemporaryDirectory(prefix=f"mutant-{mutant.name}-") as tmp:
        folder = build_submission(mutant, Path(tmp) / "submission")
        result = grade(folder, only=(mutant.function,), seed=seed, examples=examples, timeout=timeout,
                       sandbox=sandbox)
    fn = result.function(mutant.function)
    failed = [c for c in fn.checks if not c.passed and not c.advice]
    return MutantOutcome(mutant, seed, fn.score, fn.max_score, fn.status, [c.name for c in failed],
                         [c.kind for c in failed], [c.name for c in fn.checks],
                         failed[0].feedback if failed else "", result.elapsed_s)


@contextmanager
def shrinking(shrink: bool):
    """Failures shrunk to the smallest case as for a student (shrink=True), or stopped at the first failing
    case: the verdict is the same, only the case shown differs, and a seed is graded several times faster."""
    from . import engine

    saved = engine.SHRINK_CALL_BUDGET
    engine.SHRINK_CALL_BUDGET = saved if shrink else 0
    try:
        yield
    finally:
        engine.SHRINK_CALL_BUDGET = saved


def in_threads(function, items, jobs: int) -> list:
    """[function(item) for item in items], `jobs` at a time (each grade runs its own worker process)."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(function, items))


def run_mutants(mutants, *, seeds=(0,), jobs: int = 2, shrink: bool = True, **options) -> list[MutantOutcome]:
    """Grade every mutant at every seed, `jobs` at a time; the outcomes come in input order, seed by seed.

    shrink=False stops each failing check at its first failing case (see `shrinking`)."""
    with shrinking(shrink):
        return in_threads(lambda run: run_mutant(run[0], seed=run[1], **options),
                          [(m, seed) for seed in seeds for m in mutants], jobs)
