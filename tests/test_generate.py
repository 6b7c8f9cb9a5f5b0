"""`grade generate` and `grade init`: stubs and notebooks from the reference, in sync, never its bodies."""

import ast
import importlib.util
import inspect
import json
import re
import shutil
import sys

import nbformat
import pytest
from click.testing import CliRunner

from grader.catalog import FUNCTIONS, MODULES
from grader.cli import main
from grader.generate import (GenerateError, differences, generate_files, stub_source, write_files)
from grader.catalog import TOPICS
from grader.runner import grade
from grading_helpers import REPO, SOLUTIONS

EXERCISES = REPO / "exercises"
MARKED = re.compile(r"# BEGIN SOLUTION\n(.*?)# END SOLUTION", re.S)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def files():
    return generate_files(SOLUTIONS)


def test_the_committed_exercises_are_what_generation_produces(files):
    assert differences(files, EXERCISES) == [], "run `grade generate` and commit exercises/"


def test_generation_is_deterministic_and_idempotent(files, tmp_path):
    assert generate_files(SOLUTIONS) == files
    written = write_files(files, tmp_path / "out")
    assert len(written) == len(files)
    before = {p: p.read_bytes() for p in written}
    assert write_files(generate_files(SOLUTIONS), tmp_path / "out") == []
    assert {p: p.read_bytes() for p in written} == before


def test_stubs_keep_everything_but_the_solution_bodies(files):
    for module in MODULES:
        solution, stub = (SOLUTIONS / f"{module}.py").read_text(), files[f"{module}.py"]
        assert "SOLUTION" not in stub
        sol_tree, stub_tree = ast.parse(solution), ast.parse(stub)
        assert ast.get_docstring(stub_tree) == ast.get_docstring(sol_tree)
        assert len(sol_tree.body) == len(stub_tree.body)
        for old, new in zip(sol_tree.body, stub_tree.body):
            if not isinstance(old, ast.FunctionDef) or old.name not in FUNCTIONS:
                assert ast.dump(old) == ast.dump(new)  # imports and private helpers, unchanged
                continue
            assert (new.name, ast.dump(new.args)) == (old.name, ast.dump(old.args))
            assert ast.get_docstring(new) == ast.get_docstring(old)
            assert [type(s) for s in new.body] == [ast.Expr, ast.Raise]
            assert ast.unparse(new.body[1]) == "raise NotImplementedError"
        assert "# Your code here" in stub
    assert files["_args.py"] == (SOLUTIONS / "_args.py").read_text()
    assert files["__init__.py"].splitlines()[1:] == (SOLUTIONS / "__init__.py").read_text().splitlines()[1:]


def test_the_exercises_package_imports_and_every_function_raises_not_implemented(files, tmp_path):
    package = tmp_path / "stub_package"
    write_files({k: v for k, v in files.items() if k.endswith(".py")}, package)
    spec = importlib.util.spec_from_file_location("stub_package", package / "__init__.py",
                                                  submodule_search_locations=[str(package)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["stub_package"] = module
    try:
        spec.loader.exec_module(module)
        for name in FUNCTIONS:
            function = getattr(module, name)
            required = [p for p in inspect.signature(function).parameters.values() if p.default is p.empty]
            with pytest.raises(NotImplementedError):
                function(*[None] * len(required))
    finally:
        for key in [k for k in sys.modules if k == "stub_package" or k.startswith("stub_package.")]:
            del sys.modules[key]


def test_misplaced_markers_are_reported_with_file_and_line():
    body = "def f():\n    {}\n    return 1\n    {}\n"
    with pytest.raises(GenerateError, match=r"m.py:2: # BEGIN SOLUTION is never closed"):
        stub_source(body.format("# BEGIN SOLUTION", ""), "m.py")
    with pytest.raises(GenerateError, match=r"m.py:4: # END SOLUTION without # BEGIN SOLUTION"):
        stub_source(body.format("", "# END SOLUTION"), "m.py")
    with pytest.raises(GenerateError, match=r"m.py:1: # BEGIN SOLUTION outside a top-level function"):
        stub_source("# BEGIN SOLUTION\n# END SOLUTION\n", "m.py")


# ---------------------------------------------------------------------------------------- notebooks
def notebooks(files):
    return {rel: nbformat.reads(text, as_version=4) for rel, text in files.items() if rel.endswith(".ipynb")}


def test_one_valid_notebook_per_topic_in_teaching_order(files):
    found = notebooks(files)
    assert list(found) == [f"notebooks/{stem}.ipynb" for stem, _ in TOPICS]
    assert sorted(fn for _, fns in TOPICS for fn in fns) == sorted(FUNCTIONS)
    for (stem, functions), nb in zip(TOPICS, found.values()):
        nbformat.validate(nb)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert "setup" in code[0].metadata.tags and code[0].metadata.jupyter.source_hidden
        exercises = [c for c in code if "exercise" in c.metadata.get("tags", ())]
        assert [ast.parse(c.source).body[0].name for c in exercises] == list(functions)
        for fn in functions:  # a grading cell for exactly this function follows its exercise cell
            at = next(i for i, c in enumerate(code) if c in exercises and f"def {fn}(" in c.source)
            grading = next(c for c in code[at + 1:] if "grade" in c.metadata.get("tags", ()))
            assert grading.source.endswith(f'grade_cells("{fn}")')


def test_the_notebooks_explain_with_the_numbers_of_the_post(files):
    text = {stem: "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
            for (stem, _), nb in zip(TOPICS, notebooks(files).values())}
    assert "12,582,912 weights" in text["01_parameter_counting"]
    assert "25·9 = 225" in text["01_parameter_counting"] and "has **9**" in text["01_parameter_counting"]
    assert "4·(3·3·3) = 108" in text["01_parameter_counting"] and "**4** biases" in text["01_parameter_counting"]
    assert "(I − F + 2P)/S + 1" in text["05_padding_and_output_size"]
    assert "shrinks the map by the stride" in text["06_pooling"]
    assert "grows the map by the stride" in text["07_unpooling"]


def test_the_setup_cell_supplies_what_the_exercise_module_imports(files):
    """Every name an exercise module imports is defined by its notebook's setup or helper cells."""
    for (stem, functions), nb in zip(TOPICS, notebooks(files).values()):
        module = FUNCTIONS[functions[0]]
        imported = {alias.asname or alias.name for node in ast.parse(files[f"{module}.py"]).body
                    if isinstance(node, ast.ImportFrom) and node.level for alias in node.names}
        defined = set()
        for cell in nb.cells:
            if cell.cell_type == "code" and "exercise" not in cell.metadata.get("tags", ()):
                defined |= {n.name for n in ast.parse(cell.source).body if isinstance(n, ast.FunctionDef)}
        assert imported <= defined, stem


def test_no_reference_body_reaches_student_material(files):
    """No line that only the solution blocks contain appears in the exercises or the notebooks."""
    secret, given = set(), set()
    for path in SOLUTIONS.glob("*.py"):
        text = path.read_text()
        for block in MARKED.findall(text):
            secret |= {line.strip() for line in block.splitlines()}
        given |= {line.strip() for line in MARKED.sub("", text).splitlines()}
    secret = {line for line in secret - given if len(line) > 12 and not line.startswith("#")}
    assert len(secret) > 40
    for rel, text in files.items():
        material = "\n".join("".join(c.source) for c in nbformat.reads(text, 4).cells
                             if c.cell_type == "code") if rel.endswith(".ipynb") else text
        lines = {line.strip() for line in material.splitlines()}
        assert not secret & lines, rel


# ------------------------------------------------------------------------------------------- commands
def test_generate_check_lists_differences_and_exits_1(tmp_path, files):
    assert run("generate", "--check").exit_code == 0
    out = tmp_path / "exercises"
    written = run("generate", "--solutions", SOLUTIONS, "--output", out)
    assert written.exit_code == 0 and f"{len(files)} of {len(files)} files written" in written.output
    assert run("generate", "--solutions", SOLUTIONS, "--output", out, "--check").exit_code == 0
    (out / "conv.py").write_text("# edited\n")
    (out / "notebooks" / "06_pooling.ipynb").unlink()
    stale = run("generate", "--solutions", SOLUTIONS, "--output", out, "--check")
    assert stale.exit_code == 1
    assert f"differs: {out / 'conv.py'}" in stale.output
    assert f"missing: {out / 'notebooks' / '06_pooling.ipynb'}" in stale.output
    assert (out / "conv.py").read_text() == "# edited\n"  # --check writes nothing


def test_generate_reports_broken_solutions_clearly(tmp_path):
    broken = shutil.copytree(SOLUTIONS, tmp_path / "solutions", ignore=shutil.ignore_patterns("__pycache__"))
    path = broken / "pooling.py"
    path.write_text(path.read_text().replace("    # END SOLUTION\n", "", 1))
    result = run("generate", "--solutions", broken, "--output", tmp_path / "out")
    assert result.exit_code == 1 and re.search(r"pooling.py:\d+: # BEGIN SOLUTION again, but the block "
                                               r"opened at line \d+ has no # END SOLUTION", result.output)
    assert not (tmp_path / "out").exists()


def test_init_writes_the_exercises_and_refuses_to_overwrite(tmp_path):
    dest = tmp_path / "my-work"
    first = run("init", dest)
    assert first.exit_code == 0, first.output
    assert (dest / "conv.py").read_text() == (EXERCISES / "conv.py").read_text()
    assert (dest / "notebooks" / "04_conv2d.ipynb").is_file()
    (dest / "conv.py").write_text("# my work\n")
    again = run("init", dest)
    assert again.exit_code == 2
    assert "already exist" in again.output and str(dest / "conv.py") in again.output
    assert (dest / "conv.py").read_text() == "# my work\n"
    assert run("init", dest, "--force").exit_code == 0
    assert (dest / "conv.py").read_text() == (EXERCISES / "conv.py").read_text()


def test_init_defaults_to_convgrade_exercises(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("init").exit_code == 0
    assert (tmp_path / "convgrade-exercises" / "_args.py").is_file()


# --------------------------------------------------------------------------------------- grading stubs
def test_the_committed_stubs_score_zero_not_implemented():
    some = grade(EXERCISES, only=("params", "conv"), examples=5)
    assert [f.name for f in some.functions] == [f for f, m in FUNCTIONS.items() if m in ("params", "conv")]
    assert some.score == 0.0 and {f.status for f in some.functions} == {"not_implemented"}
    everything = grade(EXERCISES, examples=3)
    assert len(everything.functions) == len(FUNCTIONS) and everything.max_score > 0
    assert everything.score == 0.0 and {f.status for f in everything.functions} == {"not_implemented"}


def test_a_notebook_is_json_that_git_diffs_well(files):
    text = files["notebooks/04_conv2d.ipynb"]
    assert text.endswith("}\n") and json.loads(text)["nbformat"] == 4
    assert all(c["id"] == f"cell-{i:02d}" for i, c in enumerate(json.loads(text)["cells"], start=1))
