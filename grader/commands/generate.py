"""`grade generate` (instructors) and `grade init` (students): write the student material."""

from __future__ import annotations

from pathlib import Path

import click

from ..distribution import installed_wheel
from ..generate import NOTEBOOK_DIR, REPO, GenerateError, differences, generate_files, write_files
from ..reference import ReferenceMissing, solutions_dir as reference_solutions
from ..release import WHEEL_DIR, student_files, write_tree

@click.command("generate")
@click.option("--solutions", "solutions_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=None, help="Folder of the reference modules  [default: the repository's solutions/]")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write  [default: the repository's exercises/]")
@click.option("--check", is_flag=True, help="Write nothing; list the differences and exit 1 if there are any.")
def generate_command(solutions_dir, output, check):
    """Generate the exercises and notebooks from the reference solutions (instructors)."""
    checkout = (REPO / "pyproject.toml").is_file() and (REPO / "solutions").is_dir()
    if output is None and not checkout:
        raise click.UsageError("not run from a source checkout of convgrade: pass --output DIR "
                               "(students: `grade init DEST` writes the exercises)")
    try:
        solutions_dir = solutions_dir or reference_solutions()
    except ReferenceMissing as exc:
        raise click.UsageError(f"{exc}: pass --solutions DIR") from None
    output = output or REPO / "exercises"
    try:
        files = generate_files(solutions_dir)
    except GenerateError as exc:
        raise click.ClickException(str(exc)) from None
    if check:
        diff = differences(files, output)
        for line in diff:
            click.echo(line)
        if diff:
            click.echo(f"{output} is out of date: run `grade generate` and commit the result.", err=True)
            raise click.exceptions.Exit(1)
        click.echo(f"{output} is up to date ({len(files)} files).")
        return
    written = write_files(files, output)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"{output}: {len(written)} of {len(files)} files written"
               + ("" if written else " (already up to date)") + ".")


@click.command("init")
@click.argument("dest", required=False, default="convgrade-exercises", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files that already exist in DEST.")
def init_command(dest, force):
    """Write the student files of a release into DEST (default: ./convgrade-exercises): the exercises and
    notebooks, a README, the GitHub Classroom workflow and, from an installed release, its wheel."""
    if dest.exists() and not dest.is_dir():
        raise click.UsageError(f"{str(dest)!r} exists and is not a folder.")
    try:
        files = student_files()
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    existing = [rel for rel in files if (dest / rel).exists()]
    if existing and not force:
        listing = "\n".join(f"  {dest / rel}" for rel in existing)
        raise click.UsageError(f"{len(existing)} of the files `grade init` writes already exist in "
                               f"{str(dest)!r}; nothing was written:\n{listing}\n"
                               f"Pass --force to overwrite them (your changes there are lost), or choose "
                               f"another folder.")
    write_tree(files, dest)
    wheel = installed_wheel(dest / WHEEL_DIR)
    click.echo(f"Wrote the exercises to {dest / 'exercises'}/ and the notebooks to "
               f"{dest / 'exercises' / NOTEBOOK_DIR}/"
               + (f", and this grader's wheel to {wheel}" if wheel else "") + ".\n"
               f"Fill in the functions, then run `grade` in {dest}/ (or `grade {dest / 'exercises'}`); or open "
               f"the notebooks in Jupyter and run their grading cells. {dest / 'README.md'} says more.")
