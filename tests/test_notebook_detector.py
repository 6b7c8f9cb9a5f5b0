"""Notebook 08 (the apple detector trained end to end): its cells, and a run in a real Jupyter kernel.

The solved notebook runs in both languages in tests/test_notebooks_run.py. The kernel test here needs the
notebooks extra (nbclient, ipykernel, matplotlib) and skips cleanly without it.
"""
import ast
import json
import re
from pathlib import Path

import pytest

from grader.catalog import FUNCTIONS, TOPICS
from grader.runner import grade
from grader.submission import load_submission
from grading_helpers import REPO, SOLUTIONS

STEM = "08_end_to_end_detector"
NOTEBOOK = REPO / "exercises" / "notebooks" / f"{STEM}.ipynb"
TOPIC = dict(TOPICS)[STEM]


def reference_sources() -> dict:
    found = {}
    for path in SOLUTIONS.glob("*.py"):
        text = path.read_text()
        found.update({n.name: ast.get_source_segment(text, n) for n in ast.parse(text).body
                      if isinstance(n, ast.FunctionDef) and n.name in FUNCTIONS})
    return found


def solved(path: Path = NOTEBOOK, pasted=("exercise", "from-another-notebook")) -> dict:
    """The notebook with the reference pasted into its exercise cells and into 'From another notebook'."""
    reference = reference_sources()
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if set(cell["metadata"].get("tags", ())) & set(pasted):
            names = re.findall(r"^def (\w+)", "".join(cell["source"]), re.M)
            cell["source"] = "\n\n\n".join(reference[name] for name in names)
    return nb


def tagged(nb: dict, tag: str) -> list:
    return [c for c in nb["cells"] if tag in c["metadata"].get("tags", ())]


def text_of(cell) -> str:
    return "".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                   for o in cell.get("outputs", []))


# ------------------------------------------------------------------------------------------ the cells
def test_notebook_08_teaches_the_end_of_the_post_and_ships_without_outputs():
    nb = json.loads(NOTEBOOK.read_text())
    markdown = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for fact in ("CNN = MLP + scanning", "**50**", "**2,354**", "12,582,912", "end to end", "left", "right"):
        assert fact in markdown, fact
    assert all(c.get("outputs", []) == [] and c.get("execution_count") is None
               for c in nb["cells"] if c["cell_type"] == "code")
    setup = "".join(tagged(nb, "setup")[0]["source"])
    assert "def _check_conv_args" in setup and "def make_shapes" in setup  # conv's helpers: paste conv here
    elsewhere = "".join(tagged(nb, "from-another-notebook")[0]["source"])
    assert set(re.findall(r"^def (\w+)", elsewhere, re.M)) == {"conv2d_forward", "conv2d_backward", "zero_pad"}
    calls = ["".join(c["source"]).split("\n")[1] for c in tagged(nb, "figure")]
    assert [call.split("(")[0] for call in calls] == ["show_max_of_the_response", "show_detector"]
    assert "train_detector" in calls[1] and "linear_backward" in calls[1]  # the MLP is built from your layers


def test_notebook_08_solved_scores_full_marks_and_its_figures_do_not_run_in_the_grader(tmp_path):
    path = tmp_path / f"{STEM}.ipynb"
    path.write_text(json.dumps(solved()))
    result = grade(path, only=TOPIC, examples=3)
    lost = [(f.name, c.name, c.feedback) for f, c in result.checks() if not c.passed]
    assert lost == [] and result.score == result.max_score == 20
    assert not any("figure" in f.output or "matplotlib" in f.output for f in result.functions)


def test_the_notebook_that_teaches_a_function_wins_over_a_later_stub(tmp_path):
    """08 holds stubs of conv2d_forward and friends; 04's own conv2d_forward is the one graded."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "04_conv2d.ipynb").write_text(json.dumps(solved(NOTEBOOK.parent / "04_conv2d.ipynb",
                                                            pasted=("exercise",))))
    (work / f"{STEM}.ipynb").write_text(NOTEBOOK.read_text())
    sub = load_submission(work)
    assert sub.locate["conv2d_forward"] == sub.locate["conv2d_backward"] == "nb_04_conv2d"
    assert sub.locate["zero_pad"] == f"nb_{STEM}"  # taught in 05, absent here: the last stub wins
    assert sub.locate["detector_loss"] == f"nb_{STEM}"


# ------------------------------------------------------------------------------------------ in a kernel
def execute(nb: dict, allow_errors=False):
    """Run a notebook top to bottom in a fresh python3 kernel, as Jupyter does; returns it with its outputs."""
    nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed: pip install -e '.[notebooks]'")
    pytest.importorskip("ipykernel", reason="ipykernel is not installed: pip install -e '.[notebooks]'")
    pytest.importorskip("matplotlib", reason="matplotlib is not installed: pip install -e '.[notebooks]'")
    import nbformat

    node = nbformat.reads(json.dumps(nb), as_version=4)
    nbclient.NotebookClient(node, timeout=600, kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": str(REPO)}}).execute()
    return node


@pytest.mark.notebook
def test_before_the_functions_are_written_each_figure_says_what_is_missing():
    """The committed notebook, run as is: the examples raise NotImplementedError, the figures explain."""
    run = execute(json.loads(NOTEBOOK.read_text()), allow_errors=True)
    response, detector = tagged(run, "figure")
    assert "No figure yet: conv2d_forward is not implemented" in text_of(response)  # paste it from 04
    assert "No figure yet: train_detector is not implemented" in text_of(detector)  # make_shapes is given
    assert not [o for c in (response, detector) for o in c.outputs if o.output_type == "error"]
