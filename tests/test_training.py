"""fit, train_step and evaluate: what History records, reproducibility, divergence."""

import itertools
import math
import warnings

import numpy as np
import pytest

import nnlite as nl


@pytest.fixture
def spiral():
    return nl.datasets.spiral(n=150, noise=0.2, seed=0)


def assert_same_history(a, b):
    assert a.step_loss == b.step_loss
    assert a.epoch_loss == b.epoch_loss
    assert a.epoch_accuracy == b.epoch_accuracy
    np.testing.assert_array_equal(a.grad_norm_array(), b.grad_norm_array())
    assert (a.diverged, a.diverged_at_step) == (b.diverged, b.diverged_at_step)


# ---------------------------------------------------------------- fit

def test_fit_is_reproducible(spiral):
    X, y = spiral
    first = nl.fit(nl.MLP([2, 16, 3], seed=0), X, y, epochs=4, batch_size=16, lr=0.2, seed=3)
    second = nl.fit(nl.MLP([2, 16, 3], seed=0), X, y, epochs=4, batch_size=16, lr=0.2, seed=3)
    assert_same_history(first, second)
    other = nl.fit(nl.MLP([2, 16, 3], seed=0), X, y, epochs=4, batch_size=16, lr=0.2, seed=4)
    assert other.step_loss[0] != first.step_loss[0]  # another shuffle, other batches
    in_order = [nl.fit(nl.MLP([2, 16, 3], seed=0), X, y, epochs=2, lr=0.2, seed=s, shuffle=False) for s in (1, 2)]
    assert_same_history(*in_order)  # without shuffling the seed does not matter


@pytest.mark.parametrize("data, sizes", [
    (lambda: nl.datasets.spiral(n=300, noise=0.2, seed=0), [2, 32, 32, 3]),
    (lambda: nl.datasets.moons(n=200, noise=0.1, seed=0), [2, 16, 16, 2]),
], ids=["spiral", "moons"])
def test_fit_learns(data, sizes):
    X, y = data()
    model = nl.MLP(sizes, seed=0)
    history = nl.fit(model, X, y, epochs=40, batch_size=32, lr=0.5, seed=0)
    assert history.epoch_loss[-1] < 0.25 * history.epoch_loss[0]
    assert history.epoch_accuracy[-1] > 0.9
    assert history.epoch_accuracy[-1] == pytest.approx(np.mean(model.predict(X) == y))
    assert history.train_loss[-1] == nl.evaluate(model, X, y)[0]  # the trained model's loss, not a running mean
    assert not history.diverged and history.diverged_at_step is None


def test_train_loss_is_each_epochs_model_on_all_rows_and_differs_from_the_running_mean(spiral):
    X, y = spiral
    model = nl.MLP([2, 8, 8, 3], seed=0)
    history = nl.History()
    steps = nl.training_steps(model, X, y, batch_size=32, lr=0.5, seed=0, history=history)
    evaluated = [nl.evaluate(model, X, y)[0] for end_of_epoch in itertools.islice(steps, 30) if end_of_epoch]
    assert history.train_loss == evaluated and len(evaluated) == 5  # 150 rows: 5 steps and an epoch end, 6 yields
    assert all(a != b for a, b in zip(history.train_loss, history.epoch_loss, strict=True))
    regression = nl.MLP([2, 4, 1], seed=0)
    fitted = nl.fit(regression, X, X[:, 0], epochs=2, loss="mse", lr=0.1)
    assert fitted.train_loss[-1] == nl.evaluate(regression, X, X[:, 0], loss="mse")[0]
    assert fitted.epoch_accuracy == []


def test_history_shapes(spiral):
    X, y = spiral  # 150 rows, batches of 32: 4 full batches and one of 22
    model = nl.MLP([2, 8, 8, 3], seed=0)
    history = nl.fit(model, X, y, epochs=3, batch_size=32, lr=0.1)
    steps = 3 * math.ceil(150 / 32)
    assert isinstance(history, nl.History)
    assert len(history.step_loss) == history.steps == steps == 15
    assert len(history.epoch_loss) == len(history.epoch_accuracy) == 3
    assert history.grad_norm_array().shape == (steps, 3)
    assert (history.grad_norm_array() > 0).all()
    for epoch in range(3):  # epoch loss = mean of the step losses of that epoch
        assert history.epoch_loss[epoch] == pytest.approx(np.mean(history.step_loss[5 * epoch:5 * epoch + 5]))
    assert all(0.0 <= a <= 1.0 for a in history.epoch_accuracy)
    assert history.val_loss == [] and history.val_accuracy == []
    # the last grad_norms row is the model's gradient after the last step
    np.testing.assert_array_equal(history.grad_norm_array()[-1], model.grad_norms())


def test_batch_bigger_than_data(spiral):
    X, y = spiral
    history = nl.fit(nl.MLP([2, 4, 3], seed=0), X, y, epochs=2, batch_size=1000, lr=0.1)
    assert history.steps == 2
    history = nl.fit(nl.MLP([2, 4, 3], seed=0), X[:1], y[:1], epochs=2, batch_size=1, lr=0.1)  # one row
    assert history.steps == 2


def test_fit_regression_with_mse():
    x = np.linspace(-3, 3, 100)[:, None]
    target = np.sin(x[:, 0])  # shape (N,) for a model with one output
    model = nl.MLP([1, 16, 16, 1], activation="tanh", seed=0)
    history = nl.fit(model, x, target, epochs=60, batch_size=20, lr=0.1, loss="mse", seed=0)
    assert history.epoch_loss[-1] < 0.1 * history.epoch_loss[0]
    assert history.epoch_accuracy == []
    assert nl.evaluate(model, x, target, loss="mse") == (pytest.approx(np.mean((model.forward(x)[:, 0] - target) ** 2)),
                                                         None)
    column = nl.fit(nl.MLP([1, 16, 16, 1], activation="tanh", seed=0), x, target[:, None], epochs=60, batch_size=20,
                    lr=0.1, loss="mse", seed=0)
    assert column.step_loss == history.step_loss  # (N,) and (N, 1) targets are the same thing
    two = nl.fit(nl.MLP([1, 8, 2], seed=0), x, np.column_stack([target, -target]), epochs=2, loss="mse")
    assert two.steps == 2 * math.ceil(100 / 32)


def test_fit_with_momentum_learns(spiral):
    X, y = spiral
    plain = nl.fit(nl.MLP([2, 16, 3], seed=0), X, y, epochs=10, lr=0.05, seed=0)
    heavy = nl.fit(nl.MLP([2, 16, 3], seed=0), X, y, epochs=10, lr=0.05, seed=0, momentum=0.9)
    assert plain.step_loss[0] == heavy.step_loss[0]  # the same first step
    assert heavy.epoch_loss[-1] < plain.epoch_loss[-1]


def test_validation(spiral):
    X, y = spiral
    X_val, y_val = nl.datasets.spiral(n=60, noise=0.2, seed=1)
    model = nl.MLP([2, 16, 3], seed=0)
    history = nl.fit(model, X, y, epochs=3, lr=0.2, validation=(X_val, y_val))
    assert len(history.val_loss) == len(history.val_accuracy) == 3
    assert (history.val_loss[-1], history.val_accuracy[-1]) == nl.evaluate(model, X_val, y_val)
    assert all(0.0 <= a <= 1.0 for a in history.val_accuracy)
    history = nl.fit(nl.MLP([2, 16, 3], seed=0), X, y, epochs=2, validation=[X_val, y_val])  # a list is fine
    assert len(history.val_loss) == 2


def test_validation_fraction_holds_out_the_rows_train_test_split_would(spiral):
    X, y = spiral
    for fraction, seed in [(0.2, 0), (0.3, 5)]:
        history = nl.fit(nl.MLP([2, 16, 3], seed=0), X, y, epochs=3, lr=0.2, seed=seed, validation=fraction)
        X_train, y_train, X_val, y_val = nl.datasets.train_test_split(X, y, test_fraction=fraction, seed=seed)
        model = nl.MLP([2, 16, 3], seed=0)
        by_hand = nl.fit(model, X_train, y_train, epochs=3, lr=0.2, seed=seed, validation=(X_val, y_val))
        assert_same_history(history, by_hand)  # the same rows, the same order, the same shuffling
        assert history.val_loss == by_hand.val_loss and history.val_accuracy == by_hand.val_accuracy
        assert len(history.val_loss) == 3 and history.steps == 3 * math.ceil(len(y_train) / 32)
        # the training accuracy is measured on the training rows only
        assert history.epoch_accuracy[-1] == nl.evaluate(model, X_train, y_train)[1]
    assert len(y_val) == round(0.3 * 150)
    np_fraction = nl.fit(nl.MLP([2, 16, 3], seed=0), X, y, epochs=1, validation=np.float64(0.2))
    assert np_fraction.val_loss == nl.fit(nl.MLP([2, 16, 3], seed=0), X, y, epochs=1, validation=0.2).val_loss
    steps = nl.training_steps(nl.MLP([2, 16, 3], seed=0), X, y, validation=0.2, history=(h := nl.History()))
    while not next(steps):  # the generator behind fit splits the same way
        pass
    assert len(h.val_loss) == 1 and h.steps == math.ceil(120 / 32)


@pytest.mark.parametrize("validation, error, pattern", [
    (0.0, ValueError, r"validation must be a fraction in \(0, 1\) of the rows of X to hold out \(or a pair "
                      r"\(X_val, y_val\)\), got 0\.0"),
    (1.0, ValueError, r"validation must be a fraction in \(0, 1\).*got 1\.0"),
    (20, ValueError, r"validation must be a fraction in \(0, 1\).*got 20"),
    (-0.2, ValueError, r"validation must be a fraction in \(0, 1\).*got -0\.2"),
    (float("nan"), ValueError, r"validation must be a fraction in \(0, 1\).*got nan"),
    (True, TypeError, r"validation must be a pair \(X_val, y_val\) or a fraction in \(0, 1\).*got bool True"),
    ("0.2", TypeError, r"validation must be a pair \(X_val, y_val\) or a fraction.*got str '0\.2'"),
    ((np.zeros((3, 2)),), TypeError, r"validation must be a pair \(X_val, y_val\) or a fraction.*got tuple"),
    ((np.zeros((3, 5)), [0, 1, 2]), ValueError, r"validation X must have 2 features"),
    ((np.zeros((3, 2)), [0, 1]), ValueError, r"validation y must have one entry per row of validation X \(3\)"),
])
def test_bad_validation_is_named(spiral, validation, error, pattern):
    X, y = spiral
    with pytest.raises(error, match=pattern):
        nl.fit(nl.MLP([2, 4, 3], seed=0), X, y, validation=validation)


def test_validation_fraction_must_leave_rows_to_train_on():
    X, y = np.zeros((2, 2)), np.array([0, 1])
    with pytest.raises(ValueError, match=r"validation=0\.8 holds out all 2 rows of X and leaves none to train on"):
        nl.fit(nl.MLP([2, 3], seed=0), X, y, validation=0.8)
    with pytest.raises(ValueError, match=r"validation=0\.5 holds out all 1 rows"):
        nl.fit(nl.MLP([2, 3], seed=0), X[:1], y[:1], validation=0.5)
    history = nl.fit(nl.MLP([2, 3], seed=0), X, y, epochs=1, validation=0.5)  # one row each
    assert history.steps == 1 and len(history.val_loss) == 1


def test_zero_epochs_does_nothing(spiral):
    X, y = spiral
    model = nl.MLP([2, 8, 3], seed=0)
    W = model.layers[0].W.copy()
    history = nl.fit(model, X, y, epochs=0)
    assert history.steps == 0 and history.step_loss == [] and history.epoch_loss == []
    assert history.grad_norm_array().shape == (0,) and not history.diverged
    np.testing.assert_array_equal(model.layers[0].W, W)


def test_callback_stops_early(spiral):
    X, y = spiral
    calls = []

    def callback(epoch, history):
        calls.append((epoch, len(history.epoch_loss)))
        return epoch == 2

    history = nl.fit(nl.MLP([2, 8, 3], seed=0), X, y, epochs=10, batch_size=50, callback=callback)
    assert calls == [(0, 1), (1, 2), (2, 3)]
    assert len(history.epoch_loss) == 3 and history.steps == 9
    history = nl.fit(nl.MLP([2, 8, 3], seed=0), X, y, epochs=4, batch_size=50, callback=lambda e, h: None)
    assert len(history.epoch_loss) == 4  # None means: keep going


# ---------------------------------------------------------------- divergence

def deep_relu(seed=0):
    """Weights of standard deviation 1 in a deep, wide ReLU net: with lr=1e6 the logits overflow in a few steps.
    (A shallow cross-entropy net does not overflow: its loss grows to ~1e46 and stays finite.)"""
    return nl.MLP([2, 64, 64, 64, 64, 64, 3], init="normal", seed=seed)


def test_divergence_raises(spiral):
    X, y = spiral
    assert issubclass(nl.DivergenceError, ArithmeticError)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(nl.DivergenceError, match=r"step \d+") as info:
            nl.fit(deep_relu(), X, y, epochs=5, lr=1e6)
    message = str(info.value)
    assert "smaller" in message and "lr=" in message and "learning rate" in message
    assert "lr=100000" in message  # it suggests a concrete, smaller value


def test_divergence_stop_returns_history(spiral):
    X, y = spiral
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow RuntimeWarning: the blow-up is reported in words
        history = nl.fit(deep_relu(), X, y, epochs=5, lr=1e6, on_diverge="stop")
    assert history.diverged is True
    assert history.diverged_at_step == history.steps == len(history.step_loss)
    assert 1 <= history.diverged_at_step < 5 * math.ceil(150 / 32)
    assert not math.isfinite(history.step_loss[-1])
    assert all(math.isfinite(v) for v in history.step_loss[:-1])
    with pytest.raises(nl.DivergenceError, match=f"step {history.diverged_at_step} "):
        nl.fit(deep_relu(), X, y, epochs=5, lr=1e6)


def test_regression_divergence():
    x = np.linspace(-3, 3, 50)[:, None]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = nl.fit(nl.MLP([1, 16, 1], init="normal", seed=0), x, x[:, 0] ** 2, epochs=20, lr=1e6, loss="mse",
                         on_diverge="stop")
        assert history.diverged and history.diverged_at_step == history.steps
        with pytest.raises(nl.DivergenceError, match="learning rate"):
            nl.fit(nl.MLP([1, 16, 1], init="normal", seed=0), x, x[:, 0] ** 2, epochs=20, lr=1e6, loss="mse")


def test_fit_does_not_call_a_hundredfold_rise_a_divergence():
    """fit stops only on a loss that is no longer a number. A model that starts trained has a tiny first loss,
    and one bad batch can cost far more than 100 times it with nothing blowing up (notebook 01's line walks use
    the 100x rule because they always start far from the bottom)."""
    model = nl.MLP([1, 2], activation="identity", seed=0)
    model.layers[0].W[:] = [[10.0, -10.0]]  # confident: class 0 for x > 0
    model.layers[0].b[:] = 0.0
    X, y = np.array([[1.0], [1.0], [1.0]]), np.array([0, 1, 0])  # right, then wrong, then right
    history = nl.fit(model, X, y, epochs=2, batch_size=1, lr=0.01, shuffle=False)
    assert history.step_loss[1] > 1e6 * history.step_loss[0]
    assert not history.diverged and len(history.epoch_loss) == 2


def test_a_sensible_learning_rate_does_not_diverge(spiral):
    X, y = spiral
    history = nl.fit(nl.MLP([2, 16, 3], init="normal", seed=0), X, y, epochs=5, lr=0.05, on_diverge="stop")
    assert not history.diverged and history.diverged_at_step is None


# ---------------------------------------------------------------- train_step and evaluate

def test_train_step_is_one_sgd_step(spiral):
    X, y = spiral
    Xb, yb = X[:16], y[:16]
    model = nl.MLP([2, 8, 3], seed=0)
    reference = nl.MLP([2, 8, 3], seed=0)
    expected_loss, dlogits = nl.softmax_cross_entropy(reference.forward(Xb), yb)
    reference.backward(dlogits)
    opt = nl.SGD(model, lr=0.3)
    for layer in model.layers:  # stale gradients must not leak into the step
        layer.dW += 123.0
        layer.db -= 7.0
    loss = nl.train_step(model, opt, Xb, yb)
    assert loss == expected_loss  # the loss before the update
    for layer, ref in zip(model.layers, reference.layers, strict=True):
        np.testing.assert_array_equal(layer.dW, ref.dW)  # the gradient of this batch alone
        np.testing.assert_array_equal(layer.db, ref.db)
        np.testing.assert_allclose(layer.W, ref.W - 0.3 * ref.dW, rtol=1e-15, atol=1e-17)
        np.testing.assert_allclose(layer.b, ref.b - 0.3 * ref.db, rtol=1e-15, atol=1e-17)
    assert nl.train_step(model, opt, Xb, yb) < loss  # a small step downhill
    assert nl.train_step(model, opt, Xb.tolist(), yb.tolist()) > 0  # lists are fine


def test_train_step_mse():
    model = nl.MLP([1, 4, 1], seed=0)
    opt = nl.SGD(model, lr=0.1)
    x = np.array([[0.5], [1.0], [-1.0]])
    expected = nl.mse(model.forward(x), np.array([[1.0], [2.0], [0.0]]))[0]
    assert nl.train_step(model, opt, x, [1.0, 2.0, 0.0], loss="mse") == pytest.approx(expected, rel=1e-15)


def test_evaluate(spiral):
    X, y = spiral
    model = nl.MLP([2, 8, 3], seed=0)
    loss, accuracy = nl.evaluate(model, X, y)
    assert loss == nl.softmax_cross_entropy(model.forward(X), y)[0]
    assert accuracy == np.mean(model.predict(X) == y)
    assert nl.evaluate(model, X[:1], y[:1])[1] in (0.0, 1.0)


def overflowing_model():
    """Weights and biases so large that the first layer's x @ W + b overflows in the addition, a ufunc
    that warns under every numpy (numpy 1.24 also warns inside matmul, numpy 2 does not)."""
    model = nl.MLP([2, 4, 3], seed=0)
    model.layers[0].W[:] = 1e308
    model.layers[0].b[:] = 1e308
    return model


def test_a_diverging_run_prints_no_warning_anywhere():
    X, y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.array([0, 1, 2])
    with np.errstate(over="warn", invalid="warn", divide="warn"):  # numpy's defaults, whatever ran before
        with pytest.warns(RuntimeWarning, match="overflow|invalid"):  # outside the library the model does warn
            overflowing_model().forward(X)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # any RuntimeWarning would be on a student's stderr
            assert not math.isfinite(nl.evaluate(overflowing_model(), X, y)[0])
            model = overflowing_model()
            assert not math.isfinite(nl.train_step(model, nl.SGD(model, lr=0.1), X, y))
            history = nl.fit(overflowing_model(), X, y, epochs=3, batch_size=2, on_diverge="stop", validation=(X, y))
            assert history.diverged and history.diverged_at_step == 1
            with pytest.raises(nl.DivergenceError):
                nl.fit(overflowing_model(), X, y, epochs=3, batch_size=2, validation=(X, y))
            model = nl.MLP([2, 64, 64, 64, 64, 64, 3], init="normal", seed=0)  # finite epochs, then a blow-up
            history = nl.fit(model, X, y, epochs=50, batch_size=1, lr=1e3, validation=(X, y), on_diverge="stop")
            assert history.diverged and len(history.val_loss) == len(history.epoch_loss) >= 1


# ---------------------------------------------------------------- weight decay

def test_weight_decay_is_gradient_descent_on_the_penalised_loss(spiral):
    X, y = spiral[0][:20], spiral[1][:20]
    wd, lr = 0.05, 0.3
    model = nl.MLP([2, 5, 3], activation="tanh", seed=1)  # smooth: no kink fools the numerical gradient

    def penalised():  # L + (wd/2) ||W||^2 over the weight matrices only
        data_loss = nl.softmax_cross_entropy(model.forward(X), y)[0]
        return data_loss + wd / 2 * sum(np.sum(layer.W ** 2) for layer in model.layers)

    before = [(layer.W.copy(), layer.b.copy()) for layer in model.layers]
    numerical = [(nl.gradcheck.numerical_gradient(lambda _: penalised(), layer.W),
                  nl.gradcheck.numerical_gradient(lambda _: penalised(), layer.b)) for layer in model.layers]
    nl.train_step(model, nl.SGD(model, lr=lr, weight_decay=wd), X, y)
    for layer, (W, b), (dW, db) in zip(model.layers, before, numerical, strict=True):
        # the step taken is -lr times the gradient of the penalised loss (biases: of the data loss only)
        assert nl.gradcheck.relative_error((W - layer.W) / lr, dW) < 1e-7
        assert nl.gradcheck.relative_error((b - layer.b) / lr, db) < 1e-7
        assert not np.allclose(dW, layer.dW)  # ...which is not the data gradient the model holds


def test_weight_decay_leaves_biases_alone_and_zero_changes_nothing(spiral):
    X, y = spiral
    plain = nl.fit(nl.MLP([2, 8, 3], seed=0), X, y, epochs=2, lr=0.2)
    zero = nl.fit(nl.MLP([2, 8, 3], seed=0), X, y, epochs=2, lr=0.2, weight_decay=0.0)
    assert plain.step_loss == zero.step_loss
    model = nl.MLP([2, 8, 3], seed=0)
    for layer in model.layers:
        layer.b[:] = 1.0
    opt = nl.SGD(model, lr=0.5, weight_decay=0.1, momentum=0.5)
    for layer in model.layers:
        layer.dW[:] = layer.db[:] = 0.0  # no data gradient: only the decay acts
    W0 = [layer.W.copy() for layer in model.layers]
    opt.step()
    opt.step()  # with momentum: v = -0.05 W0 then 0.5 v - 0.05 W1
    for layer, W in zip(model.layers, W0, strict=True):
        W1 = 0.95 * W
        np.testing.assert_allclose(layer.W, W1 + 0.5 * (-0.05 * W) - 0.05 * W1, rtol=1e-14)
        assert (layer.b == 1.0).all()


@pytest.mark.parametrize("bad, error", [(-0.1, ValueError), ("0.1", TypeError), (float("nan"), TypeError)])
def test_weight_decay_is_validated(bad, error):
    with pytest.raises(error, match="weight_decay"):
        nl.SGD(nl.MLP([2, 3], seed=0), weight_decay=bad)


def test_weight_decay_shrinks_the_weights(spiral):
    X, y = spiral
    norms = {}
    for wd in (0.0, 0.01):
        model = nl.MLP([2, 16, 16, 3], seed=0)
        nl.fit(model, X, y, epochs=30, lr=0.2, weight_decay=wd)
        norms[wd] = sum(np.linalg.norm(layer.W) for layer in model.layers)
    assert norms[0.01] < 0.8 * norms[0.0]


def test_max_steps_bounds_the_records_and_keeps_the_count(spiral):
    X, y = spiral  # 5 steps per epoch at batch size 32
    full = nl.fit(nl.MLP([2, 8, 3], seed=0), X, y, epochs=4, lr=0.2)
    history = nl.History(max_steps=7)
    steps = nl.training.training_steps(nl.MLP([2, 8, 3], seed=0), X, y, lr=0.2, history=history)
    for _ in range(4 * 6):  # 4 epochs: 5 steps + the end-of-epoch yield each
        next(steps)
    assert history.steps == full.steps == 20 and len(history.step_loss) == len(history.grad_norms) == 7
    assert history.step_loss == full.step_loss[-7:] and history.epoch_loss == full.epoch_loss


# ---------------------------------------------------------------- L1

def _penalised_step_matches_numerical_gradient(X, y, wd, l1):
    """One SGD step with the penalties is -lr times the numerical gradient of L + penalty (biases: of L only)."""
    lr = 0.3
    model = nl.MLP([2, 5, 3], activation="tanh", seed=1)  # smooth: no kink of the activation fools the check
    assert min(np.abs(layer.W).min() for layer in model.layers) > 1e-3  # nor the kink of |w| at 0 (eps is 1e-6)

    def penalised():  # the data loss + (wd/2) sum W^2 + l1 sum |W|, written out here, over the weight matrices
        data_loss = nl.softmax_cross_entropy(model.forward(X), y)[0]
        return data_loss + sum(wd / 2 * np.sum(layer.W ** 2) + l1 * np.sum(np.abs(layer.W)) for layer in model.layers)

    before = [(layer.W.copy(), layer.b.copy()) for layer in model.layers]
    numerical = [(nl.gradcheck.numerical_gradient(lambda _: penalised(), layer.W),
                  nl.gradcheck.numerical_gradient(lambda _: penalised(), layer.b)) for layer in model.layers]
    opt = nl.SGD(model, lr=lr, weight_decay=wd, l1=l1)
    assert opt.penalty() == pytest.approx(penalised() - nl.softmax_cross_entropy(model.forward(X), y)[0], rel=1e-12)
    loss = nl.train_step(model, opt, X, y)
    assert loss == nl.softmax_cross_entropy(nl.MLP([2, 5, 3], activation="tanh", seed=1).forward(X), y)[0]  # data loss
    for layer, (W, b), (dW, db) in zip(model.layers, before, numerical, strict=True):
        assert nl.gradcheck.relative_error((W - layer.W) / lr, dW) < 1e-7
        assert nl.gradcheck.relative_error((b - layer.b) / lr, db) < 1e-7
        assert not np.allclose(dW, layer.dW)  # ...which is not the data gradient the model holds


@pytest.mark.parametrize("wd, l1", [(0.0, 0.05), (0.05, 0.02)])
def test_l1_is_gradient_descent_on_the_penalised_loss(spiral, wd, l1):
    _penalised_step_matches_numerical_gradient(spiral[0][:20], spiral[1][:20], wd, l1)


def test_l1_leaves_biases_alone_pulls_by_a_constant_and_zero_changes_nothing(spiral):
    X, y = spiral
    plain = nl.fit(nl.MLP([2, 8, 3], seed=0), X, y, epochs=2, lr=0.2, weight_decay=0.01)
    zero = nl.fit(nl.MLP([2, 8, 3], seed=0), X, y, epochs=2, lr=0.2, weight_decay=0.01, l1=0.0)
    assert plain.step_loss == zero.step_loss
    model = nl.MLP([2, 8, 3], seed=0)
    for layer in model.layers:
        layer.b[:] = 1.0
    model.layers[0].W[0, :2] = 0.0  # sign(0) = 0: a weight at 0 feels no pull
    opt = nl.SGD(model, lr=0.5, l1=0.1, momentum=0.5)
    for layer in model.layers:
        layer.dW[:] = layer.db[:] = 0.0  # no data gradient: only the penalty acts
    W0 = [layer.W.copy() for layer in model.layers]
    opt.step()
    opt.step()  # with momentum: v = -0.05 sign(W0), then 0.5 v - 0.05 sign(W1)
    for layer, W in zip(model.layers, W0, strict=True):
        W1 = W - 0.05 * np.sign(W)
        np.testing.assert_allclose(layer.W, W1 - 0.025 * np.sign(W) - 0.05 * np.sign(W1), rtol=1e-14)
        assert (layer.b == 1.0).all()
    assert (model.layers[0].W[0, :2] == 0.0).all()


def test_l1_drives_an_unneeded_weight_to_within_lr_l1_of_zero():
    """With no data gradient, each step moves a weight by lr * l1 towards 0; past 0 it comes back, so it ends
    hovering within lr * l1 of 0 (it is not set to exactly 0 and frozen, as in TensorFlow Playground)."""
    model = nl.MLP([2, 3], seed=0)
    start = np.array([[0.93, -0.41, 0.0], [0.017, -2.2, 0.3]])
    model.layers[0].W[:] = start
    opt = nl.SGD(model, lr=0.1, l1=0.05)  # steps of 0.005
    model.zero_grad()
    for _ in range(100):
        opt.step()
    np.testing.assert_allclose(model.layers[0].W[1, 1], -2.2 + 100 * 0.005, rtol=1e-12)  # a constant pull
    for _ in range(400):  # 440 steps in all take 2.2 to 0
        opt.step()
    W = model.layers[0].W
    assert np.abs(W).max() <= 0.005 + 1e-12 and W[0, 2] == 0.0 and (W != 0).sum() >= 4


@pytest.mark.parametrize("bad, error", [(-0.1, ValueError), ("0.1", TypeError), (float("nan"), TypeError),
                                        (float("inf"), TypeError), (True, TypeError), (None, TypeError)])
def test_l1_is_validated(bad, error, spiral):
    with pytest.raises(error, match="l1"):
        nl.SGD(nl.MLP([2, 3], seed=0), l1=bad)
    with pytest.raises(error, match="l1"):
        nl.fit(nl.MLP([2, 3], seed=0), *spiral, l1=bad)
    with pytest.raises(error, match="l1"):
        next(nl.training_steps(nl.MLP([2, 3], seed=0), *spiral, l1=bad))


def test_l1_makes_the_network_sparse_and_fit_records_the_data_loss(spiral):
    X, y = spiral
    X_val, y_val = nl.datasets.spiral(n=60, noise=0.2, seed=1)
    lr, l1 = 0.2, 0.01
    for seed in range(3):
        small = {}
        for rate in (0.0, l1):
            model = nl.MLP([2, 16, 16, 3], seed=seed)
            history = nl.fit(model, X, y, epochs=30, lr=lr, l1=rate, seed=seed, validation=(X_val, y_val))
            W = np.concatenate([layer.W.ravel() for layer in model.layers])
            small[rate] = np.mean(np.abs(W) < lr * l1)  # within lr * l1 of 0, where L1 leaves the weights it kills
            assert history.val_loss[-1] == nl.evaluate(model, X_val, y_val)[0]  # the data loss, without the penalty
        assert small[0.0] < 0.02 < 0.2 < small[l1]  # measured (seeds 0-2): 0 to 0.003 without L1, 0.38 to 0.40 with it
