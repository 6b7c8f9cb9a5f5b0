"""What the grader says, in the student's language: English (the source) or Korean.

Messages are written in English in the code and looked up, when they are shown, in a gettext catalog
of the current language:

    from .i18n import _, N_
    _("Total: {score} / {max_score}").format(score=..., max_score=...)   # a message built at call time
    STATUS = {"failed": N_("failed")}    # defined at import: marked here, translated where shown, _(...)

Placeholders are named (`{score}`), never positional, so a translation may put them in another order;
the tests refuse a translation whose placeholders differ from its message's. The catalogs are
`grader/locale/<lang>/LC_MESSAGES/convgrade.po` (edited by hand), compiled to the `.mo` file next to
each by `python -m grader.po` and shipped with the package (see `grader.po`).

The language is the one chosen with `use_language` (`grade --lang`, `grade_cells(lang=...)`), else
Korean when the first of LC_ALL, LC_MESSAGES and LANG that is set is a Korean locale (`ko_KR.UTF-8`),
else English.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import os
import re
from pathlib import Path

DOMAIN = "convgrade"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "ko")
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # in order of precedence, as in POSIX

_chosen: str | None = None  # set by use_language; None: follow the environment


def check_language(lang: str | None) -> str | None:
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"'lang' must be one of {', '.join(LANGUAGES)} (got {lang!r})")
    return lang


def language_from_env(env=None) -> str:
    """'ko' when the first locale variable that is set names Korean (ko, ko_KR.UTF-8, ko_KR@...), else 'en'."""
    env = os.environ if env is None else env
    value = next((env[name] for name in LOCALE_VARIABLES if env.get(name)), "")
    return "ko" if re.split(r"[_.@]", value)[0].lower() == "ko" else SOURCE_LANGUAGE


def current_language() -> str:
    return _chosen or language_from_env()


@contextlib.contextmanager
def use_language(lang: str | None):
    """Messages in `lang` inside the block; None keeps the language chosen around it (or the locale's)."""
    global _chosen
    previous = _chosen
    _chosen = check_language(lang) or previous
    try:
        yield current_language()
    finally:
        _chosen = previous


@functools.lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of `lang`; English is the source and needs none."""
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])


def _(message: str) -> str:
    """`message` in the current language."""
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for `n`, in the current language."""
    return translations(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for translation where it is defined; translate it with `_()` where it is shown."""
    return message
