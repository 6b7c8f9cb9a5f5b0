"""The graded functions, in teaching order, and the module each one lives in."""

MODULES = ("params", "padding", "scanning", "conv", "pooling", "unpooling")

FUNCTIONS = {
    "fc_param_count": "params", "conv_param_count": "params", "network_param_count": "params",
    "conv_output_size": "padding", "same_padding": "padding", "zero_pad": "padding",
    "scan1d": "scanning", "scan1d_backward": "scanning", "detect": "scanning",
    "conv2d_forward": "conv", "conv2d_backward": "conv",
    "max_pool_forward": "pooling", "max_pool_backward": "pooling", "max_pool_indices": "pooling",
    "avg_pool_forward": "pooling", "avg_pool_backward": "pooling",
    "unpool_nearest": "unpooling", "unpool_nearest_backward": "unpooling",
    "max_unpool": "unpooling", "max_unpool_backward": "unpooling",
}

FUNCTION_ORDER = tuple(FUNCTIONS)


def reference_functions() -> dict:
    """name -> the reference implementation from solutions/ (imported here, in the grader's process)."""
    import solutions

    return {name: getattr(solutions, name) for name in FUNCTIONS}
