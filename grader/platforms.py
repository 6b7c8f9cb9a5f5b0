"""Where convgrade runs: Linux (bubblewrap sandbox), macOS and WSL (plain-process workers), not Windows.

The worker and its client need POSIX modules (fcntl, resource, ...) and `fork`; on Windows the `grade`
command says so in one sentence instead of a traceback.
"""

from __future__ import annotations

POSIX_MODULES = frozenset({"fcntl", "resource", "termios", "pwd", "grp", "posix"})


def is_missing_posix(exc: ImportError) -> bool:
    """Whether `exc` is the import of a POSIX-only module failing (Python on Windows)."""
    return isinstance(exc, ModuleNotFoundError) and exc.name in POSIX_MODULES


def unsupported_message(exc: ImportError) -> str:
    return (f"convgrade runs on Linux, macOS and WSL, not on Windows itself (this Python has no {exc.name} "
            f"module, which its sandbox needs): install WSL (https://learn.microsoft.com/windows/wsl/install) "
            f"and run grade inside it.")
