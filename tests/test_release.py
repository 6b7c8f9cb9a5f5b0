"""`grade release`: a student repository with no reference in it, whose grader grades on recorded cases."""

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from grader.catalog import FUNCTIONS, MODULES, functions_of
from grader.checks import checks_for
from grader.cli import main
from grader.generate import generate_files
from grader.gradescope_bundle import build_bundle
from grader.mutants import build_submission, default_mutants_dir, load_mutants
from grader.recorded import RecordedError, load
from grader.recording import draw_cases, size_key
from grader.release import make_release
from grader.runner import grade
from leak_scan import reference_bodies_in

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
RELEASE_SEED = 20240611


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    return make_release(tmp_path_factory.mktemp("release") / "course", seed=RELEASE_SEED)


@pytest.fixture(scope="module")
def source(recording):
    """The release's recorded answers, as a grading run uses them."""
    return load(recording)


@pytest.fixture(scope="module")
def recording(release, tmp_path_factory) -> Path:
    """grader/recorded/ of the release's wheel, unpacked."""
    out = tmp_path_factory.mktemp("recording")
    with zipfile.ZipFile(release.wheel) as wheel:
        wheel.extractall(out, [n for n in wheel.namelist() if n.startswith("grader/recorded/")])
    return out / "grader" / "recorded"


def files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def readme_first_line(folder: Path) -> str:
    text = (folder / "README.md").read_text()
    return re.search(r"```\n(.*?)\n", text).group(1)


# ------------------------------------------------------------------------------------------ what is in it
def test_the_release_holds_the_student_files_and_a_wheel(release):
    files = files_in(release.dest)
    assert {"README.md", ".gitignore", ".github/workflows/classroom.yml",
            "wheels/convgrade-0.1.0-py3-none-any.whl"} <= files
    assert {f"exercises/{m}.py" for m in MODULES} | {"exercises/_args.py", "exercises/notebooks/04_conv2d.ipynb",
                                                  "exercises/notebooks/ko/04_conv2d.ipynb"} <= files
    assert not any(part in ("solutions", "tests", "alternatives", "mutants") for f in files for part in Path(f).parts)
    first = readme_first_line(release.dest)
    assert first.startswith("python3 -m venv .venv && ") and "wheels/convgrade-0.1.0-py3-none-any.whl" in first
    assert first.endswith("&& .venv/bin/grade")
    student_readme = (release.dest / "README.md").read_text(encoding="utf-8")
    assert "exercises/notebooks/ko/" in student_readme and "--lang ko" in student_readme
    assert "exercises/.convgrade-generated.json" not in files  # grade generate's own bookkeeping
    with zipfile.ZipFile(release.wheel) as wheel:
        names = wheel.namelist()
    assert {"grader/recorded/manifest.json", "exercises/conv.py", "exercises/notebooks/ko/06_pooling.ipynb",
            "grader/figures.py", "grader/locale/ko/LC_MESSAGES/convgrade.mo"} <= set(names)
    assert not any(n.startswith("solutions") for n in names)
    workflow = (release.dest / ".github/workflows/classroom.yml").read_text()
    assert "pip install wheels/*.whl" in workflow and "PREVIEW" in workflow
    assert "preview" in (release.dest / "README.md").read_text()


def test_no_function_body_of_the_reference_is_anywhere_in_the_release(release, tmp_path):
    assert reference_bodies_in(release.dest) == []
    planted = shutil.copytree(release.dest, tmp_path / "planted")
    with zipfile.ZipFile(planted / "wheels" / "extra.zip", "w") as archive:
        archive.write(SOLUTIONS / "pooling.py", "deep/pooling.py")
    assert {name.rsplit(": ", 1)[1] for name in reference_bodies_in(planted)} == set(
        n for n, m in FUNCTIONS.items() if m == "pooling")


def test_the_distributable_sdist_and_wheel_hold_no_solutions(tmp_path):
    stage = tmp_path / "checkout"
    shutil.copytree(REPO, stage, ignore=shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", "build"))
    build = "import sys, setuptools.build_meta as b; b.build_sdist(sys.argv[1]); b.build_wheel(sys.argv[1])"
    subprocess.run([sys.executable, "-c", build, str(tmp_path / "dist")], cwd=stage, check=True,
                   capture_output=True)
    assert reference_bodies_in(tmp_path / "dist") == []
    for archive in (tmp_path / "dist").iterdir():
        names = (zipfile.ZipFile(archive).namelist() if archive.suffix == ".whl"
                 else tarfile.open(archive).getnames())
        assert not any("solutions" in n or "/tests/" in n for n in names), archive.name
        assert any(n.endswith("exercises/conv.py") for n in names) and any(n.endswith("grader/cli.py") for n in names)


# ------------------------------------------------------------------------------------------ recorded cases
def test_every_check_that_needs_the_reference_has_at_least_40_recorded_cases(release):
    for function, checks in release.cases.items():
        for check in checks_for(function):
            if check.kind == "value":
                assert check.name in checks, (function, check.name)
            count = checks.get(check.name)
            if count is not None and count < 40:  # only when the strategy has no more distinct cases
                assert len(draw_cases(check, RELEASE_SEED, 400)) == count, (function, check.name)


def test_recorded_cases_go_from_smallest_to_largest(source):
    for function in FUNCTIONS:
        for check in checks_for(function):
            cases = source.cases(check)
            if cases:
                keys = [size_key(c)[:2] for c in cases]
                assert keys == sorted(keys), (function, check.name)


def conv_corners(c):
    x, w = c.args["x"], c.args["w"]
    (ph, pw), (sh, sw) = (v if isinstance(v, tuple) else (v, v) for v in (c.kwargs["padding"], c.kwargs["stride"]))
    (N, C, H, W), (R, S) = x.shape, w.shape[2:]
    return {"padding 0": ph == pw == 0, "stride larger than the window": sh > R or sw > S,
            "stride smaller than the window": sh < R or sw < S, "H != W": H != W, "R != S": R != S,
            "N = C = 1": N == C == 1, "uneven output size": (H - R + 2 * ph) % sh != 0 or (W - S + 2 * pw) % sw != 0,
            "negative inputs": bool(np.all(x < 0)), "float32": x.dtype == np.float32}


def pool_corners(c):
    x, k, s = c.args["x"], c.args["kernel_size"], c.kwargs["stride"]
    (kh, kw) = k if isinstance(k, tuple) else (k, k)
    (sh, sw) = (kh, kw) if s is None else s if isinstance(s, tuple) else (s, s)
    N, C, H, W = x.shape
    H_out, W_out = (H - kh) // sh + 1, (W - kw) // sw + 1
    windows = [x[n, ch, i * sh:i * sh + kh, j * sw:j * sw + kw] for n in range(N) for ch in range(C)
               for i in range(H_out) for j in range(W_out)]
    return {"stride larger than the window": sh > kh or sw > kw, "stride smaller than the window": sh < kh or sw < kw,
            "stride None": s is None, "H != W": H != W, "kh != kw": kh != kw, "N = C = 1": N == C == 1,
            "uneven output size": (H - kh) % sh != 0 or (W - kw) % sw != 0, "negative inputs": bool(np.all(x < 0)),
            "ties in a window": any(np.count_nonzero(win == win.max()) > 1 for win in windows)}


@pytest.mark.parametrize("function, corners", [("conv2d_forward", conv_corners), ("conv2d_backward", conv_corners),
                                               ("max_pool_forward", pool_corners), ("max_pool_backward", pool_corners),
                                               ("avg_pool_backward", pool_corners)])
def test_the_recorded_cases_reach_every_corner_of_the_contract(source, function, corners):
    for check in (c for c in checks_for(function) if c.kind == "value"):
        reached = {}
        for case in source.cases(check):
            for corner, hit in corners(case).items():
                reached[corner] = reached.get(corner, False) or hit
        assert all(reached.values()), (check.name, [k for k, v in reached.items() if not v])


def test_recorded_files_are_plain_arrays_read_without_pickle(recording):
    for path in recording.glob("*.npz"):
        with np.load(path, allow_pickle=False) as npz:
            assert all(npz[name].dtype != object for name in npz.files)
    manifest = json.loads((recording / "manifest.json").read_text())
    assert set(manifest["files"]) == {f"{fn}.npz" for fn in FUNCTIONS}
    assert str(RELEASE_SEED) not in (recording / "manifest.json").read_text()


def test_a_changed_or_missing_recorded_file_is_refused_clearly(recording, tmp_path):
    changed = shutil.copytree(recording, tmp_path / "changed")
    path = changed / "conv2d_forward.npz"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(RecordedError, match=r"conv2d_forward\.npz does not match its manifest"):
        load(changed)
    path.unlink()
    with pytest.raises(RecordedError, match=r"conv2d_forward\.npz is missing"):
        load(changed)
    (changed / "manifest.json").write_text("{not json")
    with pytest.raises(RecordedError, match="manifest .* cannot be read"):
        load(changed)


def test_every_mutant_loses_points_on_its_own_function_under_the_local_checks(source):
    mutants = load_mutants(default_mutants_dir())

    def local_score(mutant):
        with tempfile.TemporaryDirectory() as tmp:
            result = grade(build_submission(mutant, Path(tmp) / "s"), only=(mutant.function,), reference=source)
        fn = result.function(mutant.function)
        return mutant.name, fn.score < fn.max_score

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = dict(pool.map(local_score, mutants))
    assert len(outcomes) == len(mutants) >= 100
    assert [name for name, caught in outcomes.items() if not caught] == []


def stubs_with(tmp_path, module: str, text: str | None = None) -> Path:
    """The generated stubs, with one module replaced by the reference's (or by `text`)."""
    folder = tmp_path / "work"
    for rel, stub in generate_files(SOLUTIONS).items():
        if not rel.startswith("notebooks/"):
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(stub)
    (folder / f"{module}.py").write_text(text or (SOLUTIONS / f"{module}.py").read_text())
    return folder


def test_conv2d_earns_its_points_on_recorded_helper_answers_while_zero_pad_is_a_stub(source, tmp_path):
    result = grade(stubs_with(tmp_path, "conv"), only=("conv",), reference=source)
    assert result.score == result.max_score == sum(c.points for f in functions_of("conv") for c in checks_for(f))
    assert all("reference zero_pad" in " ".join(fn.notes) for fn in result.functions)


def test_a_helper_call_that_was_not_recorded_runs_the_students_own_helper(source, tmp_path):
    per_image = (SOLUTIONS / "conv.py").read_text().replace(
        "    x_pad = zero_pad(x, padding)\n",
        "    x_pad = np.concatenate([zero_pad(x[n:n + 1], padding) for n in range(x.shape[0])])\n", 1)
    folder = stubs_with(tmp_path, "conv", per_image)
    stubbed = grade(folder, only=("conv2d_forward",), reference=source).function("conv2d_forward")
    assert stubbed.score == 0 and "NotImplementedError" in stubbed.checks[0].feedback
    shutil.copy(SOLUTIONS / "padding.py", folder / "padding.py")
    own = grade(folder, only=("conv2d_forward",), reference=source).function("conv2d_forward")
    assert own.score == own.max_score


def test_release_refuses_a_folder_in_the_way_and_a_folder_that_is_no_reference(tmp_path):
    runner = CliRunner()
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    taken = runner.invoke(main, ["release", str(tmp_path / "taken")])
    assert taken.exit_code == 1 and "not an empty folder; nothing was written" in taken.output
    assert files_in(tmp_path / "taken") == {"notes.txt"}
    (tmp_path / "empty").mkdir()
    wrong = runner.invoke(main, ["release", str(tmp_path / "out"), "--reference", str(tmp_path / "empty")])
    assert wrong.exit_code == 1 and "is not the folder of the reference solutions" in wrong.output
    assert not (tmp_path / "out").exists()


def test_grade_batch_grades_cloned_release_repositories_with_the_reference(release, tmp_path):
    """The grade of record of a GitHub Classroom assignment: clone the repositories, grade them in a batch."""
    repos = tmp_path / "repos"
    alice, bob = (shutil.copytree(release.dest, repos / name) for name in ("alice", "bob"))
    for path in SOLUTIONS.glob("*.py"):
        shutil.copy(path, alice / "exercises" / path.name)
    (alice / ".git").mkdir()
    out = tmp_path / "grades"
    done = CliRunner().invoke(main, ["batch", str(repos), "-o", str(out), "--only", "conv", "--seed", "5",
                                     "--jobs", "2"], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    with open(out / "grades.csv", newline="") as f:
        grades = {row["id"]: row for row in csv.DictReader(f)}
    assert float(grades["alice"]["score"]) == float(grades["alice"]["max_score"]) == sum(
        c.points for f in functions_of("conv") for c in checks_for(f))
    assert float(grades["bob"]["score"]) == 0.0


# ------------------------------------------------------------------------------------------ a student's machine
def run(command: str, cwd: Path, env=None, timeout=900) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env=env or student_env())


def student_env() -> dict:
    """A shell without this checkout on the path; `python3` is the system one when it can make a venv
    (its files are world-readable, so the Gradescope test below can run its worker under a uid of its own)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    system = subprocess.run(["/usr/bin/python3", "-c", "import ensurepip, venv"], capture_output=True)
    if system.returncode == 0:
        env["PATH"] = "/usr/bin:/bin:" + env.get("PATH", "")
    return env


@pytest.fixture(scope="module")
def student(release):
    """A copy of the release after its README's first line ran there: (folder, that line's output). It is
    world-readable, as a student's home or a Gradescope image is, so a worker under its own uid can run."""
    top = Path(tempfile.mkdtemp(prefix="convgrade-student-", dir="/tmp"))
    top.chmod(0o755)
    folder = shutil.copytree(release.dest, top / "course")
    first = run(readme_first_line(folder), folder)
    assert first.returncode == 0, first.stdout + first.stderr
    yield folder, first.stdout
    shutil.rmtree(top)


@pytest.mark.venv
def test_the_readme_first_line_installs_and_grades_the_stubs_at_zero(student):
    folder, output = student
    assert "Total: 0.0 / 100.0" in output and "Local preview" in output
    missing = run(f"{folder}/.venv/bin/python -c 'import solutions'", folder.parent)
    assert missing.returncode != 0 and "No module named 'solutions'" in missing.stderr
    assert run(f"{folder}/.venv/bin/python -c 'import grader.recorded'", folder.parent).returncode == 0


@pytest.mark.venv
def test_the_reference_pasted_into_the_exercises_scores_100_on_recorded_cases(student, tmp_path):
    folder, _ = student
    work = shutil.copytree(folder / "exercises", tmp_path / "exercises")
    for path in SOLUTIONS.glob("*.py"):
        shutil.copy(path, work / path.name)
    done = run(f"{folder}/.venv/bin/grade {work} --sandbox process", tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Total: 100.0 / 100.0" in done.stdout and "Local preview" in done.stdout


@pytest.mark.venv
def test_a_changed_recorded_file_in_the_installation_is_refused_without_a_traceback(student):
    folder, _ = student
    installed = next(folder.glob(".venv/lib/python3*/site-packages/grader/recorded/max_pool_forward.npz"))
    original = installed.read_bytes()
    try:
        installed.write_bytes(original[:-10] + b"0123456789")
        done = run(".venv/bin/grade --only max_pool_forward", folder)
    finally:
        installed.write_bytes(original)
    assert done.returncode == 3 and "Traceback" not in done.stdout + done.stderr  # the installation's fault
    assert "max_pool_forward.npz does not match its manifest" in done.stderr and done.stdout == ""


@pytest.mark.venv
def test_grade_init_of_the_installed_release_writes_the_release(student, release, tmp_path):
    folder, _ = student
    done = run(f"{folder}/.venv/bin/grade init {tmp_path / 'copy'}", tmp_path)
    assert done.returncode == 0, done.stderr
    copy = tmp_path / "copy"
    assert files_in(copy) == files_in(release.dest)
    for rel in files_in(release.dest) - {"wheels/convgrade-0.1.0-py3-none-any.whl"}:
        assert (copy / rel).read_bytes() == (release.dest / rel).read_bytes(), rel
    members = {}
    for which in (copy, release.dest):
        with zipfile.ZipFile(which / "wheels" / "convgrade-0.1.0-py3-none-any.whl") as wheel:
            members[which] = {n: wheel.read(n) for n in wheel.namelist() if not n.endswith("RECORD")}
    assert members[copy] == members[release.dest]


@pytest.mark.venv
@pytest.mark.skipif(os.geteuid() != 0, reason="the jail of plain-process mode needs root")
def test_gradescope_in_the_jail_of_plain_process_mode_grades_the_work_and_hides_the_reference(student, tmp_path):
    """Where bubblewrap cannot run (a Docker container), the installed grader's worker drops to a uid of its
    own in an empty root folder: it grades the work and cannot reach the bundle's reference."""
    folder, _ = student
    from test_gradescope_bundle import ATTACK

    top = Path(tempfile.mkdtemp(prefix="convgrade-autograder-", dir="/tmp"))  # world-readable but the secrets
    top.chmod(0o755)
    for name, work in (("honest", None), ("attack", ATTACK)):
        root = top / name / "autograder"
        with zipfile.ZipFile(build_bundle(tmp_path / f"{name}.zip", 4242)) as bundle:
            bundle.extractall(root / "source")
        (root / "submission").mkdir()
        if work is None:
            shutil.copytree(SOLUTIONS, root / "submission" / "exercises")
        else:
            for module in MODULES:
                (root / "submission" / f"{module}.py").write_text(
                    work.replace("@REFERENCE@", str(root / "source" / "reference")))
        done = run(f"{folder}/.venv/bin/grade gradescope-run {root} --seed-file {root}/source/seed "
                   f"--sandbox process", tmp_path)
        assert done.returncode == 0, done.stderr
        results = json.loads((root / "results" / "results.json").read_text())
        assert results["score"] == (100.0 if work is None else 0.0), name
        if work is not None:
            assert all("does not import (FileNotFoundError" in t["output"] for t in results["tests"])
    shutil.rmtree(top)
