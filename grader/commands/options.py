"""Options shared by several commands, declared once."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import click

from ..bwrap import MODES
from ..defaults import DEFAULT_EXAMPLES, DEFAULT_SEED, DEFAULT_TIMEOUT
from ..i18n import LANGUAGES, use_language
from ..policy import Policy, PolicyError, find_policy, load_policy, policy_start

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
    """--seed (or --seed-file, or $CONVGRADE_SEED), --examples, --timeout, --sandbox and --policy: everything
    a grade depends on besides the submission (applied last to first, so that they are listed in this
    order). --examples and --timeout default to the policy's (see `course_policy`)."""
    f = click.option("--policy", "policy_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="The course's grading policy: a pyproject.toml with [tool.convgrade], or a "
                          "convgrade.toml (default: found in the folder holding PATH, or above it).")(f)
    f = click.option("--sandbox", type=click.Choice(MODES), default="auto", show_default=True,
                     help="Worker isolation: bwrap (bubblewrap), a plain process, or auto.")(f)
    f = click.option("--timeout", type=click.FloatRange(0.1, 600), default=None,
                     show_default=f"{DEFAULT_TIMEOUT:g}, or the policy's",
                     help="Seconds one call of a student function may take.")(f)
    f = click.option("--examples", type=click.IntRange(1, 10_000), default=None,
                     show_default=f"{DEFAULT_EXAMPLES}, or the policy's", help="Generated examples per property.")(f)
    f = click.option("--seed-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), is_eager=True,
                     expose_value=False, callback=_remember_seed_file,
                     help="Read the seed from this file (one integer) instead of the command line.")(f)
    f = click.option("--seed", type=int, default=None, callback=_resolve_seed,
                     help=f"Seed of the generated cases [default: {DEFAULT_SEED}]. Instructors: keep yours secret "
                          f"with --seed-file or ${SEED_ENV} (a command line is visible to every user of the "
                          f"machine); reports show only its fingerprint.")(f)
    return f


def language_option(f):
    """--lang: the language of the reports and messages; the command runs in it."""

    @functools.wraps(f)
    def in_language(*args, lang, **kwargs):
        with use_language(lang):
            return f(*args, **kwargs)

    return click.option("--lang", type=click.Choice(LANGUAGES), default=None,
                        help="Language of the reports: en or ko  [default: ko for a Korean locale "
                             "(LC_ALL, LC_MESSAGES, LANG), else en]")(in_language)


def course_policy(policy_file: Path | None, graded: Path, **settings) -> Policy:
    """The policy of --policy FILE, or the one found above `graded`, with the settings given on the command
    line (None keeps the policy's); a bad policy file is a usage error."""
    try:
        policy = load_policy(policy_file) if policy_file else find_policy(policy_start(graded))
    except PolicyError as exc:
        raise click.UsageError(str(exc)) from None
    if policy.source:
        click.echo(f"note: grading policy: {policy.source}", err=True)
    return policy.with_settings(**settings)


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
