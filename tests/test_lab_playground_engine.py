"""Notebook 07's settings and run engine: Settings are checked once and name the parameter; a Trainer's
run equals nl.fit's to the last bit, its curves are the History's numbers, its layer measures are what
they say (checked against NumPy written here and numerical gradients), and it keeps its best epoch."""

import numpy as np
import pytest

import nnlite as nl
from nnlite.labs import playground as P


def fit_from_code_line(settings):
    namespace = {"nl": nl}
    exec(P.code_line(settings), namespace)
    return namespace


def assert_same_history(a, b):
    assert np.array_equal(a.step_loss, b.step_loss, equal_nan=True)
    assert a.epoch_loss == b.epoch_loss and a.epoch_accuracy == b.epoch_accuracy
    assert a.val_loss == b.val_loss and a.val_accuracy == b.val_accuracy
    assert (a.diverged, a.diverged_at_step) == (b.diverged, b.diverged_at_step)
    assert len(a.grad_norms) == len(b.grad_norms)
    assert all(np.array_equal(x, y, equal_nan=True) for x, y in zip(a.grad_norms, b.grad_norms, strict=True))


# ------------------------------------------------------------------ settings

def test_settings_errors_name_the_parameter():
    with pytest.raises(ValueError, match="dataset must be one of 'spiral'"):
        P.Settings(dataset="swirl")
    with pytest.raises(TypeError, match=r"hidden must be a list of layer sizes like \[16, 16\]"):
        P.Settings(hidden=16)
    with pytest.raises(ValueError, match=r"hidden\[1\] must be >= 1, got 0"):
        P.Settings(hidden=[4, 0])
    with pytest.raises(ValueError, match=r"lr must be in \(0.0, inf\], got -0.1"):
        P.Settings(lr=-0.1)
    with pytest.raises(ValueError, match=r"test_fraction must be in \(0.0, 1.0\)"):
        P.Settings(test_fraction=1.0)
    with pytest.raises(ValueError, match=r"val_fraction must be in \(0.0, 1.0\)"):
        P.Settings(val_fraction=0.0)
    with pytest.raises(ValueError, match=r"val_fraction \+ test_fraction must be below 1.*got 0.5 \+ 0.5"):
        P.Settings(val_fraction=0.5, test_fraction=0.5)
    with pytest.raises(ValueError, match="activation must be one of"):
        P.Settings(activation="swish")
    with pytest.raises(ValueError, match="weight_decay must be in"):
        P.Settings(weight_decay=-1.0)
    with pytest.raises(ValueError, match=r"unknown keys \['hiden'\]"):
        P.as_settings({"hiden": [3]})
    with pytest.raises(TypeError, match="settings must be a dict"):
        P.as_settings("relu")
    assert P.Settings(hidden=[8, 4]).hidden == (8, 4) and P.Settings(dataset="blobs", hidden=[]).sizes == [2, 3]


def test_settings_name_what_changed():
    default = P.Settings()
    assert default.changes(P.Settings()) == set()
    assert default.changes(default.replace(lr=0.3, epochs=10)) == {"lr", "epochs"}
    assert set(P.DATA) | set(P.TRAINING_ONLY) <= set(default.__dataclass_fields__)


def test_default_init_follows_the_activation():
    assert [P.default_init(a) for a in P.ACTIVATIONS] == ["he", "he", "xavier", "xavier", "he", "he", "xavier"]
    assert P.Settings(activation="tanh").init_name == "xavier" and P.Settings(init="normal").init_name == "normal"
    assert 'init="xavier"' in P.code_line(P.Settings(activation="sigmoid"))
    assert "weight_decay" not in P.code_line(P.Settings()) and "weight_decay=0.001" in P.code_line(
        P.Settings(weight_decay=1e-3))


def test_classes_match_the_data_makers():
    for name, k in P.CLASSES.items():
        assert int(nl.datasets.make(name, n=60)[1].max()) + 1 == k


# ------------------------------------------------------------------ the run equals nl.fit

@pytest.mark.parametrize("settings", [
    P.Settings(epochs=20),
    P.Settings(dataset="xor", hidden=(4,), activation="tanh", init="xavier", batch_size=1, lr=0.05, epochs=3),
    P.Settings(dataset="blobs", hidden=(), activation="identity", batch_size=256, noise=0.5, epochs=15),
    P.Settings(dataset="moons", hidden=(32,) * 6, lr=1.0, epochs=20),  # diverges in the first epoch
    P.Settings(dataset="moons", activation="sigmoid", weight_decay=0.01, epochs=5),  # init auto: xavier
    P.Settings(dataset="circles", features=("x1_squared", "x2_squared", "sin_x1"), hidden=(3,), l1=0.01, epochs=8,
               seed=4, data_seed=9),
    P.Settings(dataset="blobs", hidden=(8,), target_loss=0.5, epochs=100),  # stops at the target
], ids=["spiral", "xor-batch-1", "blobs-linear-full-batch", "diverges", "sigmoid-weight-decay",
        "features-l1-data-seed", "target-loss"])
def test_code_line_reproduces_the_playground_run_exactly(settings):
    trainer = P.Trainer(settings).run()
    namespace = fit_from_code_line(settings)
    assert_same_history(trainer.history, namespace["history"])
    for mine, theirs in zip(trainer.model.layers, namespace["model"].layers, strict=True):
        assert np.array_equal(mine.W, theirs.W, equal_nan=True) and np.array_equal(mine.b, theirs.b, equal_nan=True)
    for part in ("X_train", "X_val", "X_test"):  # what the network reads of the points: their features
        assert np.array_equal(trainer.inputs(getattr(trainer, part)), namespace[part])
    if not trainer.diverged:
        loss, accuracy = nl.evaluate(namespace["model"], namespace["X_val"], namespace["y_val"])
        assert (loss, accuracy) == (trainer.latest()["val_loss"], trainer.latest()["val_accuracy"])
        assert trainer.test_score() == nl.evaluate(namespace["model"], namespace["X_test"], namespace["y_test"])


def test_curves_are_the_models_numbers_after_every_epoch():
    """Epoch 0 is the untrained network; then the History's validation numbers and training accuracy, and
    the trained model's loss on the training points (not the mean of the epoch's mini-batch losses)."""
    settings = P.Settings(epochs=4)
    trainer = P.Trainer(settings).run()
    namespace = {"nl": nl}
    exec(P.code_line(settings.replace(epochs=0)), namespace)  # the same data and first weights, untrained
    model, data = namespace["model"], [namespace[k] for k in ("X_train", "y_train", "X_val", "y_val")]
    after = [(*nl.evaluate(model, *data[:2]), *nl.evaluate(model, *data[2:]))]
    nl.fit(model, *data[:2], epochs=4, batch_size=16, lr=0.1, seed=0,
           callback=lambda epoch, h: after.append((*nl.evaluate(model, *data[:2]), *nl.evaluate(model, *data[2:]))))
    train_loss, train_accuracy, val_loss, val_accuracy = (list(column) for column in zip(*after, strict=True))
    assert trainer.curves == {"train_loss": train_loss, "val_loss": val_loss, "train_accuracy": train_accuracy,
                              "val_accuracy": val_accuracy}
    assert trainer.curves["val_loss"][1:] == trainer.history.val_loss
    assert trainer.curves["train_loss"][1:] != trainer.history.epoch_loss  # the running mean is another number
    assert trainer.latest() == {"epoch": 4, **{key: values[-1] for key, values in trainer.curves.items()}}


def test_the_test_set_is_the_one_train_test_split_holds_out_and_nothing_trains_on_it():
    s = P.Settings(val_fraction=0.3, test_fraction=0.2, epochs=2)
    trainer = P.Trainer(s)
    X, y = nl.datasets.make(s.dataset, n=s.n, noise=s.noise, seed=s.seed)
    assert np.array_equal(trainer.X_test, nl.datasets.train_test_split(X, y, test_fraction=0.2, seed=0)[2])
    assert (len(trainer.X_train), len(trainer.X_val), len(trainer.X_test)) == (150, 90, 60)
    rows = {tuple(row) for row in trainer.X_train}
    assert not rows & {tuple(row) for row in trainer.X_val} and not rows & {tuple(row) for row in trainer.X_test}
    with pytest.raises(ValueError, match="at must be one of 'end', 'best'"):
        trainer.test_score("last")


def test_the_best_epoch_is_the_lowest_validation_loss_and_its_weights_are_kept():
    trainer = P.run(dataset="moons", noise=0.4, hidden=(32, 32, 32), val_fraction=0.3, epochs=60)
    val_loss = trainer.curves["val_loss"]
    assert trainer.best_epoch == int(np.argmin(val_loss)) and 0 < trainer.best_epoch < 60  # it rises again
    best = trainer.best_model()
    assert nl.evaluate(best, trainer.X_val, trainer.y_val)[0] == val_loss[trainer.best_epoch]
    assert trainer.test_score("best") == nl.evaluate(best, trainer.X_test, trainer.y_test)
    assert trainer.test_score("end") == nl.evaluate(trainer.model, trainer.X_test, trainer.y_test)
    assert best is not trainer.model and not np.array_equal(best.layers[0].W, trainer.model.layers[0].W)
    again = P.Trainer(trainer.settings.replace(epochs=trainer.best_epoch)).run()  # the same run, stopped there
    assert all(np.array_equal(a.W, b.W) for a, b in zip(best.layers, again.model.layers, strict=True))


def _relu_net_bias_gradients(layers, X, y):
    """||dL/db|| of every layer of a ReLU network with these (W, b), for the mean cross-entropy on (X, y):
    written here in NumPy, apart from nnlite."""
    hs, h = [], X
    for W, b in layers[:-1]:
        h = np.maximum(h @ W + b, 0.0)
        hs.append(h)
    logits = h @ layers[-1][0] + layers[-1][1]
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    delta = (p - np.eye(p.shape[1])[y]) / len(y)
    norms = [np.linalg.norm(delta.sum(axis=0))]
    for (W, _), h in zip(layers[:0:-1], hs[::-1], strict=True):
        delta = (delta @ W.T) * (h > 0)
        norms.append(np.linalg.norm(delta.sum(axis=0)))
    return np.array(norms[::-1])


def test_grad_norms_are_the_bias_gradients_on_all_training_points():
    trainer = P.Trainer(P.Settings(hidden=(8, 8), epochs=3))
    weights = [(layer.W.copy(), layer.b.copy()) for layer in trainer.model.layers]
    expected = _relu_net_bias_gradients(weights, trainer.X_train, trainer.y_train)
    np.testing.assert_allclose(trainer.start_grad_norms, expected, rtol=1e-12)
    np.testing.assert_allclose(trainer.grad_norms(), expected, rtol=1e-12)  # no step yet: the same
    first = trainer.model.layers[0]  # and the bias gradient is the loss's, numerically
    numerical = nl.numerical_gradient(lambda _: nl.evaluate(trainer.model, trainer.X_train, trainer.y_train)[0],
                                      first.b)
    assert abs(np.linalg.norm(numerical) - trainer.start_grad_norms[0]) < 1e-7 * trainer.start_grad_norms[0]
    trainer.run()
    weights = [(layer.W.copy(), layer.b.copy()) for layer in trainer.model.layers]
    np.testing.assert_allclose(trainer.grad_norms(), _relu_net_bias_gradients(weights, trainer.X_train,
                                                                              trainer.y_train), rtol=1e-10)
    assert all(not layer.dW.any() and not layer.db.any() for layer in trainer.model.layers)  # left at zero


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
def test_units_off_for_every_point_and_dead_units(activation):
    trainer = P.run(lr=1.0, epochs=20, activation=activation)  # a large step switches units off
    z, off = trainer.X_train, []
    for layer in trainer.model.layers[:-1]:
        z_layer = z @ layer.W + layer.b
        off.append(np.mean(np.all(z_layer <= 0, axis=0)))
        z = trainer.model.activation.forward(z_layer)
    assert np.array_equal(trainer.off_fraction(), off) and max(off) > 0  # some are off: the test can fail
    if activation == "relu":
        assert np.array_equal(trainer.dead_fraction(), off)  # off for every point is dead, for ReLU
    else:
        assert not trainer.dead_fraction().any()  # a Leaky ReLU outputs alpha * z, never 0: none dead, by definition


def test_step_semantics_and_a_raised_end():
    trainer = P.Trainer(P.Settings(epochs=2))
    assert trainer.step() and trainer.steps == 1 and trainer.epoch == 0
    trainer.run_epoch()
    assert trainer.epoch == 1 and trainer.steps == 12 == trainer.steps_per_epoch  # 180 training rows, batches of 16
    trainer.run()
    assert trainer.done and not trainer.step() and trainer.steps == 24
    assert trainer.continue_with(trainer.settings.replace(epochs=3)) is trainer  # raise the end: the run goes on
    assert not trainer.done and trainer.run().epoch == 3 and trainer.settings.epochs == 3
    assert trainer.summary().startswith("epoch 3 of 3: loss train ")
    with pytest.raises(ValueError, match=r"only in epochs, not in \['lr'\]"):
        trainer.continue_with(trainer.settings.replace(lr=0.5, epochs=4))
    assert trainer.settings.epochs == 3


def test_run_keeps_finished_runs_and_hands_out_copies_that_train_on_as_the_run_would():
    from nnlite.labs.playground import engine
    settings = P.Settings(dataset="moons", epochs=3, seed=5)
    first = P.run(settings)
    hits = engine._finished.cache_info().hits
    again = P.run(settings)
    assert engine._finished.cache_info().hits == hits + 1  # not trained again
    assert again is not first and again.model is not first.model and again.history is not first.history
    assert_same_history(again.history, first.history) and again.curves == first.curves
    assert again.best_epoch == first.best_epoch
    for layer in again.model.layers:  # a student changes a copy: the next copy is as trained
        layer.W[...] = 0
    assert not np.array_equal(P.run(settings).model.layers[0].W, 0)
    # a copy trained on equals a run that was given the longer end from the start, number for number
    longer = P.Trainer(settings.replace(epochs=5)).run()
    first.continue_with(settings.replace(epochs=5)).run()
    assert_same_history(first.history, longer.history) and first.curves == longer.curves
    assert first.best_epoch == longer.best_epoch and first.steps == longer.steps
    for a, b in zip(first.model.layers, longer.model.layers, strict=True):
        assert np.array_equal(a.W, b.W) and np.array_equal(a.b, b.b)
    blown = P.run(dataset="moons", hidden=(32,) * 6, lr=1.0, epochs=20)  # a diverged run is kept as diverged
    assert blown.diverged and P.run(blown.settings).diverged and not P.run(blown.settings).step()


def test_divergence_is_said_in_words():
    blown = P.Trainer(P.Settings(dataset="moons", hidden=(32,) * 6, lr=1.0, epochs=20)).run()
    assert blown.diverged and blown.done and blown.history.diverged_at_step == 8 and blown.epoch == 0
    assert blown.summary() == ("Training diverged in epoch 1 (step 8): the loss is no longer a finite number. The "
                               "learning rate 1 is too large for this network; try a smaller one, such as 0.1.")
