"""What a graded function is called with and what comes back: the plain data of the grader's calls.

`Worker.call_many` (grader/sandbox.py) sends a batch of `Call`s for one `Target` and answers each with a
`CallResult`, or, for the call that timed out or crashed, with a `CallTimeout` or `WorkerCrashed`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class InfrastructureError(BaseException):
    """Grading cannot go on, and it is not the submission's doing: the sandbox did not start or failed its
    start-up self-test, or the worker died twice on an input the reference cannot handle either. A
    BaseException, so that no handler of a student's errors takes it for a failed check: it stops the run,
    and nothing is recorded."""


class CallTimeout(Exception):
    """The student's function did not return within its time limit."""


class WorkerCrashed(Exception):
    """The student's process died, or sent something that is not a valid reply."""


class ImportFailed(Exception):
    """The student's module could not be imported; `error` describes why, `site` (when the worker could
    tell) where: {"module", "line", "col", "end_col"} of the submission module whose own code raised."""

    def __init__(self, error: dict, output: str = "", site: dict | None = None):
        super().__init__(f"{error.get('type')}: {error.get('message')}")
        self.error, self.output, self.site = error, output, site


class FunctionMissing(Exception):
    """The module imported but does not define the function."""


@dataclass(frozen=True)
class Target:
    """Which student function to call: the module to import, the function, the names to proxy."""

    module: str
    function: str
    proxies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Call:
    """The arguments of one call of a student function."""

    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    return_args: bool = False  # send the positional arguments back after the call (to check purity)
    helpers: list = field(default_factory=list)  # [name, args, kwargs, answer] its proxies may need (foreseen.py)


@dataclass
class Batch:
    """Calls sent to the worker in one message, and their answers in call order as they arrive: CallResults,
    except that a call that timed out or crashed is answered by its CallTimeout or WorkerCrashed, and each
    call after it by None (not run)."""

    target: Target
    id: str
    size: int
    timeout: float  # seconds each of its calls may take
    deadline: float  # when the grader gives up on the call being answered (the worker's own limit is earlier)
    answers: list = field(default_factory=list)

    @property
    def done(self) -> bool:
        return len(self.answers) == self.size

    def end(self, failure: Exception):
        self.answers += [failure] + [None] * (self.size - len(self.answers) - 1)


@dataclass
class CallResult:
    """What one call of a student function gave back, already decoded and validated."""

    ok: bool  # the function returned (False: it raised, and `error` says what)
    value: object = None  # what it returned (plain data, ndarrays, or ForeignObject placeholders)
    error: dict = field(default_factory=dict)  # type, mro, message, traceback of what it raised
    output: str = ""  # what it printed (capped)
    helpers: list = field(default_factory=list)  # the proxied exercise functions it called
    args_after: tuple = ()  # the positional arguments after the call (with return_args), to check purity
    elapsed: float = 0.0
