"""Counting the learnable parameters of fully connected and convolutional networks.

A fully connected layer has a weight per (input, output) pair; a convolution
layer shares one (C, R, S) kernel per output channel over all positions, so
its count does not depend on the image size.
"""
from ._args import as_int, as_pair
from .padding import conv_output_size


def _check_bias(bias):
    if not isinstance(bias, bool):
        raise TypeError(f"'bias' must be a bool (got {bias!r})")


def fc_param_count(in_features, out_features, bias=True):
    """Parameters of a fully connected layer: ``in * out`` weights (+ ``out`` biases).

    Graded: returns an int (Python or NumPy), the biases counted only when
    ``bias`` is True.

    >>> fc_param_count(128 * 128 * 3, 256, bias=False)
    12582912
    """
    # Your code here: check the arguments (as_int, _check_bias), then count weights and biases.
    raise NotImplementedError


def conv_param_count(in_channels, out_channels, kernel_size, bias=True):
    """Parameters of a convolution layer: ``K * C * R * S`` weights (+ ``K`` biases).

    C = ``in_channels``, K = ``out_channels``, ``kernel_size`` an int R = S or
    a pair (R, S). The image size does not matter: the kernels are shared.
    Graded: returns an int (Python or NumPy), the biases counted only when
    ``bias`` is True.

    >>> conv_param_count(3, 4, 3)
    112
    """
    # Your code here: check the arguments (as_int, as_pair, _check_bias); one (C, R, S) kernel and
    # one bias per output channel.
    raise NotImplementedError


def network_param_count(input_shape, layers):
    """Total parameters of a sequential network on inputs of shape ``(C, H, W)``.

    ``layers`` is a list of tuples (conv and fc layers have a bias):

        ("conv", out_channels, kernel_size, stride, padding)
        ("maxpool", kernel_size, stride)
        ("flatten",)
        ("fc", out_features)

    Each layer's output shape is tracked with
    ``H_out = (H - F + 2P) // S + 1`` so that the first fc layer knows its
    ``in_features = C * H * W``.

    Graded: returns an int; raises ``ValueError`` naming the layer, e.g.
    ``layer 3 ('conv'): ...``, when a window does not fit, when fc comes
    before flatten, or for an unknown layer kind.
    """
    # Your code here: follow (C, H, W) through the layers with conv_output_size; add up the
    # parameters of the conv and fc layers; name the layer in errors.
    raise NotImplementedError
