"""`grade batch`, `grade merge`, `grade gradescope-bundle`: a whole class, resumable, sharded, merged."""

import csv
import importlib
import io
import json
import os
import re
import shutil
import signal
import stat
import statistics
import subprocess
import tempfile
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.batch_job import Entry, Job, Outcome, Settings, grade_job, read_entry
from grader.batch_pool import Progress, run_pool
from grader.batch_state import folder_key, read_record, sha256, signed_json, state_path
from grader.gradebook import summary_markdown
from grader.report_text import points
from grader.results import GradeResult
from grader.scratch import BATCH, remove_orphans, scratch_folder
from grader.submission import Submission

from batch_fixtures import ONLY, build_class, pool_test_grade, replace_body
from grading_helpers import REPO, SOLUTIONS, copy_solutions

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
        assert result.submission.path in (names.get(entry_id), entry_id)  # never the private copy
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
    assert graded_ids(result.stderr) == [] and "(0 graded now, 16 unchanged" in result.stdout
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


def test_a_rerun_does_not_keep_forged_grades(graded, tmp_path):
    """Results, feedback and states edited after grading (a full score for a mutant, a state claiming it is
    unchanged) do not verify against the folder's key: the submissions are graded again."""
    root, out, _, _ = graded
    shutil.copytree(root, tmp_path / "submissions", symlinks=True)
    out = tmp_path / "submissions" / "_grades"
    result_file = out / "results" / "mutant_conv.json"
    data = json.loads(result_file.read_text())
    data["score"] = data["max_score"]
    result_file.write_text(json.dumps(data))
    (out / "feedback" / "mutant_fc.md").write_text("# Grading report\n\n**Total: 100 / 100**\n")
    state = state_path(out, "mutant_pool")
    state.write_text(state.read_text().replace('"clash": ""', '"clash": "forged"'))
    assert stat.S_IMODE(os.stat(out / ".state").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(out / ".state" / "key").st_mode) == 0o600
    result = batch(tmp_path / "submissions", out, "--format", "junit")
    assert sorted(graded_ids(result.stderr)) == ["mutant_conv", "mutant_fc", "mutant_pool"]
    assert rows(out) == rows(graded[1])


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
        pool = _session_processes(proc.pid)
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
    left = [p for pid in pool for p in Path(tempfile.gettempdir()).glob(f"convgrade-*-{pid}-*")]
    assert left  # the workers' scratch folders of the submissions being graded when it was killed
    result = batch(root, out, "--format", "junit")
    assert not any(p.exists() for p in left)
    again = graded_ids(result.stderr)
    complete = {i for i, want in expected.items() if want.status == "complete"}
    assert committed and again and not committed & set(again) and committed | set(again) == complete
    assert len(again) == len(set(again))
    assert rows(out) == {i: row for i, row in rows(full).items() if i in KILLED}
    for entry_id in KILLED:
        assert (out / "feedback" / f"{entry_id}.md").read_text() == (full / "feedback" / f"{entry_id}.md").read_text()


def test_scratch_folders_of_a_killed_process_are_removed_and_live_ones_kept():
    code = "from grader.scratch import BATCH, make_scratch; import time; print(make_scratch(BATCH), flush=True); " \
           "time.sleep(60)"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=REPO)
    orphan = Path(proc.stdout.readline().strip())
    (orphan / "0").mkdir()
    (orphan / "0" / "conv.py").write_text("copied")
    proc.kill()
    proc.wait()
    with scratch_folder(BATCH) as mine:
        assert orphan.is_dir() and mine.name.startswith(f"convgrade-batch-{os.getpid()}-")
        removed = remove_orphans()
        assert orphan in removed and not orphan.exists() and mine.is_dir() and mine not in removed
    assert not mine.exists()


SHARDED = ("correct_b", "endless", "mutant_unpool", "nested", "notebook", "single", "stub", "twice", "twice.py",
           "bomb", "zipped_mutant")


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


def test_merge_refuses_a_set_of_shards_with_one_missing_or_repeated(graded, shards, tmp_path):
    outs = shards[0]
    missing = run("merge", outs[0], outs[2], "-o", tmp_path / "missing")
    assert missing.exit_code == 1 and not (tmp_path / "missing").exists()
    assert "not one complete set of shards: shard 2/3 is missing" in missing.output
    assert "--allow-partial" in missing.output
    twice = run("merge", *outs, outs[1], "-o", tmp_path / "twice")
    assert twice.exit_code == 1 and "shard 2/3 is given 2 times" in twice.output
    partial = run("merge", outs[0], outs[2], "-o", tmp_path / "partial", "--allow-partial")
    assert partial.exit_code == 0 and "warning: shard 2/3 is missing" in partial.stderr
    assert rows(tmp_path / "partial") == {**rows(outs[0]), **rows(outs[2])}
    whole = run("merge", graded[1], outs[0], "-o", tmp_path / "whole", "--allow-partial")
    assert whole.exit_code == 1 and "shards of different splits" in whole.output
    other = shutil.copytree(outs[2], tmp_path / "other")
    resign_manifest(other, shard="3/4")  # as if its grader had graded another split
    split = run("merge", *outs[:2], other, "-o", tmp_path / "split")
    assert split.exit_code == 1 and f"{str(other)!r} is 3/4" in split.output
    resign_manifest(other, shard="3/3", seed=7)
    seeds = run("merge", *outs[:2], other, "-o", tmp_path / "seeds")
    assert seeds.exit_code == 1 and "graded with different settings (seed 0 vs 7)" in seeds.output
    assert json.loads((outs[0] / ".state" / "gradebook.json").read_text())["shard"] == "1/3"


def test_merge_accepts_identical_duplicates_and_refuses_conflicts(shards, tmp_path):
    first = shards[0][0]
    copy = shutil.copytree(first, tmp_path / "copy")
    assert run("merge", first, copy, "-o", tmp_path / "same", "--allow-partial").exit_code == 0
    assert rows(tmp_path / "same") == rows(first)
    entry_id = next(i for i, r in rows(first).items() if r["status"] == "complete")
    path = copy / "results" / f"{entry_id}.json"
    data = json.loads(path.read_text())
    data["score"] -= 1
    path.write_text(json.dumps(data))
    forged = run("merge", first, copy, "-o", tmp_path / "forged", "--allow-partial")
    assert forged.exit_code == 1 and f"{str(copy)!r} lists {entry_id!r}" in forged.output
    assert "changed since they were graded" in forged.output
    resign(copy, entry_id)  # as if its grader had graded it differently
    conflict = run("merge", first, copy, "-o", tmp_path / "conflict", "--allow-partial")
    assert conflict.exit_code == 1
    assert f"{entry_id!r} is in both {str(first)!r} and {str(copy)!r} with different grades" in conflict.output
    other = shutil.copytree(shards[0][1], tmp_path / "other")
    for state in (other / ".state" / "submissions").glob("*.json"):
        resign(other, state.stem, seed=7)
    settings = run("merge", first, other, "-o", tmp_path / "settings", "--allow-partial")
    assert settings.exit_code == 1 and "graded with different settings (seed 0 vs 7)" in settings.output
    (other / ".state" / "gradebook.json").unlink()
    unfinished = run("merge", first, other, "-o", tmp_path / "unfinished")
    assert unfinished.exit_code == 1 and "holds no finished batch" in unfinished.output
    assert run("merge", first, "-o", first).exit_code == 2


def resign(out: Path, entry_id: str, seed: int | None = None):
    """Sign the state of `entry_id` in `out` again with that folder's key, over its files as they are now
    (and another seed): what its own grader would have written for a different grade."""
    state = json.loads(state_path(out, entry_id).read_text())
    state.pop("mac")
    state["files"] = {name: sha256((out / name).read_text()) for name in state["files"]}
    if seed is not None:
        state["settings"]["seed"] = seed
    state_path(out, entry_id).write_text(signed_json(state, folder_key(out)))


def resign_manifest(out: Path, shard: str, seed: int | None = None):
    """Sign the manifest of `out` again with that folder's key, with another shard (and seed)."""
    manifest = out / ".state" / "gradebook.json"
    data = json.loads(manifest.read_text())
    data.pop("mac")
    data["shard"] = shard
    if seed is not None:
        data["settings"]["seed"] = seed
    manifest.write_text(signed_json(data, folder_key(out)))


@pytest.mark.parametrize("shard", ["0/3", "4/3", "1/0", "a/b", "3"])
def test_shard_must_look_like_i_of_n(tmp_path, shard):
    result = run("batch", tmp_path, "-o", tmp_path / "out", "--shard", shard)
    assert result.exit_code == 2
    assert f"'shard' must look like i/n with 1 <= i <= n (got {shard})" in result.output


def test_the_pool_outlives_a_process_that_dies(tmp_path):
    settings = Settings(0, 3, ("conv2d_forward",), 1.0)
    jobs = [Job(i, Submission(path=i), "", settings, "process", 60) for i in ("a", "b", "killer", "c", "d", "e")]
    seen = []
    run_pool(jobs, 2, pool_test_grade, lambda job, outcome: seen.append((job.id, outcome.status, outcome.reason)))
    assert sorted(i for i, _, _ in seen) == ["a", "b", "c", "d", "e", "killer"]
    assert all(status == "complete" for i, status, _ in seen if i != "killer")
    assert [(s, "died" in r) for i, s, r in seen if i == "killer"] == [("error", True)]


def test_a_submission_is_loaded_once_and_graded_from_memory(tmp_path, monkeypatch):
    import grader.batch_job
    import grader.runner

    shutil.copytree(SOLUTIONS, tmp_path / "alice")
    sub = read_entry(Entry("alice", tmp_path / "alice", "folder", "alice"), tmp_path / "scratch")
    assert sub.path == "alice" and not (tmp_path / "scratch").exists()  # the private copy is gone

    def load_again(*args, **kwargs):
        raise AssertionError("the submission was loaded a second time")

    for module in (grader.runner, grader.batch_job):
        monkeypatch.setattr(module, "load_submission", load_again)
    settings = Settings(0, 2, ("fc_param_count",), 1.0)
    outcome = grade_job(Job("alice", sub, settings.key(sub.sha256), settings, "process", 60))
    assert isinstance(outcome, Outcome) and outcome.status == "complete", outcome.reason
    assert outcome.result.submission.path == "alice" and outcome.result.score == outcome.result.max_score > 0


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


def test_gradescope_bundle_command(tmp_path):
    shipped = run("gradescope-bundle", tmp_path / "autograder.zip")
    assert shipped.exit_code == 0 and "wrote" in shipped.output
    with zipfile.ZipFile(tmp_path / "autograder.zip") as zf:
        assert {"setup.sh", "run_autograder", "convgrade/pyproject.toml"} <= set(zf.namelist())
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


def test_batch_says_that_bubblewrap_is_missing_in_full_once_then_in_one_line(tmp_path, monkeypatch):
    batch_module = importlib.import_module("grader.commands.batch")  # (the package's `batch` is the command)
    monkeypatch.setattr(batch_module, "batch_mode", lambda sandbox: "process")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "class").mkdir()
    first, second = (run("batch", tmp_path / "class", "-o", tmp_path / "out") for _ in range(2))
    assert first.exit_code == second.exit_code == 0
    assert "bubblewrap (bwrap) is not used" in first.stderr and "see docs/threat-model.md." in first.stderr
    assert "bubblewrap (bwrap) is not used" not in second.stderr
    assert "note: bubblewrap is not usable here, so student code runs in a plain process" in second.stderr


def test_batch_and_merge_outputs_keep_themselves_out_of_version_control(graded, shards, tmp_path):
    assert (graded[1] / ".gitignore").read_text().splitlines()[-1] == "*"
    assert run("merge", *shards[0], "-o", tmp_path / "all").exit_code == 0
    assert (tmp_path / "all" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_a_broken_sandbox_stops_the_batch_and_records_nothing(tmp_path, monkeypatch):
    """Before anything is written (the start-up check), and later (a worker failing in the pool): exit
    status 3, and no submission recorded as graded because its worker could not start."""
    import grader.batch as batch_module
    from grader.sandbox import InfrastructureError

    copy_solutions(tmp_path / "class" / "alice")
    copy_solutions(tmp_path / "class" / "bob")

    def broken(mode):
        raise InfrastructureError("the bwrap sandbox did not start: bwrap: No permissions")

    monkeypatch.setattr(batch_module, "check_sandbox", broken)
    result = run("batch", tmp_path / "class", "-o", tmp_path / "out", *OPTIONS)
    assert result.exit_code == 3 and "grading stopped: the bwrap sandbox did not start" in result.output
    assert not (tmp_path / "out").exists()

    def pool(jobs, workers, grade, on_done):
        for job in jobs:
            reason = "the process sandbox failed its start-up self-test: it is dumpable"
            on_done(job, Outcome("infrastructure", reason, None))

    monkeypatch.setattr(batch_module, "check_sandbox", lambda mode: None)
    monkeypatch.setattr(batch_module, "run_pool", pool)
    result = run("batch", tmp_path / "class", "-o", tmp_path / "out", *OPTIONS)
    assert result.exit_code == 3 and "while grading alice, which is not recorded" in result.output
    assert not list((tmp_path / "out").glob("results/*")) and not (tmp_path / "out" / "grades.csv").exists()


def test_entries_get_clean_distinct_ids(tmp_path):
    from grader.batch_job import find_entries

    for name in ("honest_2", "a\x01b", "a\x02b", "김민수", "e\u0301cole", "x" * 250):
        (tmp_path / name).mkdir()
    for name in ("honest_2.py", "honest_2.zip", "a\x01b.py", "notes.txt"):
        (tmp_path / name).write_text("")
    (tmp_path / "link").symlink_to(tmp_path / "honest_2")
    entries, ignored = find_entries(tmp_path)
    ids = {e.id: (e.label, e.kind, bool(e.clash)) for e in entries}
    assert ids == {
        "honest_2": ("honest_2", "folder", True), "honest_2.py": ("honest_2.py", "py", True),
        "honest_2.zip": ("honest_2.zip", "zip", True), "a_b": ("a_b", "folder", True),
        "a_b~2": ("a_b", "folder", True), "a_b.py": ("a_b.py", "py", True), "김민수": ("김민수", "folder", False),
        "\u00e9cole": ("\u00e9cole", "folder", False), "x" * 100: ("x" * 100, "folder", False),
        "link": ("link", "link", False)}
    assert ignored == ["notes.txt"]
