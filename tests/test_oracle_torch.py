"""Every exercise function against PyTorch CPU (float64), gradients via autograd."""
import numpy as np
import pytest
from hypothesis import given, settings

import solutions as S
from strategies import (conv_cases, detect_cases, max_unpool_cases, network_cases,
                        output_size_cases, pad_cases, pool_cases, scan_cases, unpool_cases)

torch = pytest.importorskip("torch", reason="PyTorch is not installed: oracle tests skipped "
                                            "(pip install -e '.[oracle]')")
F = torch.nn.functional
pytestmark = pytest.mark.oracle
oracle = settings(max_examples=25)
TOL = dict(rtol=1e-10, atol=1e-10)


def leaf(a):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


def grads_of(out, dout, *leaves):
    out.backward(torch.tensor(dout))
    return [t.grad.numpy() for t in leaves]


def upstream(shape):
    return np.cos(np.arange(int(np.prod(shape)))).reshape(shape)


@oracle
@given(output_size_cases())
def test_conv_output_size(case):
    I, K, P, St = case
    out = F.conv1d(torch.zeros(1, 1, I), torch.zeros(1, 1, K), stride=St, padding=P)
    assert S.conv_output_size(I, K, P, St) == out.shape[-1]


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel:UserWarning")
@pytest.mark.parametrize("k", range(1, 8))
def test_same_padding_matches_padding_same(k):
    x = torch.tensor(np.random.default_rng(k).standard_normal((1, 2, 9, 8)))
    w = torch.tensor(np.random.default_rng(k + 100).standard_normal((3, 2, k, k)))
    before, after = S.same_padding(k)
    padded = S.zero_pad(x.numpy(), ((before, after), (before, after)))
    ours = S.conv2d_forward(padded, w.numpy(), np.zeros(3))
    assert ours.shape[2:] == x.shape[2:]
    np.testing.assert_allclose(ours, F.conv2d(x, w, padding="same").numpy(), **TOL)


@oracle
@given(pad_cases())
def test_zero_pad(case):
    x, padding, ((top, bottom), (left, right)) = case
    expected = F.pad(torch.tensor(x), (left, right, top, bottom))
    np.testing.assert_array_equal(S.zero_pad(x, padding), expected.numpy())


@oracle
@given(scan_cases())
def test_scan1d_and_backward(case):
    x, w, stride = case
    xt, wt = leaf(x), leaf(w)
    out = F.conv1d(xt[None, None], wt[None, None], stride=stride)[0, 0]
    y = S.scan1d(x, w, stride)
    np.testing.assert_allclose(y, out.detach().numpy(), **TOL)
    dy = upstream(y.shape)
    for ours, theirs in zip(S.scan1d_backward(dy, x, w, stride), grads_of(out, dy, xt, wt)):
        np.testing.assert_allclose(ours, theirs, **TOL)


@oracle
@given(detect_cases(values="integers"))
def test_detect(case):
    image, kernel = case
    response = F.conv2d(torch.tensor(image)[None, None], torch.tensor(kernel)[None, None])[0, 0]
    best = int(torch.argmax(response))  # the first maximal value
    row, col = divmod(best, response.shape[1])
    assert S.detect(image, kernel) == (float(response[row, col]), (row, col))


@oracle
@given(conv_cases())
def test_conv2d_forward_and_backward(case):
    xt, wt, bt = leaf(case.x), leaf(case.w), leaf(case.b)
    out = F.conv2d(xt, wt, bt, stride=(case.sh, case.sw), padding=(case.ph, case.pw))
    ours = S.conv2d_forward(case.x, case.w, case.b, case.stride, case.padding)
    np.testing.assert_allclose(ours, out.detach().numpy(), **TOL)
    dout = upstream(ours.shape)
    expected = grads_of(out, dout, xt, wt, bt)
    for mine, theirs in zip(S.conv2d_backward(dout, case.x, case.w, case.stride, case.padding),
                            expected):
        np.testing.assert_allclose(mine, theirs, **TOL)


@oracle
@given(pool_cases())
def test_max_pool_forward_indices_and_backward(case):
    xt = leaf(case.x)
    out, idx = F.max_pool2d(xt, (case.kh, case.kw), (case.sh, case.sw), return_indices=True)
    np.testing.assert_array_equal(S.max_pool_forward(case.x, case.kernel_size, case.stride),
                                  out.detach().numpy())
    np.testing.assert_array_equal(S.max_pool_indices(case.x, case.kernel_size, case.stride),
                                  idx.numpy())
    dout = upstream(out.shape)
    dx, = grads_of(out, dout, xt)
    np.testing.assert_allclose(S.max_pool_backward(dout, case.x, case.kernel_size, case.stride),
                               dx, **TOL)


@oracle
@given(pool_cases())
def test_avg_pool_forward_and_backward(case):
    xt = leaf(case.x)
    out = F.avg_pool2d(xt, (case.kh, case.kw), (case.sh, case.sw))
    np.testing.assert_allclose(S.avg_pool_forward(case.x, case.kernel_size, case.stride),
                               out.detach().numpy(), **TOL)
    dout = upstream(out.shape)
    dx, = grads_of(out, dout, xt)
    np.testing.assert_allclose(S.avg_pool_backward(dout, case.x, case.kernel_size, case.stride),
                               dx, **TOL)


@oracle
@given(unpool_cases())
def test_unpool_nearest_and_backward(case):
    x, scale, (sh, sw) = case
    xt = leaf(x)
    out = F.interpolate(xt, scale_factor=(sh, sw), mode="nearest")
    np.testing.assert_array_equal(S.unpool_nearest(x, scale), out.detach().numpy())
    dout = upstream(out.shape)
    dx, = grads_of(out, dout, xt)
    np.testing.assert_allclose(S.unpool_nearest_backward(dout, scale), dx, **TOL)


@oracle
@given(max_unpool_cases())
def test_max_unpool_and_backward(case):
    x, indices, (H_out, W_out) = case
    xt = leaf(x)
    H, W = x.shape[2:]  # stride 1 and this kernel make (H_out, W_out) torch's default size
    out = F.max_unpool2d(xt, torch.tensor(indices), kernel_size=(H_out - H + 1, W_out - W + 1),
                         stride=1, output_size=(H_out, W_out))
    np.testing.assert_array_equal(S.max_unpool(x, indices, (H_out, W_out)), out.detach().numpy())
    dout = upstream(out.shape)
    dx, = grads_of(out, dout, xt)
    np.testing.assert_allclose(S.max_unpool_backward(dout, indices), dx, **TOL)


def _count(module):
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize("n_in, n_out, bias", [(49152, 256, False), (400, 120, True), (1, 1, True)])
def test_fc_param_count(n_in, n_out, bias):
    assert S.fc_param_count(n_in, n_out, bias=bias) == _count(torch.nn.Linear(n_in, n_out, bias))


@pytest.mark.parametrize("C, K, k, bias", [(3, 4, 3, True), (6, 16, 5, False), (2, 3, (1, 4), True)])
def test_conv_param_count(C, K, k, bias):
    assert S.conv_param_count(C, K, k, bias=bias) == _count(torch.nn.Conv2d(C, K, k, bias=bias))


def _torch_network(input_shape, layers):
    modules, C = [], input_shape[0]
    for layer in layers:
        if layer[0] == "conv":
            modules.append(torch.nn.Conv2d(C, layer[1], layer[2], layer[3], layer[4]))
            C = layer[1]
        elif layer[0] == "maxpool":
            modules.append(torch.nn.MaxPool2d(layer[1], layer[2]))
        elif layer[0] == "flatten":
            modules.append(torch.nn.Flatten())
        else:
            features = torch.nn.Sequential(*modules)(torch.zeros(1, *input_shape)).shape[1]
            modules.append(torch.nn.Linear(features, layer[1]))
    return torch.nn.Sequential(*modules)


def test_lenet_param_count():
    layers = [("conv", 6, 5, 1, 2), ("maxpool", 2, 2), ("conv", 16, 5, 1, 0), ("maxpool", 2, 2),
              ("flatten",), ("fc", 120), ("fc", 84), ("fc", 10)]
    net = _torch_network((1, 28, 28), layers)
    assert net(torch.zeros(1, 1, 28, 28)).shape == (1, 10)
    assert S.network_param_count((1, 28, 28), layers) == _count(net) == 61_706


@oracle
@given(network_cases())
def test_network_param_count(case):
    input_shape, layers = case
    assert S.network_param_count(input_shape, layers) == _count(_torch_network(*case))
