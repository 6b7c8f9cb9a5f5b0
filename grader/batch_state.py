"""The trusted part of a batch's output folder: what a re-run and `grade merge` believe, signed.

    .state/key                    the folder's HMAC key (created once, 0600, in a 0700 folder)
    .state/submissions/<id>.json  status, reason, cache key, settings (the real seed among them), and the
                                  sha256 of every file written for the submission
    .state/gradebook.json         the ids of the last finished run (what `grade merge` joins)

Each state and the manifest carry an HMAC-SHA256 under the folder's key. No worker ever sees the output
folder (bubblewrap does not mount it; a plain-process worker of root runs in an empty root folder), so
only the grader can write a state that verifies. A state whose HMAC does not verify, or whose files have
changed since it was written, counts as missing: a re-run grades that submission again, `grade merge`
refuses the folder.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from .results import GradeResult

STATE_DIR = ".state"
MANIFEST = "gradebook.json"
KEY_FILE = "key"


@dataclass
class Record:
    id: str
    status: str  # complete | error
    reason: str
    key: str  # the cache key: the submission's sha256 and every setting its grade depends on
    settings: dict
    result: GradeResult
    clash: str = ""  # when several entries claimed its id (see batch_job.find_entries)
    files: dict = field(default_factory=dict)  # path in the output folder -> sha256 of its text
    run: str = ""  # the run that graded it


def result_path(out: Path, entry_id: str) -> Path:
    return Path(out) / "results" / f"{entry_id}.json"


def state_path(out: Path, entry_id: str) -> Path:
    return Path(out) / STATE_DIR / "submissions" / f"{entry_id}.json"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def folder_key(out: Path, create: bool = True) -> bytes | None:
    """The HMAC key of the output folder `out`, created on first use with `create` (the folder .state/
    then made private); None when there is none."""
    folder = Path(out) / STATE_DIR
    path = folder / KEY_FILE
    if create:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32) + "\n")
        except FileExistsError:
            pass
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        return f.read(200).strip() or None


def signed_json(data: dict, key: bytes) -> str:
    body = json.dumps(data, sort_keys=True)
    mac = hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()
    return json.dumps({**data, "mac": mac}, indent=2, sort_keys=True) + "\n"


def verified_json(path: Path, key: bytes | None) -> dict | None:
    """The data of a file written by `signed_json` under `key`; None when it is missing or does not verify."""
    if key is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        mac = data.pop("mac")
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return None
    body = json.dumps(data, sort_keys=True).encode("utf-8")
    good = isinstance(mac, str) and hmac.compare_digest(mac, hmac.new(key, body, hashlib.sha256).hexdigest())
    return data if good else None


def write_state(out: Path, record: Record) -> str:
    """The text of the signed state of `record` (its files already written, with their hashes in it)."""
    return signed_json({"id": record.id, "status": record.status, "reason": record.reason, "key": record.key,
                        "settings": record.settings, "clash": record.clash, "files": record.files,
                        "run": record.run}, folder_key(out))


def read_record(out: Path, entry_id: str) -> Record | None:
    """The record of `entry_id` in `out`, or None when its state is missing or does not verify, or one of
    its files is missing or changed."""
    state = verified_json(state_path(out, entry_id), folder_key(out, create=False))
    if state is None or state.get("id") != entry_id or not isinstance(state.get("files"), dict):
        return None
    for name, digest in state["files"].items():
        try:
            if sha256((Path(out) / name).read_text(encoding="utf-8")) != digest:
                return None
        except (OSError, ValueError):
            return None
    try:
        result = GradeResult.from_dict(json.loads(result_path(out, entry_id).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return Record(entry_id, state.get("status", "complete"), state.get("reason", ""), state.get("key", ""),
                  state.get("settings", {}), result, state.get("clash", ""), state["files"], state.get("run", ""))


def manifest_json(out: Path, ids: list[str], shard: str | None, settings: dict | None) -> str:
    """`.state/gradebook.json`: the ids of the last finished run, its shard ("i/n", or None for a whole
    class) and its settings, which `grade merge` joins and checks."""
    return signed_json({"ids": sorted(ids), "shard": shard, "settings": settings}, folder_key(out))


def read_manifest_data(out: Path) -> dict | None:
    """The manifest of the last finished run in `out`; None when none finished, or it does not verify."""
    data = verified_json(Path(out) / STATE_DIR / MANIFEST, folder_key(out, create=False))
    ids = data.get("ids") if data else None
    if not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
        return None
    return data
