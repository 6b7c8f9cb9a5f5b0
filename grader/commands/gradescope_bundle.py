"""`grade gradescope-bundle` (the autograder zip of a Gradescope assignment) and `grade gradescope-run`
(what its run_autograder calls for every submission)."""

from __future__ import annotations

from pathlib import Path

import click

from ..bwrap import MODES
from ..gradescope_bundle import BundleError, autograde, build_bundle
from ..sandbox import InfrastructureError
from .options import GradingStopped, course_policy, secret_seed_option


@click.command("gradescope-bundle")
@click.argument("out_zip", type=click.Path(dir_okay=False, path_type=Path))
@secret_seed_option
@click.option("--source", metavar="PIP_SPEC", default=None,
              help="What the autograder pip-installs (e.g. a git URL of your convgrade); default: ships "
                   "this checkout's grader in the zip.")
@click.option("--reference", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder of the reference solutions  [default: this checkout's solutions/]")
@click.option("--policy", "policy_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The course's grading policy the bundle grades under (default: found in the folder of "
                   "OUT_ZIP, or above it).")
def gradescope_bundle(out_zip, seed, source, reference, policy_file):
    """Write OUT_ZIP, the autograder zip of a Gradescope programming assignment: it grades every submission
    with the reference at your secret seed (from --seed-file or $CONVGRADE_SEED, never the command line)
    under your course's grading policy."""
    policy = course_policy(policy_file, out_zip)
    try:
        path = build_bundle(out_zip, seed, source=source, reference=reference, policy=policy)
    except FileNotFoundError as exc:
        raise click.ClickException(f"{exc}; pass --source with a pip requirement instead") from None
    except BundleError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {path} (policy {policy.fingerprint}): upload it as the autograder of a Gradescope "
               f"programming assignment")


@click.command("gradescope-run", hidden=True)
@click.argument("root", type=click.Path(file_okay=False, exists=True, path_type=Path))
@secret_seed_option
@click.option("--sandbox", type=click.Choice(MODES), default="auto", show_default=True,
              help="Worker isolation (auto: bubblewrap when it works here, else a plain process that drops to "
                   "a uid of its own in an empty root folder).")
def gradescope_run(root, seed, sandbox):
    """Grade ROOT/submission into ROOT/results/results.json (run_autograder of a bundle calls this)."""
    try:
        autograde(root, seed, sandbox=sandbox)
    except BundleError as exc:
        raise click.ClickException(str(exc)) from None
    except InfrastructureError as exc:
        raise GradingStopped(str(exc), "No results were written; Gradescope shows the run as failed.") from None
