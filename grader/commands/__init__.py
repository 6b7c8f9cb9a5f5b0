"""The `grade` subcommands, one module per verb; `grader.cli` registers them.

Student commands are listed first in `grade --help`, instructor commands in a section of their own.
"""

from .audit import audit_command
from .batch import batch, merge
from .check import check
from .generate import generate_command, init_command
from .gradescope_bundle import gradescope_bundle

STUDENT_COMMANDS = (check, init_command)
INSTRUCTOR_COMMANDS = (batch, merge, gradescope_bundle, generate_command, audit_command)
