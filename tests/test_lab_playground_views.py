"""Notebook 07's views, each on its own: they draw a Trainer's run as it is now."""

import numpy as np
import pytest

from nnlite import colors, viz
from nnlite.labs import playground as P


@pytest.mark.parametrize("activation", ["relu", "gelu", "sigmoid"])
def test_float32_grid_gives_the_picture_of_the_float64_model(activation):
    trainer = P.run(epochs=30, activation=activation)
    view = P.RegionsView(resolution=60)
    view.set_data(trainer)
    probs32 = P.grid_probabilities(trainer.model, view.points, 60)
    probs64, extent = viz.decision_grid(trainer.model, trainer.X, resolution=60)
    assert extent == view.extent and probs32.shape == probs64.shape == (60, 60, 3)
    assert np.abs(probs32 - probs64).max() < 1e-4
    assert np.mean(probs32.argmax(-1) == probs64.argmax(-1)) > 0.999


def test_regions_view_shows_the_points_and_the_regions_of_the_run():
    trainer = P.Trainer(P.Settings(dataset="blobs", epochs=3))
    view = P.RegionsView(resolution=20)
    view.set_data(trainer)
    for k, line in enumerate(view.points_lines["train"]):
        assert np.array_equal(line.get_xydata(), trainer.X_train[trainer.y_train == k])
    for k, line in enumerate(view.points_lines["validation"]):  # and no test point: those are kept for the end
        assert np.array_equal(line.get_xydata(), trainer.X_val[trainer.y_val == k])
    view.show(trainer)
    before = view.image.get_array().copy()
    trainer.run()
    view.show(trainer)
    assert view.image.get_array().shape == (20, 20, 3) and not np.array_equal(before, view.image.get_array())


def test_classes_differ_by_shape_as_well_as_colour_and_sets_by_their_fill():
    view = P.RegionsView(resolution=20)
    view.set_data(P.Trainer(P.Settings(dataset="blobs", epochs=3)))
    for part in ("train", "validation"):
        lines = view.points_lines[part][:3]  # a line for each of up to 10 classes (your own points); blobs has 3
        assert [line.get_marker() for line in lines] == colors.MARKERS[:3]  # a shape per class: o, s, ^
        outline = colors.rgb([line.get_markeredgecolor() for line in lines])
        fill = [line.get_markerfacecolor() for line in lines]
        if part == "train":  # filled in the class colour
            assert np.allclose(colors.rgb(fill), colors.rgb(viz.PALETTE[:3]))
        else:  # hollow: the class colour is the outline
            assert all(f == "none" for f in fill) and np.allclose(outline, colors.rgb(viz.PALETTE[:3]))
    legend = [t.get_text() for t in view.live.fig.legends[0].get_texts()]
    assert legend == ["train (filled)", "validation (hollow)"]  # the key says what the fill means


def test_loss_view_draws_loss_and_accuracy_and_says_divergence():
    view = P.LossView()
    trainer = P.run(epochs=3)
    view.set_epochs(3)
    view.show(trainer)
    assert set(view.lines) == set(trainer.curves)
    for key, line in view.lines.items():
        assert np.array_equal(line.get_xdata(), [0, 1, 2, 3]) and line.get_marker() == "o"
        assert np.array_equal(line.get_ydata(), trainer.curves[key])
    assert view.lines["val_accuracy"].axes is view.axes[1] and view.lines["val_loss"].axes is view.axes[0]
    assert not view.diverged_text.get_visible()
    view.show(P.run(dataset="moons", hidden=(32,) * 6, lr=1.0, epochs=20))
    assert view.diverged_text.get_visible()


def test_the_same_number_of_epochs_leaves_the_loss_axis_as_it_was():
    # a move of any other control sets the epochs again: new limits would write every artist anew
    view = P.LossView()
    moved = []
    view.ax.callbacks.connect("xlim_changed", lambda ax: moved.append(ax.get_xlim()))
    view.set_epochs(200)
    view.live.redraw()
    view.set_epochs(200)
    assert moved == [(0, 200)] and not any(label.stale for label in view.tick_labels)
    view.set_epochs(300)
    assert moved == [(0, 200), (0, 300)] and [label.get_text() for label in view.tick_labels] == ["0", "150", "300"] * 2


def test_layers_view_shows_hidden_layer_gradients_and_units_off():
    view = P.LayersView()
    trainer = P.Trainer(P.Settings(hidden=(8, 8, 8), epochs=2, lr=1.0))
    view.show(trainer)
    assert np.array_equal(view.start_grad.get_xdata(), [1, 2, 3]) and len(view.grad_line.get_xdata()) == 0
    np.testing.assert_allclose(view.start_grad.get_ydata(), trainer.start_grad_norms[:3])  # not the output layer
    trainer.run()
    view.show(trainer)
    np.testing.assert_allclose(view.grad_line.get_ydata(), trainer.grad_norms()[:3])
    off = trainer.off_fraction()
    assert [bar.get_height() for bar in view.bars] == [*off, 0.0, 0.0, 0.0] and off.any()
    assert not view.no_hidden.get_visible() and not view.no_hidden_grad.get_visible()
    view.show(P.Trainer(P.Settings(hidden=())))
    assert view.no_hidden.get_visible() and view.no_hidden_grad.get_visible()
    assert all(bar.get_height() == 0 for bar in view.bars) and len(view.start_grad.get_xdata()) == 0


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "identity"])
def test_units_off_are_not_drawn_for_an_activation_without_an_off_side(activation):
    """For tanh, sigmoid and identity z <= 0 is not off (the unit passes a gradient back): the view says so in
    words and draws no bars, where it once drew a share that the notebook then told students not to read."""
    view = P.LayersView()
    trainer = P.Trainer(P.Settings(hidden=(8, 8), activation=activation, epochs=2, lr=1.0, seed=3))
    trainer.run()
    view.show(trainer)
    assert all(bar.get_height() == alive.get_height() == 0 for bar, alive in zip(view.bars, view.alive, strict=True))
    assert view.no_off_side.get_visible() and f"{activation} has no off side" in view.no_off_side.get_text()
    assert not view.no_hidden.get_visible() and f"{activation} has no off side" in view.dead_live.text
    view.show(P.Trainer(P.Settings(hidden=(8, 8), activation="relu", epochs=2, lr=1.0, seed=3)).run())
    assert not view.no_off_side.get_visible() and view.alive[0].get_height() > 0  # ReLU's bars come back


@pytest.mark.parametrize("figsize", [(5.0, 1.9), (3.4, 1.9)])  # as made, and as drawn beside the network view
def test_the_units_off_key_never_covers_a_full_bar(figsize):
    view = P.LayersView()
    view.resize(figsize)
    fig = view.dead_live.fig
    fig.canvas.draw()
    ax = fig.axes[0]
    key = ax.get_legend().get_window_extent()
    top_of_a_full_bar = ax.transData.transform((1, 1.0))[1]
    assert key.y0 > top_of_a_full_bar  # display coordinates: y grows upwards
