"""The `grade` subcommands, one module per verb; `grader.cli` registers them."""

from .audit import audit_command
from .batch import batch, merge
from .check import check
from .generate import generate_command, init_command
from .gradescope_bundle import gradescope_bundle

COMMANDS = (check, batch, merge, gradescope_bundle, generate_command, init_command, audit_command)
