"""solutions.unpooling: nearest and max unpooling with their backward passes."""
import numpy as np
import pytest
from hypothesis import given

from alternatives.einsum import unpooling as einsum_unpooling
from alternatives.loops import unpooling as loop_unpooling
from solutions.pooling import avg_pool_forward, max_pool_forward, max_pool_indices
from solutions.unpooling import (max_unpool, max_unpool_backward, unpool_nearest,
                                 unpool_nearest_backward)
from strategies import max_unpool_cases, pool_cases, unpool_cases

ALTERNATIVES = [loop_unpooling, einsum_unpooling]
TOL = dict(rtol=1e-12, atol=1e-12)


def _upstream(shape):
    return np.cos(np.arange(np.prod(shape))).reshape(shape)


def test_pytorch_max_unpool_doc_example():
    x = np.arange(1.0, 17.0).reshape(1, 1, 4, 4)
    out, idx = max_pool_forward(x, 2, 2), max_pool_indices(x, 2, 2)
    np.testing.assert_array_equal(idx[0, 0], [[5, 7], [13, 15]])
    np.testing.assert_array_equal(max_unpool(out, idx, (4, 4))[0, 0],
                                  [[0, 0, 0, 0], [0, 6, 0, 8], [0, 0, 0, 0], [0, 14, 0, 16]])
    np.testing.assert_array_equal(max_unpool_backward(x, idx), out)


def test_unpool_nearest_example():
    x = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    np.testing.assert_array_equal(unpool_nearest(x, (1, 2))[0, 0], [[1, 1, 2, 2], [3, 3, 4, 4]])
    np.testing.assert_array_equal(unpool_nearest_backward(np.ones((1, 1, 4, 4)), 2)[0, 0],
                                  [[4, 4], [4, 4]])


@given(unpool_cases())
def test_unpool_nearest_matches_alternatives(case):
    x, scale, (sh, sw) = case
    out = unpool_nearest(x, scale)
    N, C, H, W = x.shape
    assert out.shape == (N, C, H * sh, W * sw)
    dout = _upstream(out.shape)
    dx = unpool_nearest_backward(dout, scale)
    for alt in ALTERNATIVES:
        np.testing.assert_array_equal(alt.unpool_nearest(x, scale), out)
        np.testing.assert_allclose(alt.unpool_nearest_backward(dout, scale), dx, **TOL)


@given(unpool_cases())
def test_unpool_nearest_round_trips_through_pooling(case):
    x, scale, (sh, sw) = case
    up = unpool_nearest(x, scale)
    np.testing.assert_array_equal(max_pool_forward(up, (sh, sw)), x)
    np.testing.assert_allclose(avg_pool_forward(up, (sh, sw)), x, **TOL)
    np.testing.assert_allclose(unpool_nearest_backward(up, scale), x * sh * sw, **TOL)


@given(unpool_cases())
def test_unpool_nearest_backward_is_the_adjoint(case):
    x, scale, _ = case
    out = unpool_nearest(x, scale)
    dout = _upstream(out.shape)
    np.testing.assert_allclose(np.vdot(x, unpool_nearest_backward(dout, scale)),
                               np.vdot(out, dout), **TOL)


@given(max_unpool_cases())
def test_max_unpool_matches_alternatives(case):
    x, indices, output_size = case
    out = max_unpool(x, indices, output_size)
    assert out.shape == x.shape[:2] + output_size
    dout = _upstream(out.shape)
    dx = max_unpool_backward(dout, indices)
    assert dx.shape == x.shape
    for alt in ALTERNATIVES:
        np.testing.assert_array_equal(alt.max_unpool(x, indices, output_size), out)
        np.testing.assert_array_equal(alt.max_unpool_backward(dout, indices), dx)


@given(max_unpool_cases())
def test_max_unpool_keeps_the_values_and_zeros_the_rest(case):
    x, indices, output_size = case
    out = max_unpool(x, indices, output_size)
    N, C = x.shape[:2]
    flat = out.reshape(N, C, -1)
    np.testing.assert_array_equal(np.take_along_axis(flat, indices.reshape(N, C, -1), 2),
                                  x.reshape(N, C, -1))
    assert np.count_nonzero(out) == np.count_nonzero(x)
    np.testing.assert_allclose(np.vdot(out, _upstream(out.shape)),
                               np.vdot(x, max_unpool_backward(_upstream(out.shape), indices)),
                               **TOL)


@given(pool_cases(values="distinct"))
def test_max_pool_then_unpool_round_trip(case):
    x = np.abs(case.x) + 1.0  # positive, so the zeros of the unpooled map never win
    out = max_pool_forward(x, case.kernel_size, case.stride)
    idx = max_pool_indices(x, case.kernel_size, case.stride)
    restored = max_unpool(out, idx, x.shape[2:])
    np.testing.assert_array_equal(max_pool_forward(restored, case.kernel_size, case.stride), out)
    np.testing.assert_array_equal(max_pool_indices(restored, case.kernel_size, case.stride), idx)
    kept = restored != 0
    np.testing.assert_array_equal(restored[kept], x[kept])


@given(unpool_cases())
def test_unpool_nearest_gradient_check(num_grad, case):
    x, scale, _ = case
    dout = _upstream(unpool_nearest(x, scale).shape)
    numeric = num_grad(lambda v: np.vdot(unpool_nearest(v, scale), dout), x)
    np.testing.assert_allclose(unpool_nearest_backward(dout, scale), numeric, rtol=1e-5, atol=1e-7)


@given(max_unpool_cases())
def test_max_unpool_gradient_check(num_grad, case):
    x, indices, output_size = case
    dout = _upstream(x.shape[:2] + output_size)
    numeric = num_grad(lambda v: np.vdot(max_unpool(v, indices, output_size), dout), x)
    np.testing.assert_allclose(max_unpool_backward(dout, indices), numeric, rtol=1e-5, atol=1e-7)


@given(max_unpool_cases(dtype=np.float32))
def test_pure_and_float32_kept(read_only, case):
    x, indices, output_size = read_only(*case[:2]) + [case[2]]
    out = max_unpool(x, indices, output_size)
    dx = max_unpool_backward(*read_only(np.ones_like(out)), indices)
    up = unpool_nearest(x, 2)
    assert out.dtype == dx.dtype == up.dtype == np.float32
    assert unpool_nearest_backward(*read_only(up), 2).dtype == np.float32
    np.testing.assert_array_equal(x, case[0])
    np.testing.assert_array_equal(indices, case[1])


X = np.ones((1, 2, 2, 2))
IDX = np.zeros((1, 2, 2, 2), dtype=np.int64) + np.arange(4).reshape(2, 2)


@pytest.mark.parametrize("call, error, message", [
    (lambda: unpool_nearest(X, 0), ValueError, "'scale' must be >= 1 (got 0)"),
    (lambda: unpool_nearest(X, (2, 1.5)), TypeError,
     "'scale' must be an int or an (h, w) pair of ints (got (2, 1.5))"),
    (lambda: unpool_nearest(X[0], 2), ValueError,
     "'x' must be a 4-D array (N, C, H, W) (got shape (2, 2, 2))"),
    (lambda: unpool_nearest_backward(np.ones((1, 1, 3, 4)), 2), ValueError,
     "'dout' spatial shape (3, 4) must be a multiple of scale (2, 2)"),
    (lambda: max_unpool(X, IDX.astype(float), (4, 4)), TypeError,
     "'indices' must be an integer array (got dtype float64)"),
    (lambda: max_unpool(X, IDX[:, :1], (4, 4)), ValueError,
     "'indices' must have shape (1, 2, 2, 2) (got (1, 1, 2, 2))"),
    (lambda: max_unpool(X, IDX + 14, (4, 4)), ValueError,
     "'indices' must lie in [0, 16) (got min 14, max 17)"),
    (lambda: max_unpool(X, IDX - 1, (4, 4)), ValueError,
     "'indices' must lie in [0, 16) (got min -1, max 2)"),
    (lambda: max_unpool(X, IDX, (4, 0)), ValueError, "'output_size' must be >= 1 (got (4, 0))"),
    (lambda: max_unpool_backward(np.ones((1, 2, 1, 2)), IDX), ValueError,
     "'indices' must lie in [0, 2) (got min 0, max 3)"),
    (lambda: max_unpool_backward(np.ones((1, 3, 4, 4)), IDX), ValueError,
     "dout and indices disagree on (N, C): dout.shape=(1, 3, 4, 4), indices.shape=(1, 2, 2, 2)"),
    (lambda: max_unpool_backward(np.ones((1, 2, 4, 4)), IDX[0]), ValueError,
     "'indices' must be a 4-D array (got shape (2, 2, 2))"),
])
def test_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message
