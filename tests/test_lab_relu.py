"""Notebook 04's lab: ReLU units, interactions, sums of shifted ReLUs, trained kinks and layering."""

import numpy as np
import pytest

import nnlite as nl
from nnlite.labs import relu


def test_relu_and_its_derivative():
    x = np.array([-2.0, 0.0, 0.5, 3.0])
    assert np.array_equal(relu.relu(x), [0.0, 0.0, 0.5, 3.0])
    assert np.array_equal(relu.relu_derivative(x), [0.0, 0.0, 1.0, 1.0])


def test_unit_output_and_kink_position():
    assert relu.relu_unit(3.0, 1.0, 0.5, -1.0, 0.2) == pytest.approx(0.7)
    assert relu.relu_unit(1.0, 2.0, 0.5, -1.0, 0.2) == 0.0
    assert relu.kink_position(2.0, -3.0) == 1.5
    assert relu.kink_position(-0.5, 1.0) == 2.0
    assert str(relu.kink_position(1.0, 0.0)) == "0.0"  # not "-0.0"
    with pytest.raises(ValueError, match="w must not be 0"):
        relu.kink_position(0.0, 1.0)
    with pytest.raises(TypeError, match="w1 must be a finite number"):
        relu.relu_unit(1.0, 1.0, "big", 1.0, 0.0)


def test_interaction_slopes_depend_on_x2_only_with_a_kink_inside():
    slopes = [relu.average_slope_x1(1.0, 2.0, -3.0, v) for v in (0.0, 1.0, 2.0)]
    assert slopes == pytest.approx([0.0, 0.5, 1.0])
    always_on = [relu.average_slope_x1(1.0, 2.0, 0.5, v) for v in (0.0, 1.0, 2.0)]
    assert always_on == pytest.approx([1.0, 1.0, 1.0])
    assert "an interaction" in relu.describe_interaction(1.0, 2.0, -3.0)
    assert "no interaction" in relu.describe_interaction(1.0, 2.0, 0.5)
    assert "cooperate" in relu.describe_interaction(1.0, 2.0, -3.0)
    assert "oppose" in relu.describe_interaction(1.0, -2.0, 1.0)


def test_interaction_grid_rows_are_x2_and_columns_x1():
    x1, x2, out = relu.interaction_grid(1.0, 2.0, -3.0, n=5)
    assert out.shape == (5, 5)
    assert out[0, -1] == 0.0  # x2 = 0, x1 = 2: 2 - 3 < 0
    assert out[-1, -1] == pytest.approx(3.0)  # x2 = 2, x1 = 2: 2 + 4 - 3
    with pytest.raises(ValueError, match="n must be >= 2"):
        relu.interaction_grid(1.0, 2.0, -3.0, n=1)


def test_kink_segment_clips_the_line_to_the_square():
    xs, ys = relu.kink_segment(1.0, 2.0, -3.0)
    assert np.allclose(xs, [0.0, 2.0]) and np.allclose(ys, [1.5, 0.5])
    assert np.allclose(1.0 * xs + 2.0 * ys - 3.0, 0.0)
    xs, ys = relu.kink_segment(1.0, 0.0, -1.0)  # vertical line x1 = 1
    assert np.allclose(xs, [1.0, 1.0]) and np.allclose(ys, [0.0, 2.0])
    assert relu.kink_segment(1.0, 2.0, 5.0)[0].size == 0  # misses the square
    assert relu.kink_segment(0.0, 0.0, 1.0)[0].size == 0


def test_relu_sum_and_its_text():
    x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
    y = relu.relu_sum(x, [-2.0, 0.0, 2.0], [0.5, -1.0, 0.5])
    assert np.allclose(y, [0.0, 0.5, 1.0, 0.5, 0.0])
    assert relu.relu_sum_text([-2.0, 0.0, 2.0], [0.5, -1.0, 0.5]) == "0.5·relu(x + 2) - 1.0·relu(x) + 0.5·relu(x - 2)"
    assert relu.linear_text(-0.5, 1.0) == "-0.5x + 1" and relu.linear_text(1.0, 0.0) == "x"
    with pytest.raises(ValueError, match="slopes must have one entry per position"):
        relu.relu_sum(x, [0.0, 1.0], [1.0])


def test_bump_numbers_the_notebook_teaches():
    x, y = relu.bump_data()
    w, b, error = relu.best_line(x, y)
    assert w == 0.0 and error == pytest.approx(0.4853, abs=1e-4)
    assert relu.mse(relu.relu_sum(x, [-2.0, 0.0, 2.0], [0.5, -1.0, 0.5]), y) == pytest.approx(0.2071, abs=1e-4)
    assert relu.mse(relu.relu_sum(x, [-1.5, 0.0, 1.5], [1.4, -2.8, 1.4]), y) < 0.01
    with pytest.raises(ValueError, match="target must have the same shape"):
        relu.mse(np.zeros(3), np.zeros(4))


def test_network_kinks_are_minus_scale_b_over_w():
    model = nl.MLP([1, 3, 1], seed=0)
    model.layers[0].W[:] = [[1.0, -2.0, 0.0]]
    model.layers[0].b[:] = [0.5, 1.0, 1.0]
    assert np.allclose(relu.network_kinks(model), [-1.5, 1.5])  # -3*0.5/1 and -3*1/-2; w = 0 has none
    assert relu.network_kinks(model, lo=0.0, hi=3.0).tolist() == [1.5]
    with pytest.raises(ValueError, match="one hidden layer"):
        relu.network_kinks(nl.MLP([1, 3, 3, 1], seed=0))


def test_more_units_fit_the_bump_better():
    x, y = relu.bump_data(61)
    fits = relu.fit_relu_nets(x, y, hidden=(1, 8), seeds=(0, 1), epochs=150)
    assert set(fits) == {1, 8}
    assert fits[8]["mse"] < fits[1]["mse"] < 0.4853
    assert len(fits[1]["kinks"]) <= 1 and len(fits[8]["kinks"]) <= 8
    assert fits[8]["mse"] == min(fits[8]["all_mse"])
    with pytest.raises(ValueError, match="y must have the same length as x"):
        relu.fit_relu_nets(x, y[:5])


def test_tent_network_doubles_the_pieces_and_random_nets_are_counted():
    for depth in (1, 2, 3, 6):
        assert len(relu.linear_pieces(relu.tent_network(depth), 0.0, 1.0)) + 1 == 2**depth
    x = np.array([[0.1], [0.3], [0.5], [0.8]])
    assert np.allclose(relu.tent_network(1).forward(x)[:, 0], [0.2, 0.6, 1.0, 0.4])
    assert np.allclose(relu.tent_network(2).forward(x)[:, 0], [0.4, 0.8, 0.0, 0.8])
    one_layer = relu.random_relu_net(1, 4, seed=2)
    kinks = np.sort(-one_layer.layers[0].b / one_layer.layers[0].W[0])
    inside = kinks[(kinks > -3) & (kinks < 3)]
    assert np.allclose(relu.linear_pieces(one_layer, -3.0, 3.0), inside, atol=1e-3)
    with pytest.raises(ValueError, match="hi must be larger than lo"):
        relu.linear_pieces(one_layer, 1.0, 1.0)


def _png(panel):
    return panel.view.live.picture()


def test_interaction_explorer_every_control_changes_the_picture():
    panel = relu.interaction_explorer()
    assert panel.error.value == "" and "0.50 at x2=1" in panel.summary.value
    for name, value in [("w1", -2.0), ("w2", -1.5), ("b", 6.0), ("w2", 2.0), ("w1", 2.0), ("b", -6.0)]:
        before_png, before_lines = _png(panel), [line.get_ydata().copy() for line in panel.view.lines]
        panel.controls[name].value = value
        assert panel.error.value == ""
        assert _png(panel) != before_png, f"moving {name} did not change the figure"
        after_lines = [line.get_ydata() for line in panel.view.lines]
        assert any(not np.array_equal(a, b) for a, b in zip(before_lines, after_lines, strict=True))
    assert "relu(2.0·x1 + 2.0·x2 - 6.0)" in panel.summary.value


def test_interaction_explorer_at_the_extremes_says_when_lines_leave_the_picture():
    panel = relu.interaction_explorer()
    panel.controls["w1"].value = 2.0
    panel.controls["w2"].value = 2.0
    panel.controls["b"].value = 6.0
    assert panel.error.value == "" and "run off the top" in panel.summary.value
    assert panel.view.kink_line.get_xdata().size == 0  # the kink line left the square
    panel.controls["b"].value = -6.0
    assert "run off" not in panel.summary.value and panel.view.image.get_array().max() == pytest.approx(2.0)


def test_sum_explorer_reports_the_mse_and_every_control_moves_the_curve():
    panel = relu.sum_explorer()
    assert "MSE 0.2071" in panel.summary.value
    for name, value in [("p1", -1.5), ("a1", 1.4), ("p2", 0.1), ("a2", -2.8), ("p3", 1.5), ("a3", 1.4), ("p2", 0.0)]:
        before_png, before = _png(panel), panel.view.curve.get_ydata().copy()
        panel.controls[name].value = value
        assert panel.error.value == ""
        assert _png(panel) != before_png and not np.array_equal(before, panel.view.curve.get_ydata())
    assert "below 0.01" in panel.summary.value and "&#127881;" in panel.summary.value
    panel.controls["p1"].value = 3.0
    panel.controls["a1"].value = -4.0
    assert panel.error.value == ""


@pytest.fixture(scope="module")
def small_fits():
    x, y = relu.bump_data(61)
    return relu.fit_relu_nets(x, y, hidden=(2, 4), seeds=(0,), epochs=20), x, y


def test_units_explorer_switches_between_precomputed_networks(small_fits):
    fits, x, y = small_fits
    panel = relu.units_explorer(fits, x, y)
    assert "<b>2 hidden units</b>" in panel.summary.value
    before_png, before = _png(panel), panel.view.curve.get_ydata().copy()
    panel.controls["hidden"].value = 4
    assert panel.error.value == "" and "<b>4 hidden units</b>" in panel.summary.value
    assert _png(panel) != before_png and not np.array_equal(before, panel.view.curve.get_ydata())
    assert len(panel.view.kink_marks.get_xdata()) == len(fits[4]["kinks"])
    with pytest.raises(ValueError, match="fits must hold"):
        relu.units_explorer({})
