"""Every point is asked for where the student reads it: what a check grades beyond the formula (the errors to
raise, the dtype rule, purity, the type of the result) is stated in the docstring of its function, in the
reference, in the stub and in the notebook.
"""
import ast
import json
import re
from pathlib import Path

import pytest

import solutions
from grader.catalog import BY_NAME, FUNCTIONS
from grader.checks import REGISTRY
from grader.generate import NOTEBOOK_DIR

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
SPOKEN_FOR = ("errors", "contract")  # kinds whose requirement is not the formula itself
KEYS = [f"{c.function}: {c.name}" for c in REGISTRY]


def normalized(text: str) -> str:
    """Lower case, without RST backticks, one space between words: a phrase may wrap across lines."""
    return re.sub(r"\s+", " ", text.replace("``", "").replace("`", "")).lower()


def stub_docstring(function: str) -> str:
    tree = ast.parse((EXERCISES / f"{FUNCTIONS[function]}.py").read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function)
    return ast.get_docstring(node) or ""


def notebook_text(function: str) -> str:
    path = EXERCISES / NOTEBOOK_DIR / f"{BY_NAME[function].topic}.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells)


def check_named(key: str):
    return next(c for c in REGISTRY if f"{c.function}: {c.name}" == key)


@pytest.mark.parametrize("key", KEYS)
def test_errors_and_contract_checks_name_their_docstring_phrases(key):
    c = check_named(key)
    if c.kind in SPOKEN_FOR:
        assert c.documented, f"{key} ({c.kind}) does not say which docstring phrases ask for it (documented=...)"


@pytest.mark.parametrize("key", KEYS)
def test_what_a_check_grades_is_in_the_docstring_stub_and_notebook(key):
    c = check_named(key)
    sources = {"the reference's docstring": getattr(solutions, c.function).__doc__ or "",
               "the stub's docstring": stub_docstring(c.function),
               "the notebook": notebook_text(c.function)}
    for where, text in sources.items():
        missing = [p for p in c.documented if normalized(p) not in normalized(text)]
        assert not missing, f"{key}: {where} of {c.function} does not state {missing}"


@pytest.mark.parametrize("key", [k for k in KEYS if check_named(k).kind == "errors"])
def test_every_corruption_of_an_errors_check_is_a_documented_error(key):
    """Each bad argument an errors check tries (its corners: one per corruption) raises ValueError by the
    reference, and the docstring says 'ValueError'."""
    c = check_named(key)
    reference = getattr(solutions, c.function)
    assert "valueerror" in normalized(reference.__doc__ or "")
    for corner in c.corners:
        with pytest.raises(ValueError):
            reference(*corner.positional, **corner.kwargs)


@pytest.mark.parametrize("key", [k for k in KEYS if "float32" in check_named(k).statement])
def test_the_dtype_rule_is_stated_where_it_is_graded(key):
    """float32 in gives float32 out: each check that grades it names a docstring phrase about float32."""
    c = check_named(key)
    assert any("float32" in p for p in c.documented), f"{key} grades float32 but documents no float32 rule"


@pytest.mark.parametrize("key", [k for k in KEYS if "not modified" in check_named(k).statement])
def test_purity_is_stated_where_it_is_graded(key):
    c = check_named(key)
    assert any("not modified" in p for p in c.documented), f"{key} grades purity but documents no such rule"
