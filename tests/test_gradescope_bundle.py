"""The Gradescope autograder zip."""

import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest

from grader.gradescope_bundle import build_bundle, project_root

GRADE_COMMAND = ("grade /autograder/submission \\\n"
                 "    --format gradescope --output /autograder/results/results.json")


@pytest.fixture
def fake_root(tmp_path) -> Path:
    """A minimal project tree with the files the bundle ships, plus caches it must leave out."""
    root = tmp_path / "project"
    for name, text in {
        "pyproject.toml": "[project]\nname = 'convgrade'\n",
        "README.md": "# convgrade\n",
        "grader/__init__.py": "",
        "grader/cli.py": "def main(): pass\n",
        "grader/__pycache__/cli.cpython-311.pyc": "junk",
        "solutions/conv.py": "def conv2d_forward(): pass\n",
        "solutions/.hypothesis/examples": "junk",
        "tests/test_x.py": "not shipped\n",
    }.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def mode(info: zipfile.ZipInfo) -> int:
    return info.external_attr >> 16


def test_bundle_layout(tmp_path, fake_root):
    out = build_bundle(tmp_path / "dist" / "autograder.zip", root=fake_root)
    assert out == tmp_path / "dist" / "autograder.zip"
    with zipfile.ZipFile(out) as bundle:
        names = bundle.namelist()
        infos = {info.filename: info for info in bundle.infolist()}
        setup = bundle.read("setup.sh").decode()
        run = bundle.read("run_autograder").decode()
    assert names[:2] == ["setup.sh", "run_autograder"]
    assert sorted(names[2:]) == ["convgrade/README.md", "convgrade/grader/__init__.py",
                                 "convgrade/grader/cli.py", "convgrade/pyproject.toml",
                                 "convgrade/solutions/conv.py"]
    assert stat.S_ISREG(mode(infos["run_autograder"]))
    assert mode(infos["run_autograder"]) & 0o111 == 0o111
    assert mode(infos["setup.sh"]) & 0o111 == 0o111
    assert mode(infos["convgrade/grader/cli.py"]) & 0o777 == 0o644
    assert run.startswith("#!/usr/bin/env bash\n") and setup.startswith("#!/usr/bin/env bash\n")
    assert GRADE_COMMAND in run
    assert "apt-get install -y python3 python3-pip python3-venv" in setup
    assert "pip install /autograder/source/convgrade\n" in setup


def test_bundle_from_a_pip_requirement_ships_no_source(tmp_path, fake_root):
    out = build_bundle(tmp_path / "a.zip", source="convgrade @ git+https://example.org/c.git", root=fake_root)
    with zipfile.ZipFile(out) as bundle:
        assert bundle.namelist() == ["setup.sh", "run_autograder"]
        setup = bundle.read("setup.sh").decode()
    assert "pip install 'convgrade @ git+https://example.org/c.git'\n" in setup


def test_bundle_is_reproducible(tmp_path, fake_root):
    first = build_bundle(tmp_path / "1.zip", root=fake_root).read_bytes()
    assert build_bundle(tmp_path / "2.zip", root=fake_root).read_bytes() == first


def test_missing_project_files_are_named(tmp_path, fake_root):
    (fake_root / "README.md").unlink()
    with pytest.raises(FileNotFoundError, match=r"project files missing from .*: README\.md"):
        build_bundle(tmp_path / "a.zip", root=fake_root)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_scripts_are_valid_bash(tmp_path, fake_root):
    with zipfile.ZipFile(build_bundle(tmp_path / "a.zip", root=fake_root)) as bundle:
        for name in ("setup.sh", "run_autograder"):
            script = tmp_path / name
            script.write_bytes(bundle.read(name))
            subprocess.run(["bash", "-n", str(script)], check=True)


@pytest.mark.skipif(shutil.which("unzip") is None, reason="needs unzip")
def test_unzip_keeps_run_autograder_executable(tmp_path, fake_root):
    out = build_bundle(tmp_path / "a.zip", root=fake_root)
    subprocess.run(["unzip", "-q", str(out), "-d", str(tmp_path / "x")], check=True)
    assert (tmp_path / "x" / "run_autograder").stat().st_mode & 0o111 == 0o111


@pytest.mark.skipif(not (project_root() / "README.md").exists(), reason="checkout has no README.md yet")
def test_bundle_of_this_checkout(tmp_path):
    with zipfile.ZipFile(build_bundle(tmp_path / "a.zip")) as bundle:
        names = set(bundle.namelist())
    assert {"convgrade/pyproject.toml", "convgrade/grader/results.py",
            "convgrade/grader/gradescope_bundle.py"} <= names
    assert not any("__pycache__" in name for name in names)
