"""Notebooks as submissions (`grade NOTEBOOK`, `grade FOLDER`) and the grading cell `grade_cells`."""

import ast
import io
import json
import re
import sys

import pytest

from grader.catalog import FUNCTIONS
from grader.catalog import TOPICS
from grader.notebook import Cell, build_module, module_name
from grader.submission import load_notebooks
from grader.notebook_grading import grade_cells
from grader.runner import grade
from grader.submission import load_submission
from grading_helpers import REPO, SOLUTIONS

NOTEBOOKS = REPO / "exercises" / "notebooks"
TOPIC = dict(TOPICS)


def reference_functions() -> dict:
    """Function name -> its source in solutions/ (the body a student would write)."""
    found = {}
    for path in SOLUTIONS.glob("*.py"):
        text = path.read_text()
        for node in ast.parse(text).body:
            if isinstance(node, ast.FunctionDef) and node.name in FUNCTIONS:
                found[node.name] = ast.get_source_segment(text, node)
    return found


REFERENCE = reference_functions()


def cell_function(cell) -> str | None:
    tree = ast.parse("".join(cell["source"]))
    return next((n.name for n in tree.body if isinstance(n, ast.FunctionDef)), None)


def notebook(stem: str, pasted=("exercise",)) -> dict:
    """The generated notebook of a topic with the reference pasted into the cells tagged `pasted`."""
    nb = json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text())
    for cell in nb["cells"]:
        if set(cell["metadata"].get("tags", ())) & set(pasted):
            names = re.findall(r"^def (\w+)", "".join(cell["source"]), re.M)
            cell["source"] = "\n\n\n".join(REFERENCE[name] for name in names)
    return nb


def code_cell(source: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": f"c{abs(hash(source)) % 10**8}",
            "metadata": {}, "outputs": [], "source": source}


def save(nb: dict, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb))
    return path


def by_function(nb: dict, name: str) -> int:
    return next(i for i, c in enumerate(nb["cells"])
                if c["cell_type"] == "code" and "exercise" in c["metadata"].get("tags", ())
                and cell_function(c) == name)


def full_marks(result) -> bool:
    failed = [(f.name, c.name, c.feedback) for f, c in result.checks() if not c.passed]
    assert failed == []
    return result.score == result.max_score and all(f.status == "passed" for f in result.functions)


# ------------------------------------------------------------------------------------- solved work
def test_every_solved_notebook_runs_top_to_bottom():
    """The setup cell makes each notebook self-contained: with the functions written, every cell runs."""
    for stem, _ in TOPICS:
        namespace = {"__name__": "__main__"}
        for cell in notebook(stem, pasted=("exercise", "from-another-notebook"))["cells"]:
            tags = cell["metadata"].get("tags", ())
            if cell["cell_type"] == "code" and "grade" not in tags:
                exec(compile("".join(cell["source"]), f"{stem}.ipynb", "exec"), namespace)
        assert set(TOPIC[stem]) <= set(namespace)


def test_a_solved_notebook_scores_full_marks_for_its_topic(tmp_path):
    """04_conv2d keeps the stub of zero_pad: conv2d_forward is graded with the reference zero_pad."""
    path = save(notebook("04_conv2d"), tmp_path / "04_conv2d.ipynb")
    result = grade(path, only=TOPIC["04_conv2d"], examples=5)
    assert full_marks(result) and result.max_score > 0
    assert result.notes == []


def test_a_folder_of_solved_notebooks_scores_full_marks(tmp_path):
    for stem, _ in TOPICS:
        save(notebook(stem), tmp_path / "work" / f"{stem}.ipynb")
    sub = load_submission(tmp_path / "work")
    assert sub.locate["zero_pad"] == "nb_05_padding_and_output_size"  # not the stub in 04
    assert sub.locate["conv_output_size"] == "nb_05_padding_and_output_size"  # not the stub in 01
    result = grade(sub, examples=3)
    assert full_marks(result) and len(result.functions) == len(FUNCTIONS)


def test_a_bug_costs_points_in_its_own_function_only(tmp_path):
    nb = notebook("04_conv2d")
    at = by_function(nb, "conv2d_forward")
    nb["cells"].insert(at + 1, code_cell(
        "_forward = conv2d_forward\n\n"
        "def conv2d_forward(x, w, b, stride=1, padding=0):\n"
        "    out = _forward(x, w, b, stride, padding)\n"
        "    return out - np.asarray(b, dtype=out.dtype)[:, None, None]  # forgets the bias\n"))
    result = grade(save(nb, tmp_path / "04_conv2d.ipynb"), only=TOPIC["04_conv2d"], examples=5)
    forward, backward = result.function("conv2d_forward"), result.function("conv2d_backward")
    assert forward.status == "failed" and forward.score < forward.max_score
    assert "adds the bias of each kernel" in {c.name for c in forward.checks if not c.passed}
    assert backward.status == "passed" and backward.score == backward.max_score


# ---------------------------------------------------------------------------- what is left out
def test_magics_and_shell_lines_are_skipped_with_a_note(tmp_path):
    nb = notebook("05_padding_and_output_size")
    at = by_function(nb, "zero_pad")
    nb["cells"][at]["source"] = "%load_ext autoreload\n" + nb["cells"][at]["source"] + "\n!ls -la\n"
    nb["cells"].insert(at + 1, code_cell("%%timeit\nzero_pad(np.ones((1, 1, 2, 2)), 1)"))
    nb["cells"].insert(at + 2, code_cell("files = !ls\nnp.pad?\n"))
    result = grade(save(nb, tmp_path / "05_padding_and_output_size.ipynb"), only=("padding",), examples=5)
    assert full_marks(result)
    name = "05_padding_and_output_size.ipynb"
    assert f"skipped IPython magic in cell {at + 1} of {name}" in result.notes
    assert f"skipped shell command in cell {at + 1} of {name}" in result.notes
    assert f"skipped IPython cell magic %%timeit in cell {at + 2} of {name}" in result.notes
    assert f"skipped IPython help in cell {at + 3} of {name}" in result.notes


def test_a_cell_that_raises_does_not_stop_the_cells_after_it(tmp_path):
    nb = notebook("06_pooling")
    nb["cells"].insert(1, code_cell("raise RuntimeError('an experiment that went wrong')\nimport not_a_package"))
    result = grade(save(nb, tmp_path / "06_pooling.ipynb"), only=("max_pool_forward", "avg_pool_forward"),
                   examples=5)
    assert full_marks(result)


def test_examples_that_call_exercise_functions_are_not_rerun(tmp_path):
    """A top-level loop calling an exercise would hang the import of the notebook: it is left out."""
    nb = notebook("02_scanning_and_shift_invariance")
    nb["cells"].append(code_cell("while True:\n    scan1d(np.ones(3), np.ones(2))"))
    nb["cells"].append(code_cell("results = [detect(np.eye(3), np.eye(2)) for _ in iter(int, 1)]"))
    result = grade(save(nb, tmp_path / "02.ipynb"), only=("scan1d", "detect"), examples=3, timeout=2)
    assert full_marks(result) and result.elapsed_s < 20


def test_the_stub_notebooks_score_zero_not_implemented():
    """The generated notebooks: their try-it cells raise NotImplementedError, and grading goes on."""
    result = grade(NOTEBOOKS, examples=3)
    assert result.score == 0.0 and len(result.functions) == len(FUNCTIONS)
    assert {f.status for f in result.functions} == {"not_implemented"}


def test_a_syntax_error_leaves_the_cell_out_with_a_note(tmp_path):
    nb = notebook("04_conv2d")
    at = by_function(nb, "conv2d_backward")
    nb["cells"][at]["source"] = nb["cells"][at]["source"].replace("dout.", "dout..", 1)
    result = grade(save(nb, tmp_path / "04_conv2d.ipynb"), only=TOPIC["04_conv2d"], examples=5)
    backward = result.function("conv2d_backward")
    assert backward.status == "missing" and backward.score == 0
    assert f"cell {at + 1} of 04_conv2d.ipynb has a syntax error" in backward.checks[0].feedback
    assert any("syntax error" in note for note in result.notes)
    assert result.function("conv2d_forward").status == "passed"


# ------------------------------------------------------------------------------- broken notebooks
@pytest.mark.parametrize("content, message", [
    ('{"cells": [', "04_conv2d.ipynb is not valid JSON (line 1, column 12"),
    ('["a", "list"]', "04_conv2d.ipynb is JSON but not a Jupyter notebook"),
    ('{"cells": [{"cell_type": "code", "source": 42}]}', "cell 1 of 04_conv2d.ipynb has a 'source' that"),
])
def test_a_broken_notebook_scores_zero_with_a_clear_message(tmp_path, content, message):
    folder = tmp_path / "work"
    save(notebook("05_padding_and_output_size"), folder / "05_padding_and_output_size.ipynb")
    (folder / "04_conv2d.ipynb").write_text(content)
    result = grade(folder, only=("conv", "zero_pad"), examples=3)
    for name in TOPIC["04_conv2d"]:
        fn = result.function(name)
        assert fn.status == "missing" and fn.score == 0
        assert all(message in check.feedback for check in fn.checks)
    assert any(message in note for note in result.notes)
    assert result.function("zero_pad").status == "passed"


def test_a_single_broken_notebook_explains_every_function(tmp_path):
    path = tmp_path / "homework.ipynb"
    path.write_bytes(b"\x89PNG\r\n")
    sub = load_submission(path)
    assert set(sub.locate) == set(FUNCTIONS)
    assert {sub.problems[m] for m in sub.locate.values()} == {
        "homework.ipynb is not UTF-8 text (byte 0), so it is not a notebook saved by Jupyter"}


def test_a_function_no_notebook_defines_says_where_it_belongs(tmp_path):
    sub = load_submission(save(notebook("04_conv2d"), tmp_path / "mine.ipynb"))
    why = sub.problems[sub.locate["max_pool_forward"]]
    assert "max_pool_forward is not defined" in why and "it belongs in 06_pooling.ipynb" in why


# ---------------------------------------------------------------------------------- the modules
def test_module_names_are_identifiers_and_unique(tmp_path):
    assert module_name(tmp_path / "04_conv2d.ipynb") == "nb_04_conv2d"
    assert module_name(tmp_path / "my work (copy 2).ipynb") == "nb_my_work_copy_2"
    assert module_name(tmp_path / "04-conv2d.ipynb", taken={"nb_04_conv2d"}) == "nb_04_conv2d_2"
    for stem, _ in TOPICS:
        assert module_name(tmp_path / f"{stem}.ipynb").isidentifier()


def test_the_last_notebook_defining_a_function_wins(tmp_path):
    first, second = notebook("04_conv2d"), notebook("04_conv2d")
    paths = [save(first, tmp_path / "b.ipynb"), save(second, tmp_path / "a.ipynb")]
    sub = load_notebooks(paths, str(tmp_path))
    assert sub.locate["conv2d_forward"] == "nb_b"
    assert [m["name"] for m in sub.modules][:2] == ["nb_a", "nb_b"]


def test_cells_become_one_module_with_cell_comments_and_guards():
    module = build_module([Cell("cell 1 of t.ipynb", "x = f()\n\ndef f():\n    '''a\nb'''\n    return 1"),
                           Cell("cell 2 of t.ipynb", "from grader.notebook_grading import grade_cells; "
                                                     "grade_cells('f')")], "t.ipynb")
    assert "# cell 1\nwith _convgrade_cell('cell 1 of t.ipynb'):\n    x = f()\n" in module.source
    assert "# cell 2\npass; pass" in module.source
    assert "def f():\n    '''a\nb'''" in module.source  # a multi-line string keeps its text
    assert module.defined == ["f"] and "grader" not in module.source.split("# cell 2")[1]
    namespace = {}
    exec(compile(module.source, "t.ipynb", "exec"), namespace)  # f() before its def: noted, not fatal
    assert namespace["f"]() == 1 and "x" not in namespace


def test_cells_can_import_other_topics_as_exercise_modules(tmp_path):
    """`from exercises.padding import zero_pad` in 04 finds the zero_pad of 05 in the worker."""
    nb = notebook("04_conv2d")
    at = next(i for i, c in enumerate(nb["cells"]) if "from-another-notebook" in c["metadata"].get("tags", ()))
    nb["cells"][at]["source"] = "from exercises.padding import zero_pad\nimport padding"
    save(nb, tmp_path / "work" / "04_conv2d.ipynb")
    save(notebook("05_padding_and_output_size"), tmp_path / "work" / "05_padding_and_output_size.ipynb")
    result = grade(tmp_path / "work", only=("conv2d_forward",), examples=5)
    assert full_marks(result)


# ----------------------------------------------------------------------------- the grading cell
def kernel_history(stem: str, pasted=("exercise",)) -> list[str]:
    """The code cells of a notebook as a kernel's `In` would hold them, grading cells included."""
    return [""] + ["".join(c["source"]) for c in notebook(stem, pasted)["cells"] if c["cell_type"] == "code"]


def total(report: str) -> tuple[str, str]:
    return re.search(r"Total: ([\d.]+) / ([\d.]+)", report).groups()


def test_grade_cells_grades_the_kernel_history(monkeypatch):
    history = kernel_history("07_unpooling")
    history.append("%time 1 + 1\nfrom grader.notebook_grading import grade_cells\n"
                   "grade_cells('unpool_nearest', 'max_unpool')")
    monkeypatch.setattr(sys.modules["__main__"], "In", history, raising=False)
    out = io.StringIO()
    assert grade_cells("unpool_nearest", "max_unpool", examples=5, color=False, file=out) is None
    report = out.getvalue()
    score, best = total(report)
    assert score == best and float(best) > 0 and "unpool_nearest" in report and "max_unpool " in report
    assert f"note: skipped IPython magic in In [{len(history) - 1}]" in report


def test_grade_cells_points_a_traceback_at_the_cell(monkeypatch):
    history = kernel_history("03_shared_weight_gradients")
    history.append("def scan1d_backward(dy, x, w, stride=1):\n    return 1 / 0\n")
    monkeypatch.setattr(sys.modules["__main__"], "In", history, raising=False)
    out = io.StringIO()
    grade_cells("scan1d_backward", examples=3, color=False, file=out)
    assert f"In [{len(history) - 1}], line 2, in scan1d_backward" in out.getvalue()
    assert "ZeroDivisionError" in out.getvalue()


def test_grade_cells_without_history_reads_the_saved_notebook(tmp_path, monkeypatch):
    monkeypatch.delattr(sys.modules["__main__"], "In", raising=False)
    with pytest.raises(RuntimeError, match="grade_cells found no code to grade"):
        grade_cells("scan1d", file=io.StringIO())
    path = save(notebook("02_scanning_and_shift_invariance"), tmp_path / "02.ipynb")
    out = io.StringIO()
    grade_cells("scan1d", notebook=path, examples=3, color=False, file=out)
    score, best = total(out.getvalue())
    assert score == best and "02.ipynb" in out.getvalue()


def test_grade_cells_in_a_real_ipython_shell(tmp_path, monkeypatch, capsys):
    """The grading cell as a student runs it: IPython's raw history holds the magics as typed."""
    pytest.importorskip("IPython")
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    shell = InteractiveShell.instance(config=config)
    try:
        for source in kernel_history("01_parameter_counting")[1:]:
            if "grade_cells" not in source:
                shell.run_cell(source, store_history=True)
        shell.run_cell("%precision 3", store_history=True)
        capsys.readouterr()
        shell.run_cell("from grader.notebook_grading import grade_cells\n"
                       "grade_cells('fc_param_count', 'conv_param_count', examples=3, color=False)",
                       store_history=True)
        report = capsys.readouterr().out
    finally:
        InteractiveShell.clear_instance()
    score, best = total(report)
    assert score == best and "fc_param_count" in report and "conv_param_count" in report
    assert "note: skipped IPython magic in In [" in report


def test_grade_command_reports_a_broken_notebook_without_a_traceback(tmp_path):
    from click.testing import CliRunner

    from grader.cli import main

    path = tmp_path / "04_conv2d.ipynb"
    path.write_text('{"cells": [')
    result = CliRunner().invoke(main, [str(path), "--only", "conv", "--no-color"], catch_exceptions=False)
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert "note: 04_conv2d.ipynb is not valid JSON" in result.output
    assert "conv2d_forward" in result.output and "Total: 0.0 / " in result.output


def test_an_old_format_3_notebook_is_converted(tmp_path):
    import nbformat
    from nbformat import v3

    old = v3.new_notebook(worksheets=[v3.new_worksheet(cells=[
        v3.new_code_cell(input="def scan1d(x, w, stride=1):\n    return x\n")])])
    path = tmp_path / "old.ipynb"
    path.write_text(nbformat.writes(old, version=3))
    sub = load_submission(path)
    assert sub.locate["scan1d"] == "nb_old" and "def scan1d" in sub.modules[0]["source"]


# ------------------------------------------------------------------------------ a cell that never ends
LOOP = "n = 0\nwhile True:  # stopped with Interrupt in the kernel\n    n += 1\n"


def test_a_cell_that_loops_forever_is_skipped_and_the_others_count(monkeypatch):
    """The kernel's history holds a cell the student interrupted: replaying it stops after the cell's
    time limit, a note names it and suggests a restart, and every other cell still counts."""
    history = kernel_history("02_scanning_and_shift_invariance")
    at = next(i for i, text in enumerate(history) if "def detect" in text)
    history.insert(at, LOOP)
    monkeypatch.setattr(sys.modules["__main__"], "In", history, raising=False)
    out = io.StringIO()
    grade_cells("scan1d", "detect", examples=3, color=False, file=out)
    report = out.getvalue()
    score, best = total(report)
    assert score == best and float(best) > 0
    assert f"note: In [{at}] (`n = 0`) was still running after 1 s" in report
    assert "restart the kernel (Kernel > Restart)" in report


def test_a_looping_cell_keeps_its_definitions_and_is_replayed_once(tmp_path):
    """In a saved notebook: the loop's statements are left out of the module the functions are graded
    with, so the loop costs its time limit once, not once per function; its definitions still count."""
    nb = notebook("01_parameter_counting")
    at = by_function(nb, "fc_param_count")
    nb["cells"][at]["source"] += "\n\nwhile True:\n    pass\n"
    sub = load_submission(save(nb, tmp_path / "01_parameter_counting.ipynb"))
    result = grade(sub, only=TOPIC["01_parameter_counting"], examples=3)
    assert full_marks(result)
    note = next(n for n in result.notes if "was still running" in n)
    assert note.startswith(f"cell {at + 1} of 01_parameter_counting.ipynb (`def fc_param_count(") and \
        "Fix that cell, or delete it" in note
    source = next(m["source"] for m in sub.modules if m["name"] == "nb_01_parameter_counting")
    assert "while True" not in source and "def fc_param_count" in source


def test_an_interrupted_cell_in_a_real_ipython_shell(tmp_path, monkeypatch, capsys):
    """As in Jupyter: the loop ran until the student pressed Interrupt (here a timer raises
    KeyboardInterrupt in it); grading the kernel's cells afterwards still gives full marks."""
    pytest.importorskip("IPython")
    import signal

    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    shell = InteractiveShell.instance(config=config)
    previous = signal.signal(signal.SIGALRM, signal.default_int_handler)
    try:
        for source in kernel_history("07_unpooling")[1:]:
            if "grade_cells" not in source:
                shell.run_cell(source, store_history=True)
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        shell.run_cell(LOOP, store_history=True)  # the student's Interrupt
        capsys.readouterr()
        shell.run_cell("from grader.notebook_grading import grade_cells\n"
                       "grade_cells('unpool_nearest', 'max_unpool', examples=3, color=False)", store_history=True)
        report = capsys.readouterr().out
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        InteractiveShell.clear_instance()
    score, best = total(report)
    assert score == best and float(best) > 0, report
    assert re.search(r"note: In \[\d+\] \(`n = 0`\) was still running", report)


def test_grade_cells_follows_the_course_policy(tmp_path):
    from grader.policy import load_policy

    path = tmp_path / "convgrade.toml"
    path.write_text("[points]\nscan1d = 10\n")
    out = io.StringIO()
    grade_cells("scan1d", cells=kernel_history("02_scanning_and_shift_invariance")[1:], policy=path, examples=3,
                color=False, file=out)
    assert total(out.getvalue()) == ("10.0", "10.0")
    assert f"policy {load_policy(path).with_settings(examples=3).fingerprint}" in out.getvalue()


def test_a_cell_that_parses_but_does_not_compile_is_left_out():
    """`return` outside a def parses, but would stop the import of the whole module: the cell is left out."""
    module = build_module([Cell("In [1]", "return 3"), Cell("In [2]", "def f():\n    return 1")], "nb")
    assert module.notes == ["In [1] has a syntax error (line 1: 'return' outside function); it was left out, "
                            "as Jupyter would define nothing from it"]
    namespace = {}
    exec(compile(module.source, "nb", "exec"), namespace)
    assert namespace["f"]() == 1
