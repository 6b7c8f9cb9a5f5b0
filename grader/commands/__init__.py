"""The `grade` subcommands, one module per verb; `grader.cli` registers them.

A command's module (and what it imports) is loaded only when the command runs or the help lists it, so
that `grade PATH` imports only what grading needs. Student commands are listed first in `grade --help`,
instructor commands in a section of their own.
"""

from __future__ import annotations

import importlib

STUDENT_COMMANDS = {"check": ("check", "check"), "init": ("generate", "init_command")}  # name -> (module, attribute)
INSTRUCTOR_COMMANDS = {"batch": ("batch", "batch"), "merge": ("batch", "merge"),
                       "gradescope-bundle": ("gradescope_bundle", "gradescope_bundle"),
                       "generate": ("generate", "generate_command"), "audit": ("audit", "audit_command")}
COMMANDS = {**STUDENT_COMMANDS, **INSTRUCTOR_COMMANDS}


def load_command(name: str):
    """The click command called `name` (one of COMMANDS), its module imported on first use."""
    module, attribute = COMMANDS[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
