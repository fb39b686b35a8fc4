"""Notebook 01's lab: the SGD walk on a line's loss surface, and its panel."""

import warnings

import numpy as np
import pytest

import nnlite as nl
from nnlite.exercises import NumberExercise
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
    assert bad["diverged"] == 12 and len(bad["path"]) == len(bad["loss"]) == 13  # the walk ends where it blew up


def test_a_walk_stops_at_its_first_blow_up_and_nowhere_else(data):
    x, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a huge learning rate overflows: no warning reaches the student
        for lr, batch_size, epochs in [(0.4, 64, 30), (0.5, 8, 10), (1.0, 1, 10), (50.0, 1, 10)]:
            run = sgd.sgd_path(x, y, lr, batch_size, epochs)
            loss, end = run["loss"], run["diverged"]
            assert end == len(loss) - 1 == len(run["path"]) - 1
            assert not loss[end] < 100 * loss[0] and (loss[:end] < 100 * loss[0]).all()
    # a walk that starts on the bottom of a noise-free line stays there: a loss of 0 is not a blow-up
    exact = sgd.sgd_path([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], lr=0.1, batch_size=1, epochs=3, start=(2.0, 1.0))
    assert exact["diverged"] is None and len(exact["path"]) == 10 and (exact["loss"] == 0).all()


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
    summary, figure = panel.views  # the line of text and the live figure(s) under it

    def picture(widget=figure):  # every image and SVG overlay under the figure's widget, as bytes
        if hasattr(widget, "children"):
            return b"".join(picture(child) for child in widget.children)
        value = widget.value
        return bytes(value) if isinstance(value, (bytes, memoryview)) else str(value).encode()

    for name, value in [("epochs", 10), ("batch_size", 1), ("lr", 0.03), ("lr", 0.001)]:
        before_picture, before_text = picture(), summary.value
        panel.controls[name].value = value
        assert panel.error.value == ""
        assert picture() != before_picture, f"moving {name} did not change the figure"
        if name != "lr":
            assert summary.value != before_text
    assert "640 steps" in summary.value


def test_explorer_offers_the_learning_rates_the_notebook_names(data):
    x, y = data
    options = sgd.explorer().controls["lr"].options  # (label, value) pairs
    values = [value for _, value in options]
    assert {0.001, 0.1, 0.3, 0.35, 0.4, 1.0} <= set(values) and values == sorted(values)
    limit = 2 / np.linalg.eigvalsh(2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])).max()
    assert 0.35 < limit < 0.4  # so 0.35 bounces and 0.4 explodes, as the notebook and the guide say


def test_explorer_shows_divergence_in_words_not_a_traceback():
    panel = sgd.explorer()
    panel.controls["batch_size"].value = 64
    panel.controls["lr"].value = 1.0
    assert panel.error.value == "" and "diverged" in panel.views[0].value


# --- the learning-rate limit, in one dimension and on the line -----------------------------------

def test_parabola_walk_multiplies_by_one_minus_lr_a_and_diverges_past_two_over_a():
    a = 4.0
    for lr in (0.125, 0.25, 0.375, 0.5, 0.625):
        w = sgd.parabola_walk(a, lr, w0=1.0, steps=5)
        assert np.array_equal(w, (1 - lr * a) ** np.arange(6))  # exact: powers of two
    assert abs(sgd.parabola_walk(a, 0.49, steps=200)[-1]) < 1e-3
    assert abs(sgd.parabola_walk(a, 0.51, steps=200)[-1]) > 1e3
    with pytest.raises(ValueError, match="a"):
        sgd.parabola_walk(0, 0.1)
    with pytest.raises(ValueError, match="lr"):
        sgd.parabola_walk(1.0, -0.1)


def test_the_line_limit_is_two_over_the_largest_hessian_eigenvalue(data):
    x, y = data
    hessian = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    limit = 2 / np.linalg.eigvalsh(hessian).max()
    assert sgd.sgd_path(x, y, 0.98 * limit, batch_size=64, epochs=400)["diverged"] is None
    assert sgd.sgd_path(x, y, 1.02 * limit, batch_size=64, epochs=400)["diverged"] is not None


def test_loss_curves_have_their_four_shapes_on_every_seed(data):
    x, y = data
    curves = sgd.learning_rate_curves(x, y, [0.01, 0.1, 0.3, 0.5], batch_size=8, epochs=10, seeds=range(10))
    assert all(sgd.uphill_fraction(loss) == 0 and loss[-1] > 2 for loss in curves[0.01])  # low: slow, steady
    assert all(loss[-1] < 0.3 for loss in curves[0.1])  # good
    first_below_1 = {lr: [int(np.argmax(loss < 1)) for loss in curves[lr]] for lr in (0.1, 0.3)}
    assert max(first_below_1[0.3]) < min(first_below_1[0.1])  # high: falls faster than good...
    assert min(loss[-8:].mean() for loss in curves[0.3]) > max(loss[-8:].mean() for loss in curves[0.1])  # ...stalls
    assert all(np.any(loss[:9] > 100 * loss[0]) for loss in curves[0.5])  # very high: blows up


def test_standardising_the_input_makes_the_bowl_round(data):
    x, y = data
    z = (x - x.mean()) / x.std()
    hessian = 2 * np.array([[np.mean(z * z), np.mean(z)], [np.mean(z), 1.0]])
    np.testing.assert_allclose(hessian, 2 * np.eye(2), rtol=0, atol=1e-12)
    w, b = sgd.best_fit(x, y)
    start = (sgd.START[0] * x.std(), sgd.START[1] + sgd.START[0] * x.mean())  # the same line, in z's numbers
    one_step = sgd.sgd_path(z, y, lr=0.5, batch_size=64, epochs=1, start=start)
    np.testing.assert_allclose(one_step["path"][1], sgd.best_fit(z, y), rtol=0, atol=1e-12)  # 1 - 0.5 x 2 = 0
    assert one_step["loss"][0] == pytest.approx(sgd.sgd_path(x, y, 0.1, 64, 0)["loss"][0], rel=1e-12)
    assert sgd.sgd_path(z, y, lr=0.99, batch_size=64, epochs=400, start=start)["diverged"] is None
    assert sgd.sgd_path(x, y, lr=0.5, batch_size=64, epochs=400)["diverged"] is not None


def test_full_batch_wins_per_update_small_batches_win_per_epoch(data):
    x, y = data
    best = float(np.mean((np.polyval(np.polyfit(x, y, 1), x) - y) ** 2))
    full = sgd.sgd_path(x, y, 0.05, batch_size=64, epochs=640)["loss"]
    for seed in range(5):
        single = sgd.sgd_path(x, y, 0.05, batch_size=1, epochs=10, seed=seed)["loss"]
        assert single[-64:].mean() > full[-1] + 0.01  # same 640 updates
        assert single[-1] < full[10]  # same 10 epochs
    assert full[-1] - best < 1e-4


def test_spread_says_range_and_median_or_every_seed():
    assert sgd.spread([0.3, 0.1, 0.2]) == "0.10-0.30 (median 0.20)"
    assert sgd.spread([0.3, 0.1, 0.2], median=False) == "0.10-0.30"
    assert sgd.spread([4.3116, 4.3117], "{:.3f}") == "4.312 on every seed"
    assert sgd.spread([0.0, 0.5], "{:.0%}") == "0%-50% (median 25%)"


def test_figures_draw_one_line_per_run(data):
    import matplotlib.pyplot as plt

    x, y = data
    fig, axes = plt.subplots(1, 3)
    sgd.plot_parabola_walks(4.0, [0.125, 0.375, 0.625], axes)
    assert [len(ax.lines) for ax in axes] == [2, 2, 2]
    assert np.array_equal(axes[2].lines[1].get_xdata(), sgd.parabola_walk(4.0, 0.625))
    curves = sgd.learning_rate_curves(x, y, [0.01, 0.1], epochs=1, seeds=range(3))
    fig, ax = plt.subplots()
    sgd.plot_learning_rate_curves(curves, 8, {0.01: "too small", 0.1: "good"}, ax=ax)
    assert len(ax.lines) == 6 and len(ax.get_legend().texts) == 2
    fig, axes = plt.subplots(1, 2)
    runs = {1: sgd.sgd_path(x, y, 0.05, 1, 1), 64: sgd.sgd_path(x, y, 0.05, 64, 64)}  # 64 updates each
    sgd.plot_batch_sizes(runs, 64, axes, epochs=1)
    assert [len(ax.lines) for ax in axes] == [2, 2] and axes[1].get_xlim() == (0, 64)
    assert axes[1].get_title() == "same 64 updates"
    fig, axes = plt.subplots(1, 2)
    runs[8] = sgd.sgd_path(x, y, 0.05, 8, 1)  # only 8 updates: the right panel says so, it does not claim 64
    sgd.plot_batch_sizes(runs, 64, axes, epochs=1)
    assert axes[1].get_xlim() == (0, 8) and axes[1].get_title() == "same 8 updates"
    fig, ax = plt.subplots()
    run = sgd.sgd_path(x, y, 0.1, 64, 3)
    sgd.plot_walk(x, y, run, ax, title="t", names=("w'", "b'"))
    assert np.array_equal(ax.lines[0].get_xdata(), run["path"][:, 0]) and len(ax.collections) > 0
    assert ax.get_aspect() == 1.0 and ax.get_xlabel() == "w'" and ax.get_title() == "t"
    plt.close("all")


def test_parabola_panels_share_their_scales_and_name_what_leaves_them():
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3)
    sgd.plot_parabola_walks(4.0, [0.125, 0.375, 0.625], axes)
    assert len({ax.get_xlim() for ax in axes}) == 1 and len({ax.get_ylim() for ax in axes}) == 1
    assert all(ax.get_ylabel() for ax in axes)  # every panel reads on its own (a slide may show one)
    assert not axes[0].texts and not axes[1].texts  # their walks stay inside the picture
    assert [t.get_text() for t in axes[2].texts] == ["then off the picture:", "w = -3.38, 5.06, -7.59"]
    plt.close("all")


def test_loss_curves_differ_by_colour_for_every_viewer_and_by_line_style(data):
    """Section 8's four learning rates: the "high" and "very high" curves were orange and vermillion, which
    look alike to a deuteranope (CIE76 distance 3.9). Now every pair differs clearly, and by line style too."""
    import itertools

    import matplotlib.pyplot as plt

    from nnlite import colors, viz

    x, y = data
    labels = {0.01: "low", 0.1: "good", 0.3: "high", 0.5: "very high"}
    curves = sgd.learning_rate_curves(x, y, list(labels), batch_size=8, epochs=2, seeds=range(2))
    fig, ax = plt.subplots()
    sgd.plot_learning_rate_curves(curves, 8, labels, ax=ax)
    first = {line.get_label(): line for line in ax.lines if not line.get_label().startswith("_")}
    assert len(first) == 4
    styles = {(line.get_color(), line.get_linestyle()) for line in first.values()}
    assert len({style for _, style in styles}) >= 3 and len(styles) == 4
    for a, b in itertools.combinations([line.get_color() for line in first.values()], 2):
        assert colors.delta_e(a, b) > 50
        assert all(colors.delta_e(colors.simulate(a, kind), colors.simulate(b, kind)) > 15 for kind in colors.KINDS)
    words = viz.text_alternative(fig)
    assert "very high (lr=0.5, black, dotted): every seed blew up" in words and "low (lr=0.01, blue, solid)" in words
    plt.close("all")


def test_momentum_walk_is_nnlites_sgd_with_momentum(data):
    x, y = data
    model = nl.MLP([1, 1], activation="identity", seed=0)
    model.layers[0].W[:], model.layers[0].b[:] = sgd.START
    optimizer = nl.SGD(model, lr=0.35, momentum=0.5)
    steps = []
    for _ in range(30):
        nl.train_step(model, optimizer, x[:, None], y[:, None], loss="mse")
        steps.append((model.layers[0].W[0, 0], model.layers[0].b[0]))
    walk = sgd.sgd_path(x, y, 0.35, batch_size=64, epochs=30, momentum=0.5)
    np.testing.assert_allclose(walk["path"][1:], steps, rtol=0, atol=1e-12)
    plain = sgd.sgd_path(x, y, 0.05, batch_size=8, epochs=2, seed=3)
    assert np.array_equal(sgd.sgd_path(x, y, 0.05, 8, 2, seed=3, momentum=0.0)["path"], plain["path"])
    with pytest.raises(ValueError, match="momentum"):
        sgd.sgd_path(x, y, 0.1, 8, 1, momentum=1.0)


def test_momentum_crosses_the_tilted_valley_shrinking_by_sqrt_mu(data):
    """Notebook 01, section 13: at lr 0.35 plain descent bounces across the valley (factor -0.996); with
    momentum 0.5 the distance to the bottom shrinks by about sqrt(0.5) per step (Goh 2017)."""
    x, y = data
    best = np.array(sgd.best_fit(x, y))
    for mu, low, high in ((0.0, 0.99, 1.0), (0.5, 0.68, 0.73)):
        distance = np.linalg.norm(sgd.sgd_path(x, y, 0.35, 64, 40, momentum=mu)["path"] - best, axis=1)
        assert low < (distance[40] / distance[10]) ** (1 / 30) < high


def test_valley_curvatures_are_the_second_derivatives_along_the_valley_and_across(data):
    x, y = data
    loss = lambda w, b: np.mean((w * x + b - y) ** 2)  # noqa: E731
    h = 1e-3  # the loss is quadratic: centred second differences are exact up to rounding
    d_ww = (loss(1 + h, 0) - 2 * loss(1, 0) + loss(1 - h, 0)) / h**2
    d_bb = (loss(1, h) - 2 * loss(1, 0) + loss(1, -h)) / h**2
    d_wb = (loss(1 + h, h) - loss(1 + h, -h) - loss(1 - h, h) + loss(1 - h, -h)) / (4 * h**2)
    trace, det = d_ww + d_bb, d_ww * d_bb - d_wb**2
    expected = ((trace - np.sqrt(trace**2 - 4 * det)) / 2, (trace + np.sqrt(trace**2 - 4 * det)) / 2)
    np.testing.assert_allclose(sgd.valley_curvatures(x), expected, rtol=1e-6)
    assert 0.35 < 2 / sgd.valley_curvatures(x)[1] < 0.36
    np.testing.assert_allclose(sgd.valley_curvatures((x - x.mean()) / x.std()), [2.0, 2.0], rtol=0, atol=1e-12)


def test_accuracy_range_is_wilsons_interval():
    low, high = sgd.accuracy_range(58, 60)
    assert (round(low, 4), round(high, 4)) == (0.8864, 0.9908)
    for correct, n in [(58, 60), (3, 10), (0, 20), (20, 20), (1, 1)]:
        p = correct / n
        for bound in sgd.accuracy_range(correct, n):
            # the score test's boundary: the accuracies p0 whose 1.96 standard errors just reach the measured p
            assert (p - bound) ** 2 == pytest.approx(1.96**2 * bound * (1 - bound) / n, abs=1e-12)
            assert -1e-15 <= bound <= 1 + 1e-15
    assert sgd.accuracy_range(0, 20)[0] == pytest.approx(0, abs=1e-15)
    assert sgd.accuracy_range(20, 20)[1] == pytest.approx(1)
    with pytest.raises(ValueError, match="correct"):
        sgd.accuracy_range(61, 60)
    with pytest.raises(ValueError, match="n"):
        sgd.accuracy_range(0, 0)


# --- training, validation and test sets: the polynomial of section 11 ----------------------------

def test_power_columns_are_standardised_with_the_training_rows(data):
    x, _ = data
    train, other = x[:20], x[20:]
    A = sgd.power_columns(train, 3, train)
    assert A.shape == (20, 4) and np.array_equal(A[:, -1], np.ones(20))
    np.testing.assert_allclose(A[:, :3].mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(A[:, :3].std(axis=0), 1, atol=1e-12)
    B = sgd.power_columns(other, 3, train)  # other rows get the training rows' numbers, not their own
    assert abs(B[:, 0].mean()) > 1e-3
    z = (other - train.mean()) / train.std()
    np.testing.assert_allclose(B[:, 0], z, atol=1e-12)  # degree 1's column is z itself
    with pytest.raises(ValueError, match="degree"):
        sgd.power_columns(train, 0, train)


def test_gradient_descent_steps_along_the_checked_gradient(data):
    x, y = data
    A = sgd.power_columns(x, 3, x)
    weights = sgd.gradient_descent(A, y, lr=0.05, epochs=4)
    assert weights.shape == (5, 4) and not weights[0].any()
    for w, after in zip(weights[:-1], weights[1:], strict=True):
        gradient = (w - after) / 0.05
        assert nl.gradient_check(lambda v: float(np.mean((A @ v - y) ** 2)), w.copy(), gradient) < 1e-7
    # with degree 1 it is the line of sgd_path on z at batch size 64, from the line w = b = 0
    z = (x - x.mean()) / x.std()
    walk = sgd.sgd_path(z, y, lr=0.05, batch_size=64, epochs=4, start=(0.0, 0.0))["path"]
    np.testing.assert_allclose(sgd.gradient_descent(sgd.power_columns(x, 1, x), y, 0.05, 4), walk, atol=1e-12)
    with pytest.raises(ValueError, match="lr"):
        sgd.gradient_descent(A, y, lr=0.0, epochs=1)


def test_early_stopping_run_splits_trains_and_chooses_on_validation():
    run = sgd.early_stopping_run(seed=0, epochs=300)
    sizes = {part: len(run["x"][part]) for part in ("train", "val", "test")}
    assert sizes == {"train": 20, "val": 40, "test": 40}
    x, _ = sgd.make_line_data(100, seed=0)
    assert sorted(np.concatenate(list(run["x"].values()))) == sorted(x)  # every row in exactly one set
    assert run["chosen"] == int(np.argmin(run["loss"]["val"])) and run["limit"] > 0.1
    assert np.all(np.diff(run["loss"]["train"]) < 0)  # lr 0.1 is below the limit: downhill every step
    for part in ("train", "val", "test"):
        A = sgd.power_columns(run["x"][part], 9, run["x"]["train"])
        loss = np.mean((A @ run["weights"][run["chosen"]] - run["y"][part]) ** 2)
        assert loss == pytest.approx(run["loss"][part][run["chosen"]], rel=1e-12)
    # overfitting, seen: the validation loss rises after its lowest point while the training loss falls
    assert 10 < run["chosen"] < 100 and run["loss"]["val"][-1] > 1.2 * run["loss"]["val"][run["chosen"]]
    again = sgd.early_stopping_run(seed=0, epochs=300)
    assert np.array_equal(again["weights"], run["weights"])
    # the bottom: no weights have a lower training loss, and its gradient is 0
    A = sgd.power_columns(run["x"]["train"], 9, run["x"]["train"])
    bottom = run["least_squares"]
    assert np.allclose(A.T @ (A @ bottom - run["y"]["train"]), 0, atol=1e-8)
    assert run["least_squares_loss"]["train"] < run["loss"]["train"][-1]
    assert run["least_squares_loss"]["val"] == pytest.approx(np.mean((sgd.power_columns(
        run["x"]["val"], 9, run["x"]["train"]) @ bottom - run["y"]["val"]) ** 2), rel=1e-12)
    assert run["limit"] == pytest.approx(2 / run["curvatures"][-1]) and np.all(np.diff(run["curvatures"]) >= 0)


def test_plot_early_stopping_draws_both_losses_and_both_curves():
    import matplotlib.pyplot as plt

    run = sgd.early_stopping_run(seed=0, epochs=100)
    fig, axes = plt.subplots(1, 2)
    sgd.plot_early_stopping(run, axes)
    assert np.array_equal(axes[0].lines[1].get_ydata(), run["loss"]["val"])  # epoch 0 (the start) too
    assert axes[0].get_xscale() == "symlog" and axes[0].get_xlim()[0] == 0
    assert [line.get_label() for line in axes[1].lines][-3:] == [
        "least squares (the bottom)", f"after epoch {run['chosen']}", "after epoch 100"]
    assert len(axes[1].collections) == 2  # the training and the validation rows
    plt.close("all")


def test_plot_valley_axes_draws_the_hessians_eigenvectors_through_the_bottom(data):
    import matplotlib.pyplot as plt

    x, _ = data
    fig, ax = plt.subplots()
    sgd.plot_valley_axes(x, (1.0, -0.5), ax)
    hessian = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    along, across = (np.diff(line.get_xydata(), axis=0)[0] for line in ax.lines)
    for direction, curvature in zip((along, across), sgd.valley_curvatures(x), strict=True):
        np.testing.assert_allclose(hessian @ direction, curvature * direction, atol=1e-12)  # an eigenvector
    assert abs(along @ across) < 1e-12 and np.allclose(ax.lines[0].get_xydata().mean(axis=0), (1.0, -0.5))
    plt.close("all")


def test_patience_stop_waits_its_patience_and_keeps_the_lowest_so_far():
    val = [4.0, 5.0, 2.0, 2.5, 1.0, 1.5, 1.6, 1.7]
    assert sgd.patience_stop(val, 1) == (1, 0)  # the first rise stops it: the start is kept
    assert sgd.patience_stop(val, 2) == (6, 4)
    assert sgd.patience_stop(val, 10) == (7, 4)  # never stopped: the last epoch, the lowest kept
    with pytest.raises(ValueError, match="patience"):
        sgd.patience_stop(val, 0)


def test_line_gradient_names_a_wrong_sign_on_db_alone():
    def sign_on_db(w, b, x, y):  # the residual written target minus prediction, for db only
        return 2 * np.mean((w * x + b - y) * x), 2 * np.mean(y - w * x - b)

    def sign_on_dw(w, b, x, y):
        return -2 * np.mean((w * x + b - y) * x), 2 * np.mean(w * x + b - y)

    feedback = sgd.LINE_GRADIENT.grade(sign_on_db)
    assert feedback.status == "mistake" and "dL/db has the wrong sign" in feedback.text
    assert "dL/db has the wrong sign" not in sgd.LINE_GRADIENT.grade(sign_on_dw).text


# --- the exercises ------------------------------------------------------------------------------

@pytest.mark.parametrize("answer, status", [
    (21, "correct"), (21.0, "correct"), (np.int64(21), "correct"), (18, "mistake"), (18.75, "mistake"),
    (19, "mistake"), (7, "mistake"), (6, "mistake"), (600, "mistake"), (22, "wrong"), (20.99, "wrong"),
    ("21", "invalid"), (None, "unanswered"),
])
def test_steps_exercise(answer, status):
    assert sgd.STEPS_IN_3_EPOCHS.grade(answer).status == status


def test_steps_exercise_agrees_with_steps_per_epoch():
    assert sgd.STEPS_IN_3_EPOCHS.expected == 3 * sgd.steps_per_epoch(200, 32)


@pytest.mark.parametrize("answer, status", [
    (0.25, "correct"), (2 / 8, "correct"), (4.0, "mistake"), (0.125, "mistake"), (2.0, "mistake"),
    (16, "mistake"), (0.2353, "mistake"), (0.3507, "wrong"), (0.3, "wrong"), (0.25000001, "wrong"), (True, "invalid"),
])
def test_lr_limit_exercise(answer, status):
    assert sgd.LR_LIMIT.grade(answer).status == status


def test_lr_limit_exercise_is_the_parabola_rule():
    # the answer is where the sharply curved direction's factor reaches -1; the gentle one is still in (-1, 1)
    assert 1 - sgd.LR_LIMIT.expected * 8 == -1 and abs(1 - sgd.LR_LIMIT.expected * 0.5) < 1


def test_line_gradient_exercise_names_each_mistake_and_accepts_the_solution():
    exercise = sgd.LINE_GRADIENT
    hints = set()
    for mistake in exercise.mistakes:
        feedback = exercise.grade(mistake.answer)
        assert feedback.status == "mistake" and mistake.hint in feedback.text
        hints.add(feedback.text)
    assert len(hints) == len(exercise.mistakes) >= 3

    def solution(w, b, x, y):
        r = w * x + b - y
        return 2 * np.mean(r * x), 2 * np.mean(r)

    assert exercise.grade(solution).status == "correct"

    def over_64(w, b, x, y):  # this notebook's N written into the function: a likely slip
        r = w * x + b - y
        return 2 * np.sum(r * x) / 64, 2 * np.sum(r) / 64

    feedback = exercise.grade(over_64)
    assert feedback.status == "mistake" and "divide by 64" in feedback.text
    assert exercise.grade(lambda w, b, x, y: [2 * np.mean((w * x + b - y) * x), 2 * np.mean(w * x + b - y)]).status \
        == "correct"
    assert exercise.grade(lambda w, b, x, y: None).status == "invalid"
    assert exercise.grade(lambda w, b, x, y: 2 * np.mean((w * x + b - y) ** 2)).status == "invalid"
    # the generic hint points at the method without writing the formula
    assert "np.mean" not in exercise.hint and "2 *" not in exercise.hint


def test_line_gradient_solution_is_the_gradient_the_lab_uses(data):
    x, y = data
    dw, db = sgd.LINE_GRADIENT.reference(-2.0, 3.0, x, y)
    step = sgd.sgd_path(x, y, lr=0.1, batch_size=64, epochs=1)["path"][1]
    assert np.allclose(step, (-2.0 - 0.1 * dw, 3.0 - 0.1 * db), rtol=0, atol=1e-12)
    error = nl.gradient_check(lambda p: float(np.mean((p[0] * x + p[1] - y) ** 2)), np.array([-2.0, 3.0]),
                              np.array([dw, db]))
    assert error < 1e-7


@pytest.mark.parametrize("answer, status", [
    (5, "correct"), (5.0, "correct"), (np.int64(5), "correct"), (8, "mistake"), (4, "mistake"), (6, "mistake"),
    (3, "wrong"), (9, "wrong"), (5.2, "wrong"), (4.5, "wrong"), (0.44, "mistake"), ("5", "invalid"),
    (None, "unanswered"),
])
def test_early_stopping_exercise(answer, status):
    assert sgd.EARLY_STOPPING_EPOCH.grade(answer).status == status


def test_early_stopping_exercise_names_the_loss_typed_for_the_epoch():
    assert "lowest validation loss itself" in sgd.EARLY_STOPPING_EPOCH.grade(0.44).text
    between = sgd.EARLY_STOPPING_EPOCH.grade(4.5).text  # an epoch's number, not a count
    assert "an epoch's number" in between and "count" not in between


def test_early_stopping_exercise_is_the_lowest_validation_loss_of_its_table():
    validation = [2.30, 1.00, 0.60, 0.45, 0.44, 0.47, 0.52, 0.58]  # the table of exercise 4
    training = [2.10, 0.90, 0.50, 0.35, 0.30, 0.27, 0.25, 0.24]
    assert sgd.EARLY_STOPPING_EPOCH.expected == int(np.argmin(validation)) + 1
    assert int(np.argmin(training)) + 1 == 8 and np.all(np.diff(training) < 0)  # mistake 8: the training loss


# The checks notebook 01 leaves out of its teaching cells: each cell keeps the assert of its lesson.

def test_notebook_01_loss_curves_guards(data):
    """Section 8: low falls every step and stays above 2; high stays well above good, never near the
    blow-up rule; very high blows up within 9 steps; lr 0.3 with the full batch settles at the bottom."""
    x, y = data
    curves = sgd.learning_rate_curves(x, y, [0.01, 0.1, 0.3, 0.5], batch_size=8, epochs=10, seeds=range(10))
    assert min(loss[-1] for loss in curves[0.01]) > 2
    assert min(loss[-8:].mean() for loss in curves[0.3]) > max(loss[-8:].mean() for loss in curves[0.1]) + 0.03
    assert all(len(loss) <= 9 and loss[-1] >= 100 * loss[0] for loss in curves[0.5])
    assert max(loss.max() / loss[0] for loss in curves[0.3]) < 5  # far from the 100 times that ends a walk
    best = float(np.mean((np.polyval(np.polyfit(x, y, 1), x) - y) ** 2))
    assert sgd.sgd_path(x, y, 0.3, batch_size=64, epochs=200)["loss"][-1] - best < 1e-9


def test_notebook_01_uphill_shares_by_batch_size(data):
    """Section 9: the share of updates after which the loss went up, 10 seeds, lr 0.05, 10 epochs."""
    x, y = data
    uphill = {bs: [sgd.uphill_fraction(sgd.sgd_path(x, y, 0.05, bs, 10, seed=s)["loss"]) for s in range(10)]
              for bs in (1, 8, 64)}
    assert max(uphill[64]) == 0 and 0.03 < min(uphill[8]) and max(uphill[8]) < 0.3 < 0.4 < min(uphill[1])
    finals = {bs: [sgd.sgd_path(x, y, 0.05, bs, 10, seed=s)["loss"][-1] for s in range(10)] for bs in (1, 64)}
    assert max(finals[1]) < 1 < min(finals[64])


def test_notebook_01_hessian_of_centred_and_standardised_inputs(data):
    """Section 12: the raw Hessian's eigenvalues are section 6's curvatures; centring zeroes the
    off-diagonal (to 1e-12 in floating point) and leaves the curvatures 2 and 2 var(x)."""
    x, y = data

    def line_hessian(inputs):
        return 2 * np.array([[np.mean(inputs * inputs), np.mean(inputs)], [np.mean(inputs), 1.0]])

    centred, z = x - x.mean(), (x - x.mean()) / x.std()
    lams = np.linalg.eigvalsh(line_hessian(x))
    np.testing.assert_allclose(lams, sorted(sgd.valley_curvatures(x)), rtol=0, atol=1e-12)  # section 6's
    assert abs(line_hessian(centred)[0, 1]) < 1e-12 and abs(line_hessian(z)[0, 1]) < 1e-12
    assert line_hessian(centred)[1, 1] == line_hessian(z)[1, 1] == 2.0  # the curvature in b is 2 x 1, exactly
    lams_centred = np.linalg.eigvalsh(line_hessian(centred))
    np.testing.assert_allclose(lams_centred, [2.0, 2 * np.var(x)], rtol=0, atol=1e-12)
    assert abs(2 / lams_centred[1] - 0.7202) < 1e-4


def test_notebook_01_batch_8_keeps_up_per_update_and_shares_section_9s_start(data):
    """Section 15: the full batch reaches the bottom in 640 updates; 80 epochs of batch 8 begin with
    section 9's 10 epochs of the same seed (an identity of the shuffling)."""
    x, y = data
    best = float(np.mean((np.polyval(np.polyfit(x, y, 1), x) - y) ** 2))
    assert sgd.sgd_path(x, y, 0.05, batch_size=64, epochs=640)["loss"][-1] - best < 1e-4
    long = sgd.sgd_path(x, y, 0.05, batch_size=8, epochs=80, seed=0)["loss"]
    assert np.array_equal(long[:81], sgd.sgd_path(x, y, 0.05, batch_size=8, epochs=10, seed=0)["loss"])


def test_notebook_01_he_initial_loss_is_usually_between_ln3_and_twice_it():
    """Section 16: the spiral network's loss before training, over seeds 0-9 and 0-99."""
    X, labels = nl.datasets.spiral(n=300, noise=0.2, seed=0)
    X_train, y_train, *_ = nl.datasets.train_val_test_split(X, labels, val_fraction=0.2, test_fraction=0.2, seed=0)
    Z = (X_train - X_train.mean(axis=0)) / X_train.std(axis=0)
    he = [nl.evaluate(nl.MLP([2, 32, 32, 3], activation="relu", seed=s), Z, y_train)[0] for s in range(100)]
    assert all(np.log(3) < v < 2.0 for v in he[:10])  # seeds 0-9; over 100, a few fall outside
    assert 0.5 < min(he) < np.log(3) < np.median(he) < 2 * np.log(3) < max(he) < 4
    assert sum(v > 2 * np.log(3) for v in he) <= 5 and max(he) < 3 * np.log(3)


@pytest.mark.parametrize("ddof", [0, 1])
def test_new_rows_standardised_with_their_own_statistics_is_named(ddof):
    new = np.array([4.0, 10.0, 16.0])
    text = sgd.NEW_ROWS_STANDARDISED.grade(list((new - new.mean()) / new.std(ddof=ddof))).text
    assert "OWN mean" in text and ("ddof=1" in text) == (ddof == 1)


def test_notebook_01_momentum_overshoots_in_both_directions_and_reaches_the_bottom(data):
    """Section 13: with momentum 0.5, both directions overshoot where (1 + mu - lr * lambda)^2 < 4 mu
    (Goh 2017), so the walk crosses the valley's axis too; 30 steps reach the bottom, plain descent not."""
    x, y = data
    best_xy = np.array(sgd.best_fit(x, y))
    best = float(np.mean((best_xy[0] * x + best_xy[1] - y) ** 2))
    hessian = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    lams, vectors = np.linalg.eigh(hessian)
    for lr in (0.1, 0.35):
        assert all((1 + 0.5 - lr * lam) ** 2 < 4 * 0.5 for lam in lams)
        walk = sgd.sgd_path(x, y, lr, batch_size=64, epochs=30, momentum=0.5)
        assert np.any(np.diff(np.sign((walk["path"] - best_xy) @ vectors[:, 0])) != 0)
        assert walk["loss"][-1] - best < 1e-6
        assert sgd.sgd_path(x, y, lr, batch_size=64, epochs=30)["loss"][-1] - best > 0.01


def test_sgd_path_decay_shrinks_the_learning_rate_step_by_step():
    x, y = sgd.make_line_data(64, seed=0)
    path = sgd.sgd_path(x, y, lr=0.1, batch_size=64, epochs=3, decay=0.5)["path"]
    w, b = sgd.START
    for t in range(3):  # full batch: step t uses lr / (1 + 0.5 t)
        r = w * x + b - y
        rate = 0.1 / (1 + 0.5 * t)
        w, b = w - rate * 2 * np.mean(r * x), b - rate * 2 * np.mean(r)
        np.testing.assert_allclose(path[t + 1], [w, b], rtol=1e-12)
    constant = sgd.sgd_path(x, y, lr=0.1, batch_size=8, epochs=2)
    assert np.array_equal(sgd.sgd_path(x, y, lr=0.1, batch_size=8, epochs=2, decay=0.0)["path"], constant["path"])
    with pytest.raises(ValueError, match="decay"):
        sgd.sgd_path(x, y, lr=0.1, batch_size=8, epochs=1, decay=-1.0)


def test_new_rows_in_reverse_order_get_their_own_hint():
    """Exercise 5's z in the reverse order of the rows is named; a check without that mistake gives the generic
    hint only."""
    check = sgd.NEW_ROWS_STANDARDISED
    feedback = check.grade([3.5, 2.0, 0.5])
    assert feedback.status == "mistake" and "reverse order" in feedback.text
    mutant = NumberExercise(check.title, check.expected, mistakes=check.mistakes[:-1], hint=check.hint)
    assert "reverse order" not in mutant.grade([3.5, 2.0, 0.5]).text


def test_first_order_ratio_is_the_quadratic_identity_and_refuses_a_bad_rate():
    """For a quadratic loss the fall over the first-order prediction is 1 - lr (g . H g) / (2 g . g), exactly."""
    x, y = sgd.make_line_data(64, seed=0)
    w, b = sgd.START
    r = w * x + b - y
    g = np.array([2 * np.mean(r * x), 2 * np.mean(r)])
    hessian = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    for lr in (0.001, 0.05, 0.3):
        assert abs(sgd.first_order_ratio(lr) - (1 - lr * g @ hessian @ g / (2 * g @ g))) < 1e-9
    correct = sgd.FIRST_ORDER_RATIO.grade(sgd.first_order_ratio(0.05))
    assert correct.status == "correct"
    # the follow-up (lr 0.1 and 0.3) is the student's to measure: the check does not give its answers away
    assert not any(f"{sgd.first_order_ratio(lr):.2f}" in correct.text for lr in (0.1, 0.3))
    # the value it prints has the 4 significant figures the check asks of an answer (0.884 alone is "too few")
    assert f"{sgd.first_order_ratio(0.05):.4f}" in correct.text
    assert sgd.FIRST_ORDER_RATIO.grade(round(sgd.first_order_ratio(0.05), 3)).status != "correct"
    assert sgd.FIRST_ORDER_RATIO.grade(1.0).status == "mistake"
    # the right method on the fall and the prediction printed to 4 decimals is right; on 3 decimals the hint
    # names the rounding; a slip in one term (the prediction without dL/db^2, 0.8843 x 1.0002) stays refused
    assert sgd.FIRST_ORDER_RATIO.grade(4.1778 / 4.7244).status == "correct"
    assert "rounded numbers" in sgd.FIRST_ORDER_RATIO.grade(4.178 / 4.724).text
    g2 = g @ g
    slip = sgd.first_order_ratio(0.05) * g2 / g[0] ** 2
    assert sgd.FIRST_ORDER_RATIO.grade(slip).status == "wrong"
    with pytest.raises(ValueError, match="lr"):
        sgd.first_order_ratio(0.0)


def test_first_order_ratio_names_one_minus_the_ratio():
    """1 - ratio, the share of the prediction the loss did not fall by, is named; a mutant of the check without
    that mistake gives only the generic hint."""
    one_minus = 1 - sgd.first_order_ratio(0.05)
    feedback = sgd.FIRST_ORDER_RATIO.grade(one_minus)
    assert feedback.status == "mistake" and "1 minus the ratio" in feedback.text
    check = sgd.FIRST_ORDER_RATIO
    mutant = NumberExercise(check.title, check.expected, mistakes=check.mistakes[:-1], hint=check.hint)
    assert "1 minus" not in mutant.grade(one_minus).text


def test_below_prints_the_order_of_a_tiny_value():
    assert sgd.below(5.6e-11) == "below 1e-10" and sgd.below(-3.5e-22) == "below 1e-21"
    assert sgd.below(1e-10) == "below 1e-9"  # a power of ten itself is not below itself
    with pytest.raises(ValueError, match="value"):
        sgd.below(0.0)
