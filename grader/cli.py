"""The `grade` command group: `grade [PATH]` grades, the subcommands live in `grader.commands`."""

from __future__ import annotations

import click

from .commands import COMMANDS
from .commands.check import NAME as DEFAULT_COMMAND


class DefaultGroup(click.Group):
    """`grade PATH` means `grade check PATH`; `grade batch ...` and the other subcommands stay as they are."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="convgrade")
def main():
    """Grade convolutional-network exercises.

    \b
    grade                       grade ./exercises
    grade PATH                  grade a folder, a .py file or a notebook
    grade batch DIR -o OUT      grade a whole class (instructors)
    grade release DEST          a student repository without the reference (instructors)
    grade init DEST             copy the exercises and notebooks to DEST
    """


for _command in COMMANDS:
    main.add_command(_command)
