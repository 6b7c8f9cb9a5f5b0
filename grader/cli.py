"""The `grade` command group: `grade [PATH]` grades, the subcommands live in `grader.commands`."""

from __future__ import annotations

import click

from .platforms import is_missing_posix, unsupported_message

try:
    from .commands import COMMANDS, INSTRUCTOR_COMMANDS, STUDENT_COMMANDS, load_command
    from .commands.check import NAME as DEFAULT_COMMAND  # imported at once: grading needs the sandbox's modules
except ImportError as exc:  # Windows: no fcntl, resource, ...; `main` says so (see the end of this module)
    if not is_missing_posix(exc):
        raise
    UNSUPPORTED = unsupported_message(exc)
else:
    UNSUPPORTED = None

IMPLICIT = "grade.implicit-command"


class UnnamedContext(click.Context):
    """The default command's context when its name was not typed: usage and errors say `grade ...`."""

    @property
    def command_path(self) -> str:
        return super().command_path.rstrip()


class DefaultGroup(click.Group):
    """`grade PATH` means `grade check PATH`; `grade batch ...` and the other subcommands stay as they are.

    `grade --help` shows the grading options next to the subcommands, students' commands apart from
    instructors' ones. A subcommand's module is imported when it is first asked for (grader.commands).
    """

    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in self.commands and name in COMMANDS:
            self.add_command(load_command(name))
            if name == DEFAULT_COMMAND:
                self.commands[name].context_class = UnnamedContext
        return self.commands.get(name)

    def parse_args(self, ctx, args):
        if not args or (args[0] not in COMMANDS and args[0] not in ("--help", "-h", "--version")):
            args = [DEFAULT_COMMAND, *args]
            ctx.meta[IMPLICIT] = True
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx, args):
        name, command, rest = super().resolve_command(ctx, args)
        return (None if ctx.meta.pop(IMPLICIT, False) else name), command, rest

    def format_usage(self, ctx, formatter):
        default = self.get_command(ctx, DEFAULT_COMMAND)
        prefix = "Usage: "
        formatter.write_usage(ctx.command_path, " ".join(default.collect_usage_pieces(ctx)), prefix)
        formatter.write(f"{' ' * len(prefix)}{ctx.command_path} COMMAND [ARGS]...\n")

    def format_options(self, ctx, formatter):
        default = self.get_command(ctx, DEFAULT_COMMAND)
        scratch = click.Context(default, parent=ctx)
        records = [record for param in default.get_params(scratch)
                   if param.name != "help" and (record := param.get_help_record(scratch))]
        with formatter.section("Grading options"):
            formatter.write_dl(records)
        super().format_options(ctx, formatter)

    def format_commands(self, ctx, formatter):
        for title, names in (("Commands", STUDENT_COMMANDS), ("Instructor commands", INSTRUCTOR_COMMANDS)):
            shown = [c for c in (self.get_command(ctx, name) for name in names) if not c.hidden]
            limit = formatter.width - 6 - max(len(c.name) for c in shown)
            with formatter.section(title):
                formatter.write_dl([(c.name, c.get_short_help_str(limit)) for c in shown])


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="convgrade")
def main():
    """Grade your convolutional-network exercises: PATH (default ./exercises) is a folder of exercise
    modules, a .py file, a notebook or a folder of notebooks."""


if UNSUPPORTED is not None:
    @click.command(add_help_option=False,
                   context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    def main():
        """convgrade does not run on this system."""
        click.echo(UNSUPPORTED, err=True)
        raise click.exceptions.Exit(2)
