"""The Gradescope autograder zip, and its run on a simulated /autograder: the grade of record, made with
the reference at the secret seed, where student code can read neither."""

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.bwrap import bwrap_available
from grader.catalog import MODULES
from grader.checks import checks_for
from grader.cli import main
from grader.gradescope_bundle import BundleError, build_bundle, bundle_policy, project_root
from grader.locate import locate_submission
from grader.policy import DEFAULT_POLICY, load_policy
from grader.results import seed_fingerprint

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
SEED = 4242
GRADE_COMMAND = 'exec "$root/venv/bin/grade" gradescope-run "$root" --seed-file "$root/source/seed"'


@pytest.fixture
def fake_root(tmp_path) -> Path:
    """A minimal project tree with the files the bundle ships, plus caches and solutions it must leave out."""
    root = tmp_path / "project"
    for name, text in {
        "pyproject.toml": "[project]\nname = 'convgrade'\n",
        "README.md": "# convgrade\n",
        "MANIFEST.in": "prune solutions\n",
        "grader/__init__.py": "",
        "grader/cli.py": "def main(): pass\n",
        "grader/__pycache__/cli.cpython-311.pyc": "junk",
        "grader/recorded/conv2d_forward.npz": "a release's recording",
        "exercises/conv.py": "def conv2d_forward(): raise NotImplementedError\n",
        "solutions/.hypothesis/examples": "junk",
        "tests/test_x.py": "not shipped\n",
    }.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def bundle_of(tmp_path, fake_root, **options) -> Path:
    return build_bundle(tmp_path / "dist" / "autograder.zip", SEED, root=fake_root, reference=SOLUTIONS, **options)


def mode(info: zipfile.ZipInfo) -> int:
    return info.external_attr >> 16


def test_bundle_layout(tmp_path, fake_root):
    out = bundle_of(tmp_path, fake_root)
    assert out == tmp_path / "dist" / "autograder.zip"
    with zipfile.ZipFile(out) as bundle:
        names = bundle.namelist()
        infos = {info.filename: info for info in bundle.infolist()}
        setup = bundle.read("setup.sh").decode()
        run = bundle.read("run_autograder").decode()
        seed = bundle.read("seed").decode()
    assert names[:4] == ["setup.sh", "run_autograder", "seed", "policy.json"]
    shipped = sorted(n for n in names[4:] if n.startswith("convgrade/"))
    assert shipped == ["convgrade/MANIFEST.in", "convgrade/README.md", "convgrade/exercises/conv.py",
                       "convgrade/grader/__init__.py", "convgrade/grader/cli.py", "convgrade/pyproject.toml"]
    assert sorted(n for n in names if n.startswith("reference/")) == sorted(
        f"reference/{p.name}" for p in SOLUTIONS.glob("*.py"))
    assert seed == f"{SEED}\n" and mode(infos["seed"]) & 0o777 == 0o600
    assert str(SEED) not in setup + run  # the secret seed is in a root-only file, never on a command line
    assert stat.S_ISREG(mode(infos["run_autograder"]))
    assert mode(infos["run_autograder"]) & 0o111 == 0o111
    assert mode(infos["setup.sh"]) & 0o111 == 0o111
    assert mode(infos["convgrade/grader/cli.py"]) & 0o777 == 0o644
    assert run.startswith("#!/usr/bin/env bash\n") and setup.startswith("#!/usr/bin/env bash\n")
    assert GRADE_COMMAND in run
    assert "apt-get install -y python3 python3-pip python3-venv" in setup
    assert "pip install /autograder/source/convgrade\n" in setup
    assert "chmod go-rwx -R /autograder/source/reference /autograder/source/seed" in setup


def test_bundle_from_a_pip_requirement_ships_the_reference_but_no_grader(tmp_path, fake_root):
    out = bundle_of(tmp_path, fake_root, source="convgrade @ git+https://example.org/c.git")
    with zipfile.ZipFile(out) as bundle:
        assert not any(n.startswith("convgrade/") for n in bundle.namelist())
        assert {"setup.sh", "run_autograder", "seed", "reference/conv.py"} <= set(bundle.namelist())
        setup = bundle.read("setup.sh").decode()
    assert "pip install 'convgrade @ git+https://example.org/c.git'\n" in setup


def test_bundle_is_reproducible(tmp_path, fake_root):
    first = bundle_of(tmp_path, fake_root).read_bytes()
    again = build_bundle(tmp_path / "2.zip", SEED, root=fake_root, reference=SOLUTIONS).read_bytes()
    assert again == first


def test_missing_project_files_are_named(tmp_path, fake_root):
    (fake_root / "README.md").unlink()
    with pytest.raises(FileNotFoundError, match=r"project files missing from .*: README\.md"):
        bundle_of(tmp_path, fake_root)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_scripts_are_valid_bash(tmp_path, fake_root):
    with zipfile.ZipFile(bundle_of(tmp_path, fake_root)) as bundle:
        for name in ("setup.sh", "run_autograder"):
            script = tmp_path / name
            script.write_bytes(bundle.read(name))
            subprocess.run(["bash", "-n", str(script)], check=True)


@pytest.mark.skipif(shutil.which("unzip") is None, reason="needs unzip")
def test_unzip_keeps_run_autograder_executable(tmp_path, fake_root):
    out = bundle_of(tmp_path, fake_root)
    subprocess.run(["unzip", "-q", str(out), "-d", str(tmp_path / "x")], check=True)
    assert (tmp_path / "x" / "run_autograder").stat().st_mode & 0o111 == 0o111


def test_bundle_of_this_checkout_never_ships_solutions_in_the_grader(tmp_path):
    with zipfile.ZipFile(build_bundle(tmp_path / "a.zip", SEED)) as bundle:
        names = set(bundle.namelist())
    assert {"convgrade/pyproject.toml", "convgrade/grader/results.py", "convgrade/exercises/conv.py",
            "convgrade/grader/gradescope_bundle.py", "reference/conv.py"} <= names
    assert not any("__pycache__" in name or name.startswith("convgrade/solutions") for name in names)
    assert project_root() == REPO


def test_the_command_takes_the_seed_from_a_file_or_the_environment_only(tmp_path, monkeypatch):
    monkeypatch.delenv("CONVGRADE_SEED", raising=False)
    runner = CliRunner()
    missing = runner.invoke(main, ["gradescope-bundle", str(tmp_path / "a.zip")])
    assert missing.exit_code == 2 and "--seed-file" in missing.output and not (tmp_path / "a.zip").exists()
    on_the_command_line = runner.invoke(main, ["gradescope-bundle", str(tmp_path / "a.zip"), "--seed", "77"])
    assert on_the_command_line.exit_code == 2 and not (tmp_path / "a.zip").exists()
    (tmp_path / "seed").write_text("x77\n")
    unreadable = runner.invoke(main, ["gradescope-bundle", str(tmp_path / "a.zip"), "--seed-file", str(tmp_path / "seed")])
    assert unreadable.exit_code == 2 and "must hold one integer" in unreadable.output and "x77" not in unreadable.output
    (tmp_path / "seed").write_text("77\n")
    made = runner.invoke(main, ["gradescope-bundle", str(tmp_path / "a.zip"), "--seed-file", str(tmp_path / "seed")])
    assert made.exit_code == 0, made.output
    monkeypatch.setenv("CONVGRADE_SEED", "78")
    assert runner.invoke(main, ["gradescope-bundle", str(tmp_path / "b.zip")]).exit_code == 0
    for name, seed in (("a.zip", b"77\n"), ("b.zip", b"78\n")):
        with zipfile.ZipFile(tmp_path / name) as bundle:
            assert bundle.read("seed") == seed


def test_the_bundle_ships_the_course_policy_found_above_it(tmp_path, monkeypatch):
    monkeypatch.setenv("CONVGRADE_SEED", "77")
    course = tmp_path / "course"
    course.mkdir()
    (course / "convgrade.toml").write_text('disable = ["detect"]\n[points]\nconv2d_backward = 20\n')
    made = CliRunner().invoke(main, ["gradescope-bundle", str(course / "dist" / "a.zip")])
    assert made.exit_code == 0, made.output
    policy = load_policy(course / "convgrade.toml")
    assert f"policy {policy.fingerprint}" in made.output
    with zipfile.ZipFile(course / "dist" / "a.zip") as bundle:
        shipped = bundle.read("policy.json")
    (tmp_path / "policy.json").write_bytes(shipped)
    assert bundle_policy(tmp_path / "policy.json").fingerprint == policy.fingerprint != DEFAULT_POLICY.fingerprint
    (tmp_path / "policy.json").write_text('{"points": {"conv2d_backward": -1}}')
    with pytest.raises(BundleError, match="points.conv2d_backward"):
        bundle_policy(tmp_path / "policy.json")


# ------------------------------------------------------------------------------------------ finding the work
def touch(root: Path, *names: str) -> Path:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    return root


@pytest.mark.parametrize("names, found", [
    (("conv.py", "pooling.py"), "."),
    (("README.md", "exercises/conv.py", "exercises/notebooks/04_conv2d.ipynb", "wheels/x.whl"), "exercises"),
    (("convgrade-main/README.md", "convgrade-main/exercises/padding.py"), "convgrade-main/exercises"),
    (("__MACOSX/._x", "work/conv.py"), "work"),
    (("04_conv2d.ipynb", "notes.txt"), "."),
    (("README.md", "exercises/notebooks/04_conv2d.ipynb"), "exercises/notebooks"),
    (("everything.py",), "everything.py"),
])
def test_the_work_is_found_wherever_the_student_put_it(tmp_path, names, found):
    located = locate_submission(touch(tmp_path / "submission", *names), tmp_path / "copy")
    assert located.path == tmp_path / "copy" / found
    assert located.explanation == f"graded {found} of the upload"


def test_nothing_found_says_what_was_found_and_what_was_expected(tmp_path):
    located = locate_submission(touch(tmp_path / "submission", "hw/answers.txt", "hw/plot.png", "notes.md"),
                                tmp_path / "copy")
    assert located.path is None
    assert "hw/answers.txt" in located.explanation and "notes.md" in located.explanation
    assert all(f"{m}.py" in located.explanation for m in MODULES) and "exercises/" in located.explanation


# ------------------------------------------------------------------------------------------ the run
ATTACK = '''"""Reads the reference from the bundle and submits it as its own work."""
import importlib.util
import sys

spec = importlib.util.spec_from_file_location("stolen", "@REFERENCE@/__init__.py",
                                              submodule_search_locations=["@REFERENCE@"])
stolen = importlib.util.module_from_spec(spec)
sys.modules["stolen"] = stolen
spec.loader.exec_module(stolen)
globals().update({name: getattr(stolen, name) for name in dir(stolen) if not name.startswith("__")})
'''


def autograder(tmp_path, grade_command, policy=DEFAULT_POLICY) -> Path:
    """An /autograder-like folder: the unzipped bundle in source/, a `grade` in venv/bin/, no results yet."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(build_bundle(tmp_path / "autograder.zip", SEED, policy=policy)) as bundle:
        bundle.extractall(root / "source")
    (root / "source" / "run_autograder").chmod(0o755)
    (root / "venv" / "bin").mkdir(parents=True)
    (root / "venv" / "bin" / "grade").write_text(f"#!/bin/sh\nexec {grade_command} \"$@\"\n")
    (root / "venv" / "bin" / "grade").chmod(0o755)
    (root / "submission").mkdir()
    return root


def run_autograder(root: Path, sandbox: str | None = None) -> dict:
    env = {**os.environ, "CONVGRADE_AUTOGRADER": str(root), "PYTHONPATH": str(REPO)}
    script = root / "source" / "run_autograder"
    if sandbox:
        script.write_text(script.read_text().replace('gradescope-run "$root"', f'gradescope-run "$root" --sandbox {sandbox}'))
    done = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads((root / "results" / "results.json").read_text())


def this_grader() -> str:
    return f"{sys.executable} -c 'from grader.cli import main; main()'"


def test_a_repository_root_upload_is_graded_at_the_secret_seed(tmp_path):
    root = autograder(tmp_path, this_grader())
    repo = root / "submission"
    shutil.copytree(SOLUTIONS, repo / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    touch(repo, "README.md", ".github/workflows/classroom.yml", "wheels/convgrade-0.1.0-py3-none-any.whl")
    results = run_autograder(root)
    assert results["score"] == 100.0 and results["extra_data"]["max_score"] == 100.0
    assert "graded exercises of the upload" in results["output"]
    assert len(results["tests"]) > 80
    source = root / "source"
    for secret in (source / "reference", source / "reference" / "conv.py", source / "seed"):
        info = os.stat(secret)
        assert info.st_uid == 0 and not info.st_mode & 0o077, secret


def test_an_upload_without_exercises_is_told_what_was_expected(tmp_path):
    root = autograder(tmp_path, this_grader())
    touch(root / "submission", "homework.txt")
    results = run_autograder(root)
    assert results["score"] == 0.0 and results["tests"] == []
    assert "Found: homework.txt" in results["output"] and "conv.py" in results["output"]


def test_a_missing_seed_stops_the_run_without_a_score(tmp_path):
    root = autograder(tmp_path, this_grader())
    shutil.copytree(SOLUTIONS, root / "submission" / "exercises")
    (root / "source" / "seed").unlink()
    done = subprocess.run(["bash", str(root / "source" / "run_autograder")], capture_output=True, text=True,
                          env={**os.environ, "CONVGRADE_AUTOGRADER": str(root), "PYTHONPATH": str(REPO)})
    assert done.returncode == 2 and "seed" in done.stderr and "Traceback" not in done.stderr
    assert not (root / "results" / "results.json").exists()


def test_the_run_grades_at_the_seed_of_its_file_under_the_bundles_policy(tmp_path):
    policy = load_policy(write(tmp_path / "course" / "convgrade.toml", '[points]\nconv2d_forward = 20\n'))
    root = autograder(tmp_path, this_grader(), policy=policy)
    shutil.copytree(SOLUTIONS, root / "submission" / "exercises")
    results = run_autograder(root)
    conv2d_forward = sum(c.points for c in checks_for("conv2d_forward"))
    assert results["score"] == results["extra_data"]["max_score"] == 100.0 - conv2d_forward + 20
    assert results["extra_data"]["policy"] == policy.fingerprint
    assert results["extra_data"]["seed_fingerprint"] == seed_fingerprint(SEED)
    assert str(SEED) not in json.dumps(results)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.mark.skipif(not bwrap_available(), reason="needs bubblewrap; the jail of plain-process mode is tested in "
                                                   "test_release")
def test_a_submission_that_reads_the_reference_scores_nothing(tmp_path):
    root = autograder(tmp_path, this_grader())
    attack = ATTACK.replace("@REFERENCE@", str(root / "source" / "reference"))
    for module in MODULES:
        (root / "submission" / f"{module}.py").write_text(attack)
    results = run_autograder(root, sandbox="bwrap")
    assert results["score"] == 0.0
    conv = [t for t in results["tests"] if "conv2d_forward" in t["tags"]]
    assert conv and all(t["score"] == 0 for t in conv)
    assert all("conv.py does not import (FileNotFoundError" in t["output"] for t in conv)
