"""Dense and MLP: forward values, every gradient against a numerical one, the backward trace,
gradient accumulation, parameters and the SGD update."""

import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import nnlite as nl

seeds = st.integers(0, 2**32 - 1)
KINKED = (nl.ReLU, nl.LeakyReLU)


def randomize_biases(model, rng):
    """Biases start at zero; give them values so they are tested too (and z = b = 0 cannot sit on a kink)."""
    for layer in model.layers:
        layer.b[:] = rng.normal(0.0, 0.1, layer.b.shape)


def gradient_errors(model, X, target, loss_fn, eps=1e-5):
    """Relative error of every layer's dW and db, and of dX, against the numerical gradient of the full loss."""
    model.zero_grad()
    loss, dlogits = loss_fn(model.forward(X), target)
    dX = model.backward(dlogits)

    def f(_):
        return loss_fn(model.forward(X), target)[0]

    errors = {}
    for i, layer in enumerate(model.layers, 1):
        errors[f"dW{i}"] = nl.gradient_check(f, layer.W, layer.dW.copy(), eps)
        errors[f"db{i}"] = nl.gradient_check(f, layer.b, layer.db.copy(), eps)
    errors["dX"] = nl.gradient_check(f, X, dX, eps)
    return errors


def smallest_gradient(model, X, target, loss_fn):
    model.zero_grad()
    dX = model.backward(loss_fn(model.forward(X), target)[1])
    return min([np.linalg.norm(layer.dW) for layer in model.layers] + [np.linalg.norm(dX)])


# ---------------------------------------------------------------- Dense

@given(n=st.integers(1, 5), n_in=st.integers(1, 6), n_out=st.integers(1, 6), seed=seeds)
def test_dense_gradients_match_numerical_gradient(n, n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    layer = nl.Dense(n_in, n_out, seed=seed % 1000)
    layer.b[:] = rng.normal(size=n_out)
    x = rng.normal(size=(n, n_in))
    R = rng.normal(size=(n, n_out))  # L = sum(y * R), so dL/dy = R

    y = layer.forward(x)
    np.testing.assert_allclose(y, x @ layer.W + layer.b, rtol=1e-14)
    dx = layer.backward(R)
    np.testing.assert_allclose(layer.dW, x.T @ R, rtol=1e-13)
    np.testing.assert_allclose(layer.db, R.sum(axis=0), rtol=1e-13, atol=1e-15)

    def f(_):
        return np.sum(layer.forward(x) * R)

    assert nl.gradient_check(f, layer.W, layer.dW.copy()) < 1e-7
    assert nl.gradient_check(f, layer.b, layer.db.copy()) < 1e-7
    assert nl.gradient_check(f, x, dx) < 1e-7


def test_dense_init():
    for init, std in (("he", np.sqrt(2 / 400)), ("xavier", np.sqrt(2 / 800)), ("normal", 1.0)):
        layer = nl.Dense(400, 400, init=init, seed=0)
        assert layer.W.shape == (400, 400) and layer.b.shape == (400,)
        assert layer.W.dtype == np.float64 and layer.b.dtype == np.float64
        assert layer.W.std() == pytest.approx(std, rel=0.02)
        assert abs(layer.W.mean()) < 0.01 * std
        assert not layer.b.any() and not layer.dW.any() and not layer.db.any()
    assert nl.Dense(300, 300, init="normal", std=0.1, seed=0).W.std() == pytest.approx(0.1, rel=0.02)
    np.testing.assert_array_equal(nl.Dense(3, 4, seed=5).W, nl.Dense(3, 4, seed=5).W)
    assert not np.array_equal(nl.Dense(3, 4, seed=5).W, nl.Dense(3, 4, seed=6).W)
    rng = np.random.default_rng(0)
    first, second = nl.Dense(3, 4, seed=rng), nl.Dense(3, 4, seed=rng)  # one stream, two layers
    assert not np.array_equal(first.W, second.W)
    assert nl.INITS == ("he", "xavier", "normal")
    assert repr(nl.Dense(3, 4)) == "Dense(3, 4)"


def test_dense_edge_inputs():
    layer = nl.Dense(3, 2, seed=0)
    reference = layer.forward(np.array([[1.0, -2.0, 0.5]]))
    for x in ([[1.0, -2.0, 0.5]], np.array([[1.0, -2.0, 0.5]], dtype=np.float32)):
        y = layer.forward(x)
        assert y.dtype == np.float64 and layer.x.dtype == np.float64
        np.testing.assert_allclose(y, reference, rtol=1e-7)
    assert layer.forward(np.array([[1, -2, 3]])).dtype == np.float64
    np.testing.assert_array_equal(layer.forward(np.zeros((4, 3))), np.zeros((4, 2)))  # b starts at zero
    assert layer.backward(np.ones((4, 2))).shape == (4, 3)
    np.testing.assert_array_equal(layer.dW, np.zeros((3, 2)))  # x was all zeros
    np.testing.assert_array_equal(layer.db, [4.0, 4.0])


# ---------------------------------------------------------------- a deep MLP, every gradient

@st.composite
def deep_network(draw):
    depth = draw(st.integers(5, 7))  # Dense layers
    sizes = [draw(st.integers(3, 8)) for _ in range(depth + 1)]
    activation = draw(st.sampled_from(["tanh", "relu", "gelu", "silu", "leaky_relu"]))
    loss = draw(st.sampled_from(["cross_entropy", "mse"]))
    n = draw(st.integers(1, 6))
    return sizes, activation, loss, n, draw(seeds)


@given(network=deep_network())
def test_deep_mlp_every_gradient_matches_numerical_gradient(network):
    sizes, activation, loss, n, seed = network
    rng = np.random.default_rng(seed)
    act = nl.LeakyReLU(alpha=0.2) if activation == "leaky_relu" else activation
    init = "xavier" if activation == "tanh" else "he"
    model = nl.MLP(sizes, activation=act, init=init, seed=seed % 1000)
    randomize_biases(model, rng)
    X = rng.normal(size=(n, sizes[0]))
    if loss == "cross_entropy":
        target, loss_fn = rng.integers(0, sizes[-1], size=n), nl.softmax_cross_entropy
    else:
        target, loss_fn = rng.normal(size=(n, sizes[-1])), nl.mse

    model.forward(X)
    if isinstance(model.activation, KINKED):  # CS231n: keep the inputs away from the kinks
        assume(min(np.abs(z).min() for z in model.pre_activations) > 1e-3)
    # A gradient below the noise floor of finite differences (about 1e-10) cannot be checked by a
    # relative error; such draws (a bottleneck of dead units) say nothing either way.
    small = smallest_gradient(model, X, target, loss_fn)
    assume(small == 0.0 or small > 1e-3)

    errors = gradient_errors(model, X, target, loss_fn)
    assert len(errors) == 2 * len(model.layers) + 1
    bad = {k: f"{v:.1e}" for k, v in errors.items() if not v < 1e-7}
    assert not bad, f"{sizes} {activation} {loss}: {bad}"


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "sigmoid", "tanh", "identity", "gelu", "silu"])
def test_small_mlp_gradients_for_every_activation(activation):
    rng = np.random.default_rng(1)
    model = nl.MLP([3, 5, 4, 3], activation=activation, seed=1)
    randomize_biases(model, rng)
    X = rng.normal(size=(4, 3))
    y = np.array([0, 2, 1, 2])
    model.forward(X)
    assert min(np.abs(z).min() for z in model.pre_activations) > 1e-3
    errors = gradient_errors(model, X, y, nl.softmax_cross_entropy)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "gelu", "silu", "identity"])
def test_the_slope_backpropagation_reads_off_the_output_is_the_slope_to_the_last_bit(name):
    """derivative_at(x, f(x)), what MLP.backward uses (sigmoid and tanh read it off the output instead of computing
    f again), equals derivative(x) exactly, so training gives the same numbers either way."""
    f = nl.get_activation(name)
    x = np.random.default_rng(0).normal(0, 4, (50, 7))
    x[0, :4] = [0.0, -0.0, 40.0, -40.0]
    assert np.array_equal(f.derivative_at(x, f.forward(x)), f.derivative(x))


def test_a_wrong_backward_is_caught():
    """The check itself can fail: break the activation's derivative and the error is large."""

    class WrongTanh(nl.Tanh):
        def derivative_at(self, x, y):  # the slope backpropagation uses, read off the output y = tanh(x)
            return 1.0 - y  # forgot the square

    rng = np.random.default_rng(0)
    model = nl.MLP([2, 4, 4, 2], activation=WrongTanh(), seed=0)
    X = rng.normal(size=(3, 2))
    errors = gradient_errors(model, X, np.array([0, 1, 1]), nl.softmax_cross_entropy)
    assert errors["dW1"] > 1e-3 and errors["dX"] > 1e-3
    assert errors["dW3"] < 1e-7  # the last layer does not go through an activation


# ---------------------------------------------------------------- MLP forward

def test_mlp_structure_and_forward():
    model = nl.MLP([2, 5, 4, 3], activation="tanh", seed=0)
    assert model.sizes == [2, 5, 4, 3]
    assert [(layer.n_in, layer.n_out) for layer in model.layers] == [(2, 5), (5, 4), (4, 3)]
    assert isinstance(model.activation, nl.Tanh)
    X = np.random.default_rng(0).normal(size=(6, 2))
    h1 = np.tanh(X @ model.layers[0].W + model.layers[0].b)
    h2 = np.tanh(h1 @ model.layers[1].W + model.layers[1].b)
    expected = h2 @ model.layers[2].W + model.layers[2].b  # the last layer is linear
    np.testing.assert_allclose(model.forward(X), expected, rtol=1e-14)
    np.testing.assert_allclose(model(X), expected, rtol=1e-14)
    np.testing.assert_allclose(model.hidden_outputs[1], h2, rtol=1e-14)
    np.testing.assert_allclose(model.pre_activations[0], np.arctanh(h1), rtol=1e-10)
    np.testing.assert_array_equal(model.predict(X), expected.argmax(axis=1))
    assert repr(model) == "MLP([2, 5, 4, 3], activation=Tanh())"


def test_identity_network_is_one_linear_map():
    model = nl.MLP([3, 4, 5, 2], activation="identity", seed=0)
    W1, W2, W3 = (layer.W for layer in model.layers)
    X = np.random.default_rng(0).normal(size=(7, 3))
    np.testing.assert_allclose(model.forward(X), X @ (W1 @ W2 @ W3), rtol=1e-12, atol=1e-14)


def test_mlp_edge_inputs():
    model = nl.MLP([3, 4, 2], seed=0)
    one = model.forward([[0.5, -1.0, 2.0]])  # a Python list, a batch of one
    assert one.shape == (1, 2) and one.dtype == np.float64
    np.testing.assert_allclose(model.forward(np.array([[0.5, -1.0, 2.0]], dtype=np.float32)), one, rtol=1e-7)
    assert model.forward(np.array([[1, 0, 2]])).dtype == np.float64
    np.testing.assert_array_equal(model.forward(np.zeros((5, 3))), np.zeros((5, 2)))  # zero in, zero biases
    dX = model.backward(np.ones((5, 2)))
    assert dX.shape == (5, 3)
    np.testing.assert_array_equal(model.grad_norms(), [0.0, 0.0])  # relu'(0) = 0: nothing reaches W1, W2 sees h = 0
    assert model.layers[-1].db.tolist() == [5.0, 5.0]


def test_seeded_models():
    a, b, c = nl.MLP([2, 8, 3], seed=1), nl.MLP([2, 8, 3], seed=1), nl.MLP([2, 8, 3], seed=2)
    for la, lb in zip(a.layers, b.layers, strict=True):
        np.testing.assert_array_equal(la.W, lb.W)
    assert not np.array_equal(a.layers[0].W, c.layers[0].W)
    assert not np.array_equal(a.layers[0].W[:, :3], a.layers[1].W[:3].T)  # layers draw different numbers


def test_dead_fraction():
    model = nl.MLP([2, 4, 3, 2], seed=0)
    X = np.random.default_rng(0).normal(size=(20, 2))
    fractions = model.dead_fraction(X)
    assert fractions.shape == (2,) and ((fractions >= 0) & (fractions <= 1)).all()
    model.layers[0].b[:] = -1e3  # units 2, 3, 4 of the first hidden layer output 0 for every row
    model.layers[0].b[0] = 1e3
    assert model.dead_fraction(X)[0] == 0.75
    model.layers[0].b[:] = -1e3
    assert model.dead_fraction(X)[0] == 1.0


# ---------------------------------------------------------------- the backward trace

@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_backward_trace(activation):
    model = nl.MLP([3, 4, 5, 2], activation=activation, seed=0)
    X = np.random.default_rng(0).normal(size=(2, 3))
    _, dlogits = nl.softmax_cross_entropy(model.forward(X), [0, 1])
    dX = model.backward(dlogits, trace=True)
    trace = model.last_trace
    assert isinstance(trace, nl.BackwardTrace) and isinstance(trace, list)
    assert len(trace) == 2 * len(model.layers) - 1  # 3 Dense steps and 2 activation steps
    assert all(isinstance(step, nl.TraceStep) for step in trace)

    # right to left: Dense 3, act, Dense 2, act, Dense 1
    assert "Dense 3" in trace[0].where and "Dense 1" in trace[-1].where
    np.testing.assert_array_equal(trace[0].upstream, dlogits)
    for k, step in enumerate(trace):
        if k % 2 == 0:  # a Dense step: downstream = upstream @ W.T
            layer = model.layers[len(model.layers) - 1 - k // 2]
            assert f"Dense {len(model.layers) - k // 2}" in step.where
            np.testing.assert_array_equal(step.local, layer.W.T)
            np.testing.assert_allclose(step.downstream, step.upstream @ step.local, rtol=1e-14)
        else:  # an activation step: downstream = upstream * f'(z)
            z = model.pre_activations[len(model.layers) - 2 - k // 2]
            assert activation in step.where
            np.testing.assert_array_equal(step.local, model.activation.derivative(z))
            np.testing.assert_allclose(step.downstream, step.upstream * step.local, rtol=1e-14)
    for left, right in zip(trace[:-1], trace[1:], strict=True):
        np.testing.assert_array_equal(right.upstream, left.downstream)
    np.testing.assert_array_equal(trace[-1].downstream, dX)

    table = str(trace)
    lines = table.splitlines()
    assert len(lines) == len(trace) + 2  # header, rule, one line per step
    assert "upstream" in lines[0] and "downstream" in lines[0]
    for step in trace:
        assert step.where in table and step.rule in table


def test_backward_without_trace_gives_the_same_gradients():
    model = nl.MLP([3, 4, 2], activation="gelu", seed=0)
    X = np.random.default_rng(0).normal(size=(2, 3))
    d = nl.softmax_cross_entropy(model.forward(X), [0, 1])[1]
    with_trace = model.backward(d, trace=True)
    grads = [layer.dW.copy() for layer in model.layers]
    model.zero_grad()
    np.testing.assert_array_equal(model.backward(d), with_trace)
    for g, layer in zip(grads, model.layers, strict=True):
        np.testing.assert_array_equal(layer.dW, g)
    assert model.backward(d, input_grad=False) is None


# ---------------------------------------------------------------- accumulation, parameters, SGD

def test_gradients_accumulate_and_zero_grad_resets_them():
    model = nl.MLP([3, 4, 2], activation="tanh", seed=0)
    X = np.random.default_rng(0).normal(size=(5, 3))
    d = nl.softmax_cross_entropy(model.forward(X), [0, 1, 1, 0, 1])[1]
    model.backward(d)
    once = [(layer.dW.copy(), layer.db.copy()) for layer in model.layers]
    norms_once = model.grad_norms()
    arrays = [(layer.dW, layer.db) for layer in model.layers]
    model.backward(d)
    for (dW, db), layer in zip(once, model.layers, strict=True):
        np.testing.assert_allclose(layer.dW, 2 * dW, rtol=1e-15)
        np.testing.assert_allclose(layer.db, 2 * db, rtol=1e-15)
    np.testing.assert_allclose(model.grad_norms(), 2 * norms_once, rtol=1e-14)
    model.zero_grad()
    for (dW, db), layer in zip(arrays, model.layers, strict=True):
        assert layer.dW is dW and layer.db is db  # reset in place
        assert not layer.dW.any() and not layer.db.any()
    np.testing.assert_array_equal(model.grad_norms(), [0.0, 0.0])


def test_grad_norms():
    model = nl.MLP([3, 6, 5, 2], seed=0)
    X = np.random.default_rng(0).normal(size=(5, 3))
    model.backward(nl.softmax_cross_entropy(model.forward(X), [0, 1, 1, 0, 1])[1])
    norms = model.grad_norms()
    assert norms.shape == (3,) and norms.dtype == np.float64
    np.testing.assert_allclose(norms, [np.linalg.norm(layer.dW) for layer in model.layers], rtol=1e-14)
    assert (norms > 0).all()
    bias = model.grad_norms(of="b")
    np.testing.assert_allclose(bias, [np.linalg.norm(layer.db) for layer in model.layers], rtol=1e-14)
    assert not np.allclose(bias, norms)
    with pytest.raises(ValueError, match="of must be one of"):
        model.grad_norms(of="dW")


@pytest.mark.parametrize("scale", [1e-200, 1e-160, 1e160, 1e300])
def test_grad_norms_of_huge_and_tiny_gradients(scale):
    # A diverging run's gradients pass 1e154, whose square overflows; sigmoid's can fall below 1e-154,
    # whose square underflows to 0. The norm stays the true one, without a warning.
    model = nl.MLP([2, 3, 2], seed=0)
    for layer in model.layers:
        layer.dW[...] = scale * np.arange(1.0, layer.dW.size + 1).reshape(layer.dW.shape)
        layer.db[...] = -scale
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        norms, bias = model.grad_norms(), model.grad_norms(of="b")
    expected = [scale * np.linalg.norm(np.arange(1.0, layer.dW.size + 1)) for layer in model.layers]
    np.testing.assert_allclose(norms, expected, rtol=1e-14)
    np.testing.assert_allclose(bias, [scale * np.sqrt(layer.db.size) for layer in model.layers], rtol=1e-14)


def test_parameters_are_the_real_arrays():
    model = nl.MLP([2, 3, 2], seed=0)
    params = model.parameters()
    assert len(params) == 4
    owners = [(layer, kind) for layer in model.layers for kind in "Wb"]
    for (value, grad), (layer, kind) in zip(params, owners, strict=True):
        assert value is getattr(layer, kind) and grad is getattr(layer, "d" + kind)
    assert model.layers[0].parameters() == [(model.layers[0].W, model.layers[0].dW),
                                            (model.layers[0].b, model.layers[0].db)]


def test_sgd_step_in_place():
    model = nl.MLP([2, 3, 2], seed=0)
    X = np.random.default_rng(0).normal(size=(4, 2))
    model.backward(nl.softmax_cross_entropy(model.forward(X), [0, 1, 1, 0])[1])
    before = [(value.copy(), grad.copy(), value) for value, grad in model.parameters()]
    opt = nl.SGD(model, lr=0.5)
    opt.step()
    for (old, grad, array), (value, _) in zip(before, model.parameters(), strict=True):
        assert value is array  # updated in place: the model sees the new weights
        np.testing.assert_allclose(value, old - 0.5 * grad, rtol=1e-15, atol=1e-17)
    assert not np.array_equal(model.layers[0].W, before[0][0])
    opt.zero_grad()
    assert not any(grad.any() for _, grad in model.parameters())


def test_sgd_by_hand():
    model = nl.MLP([1, 1], seed=0)  # one Dense layer with one weight and one bias
    layer = model.layers[0]
    layer.W[:] = 1.0
    layer.b[:] = 0.5
    layer.dW[:] = 2.0
    layer.db[:] = -1.0
    plain = nl.SGD(model, lr=0.1)
    plain.step()  # w <- w - lr * g
    assert layer.W[0, 0] == pytest.approx(0.8, abs=1e-15) and layer.b[0] == pytest.approx(0.6, abs=1e-15)
    plain.step()
    assert layer.W[0, 0] == pytest.approx(0.6, abs=1e-15) and layer.b[0] == pytest.approx(0.7, abs=1e-15)

    layer.W[:] = 1.0
    layer.b[:] = 0.5
    heavy = nl.SGD(model, lr=0.1, momentum=0.9)
    heavy.step()  # v = -0.2, w = 0.8;   v_b = 0.1, b = 0.6
    assert layer.W[0, 0] == pytest.approx(0.8, abs=1e-15) and layer.b[0] == pytest.approx(0.6, abs=1e-15)
    heavy.step()  # v = 0.9 * -0.2 - 0.2 = -0.38, w = 0.42;   v_b = 0.9 * 0.1 + 0.1 = 0.19, b = 0.79
    assert layer.W[0, 0] == pytest.approx(0.42, abs=1e-15) and layer.b[0] == pytest.approx(0.79, abs=1e-15)
    heavy.step()  # v = 0.9 * -0.38 - 0.2 = -0.542, w = -0.122
    assert layer.W[0, 0] == pytest.approx(-0.122, abs=1e-15)
    assert heavy.lr == 0.1 and heavy.momentum == 0.9 and plain.velocities is None
