"""Reference NumPy implementation of the convolutional-network exercises.

Conventions: images ``x (N, C, H, W)``, kernels ``w (K, C, R, S)``, biases
``b (K,)``; every "convolution" is a cross-correlation (no kernel flip).
``stride``, ``padding``, ``kernel_size`` and ``scale`` accept an int or an
``(h, w)`` pair. Backward functions take the upstream gradient first, then the
forward's inputs, and return gradients shaped like those inputs. Every function
keeps the floating dtype of its input (float32 in, float32 out, as in PyTorch)
and never modifies its arguments; the docstring of each function says what
else is graded.
"""
from .conv import conv2d_backward, conv2d_forward
from .detector import (detector_loss, global_max_pool_backward, global_max_pool_forward,
                       linear_backward, linear_forward, make_shapes, predict, relu_backward,
                       relu_forward, softmax_cross_entropy, train_detector)
from .padding import conv_output_size, same_padding, zero_pad
from .params import conv_param_count, fc_param_count, network_param_count
from .pooling import (avg_pool_backward, avg_pool_forward, max_pool_backward,
                      max_pool_forward, max_pool_indices)
from .scanning import detect, scan1d, scan1d_backward
from .unpooling import (max_unpool, max_unpool_backward, unpool_nearest,
                        unpool_nearest_backward)

__all__ = [
    "conv_output_size", "same_padding", "zero_pad",
    "fc_param_count", "conv_param_count", "network_param_count",
    "scan1d", "scan1d_backward", "detect",
    "conv2d_forward", "conv2d_backward",
    "max_pool_forward", "max_pool_backward", "max_pool_indices",
    "avg_pool_forward", "avg_pool_backward",
    "unpool_nearest", "unpool_nearest_backward", "max_unpool", "max_unpool_backward",
    "relu_forward", "relu_backward", "linear_forward", "linear_backward",
    "global_max_pool_forward", "global_max_pool_backward", "softmax_cross_entropy",
    "detector_loss", "train_detector", "predict", "make_shapes",
]
