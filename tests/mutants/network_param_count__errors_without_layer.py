"""Bad layers raise ValueError, but the message does not say which layer is wrong."""
FUNCTION = "network_param_count"
FAMILY = "validation"


def network_param_count(input_shape, layers):
    C, H, W = input_shape
    total, features = 0, None
    for layer in layers:
        kind = layer[0]
        if kind == "conv":
            _, K, F, S, P = layer
            total += K * C * F * F + K
            C, H, W = K, (H - F + 2 * P) // S + 1, (W - F + 2 * P) // S + 1
        elif kind == "maxpool":
            _, F, S = layer
            H, W = (H - F) // S + 1, (W - F) // S + 1
        elif kind == "flatten":
            features = C * H * W
        elif kind == "fc":
            if features is None:
                raise ValueError("fc needs a flat input")
            total += features * layer[1] + layer[1]
            features = layer[1]
        else:
            raise ValueError(f"unknown layer kind {kind!r}")
        if H < 1 or W < 1:
            raise ValueError("the window does not fit")
    return total
