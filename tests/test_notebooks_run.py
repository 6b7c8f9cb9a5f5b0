"""Every generated notebook, in both languages, runs top to bottom in a real Jupyter kernel.

With the reference pasted into its exercise cells, each notebook must run without an error, draw every
figure as a PNG, and get full marks in every grading cell, in its own language. The notebooks run once
for the whole module, two kernels at a time (the figures and the grading are the slow part).
"""

import ast
import asyncio
import os
import re

import nbformat
import pytest

from grader.catalog import FUNCTIONS, TOPICS
from grader.generate import NOTEBOOK_DIRS
from grader.i18n import LOCALE_VARIABLES
from grading_helpers import REPO, SOLUTIONS

nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

CASES = [(lang, stem) for lang in NOTEBOOK_DIRS for stem, _ in TOPICS]
KERNELS_AT_ONCE = 2
TOTAL = {"en": re.compile(r"Total: ([\d.]+) / ([\d.]+)"), "ko": re.compile(r"총점: ([\d.]+) / ([\d.]+)")}
PASSED = {"en": "passed", "ko": "통과"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def reference_sources() -> dict:
    found = {}
    for path in SOLUTIONS.glob("*.py"):
        text = path.read_text()
        found.update({node.name: ast.get_source_segment(text, node) for node in ast.parse(text).body
                      if isinstance(node, ast.FunctionDef) and node.name in FUNCTIONS})
    return found


def solved(lang: str, stem: str):
    """The committed notebook with the reference in its exercise and from-another-notebook cells."""
    nb = nbformat.read(REPO / "exercises" / NOTEBOOK_DIRS[lang] / f"{stem}.ipynb", as_version=4)
    reference = reference_sources()
    for cell in nb.cells:
        if {"exercise", "from-another-notebook"} & set(cell.metadata.get("tags", ())):
            cell.source = "\n\n\n".join(reference[name] for name in re.findall(r"^def (\w+)", cell.source, re.M))
    return nb


def kernel_env() -> dict:
    """This environment, with this checkout first on the path and no locale (the notebooks choose)."""
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return {**env, "LANG": "C.UTF-8"}


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """(lang, stem) -> the executed notebook, or the exception that stopped it."""
    folder = tmp_path_factory.mktemp("kernels")
    slots = asyncio.Semaphore(KERNELS_AT_ONCE)

    async def run(lang, stem):
        nb = solved(lang, stem)
        client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                         resources={"metadata": {"path": str(folder)}})
        async with slots:
            try:
                await client.async_execute(env=kernel_env())
            except Exception as exc:  # one broken notebook fails its own test only
                return exc
        return nb

    async def run_all():
        return await asyncio.gather(*(run(lang, stem) for lang, stem in CASES))

    return dict(zip(CASES, asyncio.run(run_all())))


def text_of(cell) -> str:
    return ANSI.sub("", "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream"))


def tagged(nb, tag):
    return [c for c in nb.cells if tag in c.metadata.get("tags", ())]


@pytest.mark.parametrize("lang, stem", CASES)
def test_a_solved_notebook_runs_draws_and_gets_full_marks(executed, lang, stem):
    nb = executed[(lang, stem)]
    assert not isinstance(nb, Exception), f"{lang}/{stem}.ipynb stopped: {nb}"
    errors = [out for c in nb.cells if c.cell_type == "code" for out in c.outputs if out.output_type == "error"]
    assert errors == []
    figures = tagged(nb, "figure")
    assert figures
    for cell in figures:
        assert any("image/png" in out.get("data", {}) for out in cell.outputs), cell.source
        assert text_of(cell) == ""  # no "No figure" message
    for cell in tagged(nb, "grade"):
        report = text_of(cell)
        score, best = TOTAL[lang].search(report).groups()
        assert score == best and float(best) > 0, report
        assert PASSED[lang] in report
        if lang == "ko":
            assert "Total:" not in report and "passed" not in report
