"""Parameter counts by enumerating every weight and bias of a layer."""
from .padding import conv_output_size, pair


def fc_param_count(in_features, out_features, bias=True):
    count = 0
    for _ in range(out_features):
        for _ in range(in_features):
            count += 1  # one weight per (input, output) pair
        if bias:
            count += 1
    return count


def conv_param_count(in_channels, out_channels, kernel_size, bias=True):
    R, S = pair(kernel_size)
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
                raise ValueError(f"layer {i} ('fc'): fc before flatten")
            total += fc_param_count(flat, layer[1])
            flat = layer[1]
        else:
            raise ValueError(f"layer {i} ({kind!r}): unknown layer kind")
    return total
