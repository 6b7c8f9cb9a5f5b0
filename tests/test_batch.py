"""`grade batch`, `grade merge`, `grade gradescope-bundle`: a whole class, resumable, sharded, merged."""

import csv
import io
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.batch_job import Job, Settings
from grader.batch_pool import Progress, run_pool
from grader.gradebook import read_record, summary_markdown
from grader.report_text import points
from grader.results import GradeResult

from batch_fixtures import ONLY, build_class, pool_test_grade, replace_body
from grading_helpers import REPO, SOLUTIONS

OPTIONS = [a for f in ONLY for a in ("--only", f)] + ["--examples", "3", "--timeout", "1"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def batch(root, out, *extra):
    result = run("batch", root, "-o", out, *OPTIONS, "--jobs", "2", *extra)
    assert result.exit_code == 0, result.output
    return result


def graded_ids(log: str) -> list[str]:
    return re.findall(r"^\[ *\d+/\d+\] graded (\S+):", log, re.M)


def rows(out: Path) -> dict:
    with open(out / "grades.csv", newline="") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def states(out: Path) -> dict:
    return {p.stem: json.loads(p.read_text()) for p in (out / ".state" / "submissions").glob("*.json")}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class graded once, its output folder inside the submissions folder (which must ignore it)."""
    base = tmp_path_factory.mktemp("class")
    expected = build_class(base / "submissions", base / "staging")
    out = base / "submissions" / "_grades"
    result = batch(base / "submissions", out, "--format", "junit")
    return base / "submissions", out, expected, result.stderr


def test_the_gradebook_has_the_expected_row_for_every_kind_of_submission(graded):
    _, out, expected, _ = graded
    table = rows(out)
    assert list(table) == sorted(expected)
    for entry_id, want in expected.items():
        row = table[entry_id]
        assert row["status"] == want.status, (entry_id, row)
        if want.status == "error":
            assert want.reason in row["reason"] and float(row["score"]) == 0, (entry_id, row)
            continue
        result = GradeResult.from_dict(json.loads((out / "results" / f"{entry_id}.json").read_text()))
        assert [f.name for f in result.functions] == list(ONLY)
        for fn in result.functions:
            score = float(row[fn.name])
            assert score == fn.score and fn.max_score > 0
            lost = want.lost.get(fn.name)
            if lost == "all":
                assert score == 0, (entry_id, fn.name)
            elif lost == "some":
                assert 0 <= score < fn.max_score, (entry_id, fn.name)
            else:
                assert score == fn.max_score, (entry_id, fn.name, fn.status, fn.checks)
            assert fn.status in want.statuses.get(fn.name, (fn.status,)), (entry_id, fn.name, fn.status)
        assert float(row["score"]) == result.score and row["reason"] == ""


def test_every_submission_has_its_result_feedback_and_report(graded):
    root, out, expected, _ = graded
    names = {p.name.split(".")[0]: p.name for p in root.iterdir()}
    for entry_id, want in expected.items():
        result = GradeResult.from_dict(json.loads((out / "results" / f"{entry_id}.json").read_text()))
        assert result.submission.path in (names[entry_id], "twice", "twice.py")  # never the private copy
        feedback = (out / "feedback" / f"{entry_id}.md").read_text()
        assert feedback.startswith(f"# Grading report: `{result.submission.path}`")
        assert ("could not be graded" in feedback) == (want.status == "error")
        report = ET.fromstring((out / "reports" / f"{entry_id}.xml").read_text())
        assert report.tag == "testsuites"
    assert "_grades" not in rows(out) and not list(out.rglob("*.tmp"))


def test_the_summary_shows_the_cohort(graded):
    _, out, expected, _ = graded
    summary = (out / "summary.md").read_text()
    complete = [float(r["score"]) for r in rows(out).values() if r["status"] == "complete"]
    errors = [i for i, want in expected.items() if want.status == "error"]
    assert f"{len(expected)} submissions: {len(complete)} graded, {len(errors)} not graded" in summary
    assert f"| {len(complete)} | {points(statistics.fmean(complete))} | {points(statistics.median(complete))} |" \
        in summary
    histogram = re.search(r"```text\n(.*?)```", summary, re.S).group(1).splitlines()
    assert len(histogram) == 10 and sum(int(line.split()[-1]) for line in histogram) == len(complete)
    top = float(next(iter(rows(out).values()))["max_score"])
    assert int(histogram[-1].split()[-1]) == sum(s >= 0.9 * top for s in complete)
    assert int(histogram[0].split()[-1]) == sum(s < 0.1 * top for s in complete)
    conv = re.search(r"\| `conv2d_forward` \| adds the bias of each kernel \| [\d.]+ \| (\d+)% \((\d+)/(\d+)\) \|",
                     summary)
    assert conv and int(conv.group(3)) == len(complete) and int(conv.group(2)) == len(complete) - 3
    failures = summary.split("## Most common failures")[1]
    assert "`conv2d_forward`: adds the bias of each kernel" in failures and "For example `mutant_conv`" in failures
    not_graded = summary.split("## Not graded")[1]
    assert all(f"| `{i}` |" in not_graded for i in errors)


def test_a_rerun_grades_nothing_again(graded, tmp_path):
    root, out, _, _ = graded
    before = (out / "grades.csv").read_text(), states(out)
    result = batch(root, out, "--format", "junit")
    assert graded_ids(result.stderr) == [] and "(0 graded now, 14 unchanged" in result.stdout
    after = states(out)
    assert (out / "grades.csv").read_text() == before[0]
    assert all(after[i]["run"] == s["run"] for i, s in before[1].items() if s["status"] == "complete")


def test_a_changed_submission_is_regraded_alone(graded, tmp_path):
    root, out, _, _ = graded
    shutil.copytree(root, tmp_path / "submissions", symlinks=True)
    shutil.copy(SOLUTIONS / "params.py", tmp_path / "submissions" / "mutant_fc" / "params.py")
    result = batch(tmp_path / "submissions", tmp_path / "submissions" / "_grades", "--format", "junit")
    assert graded_ids(result.stderr) == ["mutant_fc"]
    row = rows(tmp_path / "submissions" / "_grades")["mutant_fc"]
    assert row["score"] == row["max_score"]


def test_the_cache_key_covers_every_setting():
    base = Settings(seed=1, examples=3, functions=("conv2d_forward",), timeout=1.0)
    variants = [Settings(2, 3, ("conv2d_forward",), 1.0), Settings(1, 4, ("conv2d_forward",), 1.0),
                Settings(1, 3, ("conv2d_forward", "zero_pad"), 1.0), Settings(1, 3, ("conv2d_forward",), 2.0),
                Settings(1, 3, ("conv2d_forward",), 1.0, grader_version="9.9")]
    keys = {base.key("a"), base.key("b")} | {v.key("a") for v in variants}
    assert len(keys) == 7 and base.key("a") == Settings(1, 3, ("conv2d_forward",), 1.0).key("a")


def _session_processes(sid: int) -> list[int]:
    """Live (not zombie) processes of session `sid`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if entry.name.isdigit() and os.getsid(int(entry.name)) == sid and state != "Z":
                found.append(int(entry.name))
        except (OSError, IndexError):
            continue
    return found


KILLED = ("correct_a", "crasher", "mutant_conv", "mutant_fc", "mutant_pool", "mutant_unpool", "stub", "zipped",
          "evil")


def test_a_batch_killed_half_way_finishes_on_a_rerun(graded, tmp_path):
    full, expected = graded[1], {i: graded[2][i] for i in KILLED}
    root, out = tmp_path / "submissions", tmp_path / "out"
    root.mkdir()
    for path in graded[0].iterdir():
        if path.name.split(".")[0] in KILLED:
            (shutil.copytree if path.is_dir() else shutil.copy)(path, root / path.name)
    command = [sys.executable, "-c", "from grader.cli import main; main()", "batch", str(root), "-o", str(out),
               *OPTIONS, "--jobs", "2", "--format", "junit"]
    with open(tmp_path / "log", "w") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not any(s["status"] == "complete" for s in states(out).values() if "status" in s):
            assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "log").read_text()
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10  # the pool's processes die with the batch
        while _session_processes(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _session_processes(proc.pid) == []
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    committed = {i for i, s in states(out).items() if s["status"] == "complete"}
    first_log = (tmp_path / "log").read_text()
    assert set(graded_ids(first_log)) <= committed and not (out / "grades.csv").exists()
    result = batch(root, out, "--format", "junit")
    again = graded_ids(result.stderr)
    complete = {i for i, want in expected.items() if want.status == "complete"}
    assert committed and again and not committed & set(again) and committed | set(again) == complete
    assert len(again) == len(set(again))
    assert rows(out) == {i: row for i, row in rows(full).items() if i in KILLED}
    for entry_id in KILLED:
        assert (out / "feedback" / f"{entry_id}.md").read_text() == (full / "feedback" / f"{entry_id}.md").read_text()


SHARDED = ("correct_b", "endless", "mutant_unpool", "nested", "notebook", "single", "stub", "twice", "bomb",
           "zipped_mutant")


@pytest.fixture(scope="module")
def shards(graded, tmp_path_factory):
    """Part of the class graded in three shards: (their output folders, the ids)."""
    base = tmp_path_factory.mktemp("shards")
    root = base / "submissions"
    root.mkdir()
    for path in graded[0].iterdir():
        if path.name.split(".")[0] in SHARDED:
            (shutil.copytree if path.is_dir() else shutil.copy)(path, root / path.name)
    outs = [base / f"shard{i}" for i in (1, 2, 3)]
    for i, out in enumerate(outs, 1):
        batch(root, out, "--shard", f"{i}/3")
    return outs, [i for i in graded[2] if i in SHARDED]


def test_three_shards_merged_equal_the_unsharded_run(graded, shards, tmp_path):
    full, (outs, ids) = graded[1], shards
    parts = [set(rows(out)) for out in outs]
    assert all(parts) and sum(len(p) for p in parts) == len(set().union(*parts)) == len(ids)
    result = run("merge", *outs, "--output-dir", tmp_path / "all")
    assert result.exit_code == 0, result.output
    assert rows(tmp_path / "all") == {i: row for i, row in rows(full).items() if i in ids}
    assert (tmp_path / "all" / "summary.md").read_text() == summary_markdown([read_record(full, i) for i in ids])
    for entry_id in ids:
        assert (tmp_path / "all" / "results" / f"{entry_id}.json").is_file()
        assert (tmp_path / "all" / "feedback" / f"{entry_id}.md").read_text() == \
            (full / "feedback" / f"{entry_id}.md").read_text()


def test_merge_accepts_identical_duplicates_and_refuses_conflicts(shards, tmp_path):
    first = shards[0][0]
    copy = shutil.copytree(first, tmp_path / "copy")
    assert run("merge", first, copy, "-o", tmp_path / "same").exit_code == 0
    assert rows(tmp_path / "same") == rows(first)
    entry_id = next(i for i, r in rows(first).items() if r["status"] == "complete")
    path = copy / "results" / f"{entry_id}.json"
    data = json.loads(path.read_text())
    data["score"] -= 1
    path.write_text(json.dumps(data))
    conflict = run("merge", first, copy, "-o", tmp_path / "conflict")
    assert conflict.exit_code == 1
    assert f"{entry_id!r} is in both {str(first)!r} and {str(copy)!r} with different grades" in conflict.output
    other = shutil.copytree(shards[0][1], tmp_path / "other")
    for state in (other / ".state" / "submissions").glob("*.json"):
        state.write_text(state.read_text().replace('"seed": 0', '"seed": 7'))
    settings = run("merge", first, other, "-o", tmp_path / "settings")
    assert settings.exit_code == 1 and "graded with different settings (seed 0 vs 7)" in settings.output
    (other / ".state" / "gradebook.json").unlink()
    unfinished = run("merge", first, other, "-o", tmp_path / "unfinished")
    assert unfinished.exit_code == 1 and "holds no finished batch" in unfinished.output
    assert run("merge", first, "-o", first).exit_code == 2


@pytest.mark.parametrize("shard", ["0/3", "4/3", "1/0", "a/b", "3"])
def test_shard_must_look_like_i_of_n(tmp_path, shard):
    result = run("batch", tmp_path, "-o", tmp_path / "out", "--shard", shard)
    assert result.exit_code == 2
    assert f"'shard' must look like i/n with 1 <= i <= n (got {shard})" in result.output


def test_the_pool_outlives_a_process_that_dies(tmp_path):
    settings = Settings(0, 3, ("conv2d_forward",), 1.0)
    jobs = [Job(i, i, str(tmp_path), "", settings, "process", 60)
            for i in ("a", "b", "killer", "c", "d", "e")]
    seen = []
    run_pool(jobs, 2, pool_test_grade, lambda job, outcome: seen.append((job.id, outcome["status"],
                                                                          outcome["reason"])))
    assert sorted(i for i, _, _ in seen) == ["a", "b", "c", "d", "e", "killer"]
    assert all(status == "complete" for i, status, _ in seen if i != "killer")
    assert [(s, "died" in r) for i, s, r in seen if i == "killer"] == [("error", True)]


def test_a_submission_over_its_time_limit_costs_only_its_grade(tmp_path):
    slow = replace_body(shutil.copytree(SOLUTIONS, tmp_path / "subs" / "slow"), "params", "fc_param_count",
                        "import time\ntime.sleep(0.3)\nreturn in_features * out_features + "
                        "(out_features if bias else 0)")
    shutil.copytree(SOLUTIONS, tmp_path / "subs" / "quick")
    result = run("batch", tmp_path / "subs", "-o", tmp_path / "out", "--only", "fc_param_count",
                 "--examples", "20", "--submission-timeout", "3", "--jobs", "1")
    assert result.exit_code == 0, result.output
    table = rows(tmp_path / "out")
    assert table["slow"]["status"] == "error" and slow.exists()
    assert "grading took longer than 3 s (--submission-timeout)" in table["slow"]["reason"]
    assert table["quick"]["status"] == "complete" and table["quick"]["score"] == table["quick"]["max_score"]


def test_gradescope_bundle_command(tmp_path, monkeypatch):
    monkeypatch.setenv("CONVGRADE_SEED", "4242")
    shipped = run("gradescope-bundle", tmp_path / "autograder.zip")
    assert shipped.exit_code == 0 and "wrote" in shipped.output
    with zipfile.ZipFile(tmp_path / "autograder.zip") as zf:
        assert {"setup.sh", "run_autograder", "seed", "convgrade/pyproject.toml"} <= set(zf.namelist())
    pinned = run("gradescope-bundle", tmp_path / "pinned.zip", "--source", "convgrade==0.1.0")
    assert pinned.exit_code == 0
    with zipfile.ZipFile(tmp_path / "pinned.zip") as zf:
        assert "install convgrade==0.1.0" in zf.read("setup.sh").decode()
        assert not any(n.startswith("convgrade/") for n in zf.namelist())


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_a_bar_on_a_terminal_and_lines_otherwise():
    bar, lines = Progress(3, Terminal()), Progress(3, io.StringIO())
    for progress in (bar, lines):
        progress.update("alice", "complete", 27.5, 30.0)
        progress.update("bob", "error", 0.0, 30.0, "the zip cannot be read")
        progress.finish()
    shown = bar.stream.getvalue()
    assert shown.count("\r\x1b[K") == 2 and "2/3 graded, 1 errors, ETA " in shown and shown.endswith("\n")
    assert lines.stream.getvalue() == "[1/3] graded alice: 27.5 / 30.0\n[2/3] error bob: the zip cannot be read\n"
