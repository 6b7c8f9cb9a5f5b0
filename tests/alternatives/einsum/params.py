"""Parameter counts as sizes of the weight arrays a layer would allocate."""
import math

from .padding import check, conv_output_size, pair


def fc_param_count(in_features, out_features, bias=True):
    check(in_features >= 1, f"'in_features' must be >= 1 (got {in_features})")
    check(out_features >= 1, f"'out_features' must be >= 1 (got {out_features})")
    shapes = [(out_features, in_features)] + ([(out_features,)] if bias else [])
    return sum(math.prod(s) for s in shapes)


def conv_param_count(in_channels, out_channels, kernel_size, bias=True):
    check(in_channels >= 1, f"'in_channels' must be >= 1 (got {in_channels})")
    check(out_channels >= 1, f"'out_channels' must be >= 1 (got {out_channels})")
    shapes = [(out_channels, in_channels) + pair(kernel_size, "kernel_size", 1)]
    shapes += [(out_channels,)] if bias else []
    return sum(math.prod(s) for s in shapes)


def network_param_count(input_shape, layers):
    shape = tuple(input_shape)  # (C, H, W) before flatten, (F,) after
    total = 0
    for i, layer in enumerate(layers):
        kind, args = layer[0], layer[1:]
        try:
            check(kind in ("conv", "maxpool", "flatten", "fc"), "unknown layer kind")
            check(len(shape) == (1 if kind == "fc" else 3),
                  "fc needs ('flatten',) before it" if kind == "fc" else "comes after flatten, on a vector")
            if kind == "conv":
                K, kernel, stride, padding = args
                total += conv_param_count(shape[0], K, kernel)
                hw = [conv_output_size(n, k, p, s) for n, k, p, s in
                      zip(shape[1:], pair(kernel), pair(padding), pair(stride))]
                shape = (K, *hw)
            elif kind == "maxpool":
                kernel, stride = args
                hw = [conv_output_size(n, k, 0, s) for n, k, s in
                      zip(shape[1:], pair(kernel), pair(stride))]
                shape = (shape[0], *hw)
            elif kind == "flatten":
                shape = (math.prod(shape),)
            else:
                total += fc_param_count(shape[0], args[0])
                shape = (args[0],)
        except ValueError as err:  # name the layer that cannot be applied
            raise ValueError(f"layer {i} ({kind!r}): {err}") from err
    return total
