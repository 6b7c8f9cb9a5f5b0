"""Builders of a class of submissions for the batch tests and benchmark, and what each should score."""

import ast
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from grading_helpers import SOLUTIONS, copy_solutions, mutate, stub_folder

from grader.catalog import MODULES

# The functions the batch tests grade (each has checks, and each module differs): quick but real.
ONLY = ("fc_param_count", "conv2d_forward", "max_pool_forward", "unpool_nearest")
MODULE_ORDER = ("_args", *MODULES)

# One function broken by one textual change: (module, old text, new text, broken function).
MUTANTS = {
    "mutant_fc": ("params", "(out_features if bias else 0)", "(in_features if bias else 0)", "fc_param_count"),
    "mutant_conv": ("conv", "return out + b[:, None, None]", "return out", "conv2d_forward"),
    "mutant_pool": ("pooling", "return out.reshape(idx.shape)", "return out.reshape(idx.shape) * 0.5",
                    "max_pool_forward"),
    "mutant_unpool": ("unpooling", "return x.repeat(sh, axis=2).repeat(sw, axis=3)",
                      "return x.repeat(sh, axis=2).repeat(sh, axis=3)", "unpool_nearest"),
}


@dataclass
class Expected:
    """What one submission's gradebook row should say."""

    status: str = "complete"  # or "error"
    lost: dict = field(default_factory=dict)  # function -> "some" (0 < score < max) or "all" (score 0)
    statuses: dict = field(default_factory=dict)  # function -> acceptable FunctionResult statuses
    reason: str = ""  # a part of the error's reason


def replace_body(folder: Path, module: str, function: str, code: str) -> Path:
    """Replace the solution body of `function` (between its BEGIN/END SOLUTION markers) by `code`."""
    path = folder / f"{module}.py"
    text = path.read_text()
    start = text.index("# BEGIN SOLUTION\n", text.index(f"def {function}("))
    end = text.index("# END SOLUTION", start)
    body = "".join(f"    {line}\n" for line in code.splitlines())
    path.write_text(text[:start] + "# BEGIN SOLUTION\n" + body + "    " + text[end:])
    return folder


def single_source() -> str:
    """Every solution module in one namespace: what a student pasting everything into one file has."""
    parts = []
    for module in MODULE_ORDER:
        source = (SOLUTIONS / f"{module}.py").read_text()
        lines = source.splitlines(keepends=True)
        for node in reversed(ast.parse(source).body):
            if isinstance(node, ast.ImportFrom) and node.level:
                del lines[node.lineno - 1:node.end_lineno]
        parts.append("".join(lines))
    return "\n\n".join(parts)


def single_file(path: Path) -> Path:
    path.write_text(single_source())
    return path


def notebook(path: Path) -> Path:
    """A notebook whose code cells define every function, one cell per top-level statement group."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# My convolution exercises")]
    nb.cells += [nbformat.v4.new_code_cell(chunk) for chunk in single_source().split("\n\n\n") if chunk.strip()]
    nbformat.write(nb, str(path))
    return path


def zip_folder(folder: Path, archive: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*.py")):
            zf.write(path, prefix + path.relative_to(folder).as_posix())
    return archive


def has_notebook_loader() -> bool:
    return (SOLUTIONS.parent / "grader" / "notebook.py").exists()


def build_class(root: Path, staging: Path) -> dict:
    """About twenty submissions of every kind in `root` (scratch files in `staging`); {id: Expected}."""
    root.mkdir(parents=True)
    staging.mkdir(parents=True)
    expected = {}
    for name in ("correct_a", "correct_b"):
        copy_solutions(root / name)
        expected[name] = Expected()
    copy_solutions(root / "nested" / "exercises")
    expected["nested"] = Expected()
    stub_folder(root / "stub")
    expected["stub"] = Expected(lost={f: "all" for f in ONLY}, statuses={f: ("not_implemented",) for f in ONLY})
    for name, (module, old, new, function) in MUTANTS.items():
        mutate(root / name, module, old, new)
        expected[name] = Expected(lost={function: "some"})
    replace_body(copy_solutions(root / "crasher"), "pooling", "max_pool_forward", "import os\nos._exit(3)")
    expected["crasher"] = Expected(lost={"max_pool_forward": "all"},
                                   statuses={"max_pool_forward": ("failed", "error")})
    replace_body(copy_solutions(root / "endless"), "unpooling", "unpool_nearest", "while True:\n    pass")
    expected["endless"] = Expected(lost={"unpool_nearest": "all"}, statuses={"unpool_nearest": ("timeout",)})
    single_file(root / "single.py")
    expected["single"] = Expected()
    if has_notebook_loader():
        notebook(root / "notebook.ipynb")
        expected["notebook"] = Expected()
    zip_folder(copy_solutions(staging / "zipped"), root / "zipped.zip", prefix="alice/")
    expected["zipped"] = Expected()
    zip_folder(mutate(staging / "zipped_mutant", *MUTANTS["mutant_conv"][:3]), root / "zipped_mutant.zip")
    expected["zipped_mutant"] = Expected(lost={"conv2d_forward": "some"})
    with zipfile.ZipFile(root / "evil.zip", "w") as zf:
        zf.writestr("conv.py", "x = 1\n")
        zf.writestr("../../outside.py", "owned = True\n")
    expected["evil"] = Expected(status="error", reason="leaves its folder: '../../outside.py'")
    with zipfile.ZipFile(root / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("conv.py", b"#" * (40 << 20))
    expected["bomb"] = Expected(status="error", reason="more than 32 MiB")
    (staging / "secret.py").write_text("token = 'do not read'\n")
    copy_solutions(root / "linked")
    os.remove(root / "linked" / "conv.py")
    os.symlink(staging / "secret.py", root / "linked" / "conv.py")
    expected["linked"] = Expected(status="error", reason="conv.py is a symbolic link to")
    (root / "empty").mkdir()
    expected["empty"] = Expected(status="error", reason="nothing to grade in the folder")
    single_file(root / "twice.py")  # the same id as the folder: both are graded, under ids of their own
    copy_solutions(root / "twice")
    expected["twice"] = expected["twice.py"] = Expected()
    (root / ".DS_Store").write_bytes(b"\0\1")
    (root / "README.txt").write_text("submissions exported from the course site\n")
    return expected


def class_of_mutants(root: Path, count: int) -> list[str]:
    """`count` folders cycling through a correct copy and the mutants (for the benchmark); their ids."""
    root.mkdir(parents=True, exist_ok=True)
    kinds = ["correct", *MUTANTS]
    ids = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        folder = root / f"{kind}_{i:03d}"
        if kind == "correct":
            copy_solutions(folder)
        else:
            mutate(folder, *MUTANTS[kind][:3])
        ids.append(folder.name)
    return ids


def pool_test_grade(job):
    """Stands in for `grade_job` in pool tests: kills its own process for ids starting with 'killer'."""
    from grader.batch_job import Outcome, error_result

    if job.id.startswith("killer"):
        os._exit(9)
    return Outcome("complete", "", error_result(job.submission.path, job.settings, "stand-in"))
