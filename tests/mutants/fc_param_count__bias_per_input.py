"""Counts one bias per input feature (in * out + in) instead of one per output."""
FUNCTION = "fc_param_count"
FAMILY = "bias"


def fc_param_count(in_features, out_features, bias=True):
    in_features = as_int(in_features, "in_features", minimum=1)
    out_features = as_int(out_features, "out_features", minimum=1)
    return in_features * out_features + (in_features if bias else 0)
