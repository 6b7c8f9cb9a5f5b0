"""solutions.conv: conv2d_forward, conv2d_backward."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import solutions.conv
from alternatives.einsum import conv as einsum_conv
from alternatives.loops import conv as loop_conv
from solutions.conv import conv2d_backward, conv2d_forward
from solutions.padding import zero_pad
from strategies import conv_cases

ALTERNATIVES = [loop_conv, einsum_conv]
TOL = dict(rtol=1e-10, atol=1e-10)


def _upstream(case):
    """A fixed, non-trivial upstream gradient shaped like the forward output."""
    out = conv2d_forward(case.x, case.w, case.b, case.stride, case.padding)
    return np.cos(np.arange(out.size)).reshape(out.shape)


def test_cs231n_conv_forward_naive():
    x = np.linspace(-0.1, 0.5, num=96).reshape(2, 3, 4, 4)
    w = np.linspace(-0.2, 0.3, num=144).reshape(3, 3, 4, 4)
    b = np.linspace(-0.1, 0.2, num=3)
    out = conv2d_forward(x, w, b, stride=2, padding=1)
    assert out.shape == (2, 3, 2, 2)
    np.testing.assert_allclose(out[0, 0], [[-0.08759809, -0.10987781],
                                           [-0.18387192, -0.2109216]], rtol=1e-7)
    np.testing.assert_allclose(out[1, 2], [[2.36270298, 2.36904306],
                                           [2.38090835, 2.38247847]], rtol=1e-7)


def test_d2l_corr2d_as_a_conv_layer():
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    w = np.array([[[[0.0, 1.0], [2.0, 3.0]]]])
    np.testing.assert_array_equal(conv2d_forward(x, w, np.zeros(1))[0, 0], [[19, 25], [37, 43]])


@given(conv_cases())
def test_forward_matches_alternatives(case):
    out = conv2d_forward(case.x, case.w, case.b, case.stride, case.padding)
    N, C, H, W = case.x.shape
    K, _, R, S = case.w.shape
    assert out.shape == (N, K, (H + 2 * case.ph - R) // case.sh + 1,
                         (W + 2 * case.pw - S) // case.sw + 1)
    for alt in ALTERNATIVES:
        np.testing.assert_allclose(
            alt.conv2d_forward(case.x, case.w, case.b, case.stride, case.padding), out, **TOL)


@given(conv_cases())
def test_backward_matches_alternatives(case):
    dout = _upstream(case)
    grads = conv2d_backward(dout, case.x, case.w, case.stride, case.padding)
    assert [g.shape for g in grads] == [case.x.shape, case.w.shape, case.b.shape]
    for alt in ALTERNATIVES:
        for ours, theirs in zip(grads, alt.conv2d_backward(dout, case.x, case.w, case.stride,
                                                          case.padding)):
            np.testing.assert_allclose(theirs, ours, **TOL)


@pytest.mark.parametrize("x_shape, w_shape, stride, padding", [
    ((1, 1, 1, 1), (1, 1, 1, 1), 1, 0),          # N = C = K = 1, a single pixel
    ((1, 1, 4, 7), (1, 1, 1, 3), 2, 0),          # non-square image and kernel, stride 2
    ((2, 3, 5, 6), (2, 3, 3, 2), (3, 1), (0, 2)),  # stride and padding as pairs
    ((1, 2, 2, 2), (3, 2, 4, 4), 1, 1),          # kernel only fits thanks to the padding
    ((1, 1, 7, 7), (1, 1, 3, 3), 3, 1),          # floor: the last row and column are dropped
])
def test_corner_cases_match_loops(x_shape, w_shape, stride, padding):
    rng = np.random.default_rng(sum(x_shape + w_shape))
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    b = rng.standard_normal(w_shape[0])
    out = conv2d_forward(x, w, b, stride, padding)
    np.testing.assert_allclose(out, loop_conv.conv2d_forward(x, w, b, stride, padding), **TOL)
    dout = np.cos(np.arange(out.size)).reshape(out.shape)
    for ours, theirs in zip(conv2d_backward(dout, x, w, stride, padding),
                            loop_conv.conv2d_backward(dout, x, w, stride, padding)):
        np.testing.assert_allclose(ours, theirs, **TOL)


@given(conv_cases(), st.floats(-3, 3), st.floats(-3, 3))
def test_forward_is_linear_in_x_and_in_w(case, alpha, beta):
    x, w, s, p = case.x, case.w, case.stride, case.padding
    zero = np.zeros_like(case.b)
    x2, w2 = np.sin(x), np.cos(w)

    def conv(x, w):
        return conv2d_forward(x, w, zero, s, p)

    np.testing.assert_allclose(conv(alpha * x + beta * x2, w),
                               alpha * conv(x, w) + beta * conv(x2, w), **TOL)
    np.testing.assert_allclose(conv(x, alpha * w + beta * w2),
                               alpha * conv(x, w) + beta * conv(x, w2), **TOL)
    bias_only = conv2d_forward(x, w, case.b, s, p) - conv(x, w)
    np.testing.assert_allclose(
        bias_only, np.broadcast_to(case.b[None, :, None, None], bias_only.shape), **TOL)


@given(conv_cases())
def test_padding_equals_zero_pad_then_valid(case):
    out = conv2d_forward(case.x, case.w, case.b, case.stride, case.padding)
    padded = zero_pad(case.x, (case.ph, case.pw))
    np.testing.assert_allclose(conv2d_forward(padded, case.w, case.b, case.stride, 0), out, **TOL)


@given(conv_cases())
def test_stride_subsamples_stride_1(case):
    out = conv2d_forward(case.x, case.w, case.b, case.stride, case.padding)
    dense = conv2d_forward(case.x, case.w, case.b, 1, case.padding)
    np.testing.assert_allclose(dense[:, :, ::case.sh, ::case.sw], out, **TOL)


@given(conv_cases())
def test_backward_is_the_adjoint(case):
    """<conv(x), y> == <x, dx(y)> and <conv_x(w), y> == <w, dw(y)> (b = 0)."""
    zero = np.zeros_like(case.b)
    out = conv2d_forward(case.x, case.w, zero, case.stride, case.padding)
    y = _upstream(case)
    dx, dw, db = conv2d_backward(y, case.x, case.w, case.stride, case.padding)
    lhs = np.vdot(out, y)
    np.testing.assert_allclose(np.vdot(case.x, dx), lhs, **TOL)
    np.testing.assert_allclose(np.vdot(case.w, dw), lhs, **TOL)
    np.testing.assert_allclose(db, y.sum(axis=(0, 2, 3)), **TOL)


@given(conv_cases(max_channels=2, max_extra=3))
def test_backward_gradient_check(num_grad, case):
    dout, s, p = _upstream(case), case.stride, case.padding
    dx, dw, db = conv2d_backward(dout, case.x, case.w, s, p)

    def loss(x=case.x, w=case.w, b=case.b):
        return np.vdot(conv2d_forward(x, w, b, s, p), dout)

    np.testing.assert_allclose(dx, num_grad(lambda v: loss(x=v), case.x), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(dw, num_grad(lambda v: loss(w=v), case.w), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(db, num_grad(lambda v: loss(b=v), case.b), rtol=1e-5, atol=1e-7)


@given(conv_cases(dtype=np.float32))
def test_pure_and_float32_kept(read_only, case):
    x, w, b = read_only(case.x, case.w, case.b)
    out = conv2d_forward(x, w, b, case.stride, case.padding)
    grads = conv2d_backward(*read_only(np.ones_like(out)), x, w, case.stride, case.padding)
    assert out.dtype == np.float32 and all(g.dtype == np.float32 for g in grads)
    for frozen, original in [(x, case.x), (w, case.w), (b, case.b)]:
        np.testing.assert_array_equal(frozen, original)


def test_integer_inputs_give_float64():
    x = np.arange(16).reshape(1, 1, 4, 4)
    out = conv2d_forward(x, np.ones((1, 1, 2, 2), int), np.zeros(1, int))
    assert out.dtype == np.float64
    assert all(g.dtype == np.float64 for g in conv2d_backward(np.ones(out.shape, int), x,
                                                               np.ones((1, 1, 2, 2), int)))


def test_forward_and_backward_pad_with_zero_pad(monkeypatch):
    calls = []

    def spy(x, padding):
        calls.append(padding)
        return zero_pad(x, padding)

    monkeypatch.setattr(solutions.conv, "zero_pad", spy)
    x, w = np.ones((1, 1, 3, 3)), np.ones((1, 1, 3, 3))
    out = conv2d_forward(x, w, np.zeros(1), padding=1)
    conv2d_backward(np.ones_like(out), x, w, padding=1)
    assert len(calls) == 2 and all(tuple(np.broadcast_to(p, 2)) == (1, 1) for p in calls)


X, W, B = np.zeros((2, 3, 5, 5)), np.zeros((4, 3, 3, 3)), np.zeros(4)


@pytest.mark.parametrize("call, error, message", [
    (lambda: conv2d_forward(X, np.zeros((4, 2, 3, 3)), B), ValueError,
     "x and w disagree on channels: x.shape=(2, 3, 5, 5), w.shape=(4, 2, 3, 3)"),
    (lambda: conv2d_forward(X[0], W, B), ValueError,
     "'x' must be a 4-D array (N, C, H, W) (got shape (3, 5, 5))"),
    (lambda: conv2d_forward(X, W[0], B), ValueError,
     "'w' must be a 4-D array (K, C, R, S) (got shape (3, 3, 3))"),
    (lambda: conv2d_forward(X, W, np.zeros(3)), ValueError, "'b' must have shape (4,) (got (3,))"),
    (lambda: conv2d_forward(X, W, B, stride=0), ValueError, "'stride' must be >= 1 (got 0)"),
    (lambda: conv2d_forward(X, W, B, stride=(1, 0)), ValueError,
     "'stride' must be >= 1 (got (1, 0))"),
    (lambda: conv2d_forward(X, W, B, padding=-1), ValueError, "'padding' must be >= 0 (got -1)"),
    (lambda: conv2d_forward(X, W, B, stride=True), TypeError,
     "'stride' must be an int or an (h, w) pair of ints (got True)"),
    (lambda: conv2d_forward(X, W, B, padding=1.0), TypeError,
     "'padding' must be an int or an (h, w) pair of ints (got 1.0)"),
    (lambda: conv2d_forward(X, np.zeros((4, 3, 6, 3)), B), ValueError,
     "kernel (6, 3) does not fit the input (H, W)=(5, 5)"),
    (lambda: conv2d_forward(X, np.zeros((4, 3, 8, 3)), B, padding=1), ValueError,
     "kernel (8, 3) does not fit the padded input (H, W)=(7, 7)"),
    (lambda: conv2d_backward(np.zeros((2, 4, 5, 5)), X, W), ValueError,
     "'dout' must have shape (2, 4, 3, 3) (got (2, 4, 5, 5))"),
    (lambda: conv2d_backward(np.zeros((2, 4, 3)), X, W), ValueError,
     "'dout' must be a 4-D array (N, K, H_out, W_out) (got shape (2, 4, 3))"),
    (lambda: conv2d_backward(np.zeros((2, 4, 3, 3)), X, np.zeros((4, 2, 3, 3))), ValueError,
     "x and w disagree on channels: x.shape=(2, 3, 5, 5), w.shape=(4, 2, 3, 3)"),
])
def test_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message
