"""`grade gradescope-bundle`: the autograder zip of a Gradescope assignment."""

from __future__ import annotations

from pathlib import Path

import click

from ..gradescope_bundle import build_bundle


@click.command("gradescope-bundle")
@click.argument("out_zip", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--source", metavar="PIP_SPEC", default=None,
              help="What the autograder pip-installs (e.g. convgrade==0.1.0 or a git URL); default: ships "
                   "this checkout's source in the zip.")
def gradescope_bundle(out_zip, source):
    """Write OUT_ZIP, the autograder zip of a Gradescope programming assignment."""
    try:
        path = build_bundle(out_zip, source=source)
    except FileNotFoundError as exc:
        raise click.ClickException(f"{exc}; pass --source with a pip requirement instead") from None
    click.echo(f"wrote {path}: upload it as the autograder of a Gradescope programming assignment")
