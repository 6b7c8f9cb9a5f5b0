"""Ignores bias=False: the out_features biases are always counted."""
FUNCTION = "fc_param_count"
FAMILY = "bias"


def fc_param_count(in_features, out_features, bias=True):
    return in_features * out_features + out_features
