"""solutions.pooling: max and average pooling, forward, backward and indices."""
import numpy as np
import pytest
from hypothesis import given

import solutions.pooling
from alternatives.einsum import pooling as einsum_pooling
from alternatives.loops import pooling as loop_pooling
from solutions.pooling import (avg_pool_backward, avg_pool_forward, max_pool_backward,
                               max_pool_forward, max_pool_indices)
from strategies import pool_cases

ALTERNATIVES = [loop_pooling, einsum_pooling]
TOL = dict(rtol=1e-12, atol=1e-12)


def _args(case):
    return case.x, case.kernel_size, case.stride


def _upstream(out):
    return np.cos(np.arange(out.size)).reshape(out.shape)


def test_cs231n_max_pool_forward_naive():
    x = np.linspace(-0.3, 0.4, num=96).reshape(2, 3, 4, 4)
    out = max_pool_forward(x, 2, 2)
    assert out.shape == (2, 3, 2, 2)
    np.testing.assert_allclose(out[0, 0], [[-0.26315789, -0.24842105],
                                           [-0.20421053, -0.18947368]], rtol=1e-7)


def test_pytorch_max_unpool_doc_indices():
    x = np.arange(1.0, 17.0).reshape(1, 1, 4, 4)
    np.testing.assert_array_equal(max_pool_indices(x, 2, 2)[0, 0], [[5, 7], [13, 15]])
    np.testing.assert_array_equal(max_pool_forward(x, 2)[0, 0], [[6, 8], [14, 16]])
    np.testing.assert_array_equal(avg_pool_forward(x, 2)[0, 0], [[3.5, 5.5], [11.5, 13.5]])


def test_ties_go_to_the_first_maximum_in_row_major_order():
    x = np.array([[[[2, 0, 3], [1, 3, 0]]]], dtype=float)  # 2nd window: 3 at (0, 2) and (1, 1)
    np.testing.assert_array_equal(max_pool_indices(x, 2, 1)[0, 0], [[4, 2]])
    np.testing.assert_array_equal(max_pool_backward(np.ones((1, 1, 1, 2)), x, 2, 1)[0, 0],
                                  [[0, 0, 1], [0, 1, 0]])
    np.testing.assert_array_equal(max_pool_indices(np.ones((1, 1, 3, 3)), 2, 1)[0, 0],
                                  [[0, 1], [3, 4]])


def test_overlapping_windows_accumulate():
    x = np.array([[[[0, 0, 0], [0, 9, 0], [0, 0, 0]]]], dtype=float)
    dx = max_pool_backward(np.ones((1, 1, 2, 2)), x, 2, 1)
    np.testing.assert_array_equal(dx[0, 0], [[0, 0, 0], [0, 4, 0], [0, 0, 0]])
    dx = avg_pool_backward(np.ones((1, 1, 2, 2)), x, 2, 1)
    np.testing.assert_array_equal(dx[0, 0] * 4, [[1, 2, 1], [2, 4, 2], [1, 2, 1]])


@pytest.mark.parametrize("shape, kernel_size, stride", [
    ((1, 1, 1, 1), 1, None),        # N = C = 1, a single pixel
    ((1, 1, 5, 5), 3, 1),           # overlapping windows
    ((2, 1, 4, 7), (2, 3), (1, 2)),  # non-square windows, overlapping along W
    ((1, 2, 5, 5), 2, None),        # floor: the last row and column are dropped
    ((1, 1, 6, 3), (3, 1), 3),
])
def test_corner_cases_match_loops(shape, kernel_size, stride):
    x = np.random.default_rng(sum(shape)).standard_normal(shape)
    for name in ["max_pool_forward", "max_pool_indices", "avg_pool_forward"]:
        np.testing.assert_allclose(getattr(solutions.pooling, name)(x, kernel_size, stride),
                                   getattr(loop_pooling, name)(x, kernel_size, stride), **TOL)
    dout = _upstream(max_pool_forward(x, kernel_size, stride))
    for name in ["max_pool_backward", "avg_pool_backward"]:
        np.testing.assert_allclose(getattr(solutions.pooling, name)(dout, x, kernel_size, stride),
                                   getattr(loop_pooling, name)(dout, x, kernel_size, stride), **TOL)


@given(pool_cases())
def test_max_pool_matches_alternatives(case):
    out, idx = max_pool_forward(*_args(case)), max_pool_indices(*_args(case))
    N, C, H, W = case.x.shape
    assert out.shape == idx.shape == (N, C, (H - case.kh) // case.sh + 1,
                                      (W - case.kw) // case.sw + 1)
    assert idx.dtype == np.int64
    dout = _upstream(out)
    dx = max_pool_backward(dout, *_args(case))
    for alt in ALTERNATIVES:
        np.testing.assert_array_equal(alt.max_pool_forward(*_args(case)), out)
        np.testing.assert_array_equal(alt.max_pool_indices(*_args(case)), idx)
        np.testing.assert_allclose(alt.max_pool_backward(dout, *_args(case)), dx, **TOL)


@given(pool_cases())
def test_avg_pool_matches_alternatives(case):
    out = avg_pool_forward(*_args(case))
    dout = _upstream(out)
    dx = avg_pool_backward(dout, *_args(case))
    for alt in ALTERNATIVES:
        np.testing.assert_allclose(alt.avg_pool_forward(*_args(case)), out, **TOL)
        np.testing.assert_allclose(alt.avg_pool_backward(dout, *_args(case)), dx, **TOL)


@given(pool_cases())
def test_indices_point_at_the_maxima_inside_their_windows(case):
    x, (N, C, H, W) = case.x, case.x.shape
    out, idx = max_pool_forward(*_args(case)), max_pool_indices(*_args(case))
    np.testing.assert_array_equal(np.take_along_axis(x.reshape(N, C, -1),
                                                     idx.reshape(N, C, -1), 2).reshape(out.shape), out)
    i, j = np.indices(out.shape[2:])
    assert ((idx // W - i * case.sh >= 0) & (idx // W - i * case.sh < case.kh)).all()
    assert ((idx % W - j * case.sw >= 0) & (idx % W - j * case.sw < case.kw)).all()


@given(pool_cases())
def test_pooling_bounds_and_constants(case):
    x = case.x
    mx, avg = max_pool_forward(*_args(case)), avg_pool_forward(*_args(case))
    assert (mx >= avg - 1e-12).all()
    assert (mx <= x.max()).all() and (avg >= x.min() - 1e-12).all()
    constant = np.full_like(x, 2.5)
    np.testing.assert_allclose(avg_pool_forward(constant, case.kernel_size, case.stride), 2.5)
    np.testing.assert_array_equal(max_pool_forward(constant, case.kernel_size, case.stride), 2.5)


@given(pool_cases())
def test_backward_conserves_the_gradient_and_is_the_adjoint(case):
    out = avg_pool_forward(*_args(case))
    dout = _upstream(out)
    dx_max, dx_avg = max_pool_backward(dout, *_args(case)), avg_pool_backward(dout, *_args(case))
    np.testing.assert_allclose(dx_max.sum(), dout.sum(), **TOL)
    np.testing.assert_allclose(dx_avg.sum(), dout.sum(), **TOL)
    np.testing.assert_allclose(np.vdot(case.x, dx_avg), np.vdot(out, dout), **TOL)  # linear
    mx = max_pool_forward(*_args(case))
    np.testing.assert_allclose(np.vdot(case.x, dx_max), np.vdot(mx, dout), **TOL)  # piecewise


@given(pool_cases(values="distinct"))
def test_backward_gradient_check(num_grad, case):
    for forward, backward in [(max_pool_forward, max_pool_backward),
                              (avg_pool_forward, avg_pool_backward)]:
        dout = _upstream(forward(*_args(case)))
        dx = backward(dout, *_args(case))
        numeric = num_grad(lambda v: np.vdot(forward(v, case.kernel_size, case.stride), dout),
                           case.x)
        np.testing.assert_allclose(dx, numeric, rtol=1e-5, atol=1e-7)


@given(pool_cases(dtype=np.float32))
def test_pure_and_float32_kept(read_only, case):
    x, = read_only(case.x)
    for forward, backward in [(max_pool_forward, max_pool_backward),
                              (avg_pool_forward, avg_pool_backward)]:
        out = forward(x, case.kernel_size, case.stride)
        dout, = read_only(np.ones_like(out))
        dx = backward(dout, x, case.kernel_size, case.stride)
        assert out.dtype == dx.dtype == np.float32
    max_pool_indices(x, case.kernel_size, case.stride)
    np.testing.assert_array_equal(x, case.x)


def test_max_pool_is_written_with_max_pool_indices(monkeypatch):
    calls = []
    original = solutions.pooling.max_pool_indices

    def spy(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(solutions.pooling, "max_pool_indices", spy)
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    max_pool_backward(np.ones((1, 1, 2, 2)), x, 2)
    max_pool_forward(x, 2)
    assert len(calls) == 2


X = np.zeros((2, 3, 4, 5))


@pytest.mark.parametrize("call, error, message", [
    (lambda: max_pool_forward(X, 5), ValueError,
     "pooling window (5, 5) does not fit the input (H, W)=(4, 5)"),
    (lambda: avg_pool_forward(X, (2, 6)), ValueError,
     "pooling window (2, 6) does not fit the input (H, W)=(4, 5)"),
    (lambda: max_pool_indices(X, 0), ValueError, "'kernel_size' must be >= 1 (got 0)"),
    (lambda: max_pool_forward(X, 2, stride=0), ValueError, "'stride' must be >= 1 (got 0)"),
    (lambda: avg_pool_forward(X, True), TypeError,
     "'kernel_size' must be an int or an (h, w) pair of ints (got True)"),
    (lambda: max_pool_forward(X, 2, stride=2.0), TypeError,
     "'stride' must be an int or an (h, w) pair of ints (got 2.0)"),
    (lambda: max_pool_forward(X[0], 2), ValueError,
     "'x' must be a 4-D array (N, C, H, W) (got shape (3, 4, 5))"),
    (lambda: max_pool_backward(np.zeros((2, 3, 2, 3)), X, 2), ValueError,
     "'dout' must have shape (2, 3, 2, 2) (got (2, 3, 2, 3))"),
    (lambda: avg_pool_backward(np.zeros((2, 3, 3, 4)), X, 2), ValueError,
     "'dout' must have shape (2, 3, 2, 2) (got (2, 3, 3, 4))"),
    (lambda: avg_pool_backward(np.zeros((2, 3, 2)), X, 2), ValueError,
     "'dout' must be a 4-D array (N, C, H_out, W_out) (got shape (2, 3, 2))"),
])
def test_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message
