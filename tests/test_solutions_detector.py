"""solutions.detector: relu, linear, global max pooling, softmax cross-entropy and the detector trained end to end.

Known values, two independent implementations (plain loops, einsum), and PyTorch CPU as an oracle (float64,
gradients by autograd) when it is installed.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import solutions.detector as D
from alternatives.einsum import detector as einsum_detector
from alternatives.loops import detector as loop_detector

ALTERNATIVES = [loop_detector, einsum_detector]
TOL = dict(rtol=1e-10, atol=1e-12)
KEYS = ("w", "b", "w_fc", "b_fc")


def network(seed, n=2, c=1, k=2, m=3, r=2, s=3, h=4, w=5):
    """params (k kernels (k, c, r, s), m classes), images (n, c, h, w) and labels, normal values from `seed`."""
    rng = np.random.default_rng(seed)
    images = rng.standard_normal((n, c, h, w))
    params = {"w": rng.standard_normal((k, c, r, s)), "b": rng.standard_normal(k),
              "w_fc": rng.standard_normal((k, m)), "b_fc": rng.standard_normal(m)}
    return params, images, rng.integers(0, m, size=n)


@st.composite
def networks(draw, max_n=3):
    r, s = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    return network(draw(st.integers(0, 2**32 - 1)), n=draw(st.integers(1, max_n)), c=draw(st.integers(1, 2)),
                   k=draw(st.integers(1, 3)), m=draw(st.integers(2, 3)), r=r, s=s,
                   h=draw(st.integers(r, r + 3)), w=draw(st.integers(s, s + 3)))


# ------------------------------------------------------------------------------------------ known values
def test_relu_and_its_gradient_at_the_kink():
    x = np.array([[-1.5, 0.0, 2.0], [-0.0, 3.0, -4.0]])
    np.testing.assert_array_equal(D.relu_forward(x), [[0, 0, 2], [0, 3, 0]])
    np.testing.assert_array_equal(D.relu_backward(np.full(x.shape, 7.0), x), [[0, 0, 7], [0, 7, 0]])


def test_linear_layer_and_its_gradients():
    x, w, b = np.array([[1.0, 2], [3, 4], [5, 6]]), np.array([[1.0, -1], [2, 0]]), np.array([10.0, 20])
    np.testing.assert_array_equal(D.linear_forward(x, w, b), [[15, 19], [21, 17], [27, 15]])
    dx, dw, db = D.linear_backward(np.ones((3, 2)), x, w)
    np.testing.assert_array_equal(dx, [[0, 2]] * 3)
    np.testing.assert_array_equal(dw, [[9, 9], [12, 12]])
    np.testing.assert_array_equal(db, [3, 3])


def test_global_max_pool_sends_the_gradient_to_the_first_maximum():
    x = np.array([[[[0.0, 3], [3, 1]], [[5.0, 5], [5, 5]]]])
    np.testing.assert_array_equal(D.global_max_pool_forward(x), [[3, 5]])
    dx = D.global_max_pool_backward(np.array([[1.0, 2.0]]), x)
    np.testing.assert_array_equal(dx, [[[[0, 1], [0, 0]], [[2, 0], [0, 0]]]])


def test_global_max_pool_does_not_move_when_the_pattern_moves():
    x = np.zeros((1, 1, 6, 6))
    x[0, 0, 1:3, 1:3] = [[1, 2], [3, 4]]
    moved = np.roll(x, (2, 3), axis=(2, 3))
    np.testing.assert_array_equal(D.global_max_pool_forward(x), D.global_max_pool_forward(moved))


def test_softmax_cross_entropy_of_equal_logits_is_log_m_and_stable_for_large_logits():
    loss, dlogits = D.softmax_cross_entropy(np.zeros((2, 4)), np.array([1, 3]))
    assert loss == pytest.approx(np.log(4)) and isinstance(loss, float)
    np.testing.assert_allclose(dlogits, [[0.125, -0.375, 0.125, 0.125], [0.125, 0.125, 0.125, -0.375]])
    loss, dlogits = D.softmax_cross_entropy(np.array([[1000.0, 0.0], [1e4, 1e4 - 800]]), np.array([1, 1]))
    assert loss == pytest.approx((1000 + 800) / 2)
    np.testing.assert_allclose(dlogits, [[0.5, -0.5], [0.5, -0.5]])


def test_float32_stays_float32_and_inputs_are_not_modified():
    params, images, labels = network(0)
    params32 = {k: v.astype(np.float32) for k, v in params.items()}
    images32 = images.astype(np.float32)
    before = {k: v.copy() for k, v in params32.items()}, images32.copy(), labels.copy()
    loss, grads = D.detector_loss(params32, images32, labels)
    assert isinstance(loss, float) and all(grads[k].dtype == np.float32 for k in KEYS)
    assert D.train_detector(images32, labels, steps=2, classes=params["b_fc"].size)["w"].dtype == np.float32
    assert D.relu_forward(images32).dtype == D.global_max_pool_forward(images32).dtype == np.float32
    for key in KEYS:
        np.testing.assert_array_equal(params32[key], before[0][key])
    np.testing.assert_array_equal(images32, before[1])
    np.testing.assert_array_equal(labels, before[2])


def test_predict_takes_the_largest_logit_and_the_smaller_class_on_ties():
    params, images, _ = network(0)
    params = {**params, "w_fc": np.zeros_like(params["w_fc"]), "b_fc": np.ones_like(params["b_fc"])}
    labels = D.predict(params, images)
    assert labels.dtype == np.int64 and labels.shape == (len(images),) and not labels.any()


@pytest.mark.parametrize("call, message", [
    (lambda: D.relu_backward(np.ones(3), np.ones((1, 3))), "'dout' must have shape (1, 3) (got (3,))"),
    (lambda: D.linear_forward(np.ones((2, 3)), np.ones((2, 4)), np.ones(4)), "x and w disagree on D"),
    (lambda: D.global_max_pool_forward(np.ones((1, 1, 0, 2))), "'x' must have at least one pixel"),
    (lambda: D.softmax_cross_entropy(np.ones((2, 3)), np.array([0, 3])), "'labels' must lie in [0, 3)"),
    (lambda: D.detector_loss({"w": 1}, np.ones((1, 1, 3, 3)), [0]), "'params' must be a dict with the keys"),
    (lambda: D.train_detector(np.ones((2, 1, 4, 4)), np.array([0, 1]), steps=-1), "'steps' must be >= 0 (got -1)"),
    (lambda: D.train_detector(np.ones((2, 1, 4, 4)), np.array([0, 1]), lr=0), "'lr' must be a number > 0 (got 0)"),
    (lambda: D.make_shapes(4, region="top"), "'region' must be one of"),
])
def test_bad_arguments_raise_value_error_with_the_argument_named(call, message):
    with pytest.raises(ValueError) as error:
        call()
    assert message in str(error.value)


# ------------------------------------------------------------------------------------------ the data
def test_make_shapes_puts_each_object_in_its_region_in_equal_numbers():
    for region, columns in (("left", range(3, 6)), ("right", range(6, 9)), (7, [7])):
        images, labels = D.make_shapes(40, region=region, seed=3)
        assert images.shape == (40, 1, 12, 12) and labels.dtype == np.int64 and labels.sum() == 20
        weights = np.clip(images[:, 0] - 0.5, 0, None).sum(axis=1)  # the object, not the noise, per column
        centres = (weights * np.arange(12)).sum(axis=1) / weights.sum(axis=1)
        assert all(min(columns) - 1 <= c <= max(columns) + 1 for c in centres), (region, centres)
    first, again = D.make_shapes(6, seed=5), D.make_shapes(6, seed=5)
    np.testing.assert_array_equal(first[0], again[0])


def test_the_detector_trained_on_the_left_half_works_on_the_right_half():
    """The post's claim: the max over the scanned responses makes the decision shift invariant."""
    for seed in (0, 1, 2):
        images, labels = D.make_shapes(24, region="left", seed=seed)
        params = D.train_detector(images, labels, seed=seed)
        test_images, test_labels = D.make_shapes(200, region="right", seed=100 + seed)
        assert np.mean(D.predict(params, test_images) == test_labels) >= 0.9
        initial = D.train_detector(images, labels, seed=seed, steps=0)
        assert np.linalg.norm(params["w"] - initial["w"]) > 0.1 * np.linalg.norm(initial["w"])


# ------------------------------------------------------------------------------------------ alternatives
@settings(max_examples=30, deadline=None)
@given(networks())
def test_detector_loss_matches_the_alternatives(case):
    params, images, labels = case
    loss, grads = D.detector_loss(params, images, labels)
    for alt in ALTERNATIVES:
        alt_loss, alt_grads = alt.detector_loss(params, images, labels)
        assert alt_loss == pytest.approx(loss, rel=1e-10, abs=1e-12)
        for key in KEYS:
            np.testing.assert_allclose(alt_grads[key], grads[key], **TOL)
        np.testing.assert_array_equal(alt.predict(params, images), D.predict(params, images))


@settings(max_examples=10, deadline=None)
@given(networks(), st.integers(0, 3), st.integers(0, 100))
def test_train_detector_matches_the_alternatives(case, steps, seed):
    _, images, labels = case
    params = D.train_detector(images, labels, kernels=2, kernel_size=1, classes=3, steps=steps, lr=0.3, seed=seed)
    for alt in ALTERNATIVES:
        other = alt.train_detector(images, labels, kernels=2, kernel_size=1, classes=3, steps=steps, lr=0.3, seed=seed)
        for key in KEYS:
            np.testing.assert_allclose(other[key], params[key], rtol=1e-9, atol=1e-12)


# ------------------------------------------------------------------------------------------ PyTorch
@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch", reason="PyTorch is not installed: oracle tests skipped")


def leaf(torch, a):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


@pytest.mark.oracle
def test_layers_match_pytorch(torch):
    F = torch.nn.functional
    rng = np.random.default_rng(0)
    x, dout = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    t = leaf(torch, x)
    F.relu(t).backward(torch.tensor(dout))
    np.testing.assert_allclose(D.relu_backward(dout, x), t.grad.numpy(), **TOL)
    w, b, dlin = rng.standard_normal((4, 5)), rng.standard_normal(5), rng.standard_normal((3, 5))
    tx, tw, tb = leaf(torch, x), leaf(torch, w), leaf(torch, b)
    out = F.linear(tx, tw.T, tb)
    np.testing.assert_allclose(D.linear_forward(x, w, b), out.detach().numpy(), **TOL)
    out.backward(torch.tensor(dlin))
    for ours, theirs in zip(D.linear_backward(dlin, x, w), (tx, tw, tb)):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), **TOL)
    maps = rng.permutation(2 * 3 * 4 * 5).reshape(2, 3, 4, 5).astype(np.float64)  # distinct: no ties
    tm, dpool = leaf(torch, maps), rng.standard_normal((2, 3))
    torch.amax(tm, dim=(2, 3)).backward(torch.tensor(dpool))
    np.testing.assert_allclose(D.global_max_pool_backward(dpool, maps), tm.grad.numpy(), **TOL)
    logits, labels = rng.standard_normal((5, 3)) * 30, rng.integers(0, 3, 5)
    tl = leaf(torch, logits)
    loss = F.cross_entropy(tl, torch.tensor(labels))
    loss.backward()
    ours, dlogits = D.softmax_cross_entropy(logits, labels)
    assert ours == pytest.approx(loss.item(), rel=1e-12)
    np.testing.assert_allclose(dlogits, tl.grad.numpy(), **TOL)


@pytest.mark.oracle
@settings(max_examples=25, deadline=None)
@given(case=networks(max_n=4))
def test_detector_loss_matches_pytorch_autograd(torch, case):
    params, images, labels = case
    F = torch.nn.functional
    t = {k: leaf(torch, v) for k, v in params.items()}
    conv = F.conv2d(torch.tensor(images), t["w"], t["b"])
    logits = F.linear(torch.amax(F.relu(conv), dim=(2, 3)), t["w_fc"].T, t["b_fc"])
    loss = F.cross_entropy(logits, torch.tensor(labels))
    loss.backward()
    ours, grads = D.detector_loss(params, images, labels)
    assert ours == pytest.approx(loss.item(), rel=1e-10)
    for key in KEYS:
        np.testing.assert_allclose(grads[key], t[key].grad.numpy(), rtol=1e-9, atol=1e-12)
