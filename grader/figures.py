"""The figures of the notebooks, drawn with the student's own functions (given code, never graded).

A figure cell passes the exercise functions to draw with, `show_scanning(scan1d, detect)`, so a wrong
implementation draws a wrong picture. When one is not written yet, raises, or returns something that
cannot be drawn, or when matplotlib is missing, the cell prints why (in `lang`) instead. The figures'
own text is the post's technical terms, code and numbers: the same in both languages, and drawable
with matplotlib's default font.

The grader never runs these: the calls of FIGURES are left out of the module a notebook becomes
(`grader.notebook`), like the grading cells.
"""

from __future__ import annotations

import numpy as np

from .figures_common import _array, _call, _parts, _present

# The detector's figures (notebook 08) are drawn in grader.figures_detector with the helpers of
# grader.figures_common; this module hands them out (`from grader.figures import show_detector`, see __getattr__ at the end).
DETECTOR_FIGURES = ("show_max_of_the_response", "show_detector")
FIGURES = ("show_connections", "show_param_counts", "show_scanning", "show_shared_gradients",
           "show_feature_maps", "show_padding", "show_pooling", "show_unpooling", *DETECTOR_FIGURES)


def _grid(ax, values, title, cmap="Greys", fmt="{:.0f}", limit=None):
    """A matrix as coloured cells with its numbers (white on dark cells); `limit`: colours from -limit."""
    low, high = (-limit, limit) if limit else (min(values.min(), 0), max(values.max(), 1e-9))
    image = ax.imshow(values, cmap=cmap, vmin=low, vmax=high)
    for (i, j), v in np.ndenumerate(values):
        r, g, b, _alpha = image.cmap(image.norm(v))
        ink = "white" if 0.3 * r + 0.6 * g + 0.1 * b < 0.5 else "black"
        ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=8, color=ink)
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])


def _box(ax, row, col, height, width, color, inset=0.0, **kw):
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((col - 0.5 + inset, row - 0.5 + inset), width - 2 * inset, height - 2 * inset,
                           fill=False, edgecolor=color, linewidth=2, **kw))


# ----------------------------------------------------------------------------------- 01 parameters
def show_connections(fc_param_count, conv_param_count, lang=None):
    """A 5x5 image to 9 outputs: fully connected (25·9 weights) and convolution (9 shared weights)."""
    _present(_connections, lang, fc_param_count, conv_param_count)


def _connections(plt, fc_param_count, conv_param_count):
    fc, conv = _call(fc_param_count, 25, 9, bias=False), _call(conv_param_count, 1, 1, 3, bias=False)
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6), layout="constrained")
    rng = np.random.default_rng(0)
    dense = rng.uniform(0.15, 1, (9, 25))  # a weight of its own for every (output, pixel) pair
    shared = np.full((9, 25), np.nan)  # output (i, j) reads pixel (i + r, j + s) with weight w[r, s]
    for o, (i, j) in enumerate(np.ndindex(3, 3)):
        for k, (r, s) in enumerate(np.ndindex(3, 3)):
            shared[o, (i + r) * 5 + j + s] = k
    axes[0].imshow(dense, cmap="Greys", vmin=0, vmax=1.2)
    axes[1].imshow(shared, cmap="tab10", vmin=0, vmax=9)
    for o, p in zip(*np.nonzero(~np.isnan(shared))):
        axes[1].text(p, o, f"{int(shared[o, p])}", ha="center", va="center", fontsize=7, color="w")
    for ax in axes:
        ax.set_xticks(range(0, 25, 5), [f"pixel {p}" for p in range(0, 25, 5)], fontsize=7)
        ax.set_yticks(range(9), [f"out {i},{j}" for i, j in np.ndindex(3, 3)], fontsize=7)
    axes[0].set_title(f"fully connected: 25 · 9 = 225 connections, each its own weight\n"
                      f"fc_param_count(25, 9, bias=False) = {fc}", fontsize=9)
    axes[1].set_title(f"convolution: 81 connections, 9 shared weights w[0..8] of the 3×3 kernel\n"
                      f"conv_param_count(1, 1, 3, bias=False) = {conv}", fontsize=9)
    fig.suptitle("which pixel of a 5×5 image (columns) each of the 9 outputs (rows) reads, and with which weight",
                 fontsize=10)
    return fig


def show_param_counts(fc_param_count, conv_param_count, network_param_count, lang=None):
    """The MLP's first layer, a conv layer and a small network, as bars on a log scale."""
    _present(_param_counts, lang, fc_param_count, conv_param_count, network_param_count)


def _param_counts(plt, fc_param_count, conv_param_count, network_param_count):
    layers = [("conv", 4, 3, 1, 1), ("maxpool", 2, 2), ("flatten",), ("fc", 10)]
    counts = {"MLP layer\n128·128·3 → 256": _call(fc_param_count, 128 * 128 * 3, 256, bias=False),
              "conv layer\n4 kernels 3×3×3 + bias": _call(conv_param_count, 3, 4, 3),
              "conv, maxpool, fc 10\non 3×128×128": _call(network_param_count, (3, 128, 128), layers)}
    values = [float(_array(v, fn, ())) for v, fn in zip(counts.values(),
                                                        (fc_param_count, conv_param_count, network_param_count))]
    fig, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
    bars = ax.bar(list(counts), [max(v, 1) for v in values], color=["tab:red", "tab:blue", "tab:purple"])
    ax.bar_label(bars, labels=[f"{v:,.0f}" for v in values], fontsize=9)
    ax.set_yscale("log")
    ax.set_ylabel("parameters (log scale)")
    ax.set_title("parameter counts from your functions", fontsize=10)
    return fig


# ------------------------------------------------------------------------------------- 02 scanning
def show_scanning(scan1d, detect, lang=None):
    """An object, the window where detect finds it and the response map, before and after a shift."""
    _present(_scanning, lang, scan1d, detect)


def _scanning(plt, scan1d, detect):
    kernel = np.array([[0., 1, 0], [1, 1, 1], [0, 1, 0]])
    fig, axes = plt.subplots(2, 2, figsize=(7, 6.5), layout="constrained")
    scores = []
    for row, (top, left) in zip(axes, ((1, 2), (5, 5))):
        image = np.zeros((10, 10))
        image[top:top + 3, left:left + 3] = kernel
        response = _response_map(scan1d, image, kernel)
        score, where = _parts(_call(detect, image, kernel), detect, 2, "(score, (row, col))")
        score, (i, j) = float(_array(score, detect, ())), (int(v) for v in _array(where, detect, (2,)))
        scores.append(score)
        _grid(row[0], image, f"image: detect → ({i}, {j})", cmap="Greens")
        _box(row[0], i, j, 3, 3, "red")
        _grid(row[1], response, f"response map (scan1d): max {score:g} at ({i}, {j})", cmap="Oranges",
              fmt="{:g}")
        _box(row[1], i, j, 1, 1, "red")
    same = "stays" if scores[0] == scores[1] else "changes!"
    fig.suptitle(f"object moved by (4, 3): the map moves (equivariance), the max {same} (invariance)",
                 fontsize=10)
    return fig


def _response_map(scan1d, image, kernel):
    """response[i] = sum_r scan1d(image[i + r], kernel[r]): the 2-D scan, row by row, with 1-D scans."""
    (H, W), (R, S) = image.shape, kernel.shape
    return np.array([sum(_array(_call(scan1d, image[i + r], kernel[r]), scan1d, (W - S + 1,)) for r in range(R))
                     for i in range(H - R + 1)])


# ------------------------------------------------------------------------------ 03 shared weights
def show_shared_gradients(scan1d_backward, lang=None):
    """w[j] is used for z1, z2, z3: its gradient is the sum of the three."""
    _present(_shared_gradients, lang, scan1d_backward)


def _shared_gradients(plt, scan1d_backward):
    x, w, dy = np.array([1., 2, 3, 4, 5]), np.array([0.5, -1, 2]), np.array([1., 0.5, 2])
    dx, dw = _parts(_call(scan1d_backward, dy, x, w), scan1d_backward, 2, "(dx, dw)")
    dw = _array(dw, scan1d_backward, (3,))
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4), layout="constrained")
    colors = plt.get_cmap("tab10")
    for i in range(3):
        for j in range(3):
            left.plot([i + j, i + 1], [0, 1], color=colors(j), lw=2)
    left.scatter(range(5), [0] * 5, s=60, color="k", zorder=3)
    left.scatter([1, 2, 3], [1] * 3, s=90, color="k", zorder=3)
    for n in range(5):
        left.annotate(f"x{n} = {x[n]:g}", (n, 0), (0, -16), textcoords="offset points", ha="center")
    for i in range(3):
        left.annotate(f"z{i + 1}", (i + 1, 1), (0, 8), textcoords="offset points", ha="center")
    left.set_title("colour j = weight w[j], used at z1, z2 and z3", fontsize=9)
    left.set_ylim(-0.3, 1.25)
    left.set_axis_off()
    for j in range(3):
        bottom = 0.0
        for i in range(3):
            part = dy[i] * x[i + j]
            right.bar(j, part, bottom=bottom, color=colors(i + 3), edgecolor="k",
                      label=f"z{i + 1}: dy[{i}]·x[{i}+j]" if j == 0 else None)
            bottom += part
    right.scatter(range(3), dw, s=80, color="red", zorder=3, label="your dw[j]")
    right.set_xticks(range(3), [f"w[{j}]" for j in range(3)])
    right.set_title("dw[j] = sum of its gradients at z1, z2, z3", fontsize=9)
    right.legend(fontsize=8)
    return fig


# --------------------------------------------------------------------------------------- 04 conv2d
def show_feature_maps(conv2d_forward, lang=None):
    """Four kernels with different values, and the feature map each makes of one image."""
    _present(_feature_maps, lang, conv2d_forward)


def _feature_maps(plt, conv2d_forward):
    image = np.zeros((12, 12))
    image[3:9, 3:9] = 1.0
    image[np.arange(12), np.arange(12)] = 1.0
    edge = np.array([[1., 0, -1], [2, 0, -2], [1, 0, -1]])
    kernels = {"vertical edge": edge, "horizontal edge": edge.T, "diagonal": np.array([[2., 1, 0], [1, 0, -1],
                                                                                   [0, -1, -2]]),
               "blur": np.full((3, 3), 1 / 9)}
    w = np.stack(list(kernels.values()))[:, None]
    out = _array(_call(conv2d_forward, image[None, None], w, np.zeros(4)), conv2d_forward, (1, 4, 10, 10))
    fig, axes = plt.subplots(2, 5, figsize=(11, 4.8), layout="constrained")
    axes[0, 0].imshow(image, cmap="gray")
    axes[0, 0].set_title("x[0, 0]", fontsize=9)
    for k, name in enumerate(kernels):
        _grid(axes[0, k + 1], kernels[name], f"w[{k}]: {name}", cmap="coolwarm", fmt="{:.2g}", limit=2.5)
        axes[1, k + 1].imshow(out[0, k], cmap="magma")
        axes[1, k + 1].set_title(f"out[0, {k}]", fontsize=9)
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    axes[1, 0].set_axis_off()
    fig.suptitle("x (1, 1, 12, 12), w (4, 1, 3, 3) → conv2d_forward → out (1, 4, 10, 10)", fontsize=10)
    return fig


# -------------------------------------------------------------------------------------- 05 padding
def show_padding(zero_pad, same_padding, conv_output_size, lang=None):
    """A 5x5 input with same padding for a 3x3 and a 4x4 kernel, the first window and the output size."""
    _present(_padding, lang, zero_pad, same_padding, conv_output_size)


def _padding(plt, zero_pad, same_padding, conv_output_size):
    x = np.arange(1.0, 26).reshape(1, 1, 5, 5)
    fig, axes = plt.subplots(1, 2, figsize=(9, 4.8), layout="constrained")
    for ax, k in zip(axes, (3, 4)):
        before, after = (int(v) for v in _array(_call(same_padding, k), same_padding, (2,)))
        size = 5 + before + after
        padded = _array(_call(zero_pad, x, ((before, after), (before, after))), zero_pad, (1, 1, size, size))
        if before == after:
            out = int(_array(_call(conv_output_size, 5, k, padding=before), conv_output_size, ()))
            how = f"conv_output_size(5, {k}, padding={before}) = {out}"
        else:
            how = f"5 + {before} + {after} − {k} + 1 = {size - k + 1}"
        _grid(ax, padded[0, 0], f"F = {k}: same_padding({k}) = ({before}, {after})\n{how}", cmap="Blues")
        _box(ax, 0, 0, k, k, "red", inset=0.04)
        _box(ax, before, before, 5, 5, "tab:blue", inset=0.08, linestyle="--")
    fig.suptitle("zero_pad: F − 1 zeros in all; P = (F − 1) / 2 per side when F is odd", fontsize=10)
    return fig


# -------------------------------------------------------------------------------------- 06 pooling
def show_pooling(max_pool_indices, lang=None):
    """Pooling windows and the maxima they choose, without and with overlap."""
    _present(_pooling, lang, max_pool_indices)


def _pooling(plt, max_pool_indices):
    x = np.array([[3., 1, 4, 1, 5], [9, 2, 6, 5, 3], [5, 8, 24, 7, 9], [3, 2, 3, 8, 4], [6, 2, 6, 4, 3]])
    colors = plt.get_cmap("tab10")
    fig, axes = plt.subplots(1, 2, figsize=(9, 4.8), layout="constrained")
    for ax, (k, s, what) in zip(axes, ((2, 2, "no overlap"), (3, 2, "overlapping windows"))):
        idx = _array(_call(max_pool_indices, x[None, None], k, s), max_pool_indices, (1, 1, 2, 2))
        _grid(ax, x, f"kernel {k}, stride {s}: {what}")
        chosen = {}
        for n, (i, j) in enumerate(np.ndindex(2, 2)):
            _box(ax, i * s, j * s, k, k, colors(n), inset=0.06 * (n + 1))
            row, col = divmod(int(idx[0, 0, i, j]), 5)
            chosen[(row, col)] = chosen.get((row, col), 0) + 1
            ax.scatter(col + 0.22 * (n % 2 - 0.5), row + 0.22 * (n // 2 - 0.5), s=40, color=colors(n), zorder=3)
        shared = [f"x[{r}, {c}] is the max of {m} windows: it gets all {m} gradients"
                  for (r, c), m in sorted(chosen.items()) if m > 1]
        ax.set_xlabel("\n".join(shared) or "each window chooses an element of its own", fontsize=8)
    fig.suptitle("max_pool_indices: the maximum each window chooses (a dot of its colour)", fontsize=10)
    return fig


# ------------------------------------------------------------------------------------ 07 unpooling
def show_unpooling(unpool_nearest, max_unpool, lang=None):
    """A 4x4 map max-pooled to 2x2, then enlarged again by nearest and by max unpooling."""
    _present(_unpooling, lang, unpool_nearest, max_unpool)


def _unpooling(plt, unpool_nearest, max_unpool):
    x = np.array([[1., 6, 2, 0], [3, 4, 8, 1], [7, 2, 0, 3], [1, 5, 4, 9]])
    windows = x.reshape(2, 2, 2, 2).transpose(0, 2, 1, 3).reshape(2, 2, 4)
    a = windows.argmax(axis=-1)
    rows, cols = np.arange(2)[:, None] * 2 + a // 2, np.arange(2)[None, :] * 2 + a % 2
    pooled, indices = x[rows, cols][None, None], (rows * 4 + cols)[None, None]
    near = _array(_call(unpool_nearest, pooled, 2), unpool_nearest, (1, 1, 4, 4))
    back = _array(_call(max_unpool, pooled, indices, (4, 4)), max_unpool, (1, 1, 4, 4))
    fig, axes = plt.subplots(1, 4, figsize=(11, 3.4), layout="constrained")
    _grid(axes[0], x, "x (4×4): the maxima of 2×2 windows")
    for r, c in zip(rows.flat, cols.flat):
        _box(axes[0], r, c, 1, 1, "red")
    _grid(axes[1], pooled[0, 0], "max pooled (2×2)")
    _grid(axes[2], near[0, 0], "unpool_nearest(…, 2): 4×4")
    _grid(axes[3], back[0, 0], "max_unpool(…, indices): 4×4")
    fig.suptitle("unpooling grows the map by the stride", fontsize=10)
    return fig


# ------------------------------------------------------------------------------------- 08 detector
def __getattr__(name: str):
    """A figure of notebook 08, from grader.figures_detector (imported when first asked for)."""
    if name in DETECTOR_FIGURES:
        from . import figures_detector

        return getattr(figures_detector, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
