"""The conv layers' output size ignores the padding: (H - F) // S + 1 instead of (H - F + 2P) // S + 1."""
FUNCTION = "network_param_count"
FAMILY = "output size"


def network_param_count(input_shape, layers):
    C, H, W = input_shape
    total, features = 0, None
    for i, layer in enumerate(layers):
        kind = layer[0]
        if kind == "conv":
            _, K, F, S, P = layer
            total += K * C * F * F + K
            C, H, W = K, (H - F) // S + 1, (W - F) // S + 1
        elif kind == "maxpool":
            _, F, S = layer
            H, W = (H - F) // S + 1, (W - F) // S + 1
        elif kind == "flatten":
            features = C * H * W
        elif kind == "fc":
            if features is None:
                raise ValueError(f"layer {i} ('fc'): fc needs a flat input")
            total += features * layer[1] + layer[1]
            features = layer[1]
        else:
            raise ValueError(f"layer {i} ({kind!r}): unknown layer kind")
        if H < 1 or W < 1:
            raise ValueError(f"layer {i} ({kind!r}): the window does not fit")
    return total
