"""The playground's regression problems (TensorFlow Playground's "plane" and "multi-Gaussian", and your own
real targets): one output unit and the mean squared error, exactly what nl.fit(..., loss="mse") runs; the
output drawn as TensorFlow Playground draws it (blue positive, orange negative); no accuracy and no
confusion matrix; a click adds a point with a target."""

import numpy as np
import pytest

import nnlite as nl
from nnlite.labs import playground as P
from nnlite.labs.playground.unit_pictures import diverging_colors
from tests.test_lab_playground_engine import assert_same_history

SETTINGS = {"dataset": "plane", "hidden": [4], "activation": "tanh", "epochs": 12, "batch_size": 8}


@pytest.mark.parametrize("dataset", ["plane", "multi_gaussian"])
def test_a_regression_run_is_fits_mse_run_to_the_last_bit(dataset):
    settings = P.Settings(**{**SETTINGS, "dataset": dataset})
    trainer = P.Trainer(settings).run()
    namespace = {"nl": nl}
    exec(P.code_line(settings), namespace)
    assert 'loss="mse"' in P.code_line(settings) and settings.sizes == [2, 4, 1]
    assert_same_history(trainer.history, namespace["history"])
    loss, accuracy = trainer.test_score()
    assert accuracy is None and loss == nl.evaluate(namespace["model"], namespace["X_test"], namespace["y_test"],
                                                    loss="mse")[0]
    assert set(trainer.curves["train_accuracy"]) == {None} and len(trainer.curves["train_accuracy"]) == 13
    assert trainer.summary().endswith("(mean squared error)") and "accuracy" not in trainer.summary()


def test_the_layer_measure_is_the_mse_gradient_of_every_bias_checked_numerically():
    trainer = P.Trainer(P.Settings(**SETTINGS)).run()
    model, X, t = trainer.model, trainer.F_train, trainer.y_train[:, None]
    expected = []
    for layer in model.layers:
        grad = np.zeros_like(layer.b)
        for j in range(len(layer.b)):
            layer.b[j] += 1e-6
            up = np.mean((model.forward(X) - t) ** 2)
            layer.b[j] -= 2e-6
            down = np.mean((model.forward(X) - t) ** 2)
            layer.b[j] += 1e-6
            grad[j] = (up - down) / 2e-6
        expected.append(np.linalg.norm(grad))
    np.testing.assert_allclose(trainer.grad_norms(), expected, rtol=1e-5)


def test_the_regions_picture_is_the_output_coloured_as_a_units_and_the_points_by_their_sign():
    panel = P.playground(settings=SETTINGS)
    pg = panel.playground
    pg.trainer.run()
    pg.draw()
    regions = pg.regions
    output = pg.trainer.model.forward(pg.trainer.inputs(regions.points)).reshape(60, 60)
    assert np.abs(regions.image.get_array().astype(int) - diverging_colors(output).astype(int)).max() <= 2
    y, lines = pg.trainer.y_train, regions.points_lines["train"]
    assert [len(lines[k].get_xdata()) for k in (0, 1, 7)] == [(y > 0.05).sum(), (y < -0.05).sum(),
                                                              (abs(y) <= 0.05).sum()]  # blue +, orange -, black 0
    assert regions.ax.get_title() == "output (click adds a point)"
    assert pg.loss.title.get_text() == "loss (squared error, log scale)" and pg.loss.no_accuracy.get_visible()
    assert all(len(pg.loss.lines[k].get_xdata()) == 0 for k in ("train_accuracy", "val_accuracy"))
    assert pg.confusion.button.disabled and panel.error.value == ""
    panel.controls["dataset"].value = "moons"  # and back to classes: accuracy and the matrix return
    assert pg.loss.title.get_text() == "loss (cross-entropy, log scale)" and not pg.loss.no_accuracy.get_visible()
    assert regions.ax.get_title() == "class regions (click adds a point)"
    assert not pg.confusion.button.disabled


def test_the_network_view_draws_and_says_one_output():
    panel = P.playground(settings=SETTINGS)
    panel.view.value = "network"
    view = panel.playground.main.network
    assert "1 output (a regression)" in view.words and "probability" not in view.words
    assert view.output.words.startswith("Output over the plane (a regression): from ")
    assert "the network's output itself (a regression: no softmax)" in view.describe(
        view.interaction.part_at(*view.diagram.layout.positions[2][0]))
    assert panel.error.value == ""


def test_a_click_adds_a_point_with_a_target_and_your_own_real_targets_train():
    panel = P.playground(settings=SETTINGS)
    adder, pg = panel.adder, panel.playground
    assert [value for _, value in adder.label.options] == [1.0, 0.5, 0.0, -0.5, -1.0]
    adder.label.value = -0.5
    adder.add(0.2, 0.3)
    assert pg.settings.dataset == "own" and pg.settings.task == "regression" and pg.trainer.y[-1] == -0.5
    X = np.random.default_rng(0).uniform(-1, 1, (30, 2))
    mine = P.playground(X, X[:, 0] * X[:, 1], task="regression", settings={"epochs": 3})
    assert mine.playground.settings.sizes[-1] == 1 and mine.playground.trainer.run().diverged is False
    with pytest.raises(ValueError, match="whole numbers"):
        P.playground(X, X[:, 0] * X[:, 1])  # real targets without task="regression": classes must be whole
