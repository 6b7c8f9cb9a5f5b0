"""Notes shown once per user and machine, remembered in a small state file in the user's cache folder
(`$XDG_CACHE_HOME/convgrade`, by default `~/.cache/convgrade`).

The state file only ever saves a repetition: when it cannot be read or written (a read-only home, no
home at all), the note is shown again, and grading goes on as if nothing happened.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from pathlib import Path

from .fileio import write_atomically

STATE_FILE = "notes-shown.json"


def cache_dir(env=None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "convgrade"


def unseen(text: str, env=None) -> bool:
    """Whether `text` was never shown to this user on this machine; from now on it has been.

    A note whose text changes (a new version, another situation) counts as a new note."""
    key = f"{socket.gethostname()}:{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"
    path = cache_dir(env) / STATE_FILE
    try:
        shown = json.loads(path.read_text(encoding="utf-8"))["shown"]
        shown = [k for k in shown if isinstance(k, str)]
    except (OSError, ValueError, KeyError, TypeError):
        shown = []
    if key in shown:
        return False
    try:
        write_atomically(path, json.dumps({"shown": [*shown, key]}, indent=2) + "\n")
    except OSError:
        pass
    return True
