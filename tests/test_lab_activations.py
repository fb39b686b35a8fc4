"""Notebook 06's lab: Leaky ReLU, dying ReLU runs, the fair comparison and the two panels."""

import numpy as np
import pytest

import nnlite as nl
from nnlite.labs import activations_lab as lab


def test_leaky_relu_and_its_derivative():
    x = np.array([-3.0, -1.0, 0.0, 2.0])
    assert np.allclose(lab.leaky_relu(x, 0.1), [-0.3, -0.1, 0.0, 2.0])
    assert np.allclose(lab.leaky_relu_derivative(x, 0.1), [0.1, 0.1, 0.1, 1.0])
    assert np.allclose(lab.leaky_relu(x, 0.0), nl.ReLU().forward(x))
    assert np.allclose(lab.leaky_relu(x, 0.2), nl.LeakyReLU(0.2).forward(x))
    with pytest.raises(ValueError, match=r"alpha must be in \[0.0, 1.0\)"):
        lab.leaky_relu(x, 1.0)


def test_make_activation_and_label():
    assert isinstance(lab.make_activation("gelu"), nl.GELU)
    assert lab.make_activation("leaky_relu", 0.3).alpha == 0.3
    assert lab.label("leaky_relu", 0.1) == "Leaky ReLU (α=0.1)" and lab.label("silu") == "SiLU (swish)"
    with pytest.raises(ValueError, match="alpha must be given"):
        lab.make_activation("leaky_relu")
    with pytest.raises(ValueError, match="name must be one of"):
        lab.make_activation("sigmoid")


def _with_a_switched_off_unit(activation):
    model = nl.MLP([2, 3, 2], activation=activation, seed=0)
    model.layers[0].b[1] = -100.0  # z < 0 for every input near the origin
    X, y = nl.datasets.blobs(n=30, noise=0.3, seed=0)
    return model, X, y % 2


def test_a_dead_relu_unit_gets_exactly_zero_gradient_a_leaky_one_does_not():
    model, X, y = _with_a_switched_off_unit("relu")
    off = lab.off_everywhere(model, X)
    assert off[0].tolist() == [False, True, False]
    assert model.dead_fraction(X)[0] == pytest.approx(1 / 3)
    assert lab.unit_gradients(model, X, y)[0][1] == 0.0
    leaky, X, y = _with_a_switched_off_unit(nl.LeakyReLU(0.1))
    assert lab.off_everywhere(leaky, X)[0][1] and leaky.dead_fraction(X)[0] == 0.0
    assert lab.unit_gradients(leaky, X, y)[0][1] > 0.0
    assert lab.off_unit_gradients(leaky, X, y).tolist() == [lab.unit_gradients(leaky, X, y)[0][1]]
    assert np.all(leaky.layers[0].dW == 0.0)  # unit_gradients leaves no gradient behind


def test_train_run_is_cached_records_every_epoch_and_alpha_zero_is_relu():
    run = lab.train_run("relu", lr=0.3, seed=0, epochs=3)
    assert lab.train_run("relu", lr=0.3, seed=0, epochs=3) is run
    assert lab.train_run("leaky_relu", alpha=0.0, lr=0.3, seed=0, epochs=3) is run
    assert len(run.loss) == 3 and len(run.off) == len(run.dead) == 4 and run.dead_layers.shape == (4, 3)
    leaky = lab.train_run("leaky_relu", alpha=0.1, lr=0.3, seed=0, epochs=3)
    assert np.all(leaky.dead == 0.0) and not leaky.diverged
    with pytest.raises(ValueError, match="lr must be in"):
        lab.train_run("relu", lr=0.0)
    with pytest.raises(ValueError, match="name must be one of"):
        lab.train_run("tanh")


def test_dying_relu_at_a_high_learning_rate_and_leaky_relu_survives():
    relu_run = lab.train_run("relu", lr=1.0, seed=0)
    leaky_run = lab.train_run("leaky_relu", alpha=0.1, lr=1.0, seed=0)
    assert relu_run.dead[-1] > 0.4 and leaky_run.dead[-1] == 0.0
    assert leaky_run.final_accuracy == 1.0 and relu_run.final_accuracy < 0.7
    assert np.all(np.diff(relu_run.dead_layers[:, 0]) >= 0)  # the first layer never revives
    assert np.allclose(relu_run.dead_layers[-1], relu_run.model.dead_fraction(lab.dying_data()[0]))


def test_compare_activations_changes_only_the_activation():
    rows = lab.compare_activations(seeds=(0, 1), settings={"epochs": 2})
    assert [r["name"] for r in rows] == ["relu", "leaky_relu", "gelu", "silu"]
    for r in rows:
        assert r["train_loss"].shape == (2,) and r["mean_train_loss"] == pytest.approx(r["train_loss"].mean())
        assert 0.0 <= r["mean_test_accuracy"] <= 1.0
    assert rows[0]["train_loss"][0] != rows[3]["train_loss"][0]
    table = lab.format_comparison(rows).splitlines()
    assert len(table) == 6 and table[2].startswith("ReLU") and "Leaky ReLU (α=0.1)" in table[3]


def _png(panel):
    return panel.view.live.picture()


def test_leaky_explorer_follows_alpha_to_both_ends():
    panel = lab.leaky_explorer()
    assert "f(-3) = -0.30" in panel.summary.value
    for alpha in (0.0, 0.5, 0.25):
        before_png, before = _png(panel), panel.view.f_line.get_ydata().copy()
        panel.controls["alpha"].value = alpha
        assert panel.error.value == ""
        assert _png(panel) != before_png and not np.array_equal(before, panel.view.f_line.get_ydata())
        assert np.allclose(panel.view.d_line.get_ydata()[0], alpha)
    panel.controls["alpha"].value = 0.0
    assert "plain ReLU" in panel.summary.value


@pytest.fixture(scope="module")
def small_runs():
    return lab.precompute_panel_runs(lrs=(0.3, 1.0), alphas=(0.0, 0.1), epochs=3)


def test_training_explorer_every_control_changes_the_picture(small_runs):
    panel = lab.training_explorer(small_runs)
    assert panel.error.value == "" and "Leaky ReLU (α=0.1), lr=1" in panel.summary.value
    for name, value in [("lr", 0.3), ("alpha", 0.0), ("name", "gelu"), ("name", "silu"), ("name", "relu"),
                        ("lr", 1.0)]:
        before_png, before_text = _png(panel), panel.summary.value
        panel.controls[name].value = value
        assert panel.error.value == ""
        assert _png(panel) != before_png, f"moving {name} to {value} did not change the figure"
        assert panel.summary.value != before_text
    assert panel.controls["alpha"].disabled and "dead" in panel.summary.value
    panel.controls["name"].value = "leaky_relu"
    assert not panel.controls["alpha"].disabled


def test_training_explorer_says_in_words_when_a_run_is_missing_or_diverged(small_runs):
    runs = dict(small_runs)
    del runs[("gelu", None, 0.3)]
    panel = lab.training_explorer(runs)
    panel.controls["lr"].value = 0.3
    panel.controls["name"].value = "gelu"
    assert "no precomputed run for GELU" in panel.error.value
    with pytest.raises(ValueError, match="runs must hold Leaky ReLU runs"):
        lab.training_explorer({("relu", None, 0.3): small_runs[("relu", None, 0.3)]})
    diverged = lab.train_run("leaky_relu", alpha=0.3, lr=1.0, seed=0, epochs=40)
    assert diverged.diverged and "diverged" in lab.describe_run(diverged)
