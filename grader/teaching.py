"""The teaching text of the notebooks: the idea of each topic, how to work, and small examples to run.

The one-line stub hint of each function lives in the catalog (`grader.catalog`), with the function.
"""

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
    "08_end_to_end_detector": [
        "# 08 · The apple detector, trained end to end\n\n"
        "The post's argument ends here. Scan the image with a small kernel and take the **max** of its response "
        "to decide whether the apple is there: when the apple moves, only the position of the max moves, not "
        "its value (shift invariance). Put an MLP on top for the final output, and train the whole thing **end "
        "to end**: backpropagate from y through the last layer's weights down to the kernel. "
        "**CNN = MLP + scanning.**",
        "The network of this notebook, on grayscale 12×12 images of an apple (label 1) or a banana (label 0):\n\n"
        "`images (N, 1, 12, 12)` → `conv2d_forward` (4 kernels 3×3) → `relu_forward` → "
        "`global_max_pool_forward` (4 numbers per image) → `linear_forward` (4 → 2) → "
        "`softmax_cross_entropy`\n\n"
        "Its parameters: 4·(1·3·3) + 4 = 40 in the kernels and 4·2 + 2 = 10 in the head, **50** in all. An MLP "
        "on the 12·12 = 144 flattened pixels with 16 hidden units already has 144·16 + 16 + 16·2 + 2 = "
        "**2,354**; on the post's 128×128×3 images its first layer alone would have 12,582,912 weights.",
        "The chain rule from the loss to the kernel, one backward function per layer, in reverse order: "
        "`softmax_cross_entropy` gives dlogits; `linear_backward` gives the head's gradients and dpooled; "
        "`global_max_pool_backward` sends each map's gradient to the position of its max only; "
        "`relu_backward` lets it through where the response was positive; `conv2d_backward` adds up the "
        "gradients of the shared kernel over every position (notebook 03).",
        "**The experiment.** The detector is trained on images whose object lies in the **left** half only, "
        "and tested on images whose object lies in the **right** half, at positions it never saw. The figures "
        "at the end train **your own** layers: write the functions below, paste your `conv2d_forward`, "
        "`conv2d_backward` (notebook 04) and `zero_pad` (notebook 05) into the cell *From another notebook*, "
        "then run the figures (they need matplotlib: `pip install -e \".[notebooks]\"`).",
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
    "relu_forward": (
        "x = np.array([-2.0, -0.5, 0.0, 1.5])\n"
        "print(relu_forward(x))  # [0.  0.  0.  1.5]"),
    "relu_backward": "print(relu_backward(np.ones(4), x))  # the gradient passes where x > 0 only: [0. 0. 0. 1.]",
    "linear_forward": (
        "x, w, b = np.array([[1.0, 2.0]]), np.array([[1.0, 0, -1], [0, 1, 1]]), np.array([0.5, 0, 0])\n"
        "print(linear_forward(x, w, b))  # [[1.5 2.  1. ]]"),
    "linear_backward": (
        "dx, dw, db = linear_backward(np.ones((1, 3)), x, w)\n"
        "print(dx, dw.shape, db)  # [[0. 2.]] (2, 3) [1. 1. 1.]"),
    "global_max_pool_forward": (
        "maps = np.zeros((1, 1, 5, 5))\n"
        "maps[0, 0, 1, 1] = 3.0  # the apple's response\n"
        "print(global_max_pool_forward(maps), global_max_pool_forward(np.roll(maps, (2, 2), axis=(2, 3))))\n"
        "# the apple moved, the max did not: [[3.]] [[3.]]"),
    "global_max_pool_backward": (
        "print(global_max_pool_backward(np.array([[1.0]]), maps)[0, 0])  # a 1 where the max was, 0 elsewhere"),
    "softmax_cross_entropy": (
        "print(softmax_cross_entropy(np.array([[2.0, 0.0], [0.0, 0.0]]), np.array([0, 1])))\n"
        "# loss (log(1 + e**-2) + log 2) / 2 = 0.41, dlogits [[-0.06, 0.06], [0.25, -0.25]]\n"
        "print(softmax_cross_entropy(np.array([[1000.0, 0.0]]), np.array([1]))[0])  # 1000.0, no overflow"),
    "detector_loss": (
        "images, labels = make_shapes(8, seed=0)\n"
        "rng = np.random.default_rng(0)\n"
        "params = {\"w\": rng.standard_normal((4, 1, 3, 3)), \"b\": np.zeros(4),\n"
        "          \"w_fc\": rng.standard_normal((4, 2)) * 0.5, \"b_fc\": np.zeros(2)}\n"
        "loss, grads = detector_loss(params, images, labels)\n"
        "print(loss, {key: grad.shape for key, grad in grads.items()})  # a gradient shaped like each parameter"),
    "train_detector": (
        "images, labels = make_shapes(24, region=\"left\", seed=0)\n"
        "params = train_detector(images, labels, steps=20)  # 20 of the 100 steps the figures below take\n"
        "print(detector_loss(params, images, labels)[0])  # lower than log 2 = 0.69, the loss of a coin toss"),
    "predict": (
        "test_images, test_labels = make_shapes(200, region=\"right\", seed=1)\n"
        "print(np.mean(predict(params, test_images) == test_labels))  # accuracy where it never saw an object"),
}

# Figures after the exercises of a notebook: Markdown and given code cells (kind, source), in order.
FIGURES = {
    "08_end_to_end_detector": [
        ("markdown",
         "## Figures: the post's two claims, measured\n\n"
         "The cells below train **your** pipeline (your `conv2d_forward` and `conv2d_backward` from the cell "
         "*From another notebook*, and the layers of this notebook) and draw what it learned. Run them in "
         "order. A figure that needs a function you have not written yet says which one instead."),
        ("code",
         "# Given (not graded). Figures need matplotlib, an optional extra: pip install -e \".[notebooks]\"\n"
         "import time\n"
         "import traceback\n"
         "\n"
         "try:\n"
         "    import matplotlib.pyplot as plt\n"
         "except ImportError:\n"
         "    plt = None\n"
         "\n"
         "SHOWN = {}  # what one figure computed, for the next ones\n"
         "\n"
         "\n"
         "class RunFirst(Exception):\n"
         "    \"\"\"A figure needs what an earlier figure computes.\"\"\"\n"
         "\n"
         "\n"
         "def figure(draw):\n"
         "    \"\"\"Draw one figure, or say what is missing: matplotlib, or a function not written yet.\n"
         "\n"
         "    Only in the notebook: the grader, which runs these cells again as a module, skips figures.\"\"\"\n"
         "    if __name__ != \"__main__\":\n"
         "        return\n"
         "    if plt is None:\n"
         "        print('This figure needs matplotlib: pip install -e \".[notebooks]\" (or pip install '\n"
         "              'matplotlib), then restart the kernel and run the notebook again.')\n"
         "        return\n"
         "    try:\n"
         "        draw()\n"
         "    except NotImplementedError as error:\n"
         "        where = traceback.extract_tb(error.__traceback__)[-1].name\n"
         "        print(f\"This figure needs {where}, which is not implemented yet: write it above (conv2d_forward, \"\n"
         "              f\"conv2d_backward and zero_pad go in the cell 'From another notebook'), run its cell, \"\n"
         "              f\"then this one again.\")\n"
         "    except RunFirst as error:\n"
         "        print(error)\n"
         "\n"
         "\n"
         "def trained():\n"
         "    \"\"\"The CNN that the training figure trained.\"\"\"\n"
         "    if \"cnn\" not in SHOWN:\n"
         "        raise RunFirst(\"Run the training figure above first: this figure uses the CNN it trains.\")\n"
         "    return SHOWN[\"cnn\"]"),
        ("markdown",
         "**The data.** `make_shapes` (given) draws an apple (a filled disc, label 1) or a banana (a bent "
         "bar, label 0) at a random place, on a little noise. Training images have their object in the "
         "left half, test images in the right half."),
        ("code",
         "train_images, train_labels = make_shapes(24, region=\"left\", seed=0)\n"
         "test_images, test_labels = make_shapes(200, region=\"right\", seed=1)\n"
         "\n"
         "\n"
         "def samples():\n"
         "    fig, axes = plt.subplots(2, 6, figsize=(9, 3.4))\n"
         "    for row, (images, labels, which) in enumerate(((train_images, train_labels, \"training\"),\n"
         "                                                    (test_images, test_labels, \"test\"))):\n"
         "        picks = [*np.flatnonzero(labels == 1)[:3], *np.flatnonzero(labels == 0)[:3]]\n"
         "        for ax, i in zip(axes[row], picks):\n"
         "            ax.imshow(images[i, 0], cmap=\"gray\", vmin=-0.3, vmax=1.2)\n"
         "            ax.set_title(f\"{'apple' if labels[i] else 'banana'} ({which})\", fontsize=9)\n"
         "            ax.axis(\"off\")\n"
         "    fig.suptitle(\"Both classes: objects in the left half for training, in the right half for testing\")\n"
         "    plt.show()\n"
         "    plt.close(fig)\n"
         "\n"
         "\n"
         "figure(samples)"),
        ("markdown",
         "**Training end to end.** `train_detector` runs your `detector_loss` 100 times: forward through "
         "your conv, relu, max and linear layers, then the chain rule back from the loss to the kernels. The "
         "kernels before and after training; each one's vote is w_fc[k, 1] − w_fc[k, 0] (positive: apple)."),
        ("code",
         "def kernels():\n"
         "    started = time.perf_counter()\n"
         "    SHOWN[\"cnn\"] = params = train_detector(train_images, train_labels)\n"
         "    seconds = time.perf_counter() - started\n"
         "    initial = train_detector(train_images, train_labels, steps=0)\n"
         "    loss = detector_loss(params, train_images, train_labels)[0]\n"
         "    limit = float(np.abs(params[\"w\"]).max())\n"
         "    fig, axes = plt.subplots(2, len(params[\"w\"]), figsize=(7.5, 4), squeeze=False)\n"
         "    for row, (when, p) in enumerate(((\"initial\", initial), (\"learned\", params))):\n"
         "        for k, ax in enumerate(axes[row]):\n"
         "            ax.imshow(p[\"w\"][k, 0], cmap=\"RdBu_r\", vmin=-limit, vmax=limit)\n"
         "            vote = p[\"w_fc\"][k, 1] - p[\"w_fc\"][k, 0]\n"
         "            ax.set_title(f\"{when} kernel {k}\\nvote {vote:+.2f}\", fontsize=8)\n"
         "            ax.axis(\"off\")\n"
         "    fig.suptitle(f\"Kernels trained end to end in {seconds:.1f} s (training loss {loss:.3f})\")\n"
         "    plt.show()\n"
         "    plt.close(fig)\n"
         "\n"
         "\n"
         "figure(kernels)"),
        ("markdown",
         "**Scanning, then the max.** The response map of the kernel that votes most for *apple*, as an "
         "apple moves from left to right. The × marks the max: its position moves with the apple, its value "
         "(what the head sees) stays the same. That is the post's shift invariance."),
        ("code",
         "def response_maps():\n"
         "    params = trained()\n"
         "    k = int(np.argmax(params[\"w_fc\"][:, 1] - params[\"w_fc\"][:, 0]))\n"
         "    rows, cols = np.mgrid[:12, :12]\n"
         "    noise = 0.1 * np.random.default_rng(2).standard_normal((12, 12))\n"
         "    fig, axes = plt.subplots(2, 4, figsize=(9, 4.8))\n"
         "    for top, bottom, column in zip(axes[0], axes[1], (3, 5, 6, 8)):\n"
         "        image = (noise + _apple(rows - 6, cols - column))[None, None]\n"
         "        response = relu_forward(conv2d_forward(image, params[\"w\"], params[\"b\"]))\n"
         "        i, j = np.unravel_index(np.argmax(response[0, k]), response.shape[2:])\n"
         "        top.imshow(image[0, 0], cmap=\"gray\")\n"
         "        top.plot(j + 1, i + 1, \"x\", color=\"tab:red\", ms=10, mew=2)  # the centre of the best window\n"
         "        top.set_title(f\"apple at column {column}\", fontsize=9)\n"
         "        bottom.imshow(response[0, k], cmap=\"magma\")\n"
         "        bottom.plot(j, i, \"x\", color=\"cyan\", ms=10, mew=2)\n"
         "        best = global_max_pool_forward(response)[0, k]\n"
         "        bottom.set_title(f\"max {best:.2f} at ({i}, {j})\", fontsize=9)\n"
         "        for ax in (top, bottom):\n"
         "            ax.axis(\"off\")\n"
         "    fig.suptitle(f\"Response map of kernel {k}: the max moves with the apple, its value does not\")\n"
         "    plt.show()\n"
         "    plt.close(fig)\n"
         "\n"
         "\n"
         "figure(response_maps)"),
        ("markdown",
         "**CNN against MLP.** An MLP on the 144 flattened pixels, built from your linear and relu layers "
         "(given code below), gets the same training budget: 100 steps of gradient descent with lr 0.5 on the "
         "same 24 images. Accuracy on test images whose object is centred at each column (training saw "
         "columns 3 to 5 only), beside the number of parameters of each network."),
        ("code",
         "def train_mlp(images, labels, *, hidden=16, steps=100, lr=0.5, seed=0):\n"
         "    \"\"\"An MLP on the flattened pixels, linear -> relu -> linear, trained as train_detector trains the CNN.\"\"\"\n"
         "    x = images.reshape(len(images), -1)\n"
         "    rng = np.random.default_rng(seed)\n"
         "    mlp = {\"w1\": rng.standard_normal((x.shape[1], hidden)) * np.sqrt(2 / x.shape[1]), \"b1\": np.zeros(hidden),\n"
         "           \"w2\": rng.standard_normal((hidden, 2)) * np.sqrt(1 / hidden), \"b2\": np.zeros(2)}\n"
         "    for _ in range(steps):  # one gradient step on all the images, as train_detector takes\n"
         "        h = linear_forward(x, mlp[\"w1\"], mlp[\"b1\"])\n"
         "        a = relu_forward(h)\n"
         "        _, dlogits = softmax_cross_entropy(linear_forward(a, mlp[\"w2\"], mlp[\"b2\"]), labels)\n"
         "        da, dw2, db2 = linear_backward(dlogits, a, mlp[\"w2\"])\n"
         "        _, dw1, db1 = linear_backward(relu_backward(da, h), x, mlp[\"w1\"])\n"
         "        for key, grad in zip((\"w1\", \"b1\", \"w2\", \"b2\"), (dw1, db1, dw2, db2)):\n"
         "            mlp[key] = mlp[key] - lr * grad\n"
         "    return mlp\n"
         "\n"
         "\n"
         "def mlp_predict(mlp, images):\n"
         "    a = relu_forward(linear_forward(images.reshape(len(images), -1), mlp[\"w1\"], mlp[\"b1\"]))\n"
         "    return np.argmax(linear_forward(a, mlp[\"w2\"], mlp[\"b2\"]), axis=1)\n"
         "\n"
         "\n"
         "def cnn_against_mlp():\n"
         "    networks = {\"CNN\": (trained(), predict),\n"
         "                \"MLP\": (train_mlp(train_images, train_labels), mlp_predict)}\n"
         "    columns = list(range(3, 9))\n"
         "    fig, ax = plt.subplots(figsize=(6.5, 3.8))\n"
         "    ax.axvspan(2.5, 5.5, color=\"0.92\", label=\"columns seen in training\")\n"
         "    for (name, (params, classify)), style in zip(networks.items(), (\"o-\", \"s--\")):\n"
         "        accuracy = []\n"
         "        for column in columns:\n"
         "            images, labels = make_shapes(100, region=column, seed=10 + column)\n"
         "            accuracy.append(float(np.mean(classify(params, images) == labels)))\n"
         "        count = sum(p.size for p in params.values())\n"
         "        ax.plot(columns, accuracy, style, label=f\"{name}: {count:,} parameters\")\n"
         "        print(f\"{name} ({count:,} parameters): accuracy by column\", dict(zip(columns, accuracy)))\n"
         "    ax.axhline(0.5, color=\"0.5\", lw=0.8, ls=\":\")\n"
         "    ax.set(xlabel=\"column of the object's centre\", ylabel=\"test accuracy\", ylim=(0, 1.05),\n"
         "           title=\"Shifted test images, the same training budget\")\n"
         "    ax.legend(loc=\"lower left\", fontsize=8)\n"
         "    plt.show()\n"
         "    plt.close(fig)\n"
         "\n"
         "\n"
         "figure(cnn_against_mlp)"),
    ],
}
