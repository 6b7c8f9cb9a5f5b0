"""The notebooks' figures: drawn with the student's functions, a message when they cannot be drawn."""

import inspect
import re
import sys

import numpy as np
import pytest

import solutions
from grader import figures
from grader.notebook import Cell, build_module

plt = pytest.importorskip("matplotlib.pyplot")
from matplotlib.text import Text  # noqa: E402  (after the skip)


def drawing(name: str):
    """The draw function behind `show_<name>` and the reference functions it is called with."""
    show = getattr(figures, name)
    names = [p for p in inspect.signature(show).parameters if p != "lang"]
    return getattr(inspect.getmodule(show), "_" + name[len("show_"):]), [getattr(solutions, n) for n in names]


def texts(fig) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(Text))


def stub(name):
    """A function `name` whose body is the notebook's stub."""
    namespace = {}
    exec(f"def {name}(*args, **kwargs):\n    raise NotImplementedError", namespace)
    return namespace[name]


@pytest.mark.parametrize("name", figures.FIGURES)
def test_every_figure_is_drawn_with_the_reference(name):
    draw, functions = drawing(name)
    fig = draw(plt, *functions)
    assert fig.axes and texts(fig).strip()
    plt.close(fig)


def test_the_numbers_come_from_the_students_functions():
    fig = figures._connections(plt, solutions.fc_param_count, lambda *a, **k: 10)
    assert "conv_param_count(1, 1, 3, bias=False) = 10" in texts(fig)
    plt.close(fig)

    def detect_last(image, kernel):  # finds the object, reports the last position on ties
        score, _ = solutions.detect(image, kernel)
        return score, (7, 7)
    detect_last.__name__ = "detect"
    fig = figures._scanning(plt, solutions.scan1d, detect_last)
    assert "image: detect → (7, 7)" in texts(fig) and "image: detect → (1, 2)" not in texts(fig)
    plt.close(fig)


def test_a_wrong_shared_gradient_draws_its_dot_off_the_stack():
    def last_position_only(dy, x, w, stride=1):  # `=` instead of `+=`: dw[j] = dy[-1] * x[-1 + j]
        dx, _ = solutions.scan1d_backward(dy, x, w, stride)
        return dx, np.array([dy[-1] * x[len(dy) - 1 + j] for j in range(len(w))])
    dots = {}
    for name, fn in (("right", solutions.scan1d_backward), ("wrong", last_position_only)):
        fig = figures._shared_gradients(plt, fn)
        dots[name] = fig.axes[1].collections[0].get_offsets()[:, 1]
        plt.close(fig)
    assert list(dots["right"]) == [8.0, 11.5, 15.0] and list(dots["wrong"]) == [6.0, 8.0, 10.0]


def test_overlapping_pooling_windows_share_their_maximum():
    fig = figures._pooling(plt, solutions.max_pool_indices)
    assert "x[2, 2] is the max of 4 windows: it gets all 4 gradients" in texts(fig)
    plt.close(fig)


def test_the_detector_figure_measures_the_posts_two_claims():
    """Trained on the left half, the CNN finds objects at every column; the MLP has 47 times its parameters."""
    draw, functions = drawing("show_detector")
    fig = draw(plt, *functions)
    legend = texts(fig)
    plt.close(fig)
    cnn = re.search(r"CNN: 50 parameters, accuracy (\d+)% to (\d+)%", legend)
    assert cnn and int(cnn.group(1)) >= 90, legend
    assert "MLP: 2,354 parameters" in legend


def test_a_stub_a_crash_or_a_wrong_shape_gives_a_message_not_a_figure(capsys):
    before = plt.get_fignums()
    figures.show_scanning(stub("scan1d"), solutions.detect)
    figures.show_feature_maps(lambda x, w, b: solutions.conv2d_forward(x, w, b)[:, :2])
    figures.show_pooling(lambda x, k, s: 1 / 0)
    figures.show_padding(solutions.zero_pad, stub("same_padding"), solutions.conv_output_size, lang="ko")
    figures.show_param_counts(solutions.fc_param_count, solutions.conv_param_count, lambda *a: None)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "No figure yet: scan1d is not implemented. Write it, run its cell, then this cell again."
    assert out[1].startswith("No figure: <lambda> returned shape (1, 2, 10, 10); the figure needs shape "
                             "(1, 4, 10, 10).")
    assert out[2].startswith("No figure: <lambda> raised ZeroDivisionError: division by zero.")
    assert out[3].startswith("아직 그림을 그릴 수 없어요: same_padding 함수가 아직 구현되지 않았어요.")
    assert out[4].startswith("No figure: <lambda> returned None; the figure needs shape ().")
    assert plt.get_fignums() == before  # nothing left half drawn


def test_the_name_of_the_stub_that_raised_is_given_even_inside_another_function(capsys):
    def conv2d_forward(x, w, b, stride=1, padding=0):
        return zero_pad(x, padding)  # noqa: F821 (the notebook's stub)

    conv2d_forward.__globals__["zero_pad"] = stub("zero_pad")
    try:
        figures.show_feature_maps(conv2d_forward)
    finally:
        del conv2d_forward.__globals__["zero_pad"]
    assert "No figure yet: zero_pad is not implemented." in capsys.readouterr().out


def test_without_matplotlib_the_cell_says_how_to_get_it(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    figures.show_pooling(solutions.max_pool_indices)
    assert capsys.readouterr().out == 'The figures need matplotlib: pip install "convgrade[notebooks]"\n'


def test_figure_calls_never_reach_the_worker():
    module = build_module([Cell("cell 1", "from grader.figures import show_scanning\n"
                                          "show_scanning(scan1d, detect)\nx = 1")], "t.ipynb")
    assert "show_scanning" not in module.source and "x = 1" in module.source
