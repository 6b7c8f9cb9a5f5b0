"""Messages in the student's language: the catalogs, the choice of language, and Korean reports."""

import fnmatch
import gettext
import io
import re
import shutil
import subprocess
import tomllib

import pytest
from click.testing import CliRunner

from grader.batch import error_feedback
from grader.batch_job import Settings
from grader.cli import main
from grader.i18n import (LOCALE_VARIABLES, N_, _, current_language, language_from_env, later, translations,
                         use_language)
from grader.mutants import build_submission, load_mutant
from grader.notebook_grading import grade_cells
from grader.po import (CatalogError, catalogs, compile_mo, extract, parse_po, placeholders, problems,
                       read_catalog, stale_mo_files)
from grader.report_text import STATUS_WORDS, render_feedback_markdown, render_text, status_word
from grader.runner import grade
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
    ("at least 90% of 200", "200개 중 90% 이상", True),  # a percent sign before a word is prose
    ("% d of %s", "%s 중 % d", False),
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


# ------------------------------------------------------------------- Korean feedback on a failing grade
def graded_mutant(name, tmp_path, lang=None):
    """The result of the mutant tests/mutants/<name>.py, graded alone, as the snippets below were."""
    mutant = load_mutant(REPO / "tests" / "mutants" / f"{name}.py")
    with use_language(lang):
        result = grade(build_submission(mutant, tmp_path / name), seed=0, examples=8, only=(mutant.function,),
                       sandbox="process")
    result.elapsed_s, result.submission.path = 0.0, "SUB"
    return result


ENGLISH_SENTENCE = re.compile(r"(?<![\w.'\"])[A-Za-z]{2,}(?: [A-Za-z]{2,}){3,}(?![\w(])")


def english_lines(text: str) -> list[str]:
    """Lines with four English words in a row, outside code spans, quotes, tracebacks and what the student's
    own exception says (after the colon of "...에서 예외가 발생했어요:"): an untranslated sentence."""
    found, traceback = [], False
    for line in text.splitlines():
        stripped = line.strip()
        traceback = (traceback or stripped.startswith(("Traceback", 'File "'))) and not stripped.startswith("힌트")
        if traceback:
            continue
        stripped = re.sub(r"`[^`]*`|'[^']*'|\"[^\"]*\"", "", stripped.split("예외가 발생했어요:")[0])
        if ENGLISH_SENTENCE.search(stripped):
            found.append(line)
    return found


def test_the_sentence_finder_finds_english_and_spares_code():
    assert english_lines("    y should have shape (3,), but it has shape (5,).")
    assert not english_lines("성질: dx는 x에 대한 sum(out * dout)의 gradient와 같아요.")
    assert not english_lines("conv2d_backward 함수에서 예외가 발생했어요: IndexError: index 2 is out of bounds")


# value failures with arrays, shapes, an exception with its traceback, a dtype, a wrong position, an errors
# check with a drawn case's note, gated properties, the Next line
KOREAN_MUTANTS = ("conv2d_backward__dw_assigned", "scan1d__ignores_stride", "conv2d_backward__square_loops",
                  "max_pool_indices__last_tie_wins", "detect__column_row_swapped", "zero_pad__float64",
                  "network_param_count__errors_without_layer", "same_padding__half_each_side",
                  "detector_loss__forgets_bias_gradient", "softmax_cross_entropy__loss_summed",
                  "global_max_pool_forward__running_max_from_zero")


@pytest.mark.parametrize("name", KOREAN_MUTANTS)
def test_a_failing_grade_in_korean_has_no_english_sentence(name, tmp_path):
    result = graded_mutant(name, tmp_path, "ko")
    assert result.score < result.max_score
    with use_language("ko"):
        text, markdown = render_text(result), render_feedback_markdown(result)
    assert "성질:" in text and "다음 할 일:" in text and "Property" not in text and "Hint" not in text
    assert english_lines(text) == [] and english_lines(markdown) == []
    assert all(check.feedback == "" or "성질:" in check.feedback or "점수로 인정돼요" in check.feedback
               for _fn, check in result.checks() if not check.passed)


def test_a_missing_module_and_a_stub_in_korean(tmp_path):
    stub_folder(tmp_path / "stub")
    (tmp_path / "stub" / "scanning.py").unlink()
    with use_language("ko"):
        result = grade(tmp_path / "stub", examples=2, only=("scanning", "padding"), sandbox="process")
        text = render_text(result)
    assert "제출물에 scanning.py가 없어요" in text and "아직 구현하지 않음" in text
    assert english_lines(text) == []


# What arch printed before the messages were translated, byte for byte (after the first line, which has
# the policy's fingerprint).
ENGLISH_BEFORE = {
    "network_param_count__errors_without_layer": """params
  network_param_count    2.0 / 2.5    failed
    - rejects bad layers, naming the layer  (0.0 / 0.5)  [errors]
        Property: A window larger than its input, fc before flatten or an unknown layer kind raise ValueError \
whose message names the layer's index, e.g. "layer 3 ('conv'): ...".
        Failing case: input_shape=(1, 6, 5), layers=[('conv', 2, 3, 1, 0), ('maxpool', 50, 1), ('flatten',), \
('fc', 3)]  (layer 1 is a window larger than the input)
        the ValueError (layer 1 is a window larger than the input) should name the layer, e.g. "layer 1 (...): \
...", but its message is: 'the window does not fit'
        Hint: track the shape as you go and raise ValueError(f"layer {i} ({kind!r}): ...") as soon as a layer \
cannot be applied; fc needs ('flatten',) before it.

Total: 2.0 / 2.5
Next: work on network_param_count (0.5 points still to gain).
""",
    "scan1d__ignores_stride": """scanning
  scan1d        0.0 / 3.0    failed
    - matches the reference  (0.0 / 1.0)  [value]
        Property: scan1d(x, w, stride) equals the reference y[i] = sum_j w[j] * x[i * stride + j].
        Failing case: x (7,), w (3,), stride=2
        x =
            [-1  1  0  3  2 -3 -2]
        w =
            [ 2 -1  3]
        y should have shape (3,), but it has shape (5,).
        Hint: y has (L - F) // stride + 1 elements: a window starts every stride positions.
    - is shift equivariant  (0.0 / 1.0)  [property]
""",
}
ENGLISH_SNIPPETS = {  # an exception: its hint and the check's
    "conv2d_backward__square_loops": """        conv2d_backward raised IndexError: index 2 is out of bounds for axis 3 with size 2
            File "conv.py", line 122, in conv2d_backward
        Hint: an index runs past the end of an array: the last window starts at (H_out - 1) * stride, so loop \
over range(H_out), and read the padded input, not x.
        What this check is about: a shared weight is used at every window (i < H_out, j < W_out, height and \
width counted separately): add the gradients from all of them (+=, not =), over the whole batch.
""",
}


@pytest.mark.parametrize("name", sorted(ENGLISH_BEFORE) + sorted(ENGLISH_SNIPPETS))
def test_english_reports_are_what_they_were(name, tmp_path):
    text = render_text(graded_mutant(name, tmp_path))
    assert text.startswith("convgrade ") and "(seed fingerprint 5feceb66, policy " in text.splitlines()[0]
    if name in ENGLISH_BEFORE:
        assert text.split("\n", 2)[2].startswith(ENGLISH_BEFORE[name])
    else:
        assert ENGLISH_SNIPPETS[name] in text


def test_the_error_feedback_of_a_batch_in_korean():
    with use_language("ko"):
        feedback = error_feedback(mixed_result(), "채점기가 멈췄어요")
    assert feedback.startswith("# 채점 보고서:") and "제출물을 채점할 수 없었어요: 채점기가 멈췄어요." in feedback
    assert english_lines(feedback) == []
    assert "**Your submission could not be graded: it broke.**" in error_feedback(mixed_result(), "it broke")


def test_a_later_message_is_translated_each_time_it_is_shown():
    note = later("layer {at} is {problem}", at=2, problem=later(N_("fc before flatten")))
    assert str(note) == "layer 2 is fc before flatten"
    with use_language("ko"):
        assert str(note) == "층 2: flatten 앞의 fc" and f"({note})" == "(층 2: flatten 앞의 fc)"
    assert {"layer {at} is {problem}", "fc before flatten"} <= {m.msgid for m in extract()}


def test_check_names_stay_english_in_the_result_and_are_translated_where_shown():
    result = mixed_result()
    fn, check = next((fn, c) for fn, c in result.checks() if fn.name == "zero_pad" and not c.passed)
    with use_language("ko"):
        text, markdown = render_text(result), render_feedback_markdown(result)
    assert check.name == "matches the reference" and result.to_dict()["functions"][5]["name"] == "zero_pad"
    assert "- 참조 구현과 일치해요  (0.0 /" in text and "### `zero_pad`: 참조 구현과 일치해요 (" in markdown
