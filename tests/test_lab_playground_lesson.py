"""Notebook 07's lesson: what it says about its runs holds with wide margins, and its exercises check
what they ask (built when first checked: importing the playground trains nothing)."""

import copy
import re
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

import nnlite as nl
from nnlite import viz
from nnlite.labs import playground as P
from nnlite.labs.playground import lesson
from nnlite.labs.tables import save_table


def test_default_run_numbers():
    """What the notebook says about the default run, with margins that hold on every seed and BLAS kernel."""
    trainer = P.run()
    r = trainer.latest()
    assert trainer.history.steps == 200 * 12  # 180 training rows in batches of 16: 12 steps per epoch
    assert r["train_accuracy"] > 0.95 and r["val_accuracy"] > 0.95 and r["val_loss"] < 0.2
    assert re.fullmatch(r"epoch 200 of 200: loss train \d\.\d{3}, validation \d\.\d{3}; "
                        r"accuracy train \d+\.\d%, validation \d+\.\d%", trainer.summary())
    assert len(trainer.curves["train_loss"]) == 201  # epoch 0 (before training) included
    np.testing.assert_allclose(trainer.start_grad_norms, [0.219739, 0.190231, 0.128144], atol=1e-6)  # no training
    runs = P.run_seeds(seeds=range(4))
    assert (P.final(runs, "val_accuracy") > 0.9).all() and runs[0].history.step_loss == trainer.history.step_loss


@pytest.mark.retrains
def test_six_sigmoid_layers_stay_at_chance_on_the_spiral():
    """07's 'things to try' 2: with 6 hidden sigmoid layers the default run (the spiral, 200 epochs) does not
    learn: on seeds 0 to 5 its validation accuracy ends at chance, about a third, and its loss near ln 3."""
    runs = [P.run(P.Settings(), hidden=(16,) * 6, activation="sigmoid", seed=seed) for seed in range(6)]
    assert all(abs(run.history.val_accuracy[-1] - 1 / 3) < 0.05 for run in runs)
    assert all(abs(run.history.val_loss[-1] - np.log(3)) < 0.05 for run in runs)


@pytest.mark.retrains
def test_seeds_0_to_9_are_a_lucky_block_for_the_default_run():
    """Section 1's ten seeds all end at 100 % validation accuracy and a validation loss below 0.05; the notebook
    says other seeds end worse, as seeds 10-29 show (committed run: 6 of 20 at 100 %, the weakest 92 %; 10 of 20
    above 0.05, the highest 0.98), while every run still fits its training points (training loss at most 0.017);
    layer 2 ends with up to a quarter of its units off (cell 33). Margins wide enough for any BLAS kernel."""
    runs = P.run_seeds(P.Settings(), seeds=range(10, 30))
    train_acc, val_acc = P.final(runs, "train_accuracy"), P.final(runs, "val_accuracy")
    train_loss, val_loss = P.final(runs, "train_loss"), P.final(runs, "val_loss")
    assert (train_acc >= 0.95).all() and (train_loss < 0.05).all()
    assert (val_acc < 1).sum() >= 11 and 0.85 < val_acc.min() < 0.97  # most miss a few, the weakest about 90 %
    assert 7 <= (val_loss > 0.05).sum() <= 13 and 0.5 < val_loss.max() < 2  # about half; the highest near 1
    assert max(r.dead_fraction()[1] for r in runs) <= 5 / 16


def test_the_things_to_try_show_what_the_notebook_says():
    """Seed 0, as the playground shows it: the claims of the list 'Things to try'."""
    default = P.Settings()
    xor = P.run(default, dataset="xor", activation="identity")  # 1 (and section 3)
    assert xor.latest()["val_accuracy"] < 0.7 and xor.latest()["train_accuracy"] < 0.7
    assert P.run(default, dataset="xor").latest()["val_accuracy"] > 0.7  # the same network with ReLU
    sigmoid = P.run(default, hidden=(16,) * 6, activation="sigmoid")  # 2: stuck near a third, gradient vanishes
    assert sigmoid.start_grad_norms[-2] / sigmoid.start_grad_norms[0] > 1000
    assert abs(sigmoid.latest()["train_accuracy"] - 1 / 3) < 0.05
    for activation in ("relu", "tanh"):  # ... and does not with these: within a factor of three
        norms = P.Trainer(default.replace(hidden=(16,) * 6, activation=activation)).start_grad_norms
        assert 1 / 3 < norms[-2] / norms[0] < 3
    ratios = {}  # 2, seeds 0 to 19: layer 6 over layer 1 before training (committed: sigmoid 930-3,366, median 1,438)
    for activation in ("sigmoid", "relu", "tanh"):
        norms = [P.Trainer(default.replace(hidden=(16,) * 6, activation=activation, seed=seed)).start_grad_norms
                 for seed in range(20)]
        ratios[activation] = np.array([n[-2] / n[0] for n in norms])
    sig = ratios["sigmoid"]
    assert 1200 < np.median(sig) < 1700 and 800 < sig.min() < 1000 and 3000 < sig.max() < 4000
    assert all(0.15 < ratios[a].min() and ratios[a].max() < 4 for a in ("relu", "tanh"))  # 0.2-3.5: no steady fall
    relu = P.run(default, lr=1.0)  # 3: half or more of each layer dies; with leaky_relu none is dead, many are off
    leaky = P.run(default, lr=1.0, activation="leaky_relu")
    assert relu.dead_fraction().min() >= 0.5 and np.array_equal(relu.off_fraction(), relu.dead_fraction())
    assert relu.latest()["val_accuracy"] < 0.9  # far below the 100 % of lr 0.1 (0.63; Prescott kernel 0.82)
    assert not leaky.dead_fraction().any() and leaky.off_fraction()[0] >= 1 / 3
    noisy = P.run(default, dataset="moons", noise=0.4, hidden=(32,) * 3, val_fraction=0.3, epochs=300)  # 5
    val_loss = np.array(noisy.curves["val_loss"])
    assert val_loss.argmin() < 150 and val_loss[-1] > 1.3 * val_loss.min()
    assert noisy.curves["train_loss"][-1] < 0.9 * noisy.curves["train_loss"][val_loss.argmin()]  # still falling
    assert abs(noisy.curves["val_accuracy"][-1] - noisy.curves["val_accuracy"][val_loss.argmin()]) < 0.15
    decayed = P.run(noisy.settings.replace(weight_decay=0.01))  # 6
    assert P.overfit_gap([decayed])[0] < 0.5 * P.overfit_gap([noisy])[0]


def test_results_over_seeds():
    runs = P.run_seeds(P.Settings(epochs=5), seeds=range(3), hidden=(4,))
    assert [r.settings.seed for r in runs] == [0, 1, 2] and all(r.settings.hidden == (4,) for r in runs)
    assert np.array_equal(P.overfit_gap(runs), P.final(runs, "val_loss") - P.final(runs, "train_loss"))
    assert np.array_equal(P.at_best(runs, "val_loss"), [min(r.curves["val_loss"]) for r in runs])


def test_loss_by_answer_splits_the_cross_entropy_into_right_and_wrong_answers():
    trainer = P.run(dataset="moons", noise=0.4, epochs=5)
    model, X, y = trainer.model, trainer.X_val, trainer.y_val
    right, wrong, n_wrong = P.loss_by_answer(model, X, y)
    assert abs(right + wrong - nl.evaluate(model, X, y)[0]) < 1e-12
    p = nl.softmax(model.forward(X))[np.arange(len(y)), y]  # the probability of the right class
    is_wrong = model.predict(X) != y
    assert n_wrong == is_wrong.sum() > 0
    assert abs(wrong - np.sum(-np.log(p[is_wrong])) / len(y)) < 1e-12
    assert abs(right - np.sum(-np.log(p[~is_wrong])) / len(y)) < 1e-12


def test_choose_takes_the_lowest_validation_loss_of_each_seed():
    settings = P.Settings(dataset="moons", noise=0.4, hidden=(8,), epochs=15)
    candidates = {lr: P.run_seeds(settings, seeds=range(3), lr=lr) for lr in (0.01, 0.3)}
    chosen = P.choose(candidates)
    assert [run.settings.seed for _, run in chosen] == [0, 1, 2]
    for seed, (lr, run) in enumerate(chosen):
        lowest = {name: min(runs[seed].curves["val_loss"]) for name, runs in candidates.items()}
        assert run is candidates[lr][seed] and lowest[lr] == min(lowest.values())
    assert {lr for lr, _ in chosen} == {0.3}  # a learning rate 30 times larger gets further in 15 epochs


def test_importing_the_playground_trains_nothing():
    code = ("import nnlite.labs.playground as P\n"
            "P.Trainer.__init__ = lambda *a, **k: (_ for _ in ()).throw(AssertionError('a Trainer at import'))\n"
            "print(type(P.VANISHING_RATIO).__name__, type(P.SMALL_CIRCLES).__name__)")
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.split() == ["BuiltOnFirstUse", "DiagnosedExercise"], imported.stdout


def same_run(saved, trained):
    """A saved run against the same run trained again: curves, epoch of the lowest validation loss and networks.
    These runs are calm (another BLAS kernel moves them by about 1e-13), so the file holds what any computer trains,
    to float32's precision: far finer than the notebook prints (losses to 0.01, ratios to 3 figures)."""
    assert saved.settings == trained.settings and saved.best_epoch == trained.best_epoch
    assert saved.steps == trained.steps and saved.latest().keys() == trained.latest().keys()
    for key, values in trained.curves.items():
        if key.endswith("accuracy"):  # saved as counts of points right: exact
            assert saved.curves[key] == values, key
        else:
            np.testing.assert_allclose(saved.curves[key], values, rtol=1e-6, atol=1e-9, err_msg=key)
    for which in saved_networks(saved):
        mine, theirs = (r.model if which == "end" else r.best_model() for r in (saved, trained))
        for a, b in zip(mine.layers, theirs.layers, strict=True):
            np.testing.assert_allclose(a.W, b.W, rtol=1e-6, atol=1e-9)
            np.testing.assert_allclose(a.b, b.b, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(saved.test_score(which), trained.test_score(which), rtol=1e-6)


def saved_networks(run):
    """The networks ("end", "best") a SavedRun keeps: those whose use raises no error."""
    kept = []
    for which in ("end", "best"):
        try:
            run.model if which == "end" else run.best_model()
        except ValueError:
            continue
        kept.append(which)
    return kept


@pytest.mark.retrains
@pytest.mark.parametrize("name", list(P.EXPERIMENTS))
def test_the_saved_runs_are_what_training_them_again_gives(name):
    """Every run of the file against the same run trained again here (xor about 8 s, noisy moons about 25 s)."""
    saved, trained = P.load_runs(name), P.train_saved(name)
    experiment = P.EXPERIMENTS[name]
    assert list(saved) == list(trained) == list(experiment.groups)
    for group in experiment.groups:
        assert [r.settings.seed for r in saved[group]] == list(experiment.seeds)
        assert saved_networks(saved[group][0]) == list(experiment.networks.get(group, ()))
        for mine, theirs in zip(saved[group], trained[group], strict=True):
            same_run(mine, theirs)


def test_same_run_tells_a_saved_run_from_another():
    """same_run can fail: a loss moved by 1e-4, one weight by 1e-5, another best epoch or another seed is caught."""
    saved, trained = P.load_runs("xor")["relu"][0], P.run(P.Settings(dataset="xor"))
    same_run(saved, trained)

    def changed(change):
        run = copy.deepcopy(saved)
        change(run)
        return run

    for change in (lambda r: r.curves["val_loss"].__setitem__(50, r.curves["val_loss"][50] + 1e-4),
                   lambda r: r.model.layers[1].W.__setitem__((0, 0), r.model.layers[1].W[0, 0] + 1e-5),
                   lambda r: setattr(r, "best_epoch", r.best_epoch + 1)):
        with pytest.raises(AssertionError):
            same_run(changed(change), trained)
    with pytest.raises(AssertionError):
        same_run(saved, P.run(P.Settings(dataset="xor", seed=1)))


def test_saved_runs_round_trip_and_refuse_a_file_made_for_other_runs(tmp_path):
    runs = P.load_runs("xor")
    path = tmp_path / "runs.npz"
    P.save_runs(runs, "xor", path)
    for mine, theirs in zip(P.load_runs("xor", path)["relu"], runs["relu"], strict=True):
        same_run(mine, theirs)
    with np.load(path) as data:
        arrays = {key: data[key] for key in data.files}
    arrays["settings"] = np.char.replace(arrays["settings"], "lr=0.1", "lr=0.3")  # made for another learning rate
    save_table(path, arrays)
    refused = r"runs.npz was not made for this lab's settings \(it holds .*\); regenerate it with save_runs\("
    with pytest.raises(ValueError, match=refused):
        P.load_runs("xor", path)
    with pytest.raises(ValueError, match="could not read .*missing.npz"):
        P.load_runs("xor", tmp_path / "missing.npz")
    with pytest.raises(ValueError, match="name must be one of 'xor', 'noisy moons'; got 'moons'"):
        P.load_runs("moons")
    wrong = r"runs must be train_saved\('xor'\)'s: the groups \['identity', 'relu'\], each with one run per seed of "
    with pytest.raises(ValueError, match=wrong + r"\(0, 1, 2, 3, 4, 5, 6, 7\); got \{'relu': 3\} runs"):
        P.save_runs({"relu": runs["relu"][:3]}, "xor", path)


def test_a_saved_run_without_networks_says_so():
    curves_only = P.load_runs("noisy moons")[0.1][0]
    assert curves_only.latest()["epoch"] == 300 and curves_only.best_epoch == 4
    words = "keeps its curves only, not the network (after its last epoch|of its lowest validation loss): train it"
    for use in (lambda: curves_only.model, curves_only.best_model, curves_only.test_score):
        with pytest.raises(ValueError, match=words):
            use()



def brute_force_best_line(X, y, directions=180):
    """Every direction, every cut between two neighbouring projections, both sides: by comparison, not cumsum."""
    best = 0.0
    for angle in np.linspace(0, np.pi, directions, endpoint=False):
        along = X @ np.array([np.cos(angle), np.sin(angle)])
        cuts = np.concatenate([[-np.inf], np.sort(along)])  # "above the cut" is along > cut
        right = ((along[None, :] > cuts[:, None]) == (y[None, :] == 1)).mean(axis=1)
        best = max(best, right.max(), (1 - right).max())
    return best


def test_best_line_accuracy_is_the_best_straight_cut():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 2))
    for y in ((X[:, 0] + 0.5 * X[:, 1] > 0.2).astype(int),  # separable: some line gets every point right
              ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(int),  # xor: no line does well
              rng.integers(0, 2, 60)):
        assert P.best_line_accuracy(X, y, directions=180) == pytest.approx(brute_force_best_line(X, y), abs=1e-12)
    assert P.best_line_accuracy(X, (X[:, 0] - X[:, 1] > 0).astype(int), directions=4) == 1.0  # 45 degrees is tried
    assert P.best_line_accuracy(X, np.ones(60, dtype=int)) == 1.0  # one class: the whole plane on one side


@pytest.mark.parametrize("args, words", [
    (([[0.0, 1.0]], [0, 1]), "one label per row of X (1), got 2"),
    (([[0.0, 1.0]], [2]), "y"),
    (([[0.0, 1.0]], [1], 0), "directions"),
])
def test_best_line_accuracy_names_what_is_wrong(args, words):
    with pytest.raises((ValueError, TypeError), match=re.escape(words)):
        P.best_line_accuracy(*args)


def test_plot_remedy_puts_both_runs_on_one_scale_and_tells_the_groups_apart_without_colour():
    import matplotlib.pyplot as plt

    runs = P.run_seeds(P.Settings(dataset="moons", epochs=5), seeds=range(3), hidden=(4,))
    decayed = P.run_seeds(P.Settings(dataset="moons", epochs=5, weight_decay=0.1), seeds=range(3), hidden=(4,))
    axes = P.plot_remedy(runs[0], decayed[0], {"none": runs, "decay": decayed}, names=("a", "b"))
    assert [ax.get_title() for ax in axes[:2]] == ["a", "b"] and axes[0].get_ylim() == axes[1].get_ylim()
    marks = [line for line in axes[2].get_lines() if line.get_linestyle() == "None"]  # one set of marks per group
    assert len({line.get_marker() for line in marks}) == len({line.get_color() for line in marks}) == 2
    assert not {line.get_color() for line in marks} & {viz.PALETTE[0], viz.PALETTE[1]}  # not the curves' colours
    assert [ax.get_yscale() for ax in axes[:2]] == ["linear", "linear"]  # a loss within a factor of a few
    assert P.plot_curves(runs[0])[0].get_yscale() == "log"
    assert P.plot_curves(runs[0], log=False)[0].get_yscale() == "linear"
    plt.close("all")

def test_plot_runs_marks_points_as_the_live_panel_does():
    """One code everywhere: class in colour and shape, training points filled, validation points hollow."""
    import matplotlib.pyplot as plt

    trainer = P.run(P.Settings(dataset="spiral", hidden=(4,), epochs=2))
    ax = P.plot_runs([trainer])[0]
    lines = [line for line in ax.get_lines() if len(line.get_xdata())]
    assert len(lines) == 6  # two sets times three classes
    for line in lines:
        k = viz.PALETTE.index(line.get_markeredgecolor() if line.get_markerfacecolor() == "none"
                              else line.get_markerfacecolor())
        assert line.get_marker() == nl.colors.MARKERS[k]
    hollow = [line for line in lines if line.get_markerfacecolor() == "none"]
    assert sum(len(line.get_xdata()) for line in hollow) == len(trainer.X_val)
    plt.close("all")


def test_plot_units_draws_each_unit_of_the_layer_asked_as_the_network_view_colours_it():
    import matplotlib.pyplot as plt

    trainer = P.run(P.Settings(dataset="xor", hidden=(5, 3), epochs=3))
    mosaic = P.plot_units(trainer, layer=2, columns=2).get_images()[0].get_array()
    step = 60 + lesson.UNIT_GAP
    assert mosaic.shape == (2 * step - lesson.UNIT_GAP, 2 * step - lesson.UNIT_GAP, 3)  # 3 units: two rows of two
    extent = viz.grid_extent(trainer.X, 0.3)
    trainer.model.forward(viz.grid_points(extent, 60))
    third = trainer.model.hidden_outputs[1][:, 2]  # unit 3 of layer 2, computed here by the model itself
    expected = lesson.diverging_colors(third).reshape(60, 60, 3)[::-1]  # the plane's bottom row at the bottom
    assert np.array_equal(mosaic[step:step + 60, :60], expected) and not np.array_equal(mosaic[:60, :60], expected)
    assert (mosaic[step:, step:] == 255).all()  # no fourth unit: the last square stays white
    x0, x1, y0, y1 = extent  # the faint axes of unit 3's square (second row, first column) lie at x1 = 0, x2 = 0
    vertical, horizontal = P.plot_units(trainer, layer=2, columns=2).get_lines()[4:6]
    assert np.allclose(x0 + vertical.get_xdata() / 59 * (x1 - x0), 0.0)
    assert np.allclose(y1 - (horizontal.get_ydata() - step) / 59 * (y1 - y0), 0.0)
    with pytest.raises(ValueError, match="layer must be a hidden layer, 1 to 2, got 3"):
        P.plot_units(trainer, layer=3)
    plt.close("all")


def test_moons_bayes_measures_the_best_rule_on_the_points_given():
    """On many points it agrees with moons_ceiling (the same rule); on a set's own points it is that set's yardstick:
    the labels flipped, it is wrong exactly where it was right. Bad labels get a sentence."""
    X, y = nl.datasets.make("moons", n=4000, noise=0.4, seed=3)
    (accuracy, loss), (ceiling, ceiling_loss) = P.moons_bayes(X, y, 0.4), P.moons_ceiling(0.4)
    assert abs(accuracy - ceiling) < 0.02 and abs(loss - ceiling_loss) < 0.03
    assert P.moons_bayes(X, 1 - y, 0.4)[0] == pytest.approx(1 - accuracy, abs=1e-12)
    with pytest.raises(ValueError, match="y"):
        P.moons_bayes(X, y + 1, 0.4)


@pytest.mark.parametrize("activation, low", [("tanh", -1.0), ("relu", 0.0)])
def test_plot_units_has_a_colour_bar_that_says_the_colours_stop_at_1_and_minus_1(activation, low):
    """From -1 when a unit shown can output a negative value (tanh); from 0, the squares' grey, for ReLU."""
    import matplotlib.pyplot as plt

    trainer = P.run(P.Settings(dataset="xor", hidden=(4,), activation=activation, epochs=1))
    ax = P.plot_units(trainer, layer=1)
    bars = [a for a in ax.figure.axes if a is not ax]
    assert len(bars) == 1  # one colour bar beside the squares
    bar = bars[0]._colorbar
    assert (bar.vmin, bar.vmax) == (low, 1.0) and bar.extend == ("both" if low else "max")  # beyond: drawn full
    ends = bar.cmap(np.array([0.0, 1.0]))[:, :3]  # its colours are the squares' colours at its two ends ...
    assert np.allclose(255 * ends, lesson.diverging_colors(np.array([low, 1.0])), atol=1.0)
    zero = bar.cmap(bar.norm(0.0))[:3]  # ... and at 0
    assert np.allclose(255 * np.array(zero), lesson.diverging_colors(np.array([0.0]))[0], atol=1.0)
    plt.close("all")


def test_plot_units_own_scale_shades_each_unit_up_to_its_own_largest_output_and_says_so():
    """No square is clipped: each unit's largest output gets the full colour, and the colour bar has no arrow."""
    import matplotlib.pyplot as plt

    trainer = P.run(P.Settings(dataset="xor", hidden=(3,), epochs=3))
    ax = P.plot_units(trainer, layer=1, own_scale=True)
    mosaic = ax.get_images()[0].get_array()
    extent = viz.grid_extent(trainer.X, 0.3)
    trainer.model.forward(viz.grid_points(extent, 60))
    first = trainer.model.hidden_outputs[0][:, 0]
    expected = lesson.diverging_colors(first / np.abs(first).max()).reshape(60, 60, 3)[::-1]
    assert np.array_equal(mosaic[:60, :60], expected)
    bar = next(a for a in ax.figure.axes if a is not ax)._colorbar
    assert bar.extend == "neither" and "largest" in bar.ax.get_ylabel()
    plt.close("all")


def test_plot_gaps_shows_the_gap_or_the_validation_loss_and_names_a_wrong_measure():
    import matplotlib.pyplot as plt

    runs = P.run_seeds(P.Settings(dataset="moons", epochs=3), seeds=range(2), hidden=(4,))
    for measure, values in (("gap", P.overfit_gap(runs)), ("val_loss", P.final(runs, "val_loss"))):
        ax = P.plot_gaps({"runs": runs}, measure=measure)
        marks = next(line for line in ax.get_lines() if line.get_linestyle() == "None")
        assert np.allclose(marks.get_ydata(), values)
    assert ax.get_ylabel() == "validation loss"
    with pytest.raises(ValueError, match="measure must be one of 'gap', 'val_loss', got 'loss'"):
        P.plot_gaps({"runs": runs}, measure="loss")
    plt.close("all")


# ------------------------------------------------------------------ exercises

@pytest.mark.parametrize("answer, status", [
    ("blobs", "correct"), (" Blobs ", "correct"), ("moons", "mistake"), ("xor", "mistake"), ("BLOBS", "correct"),
    (np.array(["blobs"]), "invalid"), (np.array([1.0, 2.0]), "invalid"), ("swirl", "invalid"), (None, "unanswered"),
    (P.CLASSIFICATION[-1], "correct"), ("circles", "mistake"), ("spiral", "mistake"), ("XOR", "mistake"),
    (4, "invalid"), (["blobs"], "invalid"), ("the blobs", "invalid"), ("linear", "invalid"),
])
def test_linear_dataset_exercise_takes_arrays_without_crashing(answer, status):
    assert P.LINEAR_DATASET.grade(answer).status == status


def _best_line_accuracy(X, y):
    """The best accuracy any straight cut reaches on two classes: every direction (a quarter degree apart) and
    every threshold between two points, in plain NumPy (no network, no training)."""
    best = 0.0
    for angle in np.linspace(0, np.pi, 721):
        p = X @ np.array([np.cos(angle), np.sin(angle)])
        ordered = np.sort(p)
        right = ((p[:, None] > (ordered[:-1] + ordered[1:]) / 2) == y[:, None]).mean(axis=0)
        best = max(best, right.max(), 1 - right.min())
    return best


@pytest.mark.retrains
def test_linear_dataset_has_one_answer():
    """The prompt's claim: without a bend, blobs end above 98 % of the validation points and no other data set does
    (on the playground's defaults, seeds 0-2; moons on seeds 0-9, as its hint says it ends at 95 % or below there; on
    seed 13 moons reached 96.7 % near the end of its run, so the prompt's bar is 98 %), and no straight cut of moons
    or circles reaches 95 % of all points."""
    for dataset in P.CLASSIFICATION:
        seeds = range(10) if dataset == "moons" else range(3)
        accuracy = P.final(P.run_seeds(P.Settings(dataset=dataset, activation="identity"), seeds=seeds), "val_accuracy")
        assert (accuracy > 0.98).all() if dataset == "blobs" else (accuracy < 0.98).all(), (dataset, accuracy)
        if dataset == "moons":
            assert accuracy.max() <= 0.95 + 1e-9, accuracy  # the moons hint: "on seeds 0 to 9 it ends at 95% or below"
    for dataset, noise, below in (("moons", 0.2, 0.93), ("moons", 0.0, 0.93), ("circles", 0.1, 0.7)):
        for seed in range(3):
            assert _best_line_accuracy(*nl.datasets.make(dataset, n=300, noise=noise, seed=seed)) < below


# Exercise 2: the rules, what training showed, the data settings, right answers written differently
@pytest.mark.parametrize("answer, status, words", [
    (None, "unanswered", "Not answered yet"),
    ("relu", "invalid", "my_settings should be a dict"),
    ({"hiden": [3]}, "invalid", "the key 'hiden', which is not a setting"),
    ({"hidden": [8]}, "mistake", "Fewer hidden units in total (add up the sizes in 'hidden') reach the goal too: the "
                                  "exercise asks for the fewest. How many straight folds does it take to fence in the "
                                  "inner circle? (Yours has 8.)"),
    ({"hidden": [4]}, "mistake", "(Yours has 4.)"),  # 4 ReLUs pass the goal: the first obvious try is not the answer
    ({}, "mistake", "(Yours has 32.)"),  # the default network is far too big
    ({"hidden": [3], "activation": "identity"}, "mistake", "no straight line puts a ring on one side"),
    ({"hidden": []}, "mistake", "Without a bend"),
    ({"hidden": [3], "epochs": 600}, "mistake", "Keep to 500 epochs and 6000 steps at most"),
    ({"hidden": [3], "lr": 50}, "mistake", "learning rate is too large for this network. Lower it"),
    ({"hidden": [3], "lr": 5}, "mistake", "of the epochs: training diverged"),  # finite, far above
    ({"hidden": [3], "batch_size": 1, "epochs": 500}, "mistake", "500 epochs of 180 steps: 90000 steps in all"),
    ({"hidden": [3], "batch_size": 8, "epochs": 300}, "mistake", "6000 steps at most"),
    ({"hidden": [3], "lr": 1}, "mistake", "threw it far above where it started"),  # it ended lower, peaked at 1.9
    ({"hidden": [2]}, "mistake", "too few units"),
    ({"hidden": [2, 1]}, "mistake", "(Your first hidden layer has 2 units.)"),  # any depth within the budget
    ({"hidden": [2], "activation": "tanh"}, "mistake", "too few units"),
    ({"hidden": [1, 2]}, "mistake", "(Your first hidden layer has 1 unit.)"),
    ({"hidden": [3, 1]}, "mistake", "(Yours has 4.)"),
    ({"hidden": [3], "lr": 1.5, "batch_size": 4, "epochs": 50}, "mistake", "Units died in 3 of the 3 runs"),
    ({"hidden": [3], "lr": 0.001, "epochs": 50}, "mistake", "more epochs, or smaller batches"),
    # at the 500-epoch limit but far below 6000 steps: smaller batches are the advice, not more epochs
    ({"hidden": [3], "batch_size": 256, "epochs": 500}, "mistake", "or smaller batches for more steps an epoch"),
    ({"hidden": [3], "lr": 0.01}, "mistake", "still falling at the end"),
    # at the 6000-step budget, "more steps" is no advice: the check would refuse them
    ({"hidden": [2], "activation": "gelu", "lr": 0.3, "epochs": 500}, "mistake", "all the steps the budget allows"),
    ({"hidden": [3]}, "correct", "Accuracy on 2,000 new points over seeds 0, 1 and 2: at least"),
    # the goal on each seed: two GELUs at lr 0.3 reach 80/90/90 % (a median of 90 % passed once); the miss reports
    # validation accuracy only: what the student tunes on (the verdict uses the check's new points)
    ({"hidden": [2], "activation": "gelu", "lr": 0.3}, "mistake", "Median validation accuracy over seeds 0, 1 and 2"),
    # the real cause, not the first rule a loss curve trips: a decay that holds the weights down (not dead units) ...
    ({"hidden": [3], "weight_decay": 0.5}, "mistake", "Your weight decay is too large"),
    ({"hidden": [3], "weight_decay": 0.05}, "mistake", "Without weight decay the same settings reach"),
    # ... and "lower the learning rate" only where a lower one does better: sigmoid at lr 1.0 ends at 0.11 from 0.70
    # but jumps (up in about half the epochs) and misses; at a third of it, it passes (test below)
    ({"hidden": [3], "activation": "sigmoid", "lr": 1.0}, "mistake", "of the epochs: the steps threw it far above"),
    ({"hidden": [3], "activation": "sigmoid"}, "mistake", "or a larger learning rate"),
    # the median loss falls 0.70 -> 0.04, but one seed stays at chance: the goal holds on each seed
    ({"hidden": [3], "activation": "sigmoid", "lr": 1.0, "epochs": 500}, "mistake", "Median validation accuracy"),
    # 97 % median validation accuracy, one seed at 76 % on the new points: told so, not that the loss hardly moved
    ({"hidden": [3], "activation": "tanh"}, "mistake", "but the weakest does not"),
    ({"hidden": [3], "activation": "tanh"}, "mistake", "the weakest seed reached 76%"),
])
def test_small_circles_exercise(answer, status, words):
    feedback = P.SMALL_CIRCLES.grade(answer)
    assert feedback.status == status and words in feedback.text, feedback


@pytest.mark.parametrize("answer, words", [
    ({"hidden": [3], "dataset": "moons"}, "sets 'dataset' to 'moons', but the exercise is on circles"),
    ({"hidden": [3], "noise": 0.2}, "sets 'noise' to 0.2"), ({"hidden": [3], "n": 200}, "sets 'n' to 200"),
    ({"hidden": [3], "val_fraction": 0.3}, "as the playground does by default"),
    ({"hidden": [3], "test_fraction": 0.1}, "Leave 'test_fraction' out"),
    ({"hidden": [3], "seed": 4}, "on seeds 0, 1 and 2 of its own"),
    ({"hidden": [3], "data_seed": 4}, "on seeds 0, 1 and 2 of its own"),
    # inputs that hand the network the circle's shape: refused for what they are, never told "without a bend"
    ({"hidden": [], "features": ["x1_squared", "x2_squared"]}, "the bends the network builds itself"),
    ({"hidden": [3], "features": ["x1", "x2", "x1_times_x2"]}, "Leave 'features' out"),
    ({"hidden": [3], "l1": 0.001}, "sets 'l1' to 0.001, but this exercise's settings are hidden,"),
    ({"hidden": [3], "target_loss": 0.1}, "Leave 'target_loss' out"),
    (P.Settings(hidden=(3,)), "sets 'dataset' to 'spiral'"),  # a Settings object carries every setting
    ({"hidden": 3}, "hidden must be a list"), ({"hidden": [3], "lr": "0.1"}, "lr must be a finite number"),
    ({"hidden": [3], "activation": "swish"}, "activation must be one of"), ({"hidden": [3.5]}, "must be an integer"),
])
def test_small_circles_refuses_what_it_would_have_to_replace_with_a_sentence(answer, words):
    feedback = P.SMALL_CIRCLES.grade(answer)
    assert feedback.status == "invalid" and words in feedback.text, feedback


@pytest.mark.parametrize("answer", [
    {"hidden": (3,), "activation": "relu"}, {"hidden": np.array([3])}, {"hidden": [np.int64(3)], "epochs": 200.0},
    {"hidden": [3], "activation": " ReLU", "init": "He"},
    {"hidden": [3], "dataset": "Circles", "noise": Fraction(1, 10)},
    {"hidden": [3], "noise": np.float32(0.1), "n": 300, "val_fraction": 0.2, "test_fraction": 0.2, "seed": 0},
    {"hidden": [3], "lr": Decimal("0.1"), "batch_size": 16.0}, {"hidden": [3], "batch_size": 1, "epochs": 30},
    P.Settings(dataset="circles", noise=0.1, hidden=(3,)),
    {"hidden": [3], "features": ("x2", "x1"), "l1": 0, "target_loss": 0.0, "data_seed": None},  # the defaults
])
def test_small_circles_takes_the_right_answer_in_every_spelling(answer):
    assert P.SMALL_CIRCLES.grade(answer).status == "correct"


@pytest.mark.parametrize("answer", [{"hidden": [3], "activation": "leaky_relu"},
                                    {"hidden": [3], "activation": "tanh", "epochs": 500},
                                    {"hidden": [3], "activation": "gelu"},
                                    {"hidden": [3], "activation": "silu"}])
def test_small_circles_has_more_than_one_answer(answer):
    """What the solution and the teaching guide say passes besides one layer of 3 ReLUs."""
    assert P.SMALL_CIRCLES.grade(answer).status == "correct"


def test_small_circles_success_words_fit_every_activation():
    """The success message spoke of "where a ReLU folds it" to a tanh network: it names the smooth step too."""
    text = P.SMALL_CIRCLES.grade({"hidden": [3], "activation": "tanh", "epochs": 500}).text
    assert "a tanh or a sigmoid makes a smooth step" in text and "where a ReLU folds it" not in text


def test_small_circles_says_lower_the_learning_rate_only_where_a_lower_one_does_better():
    """The advice of "overshoots" is checked by training: a third of the learning rate must do better. Sigmoid at
    lr 1.0 (a brief climb to 1.5 times the start, then far down) does better at lr 1/3; two GELUs at lr 0.3 do not,
    so they are told their loss was still falling, not to lower the learning rate."""
    sigmoid = lesson.read_circles_settings({"hidden": [3], "activation": "sigmoid", "lr": 1.0})[0]
    assert lesson.circles_runs(sigmoid.replace(lr=1 / 3))["accuracy"] > lesson.circles_runs(sigmoid)["accuracy"]
    feedback = P.SMALL_CIRCLES.grade({"hidden": [2], "activation": "gelu", "lr": 0.3, "epochs": 500})
    assert "Lower it" not in feedback.text and "still falling at the end" in feedback.text


def test_overshoots_names_the_seed_left_at_chance_not_a_loss_that_went_up():
    """Sigmoid at lr 1.0 for 500 epochs: the median training loss falls from 0.70 to 0.04, but on seed 1 it climbs
    to 1.5 times its start and never comes back down, and that run stays at chance on the new points (50 %)."""
    feedback = P.SMALL_CIRCLES.grade({"hidden": [3], "activation": "sigmoid", "lr": 1.0, "epochs": 500})
    r = lesson.circles_runs(lesson.read_circles_settings({"hidden": [3], "activation": "sigmoid", "lr": 1.0,
                                                          "epochs": 500})[0])
    assert r["last"] < 0.2 * r["first"] and r["worst"] < 0.6 and r["stuck"] == 1  # the median fell; one seed did not
    assert feedback.status == "mistake" and "went up instead of down" not in feedback.text
    assert "on 1 of the 3 seeds it never came back down, ending near its start and at chance" in feedback.text
    assert "came back down" not in P.SMALL_CIRCLES.grade({"hidden": [3], "lr": 1}).text  # no seed left at chance


def test_a_miss_never_reports_test_accuracy():
    feedback = P.SMALL_CIRCLES.grade({"hidden": [2], "activation": "gelu", "lr": 0.3})
    assert feedback.status == "mistake" and "test accuracy over" not in feedback.text.lower()


def test_two_gelus_are_not_told_they_have_too_few_units():
    """A GELU dips before it rises, so a sum of two can be lowest in a closed patch and fence in the centre: their
    miss (88 % here) is explained from what training did, not by a count of units that is no proof for them."""
    feedback = P.SMALL_CIRCLES.grade({"hidden": [2], "activation": "gelu", "lr": 0.3, "epochs": 500})
    assert feedback.status == "mistake" and "too few units" not in feedback.text


def test_small_circles_verdict_has_a_wide_margin():
    """The solution passes on every seed the check uses, far above the goal (no BLAS kernel can flip it), and its
    loss curves are far from what the check calls overshooting: they end lower than they start, never rise above
    it (the check's line is 1.5 times the start; lr 50 climbs to dozens of times), and all their rises add up to
    under the start (the check's line for a loss that jumps up and down is three times; lr 50 climbs hundreds)."""
    settings, problem = lesson.read_circles_settings({"hidden": [3]})
    assert problem is None and settings.dataset == "circles" and settings.noise == 0.1
    X, y = nl.datasets.make("circles", n=2000, noise=0.1, seed=7007)  # the check's fresh points, made here again
    accuracies = [np.mean(P.run(settings.replace(seed=seed)).model.predict(X) == y) for seed in lesson.CIRCLES_SEEDS]
    assert min(accuracies) > lesson.CIRCLES_GOAL + 0.04 and lesson.circles_runs(settings)["worst"] == min(accuracies)
    healthy, overshooting = lesson.circles_runs(settings), lesson.circles_runs(settings.replace(lr=50.0))
    assert healthy["last"] < 0.2 * healthy["first"] and healthy["climbed"] < 1 and not healthy["diverged"]
    assert healthy["peak"] < 1.01 < 1.5 < overshooting["peak"]
    assert overshooting["last"] > overshooting["first"] and overshooting["climbed"] > 100


def test_small_circles_trains_each_settings_once():
    settings = lesson.read_circles_settings({"hidden": [3], "epochs": 3})[0]
    before = lesson.circles_runs.cache_info().misses
    P.SMALL_CIRCLES.grade({"hidden": [3], "epochs": 3})
    first = lesson.circles_runs.cache_info().misses  # these settings, and at most one comparison (a third of the lr)
    for _ in range(2):
        P.SMALL_CIRCLES.grade({"hidden": [3], "epochs": 3})
    assert before + 1 <= first <= before + 2 and lesson.circles_runs.cache_info().misses == first
    assert lesson.circles_runs(settings)["accuracy"] < 0.9


def _vanishing_ratios(seeds=range(10), **changes):
    """Exercise 3's measurement, written out: layer 6 over layer 1, before training, for seeds 0 to 9."""
    ratios = []
    for seed in seeds:
        settings = P.Settings(dataset="moons", hidden=(16,) * 6, activation="sigmoid", seed=seed).replace(**changes)
        norms = P.Trainer(settings).start_grad_norms  # ||dL/db||: hidden layers 1 to 6, then the output layer
        assert len(norms) == 7 or "hidden" in changes
        ratios.append(norms[-2] / norms[0])
    return np.array(ratios)


def test_vanishing_exercise_takes_any_honest_estimate_of_one_sigmoid_layers_share():
    """Any median over ten seeds is right: the notebook's seeds 0-9, other blocks of ten seeds (4.26 to 4.64 on
    seeds 10-109), a student's own draws, rounded or written as a Fraction, a NumPy scalar or a list. A correct
    computation once failed unless it gave four figures of the notebook's own runs (round 62: 4.37 refused)."""
    ratios = _vanishing_ratios()
    right = np.median(ratios) ** (1 / 5)  # five layers crossed from layer 6 back to layer 1
    grade = P.VANISHING_RATIO.grade
    assert 4.4 < right < 4.6 and (P.VANISHING_RATIO.low, P.VANISHING_RATIO.high) == (4.1, 4.9)
    blocks = [np.median(_vanishing_ratios(range(start, start + 10))) ** (1 / 5) for start in range(10, 60, 10)]
    assert 4.2 < min(blocks) and max(blocks) < 4.7  # a wide margin inside the window on every block
    for answer in (right, np.median(ratios ** (1 / 5)), *blocks, 4.37, 4.5, Fraction(9, 2), np.float32(4.48),
                   [4.48], np.mean(ratios) ** (1 / 5)):
        assert grade(answer).status == "correct", answer
    assert f"Seeds 0 to 9 give {right:.2f}" in grade(4.5).text  # the verdict says what the notebook's seeds give
    assert grade(float(f"{ratios[0] ** 0.2:.3g}")).status == "correct"  # 4.71 typed: maybe a median of other seeds
    roots = ratios ** (1 / 5)  # the verdict: "one seed alone mostly 3.8 to 5.4" (seeds 0-9: 4.07-4.77)
    assert 3.8 < roots.min() and roots.max() < 5.4


@pytest.mark.parametrize("answer, words", [
    (lambda r: np.median(r) ** (1 / 6), "five sigmoid layers"), (lambda r: np.median(r) ** (1 / 4), "five sigmoid"),
    (lambda r: r[0] ** (1 / 5), "seed 0 alone"),
    (lambda r: 1 / np.median(r) ** (1 / 5), "upside down"), (lambda r: 1 / 4.317, "upside down"),
    (lambda r: np.median(r), "ratio itself"), (lambda r: 1806, "ratio itself"), (lambda r: 4, "bound"),
    (lambda r: -np.median(r) ** (1 / 5), "opposite sign"), (lambda r: 10 * np.median(r) ** (1 / 5), "power of ten"),
])
def test_vanishing_exercise_names_the_usual_slips(answer, words):
    feedback = P.VANISHING_RATIO.grade(answer(_vanishing_ratios()))
    assert feedback.status == "mistake" and words in feedback.text, feedback


@pytest.mark.parametrize("changes, words", [
    ({"activation": "relu"}, "ReLU network"), ({"hidden": (16,) * 5}, "5 hidden layers"),
    ({"hidden": (16,) * 7}, "7 hidden layers"), ({"activation": "tanh"}, ""), ({"init": "he"}, ""),
    ({"init": "normal"}, ""),
])
def test_vanishing_exercise_refuses_another_network(changes, words):
    """Another network gives another factor, refused, named where it is a usual slip."""
    feedback = P.VANISHING_RATIO.grade(np.median(_vanishing_ratios(**changes)) ** (1 / 5))
    assert feedback.status in ("mistake", "wrong") and words in feedback.text, feedback


@pytest.mark.parametrize("changes", [{"dataset": "spiral"}, {"dataset": "circles"}, {"dataset": "xor"},
                                     {"noise": 0.1}, {"n": 200}, {"val_fraction": 0.3}])
def test_vanishing_exercise_takes_the_same_network_on_other_data(changes):
    """The factor comes from the sigmoid and the initialisation, not from the points (the verdict says so): the
    same network on other data lands inside the window, as the notebook's own seeds do."""
    assert P.VANISHING_RATIO.grade(np.median(_vanishing_ratios(**changes)) ** (1 / 5)).status == "correct"
    assert "not from the data" in P.VANISHING_RATIO.grade(4.5).text
