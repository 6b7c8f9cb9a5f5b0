"""Every exercise function loops forever (at the default time limit, graded all together).

Each function costs one call timeout and nothing more: the worker kills the looping child and stays
warm, so the whole submission (30 functions) is graded in about a minute.
"""


def fc_param_count(in_features, out_features, bias=True):
    while True:
        pass


def conv_param_count(in_channels, out_channels, kernel_size, bias=True):
    while True:
        pass


def network_param_count(input_shape, layers):
    while True:
        pass


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    while True:
        pass


def same_padding(kernel_size):
    while True:
        pass


def zero_pad(x, padding):
    while True:
        pass


def scan1d(x, w, stride=1):
    while True:
        pass


def scan1d_backward(dy, x, w, stride=1):
    while True:
        pass


def detect(image, kernel):
    while True:
        pass


def conv2d_forward(x, w, b, stride=1, padding=0):
    while True:
        pass


def conv2d_backward(dout, x, w, stride=1, padding=0):
    while True:
        pass


def max_pool_forward(x, kernel_size, stride=None):
    while True:
        pass


def max_pool_backward(dout, x, kernel_size, stride=None):
    while True:
        pass


def max_pool_indices(x, kernel_size, stride=None):
    while True:
        pass


def avg_pool_forward(x, kernel_size, stride=None):
    while True:
        pass


def avg_pool_backward(dout, x, kernel_size, stride=None):
    while True:
        pass


def unpool_nearest(x, scale):
    while True:
        pass


def unpool_nearest_backward(dout, scale):
    while True:
        pass


def max_unpool(x, indices, output_size):
    while True:
        pass


def max_unpool_backward(dout, indices):
    while True:
        pass


def relu_forward(x):
    while True:
        pass


def relu_backward(dout, x):
    while True:
        pass


def linear_forward(x, w, b):
    while True:
        pass


def linear_backward(dout, x, w):
    while True:
        pass


def global_max_pool_forward(x):
    while True:
        pass


def global_max_pool_backward(dout, x):
    while True:
        pass


def softmax_cross_entropy(logits, labels):
    while True:
        pass


def detector_loss(params, images, labels):
    while True:
        pass


def train_detector(images, labels, *, kernels=4, kernel_size=3, classes=2, steps=100, lr=0.5, seed=0):
    while True:
        pass


def predict(params, images):
    while True:
        pass


EXPECT = {
    "only": "all",
    "outcome": {"score": 0, "status": "timeout", "seconds": 85},
}
