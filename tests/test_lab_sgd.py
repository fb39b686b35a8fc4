"""Notebook 01's lab: the SGD walk on a line's loss surface, and its panel."""

import numpy as np
import pytest

from nnlite.labs import sgd


@pytest.fixture(scope="module")
def data():
    return sgd.make_line_data(64, seed=0)


def test_gradient_formula_matches_one_full_batch_step(data):
    x, y = data
    result = sgd.sgd_path(x, y, lr=0.1, batch_size=64, epochs=1)
    r = -2.0 * x + 3.0 - y
    expected = (-2.0 - 0.1 * 2 * np.mean(r * x), 3.0 - 0.1 * 2 * np.mean(r))
    assert np.allclose(result["path"][1], expected)
    assert result["loss"][0] == pytest.approx(np.mean(r**2))


def test_small_learning_rate_converges_large_one_diverges(data):
    x, y = data
    w, b = sgd.best_fit(x, y)
    good = sgd.sgd_path(x, y, lr=0.1, batch_size=64, epochs=200)
    assert np.allclose(good["path"][-1], (w, b), atol=1e-4) and good["diverged"] is None
    bad = sgd.sgd_path(x, y, lr=0.4, batch_size=64, epochs=30)
    assert bad["diverged"] == 12


def test_path_length_is_epochs_times_steps_per_epoch(data):
    x, y = data
    for batch_size, per_epoch in [(1, 64), (10, 7), (64, 1)]:
        assert sgd.steps_per_epoch(64, batch_size) == per_epoch
        assert len(sgd.sgd_path(x, y, 0.01, batch_size, epochs=3)["path"]) == 3 * per_epoch + 1


def test_same_seed_same_walk_other_seed_other_walk(data):
    x, y = data
    a, b, c = (sgd.sgd_path(x, y, 0.05, 4, 2, seed=s)["path"] for s in (0, 0, 1))
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_uphill_fraction():
    assert sgd.uphill_fraction([3, 2, 1]) == 0.0
    assert sgd.uphill_fraction([1, 2, 1, 2]) == pytest.approx(2 / 3)


def test_bad_input_names_the_parameter(data):
    x, y = data
    with pytest.raises(ValueError, match="lr"):
        sgd.sgd_path(x, y, lr=0, batch_size=8, epochs=1)
    with pytest.raises(ValueError, match="batch_size"):
        sgd.sgd_path(x, y, lr=0.1, batch_size=0, epochs=1)
    with pytest.raises(ValueError, match="y must have the same length"):
        sgd.sgd_path(x, y[:3], lr=0.1, batch_size=8, epochs=1)


def test_explorer_every_control_changes_the_picture_and_text():
    panel = sgd.explorer()
    figure = panel.widget.children[-2]  # the LiveFigure's widget: its JPEG and the SVG over it
    summary = panel.widget.children[-3]

    def picture():
        return bytes(figure.children[0].value) + figure.children[1].value.encode()

    for name, value in [("epochs", 10), ("batch_size", 1), ("lr", 0.05), ("lr", 0.001)]:
        before_picture, before_text = picture(), summary.value
        panel.controls[name].value = value
        assert panel.error.value == ""
        assert picture() != before_picture, f"moving {name} did not change the figure"
        if name != "lr":
            assert summary.value != before_text
    assert "640 steps" in summary.value


def test_explorer_shows_divergence_in_words_not_a_traceback():
    panel = sgd.explorer()
    panel.controls["batch_size"].value = 64
    panel.controls["lr"].value = 1.0
    assert panel.error.value == "" and "diverged" in panel.widget.children[-3].value
