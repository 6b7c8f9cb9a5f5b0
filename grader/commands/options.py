"""Options shared by several commands, declared once."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..defaults import DEFAULT_EXAMPLES, DEFAULT_SEED, DEFAULT_TIMEOUT
from ..bwrap import MODES

SEED_ENV = "CONVGRADE_SEED"
SEED_FILE_BYTES = 100


class GradingStopped(click.ClickException):
    """Grading could not be done, and not because of the submission (the sandbox failed): exit status 3."""

    exit_code = 3

    def __init__(self, why: str, kept: str):
        super().__init__(f"grading stopped: {why}. {kept}")


def only_option(f):
    return click.option("--only", multiple=True, metavar="NAME",
                        help="Grade only this function or module (repeatable).")(f)


def grading_options(f):
    """--seed (or --seed-file, or $CONVGRADE_SEED), --examples, --timeout and --sandbox: everything a grade
    depends on besides the submission."""
    f = click.option("--seed", type=int, default=None, callback=_resolve_seed,
                     help=f"Seed of the generated cases [default: {DEFAULT_SEED}]. Instructors: keep yours secret with --seed-file or "
                          f"${SEED_ENV} (a command line is visible to every user of the machine); reports "
                          f"show only its fingerprint.")(f)
    f = click.option("--seed-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), is_eager=True,
                     expose_value=False, callback=_remember_seed_file,
                     help="Read the seed from this file (one integer) instead of the command line.")(f)
    f = click.option("--examples", type=click.IntRange(1, 10_000), default=DEFAULT_EXAMPLES, show_default=True,
                     help="Generated examples per property.")(f)
    f = click.option("--timeout", type=click.FloatRange(0.1, 600), default=DEFAULT_TIMEOUT, show_default=True,
                     help="Seconds one call of a student function may take.")(f)
    f = click.option("--sandbox", type=click.Choice(MODES), default="auto", show_default=True,
                     help="Worker isolation: bwrap (bubblewrap), a plain process, or auto.")(f)
    return f


def _remember_seed_file(ctx, param, value):
    ctx.meta["convgrade.seed_file"] = value


def _resolve_seed(ctx, param, value):
    """--seed or --seed-file (not both), else $CONVGRADE_SEED, else the default. An unreadable secret is
    never echoed back in the error."""
    seed_file = ctx.meta.get("convgrade.seed_file")
    if seed_file is not None and value is not None:
        raise click.UsageError("give the seed once: --seed or --seed-file, not both")
    if value is not None:
        return value
    if seed_file is not None:
        with open(seed_file, "rb") as f:
            return _parse_seed(f.read(SEED_FILE_BYTES + 1), f"--seed-file {str(seed_file)!r}")
    if os.environ.get(SEED_ENV, "").strip():
        return _parse_seed(os.environ[SEED_ENV].encode(), f"${SEED_ENV}")
    return DEFAULT_SEED


def _parse_seed(data: bytes, where: str) -> int:
    try:
        if len(data) <= SEED_FILE_BYTES:
            return int(data.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        pass
    raise click.UsageError(f"{where} must hold one integer (decimal digits, at most {SEED_FILE_BYTES} "
                           f"characters); its content is not shown here because it is meant to be secret")
