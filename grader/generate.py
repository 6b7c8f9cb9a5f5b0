"""Student material from the reference, written by `grade generate` (instructors) and `grade init` (students).

`solutions/` holds the reference; each exercise body sits between `# BEGIN SOLUTION` and
`# END SOLUTION`. Generation replaces every such block by a one-line hint and `raise NotImplementedError`
and keeps everything else (module docstrings, imports, signatures, docstrings, private helpers);
`_args.py` and `__init__.py` are copied. It also writes one notebook per topic, in the order the ideas
build on each other (see `grader.notebook.TOPICS`). Output depends only on the solutions' text, so
running it twice changes nothing, and `--check` (or the test suite) catches stale material.

A notebook is self-contained: a hidden setup cell holds the imports of its exercise module, the
argument helpers of `_args.py` and the module's private helpers, all of it given code. Some exercises
call an exercise of a later notebook (`conv2d_forward` may use `zero_pad`, `network_param_count` uses
`conv_output_size`). The notebook never holds a reference body: it gets the *stub* of that function, in
a visible cell that says where the exercise is, so the student can paste their own version there to try
things. Grading does not depend on it: every function is graded with the reference versions of the
other exercise functions (the worker's proxies), so `conv2d_forward` gets full marks with a stub
`zero_pad`, and a bug in `zero_pad` costs points only in `zero_pad`. When a folder of notebooks is
graded, the last notebook defining a function wins, so `05_padding...` (the real `zero_pad`) wins over
the stub in `04_conv2d`.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import nbformat

from .catalog import FUNCTIONS, MODULES
from .notebook import TOPICS
from .submission import SHARED_HELPERS

REPO = Path(__file__).resolve().parent.parent
BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
NOTEBOOK_DIR = "notebooks"


# ------------------------------------------------------------------------------------------- texts
# One line per exercise: what to compute, not how to write it.
HINTS = {
    "fc_param_count": "check the arguments (as_int, _check_bias), then count weights and biases.",
    "conv_param_count": "check the arguments (as_int, as_pair, _check_bias); one (C, R, S) kernel and "
                        "one bias per output channel.",
    "network_param_count": "follow (C, H, W) through the layers with conv_output_size; add up the "
                           "parameters of the conv and fc layers; name the layer in errors.",
    "conv_output_size": "check the four ints (as_int with a minimum), check that the kernel fits the "
                        "padded input, then apply the formula.",
    "same_padding": "a kernel of size k needs k - 1 zeros in all; the odd one goes after.",
    "zero_pad": "turn padding into (top, bottom, left, right), allocate the padded zeros, copy x "
                "into the middle.",
    "scan1d": "one dot product of w with the window at every stride step.",
    "scan1d_backward": "every dy[i] flows back to the window it came from: into dx through w, into "
                       "dw through x.",
    "detect": "the response at every valid position, then the first position of the largest.",
    "conv2d_forward": "pad x, take every (R, S) window at the stride steps, contract it with each "
                      "kernel over (C, R, S), add b.",
    "conv2d_backward": "db sums dout; dw and dx_pad send each output's gradient back to the window "
                       "it came from; crop the padding off dx_pad.",
    "max_pool_indices": "the argmax inside every window, turned into a flat index row * W + col "
                        "of the plane.",
    "max_pool_forward": "the largest value of every window.",
    "max_pool_backward": "each window's gradient goes to its maximum; overlapping windows add up.",
    "avg_pool_forward": "the mean of every window.",
    "avg_pool_backward": "each window's gradient is shared equally by its kh * kw elements; overlaps "
                         "add up.",
    "unpool_nearest": "repeat every value sh times down and sw times across.",
    "unpool_nearest_backward": "sum dout over every (sh, sw) block.",
    "max_unpool": "zeros of the output size, then every value written at its flat index of its plane.",
    "max_unpool_backward": "read dout at every index of its plane.",
}

# The idea of each notebook, in short Markdown cells, with the numbers of the post.
INTRO = {
    "01_parameter_counting": [
        "# 01 · Counting parameters\n\n"
        "Why do images need convolutions? Count the weights. A fully connected layer has one weight per "
        "(input, output) pair. Flatten a 128×128 RGB image into 128·128·3 = 49,152 inputs and connect it "
        "to a first layer of 256 units: that is 49,152·256 = **12,582,912 weights** (without bias), "
        "before the network has learned anything.",
        "A convolution layer scans one small kernel over the image and **shares** its weights across "
        "all positions. Take a 5×5 image and a 3×3 kernel: the kernel fits at 3×3 = 9 positions. A "
        "fully connected layer from the 25 pixels to those 9 outputs has **25·9 = 225** weights; the "
        "convolution has **9**, the same 3×3 weights used at every position.",
        "With channels, a kernel spans all input channels: 3×3×3 on an RGB image. Four such kernels make "
        "four output channels: **4·(3·3·3) = 108** weights, plus **4** biases, 112 in all. The image "
        "size does not appear in the count.",
    ],
    "02_scanning_and_shift_invariance": [
        "# 02 · Scanning and shift invariance\n\n"
        "A convolution is a small detector scanned over its input. In one dimension, a kernel `w` of "
        "size F slides along a signal `x` with a stride S:\n\n"
        "$$y_i = \\sum_j w_j \\, x_{iS + j}$$",
        "Because the same weights look at every position, a pattern is found **wherever it is**: shift "
        "the input by one step and the output shifts by one step too (with stride 1). That is the shift "
        "invariance of convolutional networks, and why 9 shared weights can do the work of 225.",
    ],
    "03_shared_weight_gradients": [
        "# 03 · Gradients of shared weights\n\n"
        "In `y[i] = sum_j w[j] * x[i*S + j]` the weight `w[j]` is used at **every** position `i`. Its "
        "gradient is therefore the sum of its gradients over the positions:\n\n"
        "$$\\frac{\\partial L}{\\partial w_j} = \\sum_i \\frac{\\partial L}{\\partial y_i} \\, x_{iS + j}$$",
        "Each input element, in turn, receives the gradient of every window that read it: "
        "`dx[i*S + j] += dy[i] * w[j]`. Overlapping windows (stride smaller than the kernel) add up.",
    ],
    "04_conv2d": [
        "# 04 · The convolution layer: forward and backward\n\n"
        "In two dimensions, with channels: images `x (N, C, H, W)`, kernels `w (K, C, R, S)`, biases "
        "`b (K,)`. Each of the K kernels spans all C input channels and makes one output channel:\n\n"
        "`out[n, k, i, j] = b[k] + sum_{c, r, s} w[k, c, r, s] * x_pad[n, c, i*sh + r, j*sw + s]`",
        "As in every deep-learning library this is a cross-correlation (the kernel is not flipped). "
        "Four 3×3×3 kernels on an RGB image are `w` of shape (4, 3, 3, 3): 4·(3·3·3) weights and 4 "
        "biases, for any image size. The output size follows (I − F + 2P)/S + 1 (notebook 05).",
        "The backward pass applies the rule of notebook 03 in 2-D: `db` and `dw` sum over every "
        "position where the bias and the weights were used, and every window sends its gradient back "
        "to the input pixels it read.",
    ],
    "05_padding_and_output_size": [
        "# 05 · Padding and the output size\n\n"
        "A kernel of size F scanned with stride S over an input of size I, padded with P zeros on each "
        "side, fits **(I − F + 2P)/S + 1** times:\n\n"
        "$$O = \\frac{I - F + 2P}{S} + 1$$\n\n"
        "rounded down when the division is not exact: the last partial window is dropped.",
        "Examples: I = 5, F = 3, P = 1, S = 2 gives (5 − 3 + 2)/2 + 1 = **3**. With stride 1, padding "
        "P = (F − 1)/2 keeps the size (\"same\" padding): a 3×3 kernel with P = 1 maps 128×128 to "
        "128×128. An even kernel needs an odd number of zeros, one more after than before.",
    ],
    "06_pooling": [
        "# 06 · Pooling\n\n"
        "Pooling summarises each window of each channel by one number, its maximum or its mean, and has "
        "no parameters. The output size is the same formula without padding: (I − F)/S + 1. With the "
        "usual 2×2 windows and stride 2, a 128×128 map becomes 64×64: **pooling shrinks the map by the "
        "stride**.",
        "Backward: max pooling sends each window's gradient to the one element that was its maximum "
        "(the indices of the maxima are worth keeping); average pooling shares it equally among the "
        "window's elements.",
    ],
    "07_unpooling": [
        "# 07 · Unpooling\n\n"
        "Decoders and segmentation networks need to enlarge feature maps again. Unpooling does the "
        "opposite of pooling with the same stride: a 64×64 map unpooled by 2 becomes 128×128: "
        "**unpooling grows the map by the stride**.",
        "*Nearest* unpooling repeats every value over an sh×sw block. *Max* unpooling puts every value "
        "back where max pooling found its maximum (the indices of notebook 06) and zeros elsewhere. "
        "Their backward passes sum each block, and read the gradient at the indices.",
    ],
}

WORKING = (
    "**How to work.** Run the setup cell below first. Then, for each function: replace "
    "`raise NotImplementedError` by your code, run the cell, try it in the next cell, and run the "
    "grading cell under it. `grade_cells(...)` grades the code cells you have run in this notebook so far "
    "(the same functions as in `exercises/{module}.py`), in a separate sandboxed process, and prints what "
    "passed and what to fix. It needs the `convgrade` package installed in this notebook's Python."
)

# Small examples to run after each function, with the numbers of the post where it has some.
TRY = {
    "fc_param_count": (
        "print(fc_param_count(128 * 128 * 3, 256, bias=False))  # the MLP's first layer: 12582912\n"
        "print(fc_param_count(25, 9, bias=False))  # a 5x5 image fully connected to 9 outputs: 225"),
    "conv_param_count": (
        "print(conv_param_count(1, 1, 3, bias=False))  # one shared 3x3 kernel: 9\n"
        "print(conv_param_count(3, 4, 3))  # four 3x3x3 kernels and 4 biases: 4 * (3 * 3 * 3) + 4 = 112"),
    "network_param_count": (
        'layers = [("conv", 4, 3, 1, 1), ("maxpool", 2, 2), ("flatten",), ("fc", 10)]\n'
        "print(network_param_count((3, 128, 128), layers))  # 112 + (4 * 64 * 64) * 10 + 10 = 163962"),
    "scan1d": (
        "x = np.array([0., 0, 1, 2, 1, 0, 0, 0])\n"
        "w = np.array([1., 2, 1])\n"
        "print(scan1d(x, w))  # largest where the pattern sits: [1. 4. 6. 4. 1. 0.]\n"
        "print(scan1d(np.roll(x, 2), w))  # shift the input by 2, the output shifts by 2"),
    "detect": (
        "plus = np.array([[0., 1, 0], [1, 1, 1], [0, 1, 0]])\n"
        "image = np.zeros((8, 8))\n"
        "image[1:4, 2:5] = plus\n"
        "print(detect(image, plus))  # (5.0, (1, 2))\n"
        "print(detect(np.roll(image, (3, 2), axis=(0, 1)), plus))  # moved by (3, 2): (5.0, (4, 4))"),
    "scan1d_backward": (
        "x = np.arange(6.0)\n"
        "w = np.array([1., -1.])\n"
        "dx, dw = scan1d_backward(np.ones(5), x, w)\n"
        "print(dw)  # each weight sums over the 5 positions it was used at: [0+1+2+3+4, 1+2+3+4+5] = [10. 15.]\n"
        "print(dx)  # [ 1.  0.  0.  0.  0. -1.]"),
    "conv2d_forward": (
        "rng = np.random.default_rng(0)\n"
        "x, w, b = rng.standard_normal((2, 3, 5, 5)), rng.standard_normal((4, 3, 3, 3)), np.zeros(4)\n"
        "print(conv2d_forward(x, w, b).shape)  # (5 - 3 + 0) / 1 + 1 = 3: (2, 4, 3, 3)\n"
        "print(conv2d_forward(x, w, b, padding=1).shape)  # (2, 4, 5, 5); may need your zero_pad"),
    "conv2d_backward": (
        "dx, dw, db = conv2d_backward(np.ones((2, 4, 3, 3)), x, w)\n"
        "print(dx.shape, dw.shape, db)  # shaped like x and w; db sums 2 * 3 * 3 = 18 ones per kernel"),
    "conv_output_size": (
        "print(conv_output_size(5, 3, padding=1, stride=2))  # (5 - 3 + 2) / 2 + 1 = 3\n"
        "print(conv_output_size(128, 3, padding=1))  # 3x3 with padding 1 keeps the size: 128"),
    "same_padding": "print(same_padding(3), same_padding(4))  # (1, 1) (1, 2)",
    "zero_pad": "print(zero_pad(np.ones((1, 1, 2, 3)), 1)[0, 0])  # a frame of zeros around the 2x3 ones",
    "max_pool_indices": (
        "x = np.arange(16.0).reshape(1, 1, 4, 4)\n"
        "print(max_pool_indices(x, 2))  # flat positions of the maxima in the 4x4 plane: [[5, 7], [13, 15]]"),
    "max_pool_forward": "print(max_pool_forward(x, 2))  # 4x4 -> 2x2: pooling shrinks by the stride",
    "max_pool_backward": "print(max_pool_backward(np.ones((1, 1, 2, 2)), x, 2)[0, 0])  # a 1 at each maximum",
    "avg_pool_forward": "print(avg_pool_forward(x, 2))  # [[2.5, 4.5], [10.5, 12.5]]",
    "avg_pool_backward": "print(avg_pool_backward(np.ones((1, 1, 2, 2)), x, 2)[0, 0])  # 0.25 everywhere",
    "unpool_nearest": (
        "print(unpool_nearest(np.array([[[[1., 2], [3, 4]]]]), 2)[0, 0])  # 2x2 -> 4x4: grows by the stride"),
    "unpool_nearest_backward": (
        "print(unpool_nearest_backward(np.ones((1, 1, 4, 4)), 2))  # each value was copied 4 times: 4s"),
    "max_unpool": (
        "pooled = np.array([[[[5., 7], [13, 15]]]])  # max pooling of np.arange(16.0) as a 4x4 plane\n"
        "indices = np.array([[[[5, 7], [13, 15]]]])  # where it found them\n"
        "print(max_unpool(pooled, indices, (4, 4))[0, 0])  # back in place, zeros elsewhere"),
    "max_unpool_backward": (
        "print(max_unpool_backward(np.arange(16.0).reshape(1, 1, 4, 4), indices))  # [[5, 7], [13, 15]]"),
}


class GenerateError(Exception):
    """The solutions cannot be turned into exercises (a marker is misplaced, a module is missing)."""


# ------------------------------------------------------------------------------------------ modules
def stub_source(source: str, filename: str) -> str:
    """`source` with every solution block replaced by a hint and `raise NotImplementedError`."""
    owners = _function_lines(source, filename)
    lines, out, begin = source.split("\n"), [], None
    for n, line in enumerate(lines, start=1):
        marker = line.strip()
        if marker == BEGIN:
            if begin is not None:
                raise GenerateError(f"{filename}:{n}: {BEGIN} again, but the block opened at line {begin} "
                                    f"has no {END}")
            if n not in owners:
                raise GenerateError(f"{filename}:{n}: {BEGIN} outside a top-level function")
            begin, indent = n, line[:len(line) - len(line.lstrip())]
            hint = HINTS.get(owners[n], "")
            comment = textwrap.wrap(f"Your code here{': ' + hint if hint else '.'}", 96 - len(indent))
            out += [f"{indent}# {text}" for text in comment] + [f"{indent}raise NotImplementedError"]
        elif marker == END:
            if begin is None:
                raise GenerateError(f"{filename}:{n}: {END} without {BEGIN}")
            begin = None
        elif begin is None:
            out.append(line)
    if begin is not None:
        raise GenerateError(f"{filename}:{begin}: {BEGIN} is never closed by {END}")
    return "\n".join(out)


def _function_lines(source: str, filename: str) -> dict[int, str]:
    """Line number -> name of the top-level function whose body holds that line."""
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as exc:
        raise GenerateError(f"{filename}:{exc.lineno}: {exc.msg}") from None
    return {n: node.name for node in tree.body if isinstance(node, ast.FunctionDef)
            for n in range(node.lineno + 1, node.end_lineno + 1)}


def exercise_sources(solutions: Path) -> dict[str, str]:
    """File name -> text of every exercise module, `_args.py` and `__init__.py`."""
    solutions = Path(solutions)
    files = {}
    for name in ("__init__", SHARED_HELPERS, *MODULES):
        path = solutions / f"{name}.py"
        if not path.is_file():
            raise GenerateError(f"{path} is missing: --solutions must be the folder of the reference modules")
        text = path.read_text(encoding="utf-8")
        if name == "__init__":
            text = text.replace("Reference NumPy implementation", "Your NumPy implementation", 1)
        elif name != SHARED_HELPERS:
            text = stub_source(text, path.name)
        files[f"{name}.py"] = text
    return files


# ---------------------------------------------------------------------------------------- notebooks
def _segments(source: str) -> dict[str, str]:
    """Top-level function name -> its source text."""
    tree = ast.parse(source)
    return {node.name: ast.get_source_segment(source, node) for node in tree.body
            if isinstance(node, ast.FunctionDef)}


def _given_code(module_source: str, args_source: str) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """(imports, definitions, [(module, name) imported from other exercise modules]) of the setup cell."""
    imports, definitions, foreign = [], [], []
    for source, keep_all in ((args_source, True), (module_source, False)):
        tree = ast.parse(source)
        for node in tree.body:
            text = ast.get_source_segment(source, node)
            if isinstance(node, ast.ImportFrom) and node.level:
                if node.module != SHARED_HELPERS:
                    foreign += [(node.module, alias.name) for alias in node.names]
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append(text)
            elif isinstance(node, ast.FunctionDef):
                if keep_all or node.name not in FUNCTIONS:
                    definitions.append(text)
            elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
                definitions.append(text)  # module-level constants
    return list(dict.fromkeys(imports)), definitions, foreign


def _cell(kind: str, source: str, n: int, **metadata) -> dict:
    cell = {"cell_type": kind, "id": f"cell-{n:02d}", "metadata": metadata, "source": source.strip("\n")}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def notebook_text(stem: str, functions: tuple, files: dict[str, str]) -> str:
    """The notebook of one topic as nbformat v4 JSON."""
    module = FUNCTIONS[functions[0]]
    stubs = _segments(files[f"{module}.py"])
    imports, given, foreign = _given_code(files[f"{module}.py"], files[f"{SHARED_HELPERS}.py"])
    cells = [("markdown", text, {}) for text in INTRO[stem]]
    cells.append(("markdown", WORKING.format(module=module), {}))
    setup = (f"# Setup (given, not graded): the imports of exercises/{module}.py, the argument helpers of\n"
             f"# exercises/{SHARED_HELPERS}.py that every exercise uses to check its inputs, and the private\n"
             f"# helpers of exercises/{module}.py. Run this cell first.\n")
    setup += "\n".join(imports) + "\n\n\n" + "\n\n\n".join(given)
    cells.append(("code", setup, {"jupyter": {"source_hidden": True}, "tags": ["setup"]}))
    elsewhere = [(m, name) for m, name in foreign if name in FUNCTIONS and name not in functions]
    given_elsewhere = [(m, name) for m, name in foreign if name not in FUNCTIONS]
    if given_elsewhere:
        raise GenerateError(f"{module}.py imports private helpers of other modules ({given_elsewhere}); "
                            f"notebooks only support importing exercise functions")
    if elsewhere:
        home = {fn: stem for stem, fns in TOPICS for fn in fns}
        names = ", ".join(f"`{name}`" for _, name in elsewhere)
        homes = ", ".join(dict.fromkeys(f"`{home[name]}.ipynb`" for _, name in elsewhere))
        cells.append(("markdown", (
            f"**From another notebook.** `{module}.py` imports {names}, an exercise of {homes}. The cell "
            f"below holds its stub: paste your own version there to try the functions of this notebook "
            f"with it. The grader does not need it: each function is graded with the reference versions "
            f"of the other exercises, so a missing or buggy {names} costs no points here."), {}))
        code = []
        for m, name in elsewhere:
            code.append(f"# {name}: the exercise of {home[name]}.ipynb (exercises/{m}.py).\n"
                        + _segments(files[f"{m}.py"])[name])
        cells.append(("code", "\n\n\n".join(code), {"tags": ["from-another-notebook"]}))
    for fn in functions:
        cells.append(("markdown", f"### `{fn}`\n\n{_first_line(stubs[fn])}", {}))
        cells.append(("code", stubs[fn], {"tags": ["exercise"]}))
        if fn in TRY:
            cells.append(("code", TRY[fn], {"tags": ["try-it"]}))
        cells.append(("code", f'from grader.notebook_grading import grade_cells\ngrade_cells("{fn}")',
                      {"tags": ["grade"]}))
    everything = ", ".join(f'"{fn}"' for fn in functions)
    cells.append(("markdown", "### The whole notebook\n\nEvery function of this notebook, graded together:", {}))
    cells.append(("code", f"from grader.notebook_grading import grade_cells\ngrade_cells({everything})",
                  {"tags": ["grade"]}))
    nb = {
        "cells": [_cell(kind, source, n, **meta) for n, (kind, source, meta) in enumerate(cells, start=1)],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    node = nbformat.from_dict(nb)
    nbformat.validate(node)
    return nbformat.writes(node, version=4) + "\n"


def _first_line(function_source: str) -> str:
    doc = ast.get_docstring(ast.parse(function_source).body[0]) or ""
    return doc.split("\n\n")[0].replace("\n", " ")


def generate_files(solutions: Path = REPO / "solutions") -> dict[str, str]:
    """Relative path -> text of every generated file: the exercise modules and the notebooks."""
    files = exercise_sources(solutions)
    for stem, functions in TOPICS:
        files[f"{NOTEBOOK_DIR}/{stem}.ipynb"] = notebook_text(stem, functions, files)
    return files


def differences(files: dict[str, str], output: Path) -> list[str]:
    """What differs between `files` and the folder `output`, one line per file."""
    lines = []
    for rel, text in files.items():
        path = Path(output) / rel
        if not path.is_file():
            lines.append(f"missing: {path}")
        elif path.read_bytes() != text.encode("utf-8"):
            lines.append(f"differs: {path}")
    return lines


def write_files(files: dict[str, str], output: Path) -> list[Path]:
    """Write the files that differ (bytes, no newline translation); return the paths written."""
    written = []
    for rel, text in files.items():
        path = Path(output) / rel
        data = text.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def installed_solutions() -> Path:
    """The folder of the reference modules: the installed `solutions` package."""
    import solutions

    return Path(solutions.__file__).resolve().parent
