"""The `grade` subcommands, one module per verb; `grader.cli` registers them."""

from .audit import audit_command
from .batch import batch, merge
from .check import check
from .generate import generate_command, init_command
from .gradescope_bundle import gradescope_bundle, gradescope_run
from .release import release_command

COMMANDS = (check, batch, merge, release_command, gradescope_bundle, gradescope_run, generate_command,
            init_command, audit_command)
