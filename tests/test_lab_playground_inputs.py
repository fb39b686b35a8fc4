"""Notebook 07's playground beyond x1, x2: input features (against a model built here by hand), L1 (its
step checked against a numerical gradient), a target validation loss that stops the run, and the seeds
(the same seed: the same starting weights; a data seed: new points for the same network)."""

import numpy as np
import pytest

import nnlite as nl
from nnlite.labs import playground as P


def test_features_train_the_model_a_hand_built_one_trains():
    s = P.Settings(dataset="circles", noise=0.1, features=("x1_squared", "x2_squared", "x1_times_x2"), hidden=(4,),
                   epochs=5, batch_size=8, seed=3)
    trainer = P.Trainer(s).run()
    X, y = nl.datasets.make("circles", n=s.n, noise=0.1, seed=3)  # by hand: the same points, the columns in NumPy
    X_train, y_train, X_val, y_val, _, _ = nl.datasets.train_val_test_split(X, y, val_fraction=0.2,
                                                                            test_fraction=0.2, seed=3)
    columns = lambda A: np.stack([A[:, 0] ** 2, A[:, 1] ** 2, A[:, 0] * A[:, 1]], axis=1)  # noqa: E731
    model = nl.MLP([3, 4, 2], activation="relu", init="he", seed=3)
    history = nl.fit(model, columns(X_train), y_train, epochs=5, batch_size=8, lr=0.1, seed=3,
                     validation=(columns(X_val), y_val))
    assert trainer.model.sizes == [3, 4, 2] and trainer.history.val_loss == history.val_loss
    assert all(np.array_equal(a.W, b.W) for a, b in zip(trainer.model.layers, model.layers, strict=True))
    assert np.array_equal(trainer.X_train, X_train)  # the points stay points, for the pictures


def test_x1_squared_and_x2_squared_make_circles_linear():
    """The lesson of the features: a network with no hidden layer draws a straight line in the plane of its
    inputs, so on circles it fails with x1, x2 and succeeds with x1², x2² (a circle there is a line)."""
    plain = P.run(dataset="circles", noise=0.05, hidden=(), activation="identity", epochs=60, lr=0.5)
    squares = P.run(dataset="circles", noise=0.05, hidden=(), activation="identity", epochs=60, lr=0.5,
                    features=("x1_squared", "x2_squared"))
    assert plain.latest()["val_accuracy"] < 0.7 < 0.95 < squares.latest()["val_accuracy"]


def test_regions_are_drawn_from_the_features_of_the_grid():
    trainer = P.run(dataset="xor", features=("x1_times_x2",), hidden=(), activation="identity", epochs=20)
    view = P.RegionsView(resolution=12)
    view.set_data(trainer)
    view.show(trainer)
    expected = P.grid_probabilities(trainer.model, (view.points[:, 0] * view.points[:, 1])[:, None], 12)
    assert np.array_equal(view.grid_inputs(trainer), (view.points[:, 0] * view.points[:, 1])[:, None])
    assert expected.shape == (12, 12, 2) and np.isfinite(view.image.get_array()).all()


def test_features_are_checked_and_kept_in_the_order_of_nl_features():
    assert P.Settings(features=["sin_x2", "x1"]).features == ("x1", "sin_x2")
    assert P.Settings(features=["sin_x2", "x1"]).sizes == [2, 16, 16, 3]
    for bad, error in (([], ValueError), (["x3"], ValueError), ("x1", TypeError), (["x1", "x1"], ValueError)):
        with pytest.raises(error, match="features"):
            P.Settings(features=bad)


def test_l1_step_of_the_playground_is_the_numerical_gradient_of_the_penalised_loss():
    s = P.Settings(dataset="moons", n=40, hidden=(3,), activation="tanh", l1=0.05, batch_size=1000, epochs=1, lr=0.2)
    trainer = P.Trainer(s)  # full batch: one step on every training point
    model = trainer.model
    X, y = trainer.F_train, trainer.y_train

    def penalised():  # data loss + l1 * sum |W| over the weight matrices, written out here
        return nl.softmax_cross_entropy(model.forward(X), y)[0] + 0.05 * sum(np.abs(layer.W).sum()
                                                                             for layer in model.layers)

    assert min(np.abs(layer.W).min() for layer in model.layers) > 1e-3  # away from |w|'s kink
    before = [layer.W.copy() for layer in model.layers]
    numerical = [nl.gradcheck.numerical_gradient(lambda _: penalised(), layer.W) for layer in model.layers]
    trainer.step()
    for layer, W, dW in zip(model.layers, before, numerical, strict=True):
        assert nl.gradcheck.relative_error((W - layer.W) / 0.2, dW) < 1e-6


def test_a_target_validation_loss_stops_the_run_where_fit_stops():
    trainer = P.run(dataset="blobs", hidden=(8,), target_loss=0.5, epochs=200)
    val = trainer.history.val_loss
    assert trainer.done and trainer.reached_target and trainer.epoch < 200
    assert val[-1] <= 0.5 < min(val[:-1])  # the first epoch at or below it, and no other
    assert "reached the target validation loss 0.5" in trainer.summary()
    assert not P.run(dataset="blobs", hidden=(8,), epochs=5).reached_target  # 0: no target


def test_the_same_seed_starts_from_the_same_weights_and_a_data_seed_moves_only_the_points():
    a, b = P.Trainer(P.Settings(seed=5)), P.Trainer(P.Settings(seed=5))
    assert all(np.array_equal(x.W, z.W) for x, z in zip(a.model.layers, b.model.layers, strict=True))
    c = P.Trainer(P.Settings(seed=5, data_seed=6))  # new points, the same starting weights
    assert not np.array_equal(a.X, c.X) and np.array_equal(c.X, P.Trainer(P.Settings(seed=6)).X)
    assert all(np.array_equal(x.W, z.W) for x, z in zip(a.model.layers, c.model.layers, strict=True))
    assert "seed=6); X_train" in P.code_line(c.settings) and "seed=5)" in P.code_line(c.settings)


def test_the_network_view_reads_the_features_of_the_plane_and_names_them():
    trainer = P.Trainer(P.Settings(features=("x1", "x1_squared", "sin_x2"), hidden=(3,), epochs=2)).run()
    view = P.NetworkView(resolution=20, tile_resolution=5)
    view.set_data(trainer)
    view.show(trainer)
    assert view.input_names == ["x₁", "x₁²", "sin(x₂)"] and "3 inputs (x₁, x₁², sin(x₂))" in view.words
    columns = np.stack([view.points[:, 0], view.points[:, 0] ** 2, np.sin(view.points[:, 1])], axis=1)
    assert np.allclose(view.outputs[-1], nl.softmax(trainer.model.forward(columns)), atol=1e-5)
    trainer = P.Trainer(trainer.settings.replace(features=("x1", "x2")))  # back to the plain inputs
    view.show(trainer)
    assert view.input_names == ["x₁", "x₂"] and view.grid.shape == (400, 2)
