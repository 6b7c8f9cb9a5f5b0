"""solutions.scanning: scan1d, scan1d_backward, detect."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alternatives.einsum import scanning as einsum_scanning
from alternatives.loops import scanning as loop_scanning
from solutions.scanning import detect, scan1d, scan1d_backward
from strategies import detect_cases, scan_cases

ALTERNATIVES = [loop_scanning, einsum_scanning]


def test_scan1d_example():
    np.testing.assert_allclose(scan1d([1, 2, 3, 4, 5], [1, 0, -1]), [-2, -2, -2])
    np.testing.assert_allclose(scan1d([1, 2, 3, 4, 5], [1, 0, -1], stride=2), [-2, -2])


@given(scan_cases())
def test_scan1d_matches_alternatives(case):
    x, w, stride = case
    y = scan1d(x, w, stride)
    assert y.shape == ((len(x) - len(w)) // stride + 1,)
    for alt in ALTERNATIVES:
        np.testing.assert_allclose(alt.scan1d(x, w, stride), y, rtol=1e-12, atol=1e-12)


@given(scan_cases())
def test_scan1d_backward_matches_alternatives(case):
    x, w, stride = case
    dy = np.cos(np.arange(len(scan1d(x, w, stride))))
    dx, dw = scan1d_backward(dy, x, w, stride)
    assert dx.shape == x.shape and dw.shape == w.shape
    for alt in ALTERNATIVES:
        adx, adw = alt.scan1d_backward(dy, x, w, stride)
        np.testing.assert_allclose(adx, dx, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(adw, dw, rtol=1e-12, atol=1e-12)


@given(scan_cases(), st.integers(1, 3))
def test_scan1d_is_shift_equivariant(case, shift):
    x, w, stride = case
    prefix = np.linspace(-1, 1, shift * stride)
    y = scan1d(x, w, stride)
    y_shifted = scan1d(np.concatenate([prefix, x]), w, stride)
    np.testing.assert_allclose(y_shifted[shift:], y, rtol=1e-12, atol=1e-12)


@given(scan_cases())
def test_scan1d_stride_subsamples_stride_1(case):
    x, w, stride = case
    np.testing.assert_allclose(scan1d(x, w, stride), scan1d(x, w, 1)[::stride], rtol=1e-12)


@given(scan_cases())
def test_scan1d_backward_is_the_adjoint(case):
    x, w, stride = case
    y = scan1d(x, w, stride)
    dy = np.sin(np.arange(len(y)) + 1.0)
    dx, dw = scan1d_backward(dy, x, w, stride)
    np.testing.assert_allclose(dx @ x, dy @ y, rtol=1e-10, atol=1e-10)  # linear in x
    np.testing.assert_allclose(dw @ w, dy @ y, rtol=1e-10, atol=1e-10)  # linear in w


@given(scan_cases(values="normal"))
def test_scan1d_backward_gradient_check(num_grad, case):
    x, w, stride = case
    dy = np.cos(np.arange(len(scan1d(x, w, stride))))
    dx, dw = scan1d_backward(dy, x, w, stride)
    np.testing.assert_allclose(dx, num_grad(lambda v: dy @ scan1d(v, w, stride), x), atol=1e-6)
    np.testing.assert_allclose(dw, num_grad(lambda v: dy @ scan1d(x, v, stride), w), atol=1e-6)


def test_scan1d_shared_weight_sums_over_positions():
    dx, dw = scan1d_backward(np.ones(4), np.arange(5.0), np.array([2.0, -1.0]))
    np.testing.assert_array_equal(dw, [0 + 1 + 2 + 3, 1 + 2 + 3 + 4])
    np.testing.assert_array_equal(dx, [2, 1, 1, 1, -1])


def test_detect_d2l_corr2d():
    image = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    kernel = np.array([[0, 1], [2, 3]])
    assert detect(image, kernel) == (43.0, (1, 1))  # corr2d = [[19, 25], [37, 43]]


@given(detect_cases(values="integers"))
def test_detect_matches_loops_exactly_with_ties(case):
    image, kernel = case  # small integers: exact sums, frequent ties
    score, (row, col) = detect(image, kernel)
    assert type(score) is float and type(row) is int and type(col) is int
    for alt in ALTERNATIVES:
        assert alt.detect(image, kernel) == (score, (row, col))


@given(detect_cases(values="normal"))
def test_detect_matches_alternatives(case):
    image, kernel = case
    score, where = detect(image, kernel)
    for alt in ALTERNATIVES:
        alt_score, alt_where = alt.detect(image, kernel)
        assert alt_score == pytest.approx(score, rel=1e-12, abs=1e-12)
        assert alt_where == where


def test_detect_first_maximum_wins():
    assert detect(np.zeros((3, 4)), np.ones((2, 2))) == (0.0, (0, 0))
    assert detect(np.array([[0, 5, 0, 5], [0, 5, 0, 5]]), np.ones((1, 1))) == (5.0, (0, 1))


@given(detect_cases(), st.data())
def test_detect_crop_equivariance(case, data):
    image, kernel = case
    score, (row, col) = detect(image, kernel)
    dr, dc = data.draw(st.integers(0, row)), data.draw(st.integers(0, col))
    crop_score, where = detect(image[dr:, dc:], kernel)
    assert where == (row - dr, col - dc)
    assert crop_score == pytest.approx(score, rel=1e-12, abs=1e-12)


@given(detect_cases(values="normal"), st.data())
def test_detect_finds_a_planted_kernel_wherever_it_is(case, data):
    image, kernel = case
    R, S = kernel.shape
    row = data.draw(st.integers(0, image.shape[0] - R))
    col = data.draw(st.integers(0, image.shape[1] - S))
    scene = np.zeros_like(image)
    scene[row:row + R, col:col + S] = kernel  # any other window scores less (Cauchy-Schwarz)
    score, where = detect(scene, kernel)
    assert where == (row, col)
    assert score == pytest.approx(float(np.sum(kernel**2)))


def test_inputs_unchanged_and_float32_kept(read_only):
    x, w = read_only(np.linspace(-1, 1, 9, dtype=np.float32), np.float32([1, -2, 0.5]))
    y = scan1d(x, w, 2)
    dx, dw = scan1d_backward(np.ones_like(y), x, w, 2)
    assert y.dtype == dx.dtype == dw.dtype == np.float32
    np.testing.assert_array_equal(x, np.linspace(-1, 1, 9, dtype=np.float32))
    image, kernel = read_only(np.eye(4), np.ones((2, 2)))
    detect(image, kernel)
    np.testing.assert_array_equal(image, np.eye(4))


@pytest.mark.parametrize("call, error, message", [
    (lambda: scan1d(np.ones(3), np.ones(4)), ValueError,
     "kernel of size 4 does not fit the input of size 3"),
    (lambda: scan1d(np.ones(3), np.ones(0)), ValueError,
     "kernel of size 0 does not fit the input of size 3"),
    (lambda: scan1d(np.ones((3, 1)), np.ones(2)), ValueError,
     "'x' must be a 1-D array (L,) (got shape (3, 1))"),
    (lambda: scan1d(np.ones(3), np.ones(2), stride=0), ValueError, "'stride' must be >= 1 (got 0)"),
    (lambda: scan1d(np.ones(3), np.ones(2), stride=True), TypeError,
     "'stride' must be an int (got True)"),
    (lambda: scan1d_backward(np.ones(3), np.ones(5), np.ones(2), 2), ValueError,
     "'dy' must have shape (2,) (got (3,))"),
    (lambda: detect(np.ones((2, 2)), np.ones((3, 1))), ValueError,
     "kernel (3, 1) does not fit the input (H, W)=(2, 2)"),
    (lambda: detect(np.ones(4), np.ones((1, 1))), ValueError,
     "'image' must be a 2-D array (H, W) (got shape (4,))"),
])
def test_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message
