"""`grade generate` (instructors) and `grade init` (students): write the student material."""

from __future__ import annotations

from pathlib import Path

import click

from ..generate import (MANIFEST, NOTEBOOK_DIR, GenerateError, differences, find_checkout, generate_files,
                        hand_edited, installed_solutions, previous_generation, write_files)


@click.command("generate")
@click.option("--solutions", "solutions_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=None, help="Folder of the reference modules  [default: solutions/ of this checkout]")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write  [default: exercises/ of this checkout]")
@click.option("--check", is_flag=True, help="Write nothing; list the differences and exit 1 if there are any.")
@click.option("--force", is_flag=True, help="Also overwrite files changed by hand since the last generation.")
def generate_command(solutions_dir, output, check, force):
    """Generate the exercises and notebooks from the reference solutions (instructors).

    Acts on the convgrade checkout that holds the current folder. A file changed by hand since the last
    generation is never overwritten without --force.
    """
    checkout = find_checkout(Path.cwd())
    if output is None and checkout is None:
        raise click.UsageError(f"{str(Path.cwd())!r} is not inside a convgrade checkout (a folder with a "
                               f"pyproject.toml naming convgrade next to solutions/): run this in your checkout, "
                               f"or pass --output DIR. Students: `grade init DEST` writes the exercises.")
    solutions_dir = solutions_dir or (checkout / "solutions" if checkout else installed_solutions())
    output = output or checkout / "exercises"
    try:
        files = generate_files(solutions_dir)
    except GenerateError as exc:
        raise click.ClickException(str(exc)) from None
    if check:
        report_differences(files, output)
        return
    edited = hand_edited(files, output)
    if edited and not force:
        listing = "\n".join(f"  {path}" for path in edited)
        why = ("were changed by hand since the last generation" if previous_generation(output) else
               f"differ from what generation writes, and there is no {MANIFEST} (the record of the last "
               f"generation) to tell that they are its own")
        raise click.UsageError(f"{str(output)!r}: these files {why}; nothing was written:\n{listing}\n"
                               f"Move your changes to {solutions_dir} (the single source), or pass --force to "
                               f"overwrite them (the changes there are lost).")
    stale = sorted(rel for rel in previous_generation(output) if rel not in files and (output / rel).is_file())
    written = write_files(files, output)
    for path in written:
        click.echo(f"wrote {path}")
    for rel in stale:
        click.echo(f"no longer generated (remove it if it is not yours): {output / rel}")
    click.echo(f"{output}: {len(written)} of {len(files)} files written"
               + ("" if written else " (already up to date)") + ".")


def report_differences(files: dict[str, str], output: Path) -> None:
    """`grade generate --check`: list what differs, exit 1 if anything does."""
    diff = differences(files, output)
    for line in diff:
        click.echo(line)
    if diff:
        click.echo(f"{output} is out of date: run `grade generate` and commit the result.", err=True)
        raise click.exceptions.Exit(1)
    click.echo(f"{output} is up to date ({len(files)} files).")


@click.command("init")
@click.argument("dest", required=False, default="convgrade-exercises", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files that already exist in DEST.")
def init_command(dest, force):
    """Write the exercises and notebooks into DEST (default: ./convgrade-exercises)."""
    if dest.exists() and not dest.is_dir():
        raise click.UsageError(f"{str(dest)!r} exists and is not a folder.")
    files = generate_files(installed_solutions())
    existing = [rel for rel in files if (dest / rel).exists()]
    if existing and not force:
        listing = "\n".join(f"  {dest / rel}" for rel in existing)
        raise click.UsageError(f"{len(existing)} of the files `grade init` writes already exist in "
                               f"{str(dest)!r}; nothing was written:\n{listing}\n"
                               f"Pass --force to overwrite them (your changes there are lost), or choose "
                               f"another folder.")
    write_files(files, dest)
    click.echo(f"Wrote the exercises to {dest}/ and the notebooks to {dest / NOTEBOOK_DIR}/.\n"
               f"Fill in the functions, then run `grade {dest}`; or open the notebooks in Jupyter and run "
               f"their grading cells.")
