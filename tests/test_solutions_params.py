"""solutions.params: fc_param_count, conv_param_count, network_param_count."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

import solutions.params
from alternatives.einsum import params as einsum_params
from alternatives.loops import params as loop_params
from solutions.params import conv_param_count, fc_param_count, network_param_count
from strategies import network_cases

ALTERNATIVES = [loop_params, einsum_params]

LENET = [("conv", 6, 5, 1, 2), ("maxpool", 2, 2), ("conv", 16, 5, 1, 0), ("maxpool", 2, 2),
         ("flatten",), ("fc", 120), ("fc", 84), ("fc", 10)]


def test_published_counts():
    assert fc_param_count(128 * 128 * 3, 256, bias=False) == 12_582_912
    assert conv_param_count(3, 4, 3) == 112
    assert network_param_count((1, 28, 28), LENET) == 61_706


def test_lenet_layer_by_layer():
    assert conv_param_count(1, 6, 5) == 156
    assert conv_param_count(6, 16, 5) == 2_416
    assert fc_param_count(16 * 5 * 5, 120) == 48_120
    assert network_param_count((1, 28, 28), LENET[:4] + [("flatten",)]) == 156 + 2_416


@given(st.integers(1, 5000), st.integers(1, 5000), st.booleans())
def test_fc_count_matches_alternatives(n_in, n_out, bias):
    count = fc_param_count(n_in, n_out, bias=bias)
    assert count == n_in * n_out + bias * n_out
    assert count == einsum_params.fc_param_count(n_in, n_out, bias)
    if n_in * n_out <= 2000:
        assert count == loop_params.fc_param_count(n_in, n_out, bias)


@given(st.integers(1, 8), st.integers(1, 8), st.integers(1, 5), st.integers(1, 5), st.booleans())
def test_conv_count_matches_alternatives(C, K, R, S, bias):
    count = conv_param_count(C, K, (R, S), bias=bias)
    for alt in ALTERNATIVES:
        assert alt.conv_param_count(C, K, (R, S), bias) == count
    assert conv_param_count(C, K, (R, S), bias=False) + (K if bias else 0) == count
    if R == S:
        assert conv_param_count(C, K, R, bias=bias) == count


@given(network_cases())
def test_network_count_matches_alternatives(case):
    input_shape, layers = case
    count = network_param_count(input_shape, layers)
    for alt in ALTERNATIVES:
        assert alt.network_param_count(input_shape, layers) == count


@given(network_cases(max_features=0))
def test_network_without_fc_counts_only_convolutions(case):
    input_shape, layers = case
    C, expected = input_shape[0], 0
    for layer in layers:
        if layer[0] == "conv":
            expected += conv_param_count(C, layer[1], layer[2])
            C = layer[1]
    assert network_param_count(input_shape, layers) == expected


def test_network_uses_conv_output_size(monkeypatch):
    calls = []
    original = solutions.params.conv_output_size

    def spy(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(solutions.params, "conv_output_size", spy)
    assert network_param_count((1, 28, 28), LENET) == 61_706
    assert len(calls) == 8  # H and W of two convs and two pools


@pytest.mark.parametrize("input_shape, layers, error, message", [
    ((1, 8, 8), [("conv", 4, 3, 1, 0), ("conv", 4, 3, 1, 0), ("conv", 4, 3, 1, 0),
                 ("conv", 4, 3, 1, 0)], ValueError,
     "layer 3 ('conv'): kernel_size 3 does not fit the padded input "
     "(input_size 2 + 2 * padding 0 = 2)"),
    ((1, 3, 3), [("maxpool", 4, 4)], ValueError,
     "layer 0 ('maxpool'): kernel_size 4 does not fit the padded input "
     "(input_size 3 + 2 * padding 0 = 3)"),
    ((1, 4, 4), [("fc", 10)], ValueError,
     "layer 0 ('fc'): fc needs a flat input: add ('flatten',) before it"),
    ((1, 4, 4), [("flatten",), ("dropout", 0.5)], ValueError,
     "layer 1 ('dropout'): unknown layer kind; expected one of 'conv', 'maxpool', 'flatten', 'fc'"),
    ((1, 4, 4), [("flatten",), ("conv", 2, 1, 1, 0)], ValueError,
     "layer 1 ('conv'): comes after flatten, on a vector"),
    ((1, 4, 4), [("conv", 2, 3)], ValueError, "layer 0 ('conv'): expected 5 entries (got 3)"),
    ((1, 4, 4), ["flatten"], ValueError,
     "layer 0: must be a tuple such as ('fc', 10) (got 'flatten')"),
    ((1, 4, 4), [("conv", 2, 3, 0, 0)], ValueError, "layer 0 ('conv'): 'stride' must be >= 1 (got 0)"),
    ((1, 4, 4), [("conv", 2, 3, 1, -1)], ValueError,
     "layer 0 ('conv'): 'padding' must be >= 0 (got -1)"),
    ((1, 4, 4), [("conv", 2, 3.0, 1, 0)], TypeError,
     "layer 0 ('conv'): 'kernel_size' must be an int or an (h, w) pair of ints (got 3.0)"),
    ((4, 4), [], ValueError, "'input_shape' must be a (C, H, W) triple (got (4, 4))"),
])
def test_network_errors(input_shape, layers, error, message):
    with pytest.raises(error) as info:
        network_param_count(input_shape, layers)
    assert str(info.value) == message


@pytest.mark.parametrize("call, error, message", [
    (lambda: fc_param_count(0, 3), ValueError, "'in_features' must be >= 1 (got 0)"),
    (lambda: fc_param_count(3, True), TypeError, "'out_features' must be an int (got True)"),
    (lambda: fc_param_count(3, 4, bias=1), TypeError, "'bias' must be a bool (got 1)"),
    (lambda: conv_param_count(3, 4, 0), ValueError, "'kernel_size' must be >= 1 (got 0)"),
    (lambda: conv_param_count(3, 4, (3, 0)), ValueError, "'kernel_size' must be >= 1 (got (3, 0))"),
    (lambda: conv_param_count(3, 4, (3, 3, 3)), TypeError,
     "'kernel_size' must be an int or an (h, w) pair of ints (got (3, 3, 3))"),
    (lambda: conv_param_count(0, 4, 3), ValueError, "'in_channels' must be >= 1 (got 0)"),
])
def test_count_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


def test_layers_are_not_modified():
    layers = [tuple(layer) for layer in LENET]
    network_param_count((1, 28, 28), layers)
    assert layers == LENET
