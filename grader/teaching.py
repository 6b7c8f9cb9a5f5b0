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
