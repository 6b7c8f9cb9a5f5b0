"""Options shared by several commands, declared once."""

from __future__ import annotations

import functools

import click

from ..defaults import DEFAULT_EXAMPLES, DEFAULT_SEED, DEFAULT_TIMEOUT
from ..bwrap import MODES
from ..i18n import LANGUAGES, use_language


def only_option(f):
    return click.option("--only", multiple=True, metavar="NAME",
                        help="Grade only this function or module (repeatable).")(f)


def grading_options(f):
    """--seed, --examples, --timeout and --sandbox: everything a grade depends on besides the submission
    (applied last to first, so that they are listed in this order)."""
    f = click.option("--sandbox", type=click.Choice(MODES), default="auto", show_default=True,
                     help="Worker isolation: bwrap (bubblewrap), a plain process, or auto.")(f)
    f = click.option("--timeout", type=click.FloatRange(0.1, 600), default=DEFAULT_TIMEOUT, show_default=True,
                     help="Seconds one call of a student function may take.")(f)
    f = click.option("--examples", type=click.IntRange(1, 10_000), default=DEFAULT_EXAMPLES, show_default=True,
                     help="Generated examples per property.")(f)
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
