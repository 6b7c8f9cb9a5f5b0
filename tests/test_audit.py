"""`grade audit`: the mutant matrix, its summary and JSON, extra checks and mutants, and its exit status."""
import json
import sys
import textwrap

import pytest
from click.testing import CliRunner

from grader import audit as audit_module
from grader.commands import audit as audit_command_module
from grader.checks import REGISTRY, checks_for
from grader.cli import main
from grader.mutants import (MutantError, build_submission, default_mutants_dir, load_mutant, load_mutants,
                            run_mutant)

FAST = ["--only", "same_padding", "--examples", "5", "--seeds", "2"]
CAUGHT = "mutants caught at every seed, each by a check of the behaviour it breaks: "

GOOD_CHECK = '''
from hypothesis import strategies as st
from grader.checks.base import Case, CheckFailed, check

@check("same_padding", name="puts no more zeros before than after", points=0.5, kind="property",
       statement="same_padding(k) has before <= after.",
       strategy=st.builds(lambda k: Case({"kernel_size": k}), st.integers(1, 12)))
def same_padding_puts_no_more_zeros_before(ctx, case):
    before, after = ctx.call(case)
    if before > after:
        raise CheckFailed(f"before = {before} > after = {after}.\\nHint: the extra zero goes after (k - 1).")
'''

IDLE_CHECK = '''
from hypothesis import strategies as st
from grader.checks.base import Case, CheckFailed, check

@check("same_padding", name="is at most k", points=0.5, kind="property",
       statement="same_padding(k) pads at most k zeros on each side.",
       strategy=st.builds(lambda k: Case({"kernel_size": k}), st.integers(1, 12)))
def same_padding_is_at_most_k(ctx, case):
    before, after = ctx.call(case)
    if max(before, after) > case.args["kernel_size"]:
        raise CheckFailed("more zeros than the kernel is wide.")
'''


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text).lstrip())
    return folder


@pytest.fixture
def registry_restored():
    """Extra check modules register into the global registry: take them out again after the test."""
    before = len(REGISTRY)
    yield
    del REGISTRY[before:]
    for name in [n for n in sys.modules if n.startswith(audit_module.EXTRA_CHECKS_PACKAGE)]:
        del sys.modules[name]


def run(*args):
    return CliRunner().invoke(main, ["audit", *args], catch_exceptions=False)


def test_audit_of_one_function_prints_the_matrix_summary_and_json(tmp_path):
    result = run(*FAST, "--json", str(tmp_path / "audit.json"))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "same_padding  (3 checks, 2 points, 3 mutants)" in out
    assert "half_each_side" in out and "extra_zero_before" in out and "✓" in out
    assert CAUGHT + "3 / 3" in out and "checks that catch a mutant: 3 / 3" in out
    assert "seeds 0, 1; 5 examples per check" in out and "survivors: 0 at seed 0, 0 at seed 1" in out
    assert "1. splits k - 1 zeros, the extra one after (1, value): 2" in out
    assert "mean feedback length of first failures:" in out
    data = json.loads((tmp_path / "audit.json").read_text())
    assert data["ok"] and data["summary"]["mutants_caught"] == data["summary"]["mutants_total"] == 3
    assert data["seeds"] == [0, 1] and data["survivors_by_seed"] == {"0": [], "1": []}
    assert data["summary"]["mean_feedback_chars"] > 50
    by_name = {m["name"]: m for m in data["mutants"]}
    assert by_name["same_padding__extra_zero_before"]["caught_by"] == ["splits k - 1 zeros, the extra one after"]
    assert [s["seed"] for s in by_name["same_padding__extra_zero_before"]["by_seed"]] == [0, 1]
    assert by_name["same_padding__np_floor_floats"]["breaks"] == ["value", "contract"]
    assert {c["name"]: c["catches"] for c in data["checks"]}["returns a tuple of two ints"] == [
        "same_padding__np_floor_floats"]
    assert data["survivors"] == [] and data["idle_checks"] == []


def test_a_surviving_mutant_fails_the_audit_and_is_named(tmp_path):
    mutants = write(tmp_path / "mine", "same_padding__actually_right.py", '''
        """A "mutant" that is the correct formula written differently."""
        FUNCTION = "same_padding"
        FAMILY = "same padding"

        def same_padding(kernel_size):
            return (kernel_size - 1) // 2, kernel_size // 2
        ''')
    result = run(*FAST, "--mutants", str(mutants))
    assert result.exit_code == 1
    assert "actually_right" in result.output and "<- survives every check at every seed" in result.output
    assert "SURVIVOR same_padding__actually_right" in result.output
    assert CAUGHT + "3 / 4" in result.output
    assert "survivors: 1 at seed 0, 1 at seed 1" in result.output


def test_a_mutant_caught_only_by_a_check_of_another_kind_fails_the_audit(tmp_path):
    mutants = write(tmp_path / "mine", "same_padding__floats_for_the_property.py", '''
        """Right values as floats, said to break the size property (which floats do not break)."""
        FUNCTION = "same_padding"
        FAMILY = "type"
        BREAKS = ("property",)

        def same_padding(kernel_size):
            return (kernel_size - 1) / 2 // 1, (kernel_size - 1) - (kernel_size - 1) // 2 * 1.0
        ''')
    result = run(*FAST, "--mutants", str(mutants))
    assert result.exit_code == 1
    assert ("SURVIVOR same_padding__floats_for_the_property: Right values as floats, said to break the size "
            "property (which floats do not break). (caught at every seed only by contract checks, not by a "
            "property check") in result.output


def test_a_mutant_caught_at_some_seeds_only_is_a_survivor_at_the_others():
    from grader.mutants import MutantOutcome

    mutant = load_mutants(default_mutants_dir())[0]
    names = [c.name for c in checks_for(mutant.function)]
    caught = MutantOutcome(mutant, 0, 0.0, 1.0, "failed", names[:1], ["value"], names, "Hint: +=")
    missed = MutantOutcome(mutant, 1, 1.0, 1.0, "passed", [], [], names, "")
    audit = audit_module.Audit([caught, missed], [0, 1], 5, functions=[mutant.function])
    assert audit.survivors_at(0) == [] and audit.survivors_at(1) == [mutant.name] and not audit.ok
    table = audit_module.audit_table(audit)
    assert "survives every check at seed 1" in table and f"SURVIVOR {mutant.name}" in table
    assert "0-1/1" in table and "survivors: 0 at seed 0, 1 at seed 1" in table


def test_mutant_breaks_default_by_family_and_must_name_kinds(tmp_path):
    path = tmp_path / "same_padding__x.py"
    path.write_text('"""d"""\nFUNCTION = "same_padding"\nFAMILY = "dtype"\ndef same_padding(k):\n    return 0, 0\n')
    assert load_mutant(path).breaks == ("contract",)
    path.write_text('"""d"""\nFUNCTION = "same_padding"\nFAMILY = "dtype"\nBREAKS = ("colour",)\n'
                    'def same_padding(k):\n    return 0, 0\n')
    with pytest.raises(MutantError, match="BREAKS must be a tuple of check kinds"):
        load_mutant(path)


def test_extra_checks_are_loaded_and_an_idle_one_fails_the_audit(tmp_path, registry_restored):
    checks = write(tmp_path / "checks", "ordering.py", GOOD_CHECK)
    write(checks, "bound.py", IDLE_CHECK)
    result = run(*FAST, "--checks", str(checks))
    assert result.exit_code == 1
    out = result.output
    assert "puts no more zeros before than after (0.5, property) [--checks]: 1" in out
    assert "is at most k (0.5, property) [--checks]: 0   <- catches no mutant" in out
    assert ("IDLE CHECK same_padding: is at most k (convgrade_extra_checks.bound.same_padding_is_at_most_k) "
            "catches no mutant") in out
    assert "checks that catch a mutant: 4 / 5" in out


def test_a_check_that_raises_is_reported_with_its_file_and_line(tmp_path, registry_restored):
    checks = write(tmp_path / "checks", "buggy.py", """
        from hypothesis import strategies as st
        from grader.checks.base import Case, check

        @check("same_padding", name="has a bug", points=0.5, kind="property", statement="whatever.",
               strategy=st.just(Case({"kernel_size": 3})))
        def same_padding_has_a_bug(ctx, case):
            return ctx.call(case).no_such_attribute
        """)
    result = run(*FAST, "--checks", str(checks))
    assert result.exit_code == 1
    assert "GRADING ERROR same_padding__half_each_side: a check raised AttributeError" in result.output
    assert f"{checks / 'buggy.py'}:7" in result.output


def test_a_broken_check_module_is_a_usage_error(tmp_path, registry_restored):
    checks = write(tmp_path / "checks", "broken.py", "import no_such_module_here\n")
    result = run(*FAST, "--checks", str(checks))
    assert result.exit_code == 2
    assert "broken.py could not be imported: ModuleNotFoundError" in result.output


def test_a_malformed_mutant_is_a_usage_error_naming_the_file(tmp_path):
    mutants = write(tmp_path / "mine", "same_padding__no_family.py", '''
        """Forgot the family."""
        FUNCTION = "same_padding"

        def same_padding(kernel_size):
            return 0, 0
        ''')
    result = run(*FAST, "--mutants", str(mutants))
    assert result.exit_code == 2
    assert "same_padding__no_family.py: no FAMILY" in result.output


def test_without_the_repository_corpus_the_audit_says_so(monkeypatch, tmp_path):
    def missing():
        raise MutantError("the mutant corpus /nowhere/tests/mutants was not found; pass --mutants DIR")

    monkeypatch.setattr(audit_command_module, "default_mutants_dir", missing)
    result = run(*FAST)
    assert result.exit_code == 2 and "was not found" in result.output
    mutants = write(tmp_path / "mine", "same_padding__zero.py", '''
        """Never pads."""
        FUNCTION = "same_padding"
        FAMILY = "same padding"

        def same_padding(kernel_size):
            return 0, 0
        ''')
    result = run(*FAST, "--mutants", str(mutants))
    assert CAUGHT + "1 / 1" in result.output


@pytest.mark.parametrize("source, problem", [
    ('FUNCTION = "same_padding"\nFAMILY = "shape"\ndef same_padding(k):\n    return 0, 0\n', "docstring"),
    ('"""d"""\nFUNCTION = "nope"\nFAMILY = "shape"\ndef nope(k):\n    pass\n', "not a graded function"),
    ('"""d"""\nFUNCTION = "same_padding"\nFAMILY = "oops"\ndef same_padding(k):\n    pass\n', "unknown"),
    ('"""d"""\nFUNCTION = "same_padding"\nFAMILY = "shape"\ndef other(k):\n    pass\n', "defines no function"),
    ('"""d"""\nFUNCTION = "same_padding"\nFAMILY = "shape"\ndef same_padding(k:\n', "syntax error"),
])
def test_mutant_format_errors(tmp_path, source, problem):
    path = tmp_path / "same_padding__bad.py"
    path.write_text(source)
    with pytest.raises(MutantError, match=problem):
        load_mutant(path)


def test_mutant_file_name_must_start_with_its_function(tmp_path):
    path = tmp_path / "zero_pad__misfiled.py"
    path.write_text('"""d"""\nFUNCTION = "same_padding"\nFAMILY = "shape"\ndef same_padding(k):\n    return 0, 0\n')
    with pytest.raises(MutantError, match="must start with same_padding__"):
        load_mutant(path)


def test_duplicate_mutant_names_are_refused(tmp_path):
    text = '"""d"""\nFUNCTION = "same_padding"\nFAMILY = "shape"\ndef same_padding(k):\n    return 0, 0\n'
    for folder in ("a", "b"):
        write(tmp_path / folder, "same_padding__twice.py", text)
    with pytest.raises(MutantError, match="two mutants are named same_padding__twice"):
        load_mutants(tmp_path / "a", tmp_path / "b")


def test_mutant_submission_appends_to_the_module_and_relative_imports_work(tmp_path):
    path = write(tmp_path / "mine", "conv2d_forward__no_padding.py", '''
        """Ignores the padding (uses the helpers through relative imports)."""
        FUNCTION = "conv2d_forward"
        FAMILY = "shape"

        import numpy as np
        from ._args import as_pair
        from .padding import zero_pad

        def conv2d_forward(x, w, b, stride=1, padding=0):
            sh, sw = as_pair(stride, "stride")
            x_pad = zero_pad(x, 0)
            K, C, R, S = w.shape
            H_out, W_out = (x.shape[2] - R) // sh + 1, (x.shape[3] - S) // sw + 1
            out = np.zeros((x.shape[0], K, H_out, W_out), dtype=x.dtype)
            for i in range(H_out):
                for j in range(W_out):
                    win = x_pad[:, :, i * sh:i * sh + R, j * sw:j * sw + S]
                    out[:, :, i, j] = np.tensordot(win, w, axes=([1, 2, 3], [1, 2, 3])) + b
            return out
        ''') / "conv2d_forward__no_padding.py"
    mutant = load_mutant(path)
    folder = build_submission(mutant, tmp_path / "submission")
    text = (folder / "conv.py").read_text()
    assert text.index("def conv2d_forward") < text.rindex("def conv2d_forward")  # appended after the original
    assert (folder / "_args.py").exists() and (folder / "padding.py").exists()
    outcome = run_mutant(mutant, examples=5)
    assert outcome.status == "failed" and outcome.score < outcome.max_score
    assert "matches the reference" in outcome.caught_by
