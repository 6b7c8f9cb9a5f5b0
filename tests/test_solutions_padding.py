"""solutions.padding: conv_output_size, same_padding, zero_pad."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alternatives.einsum import padding as einsum_padding
from alternatives.loops import padding as loop_padding
from solutions.padding import conv_output_size, same_padding, zero_pad
from strategies import output_size_cases, pad_cases

ALTERNATIVES = [loop_padding, einsum_padding]


@pytest.mark.parametrize("args, expected", [
    ((5, 3, 0, 1), 3), ((5, 3, 1, 1), 5), ((5, 3, 1, 2), 3), ((7, 3, 0, 2), 3),
    ((32, 5, 2, 1), 32), ((28, 2, 0, 2), 14), ((4, 4, 0, 1), 1), ((1, 3, 1, 1), 1),
    ((8, 3, 0, 3), 2),  # floor: the last column is dropped
])
def test_conv_output_size_worked_examples(args, expected):
    assert conv_output_size(*args) == expected


@given(output_size_cases())
def test_conv_output_size_matches_alternatives(case):
    expected = conv_output_size(*case)
    assert type(expected) is int
    for alt in ALTERNATIVES:
        assert alt.conv_output_size(*case) == expected


@given(output_size_cases())
def test_conv_output_size_last_window_fits_and_next_does_not(case):
    I, F, P, S = case
    n = conv_output_size(I, F, padding=P, stride=S)
    assert (n - 1) * S + F <= I + 2 * P < n * S + F


def test_conv_output_size_accepts_numpy_ints():
    assert conv_output_size(np.int64(5), np.int32(3)) == 3


@pytest.mark.parametrize("k, expected", [(1, (0, 0)), (2, (0, 1)), (3, (1, 1)), (4, (1, 2)),
                                         (5, (2, 2)), (7, (3, 3))])
def test_same_padding_values(k, expected):
    assert same_padding(k) == expected


@given(st.integers(1, 50))
def test_same_padding_keeps_the_size_at_stride_1(k):
    before, after = same_padding(k)
    assert before + after == k - 1 and 0 <= after - before <= 1
    for alt in ALTERNATIVES:
        assert alt.same_padding(k) == (before, after)
    for size in (1, 7, 16):
        assert size + before + after - k + 1 == size


@given(pad_cases())
def test_zero_pad_places_x_and_zeros(case):
    x, padding, ((top, bottom), (left, right)) = case
    out = zero_pad(x, padding)
    N, C, H, W = x.shape
    assert out.shape == (N, C, top + H + bottom, left + W + right)
    np.testing.assert_array_equal(out[:, :, top:top + H, left:left + W], x)
    border = np.ones(out.shape, bool)
    border[:, :, top:top + H, left:left + W] = False
    assert not out[border].any()


@given(pad_cases())
def test_zero_pad_matches_alternatives(case):
    x, padding, _ = case
    out = zero_pad(x, padding)
    for alt in ALTERNATIVES:
        np.testing.assert_array_equal(alt.zero_pad(x, padding), out)


@given(pad_cases(dtype=np.float32))
def test_zero_pad_is_pure_and_keeps_float32(case):
    x, padding, _ = case
    frozen = x.copy()
    frozen.flags.writeable = False
    out = zero_pad(frozen, padding)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(frozen, x)
    assert not np.shares_memory(out, frozen)


def test_zero_pad_integer_input_becomes_float64():
    out = zero_pad(np.arange(4).reshape(1, 1, 2, 2), 1)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out[0, 0], [[0, 0, 0, 0], [0, 0, 1, 0], [0, 2, 3, 0],
                                              [0, 0, 0, 0]])


def test_zero_pad_asymmetric_example():
    out = zero_pad(np.ones((1, 1, 1, 2)), ((0, 1), (2, 0)))
    np.testing.assert_array_equal(out[0, 0], [[0, 0, 1, 1], [0, 0, 0, 0]])


X = np.zeros((1, 1, 3, 3))


@pytest.mark.parametrize("call, error, message", [
    (lambda: conv_output_size(2, 5, 1), ValueError,
     "kernel_size 5 does not fit the padded input (input_size 2 + 2 * padding 1 = 4)"),
    (lambda: conv_output_size(5, 3, stride=0), ValueError, "'stride' must be >= 1 (got 0)"),
    (lambda: conv_output_size(5, 0), ValueError, "'kernel_size' must be >= 1 (got 0)"),
    (lambda: conv_output_size(5, 3, padding=-1), ValueError, "'padding' must be >= 0 (got -1)"),
    (lambda: conv_output_size(0, 1), ValueError, "'input_size' must be >= 1 (got 0)"),
    (lambda: conv_output_size(5, 3, stride=True), TypeError, "'stride' must be an int (got True)"),
    (lambda: conv_output_size(5.0, 3), TypeError, "'input_size' must be an int (got 5.0)"),
    (lambda: same_padding(0), ValueError, "'kernel_size' must be >= 1 (got 0)"),
    (lambda: same_padding((3, 3)), TypeError, "'kernel_size' must be an int (got (3, 3))"),
    (lambda: zero_pad(X, -1), ValueError, "'padding' must be >= 0 (got -1)"),
    (lambda: zero_pad(X, (1, -2)), ValueError, "'padding' must be >= 0 (got (1, -2))"),
    (lambda: zero_pad(X, ((0, 1), (-1, 0))), ValueError, "'padding[1]' must be >= 0 (got (-1, 0))"),
    (lambda: zero_pad(X, 1.5), TypeError,
     "'padding' must be an int or an (h, w) pair of ints (got 1.5)"),
    (lambda: zero_pad(X, False), TypeError,
     "'padding' must be an int or an (h, w) pair of ints (got False)"),
    (lambda: zero_pad(X[0], 1), ValueError,
     "'x' must be a 4-D array (N, C, H, W) (got shape (1, 3, 3))"),
    (lambda: zero_pad(np.array([["a"]]), 1), TypeError,
     "'x' must be a real numeric array (got dtype <U1)"),
])
def test_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message
