"""Parameter counts by enumerating the kernels, weight rows and biases of a layer."""
from .padding import at_least, conv_output_size, pair


def fc_param_count(in_features, out_features, bias=True):
    in_features = at_least(in_features, "in_features", 1)
    out_features = at_least(out_features, "out_features", 1)
    count = 0
    for _ in range(out_features):
        count += in_features  # one row of weights: one per input
        if bias:
            count += 1
    return count


def conv_param_count(in_channels, out_channels, kernel_size, bias=True):
    in_channels = at_least(in_channels, "in_channels", 1)
    out_channels = at_least(out_channels, "out_channels", 1)
    R, S = pair(kernel_size, "kernel_size", 1)
    count = 0
    for _ in range(out_channels):
        for _ in range(in_channels):
            for _ in range(R):
                for _ in range(S):
                    count += 1
        if bias:
            count += 1
    return count


def network_param_count(input_shape, layers):
    C, H, W = input_shape
    flat = None
    total = 0
    for i, layer in enumerate(layers):
        kind = layer[0]
        try:
            if kind in ("conv", "maxpool") and flat is not None:
                raise ValueError("comes after flatten, on a vector")
            if kind == "conv":
                _, K, kernel, stride, padding = layer
                (R, S), (sh, sw), (ph, pw) = pair(kernel), pair(stride), pair(padding)
                total += conv_param_count(C, K, (R, S))
                C, H, W = K, conv_output_size(H, R, ph, sh), conv_output_size(W, S, pw, sw)
            elif kind == "maxpool":
                _, kernel, stride = layer
                (kh, kw), (sh, sw) = pair(kernel), pair(stride)
                H, W = conv_output_size(H, kh, 0, sh), conv_output_size(W, kw, 0, sw)
            elif kind == "flatten":
                flat = C * H * W
            elif kind == "fc":
                if flat is None:
                    raise ValueError("fc before flatten")
                total += fc_param_count(flat, layer[1])
                flat = layer[1]
            else:
                raise ValueError("unknown layer kind")
        except ValueError as err:  # say which layer could not be applied
            raise ValueError(f"layer {i} ({kind!r}): {err}") from err
    return total
