"""Options shared by several commands, declared once."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from ..bwrap import MODES
from ..defaults import DEFAULT_EXAMPLES, DEFAULT_SEED, DEFAULT_TIMEOUT
from ..i18n import LANGUAGES, use_language
from ..policy import Policy, PolicyError, find_policy, load_policy, policy_start


def only_option(f):
    return click.option("--only", multiple=True, metavar="NAME",
                        help="Grade only this function or module (repeatable).")(f)


def grading_options(f):
    """--seed, --examples, --timeout, --sandbox and --policy: everything a grade depends on besides the
    submission (applied last to first, so that they are listed in this order). --examples and --timeout
    default to the policy's (see `course_policy`)."""
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
    f = click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
                     help="Seed of the generated cases (instructors: pass a secret one).")(f)
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
