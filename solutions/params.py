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
    # BEGIN SOLUTION
    in_features = as_int(in_features, "in_features", minimum=1)
    out_features = as_int(out_features, "out_features", minimum=1)
    _check_bias(bias)
    return in_features * out_features + (out_features if bias else 0)
    # END SOLUTION


def conv_param_count(in_channels, out_channels, kernel_size, bias=True):
    """Parameters of a convolution layer: ``K * C * R * S`` weights (+ ``K`` biases).

    C = ``in_channels``, K = ``out_channels``, ``kernel_size`` an int R = S or
    a pair (R, S). The image size does not matter: the kernels are shared.
    Graded: returns an int (Python or NumPy), the biases counted only when
    ``bias`` is True.

    >>> conv_param_count(3, 4, 3)
    112
    """
    # BEGIN SOLUTION
    C = as_int(in_channels, "in_channels", minimum=1)
    K = as_int(out_channels, "out_channels", minimum=1)
    R, S = as_pair(kernel_size, "kernel_size", minimum=1)
    _check_bias(bias)
    return K * C * R * S + (K if bias else 0)
    # END SOLUTION


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
    # BEGIN SOLUTION
    if not (isinstance(input_shape, (tuple, list)) and len(input_shape) == 3):
        raise ValueError(f"'input_shape' must be a (C, H, W) triple (got {input_shape!r})")
    C, H, W = (as_int(n, "input_shape", minimum=1) for n in input_shape)
    features = None  # set by flatten: the network is then a vector of this length
    total = 0
    arity = {"conv": 5, "maxpool": 3, "flatten": 1, "fc": 2}
    for i, layer in enumerate(layers):
        if not (isinstance(layer, (tuple, list)) and layer):
            raise ValueError(f"layer {i}: must be a tuple such as ('fc', 10) (got {layer!r})")
        kind = layer[0]
        where = f"layer {i} ({kind!r})"
        if not isinstance(kind, str) or kind not in arity:
            raise ValueError(f"{where}: unknown layer kind; expected one of "
                             f"{', '.join(map(repr, arity))}")
        if len(layer) != arity[kind]:
            raise ValueError(f"{where}: expected {arity[kind]} entries (got {len(layer)})")
        if kind != "fc" and features is not None:
            raise ValueError(f"{where}: comes after flatten, on a vector")
        try:
            if kind == "conv":
                _, K, kernel, stride, padding = layer
                R, S = as_pair(kernel, "kernel_size")
                sh, sw = as_pair(stride, "stride")
                ph, pw = as_pair(padding, "padding", minimum=0)
                total += conv_param_count(C, K, (R, S))
                C, H, W = K, conv_output_size(H, R, ph, sh), conv_output_size(W, S, pw, sw)
            elif kind == "maxpool":
                _, kernel, stride = layer
                kh, kw = as_pair(kernel, "kernel_size")
                sh, sw = as_pair(stride, "stride")
                H, W = conv_output_size(H, kh, 0, sh), conv_output_size(W, kw, 0, sw)
            elif kind == "flatten":
                features = C * H * W
            else:  # fc
                if features is None:
                    raise ValueError("fc needs a flat input: add ('flatten',) before it")
                out_features = as_int(layer[1], "out_features", minimum=1)
                total += fc_param_count(features, out_features)
                features = out_features
        except (ValueError, TypeError) as err:
            raise type(err)(f"{where}: {err}") from err
    return total
    # END SOLUTION
