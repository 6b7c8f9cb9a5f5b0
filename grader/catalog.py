"""The one catalog of exercise functions: everything else about them is derived from this table.

Each exercise function has a module (where students write it, in report order), a topic (the notebook
that teaches it, in teaching order), the other exercise functions it is designed to call, and the
one-line hint its stub shows. While a function is graded, only its declared helpers are answered by the
reference; any other exercise function it calls runs the student's own version.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Exercise:
    name: str
    module: str  # the exercise module it is written in: exercises/<module>.py
    helpers: tuple[str, ...] = ()  # exercise functions it is designed to call (the reference answers them)
    hint: str = ""  # what to compute, shown in the stub in place of the body

    @property
    def topic(self) -> str:
        """The notebook that teaches it: exercises/notebooks/<topic>.ipynb."""
        return next(stem for stem, names in TOPIC_ORDER.items() if self.name in names)


# In report order, grouped by module.
EXERCISES = (
    Exercise('fc_param_count', 'params', (),
             'check the arguments (as_int, _check_bias), then count weights and biases.'),
    Exercise('conv_param_count', 'params', (),
             'check the arguments (as_int, as_pair, _check_bias); one (C, R, S) kernel and one bias per output channel.'),
    Exercise('network_param_count', 'params', ('conv_output_size', 'conv_param_count', 'fc_param_count'),
             'follow (C, H, W) through the layers with conv_output_size; add up the parameters of the conv and fc layers; name the layer in errors.'),
    Exercise('conv_output_size', 'padding', (),
             'check the four ints (as_int with a minimum), check that the kernel fits the padded input, then apply the formula.'),
    Exercise('same_padding', 'padding', (),
             'a kernel of size k needs k - 1 zeros in all; the odd one goes after.'),
    Exercise('zero_pad', 'padding', (),
             'turn padding into (top, bottom, left, right), allocate the padded zeros, copy x into the middle.'),
    Exercise('scan1d', 'scanning', (),
             'one dot product of w with the window at every stride step.'),
    Exercise('scan1d_backward', 'scanning', (),
             'every dy[i] flows back to the window it came from: into dx through w, into dw through x.'),
    Exercise('detect', 'scanning', (),
             'the response at every valid position, then the first position of the largest.'),
    Exercise('conv2d_forward', 'conv', ('zero_pad', 'conv_output_size'),
             'pad x, take every (R, S) window at the stride steps, contract it with each kernel over (C, R, S), add b.'),
    Exercise('conv2d_backward', 'conv', ('zero_pad', 'conv_output_size'),
             "db sums dout; dw and dx_pad send each output's gradient back to the window it came from; crop the padding off dx_pad."),
    Exercise('max_pool_forward', 'pooling', (),
             'the largest value of every window.'),
    Exercise('max_pool_backward', 'pooling', ('max_pool_indices',),
             "each window's gradient goes to its maximum; overlapping windows add up."),
    Exercise('max_pool_indices', 'pooling', (),
             'the argmax inside every window, turned into a flat index row * W + col of the plane.'),
    Exercise('avg_pool_forward', 'pooling', (),
             'the mean of every window.'),
    Exercise('avg_pool_backward', 'pooling', (),
             "each window's gradient is shared equally by its kh * kw elements; overlaps add up."),
    Exercise('unpool_nearest', 'unpooling', (),
             'repeat every value sh times down and sw times across.'),
    Exercise('unpool_nearest_backward', 'unpooling', (),
             'sum dout over every (sh, sw) block.'),
    Exercise('max_unpool', 'unpooling', (),
             'zeros of the output size, then every value written at its flat index of its plane.'),
    Exercise('max_unpool_backward', 'unpooling', (),
             'read dout at every index of its plane.'),
    Exercise('relu_forward', 'detector', (),
             'the elementwise maximum of x and 0, in the dtype of x.'),
    Exercise('relu_backward', 'detector', (),
             'dout where x > 0, and 0 where x <= 0 (at x == 0 too).'),
    Exercise('linear_forward', 'detector', (),
             'check that x and w agree on D and that b has M entries, then x @ w + b.'),
    Exercise('linear_backward', 'detector', (),
             'dx = dout @ w.T, dw = x.T @ dout, db = dout.sum(axis=0): w and b are shared by the batch.'),
    Exercise('global_max_pool_forward', 'detector', (),
             'the maximum of each (n, c) map over its H and W axes.'),
    Exercise('global_max_pool_backward', 'detector', (),
             "zeros shaped like x, then each map's dout at its first maximum (np.argmax of the flattened map)."),
    Exercise('softmax_cross_entropy', 'detector', (),
             "subtract each row's max, take log-softmax, average -log p of the labels over N; dlogits = (p - onehot) / N."),
    Exercise('detector_loss', 'detector',
             ('conv2d_forward', 'relu_forward', 'global_max_pool_forward', 'linear_forward',
              'softmax_cross_entropy', 'linear_backward', 'global_max_pool_backward', 'relu_backward',
              'conv2d_backward'),
             'the forward pass layer by layer, keeping every input; then the backward functions in reverse order.'),
    Exercise('train_detector', 'detector', ('detector_loss',),
             'draw w, then w_fc, from default_rng(seed); then steps times: params -= lr * grads of detector_loss.'),
    Exercise('predict', 'detector', ('conv2d_forward', 'relu_forward', 'global_max_pool_forward', 'linear_forward'),
             'the forward pass of detector_loss up to the logits, then the argmax of each row as int64.'),
)

# The notebooks in the order the topics are taught, and the order of the functions inside each.
TOPIC_ORDER = {
    "01_parameter_counting": ("fc_param_count", "conv_param_count", "network_param_count"),
    "02_scanning_and_shift_invariance": ("scan1d", "detect"),
    "03_shared_weight_gradients": ("scan1d_backward",),
    "04_conv2d": ("conv2d_forward", "conv2d_backward"),
    "05_padding_and_output_size": ("conv_output_size", "same_padding", "zero_pad"),
    "06_pooling": ("max_pool_indices", "max_pool_forward", "max_pool_backward", "avg_pool_forward",
                   "avg_pool_backward"),
    "07_unpooling": ("unpool_nearest", "unpool_nearest_backward", "max_unpool", "max_unpool_backward"),
    "08_end_to_end_detector": ("relu_forward", "relu_backward", "linear_forward", "linear_backward",
                               "global_max_pool_forward", "global_max_pool_backward", "softmax_cross_entropy",
                               "detector_loss", "train_detector", "predict"),
}

BY_NAME = {e.name: e for e in EXERCISES}
FUNCTIONS = {e.name: e.module for e in EXERCISES}  # name -> module, in report order
FUNCTION_ORDER = tuple(FUNCTIONS)
MODULES = tuple(dict.fromkeys(e.module for e in EXERCISES))
TOPICS = tuple(TOPIC_ORDER.items())
HINTS = {e.name: e.hint for e in EXERCISES}
# Given (not graded) functions of the reference whose data the checks ask for with ctx.reference, as they ask
# for answers: the release records them with the rest, so a student's installation needs no solutions/.
DATA_FUNCTIONS = ("make_shapes",)


def helpers_of(name: str) -> tuple[str, ...]:
    """The exercise functions `name` may call and get the reference's answer from."""
    return BY_NAME[name].helpers


def functions_of(module: str) -> tuple[str, ...]:
    return tuple(e.name for e in EXERCISES if e.module == module)


def _consistent():
    """Every exercise is taught in exactly one topic; its helpers are other exercises."""
    listed = [fn for fns in TOPIC_ORDER.values() for fn in fns]
    assert sorted(listed) == sorted(BY_NAME), "TOPIC_ORDER must list every exercise once"
    for e in EXERCISES:
        assert all(h in BY_NAME and h != e.name for h in e.helpers), e.name


_consistent()

