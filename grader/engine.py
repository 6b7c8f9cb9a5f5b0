"""Runs the checks of one function against the worker: we draw the cases, the worker computes, we judge.

A check's cases (its corners, then `--examples` cases drawn from its strategy) are judged together: every
property runs on every case, and a call of the student's function whose answer is not known yet stops
the property (`NeedsAnswer`) and is collected instead. All collected calls go to the worker in one
batch, and the properties run again, each as soon as the answers it needs have come (while the worker
computes the next), until every case is judged: a check costs as many round trips as its property makes
calls one after the other, not one per call. Only a failing generated case costs more: it is shrunk
(`grader/shrinking.py`), within SHRINK_CALL_BUDGET calls; a failing corner is shown as it is declared.
In a student release, a check that needs the reference runs on the cases recorded for it instead
(`ctx.source.cases`, smallest first, the corners among them): the reference's answers exist for those
only, so a failing one is shown as it is, and is the smallest recorded case that fails.

Cases are judged in order (the corners first, in their declared order, at every seed), and only the
first failure counts, so the verdict is the one a run case by case would give: a timeout stops the
function's checks, a crash fails the check (unless the reference cannot handle that input either: then
the call is tried again in a fresh worker, and a second death stops the grading), and a function that
raises NotImplementedError on its first call is not implemented.
"""

from __future__ import annotations

import dataclasses
import zlib
from dataclasses import dataclass

from .answers import call_key, fresh
from .calls import (Batch, Call, CallResult, CallTimeout, FunctionMissing, ImportFailed, InfrastructureError, Target,
                    WorkerCrashed)
from .checks.base import Case, Check, CheckFailed, StopFunction, StudentRaised, indent
from .corners import DeferredCorners
from .drawing import Source
from .hints import exception_hint, has_hint, hint_line, shows_check_hint
from .i18n import N_, _
from .answers import NOT_RECORDED_TEXT, NotRecorded
from .results import CheckResult
from .shrinking import shrink

SHRINK_CALL_BUDGET = 150  # calls of the student's function spent on shrinking one failing case


class NeedsAnswer(BaseException):
    """A property asked for a call that has not been answered yet; it runs again once it is."""


class CallCrashed(CheckFailed):
    """The call took the student's process down."""


class FunctionContext:
    """What a check sees of one student function: `call` it in the worker, or ask the `reference` (the
    run's grader.reference source: the live reference, or the answers recorded for a release).

    Answers are kept by their arguments: a call is made once for all the checks of the function, and the
    live reference computes an answer once per process (a class's submissions all meet the same cases)."""

    def __init__(self, worker, target: Target, source, timeout: float):
        self.worker, self.target, self.source = worker, target, source
        self.timeout = timeout
        self.check_timeout = None  # the limit the check being run sets for its calls (run_check sets it)
        self.helpers: set[str] = set()
        self.output: list[str] = []
        self.succeeded = False
        self.calls_made = 0
        self.answers: dict[tuple, object] = {}  # call key -> CallResult, CallTimeout or WorkerCrashed
        self.pending: dict[tuple, Call] = {}  # the calls properties asked for, in the order they asked
        self.batch: Batch | None = None  # the calls sent last, answered one by one
        self.sent: list[tuple] = []  # their keys, in call order
        self.sent_calls: list[Call] = []  # and the calls themselves
        self.retried: set[tuple] = set()  # calls tried again in a fresh worker (see `retry`)
        self.kept = 0  # how many of the batch's answers are in self.answers
        self.keys: dict[tuple, tuple] = {}  # (id(case), return_args) -> (case, its call key)

    @property
    def name(self) -> str:
        return self.target.function

    @property
    def call_timeout(self) -> float:
        """Seconds one call may take: --timeout, or more when the check being run asks for it (training)."""
        return max(self.timeout, self.check_timeout or 0.0)

    def call_raw(self, case: Case, return_args: bool = False) -> CallResult:
        key = self.key_of(case, return_args)
        answer = self.answers.get(key) or self.awaited(key)
        if answer is None:
            self.pending.setdefault(key, Call(case.positional, case.kwargs, return_args))
            raise NeedsAnswer()
        if isinstance(answer, CallTimeout):
            raise StopFunction("timeout", _("{name} did not return within {seconds} s on this input, so its checks "
                                            "were stopped (an endless loop?):").format(
                name=self.name, seconds=f"{self.call_timeout:g}") + "\n" + indent(case.describe(), 2))
        if isinstance(answer, WorkerCrashed):
            raise CallCrashed(_("calling {name} crashed: {why}.").format(name=self.name, why=answer))
        if not answer.ok and answer.error.get("type") == "NotImplementedError" and not self.succeeded:
            raise StopFunction("not_implemented", _("not implemented yet"))
        self.succeeded = True
        return dataclasses.replace(answer, value=fresh(answer.value), args_after=fresh(answer.args_after))

    def key_of(self, case: Case, return_args: bool) -> tuple:
        """The call's key, computed once per case object (a property asks for its case's every run)."""
        known = self.keys.get((id(case), return_args))
        if known is None or known[0] is not case:
            known = self.keys[(id(case), return_args)] = (case, call_key(case, return_args))
        return known[1]

    def call(self, case: Case):
        """The student's return value for this case; raises StudentRaised if their function raised."""
        result = self.call_raw(case)
        if not result.ok:
            raise StudentRaised(result.error)
        return result.value

    def reference(self, case: Case, function: str | None = None):
        """The reference's answer for `case` (a copy): of the graded function, or of the exercise `function`.
        The one way a check reaches a reference answer; NotRecorded when a release has none to give."""
        return self.source.answer(function or self.name, case)

    def send(self):
        """Send the pending calls to the worker in one batch (after the answers to the previous one). The
        function's first batch is its first call alone: a stub (NotImplementedError) or an endless loop
        then costs one call."""
        self.finish()
        self.sent = list(self.pending) if self.answers else list(self.pending)[:1]
        self.sent_calls = [self.with_helpers(self.pending.pop(key)) for key in self.sent]
        self.kept = 0
        try:
            self.batch = self.worker.send_calls(self.target, self.sent_calls, timeout=self.call_timeout)
        except ImportFailed as exc:
            raise StopFunction("error", import_error_text(self.target.module, exc)) from None
        except FunctionMissing:
            raise StopFunction("missing", _("{name} is not defined in {module}.").format(
                name=self.name, module=self.target.module)) from None

    def with_helpers(self, call: Call) -> Call:
        """The call, with the answers of the helper calls the reference makes on its arguments."""
        if not self.target.proxies:
            return call
        helpers = self.source.foreseen(self.name, self.target.proxies, call.args, call.kwargs)
        return dataclasses.replace(call, helpers=helpers)

    def awaited(self, key: tuple):
        """The answer to a call of the batch in flight, once it has come (None: not sent, or not run)."""
        if self.batch is None or key not in self.sent:
            return None
        index = self.sent.index(key)
        while len(self.batch.answers) <= index:
            self.worker.next_answer(self.batch)
            self.keep_answers()
        return self.answers.get(key)

    def poll(self):
        """Take in the answers that have come, and serve the worker's requests, without waiting."""
        if self.batch is not None and not self.batch.done:
            self.worker.poll(self.batch)
            self.keep_answers()

    def finish(self):
        """Wait for every answer of the batch in flight."""
        while self.batch is not None and not self.batch.done:
            self.worker.next_answer(self.batch)
            self.keep_answers()

    def keep_answers(self):
        for index in range(self.kept, len(self.batch.answers)):
            key, answer = self.sent[index], self.batch.answers[index]
            self.kept += 1
            if answer is None:
                continue  # not run (a call before it timed out or crashed): asked for again if needed
            if isinstance(answer, WorkerCrashed) and self.retry(key, self.sent_calls[index], answer):
                continue  # asked for again, in a fresh worker
            self.answers[key] = answer
            self.calls_made += 1
            if isinstance(answer, CallResult):
                self.helpers.update(answer.helpers)
                if answer.output:
                    self.output.append(answer.output)


    def retry(self, key: tuple, call: Call, crash: WorkerCrashed) -> bool:
        """Whether a call whose worker died is to be asked for again. A worker that dies on an input the
        reference cannot handle either (out of memory or time) is not the student's doing: the call is
        tried once more in a fresh worker, and a second death stops the grading as an infrastructure
        failure."""
        if key in self.retried:
            raise InfrastructureError(f"the worker died twice calling {self.name} on an input that the reference "
                                      f"cannot handle within the limits either ({crash}): the machine is short of "
                                      f"memory or time, grade this submission again later")
        if not self.worker.reference_fails(self.name, call.args, call.kwargs):
            return False
        self.retried.add(key)
        self.worker.restart()
        return True


@dataclass(frozen=True)
class Verdict:
    """How a property fared on one case."""

    passed: bool
    text: str = ""  # the feedback of a failure
    stop: StopFunction | None = None  # the function's checks end here
    crashed: bool = False
    kind: str = ""  # of failure: what the property said, what the function raised, or a crash


PASSED = Verdict(True)


def judge(check: Check, ctx: FunctionContext, case) -> Verdict | None:
    """The property's verdict on one case, or None while it waits for an answer."""
    try:
        check.prop(ctx, case)
        return PASSED
    except NeedsAnswer:
        return None
    except StudentRaised as exc:
        return Verdict(False, raised_text(ctx.name, exc.error, check.hint), kind=f"raised {exc.error.get('type')}")
    except CheckFailed as exc:
        crashed = isinstance(exc, CallCrashed)
        return Verdict(False, str(exc), crashed=crashed, kind="crashed" if crashed else "failed")
    except StopFunction as exc:
        return Verdict(False, exc.message, stop=exc)
    except NotRecorded:  # a release has answers only for what a correct function leads to
        return Verdict(False, _(NOT_RECORDED_TEXT), kind="failed")


def judge_all(check: Check, ctx: FunctionContext, cases: list, last=lambda verdict: not verdict.passed) -> list:
    """The verdicts on `cases`, in order. Cases after the first whose verdict is `last` (by default: the
    first failure) are not judged (their verdict is None). The calls the properties make go to the worker
    in batches, and a case is judged as soon as its answer comes, while the worker computes the next."""
    verdicts: list = [None] * len(cases)
    while True:
        ctx.pending.clear()  # what is still needed is asked for again below
        for i, case in enumerate(cases):
            if verdicts[i] is None:
                verdicts[i] = judge(check, ctx, case)
                ctx.poll()
            if verdicts[i] is not None and last(verdicts[i]):
                break
        ctx.finish()
        if not ctx.pending:
            return verdicts
        ctx.send()


CASES: dict[tuple, tuple] = {}  # (function, strategy, count, seed) -> its drawn cases
MAX_CACHED_CASE_LISTS = 256


def strategy_key(strategy) -> tuple:
    """Strategies built the same way (gen.conv_cases() in two checks) draw the same cases."""
    return getattr(strategy, "function", type(strategy)), repr(strategy)


def check_cases(check: Check, ctx: FunctionContext, examples: int, seed: int) -> list[tuple]:
    """(case, choices) of the check: the cases a release recorded for it (smallest first, not shrunk), or
    the cases drawn at this seed."""
    recorded = ctx.source.cases(check) if ctx.source is not None else None
    if recorded is not None:
        return [(case, None) for case in recorded]
    return drawn_cases(check, examples, seed, ctx.source)


def drawn_cases(check: Check, examples: int, seed: int, source=None) -> list[tuple]:
    """(case, choices) for the check's corners (choices None), then for up to `examples` distinct cases
    drawn from its strategy at this seed (choices: what drew the case). The checks of a function that
    use the same strategy get the same cases, so their calls and reference answers are shared. Deferred
    corners are built from `source` (the run's reference) first."""
    corners = check.corners.cases(source) if isinstance(check.corners, DeferredCorners) else check.corners
    count = examples and (check.max_examples or examples)  # examples=0: the corners only
    key = (check.function, strategy_key(check.strategy), count, seed)
    cases = CASES.get(key)
    if cases is None:
        cases = generate(check.strategy, count, zlib.crc32(f"{seed}:{check.function}:{key[1][1]}".encode()))
        if len(CASES) >= MAX_CACHED_CASE_LISTS:
            CASES.clear()
        CASES[key] = cases
    return [(corner, None) for corner in corners] + list(cases)


def generate(strategy, count: int, seed: int) -> tuple:
    source, seen, drawn = Source(seed), set(), []
    for _attempt in range(4 * count):  # a strategy with few distinct cases (st.just) gives fewer
        if len(drawn) == count:
            break
        case, made = source.case(strategy)
        if made not in seen:
            seen.add(made)
            drawn.append((case, made))
    return tuple(drawn)


def run_check(check: Check, ctx: FunctionContext, examples: int, seed: int) -> CheckResult:
    """Judge the check on its corners, then its generated cases; a failing generated case is reported on
    the smallest case shrinking finds, a failing corner (or recorded case) as it is."""
    ctx.check_timeout = check.timeout
    cases = check_cases(check, ctx, examples, seed)
    verdicts = judge_all(check, ctx, [case for case, _ in cases])
    failed = next((i for i, v in enumerate(verdicts) if v is not None and not v.passed), None)
    if failed is None:
        return CheckResult(check.name, float(check.points), float(check.points), True, "", _(check.statement),
                           check.kind)
    verdict, (case, choices) = verdicts[failed], cases[failed]
    if verdict.stop is not None:
        raise verdict.stop
    text, shrunk = verdict.text, choices is not None and SHRINK_CALL_BUDGET > 0
    if shrunk:  # a corner is reported as it is declared, a recorded case as it was recorded
        def judge_candidates(candidates):
            return judge_all(check, ctx, candidates, last=lambda v: v.stop is not None or v.crashed)

        case, text = shrink(check.strategy, choices, case, verdict, judge_candidates, SHRINK_CALL_BUDGET,
                            lambda: ctx.calls_made)
    return CheckResult(check.name, 0.0, float(check.points), False, feedback(check, case, text, shrunk),
                       _(check.statement), check.kind)


def import_error_text(module: str, exc: ImportFailed) -> str:
    error = exc.error
    text = _("{module}.py could not be imported: {type}: {message}").format(
        module=module, type=error.get("type"), message=error.get("message"))
    if error.get("traceback"):
        text += "\n" + indent(error["traceback"].rstrip(), 2)
    if error.get("type") == "SystemExit":
        text += hint_line(N_("the module calls sys.exit() (or exit()) while it is imported; remove that call."))
    return text


def raised_text(name: str, error: dict, check_hint: str = "") -> str:
    """What the student's function raised, with a hint about that exception in place of the check's hint
    (which is about wrong values), or beside it when the exception is about a size or shape."""
    text = _("{name} raised {type}: {message}").format(name=name, type=error.get("type"),
                                                        message=error.get("message"))
    if error.get("traceback"):
        text += "\n" + indent(error["traceback"].rstrip(), 2)
    text += hint_line(exception_hint(error))
    if check_hint and shows_check_hint(error):
        text += "\n" + _("What this check is about: {hint}").format(hint=_(check_hint))
    return text


# The headers of the case in a feedback (the English ones are what grader/mutants.py reads).
SHRUNK_CASE, CASE = N_("Smallest failing case:"), N_("Failing case:")


def feedback(check: Check, case: Case, text: str, shrunk: bool) -> str:
    """The feedback of a failure: the property, the case (the smallest one shrinking found, or a corner as
    it is declared), what went wrong, and the check's hint."""
    lines = [_("Property: {statement}").format(statement=_(check.statement)),
             f"{_(SHRUNK_CASE if shrunk else CASE)} {case.describe()}", text]
    if check.hint and not has_hint(text):
        lines.append(hint_line(check.hint).lstrip("\n"))
    return "\n".join(lines)


def stopped_result(check: Check, stop: StopFunction) -> CheckResult:
    text = "" if stop.status == "not_implemented" else stop.message
    return CheckResult(check.name, 0.0, float(check.points), False, text, _(check.statement), check.kind)
