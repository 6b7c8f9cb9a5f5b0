"""Recorded answers of the reference: what a student release grades against instead of `solutions/`.

`grade release` runs every check against the reference at the release seed (grader.recording) and keeps,
for each exercise function, one `<function>.npz` (read with `allow_pickle=False`) holding

- the cases of every check that needs the reference, smallest first;
- the reference's answer to every question those checks ask (`ctx.reference(case, function)`), keyed by a
  digest of the function and its arguments;
- the reference's answers to the calls student code may make to the function's declared helpers, keyed by
  the helper's arguments in a canonical form (`padding=1` and `((1, 1), (1, 1))` are one key).

`manifest.json` lists the sha256 of every file; a file that does not match is refused (RecordedError), so a
changed or damaged recording never grades anything. Values travel as in the worker protocol: JSON nodes
whose arrays are members `a<i>` of the .npz, and the JSON itself is the member `index` (UTF-8 bytes).
"""

from __future__ import annotations

import copy
import hashlib
import json
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import __version__, protocol
from .cases import Case
from .checks import REGISTRY
from .i18n import N_, Later, _
from .answers import NotRecorded

PREVIEW_NOTE = N_("Local preview: the checks that compare with the reference ran on the cases recorded when "
                "this release was made ({cases} cases, release seed fingerprint {fingerprint}); the others "
                "drew their cases at seed {seed}. Your grade of record is made by your instructor with the "
                "reference itself, on new cases at a secret seed, so it can differ from this one.")
FORMAT = 1
MANIFEST = "manifest.json"
INSTALLED = Path(__file__).resolve().parent / "recorded"  # inside a release's wheel
RAISABLE = {e.__name__: e for e in (ValueError, TypeError, IndexError, ZeroDivisionError)}


class RecordedError(Exception):
    """The recorded answers are missing, damaged or changed: grading refuses to use them."""


# ------------------------------------------------------------------------------------------ keys
def _shifted(node, offset: int):
    """A protocol node whose array references point `offset` further into a shared array list."""
    if isinstance(node, list):
        return [_shifted(v, offset) for v in node]
    if isinstance(node, dict):
        if node.get("$") in ("array", "npscalar"):
            return {**node, "i": node["i"] + offset}
        return {k: _shifted(v, offset) for k, v in node.items()}
    return node


def digest(label: str, value) -> str:
    """sha256 of a label and a value (arrays by dtype, shape and bytes): the key of one question."""
    node, arrays = protocol.encode(value)
    h = hashlib.sha256(json.dumps([label, node], sort_keys=True).encode())
    for array in arrays:
        h.update(f"{array.dtype.str}{array.shape}".encode() + array.tobytes())
    return h.hexdigest()


def question(function: str, case: Case) -> str:
    return digest(function, (case.positional, case.kwargs))


def _plain(value):
    """numpy ints and bools as Python ones, lists as tuples: the forms a caller may use interchangeably."""
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    return value


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _pair(value):
    return (value, value) if _is_int(value) else value


def _widths(value):
    """zero_pad's padding forms p, (ph, pw) and ((top, bottom), (left, right)) as the last one."""
    if _is_int(value):
        return ((value, value), (value, value))
    if isinstance(value, tuple) and len(value) == 2 and all(_is_int(v) for v in value):
        return ((value[0], value[0]), (value[1], value[1]))
    return value


ARGUMENT_FORMS = {("zero_pad", "padding"): _widths, ("max_pool_indices", "kernel_size"): _pair,
                  ("max_pool_indices", "stride"): _pair, ("conv_param_count", "kernel_size"): _pair}


def helper_key(name: str, args: tuple, kwargs: dict, signature: list) -> str | None:
    """The canonical key of a helper call, or None when the arguments do not bind to its signature.
    `signature`: [[parameter, has_default, default], ...] of the reference's function."""
    if len(args) > len(signature) or any(k not in {p for p, _, _ in signature} for k in kwargs):
        return None
    bound = {}
    for i, (param, has_default, default) in enumerate(signature):
        if i < len(args):
            if param in kwargs:
                return None
            bound[param] = args[i]
        elif param in kwargs:
            bound[param] = kwargs[param]
        elif has_default:
            bound[param] = default
        else:
            return None
    bound = {p: ARGUMENT_FORMS.get((name, p), lambda v: v)(_plain(v)) for p, v in bound.items()}
    if "stride" in bound and bound["stride"] is None and "kernel_size" in bound:
        bound["stride"] = bound["kernel_size"]  # pooling: stride=None means the window's size
    return digest(f"helper:{name}", tuple(bound.values()))


# ------------------------------------------------------------------------------------------ outcomes
def outcome_of(call) -> dict:
    """{"value": v} or {"raises": type, "message": m}: what calling `call()` gives."""
    try:
        return {"value": call()}
    except tuple(RAISABLE.values()) as exc:
        return {"raises": type(exc).__name__, "message": str(exc)}


def replay(outcome: dict):
    if "raises" in outcome:
        raise RAISABLE.get(outcome["raises"], RuntimeError)(outcome["message"])
    return copy.deepcopy(outcome["value"])


# ------------------------------------------------------------------------------------------ files
@dataclass
class FunctionRecord:
    """What is recorded for one exercise function."""

    cases: list = field(default_factory=list)  # Case objects, referenced by index
    checks: dict = field(default_factory=dict)  # check name -> indices into `cases`, smallest case first
    answers: dict = field(default_factory=dict)  # question digest -> outcome
    helpers: dict = field(default_factory=dict)  # helper key -> outcome


def write_record(path: Path, record: FunctionRecord) -> str:
    """Write one .npz and return its sha256."""
    arrays: list = []

    def encode(value):
        node, found = protocol.encode(value)
        node = _shifted(node, len(arrays))
        arrays.extend(found)
        return node

    def encode_outcome(outcome):
        return {"value": encode(outcome["value"])} if "value" in outcome else outcome

    def encode_note(note):  # a note made with i18n.later() stays translatable: its message and its fields
        if isinstance(note, Later):
            return {"later": note.message, "fields": [[k, encode_note(v)] for k, v in note.fields]}
        return encode(note)

    index = {
        "cases": [{"args": [[k, encode(v)] for k, v in c.args.items()], "kwargs": encode(c.kwargs),
                   "note": encode_note(c.note)}
                  for c in record.cases],
        "checks": record.checks,
        "answers": {k: encode_outcome(v) for k, v in sorted(record.answers.items())},
        "helpers": {k: encode_outcome(v) for k, v in sorted(record.helpers.items())},
    }
    members = {"index": np.frombuffer(json.dumps(index, sort_keys=True).encode(), dtype=np.uint8)}
    members.update({f"a{i}": a for i, a in enumerate(arrays)})
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        np.savez_compressed(f, **members)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_record(path: Path) -> FunctionRecord:
    with np.load(path, allow_pickle=False) as npz:
        index = json.loads(bytes(npz["index"]).decode())
        arrays = [npz[f"a{i}"] for i in range(len(npz.files) - 1)]

    def decode(node):
        return protocol.decode(node, arrays)

    def decode_outcome(outcome):
        return {"value": decode(outcome["value"])} if "value" in outcome else outcome

    def decode_note(node):
        if isinstance(node, dict) and "later" in node:
            return Later(str(node["later"]), tuple((str(k), decode_note(v)) for k, v in node["fields"]))
        return decode(node)

    cases = [Case({k: decode(v) for k, v in c["args"]}, decode(c["kwargs"]), decode_note(c["note"]))
             for c in index["cases"]]
    return FunctionRecord(cases, index["checks"], {k: decode_outcome(v) for k, v in index["answers"].items()},
                          {k: decode_outcome(v) for k, v in index["helpers"].items()})


def registered_checks() -> dict:
    """function -> the names of its checks, as this grader registers them."""
    names: dict = {}
    for check in REGISTRY:
        names.setdefault(check.function, []).append(check.name)
    return names


def load(directory: Path) -> "RecordedReference":
    """The recording in `directory`, every file checked against the manifest first."""
    directory = Path(directory)
    where = directory / MANIFEST
    try:
        manifest = json.loads(where.read_text(encoding="utf-8"))
        files, fingerprint = dict(manifest["files"]), str(manifest["seed_fingerprint"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RecordedError(_("the recorded cases' manifest {where} cannot be read ({problem}); reinstall the "
                              "wheel of your course's release").format(where=where, problem=exc)) from None
    if manifest.get("format") != FORMAT or manifest.get("grader_version") != __version__ \
            or manifest.get("checks") != registered_checks():
        raise RecordedError(_("the recorded cases in {directory} were made for other checks (grader {made_by}, "
                              "this is {version}); reinstall the wheel of your course's release").format(
            directory=directory, made_by=manifest.get("grader_version"), version=__version__))
    records = {}
    for name, expected in files.items():
        path = directory / name
        try:
            actual = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            raise RecordedError(_("the recorded file {path} is missing; reinstall the wheel of your course's "
                                  "release").format(path=path)) from None
        if actual != expected:
            raise RecordedError(_("the recorded file {path} does not match its manifest (sha256 {actual}..., "
                                  "expected {expected}...): it was changed after the release was made, so it is "
                                  "not used. Reinstall the wheel of your course's release.").format(
                path=path, actual=actual[:12], expected=expected[:12]))
        try:
            records[Path(name).stem] = read_record(path)
        except (OSError, ValueError, KeyError, TypeError, zlib.error, protocol.ProtocolError) as exc:
            raise RecordedError(_("the recorded file {path} cannot be read ({problem})").format(
                path=path, problem=exc)) from None
    return RecordedReference(records, manifest["helper_signatures"], fingerprint)


@lru_cache(maxsize=None)
def _installed(directory: Path):
    return load(directory)


def installed_recording():
    """The recording shipped inside this installation (a release's wheel), or None."""
    return _installed(INSTALLED) if (INSTALLED / MANIFEST).exists() else None


# ------------------------------------------------------------------------------------------ grading
class RecordedReference:
    """A reference source that answers from a recording (see grader.reference)."""

    def __init__(self, records: dict, signatures: dict, fingerprint: str):
        self.records, self.signatures, self.fingerprint = records, signatures, fingerprint
        self.answers = {k: v for r in records.values() for k, v in r.answers.items()}
        self.helpers = {k: v for r in records.values() for k, v in r.helpers.items()}

    def answer(self, function: str, case: Case):
        outcome = self.answers.get(question(function, case))
        if outcome is None:
            raise NotRecorded(f"no recorded answer of {function} for {case.describe()}")
        return replay(outcome)

    def helper(self, name: str, args: tuple, kwargs: dict):
        """The recorded answer to a declared helper call; NotRecorded lets the student's own helper answer."""
        key = helper_key(name, args, kwargs, self.signatures.get(name, []))
        outcome = self.helpers.get(key) if key else None
        if outcome is None:
            raise NotRecorded(f"no recorded answer of {name} for these arguments")
        return replay(outcome)

    def foreseen(self, function: str, helpers: tuple, args: tuple, kwargs: dict) -> list:
        """Nothing travels with a call: each helper call of the student's function asks `helper`, which
        answers from the recording."""
        return []

    def cases(self, check):
        record = self.records.get(check.function)
        indices = record.checks.get(check.name) if record else None
        return None if indices is None else [record.cases[i] for i in indices]

    def case_count(self) -> int:
        return sum(len(ids) for r in self.records.values() for ids in r.checks.values())

    def preview_note(self, seed: int) -> str:
        return _(PREVIEW_NOTE).format(cases=self.case_count(), fingerprint=self.fingerprint, seed=seed)
