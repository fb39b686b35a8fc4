"""The vanishing-gradient lab (notebook 05): statistics at initialisation, the shipped
training table, and the explorer moved without a browser."""

import numpy as np
import pytest
from matplotlib.figure import Figure

import nnlite as nl
from nnlite.labs import vanishing as vg


@pytest.fixture(scope="module")
def table():
    return vg.load_training_table()


@pytest.fixture(scope="module")
def shared_panel(table):
    return vg.explorer(table=table)


@pytest.fixture()
def panel(shared_panel):
    """The explorer, moved back to its starting values: no test depends on another's moves."""
    for name, value in {"depth": 10, "lr": 0.1, "activation": "sigmoid", "init": "xavier"}.items():
        shared_panel.controls[name].value = value
    return shared_panel


# ------------------------------------------------------------------ statistics at initialisation

def test_deep_sigmoid_gradients_vanish_towards_the_input():
    stats = vg.init_stats(10, "sigmoid", "xavier")
    assert stats.grad_norms.shape == (11,) and stats.activation_std.shape == (10,)
    assert stats.first_to_last == pytest.approx(1.59e-6, rel=1e-2)
    assert np.all(np.diff(np.log(stats.grad_norms[:10])) > 0)  # every layer gets more than the one before
    assert vg.gradient_verdict(stats) == "vanishing"


def test_nielsen_pattern_with_three_sigmoid_layers():
    norms = vg.init_stats(3, "sigmoid", "xavier").grad_norms
    np.testing.assert_allclose(norms[:3], [0.0075, 0.0289, 0.1406], atol=1e-4)
    assert norms[0] < norms[2] / 5


def test_relu_he_keeps_gradients_and_activations_steady():
    stats = vg.init_stats(30, "relu", "he")
    assert stats.grad_norms.shape == (31,)
    assert 0.1 < stats.first_to_last < 10
    assert vg.gradient_verdict(stats) == "healthy"
    wide = vg.init_stats(30, "relu", "he", width=64)  # the notebook shows 128 units: 1.49
    assert wide.spread_ratio == pytest.approx(0.639, rel=1e-3)


@pytest.mark.parametrize("std, low, high", [(0.01, 0.0, 1e-20), (1.0, 1e20, np.inf)])
def test_a_poor_init_shrinks_or_blows_up_relu_activations(std, low, high):
    stats = vg.init_stats(30, "relu", "normal", width=64, std=std)
    assert low < stats.spread_ratio < high


def test_tanh_with_std_one_explodes_instead_of_vanishing():
    stats = vg.init_stats(20, "tanh", "normal")
    assert stats.first_to_last > 1e3
    assert vg.gradient_verdict(stats) == "exploding"


def test_relu_xavier_vanishes_all_together_which_the_verdict_sees():
    stats = vg.init_stats(30, "relu", "xavier")
    assert 0.1 < stats.first_to_last < 10  # the ratio alone looks fine...
    assert stats.grad_norms[0] < 1e-4  # ...but every layer's gradient is tiny
    assert vg.gradient_verdict(stats) == "vanishing"


def test_one_hidden_layer_ratio_is_one():
    stats = vg.init_stats(1, "relu", "he")
    assert stats.first_to_last == 1.0 and stats.spread_ratio == 1.0


def test_verdict_words_and_bad_input():
    assert vg.verdict(0.05) == "vanishing" and vg.verdict(1.0) == "healthy" and vg.verdict(50) == "exploding"
    assert vg.verdict(0.3, 0.5, 0.9, words=("a", "b", "c")) == "a"
    with pytest.raises(ValueError, match=r"ratio must be in \[0.0, inf\], got -1"):
        vg.verdict(-1.0)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"depth": 0, "activation": "relu", "init": "he"}, ValueError, "depth must be >= 1, got 0"),
    ({"depth": 2.5, "activation": "relu", "init": "he"}, TypeError, "depth must be an integer, got float 2.5"),
    ({"depth": 3, "activation": "gelu", "init": "he"}, ValueError, "activation must be one of 'sigmoid', 'tanh'"),
    ({"depth": 3, "activation": "relu", "init": "lecun"}, ValueError, "init must be one of 'normal', 'xavier', 'he'"),
], ids=["depth-zero", "depth-float", "activation", "init"])
def test_make_model_names_the_bad_parameter(kwargs, error, message):
    with pytest.raises(error, match=message):
        vg.make_model(**kwargs)


# ------------------------------------------------------------------ training curves and the table

def test_train_curve_starts_with_the_loss_at_initialisation():
    curve = vg.train_curve(3, "relu", "he", 0.1, epochs=2)
    assert curve.dtype == np.float32 and curve.shape == (3,)
    X, y = vg.lab_data()
    assert curve[0] == np.float32(nl.evaluate(vg.make_model(3, "relu", "he"), X, y)[0])
    assert curve[2] < curve[0]


def test_a_diverged_run_is_padded_with_nan():
    curve = vg.train_curve(30, "relu", "normal", 1.0, epochs=3)
    assert np.isfinite(curve[0]) and np.isnan(curve[1:]).all()
    assert vg.final_loss(curve) == (pytest.approx(float(curve[0])), 1)


def test_final_loss():
    assert vg.final_loss([0.7, 0.5, 0.3]) == (pytest.approx(0.3), None)
    assert vg.final_loss([0.7, 0.5, np.nan, np.nan]) == (pytest.approx(0.5), 2)
    with pytest.raises(ValueError, match="curve must be a 1-D array of at least 2 losses"):
        vg.final_loss([0.7])


def test_train_curve_rejects_a_bad_learning_rate():
    with pytest.raises(ValueError, match=r"lr must be in \(0.0, inf\], got -0.1"):
        vg.train_curve(2, "relu", "he", -0.1, epochs=1)


def test_shipped_table_has_the_lab_grid_and_is_small(table):
    assert table.loss.shape == (4, 3, 13, 7, vg.EPOCHS + 1) and table.loss.dtype == np.float32
    assert vg.TABLE_PATH.stat().st_size < 1_000_000
    assert np.isfinite(table.loss[..., 0]).all()  # every run has its loss at initialisation


@pytest.mark.parametrize("activation, init, depth, lr", [
    ("sigmoid", "xavier", 10, 0.1),  # the deep sigmoid net of the notebook: barely learns
    ("relu", "he", 10, 0.1),  # the ReLU + He net of the notebook: learns
    ("tanh", "normal", 3, 10**-1.5),
    ("relu", "normal", 12, 1.0),  # diverges in epoch 1: NaN after
])
def test_regenerating_entries_reproduces_the_table_exactly(table, activation, init, depth, lr):
    stored = table.curve(activation, init, depth, lr)
    np.testing.assert_array_equal(vg.train_curve(depth, activation, init, lr), stored)


def test_notebook_numbers_in_the_table(table):
    assert vg.final_loss(table.curve("sigmoid", "xavier", 10, 0.1))[0] > 0.69
    assert vg.final_loss(table.curve("relu", "he", 10, 0.1))[0] < 0.05
    # no learning rate rescues a deep sigmoid net with Xavier init
    assert min(vg.final_loss(row)[0] for row in table.all_lrs("sigmoid", "xavier", 20)) > 0.69


def test_table_lookup_errors(table):
    with pytest.raises(ValueError, match=r"lr must be one of the precomputed learning rates 0.001, 0.00316"):
        table.curve("relu", "he", 10, 0.05)
    with pytest.raises(ValueError, match=r"depth must be one of 1, 2, 3"):
        table.curve("relu", "he", 7, 0.1)
    with pytest.raises(ValueError, match="activation must be one of"):
        table.curve("gelu", "he", 10, 0.1)


def test_build_training_table_on_a_small_grid(tmp_path):
    path = tmp_path / "curves.npz"
    built = vg.build_training_table(path, depths=(1, 2), activations=("relu",), inits=("he",), log10_lrs=(-1.0,),
                                    epochs=2)
    assert built["loss"].shape == (1, 1, 2, 1, 3)
    with np.load(path) as saved:
        np.testing.assert_array_equal(saved["loss"], built["loss"])
        assert list(saved["depths"]) == [1, 2] and str(saved["activations"][0]) == "relu"
    np.testing.assert_array_equal(built["loss"][0, 0, 1, 0], vg.train_curve(2, "relu", "he", 0.1, epochs=2))
    with pytest.raises(ValueError, match="regenerate it with nnlite.labs.vanishing.build_training_table"):
        vg.load_training_table(path)  # a different grid than the lab's


def test_loading_checks_the_file(tmp_path, table):
    with pytest.raises(FileNotFoundError, match="build_training_table"):
        vg.load_training_table(tmp_path / "missing.npz")
    with np.load(vg.TABLE_PATH) as data:
        arrays = {key: data[key] for key in data.files}
    bad = tmp_path / "bad.npz"
    np.savez_compressed(bad, **{**arrays, "loss": arrays["loss"][:, :, :5]})
    with pytest.raises(ValueError, match=r"bad.npz must hold a float32 loss array of shape \(4, 3, 13, 7, 41\)"):
        vg.load_training_table(bad)
    np.savez_compressed(bad, **{key: value for key, value in arrays.items() if key != "log10_lrs"})
    with pytest.raises(ValueError, match="has no array 'log10_lrs'"):
        vg.load_training_table(bad)


def test_plot_slopes_draws_three_derivatives():
    ax = Figure().subplots()
    vg.plot_slopes(ax)
    assert [line.get_label() for line in ax.get_lines()[:3]] == ["sigmoid'(x)", "tanh'(x)", "relu'(x)"]
    assert max(ax.get_lines()[0].get_ydata()) == pytest.approx(0.25)


# ------------------------------------------------------------------ the explorer, without a browser

def test_explorer_starts_on_the_vanishing_sigmoid(panel):
    assert panel.error.value == ""
    assert panel.values() == {"depth": 10, "lr": pytest.approx(0.1), "activation": "sigmoid", "init": "xavier"}
    x, y = panel.view.grad_line.get_data()
    assert list(x) == list(range(1, 12)) and y[0] < 1e-5 * y[9]
    header, grad, spread, training = (c.value for c in panel.captions)
    assert header == "<b>10 hidden layers of 32 sigmoid units, Xavier init, learning rate 0.1</b>"
    assert "layer 1 gets 1.6e-06 &times; the gradient of layer 10" in grad and "<b>vanishing</b>" in grad
    assert "<b>steady</b>" in spread
    assert "loss 0.886 &rarr; 0.713 in 40 epochs" in training and "<b>barely learns</b>" in training


@pytest.mark.parametrize("name, value", [
    ("depth", 30), ("depth", 1), ("lr", 1.0), ("lr", 0.001), ("activation", "relu"), ("activation", "tanh"),
    ("activation", "leaky_relu"), ("init", "he"), ("init", "normal"),
])
def test_every_control_changes_the_picture(panel, name, value):
    before_image = panel.view.live.picture()
    before = (panel.view.grad_line.get_ydata().copy(), panel.view.spread_line.get_ydata().copy(),
              panel.view.loss_line.get_ydata().copy(), [c.value for c in panel.captions])
    panel.controls[name].value = value
    assert panel.error.value == ""
    assert panel.view.live.picture() != before_image
    after = (panel.view.grad_line.get_ydata(), panel.view.spread_line.get_ydata(),
             panel.view.loss_line.get_ydata(), [c.value for c in panel.captions])
    if name == "lr":  # only the training plot depends on the learning rate
        assert not np.array_equal(before[2], after[2]) and np.array_equal(before[0], after[0])
    else:
        assert not np.array_equal(before[0], after[0]) or not np.array_equal(before[1], after[1])
    assert before[3] != after[3]


def test_extremes_diverged_and_one_layer(panel):
    panel.controls["depth"].value = 30
    panel.controls["activation"].value = "relu"
    panel.controls["init"].value = "normal"
    panel.controls["lr"].value = 1.0
    assert panel.error.value == ""
    _, grad, spread, training = (c.value for c in panel.captions)
    assert "<b>diverged</b> in epoch 1" in training and list(panel.view.diverged_mark.get_xdata()) == [1]
    assert "<b>exploding</b>" in grad and "<b>blowing up</b>" in spread
    _, y = panel.view.grad_line.get_data()
    assert y.max() <= vg.GRAD_LIMITS[1]  # clipped to the fixed axis, never outside it
    panel.controls["depth"].value = 1
    panel.controls["lr"].value = 0.001
    assert panel.error.value == ""
    assert len(panel.view.grad_line.get_xdata()) == 2 and len(panel.view.diverged_mark.get_xdata()) == 0
    assert "1 hidden layer of 32 relu units" in panel.captions[0].value
    assert "in 40 epochs" in panel.captions[3].value


def test_captions_in_words():
    stats = vg.init_stats(20, "tanh", "normal")
    curve = np.array([3.0, 1.0, 0.2], dtype=np.float32)
    header, grad, spread, training = vg.captions("tanh", "normal", 20, 0.01, stats, curve)
    assert header == "<b>20 hidden layers of 32 tanh units, normal (std 1) init, learning rate 0.01</b>"
    assert grad.endswith("&rarr; <b>exploding</b>") and "1.5e+04 &times; the gradient of layer 20" in grad
    assert "<b>learns</b>" in training
    curve = np.array([0.7, 0.69, np.nan], dtype=np.float32)
    assert vg.captions("tanh", "normal", 20, 1.0, stats, curve)[3].startswith("<b>diverged</b> in epoch 2")
    one = vg.init_stats(1, "sigmoid", "he")
    assert vg.captions("sigmoid", "he", 1, 0.1, one, np.array([0.8, 0.75]))[3].endswith("<b>barely learns</b>")


def test_relu_he_hides_its_own_reference(panel):
    panel.controls["activation"].value = "relu"
    panel.controls["init"].value = "he"
    assert not panel.view.grad_ref.get_visible()
    panel.controls["init"].value = "xavier"
    assert panel.view.grad_ref.get_visible()


def test_a_move_never_trains(panel, monkeypatch):
    def no_training(*args, **kwargs):
        raise AssertionError("a control move trained a network")

    monkeypatch.setattr(vg, "fit", no_training)
    monkeypatch.setattr(vg, "train_curve", no_training)
    monkeypatch.setattr(vg, "init_stats", no_training)  # and never computes statistics: all precomputed
    for depth in (1, 30):
        for activation in vg.ACTIVATIONS:
            for init in vg.INITS:
                panel.controls["depth"].value = depth
                panel.controls["activation"].value = activation
                panel.controls["init"].value = init
                assert panel.error.value == ""


def test_explorer_reports_a_bad_lr_in_words(panel):
    panel.controls["lr"].value = 0.05  # between two precomputed learning rates
    assert "lr must be one of the precomputed learning rates" in panel.error.value
    panel.controls["lr"].value = 1.0
    assert panel.error.value == ""
