"""`grade gradescope-bundle` (the autograder zip of a Gradescope assignment) and `grade gradescope-run`
(what its run_autograder calls for every submission)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..bwrap import MODES
from ..gradescope_bundle import BundleError, autograde, build_bundle

SEED_VARIABLE = "CONVGRADE_SEED"


def secret_seed(seed_file: Path | None) -> int:
    """The seed from --seed-file, else from $CONVGRADE_SEED: never from the command line itself."""
    text = seed_file.read_text() if seed_file else os.environ.get(SEED_VARIABLE, "")
    if not text.strip():
        raise click.UsageError(f"the bundle needs your secret seed: pass --seed-file PATH or set {SEED_VARIABLE}")
    try:
        return int(text.strip())
    except ValueError:
        raise click.UsageError("the secret seed must be an integer") from None


@click.command("gradescope-bundle")
@click.argument("out_zip", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--seed-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help=f"File holding the secret seed the bundle grades at  [default: ${SEED_VARIABLE}]")
@click.option("--source", metavar="PIP_SPEC", default=None,
              help="What the autograder pip-installs (e.g. a git URL of your convgrade); default: ships "
                   "this checkout's grader in the zip.")
@click.option("--reference", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder of the reference solutions  [default: this checkout's solutions/]")
def gradescope_bundle(out_zip, seed_file, source, reference):
    """Write OUT_ZIP, the autograder zip of a Gradescope programming assignment: it grades every submission
    with the reference at your secret seed (from --seed-file or $CONVGRADE_SEED, never the command line)."""
    seed = secret_seed(seed_file)
    try:
        path = build_bundle(out_zip, seed, source=source, reference=reference)
    except FileNotFoundError as exc:
        raise click.ClickException(f"{exc}; pass --source with a pip requirement instead") from None
    except BundleError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {path}: upload it as the autograder of a Gradescope programming assignment")


@click.command("gradescope-run", hidden=True)
@click.argument("root", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--sandbox", type=click.Choice(MODES), default="auto", show_default=True,
              help="Worker isolation (auto: bubblewrap when it works here, else a plain process under a uid "
                   "of its own).")
def gradescope_run(root, sandbox):
    """Grade ROOT/submission into ROOT/results/results.json (run_autograder of a bundle calls this)."""
    try:
        autograde(root, sandbox=sandbox)
    except BundleError as exc:
        raise click.ClickException(str(exc)) from None
