"""The post's apple detector, trained end to end: "CNN = MLP + scanning".

    images (N, C, H, W) -> conv2d (K kernels) -> relu -> global max pool -> linear -> softmax cross-entropy

A small kernel is scanned over the image (conv2d), and the **max** of each response map says whether the
pattern is anywhere in the image: the max does not move when the apple moves (shift invariance). An MLP
head (here one linear layer) turns the K maxima into class scores, and the whole network is trained end to
end: the gradient of the loss flows back from the scores through the head's weights down to the kernels.

Every layer has a forward and a backward function side by side. A backward function takes the upstream
gradient first, then the forward's inputs, and returns gradients shaped like those inputs.
"""
import numpy as np

from ._args import as_float_array, as_index_array, as_int, check_shape, is_int, window_output_shape
from .conv import conv2d_backward, conv2d_forward

PARAM_KEYS = ("w", "b", "w_fc", "b_fc")


# ------------------------------------------------------------------------------------------ relu
def relu_forward(x):
    """Rectified linear unit, elementwise: out = max(x, 0).

    x (any shape) -> out (same shape as x).

    Graded: float32 x gives a float32 out, and x is not modified.
    """
    # Your code here: the elementwise maximum of x and 0, in the dtype of x.
    raise NotImplementedError


def relu_backward(dout, x):
    """Backward pass of relu: the gradient passes where the input was positive.

        dx = dout * (x > 0)

    so dx is 0 where x <= 0, at the kink x == 0 too. Returns dx (shaped like x).

    Graded: raises ValueError unless dout has exactly the shape of x (one that merely broadcasts is
    refused). float32 dout and x give a float32 dx, and dout and x are not modified.
    """
    # Your code here: dout where x > 0, and 0 where x <= 0 (at x == 0 too).
    raise NotImplementedError


# ------------------------------------------------------------------------------------------ linear
def _check_linear_args(x, w):
    """Validate x (N, D) and w (D, M); return them as float arrays."""
    x = as_float_array(x, "x", ndim=2, layout="(N, D)")
    w = as_float_array(w, "w", ndim=2, layout="(D, M)")
    if x.shape[1] != w.shape[0]:
        raise ValueError(f"x and w disagree on D: x.shape={x.shape}, w.shape={w.shape}")
    return x, w


def linear_forward(x, w, b):
    """Forward pass of a fully connected (linear) layer.

    x (N, D) inputs, w (D, M) weights, b (M,) biases:

        out[n, m] = b[m] + sum_d x[n, d] * w[d, m]        (out = x @ w + b)

    Returns out (N, M).

    Graded: raises ValueError when x and w disagree on D or b does not have exactly M entries. float32 x,
    w and b give a float32 out, and x, w and b are not modified.
    """
    # Your code here: check that x and w agree on D and that b has M entries, then x @ w + b.
    raise NotImplementedError


def linear_backward(dout, x, w):
    """Backward pass of a linear layer; dout (N, M) is the upstream gradient.

        dx = dout @ w.T            dx[n, d] = sum_m dout[n, m] * w[d, m]
        dw = x.T @ dout            dw[d, m] = sum_n x[n, d] * dout[n, m]
        db = dout.sum(axis=0)      db[m]    = sum_n dout[n, m]

    (w and b are shared by the N examples: their gradients add up over the batch). Returns
    (dx (N, D), dw (D, M), db (M,)).

    Graded: raises ValueError unless dout is (N, M). float32 dout, x and w give float32 dx, dw and db, and
    dout, x and w are not modified.
    """
    # Your code here: dx = dout @ w.T, dw = x.T @ dout, db = dout.sum(axis=0): w and b are shared
    # by the batch.
    raise NotImplementedError


# ------------------------------------------------------------------------------------------ global max pool
def _check_maps(x):
    """Validate feature maps x (N, C, H, W) with at least one pixel."""
    x = as_float_array(x, "x", ndim=4, layout="(N, C, H, W)")
    if 0 in x.shape[2:]:
        raise ValueError(f"'x' must have at least one pixel per map (got shape {x.shape})")
    return x


def global_max_pool_forward(x):
    """The post's max: the largest value of each channel's whole H x W map.

        out[n, c] = max_{i, j} x[n, c, i, j]

    x (N, C, H, W) -> out (N, C). Moving a pattern inside the map moves where the maximum is, not its value.

    Graded: raises ValueError unless x has 4 axes and at least one pixel per map. float32 x gives a float32
    out, and x is not modified.
    """
    # Your code here: the maximum of each (n, c) map over its H and W axes.
    raise NotImplementedError


def global_max_pool_backward(dout, x):
    """Backward pass of the global max: each map's gradient goes to its maximum.

        dx[n, c, i, j] = dout[n, c] where (i, j) is the first maximum of x[n, c] in row-major order,
                         0 elsewhere

    On ties (a map holding its maximum more than once) only the first maximum in row-major order gets the
    gradient, the same rule as max_pool_backward. dout (N, C), x (N, C, H, W) -> dx (N, C, H, W).

    Graded: raises ValueError unless dout is (N, C). float32 dout and x give a float32 dx, and dout and x
    are not modified.
    """
    # Your code here: zeros shaped like x, then each map's dout at its first maximum (np.argmax of
    # the flattened map).
    raise NotImplementedError


# ------------------------------------------------------------------------------------------ loss
def _check_labels(labels, n, classes):
    """Validate integer labels (N,) in [0, classes)."""
    labels = as_index_array(labels, "labels", ndim=1)
    check_shape(labels, "labels", (n,))
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(f"'labels' must lie in [0, {classes}) (got min {labels.min()}, max {labels.max()})")
    return labels


def softmax_cross_entropy(logits, labels):
    """Softmax cross-entropy loss, averaged over the N examples, and its gradient.

    logits (N, M) class scores, labels (N,) integers in [0, M):

        p[n, m]        = exp(logits[n, m]) / sum_k exp(logits[n, k])
        loss           = -(1 / N) * sum_n log p[n, labels[n]]
        dlogits[n, m]  = (p[n, m] - [m == labels[n]]) / N

    Numerically stable for large logits: subtract each row's max before exp (softmax does not change).
    Returns (loss, a Python float; dlogits (N, M)).

    Graded: raises ValueError unless labels has one entry per row, each in [0, M). float32 logits give a
    float32 dlogits (the loss is a Python float), and logits and labels are not modified.
    """
    # Your code here: subtract each row's max, take log-softmax, average -log p of the labels over
    # N; dlogits = (p - onehot) / N.
    raise NotImplementedError


# ------------------------------------------------------------------------------------------ the detector
def _check_detector_args(params, images):
    """Validate params {'w', 'b', 'w_fc', 'b_fc'} against images (N, C, H, W); return them as arrays."""
    if not isinstance(params, dict) or set(params) != set(PARAM_KEYS):
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"'params' must be a dict with the keys {PARAM_KEYS} (got {got})")
    images = as_float_array(images, "images", ndim=4, layout="(N, C, H, W)")
    w = as_float_array(params["w"], "params['w']", ndim=4, layout="(K, C, R, S)")
    K = w.shape[0]
    check_shape(w, "params['w']", (K, images.shape[1]) + w.shape[2:])
    window_output_shape(images.shape[2:], w.shape[2:], (1, 1))
    b = as_float_array(params["b"], "params['b']", ndim=1, layout="(K,)")
    check_shape(b, "params['b']", (K,))
    w_fc = as_float_array(params["w_fc"], "params['w_fc']", ndim=2, layout="(K, M)")
    check_shape(w_fc, "params['w_fc']", (K, w_fc.shape[1]))
    b_fc = as_float_array(params["b_fc"], "params['b_fc']", ndim=1, layout="(M,)")
    check_shape(b_fc, "params['b_fc']", (w_fc.shape[1],))
    return images, w, b, w_fc, b_fc


def detector_loss(params, images, labels):
    """Loss of the detector and its gradient with respect to every parameter (the chain rule, end to end).

    params: {'w': (K, C, R, S) kernels, 'b': (K,) their biases, 'w_fc': (K, M), 'b_fc': (M,)};
    images (N, C, H, W); labels (N,) integers in [0, M). Forward, with stride 1 and no padding:

        conv   = conv2d_forward(images, w, b)              (N, K, H_out, W_out)
        act    = relu_forward(conv)
        pooled = global_max_pool_forward(act)              (N, K)
        logits = linear_forward(pooled, w_fc, b_fc)        (N, M)
        loss, dlogits = softmax_cross_entropy(logits, labels)

    then back through the same layers in reverse order with their backward functions. Returns
    (loss, a Python float; grads, a dict with the keys of params and arrays shaped like them).

    Graded: raises ValueError when params does not have exactly the four keys w, b, w_fc, b_fc, when their
    shapes do not fit together or the images, or when a label is not in [0, M). float32 params and images
    give float32 grads (the loss is a Python float), and params, images and labels are not modified.
    """
    # Your code here: the forward pass layer by layer, keeping every input; then the backward
    # functions in reverse order.
    raise NotImplementedError


def train_detector(images, labels, *, kernels=4, kernel_size=3, classes=2, steps=100, lr=0.5, seed=0):
    """Train the detector by plain gradient descent on detector_loss; return its params.

    images (N, C, H, W), labels (N,) integers in [0, classes). The initial params, drawn in this order
    from rng = np.random.default_rng(seed), in the images' floating dtype:

        w    = rng.standard_normal((kernels, C, kernel_size, kernel_size)) * sqrt(2 / (C * kernel_size**2))
        w_fc = rng.standard_normal((kernels, classes)) * sqrt(1 / kernels)
        b, b_fc = zeros

    Then `steps` times: loss, grads = detector_loss(params, images, labels) on all the images, and
    params[key] = params[key] - lr * grads[key] for every key, the gradient computed again at every step.
    Returns the dict {'w', 'b', 'w_fc', 'b_fc'}.

    Graded: trained with these defaults on 24 images of make_shapes with the object in the left half, the
    detector must classify at least 90% of images with the object in the right half correctly, its kernels
    moved by the training. Raises ValueError when steps < 0, lr <= 0, the kernel does not fit the images,
    or a label is not in [0, classes). float32 images give float32 params, and images and labels are not
    modified.
    """
    # Your code here: draw w, then w_fc, from default_rng(seed); then steps times: params -= lr *
    # grads of detector_loss.
    raise NotImplementedError


def predict(params, images):
    """The detector's class for every image: the index of its largest logit.

    params as for detector_loss, images (N, C, H, W). The forward pass of detector_loss up to the logits
    (conv2d_forward, relu_forward, global_max_pool_forward, linear_forward), then

        labels[n] = argmax_m logits[n, m]     (on ties the smaller m)

    Returns labels (N,).

    Graded: raises ValueError, as detector_loss does, when params does not have exactly the four keys w, b,
    w_fc, b_fc or their shapes do not fit together. The labels are int64 also for float32 params and
    images, and params and images are not modified.
    """
    # Your code here: the forward pass of detector_loss up to the logits, then the argmax of each
    # row as int64.
    raise NotImplementedError


# ------------------------------------------------------------------------------------------ data (given)
def make_shapes(n, *, size=12, region="any", seed=0):
    """Grayscale images of an apple or a banana, for training and testing the detector (given, not graded).

    Returns (images (n, 1, size, size) float64, labels (n,) int64): label 1 is an apple (a filled disc of
    radius 2), label 0 a banana (a bent bar: an arc of radius 3 over 120 degrees, turned a random way), in
    equal numbers and shuffled, on a background of small Gaussian noise. Each object's centre lies at a
    random row and a random column of `region`: "left" (the left half), "right" (the right half), "any",
    or one column given as an int; objects stay 3 pixels away from the border.
    """
    n = as_int(n, "n", minimum=1)
    size = as_int(size, "size", minimum=8)
    if not is_int(seed):
        raise TypeError(f"'seed' must be an int (got {seed!r})")
    margin, half = 3, size // 2
    spans = {"left": (margin, half - 1), "right": (half, size - 1 - margin), "any": (margin, size - 1 - margin)}
    if is_int(region) and margin <= region <= size - 1 - margin:
        low, high = int(region), int(region)
    elif isinstance(region, str) and region in spans:
        low, high = spans[region]
    else:
        raise ValueError(f"'region' must be one of {tuple(spans)} or a column in [{margin}, {size - 1 - margin}] "
                         f"(got {region!r})")
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % 2).astype(np.int64)
    images = 0.1 * rng.standard_normal((n, 1, size, size))
    rows, cols = np.mgrid[:size, :size]
    for image, label in zip(images, labels):
        dr, dc = rows - rng.integers(margin, size - margin), cols - rng.integers(low, high + 1)
        image[0] += _apple(dr, dc) if label else _banana(dr, dc, rng.uniform(0, 2 * np.pi))
    return images, labels


def _apple(dr, dc):
    """A filled disc of radius 2 with a soft edge, centred at (0, 0)."""
    return np.clip(2.5 - np.hypot(dr, dc), 0, 1)


def _banana(dr, dc, angle):
    """A bent bar: the points within about 1 of an arc of radius 3 over 120 degrees, its middle at (0, 0)."""
    t = angle + np.linspace(-np.pi / 3, np.pi / 3, 25)
    arc_r, arc_c = 3 * (np.sin(t) - np.sin(angle)), 3 * (np.cos(t) - np.cos(angle))
    dist = np.hypot(dr[..., None] - arc_r, dc[..., None] - arc_c).min(axis=-1)
    return np.clip((1 - dist) / 0.5, 0, 1)
