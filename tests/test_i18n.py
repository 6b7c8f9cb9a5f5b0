"""Messages in the student's language: the catalogs, the choice of language, and Korean reports."""

import fnmatch
import gettext
import io
import shutil
import subprocess
import tomllib

import pytest
from click.testing import CliRunner

from grader.batch_job import Settings
from grader.cli import main
from grader.i18n import (LOCALE_VARIABLES, _, current_language, language_from_env, translations,
                         use_language)
from grader.notebook_grading import grade_cells
from grader.po import (CatalogError, catalogs, compile_mo, parse_po, placeholders, problems, read_catalog,
                       stale_mo_files)
from grader.report_text import STATUS_WORDS, render_feedback_markdown, render_text, status_word
from grading_helpers import REPO, SOLUTIONS, stub_folder
from sample_results import mixed_result


@pytest.fixture(autouse=True)
def english_locale(monkeypatch):
    """Tests start from no locale at all (English), whatever the machine's."""
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


# ------------------------------------------------------------------------------------- the catalogs
def test_every_message_has_a_korean_translation_with_the_same_placeholders():
    assert "ko" in catalogs()
    assert problems("ko") == []


def test_the_catalog_check_finds_untranslated_unused_and_mistranslated_messages(tmp_path):
    po = tmp_path / "ko.po"
    po.write_text('msgid "Total: {score} / {max_score}"\nmsgstr "총점: {score}"\n\n'
                  'msgid "note: {note}"\nmsgstr ""\n\n'
                  '#, fuzzy\nmsgid "passed"\nmsgstr "통과"\n\n'
                  'msgid "a message nobody writes"\nmsgstr "아무도"\n', encoding="utf-8")
    found = "\n".join(problems("ko", po))
    assert "the ko translation of 'Total: {score} / {max_score}' has placeholders" in found
    assert "no ko translation of 'note: {note}'" in found
    assert "no ko translation of 'passed'" in found  # fuzzy is not translated
    assert "no ko translation of 'Next: implement {name} ({points} points still to gain).'" in found
    assert "'a message nobody writes' is translated but no longer in the code" in found


@pytest.mark.parametrize("message, translation, same", [
    ("{a} and {b}", "{b}와 {a}", True),  # reordered
    ("{a} of {a}", "{a}", True),  # a named field may be repeated or used once
    ("{a} and {b}", "{a}와 {c}", False),
    ("{a:.2f}", "{a}", False),  # the format spec is part of the placeholder
    ("%s of %d", "%d 중 %s", False),  # positional %-conversions keep their order
    ("%(n)d of %(m)d", "%(m)d 중 %(n)d", True),
    ("{a}", "{a", False),  # unbalanced braces
])
def test_placeholders_may_move_but_not_change(message, translation, same):
    assert (placeholders(message) == placeholders(translation)) is same


def test_the_compiled_catalogs_are_up_to_date_and_shipped():
    assert stale_mo_files() == [], "run `python -m grader.po` and commit the .mo files"
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["grader"]
    for po in catalogs().values():
        for path in (po, po.with_suffix(".mo")):
            rel = path.relative_to(REPO / "grader").as_posix()
            assert any(fnmatch.fnmatch(rel, p) for p in patterns), rel


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU msgfmt is not installed")
def test_the_compiler_writes_what_gnu_msgfmt_writes(tmp_path):
    for po in catalogs().values():
        subprocess.run(["msgfmt", "--no-hash", "-o", tmp_path / "gnu.mo", po], check=True)
        assert compile_mo(read_catalog(po)) == (tmp_path / "gnu.mo").read_bytes()


def test_compiled_plural_and_context_entries_read_back_with_gettext():
    entries = parse_po('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n'
                       '"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
                       '# a comment\nmsgid "one line"\nmsgid_plural "{n} lines"\nmsgstr[0] "{n}줄"\n\n'
                       'msgctxt "status"\nmsgid "missing"\nmsgstr "없음"\n\n'
                       'msgid "multi"\n"line \\"quoted\\"\\n"\nmsgstr "여러"\n"줄"\n\n'
                       'msgid "untranslated"\nmsgstr ""\n')
    catalog = gettext.GNUTranslations(io.BytesIO(compile_mo(entries)))
    assert catalog.ngettext("one line", "{n} lines", 3) == "{n}줄"
    assert catalog.pgettext("status", "missing") == "없음" and catalog.gettext("missing") == "missing"
    assert catalog.gettext('multiline "quoted"\n') == "여러줄"
    assert catalog.gettext("untranslated") == "untranslated"


@pytest.mark.parametrize("text, where", [
    ('msgid "a"\nmsgstr "b"\nmsgstr "c"\n', "<po>:3: msgstr twice"),
    ('"continued"\n', "<po>:1: a string that continues nothing"),
    ('msgid "a\nmsgstr "b"\n', "<po>:1: cannot read"),
    ('msgstr "b"\n', "an entry without msgid"),
])
def test_a_broken_catalog_is_reported_with_its_line(text, where):
    with pytest.raises(CatalogError, match=where):
        parse_po(text)


# ----------------------------------------------------------------------------- choosing a language
@pytest.mark.parametrize("env, lang", [
    ({}, "en"),
    ({"LANG": "ko_KR.UTF-8"}, "ko"),
    ({"LANG": "ko"}, "ko"),
    ({"LC_MESSAGES": "ko_KR.eucKR", "LANG": "en_US.UTF-8"}, "ko"),
    ({"LC_ALL": "C", "LC_MESSAGES": "ko_KR.UTF-8"}, "en"),  # LC_ALL first
    ({"LC_ALL": "ko_KR.UTF-8", "LANG": "C"}, "ko"),
    ({"LC_ALL": "", "LANG": "ko_KR.UTF-8"}, "ko"),  # an empty variable is not set
    ({"LANG": "ko_KR@euro"}, "ko"),
    ({"LANG": "kok_IN.UTF-8"}, "en"),  # Konkani, not Korean
    ({"LANG": "en_KO"}, "en"),
])
def test_the_locale_picks_korean_in_posix_order(env, lang):
    assert language_from_env(env) == lang


def test_use_language_nests_and_restores(monkeypatch):
    assert current_language() == "en"
    with use_language("ko"):
        assert _("passed") == "통과"
        with use_language(None):  # not chosen here: keeps the language around it
            assert current_language() == "ko"
        with use_language("en"):
            assert _("passed") == "passed"
    assert current_language() == "en"
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert _("passed") == "통과"
    with pytest.raises(ValueError, match=r"'lang' must be one of en, ko \(got 'fr'\)"):
        with use_language("fr"):
            pass


def test_every_korean_status_keeps_the_colon_of_its_short_form():
    for status, english in STATUS_WORDS.items():
        with use_language("ko"):
            assert (":" in status_word(status)) == (":" in english), status
            assert status_word(status, short=True) == status_word(status).split(":")[0]
    assert translations("ko").gettext(STATUS_WORDS["timeout"]).startswith("시간 초과:")


# ---------------------------------------------------------------------------------- Korean reports
def test_the_report_frame_in_korean_and_english_unchanged_by_default():
    english = render_text(mixed_result())
    assert "Total: 73.0 / 100.0" in english and "Next: work on" in english and "총점" not in english
    with use_language("ko"):
        korean = render_text(mixed_result())
        markdown = render_feedback_markdown(mixed_result())
    assert "총점: 73.0 / 100.0" in korean and "다음 할 일:" in korean and "Total" not in korean
    assert "아직 구현하지 않음" in korean and "실패" in korean
    assert "| 모듈 | 함수 | 점수 | 상태 |" in markdown and "# 채점 보고서:" in markdown and "# 고칠 점" in markdown
    assert "conv2d_backward" in korean  # code identifiers stay as they are


def test_grade_lang_ko_and_a_korean_locale_give_korean_reports():
    args = (SOLUTIONS, "--only", "scan1d", "--examples", "2", "--no-color")
    english = run(*args)
    assert english.exit_code == 0 and "Total: 3.0 / 3.0" in english.output and "passed" in english.output
    for korean in (run(*args, "--lang", "ko"), run(*args, env={"LANG": "ko_KR.UTF-8"}),
                   run(*args, env={"LC_ALL": "ko_KR.UTF-8", "LANG": "en_US.UTF-8"})):
        assert korean.exit_code == 0 and "총점: 3.0 / 3.0" in korean.output and "통과" in korean.output
    forced = run(*args, "--lang", "en", env={"LANG": "ko_KR.UTF-8"})
    assert "Total: 3.0 / 3.0" in forced.output
    assert current_language() == "en"  # the command's language does not outlive it


def test_the_cli_errors_in_korean(tmp_path, monkeypatch):
    missing = run(tmp_path / "nowhere", "--lang", "ko")
    assert missing.exit_code == 2 and "그런 경로가 없어요" in missing.output
    monkeypatch.chdir(tmp_path)
    default = run("--lang", "ko")
    assert default.exit_code == 2 and "`grade init`으로 연습 문제를 받거나" in default.output
    assert run("--lang", "fr").exit_code == 2


def test_grade_cells_speaks_the_language_it_is_given():
    cells = ["import numpy as np\nfrom numpy.lib.stride_tricks import sliding_window_view\n"
             + (REPO / "solutions" / "_args.py").read_text(),
             "\n".join(line for line in (SOLUTIONS / "scanning.py").read_text().splitlines()
                       if not line.startswith("from ."))]
    out = io.StringIO()
    grade_cells("scan1d", cells=cells, examples=2, color=False, file=out, lang="ko")
    assert "총점: 3.0 / 3.0" in out.getvalue() and "통과" in out.getvalue()
    out = io.StringIO()
    grade_cells(cells=["x = 1"], file=out, lang="ko")
    assert "연습 함수가 정의되어 있지 않아요" in out.getvalue()


def test_batch_feedback_follows_lang_and_the_language_is_a_setting(tmp_path):
    submissions = tmp_path / "class"
    stub_folder(submissions / "stub")
    out = tmp_path / "out"
    args = ("batch", submissions, "--output-dir", out, "--only", "scan1d", "--examples", "2", "--jobs", "1")
    assert run(*args).exit_code == 0
    assert "# Grading report" in (out / "feedback" / "stub.md").read_text()
    assert run(*args, "--lang", "ko").exit_code == 0  # a new language grades again
    feedback = (out / "feedback" / "stub.md").read_text()
    assert "# 채점 보고서" in feedback and "아직 구현하지 않음" in feedback
    assert Settings(1, 3, ("scan1d",), 1.0).key("a") != Settings(1, 3, ("scan1d",), 1.0, lang="ko").key("a")
