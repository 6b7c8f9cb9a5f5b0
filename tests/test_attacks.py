"""The hostile corpus: each file in tests/attacks/ is a submission that tries to raise its score or to harm the
machine. It is graded through grade() in each sandbox mode, and its EXPECT says what must happen.

EXPECT keys: `only` (the functions graded, or "all"), `outcome` (what holds in every mode), `process` /
`bwrap` (what holds in that mode only), `process_as_root` (what holds in plain-process mode when the grader
runs as root: the worker is then jailed under a uid of its own; it overrides `process`), `modes` (where the attack is meaningful), `file_name` (the name of
the one-file submission), `place` (file names to give the attack in a folder instead of grading it as one
file), `solutions` (put the reference modules next to it), `symlink` (place it as symbolic links),
`timeout`, `examples`. Outcome keys: `score`, `full`, `status` (one for all functions, or per function),
`says` (in the feedback), `output_says` / `output_lacks` (in the captured output), `output_max`, `seconds`,
`absent` (host paths that must not exist afterwards).

In the sources, @MARKER@ becomes a string unique to the run (after grading, no process may carry it in its
command line or environment), @PORT@ a TCP port listening on 127.0.0.1, @REPO@ this repository and @SEED@
the seed the submission is graded with (a random one, unique to the run).
"""

import ast
import csv
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from grader.defaults import DEFAULT_TIMEOUT
from grader.results import seed_fingerprint
from grader.runner import grade
from grader.bwrap import bwrap_available
from grading_helpers import REPO, copy_solutions

ATTACKS = sorted((Path(__file__).parent / "attacks").glob("*.py"))
EXPECT = re.compile(r"^EXPECT = (\{.*?^\})", re.M | re.S)
NEEDS_BWRAP = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed or not usable")
MODES = ["process", pytest.param("bwrap", marks=[pytest.mark.sandbox, NEEDS_BWRAP])]


def expectation(path: Path) -> dict:
    match = EXPECT.search(path.read_bytes().decode("latin-1"))
    assert match, f"{path.name} has no EXPECT = {{...}} block"
    return ast.literal_eval(match.group(1))


def build(path: Path, expect: dict, dest: Path, substitutions: dict) -> Path:
    data = path.read_bytes()
    for key, value in substitutions.items():
        data = data.replace(key.encode(), value.encode())
    place = expect.get("place")
    if not place:
        target = dest / expect.get("file_name", path.name)
        target.write_bytes(data)
        return target
    folder = dest / "submission"
    if expect.get("solutions"):
        copy_solutions(folder)
    folder.mkdir(exist_ok=True)
    (dest / "attack_source.py").write_bytes(data)
    for name in place:
        (folder / name).unlink(missing_ok=True)
        if expect.get("symlink"):
            (folder / name).symlink_to(dest / "attack_source.py")
        else:
            (folder / name).write_bytes(data)
    return folder


def leftovers(marker: str) -> list[str]:
    """Processes carrying the marker in their command line or environment, or named after it (comm: its last
    15 characters)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            for part, text in (("cmdline", marker), ("environ", marker), ("comm", marker[-15:])):
                try:
                    if text.encode() in Path(f"/proc/{entry}/{part}").read_bytes():
                        found.append(f"{entry} ({part})")
                except OSError:
                    pass
    return found


def summary(result) -> str:
    lines = [f"score {result.score}/{result.max_score} in {result.elapsed_s} s"]
    for f in result.functions:
        lines.append(f"{f.name}: {f.status} {f.score}/{f.max_score}")
        lines += [f"    {c.name}: {c.feedback[:400]}" for c in f.checks if not c.passed][:3]
        if f.output:
            lines.append(f"    output: {f.output[:200]!r}")
    return "\n".join(lines)


def listed(value) -> list:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def check_outcome(result, outcome: dict, substitutions: dict):
    why = summary(result)
    statuses = {f.name: f.status for f in result.functions}
    feedback = "\n".join([c.feedback for _, c in result.checks()] + [n for f in result.functions for n in f.notes])
    output = "\n".join(f.output for f in result.functions)
    if "score" in outcome:
        assert result.score == outcome["score"], why
    if outcome.get("full"):
        assert result.score == result.max_score, why
    status = outcome.get("status")
    if isinstance(status, str):
        assert set(statuses.values()) == {status}, why
    for name, expected in (status if isinstance(status, dict) else {}).items():
        assert statuses[name] == expected, why
    for text in listed(outcome.get("says")):
        assert text in feedback, f"{text!r} not in the feedback\n{why}"
    for text in listed(outcome.get("output_says")):
        assert text in output, f"{text!r} not in the output\n{why}"
    for text in listed(outcome.get("output_lacks")):
        assert text not in output, f"{text!r} in the output\n{why}"
    if "output_max" in outcome:
        assert max(len(f.output) for f in result.functions) <= outcome["output_max"], why
    if "seconds" in outcome:
        assert result.elapsed_s <= outcome["seconds"], why
    for path in listed(outcome.get("absent")):
        for key, value in substitutions.items():
            path = path.replace(key, value)
        assert not os.path.lexists(path), f"{path} was created\n{why}"


def outcome_in(expect: dict, mode: str) -> dict:
    outcome = {**expect["outcome"], **expect.get(mode, {})}
    if mode == "process" and os.geteuid() == 0:
        outcome.update(expect.get("process_as_root", {}))
    return outcome


@pytest.fixture
def listening_port():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield server.getsockname()[1]


def test_the_corpus_is_large_and_documented():
    assert len(ATTACKS) >= 20
    for path in ATTACKS:
        expect = expectation(path)
        assert path.read_bytes().startswith(b'"""'), f"{path.name} should start with a docstring"
        assert expect.get("only") and "outcome" in expect, path.name


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", ATTACKS, ids=lambda p: p.stem)
def test_attack(path, mode, tmp_path, listening_port):
    expect = expectation(path)
    if mode not in expect.get("modes", ("process", "bwrap")):
        pytest.skip(f"{path.stem} is not meaningful in {mode} mode: {expect.get('why_not', '')}")
    marker = f"convgrade-attack-{uuid.uuid4().hex}"
    seed = secrets.randbelow(10**15) + 10**14
    substitutions = {"@MARKER@": marker, "@PORT@": str(listening_port), "@REPO@": str(REPO), "@SEED@": str(seed)}
    submission = build(path, expect, tmp_path, substitutions)
    try:
        only = () if expect["only"] == "all" else expect["only"]
        result = grade(submission, only=only, seed=seed, examples=expect.get("examples", 4),
                       timeout=expect.get("timeout", DEFAULT_TIMEOUT), sandbox=mode)
        assert leftovers(marker) == [], "processes started by the submission outlived its grading"
        check_outcome(result, outcome_in(expect, mode), substitutions)
    finally:
        for path_text in listed(expect["outcome"].get("absent")):  # process mode may create them
            host_path = Path(path_text.replace("@MARKER@", marker).replace("@REPO@", str(REPO)))
            if host_path.is_file():
                host_path.unlink()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", ["segfault", "exit_in_call", "forged_frames_in_call", "forged_result_with_call_id",
                                  "monkeypatch_numpy"])
def test_hostile_results_do_not_depend_on_the_run(name, mode, tmp_path):
    """The same submission and seed give the same report apart from its duration: no pid, address or
    timing of the worker reaches the feedback."""
    path = Path(__file__).parent / "attacks" / f"{name}.py"
    expect = expectation(path)
    submission = build(path, expect, tmp_path, {"@MARKER@": "m", "@PORT@": "1", "@REPO@": str(REPO), "@SEED@": "1"})
    runs = []
    for _ in range(2):
        report = grade(submission, only=expect["only"], examples=expect.get("examples", 4),
                       timeout=expect.get("timeout", DEFAULT_TIMEOUT), sandbox=mode).to_dict()
        report.pop("elapsed_s")
        runs.append(report)
    assert runs[0] == runs[1]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("how", ["environment", "file", "command line"])
def test_the_secret_seed_is_out_of_reach(how, mode, tmp_path):
    """The grader run as an instructor would: the seed in $CONVGRADE_SEED, a --seed-file or even on the
    command line. The submission finds it nowhere, and the reports show only its fingerprint."""
    seed = secrets.randbelow(10**15) + 10**14
    path = Path(__file__).parent / "attacks" / "find_the_seed.py"
    submission = build(path, expectation(path), tmp_path, {"@SEED@": str(seed)})
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    args = ["--only", "conv_output_size", "--examples", "1", "--sandbox", mode, "--format", "json"]
    if how == "environment":
        env["CONVGRADE_SEED"] = str(seed)
    elif how == "file":
        (tmp_path / "seed").write_text(f"{seed}\n")
        args += ["--seed-file", str(tmp_path / "seed")]
    else:
        args += ["--seed", str(seed)]
    run = subprocess.run([sys.executable, "-c", "from grader.cli import main; main()", str(submission), *args],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["seed_fingerprint"] == seed_fingerprint(seed) and str(seed) not in run.stdout
    output = report["functions"][0]["output"]
    assert "the seed is nowhere" in output and "FOUND" not in output, output


MEASURE = """
import json, re, sys, time
from grader.submission import load_submission
started = time.monotonic()
sub = load_submission(sys.argv[1])
peak = int(re.search(r"VmHWM:\\s*(\\d+)", open("/proc/self/status").read()).group(1))  # this process since exec
print(json.dumps({"rss_mb": peak / 1024, "seconds": time.monotonic() - started, "problems": sub.problems}))
"""


@pytest.mark.parametrize("statements, refused", [(1_000_000, True), (300_000, False)])
def test_a_notebook_of_a_million_statements_costs_the_grader_nothing(statements, refused, tmp_path):
    """A million statements (6 MB of code) is refused by size before it is parsed; 300,000 (1.8 MB, just
    under the limit) is parsed, but in a reading process with memory and time limits: either way the
    grader's own process stays under 200 MB."""
    import nbformat

    notebook = tmp_path / "04_conv2d.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1\n" * (statements - 1) + "def conv2d_forward(x, w, b): pass\n")]
    nbformat.write(nb, str(notebook))
    run = subprocess.run([sys.executable, "-c", MEASURE, str(notebook)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=300)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["rss_mb"] < 200, report["rss_mb"]
    problems = " ".join(report["problems"].values())
    assert ("larger than 2 MiB" in problems) == refused, problems


CLASS_ONLY = ("fc_param_count", "conv_output_size", "same_padding")
HOSTILE_NAMES = {  # entry name -> its id in the gradebook
    "evil\r\nalice,100,100": "evil__alice,100,100",
    "\x1b[31mred\x1b[0m": "_[31mred_[0m",
    "x\n::error::pwned": "x_::error::pwned",
    "`code`<img src=x onerror=alert(1)>": "`code`<img src=x onerror=alert(1)>",
    '=HYPERLINK("evil")+1': '=HYPERLINK("evil")+1',
    "김민수": "김민수",
}


def _hostile_class(root: Path, out: Path) -> dict:
    """{id: (entry path, honest?)}: honest folders, a folder and a file sharing an id, entries with hostile
    names, an entry that is a symbolic link, and a submission that tries to forge the gradebook."""
    entries = {}
    for name in ("honest_1", "honest_2"):
        entries[name] = (copy_solutions(root / name), True)
    (root / "honest_2.py").write_text("".join((REPO / "solutions" / f"{m}.py").read_text().replace(
        "from ._args import", "from _args import") for m in ("params", "padding")))
    entries["honest_2.py"] = (root / "honest_2.py", True)
    for name, entry_id in HOSTILE_NAMES.items():
        entries[entry_id] = (copy_solutions(root / name), True)
    copy_solutions(root.parent / "elsewhere")
    (root / "linked_entry").symlink_to(root.parent / "elsewhere", target_is_directory=True)
    entries["linked_entry"] = (root / "linked_entry", False)
    source = (Path(__file__).parent / "attacks" / "class" / "forge_the_gradebook.py").read_text()
    (root / "forger.py").write_text(source.replace("@OUT@", str(out)))
    entries["forger"] = (root / "forger.py", False)
    return entries


def _guarded(text: str) -> bool:
    """No line a CI runner would obey, no escape sequence, no carriage return."""
    return "\x1b" not in text and "\r" not in text and not any(
        line.lstrip().startswith(("::", "##[")) for line in text.splitlines())


@pytest.mark.parametrize("mode", MODES)
def test_a_hostile_class(mode, tmp_path):
    """Hostile names, an id claimed twice, a linked entry and a forger, graded beside honest submissions:
    every honest one keeps exactly its solo grade, nothing printed or written obeys a hostile name."""
    if mode == "process" and os.geteuid() != 0:
        pytest.skip("a plain-process worker of a user other than root can write the output folder")
    root, out = tmp_path / "class", tmp_path / "out"
    root.mkdir()
    entries = _hostile_class(root, out)
    options = [a for f in CLASS_ONLY for a in ("--only", f)] + ["--examples", "2", "--sandbox", mode]
    run = subprocess.run([sys.executable, "-c", "from grader.cli import main; main()", "batch", str(root),
                          "-o", str(out), "--jobs", "2", "--format", "github", *options],
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=600)
    assert run.returncode == 0, run.stderr
    with open(out / "grades.csv", newline="") as f:
        table = {row["id"]: row for row in csv.DictReader(f)}
    assert sorted(table) == sorted(i if not i.startswith("=") else "'" + i for i in entries)
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in table.values() for cell in row.values())
    assert table["linked_entry"]["status"] == "error" and "symbolic link" in table["linked_entry"]["reason"]
    for entry_id, (path, honest) in entries.items():
        if honest:
            solo = grade(path, only=CLASS_ONLY, examples=2, sandbox=mode)
            result = json.loads((out / "results" / f"{entry_id}.json").read_text())
            assert [f["score"] for f in result["functions"]] == [f.score for f in solo.functions], entry_id
            assert result["score"] == solo.score == solo.max_score, entry_id
    forger = json.loads((out / "results" / "forger.json").read_text())
    assert "forged 0 results" in forger["functions"][0]["output"]
    summary = (out / "summary.md").read_text()
    assert "## Id clashes" in summary and "honest\\_2 and honest\\_2.py all have the id 'honest\\_2'" in summary
    assert "<img" not in summary.replace("\\<img", "")
    written = [p for p in out.rglob("*") if p.is_file() and p.suffix in (".md", ".csv", ".json")]
    for path in written + [None]:
        text = run.stderr + run.stdout if path is None else path.read_text()
        assert _guarded(text), path


UNPRIVILEGED = 65534


def _as_unprivileged(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """`grade ARGS` run by uid 65534. That uid gets CAP_DAC_READ_SEARCH (read any file) only where the Python
    running these tests cannot be read by other uids (here it lives under /root, mode 700)."""
    python = os.path.realpath(sys.executable)
    probe = ["setpriv", f"--reuid={UNPRIVILEGED}", f"--regid={UNPRIVILEGED}", "--clear-groups"]
    if subprocess.run([*probe, python, "-c", "import numpy"], capture_output=True).returncode != 0:
        probe += ["--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]
    command = [*probe, python, "-c", "from grader.cli import main; main()", *args]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(REPO), "HOME": str(cwd),
           "TMPDIR": str(cwd)}
    try:
        return subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, timeout=300)
    except FileNotFoundError:
        pytest.skip("setpriv (util-linux) is not installed")


@pytest.mark.skipif(os.geteuid() != 0, reason="switching to another uid needs root")
def test_as_a_user_other_than_root(tmp_path):
    """Without root, grade batch refuses plain-process mode unless it is asked for by name, and says what
    that mode cannot protect; asked for, it grades, and the worker is still confined (no network)."""
    tmp_path.chmod(0o777)
    copy_solutions(tmp_path / "class" / "honest")
    network = (Path(__file__).parent / "attacks" / "network.py").read_text().replace("@PORT@", "9")
    (tmp_path / "class" / "network.py").write_text(network)
    for path in [tmp_path, *tmp_path.rglob("*")]:
        os.chown(path, UNPRIVILEGED, UNPRIVILEGED)
    options = ["--only", "conv_output_size", "--examples", "1"]
    refused = _as_unprivileged(["batch", "class", "-o", "out", *options], tmp_path)
    if "Operation not permitted" in refused.stderr and refused.returncode not in (0, 2):
        pytest.skip(f"uid {UNPRIVILEGED} cannot be given the capabilities it needs here: {refused.stderr[:200]}")
    assert refused.returncode == 2 and "pass --sandbox process" in refused.stderr, refused.stderr
    assert not (tmp_path / "out").exists()
    graded = _as_unprivileged(["batch", "class", "-o", "out", "--sandbox", "process", "--jobs", "1", *options],
                              tmp_path)
    assert graded.returncode == 0, graded.stderr
    assert "runs in a plain process as you" in graded.stderr and "read every file you can read" in graded.stderr
    with open(tmp_path / "out" / "grades.csv", newline="") as f:
        table = {row["id"]: row for row in csv.DictReader(f)}
    assert table["honest"]["score"] == table["network"]["score"] == table["honest"]["max_score"]
    network = json.loads((tmp_path / "out" / "results" / "network.json").read_text())
    assert "local: blocked, public: blocked" in network["functions"][0]["output"]
