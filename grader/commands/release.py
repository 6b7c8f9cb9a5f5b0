"""`grade release DEST`: a student repository without the reference (instructors)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..release import ReleaseError, make_release


@click.command("release")
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--seed", type=int, default=None,
              help="Seed of the recorded cases  [default: a fresh random one]. Never use your grading seed: "
                   "students can read the recorded cases.")
@click.option("--reference", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder of the reference solutions  [default: this checkout's solutions/]")
def release_command(dest, seed, reference):
    """Write a student release into DEST: the exercises and notebooks, a README, the GitHub Classroom
    workflow, and a wheel of the grader that grades with the reference's answers recorded at the release
    seed instead of the reference itself (instructors). DEST must be new or empty."""
    if seed is not None and os.environ.get("CONVGRADE_SEED", "").strip() == str(seed):
        raise click.UsageError("--seed is your grading seed (CONVGRADE_SEED): students can read every recorded "
                               "case, so the release needs a seed of its own")
    try:
        release = make_release(dest, seed=seed, reference=reference,
                               progress=lambda name: click.echo(f"recording {name}", err=True))
    except ReleaseError as exc:
        raise click.ClickException(str(exc)) from None
    replayed = [n for checks in release.cases.values() for n in checks.values()]
    click.echo(f"wrote the release to {release.dest}/ ({release.size / 2**20:.1f} MiB): the grader is "
               f"{release.wheel.relative_to(release.dest)}, with {sum(replayed)} recorded cases for "
               f"{len(replayed)} checks (release seed fingerprint {release.seed_fingerprint}).\n"
               f"Make it the template repository of your class, or hand it out; grade the work students "
               f"hand in with `grade batch` at your secret seed (see docs/deploying.md).")
