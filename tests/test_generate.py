"""`grade generate` and `grade init`: stubs and notebooks from the reference, in sync, never its bodies."""

import ast
import importlib.util
import inspect
import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from grader.catalog import FUNCTIONS, MODULES
from grader.cli import main
from grader.generate import (MANIFEST, NOTEBOOK_DIRS, GenerateError, differences, find_checkout, generate_files,
                             stub_source, write_files)
from grader.catalog import TOPICS
from grader.figures import FIGURES
from grader import teaching
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
HANGUL = re.compile("[\uac00-\ud7a3]")
CODE = re.compile(r"``.+?``|`[^`]+`|\$\$.+?\$\$")


def notebooks(files, lang="en"):
    folder = NOTEBOOK_DIRS[lang]
    return {rel: nbformat.reads(text, as_version=4) for rel, text in files.items()
            if rel.endswith(".ipynb") and rel.rsplit("/", 1)[0] == folder}


def markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_both_languages_have_every_notebook(files):
    assert NOTEBOOK_DIRS == {"en": "notebooks", "ko": "notebooks/ko"}
    assert [rel for rel in files if rel.endswith(".ipynb")] == [
        f"{folder}/{stem}.ipynb" for folder in NOTEBOOK_DIRS.values() for stem, _ in TOPICS]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_one_valid_notebook_per_topic_in_teaching_order(files, lang):
    found = notebooks(files, lang)
    assert list(found) == [f"{NOTEBOOK_DIRS[lang]}/{stem}.ipynb" for stem, _ in TOPICS]
    assert sorted(fn for _, fns in TOPICS for fn in fns) == sorted(FUNCTIONS)
    for (stem, functions), nb in zip(TOPICS, found.values()):
        nbformat.validate(nb)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert {"setup", "hide-input"} <= set(code[0].metadata.tags) and code[0].metadata.jupyter.source_hidden
        exercises = [c for c in code if "exercise" in c.metadata.get("tags", ())]
        assert [ast.parse(c.source).body[0].name for c in exercises] == list(functions)
        for fn in functions:  # a grading cell for exactly this function follows its exercise cell
            at = next(i for i, c in enumerate(code) if c in exercises and f"def {fn}(" in c.source)
            grading = next(c for c in code[at + 1:] if "grade" in c.metadata.get("tags", ()))
            lang_arg = ', lang="ko"' if lang == "ko" else ""
            assert grading.source.endswith(f'grade_cells("{fn}"{lang_arg})')


def test_a_korean_notebook_is_its_english_twin_with_korean_markdown(files):
    """Same cells, tags and code; the Markdown in Korean; the grading and figures told the language."""
    for english, korean in zip(notebooks(files, "en").values(), notebooks(files, "ko").values()):
        assert [(c.cell_type, c.metadata) for c in english.cells] == [(c.cell_type, c.metadata)
                                                                      for c in korean.cells]
        for en, ko in zip(english.cells, korean.cells):
            if en.cell_type == "markdown":
                assert HANGUL.search(ko.source) and not HANGUL.search(en.source.replace("차원의 저주", ""))
                assert set(CODE.findall(en.source)) == set(CODE.findall(ko.source))  # the same code, formulas
            elif {"grade", "figure"} & set(en.metadata.get("tags", ())):
                assert ko.source == en.source[:-1] + ', lang="ko")'
            else:
                assert ko.source == en.source


@pytest.mark.parametrize("lang, numbers", [
    ("en", {"01_parameter_counting": ["12,582,912 weights", "25·9 = 225", "has **9**", "4·(3·3·3) = 108",
                                      "**4** biases", "curse of dimensionality", "inductive bias"],
            "05_padding_and_output_size": ["(I − F + 2P)/S + 1"],
            "06_pooling": ["shrinks the map by the stride"], "07_unpooling": ["grows the map by the stride"]}),
    ("ko", {"01_parameter_counting": ["12,582,912개의 weight", "25·9 = 225", "**9**개", "4·(3·3·3) = 108",
                                      "bias **4**개", "차원의 저주", "inductive bias", "파라미터", "커널"],
            "05_padding_and_output_size": ["(I − F + 2P)/S + 1", "패딩"],
            "06_pooling": ["stride의 배수만큼 작아집니다", "풀링"], "07_unpooling": ["stride의 배수만큼 커집니다"]}),
])
def test_the_notebooks_explain_with_the_numbers_and_words_of_the_post(files, lang, numbers):
    text = {stem: markdown(nb) for (stem, _), nb in zip(TOPICS, notebooks(files, lang).values())}
    for stem, phrases in numbers.items():
        for phrase in phrases:
            assert phrase in text[stem], (stem, phrase)


@pytest.mark.parametrize("lang, shift_words, padding_words", [
    ("en", ["shift **equivariance**", "the score is shift **invariant**"],
     ["**total** of both sides", "**P = (F − 1)/2**", "`same_padding(4)` is (1, 2)"]),
    ("ko", ["shift **equivariance**", "score는 shift **invariant**"],
     ["양쪽을 **합한** 양", "**P = (F − 1)/2**", "`same_padding(4)`는 (1, 2)"]),
])
def test_shifting_is_equivariance_the_max_is_invariance_and_padding_counts_both_sides(
        files, lang, shift_words, padding_words):
    nbs = {stem: markdown(nb) for (stem, _), nb in zip(TOPICS, notebooks(files, lang).values())}
    scanning, padding = nbs["02_scanning_and_shift_invariance"], nbs["05_padding_and_output_size"]
    assert all(w in scanning for w in shift_words)
    assert "That is the shift invariance of convolutional networks" not in scanning
    assert all(w in padding for w in padding_words)


def test_every_notebook_draws_a_figure_with_the_students_functions(files):
    for (stem, functions), nb in zip(TOPICS, notebooks(files).values()):
        figures = [c for c in nb.cells if "figure" in c.metadata.get("tags", ())]
        assert figures, stem
        setup = next(c for c in nb.cells if "setup" in c.metadata.get("tags", ()))
        given = set(re.findall(r"^def (\w+)", setup.source, re.M))  # make_shapes draws the detector's images
        for cell in figures:
            imported, call = cell.source.split("\n")
            name = re.match(r"from grader\.figures import (\w+)$", imported).group(1)
            assert name in FIGURES and call.startswith(f"{name}(")
            arguments = re.findall(r"\w+", call[len(name):])
            assert arguments and set(arguments) <= set(FUNCTIONS) | given, call  # drawn with the student's code


def test_a_changed_docstring_asks_for_a_new_translation(tmp_path):
    changed = shutil.copytree(SOLUTIONS, tmp_path / "solutions", ignore=shutil.ignore_patterns("__pycache__"))
    path = changed / "scanning.py"
    path.write_text(path.read_text().replace("Scan the kernel ``w (F,)``", "Slide the kernel ``w (F,)``", 1))
    with pytest.raises(GenerateError, match=r"the summary of scan1d in grader/teaching.py is 'Scan the kernel "
                                            r".*now begins 'Slide the kernel.*update the English and the Korean"):
        generate_files(changed)


def test_a_function_or_topic_without_teaching_text_is_named(monkeypatch):
    monkeypatch.delitem(teaching.STEPS, "detect")
    with pytest.raises(GenerateError, match="grader/teaching.py has no Step for detect"):
        generate_files(SOLUTIONS)


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
def test_generate_check_lists_differences_and_exits_1(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO / "grader")  # the checkout is found from the current folder upward
    assert run("generate", "--check").exit_code == 0
    out = tmp_path / "exercises"
    written = run("generate", "--solutions", SOLUTIONS, "--output", out)
    count = len(generate_files(SOLUTIONS))
    assert written.exit_code == 0 and f"{count} of {count} files written" in written.output
    assert run("generate", "--solutions", SOLUTIONS, "--output", out, "--check").exit_code == 0
    (out / "conv.py").write_text("# edited\n")
    (out / "notebooks" / "06_pooling.ipynb").unlink()
    (out / "notebooks" / "ko" / "03_shared_weight_gradients.ipynb").write_text("{}")
    stale = run("generate", "--solutions", SOLUTIONS, "--output", out, "--check")
    assert stale.exit_code == 1
    assert f"differs: {out / 'conv.py'}" in stale.output
    assert f"missing: {out / 'notebooks' / '06_pooling.ipynb'}" in stale.output
    assert f"differs: {out / 'notebooks' / 'ko' / '03_shared_weight_gradients.ipynb'}" in stale.output
    assert (out / "conv.py").read_text() == "# edited\n"  # --check writes nothing


def edited_solutions(dest) -> Path:
    """A copy of the solutions in `dest` whose conv and pooling docstrings changed (so their stubs change)."""
    copy = shutil.copytree(SOLUTIONS, dest, ignore=shutil.ignore_patterns("__pycache__"))
    for module in ("conv", "pooling"):
        path = copy / f"{module}.py"
        path.write_text(path.read_text().replace('"""', '"""Revised. ', 1))
    return copy


def test_generate_never_overwrites_a_file_changed_by_hand_unless_forced(tmp_path):
    out = tmp_path / "exercises"
    assert run("generate", "--solutions", SOLUTIONS, "--output", out).exit_code == 0
    assert json.loads((out / MANIFEST).read_text())["files"].keys() == set(generate_files(SOLUTIONS)) - {MANIFEST}
    (out / "conv.py").write_text((out / "conv.py").read_text() + "\n# my own notes\n")
    revised = edited_solutions(tmp_path / "solutions")
    refused = run("generate", "--solutions", revised, "--output", out)
    assert refused.exit_code == 2 and "these files were changed by hand since the last generation" in refused.output
    assert f"  {out / 'conv.py'}\n" in refused.output and "--force" in refused.output
    assert "pooling.py" not in refused.output  # generated and untouched since: not a hand edit
    assert "# my own notes" in (out / "conv.py").read_text()
    assert not (out / "pooling.py").read_text().startswith('"""Revised.')  # nothing was written
    forced = run("generate", "--solutions", revised, "--output", out, "--force")
    assert forced.exit_code == 0 and f"wrote {out / 'conv.py'}" in forced.output
    assert differences(generate_files(revised), out) == []
    assert run("generate", "--solutions", SOLUTIONS, "--output", out).exit_code == 0  # untouched: no --force


def test_without_its_manifest_generate_treats_every_differing_file_as_a_hand_edit(tmp_path):
    out = tmp_path / "exercises"
    assert run("generate", "--solutions", SOLUTIONS, "--output", out).exit_code == 0
    (out / MANIFEST).unlink()
    assert run("generate", "--solutions", SOLUTIONS, "--output", out).exit_code == 0  # nothing differs
    (out / MANIFEST).write_text("{not json")
    refused = run("generate", "--solutions", edited_solutions(tmp_path / "solutions"), "--output", out)
    assert refused.exit_code == 2 and f"there is no {MANIFEST}" in refused.output
    assert str(out / "conv.py") in refused.output and str(out / "pooling.py") in refused.output
    assert str(out / "padding.py") not in refused.output


def test_generate_acts_on_the_checkout_of_the_current_folder(tmp_path, monkeypatch):
    checkout = tmp_path / "course"
    revised = edited_solutions(checkout / "solutions")
    (checkout / "pyproject.toml").write_text('[project]\nname = "convgrade"\nversion = "0.1.0"\n')
    (checkout / "docs").mkdir()
    monkeypatch.chdir(checkout / "docs")
    assert find_checkout(Path.cwd()) == checkout.resolve()
    result = run("generate")
    assert result.exit_code == 0, result.output
    assert differences(generate_files(revised), checkout / "exercises") == []  # its own solutions, its folder
    assert differences(generate_files(SOLUTIONS), EXERCISES) == []
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "pyproject.toml").write_text('[project]\nname = "convgrade-fork"\n')
    monkeypatch.chdir(tmp_path / "elsewhere")
    outside = run("generate")
    assert outside.exit_code == 2 and "is not inside a convgrade checkout" in outside.output
    assert "--output DIR" in outside.output and "grade init" in outside.output
    assert not (tmp_path / "elsewhere" / "exercises").exists()


def test_generate_reports_broken_solutions_clearly(tmp_path):
    broken = shutil.copytree(SOLUTIONS, tmp_path / "solutions", ignore=shutil.ignore_patterns("__pycache__"))
    path = broken / "pooling.py"
    path.write_text(path.read_text().replace("    # END SOLUTION\n", "", 1))
    result = run("generate", "--solutions", broken, "--output", tmp_path / "out")
    assert result.exit_code == 1 and re.search(r"pooling.py:\d+: # BEGIN SOLUTION again, but the block "
                                               r"opened at line \d+ has no # END SOLUTION", result.output)
    assert not (tmp_path / "out").exists()


def test_init_writes_a_releases_student_files_and_refuses_to_overwrite(tmp_path):
    dest = tmp_path / "my-work"
    first = run("init", dest)
    assert first.exit_code == 0, first.output
    assert (dest / "exercises" / "conv.py").read_text() == (EXERCISES / "conv.py").read_text()
    assert (dest / "exercises" / "notebooks" / "04_conv2d.ipynb").is_file()
    assert {".gitignore", "README.md", ".github/workflows/classroom.yml"} <= {
        str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file()}
    (dest / "exercises" / "conv.py").write_text("# my work\n")
    again = run("init", dest)
    assert again.exit_code == 2
    assert "already exist" in again.output and str(dest / "exercises" / "conv.py") in again.output
    assert (dest / "exercises" / "conv.py").read_text() == "# my work\n"
    assert run("init", dest, "--force").exit_code == 0
    assert (dest / "exercises" / "conv.py").read_text() == (EXERCISES / "conv.py").read_text()


def test_init_defaults_to_convgrade_exercises(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("init").exit_code == 0
    assert (tmp_path / "convgrade-exercises" / "exercises" / "_args.py").is_file()


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


def test_init_in_a_source_tree_with_an_egg_info_writes_no_wheel(tmp_path, monkeypatch):
    """A checkout installed with `pip install -e .` has convgrade.egg-info beside pyproject.toml, which
    importlib.metadata may find first: it lists the sources, but there is no wheel to give."""
    from importlib import metadata

    from grader import distribution

    info = tmp_path / "convgrade.egg-info"
    info.mkdir()
    (info / "PKG-INFO").write_text("Metadata-Version: 2.1\nName: convgrade\nVersion: 0.1.0\n")
    (info / "SOURCES.txt").write_text("pyproject.toml\ngrader/__init__.py\nexercises/conv.py\n")
    monkeypatch.setattr(distribution, "_distribution", lambda: metadata.PathDistribution(info))
    assert distribution.installed_wheel(tmp_path / "wheels") is None
    assert run("init", tmp_path / "my-work").exit_code == 0
