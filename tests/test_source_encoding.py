"""A module's encoding is read as Python reads it; a Korean legacy encoding is named, with the fix."""

import pytest

from grader.i18n import use_language
from grader.runner import grade
from grader.submission import load_submission
from grading_helpers import copy_solutions

KOREAN_COMMENT = "# 출력 크기: (I - F + 2P) / S + 1\n"


def saved_as(tmp_path, encoding: str, header: str = ""):
    """The reference padding.py with a Korean comment on its first line, saved in `encoding`."""
    folder = copy_solutions(tmp_path / "work")
    path = folder / "padding.py"
    path.write_bytes((header + KOREAN_COMMENT + path.read_text(encoding="utf-8")).encode(encoding))
    return folder


def problem(folder) -> str:
    return load_submission(folder).problems.get("padding", "")


def test_a_cp949_file_with_a_coding_line_is_read_as_python_reads_it(tmp_path):
    folder = saved_as(tmp_path, "cp949", "# -*- coding: cp949 -*-\n")
    sub = load_submission(folder)
    assert "padding" not in sub.problems
    assert KOREAN_COMMENT in next(m for m in sub.modules if m["name"] == "padding")["source"]
    result = grade(sub, only=("conv_output_size",), examples=3)
    assert result.score == result.max_score > 0


@pytest.mark.parametrize("encoding", ["cp949", "euc-kr"])
def test_a_korean_file_without_a_coding_line_is_named_with_the_fix(tmp_path, encoding):
    folder = saved_as(tmp_path, encoding)
    why = problem(folder)
    assert why.startswith("padding.py is not UTF-8 text (byte 2): it looks like CP949/EUC-KR")
    assert "Save it as UTF-8" in why and "# -*- coding: cp949 -*-" in why
    with use_language("ko"):
        korean = problem(folder)
    assert korean.startswith("padding.py: UTF-8 텍스트가 아니에요 (바이트 2).") and "CP949/EUC-KR" in korean
    fn = grade(folder, only=("conv_output_size",), examples=2).function("conv_output_size")
    assert fn.status == "missing" and fn.score == 0 and "CP949/EUC-KR" in fn.checks[0].feedback


def test_korean_bytes_after_the_first_two_lines_are_named_too(tmp_path):
    folder = copy_solutions(tmp_path / "work")
    path = folder / "padding.py"
    path.write_bytes(path.read_text(encoding="utf-8").replace('"""Output sizes', '"""출력 크기 Output sizes')
                     .encode("cp949"))
    assert "it looks like CP949/EUC-KR" in problem(folder)


def test_other_encodings_get_the_plain_message(tmp_path):
    folder = copy_solutions(tmp_path / "work")
    (folder / "padding.py").write_bytes(b"# Caf\xe9\n" + (folder / "padding.py").read_bytes())
    assert problem(folder) == "padding.py is not UTF-8 text (byte 5); save it as UTF-8"


def test_a_coding_line_that_lies_or_names_no_encoding(tmp_path):
    folder = saved_as(tmp_path, "cp949", "# -*- coding: ascii -*-\n")
    assert problem(folder) == ("padding.py is not ascii text as its coding line says (byte 26); save it as "
                               "UTF-8 and remove the coding line")
    folder = saved_as(tmp_path / "b", "utf-8", "# -*- coding: hangul-9000 -*-\n")
    assert problem(folder).startswith("padding.py has a coding line Python cannot use (unknown encoding: "
                                      "hangul-9000)")


def test_a_utf8_file_with_a_byte_order_mark_is_read(tmp_path):
    folder = saved_as(tmp_path, "utf-8-sig")
    sub = load_submission(folder)
    assert "padding" not in sub.problems
    assert next(m for m in sub.modules if m["name"] == "padding")["source"].startswith(KOREAN_COMMENT)
