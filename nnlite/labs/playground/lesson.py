"""What notebook 07 shows outside the live panel: still figures of finished runs, results over
seeds, and the exercises.
"""

import dataclasses
import functools
import math

import matplotlib as mpl
import numpy as np

from ... import datasets, viz
from ..._validate import as_labels, as_points, check_int
from ...exercises import BuiltOnFirstUse, ChoiceExercise, DiagnosedExercise, Mistake, NumberExercise
from ...exercises.answers import figures_given, near, read_numbers, shown
from ...losses import log_softmax, softmax
from ...metrics import accuracy
from ...training import QUIET
from ..runs import SEEDS, over_seeds
from . import point_marks
from .engine import Trainer, run
from .settings import CLASSIFICATION, Settings, as_settings
from .unit_pictures import GridPass, diverging_colors


def plot_runs(trainers, titles=None, ax=None, resolution=100):
    """The class regions of several runs side by side, with their points marked as the playground marks them
    (point_marks): the class in colour and shape, training points filled, validation points hollow. A static
    figure for the notebook. Returns the axes."""
    import matplotlib.pyplot as plt

    trainers = list(trainers)
    if ax is None:
        _, ax = plt.subplots(1, len(trainers), figsize=(3.4 * len(trainers), 3.6),
                             layout="constrained", squeeze=False)
        ax = ax.ravel()
    for i, (a, trainer) in enumerate(zip(ax, trainers, strict=True)):
        probs, extent = viz.decision_grid(trainer.model, trainer.X, resolution=resolution)
        a.imshow(viz.region_colors(probs), origin="lower", extent=extent, interpolation="bilinear")
        for part, X, y in (("train", trainer.X_train, trainer.y_train), ("validation", trainer.X_val, trainer.y_val)):
            for k in np.unique(y):
                a.plot(*X[y == k].T, **point_marks.class_style(part, k))
        title = titles[i] if titles else trainer.settings.dataset
        a.set_title(f"{title}\nvalidation accuracy {trainer.latest()['val_accuracy']:.1%}", fontsize="medium")
        a.set(xlim=extent[:2], ylim=extent[2:], xticks=[], yticks=[], aspect="equal")
        a.grid(False)
    ax[0].legend(handles=point_marks.key_handles(("train", "validation")), loc="upper left",
                 bbox_to_anchor=(0.0, -0.01), ncols=2, frameon=False, fontsize="small", handletextpad=0.2,
                 columnspacing=0.8)
    return ax


def plot_curves(trainer, axes=None, best=False, parts=("loss", "accuracy"), log=True):
    """Loss and accuracy per epoch of one run, on the training and the validation points, one axes per
    entry of `parts` (made side by side when `axes` is None). The training loss is the model's loss on
    all the training points after each epoch (History.train_loss), as in the playground. The loss is on a
    log scale, as in the playground, unless log=False: a linear axis reads better when the loss moves
    within a factor of a few. best=True marks the epoch of the lowest validation loss. Returns the axes."""
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, len(parts), figsize=(4 * len(parts), 3.2), layout="constrained", squeeze=False)
        axes = axes.ravel()
    c, x = trainer.curves, np.arange(len(trainer.curves["train_loss"]))
    for ax, what in zip(axes, parts, strict=True):
        for color, part, label in ((viz.PALETTE[0], "train", "training"), (viz.PALETTE[1], "val", "validation")):
            ax.plot(x, c[f"{part}_{what}"], color=color, label=label)
        if best:
            ax.axvline(trainer.best_epoch, color="0.4", linestyle=":", linewidth=1.2)
        if what == "loss":
            ax.set(yscale="log" if log else "linear", ylabel="loss (cross-entropy)")
        else:
            ax.set(ylabel="accuracy")
            ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
        ax.set_xlabel("epoch")
    axes[0].legend(fontsize="small")
    return axes


def plot_units(trainer, layer=1, columns=8, resolution=60, own_scale=False):
    """What each unit of hidden layer `layer` (1 = the first) of a run outputs over the input plane: one
    small square per unit, left to right and top to bottom, coloured as the playground's "network" view
    colours them (grey at 0, blue for positive outputs, orange for negative, full at 1 and -1 and beyond:
    a colour bar says so, since a ReLU output that passes 1 keeps growing though its colour stops; it runs
    from 0 to 1 when no unit shown outputs a negative value, as with ReLU, and from -1 to 1 otherwise). A
    still copy of that view's pictures for the notebook, drawn as one image (quick to draw), with the axes
    x1 = 0 and x2 = 0 drawn faintly in each square; the live view also shows the weights and each unit's
    formula. With `own_scale`, each square is shaded up to its own largest output instead (none is clipped,
    and the colour bar says so). Returns the axes."""
    import matplotlib.pyplot as plt

    n_hidden = len(trainer.model.sizes) - 2
    layer = check_int(layer, "layer", minimum=1)
    if layer > n_hidden:
        raise ValueError(f"layer must be a hidden layer, 1 to {n_hidden}, got {layer}")
    extent = viz.grid_extent(trainer.X, 0.3)
    values = GridPass().run(trainer.model, viz.grid_points(extent, resolution))[layer]
    if own_scale:  # each unit divided by its largest |output| in the square: full colour at its own maximum
        values = values / np.maximum(np.abs(values).max(axis=0), 1e-12)
    units, step = values.shape[1], resolution + UNIT_GAP
    rows, columns = math.ceil(units / columns), min(columns, units)
    mosaic = np.full((rows * step - UNIT_GAP, columns * step - UNIT_GAP, 3), 255, dtype=np.uint8)  # white gaps
    for i in range(units):
        top, left = (i // columns) * step, (i % columns) * step
        square = diverging_colors(values[:, i]).reshape(resolution, resolution, 3)[::-1]  # row 0 of the plane: bottom
        mosaic[top:top + resolution, left:left + resolution] = square
    _, ax = plt.subplots(figsize=(1.1 * columns + 0.7, 1.1 * rows + 0.3), layout="constrained")
    ax.imshow(mosaic, interpolation="nearest")
    x0, x1, y0, y1 = extent  # the axes x1 = 0 and x2 = 0, faint, in every square: where the quadrants meet
    col, row = (resolution - 1) * -x0 / (x1 - x0), (resolution - 1) * y1 / (y1 - y0)
    for i in range(units):
        top, left = (i // columns) * step, (i % columns) * step
        ax.plot([left + col] * 2, [top, top + resolution - 1], [left, left + resolution - 1], [top + row] * 2,
                color="0.35", linewidth=0.5, alpha=0.7)
    ax.set_axis_off()
    ax.set_title(f"the {units} units of hidden layer {layer}: each one's output over the plane "
                 "(thin lines: the axes)", fontsize="medium")
    _unit_colour_bar(ax, signed=bool((values < 0).any()), own_scale=own_scale)
    return ax


def _unit_colour_bar(ax, signed=True, own_scale=False):
    """plot_units' key: the colours from -1 (or, not `signed`, from 0) to 1, with an arrow for the values beyond,
    drawn in one colour; with `own_scale`, each unit's output over its own largest, so no arrow."""
    import matplotlib.pyplot as plt

    low = -1.0 if signed else 0.0
    shades = mpl.colors.ListedColormap(diverging_colors(np.linspace(low, 1.0, 2 * 64 + 1)) / 255.0)
    scale = mpl.cm.ScalarMappable(norm=mpl.colors.Normalize(low, 1.0), cmap=shades)
    extend = "neither" if own_scale else "both" if signed else "max"  # own_scale: nothing lies beyond the ends
    bar = plt.colorbar(scale, ax=ax, extend=extend, ticks=[low, 0, 1] if signed else [0, 1],
                       fraction=0.03, pad=0.01)
    bar.set_label("output / the\nunit's largest" if own_scale else
                  f"output\n(full colour\nfrom {'±1' if signed else '1'} on)", fontsize="small")
    bar.ax.tick_params(labelsize="small")


UNIT_GAP = 6  # white pixels between two units' squares in plot_units


def run_seeds(settings=None, seeds=SEEDS, **changes):
    """`run` once per seed (the seed moves the points, the split, the first weights and the
    shuffles): a result about a distribution, not about one run. Returns the Trainers."""
    settings = Settings() if settings is None else as_settings(settings)
    return over_seeds(lambda seed: run(settings.replace(seed=seed, **changes)), seeds)


def final(trainers, key):
    """The last value of curves[key] ("train_loss", "val_accuracy", ...) of each run, as an array."""
    return np.array([t.curves[key][-1] for t in trainers])


def at_best(trainers, key):
    """curves[key] of each run at its best_epoch (the lowest validation loss), as an array."""
    return np.array([t.curves[key][t.best_epoch] for t in trainers])


def best_line_accuracy(X, y, directions=360):
    """The largest share of the points (X, y), two classes 0 and 1, that one straight line puts on their
    own class's side: the most that a network without a bend (activation "identity") could get right.

    A line is a direction and a cut along it. The search tries `directions` directions, evenly spread
    over half a turn, and along each every cut between two neighbouring points, with class 1 on either
    side: a lower bound of the true best, within a fraction of a point for a few hundred points.
    """
    X, y = as_points(X), as_labels(y, "y", n_classes=2)
    if len(y) != len(X):
        raise ValueError(f"y must have one label per row of X ({len(X)}), got {len(y)}")
    directions = check_int(directions, "directions", minimum=1)
    angles = np.linspace(0.0, np.pi, directions, endpoint=False)
    along = np.cos(angles)[:, None] * X[:, 0] + np.sin(angles)[:, None] * X[:, 1]  # (directions, N): no BLAS
    ones_so_far = np.cumsum(y[np.argsort(along, axis=1, kind="stable")], axis=1)  # class 1 among the first k
    n, ones = len(y), ones_so_far[:, -1:]
    k = np.arange(1, n + 1)
    # cut after the first k points, class 0 below and class 1 above: the 0s below plus the 1s above are right
    right = np.concatenate([ones, (k - ones_so_far) + (ones - ones_so_far)], axis=1)  # k = 0 (all above) ... n
    return float(max(right.max(), n - right.min())) / n  # n - right: class 1 below the cut instead


def overfit_gap(trainers):
    """Validation loss minus training loss at the end of each run: how much better the network does on
    the points it trained on than on new ones."""
    return final(trainers, "val_loss") - final(trainers, "train_loss")


def loss_by_answer(model, X, y):
    """The cross-entropy of `model` on (X, y), split by answer: (part from the points it gets right,
    part from those it gets wrong, how many it gets wrong). The two parts are sums over their points
    divided by all N points, so they add up to the loss."""
    losses, right = point_losses(model, X, y)
    wrong = ~right
    return losses[~wrong].sum() / len(y), losses[wrong].sum() / len(y), int(wrong.sum())


def point_losses(model, X, y):
    """-ln p(true class) of every point, and whether the model gets it right."""
    with np.errstate(**QUIET):
        logits = model.forward(X)
        losses = -log_softmax(logits)[np.arange(len(y)), y]
    return losses, logits.argmax(axis=1) == y


def error_rms(model, X, y):
    """Each point's error signal at the output, softmax p - one-hot y: the root mean square of its length over
    the points. It shrinks only if the points' own errors shrink; ||dL/db|| of the output layer (the length of
    their mean) shrinks also when they cancel."""
    p = softmax(model.forward(X))
    p[np.arange(len(y)), y] -= 1.0
    return float(np.sqrt((p ** 2).sum(axis=1).mean()))


def moons_ceiling(noise, n=20000, seed=1):
    """The best any rule can do on new noisy-moons points (accuracy, cross-entropy): the Bayes rule, from how
    `datasets.moons` makes them (a point of each half circle, equally likely, plus Gaussian noise), on n points.
    The points are drawn at random along the half circles, not evenly spaced as datasets.moons places them: new
    points of the same process, not a copy of a course data set."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    t = rng.uniform(0, np.pi, n)
    X = np.where(y[:, None] == 0, np.column_stack([np.cos(t), np.sin(t)]),
                 np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])) + rng.normal(0, noise, (n, 2))
    return moons_bayes(X, y, noise)


def moons_bayes(X, y, noise):
    """On the points X with classes y: the accuracy of the Bayes rule of noisy moons and the cross-entropy of the
    true probabilities it thresholds at 1/2 (a rule gives labels; the loss is of its P(class 1 | x), from how
    `datasets.moons` makes the points). Measured on a set's own points, it is the yardstick
    for a network on those same points (a small set can be easier or harder than new points on average)."""
    X, y = as_points(X), as_labels(y, "y", 2)
    arc = np.linspace(0, np.pi, 401)
    arcs = [np.column_stack([np.cos(arc), np.sin(arc)]), np.column_stack([1 - np.cos(arc), 0.5 - np.sin(arc)])]
    # the squared distance of every point to every arc point, (N, 401): the two squares added (as .sum(-1) adds them)
    likelihood = [np.exp(-((X[:, :1] - a[:, 0]) ** 2 + (X[:, 1:] - a[:, 1]) ** 2) / (2 * noise ** 2)).mean(axis=1)
                  for a in arcs]
    p1 = likelihood[1] / (likelihood[0] + likelihood[1])
    return float(np.mean((p1 > 0.5) == (y == 1))), float(-np.mean(np.log(np.where(y == 1, p1, 1 - p1))))


def choose(candidates):
    """Early stopping and a setting, chosen on the validation set: `candidates` maps a name (say, a
    weight decay) to one run per seed. For each seed, the run and epoch with the lowest validation
    loss win. Returns one (name, Trainer) per seed; the Trainer's best_epoch is the chosen epoch."""
    names = list(candidates)
    per_seed = zip(*(candidates[name] for name in names), strict=True)
    return [min(zip(names, runs, strict=True), key=lambda pair: pair[1].curves["val_loss"][pair[1].best_epoch])
            for runs in per_seed]


def plot_remedy(before, after, groups, names=("no remedy", "with the remedy"), measure="gap"):
    """Three panels: the loss curves of one run without (`before`) and with (`after`) a remedy, side by
    side on one linear scale (titled by `names`), then plot_gaps(groups, measure=measure). Returns the axes."""
    import matplotlib.pyplot as plt

    _, axes = plt.subplots(1, 3, figsize=(10.5, 3.4), layout="constrained", width_ratios=[1, 1, 1.1])
    for ax, trainer, name in zip(axes[:2], (before, after), names, strict=True):
        plot_curves(trainer, axes=[ax], parts=["loss"], log=False)
        ax.set_title(name, fontsize="medium")
    limits = np.array([ax.get_ylim() for ax in axes[:2]])
    for ax in axes[:2]:
        ax.set_ylim(limits[:, 0].min(), limits[:, 1].max())
    axes[1].set_ylabel("")  # the same scale as its left neighbour's
    plot_gaps(groups, ax=axes[2], measure=measure)
    return axes


GAP_MEASURES = {  # what plot_gaps can show per seed: (the values, the y label, the title)
    "gap": (overfit_gap, "validation loss - training loss", "the gap at the end, a line per seed"),
    "val_loss": (lambda trainers: final(trainers, "val_loss"), "validation loss",
                 "validation loss at the end, a line per seed"),
}


def plot_gaps(groups, ax=None, measure="gap"):
    """One mark per seed for each {name: [Trainer, ...]} group, a thin line joining each seed's marks (when the
    groups have one run per seed each, in the same order), and a bar at the median: its overfit_gap
    (`measure="gap"`) or its validation loss after the last epoch (`"val_loss"`). Each group has its own
    shape and a colour that the loss curves (blue, orange) do not use."""
    import matplotlib.pyplot as plt

    if measure not in GAP_MEASURES:
        raise ValueError(f"measure must be one of {', '.join(map(repr, GAP_MEASURES))}, got {measure!r}")
    values_of, ylabel, title = GAP_MEASURES[measure]
    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 3.4), layout="constrained")
    values = [np.asarray(values_of(trainers)) for trainers in groups.values()]
    jitter = np.random.default_rng(0).uniform(-0.15, 0.15, max(map(len, values)))  # equal values stay apart
    if len({len(v) for v in values}) == 1:  # one run per seed in each group: a thin line joins each seed's marks
        ax.plot(np.arange(len(values))[:, None] + jitter, np.array(values), color="0.75", linewidth=0.8, zorder=1)
    for i, gaps in enumerate(values):
        ax.plot(i + jitter[:len(gaps)], gaps, viz.MARKERS[i % len(viz.MARKERS)],
                color=viz.PALETTE[2 + i % (len(viz.PALETTE) - 2)], alpha=0.8)
        ax.plot([i - 0.3, i + 0.3], [np.median(gaps)] * 2, color="0.15", linewidth=2.5)
    ax.axhline(0, color="0.6", linewidth=0.8)
    ax.set_xticks(range(len(groups)), list(groups))
    ax.set(xlim=(-0.6, len(groups) - 0.4), ylabel=ylabel)
    ax.set_title(title, fontsize="medium")
    return ax


# Exercises (checked in the notebook)

LINEAR_DATASET = ChoiceExercise(
    "the one data set a network without a bend can solve",
    expected="blobs",
    options=list(CLASSIFICATION),
    mistakes=[
        Mistake("moons", "The moons are close: a straight cut gets most of their validation points, but their tips "
                         "reach past each other, and a straight line misses points there: on seeds 0 to 9 it ends "
                         "at 95% or below, short of the 98% asked."),
        Mistake("xor", "XOR is the textbook case a straight line cannot do: in section 3 it stays around chance."),
        Mistake("circles", "No straight line puts a ring on one side and its centre on the other."),
        Mistake("spiral", "Three interleaved arms need a boundary that winds around: far from straight."),
    ],
    hint="Reread section 3 (a straight line cannot do XOR): without a bend the network cuts the plane with straight "
         "lines only. Try activation 'identity' on each data set in the playground, and write the name as a string.",
    why="The three blobs lie in three separate directions from the centre: straight cuts between them are enough.",
)

# Exercise 2: settings for circles with the fewest hidden units (3 do it). The data is the exercise's, the seeds
# the check's.
CIRCLES_DATA = {"dataset": "circles", "noise": 0.1, "n": 300, "val_fraction": 0.2, "test_fraction": 0.2, "seed": 0}
CIRCLES_SEEDS = (0, 1, 2)
CIRCLES_GOAL, CIRCLES_UNITS, CIRCLES_EPOCHS = 0.9, 3, 500  # fresh-point accuracy on each seed, units, epochs
CIRCLES_TRAIN = 180  # training points: 300 less a fifth for validation and a fifth for the test
CIRCLES_FRESH = {"n": 2000, "seed": 7007}  # the check's own new points: the verdict, never the test set
CIRCLES_STEPS = CIRCLES_EPOCHS * math.ceil(CIRCLES_TRAIN / 16)  # 500 epochs at the default batch size: 6000 steps
MONOTONE = ("relu", "leaky_relu", "tanh", "sigmoid", "identity")  # GELU and SiLU dip before they rise
_NOT_YOURS = {  # why a data setting is the exercise's to choose
    **dict.fromkeys(("dataset", "noise", "n"), "the exercise is on circles with noise 0.1 (300 points)"),
    **dict.fromkeys(("val_fraction", "test_fraction"), "the check cuts the points as the playground does by "
                                                       "default (a fifth for validation, a fifth for the test)"),
    "seed": "the check trains your settings on seeds 0, 1 and 2 of its own, so that one lucky seed is not enough",
}
# Refused, not only data: the exercise is about the bends a network builds from x1 and x2 with its hidden units.
# Inputs such as x1² and x2² hand it the circle's shape (no hidden layer then reaches 98-100 %), and L1 or a loss to
# stop at are not among the settings the exercise lists; each is taken only at its default.
_NOT_THIS_EXERCISE = {
    "features": "this exercise is about the bends the network builds itself from the inputs x1 and x2; with x1² "
                "and x2² as inputs, a network with no hidden layer would draw the circle without any bend",
    **dict.fromkeys(("l1", "target_loss"), "this exercise's settings are hidden, activation, init, lr, batch_size, "
                                           "epochs and weight_decay"),
    "data_seed": _NOT_YOURS["seed"],
}


def _plain(value, whole):
    """A setting as Settings takes it, however it was written: 'ReLU ' as 'relu', np.array([3]) as [3], 200.0 as
    200 (`whole`), Fraction(1, 10) as 0.1. Anything else is left for Settings to refuse in words."""
    if isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v, True) for v in (value.tolist() if isinstance(value, np.ndarray) else value)]
    number, problem = read_numbers(value, ())
    if problem or (whole and not float(number).is_integer()):
        return value
    return int(number) if whole else float(number)


def _is(value, exact):
    """True when a data setting as the student wrote it is the exercise's (0.1 may be written 1/10 or 0.10)."""
    value = _plain(value, isinstance(exact, int))
    if isinstance(exact, float):
        return isinstance(value, float) and abs(value - exact) <= 1e-6 * exact
    return type(value) is type(exact) and value == exact


def _is_default(key, value, default):
    """True when `value` is the default of setting `key` as Settings would store it (features in any order)."""
    try:
        return getattr(default.replace(**{key: value}), key) == getattr(default, key)
    except (TypeError, ValueError):
        return False


def read_circles_settings(answer):
    """(the Settings of the student's dict, on the exercise's data, None), or (None, a sentence). A data setting
    is taken only with the exercise's value: the check never replaces one of the student's silently."""
    if isinstance(answer, Settings):
        answer = {f.name: getattr(answer, f.name) for f in dataclasses.fields(Settings)}
    if not isinstance(answer, dict):
        return None, (f"my_settings should be a dict of the settings you change, such as {{'hidden': [8], "
                      f"'activation': 'tanh'}}; it is {shown(answer)}.")
    names = [f.name for f in dataclasses.fields(Settings)]
    yours = [name for name in names if name not in CIRCLES_DATA and name not in _NOT_THIS_EXERCISE]
    unknown = next((key for key in answer if key not in names), None)
    if unknown is not None:
        return None, (f"my_settings has the key {shown(unknown)}, which is not a setting; the settings you may "
                      f"change are {', '.join(yours[:-1])} and {yours[-1]}.")
    for key, exact in CIRCLES_DATA.items():
        if key in answer and not _is(answer[key], exact):
            return None, f"my_settings sets {key!r} to {shown(answer[key])}, but {_NOT_YOURS[key]}. Leave {key!r} out."
    default = Settings()
    for key, why in _NOT_THIS_EXERCISE.items():
        if key in answer and not _is_default(key, answer[key], default):
            return None, f"my_settings sets {key!r} to {shown(answer[key])}, but {why}. Leave {key!r} out."
    changes = {key: _plain(value, key in ("hidden", "batch_size", "epochs")) for key, value in answer.items()
               if key in yours}
    try:
        return Settings(**{**CIRCLES_DATA, **changes}), None
    except (TypeError, ValueError) as error:
        return None, f"{error}."


@functools.cache
def circles_fresh():
    """(X, y): CIRCLES_FRESH new points of the exercise's circles, none of them in any run's three sets. A student
    may resubmit as often as they like: the verdict never looks at the test set, so nothing is tuned on it."""
    return datasets.make("circles", noise=CIRCLES_DATA["noise"], **CIRCLES_FRESH)


@functools.lru_cache(maxsize=256)
def circles_runs(settings):
    """What SMALL_CIRCLES judges `settings` by, from one run per seed of CIRCLES_SEEDS: the worst accuracy on the
    check's fresh points (the verdict), the median validation accuracy (what a miss reports), medians. Cached (a
    run costs about half a second, and a check, its tests and its mutation tests ask about the same settings again
    and again); only these numbers are kept, not the networks."""
    runs = over_seeds(lambda seed: Trainer(settings.replace(seed=seed)).run(), CIRCLES_SEEDS)
    X_fresh, y_fresh = circles_fresh()
    with np.errstate(**QUIET):
        tests = [0.0 if r.diverged else accuracy(y_fresh, r.model.predict(r.inputs(X_fresh))) for r in runs]
        vals = [0.0 if r.diverged else accuracy(r.y_val, r.model.predict(r.inputs(r.X_val))) for r in runs]
        curves = [np.array(r.curves["train_loss"]) for r in runs if not r.diverged]
        rises = [np.diff(c)[np.diff(c) > 0] for c in curves]
        kept = [t for r, t in zip(runs, tests, strict=True) if not r.diverged]  # aligned with curves

        def median(values):
            return float(np.median(values)) if curves else math.nan

        return {
            "accuracy": float(np.median(tests)), "worst": float(min(tests)), "val": float(np.median(vals)),
            "diverged": sum(r.diverged for r in runs),
            "first": median([c[0] for c in curves]), "last": median([c[-1] for c in curves]),
            "peak": median([c.max() / c[0] for c in curves]),  # the highest loss, in starts
            "rose": median([len(up) / max(len(c) - 1, 1) for up, c in zip(rises, curves, strict=True)]),  # epochs
            "climbed": median([up.sum() / c[0] for up, c in zip(rises, curves, strict=True)]),  # all rises / start
            "falling": median([c[-1] < 0.98 * c[int(0.8 * (len(c) - 1))] for c in curves]) >= 0.5,
            "dead": sum(bool(r.dead_fraction().any()) for r in runs if not r.diverged),
            # seeds left at chance (two even classes) with their loss still near its start: the median hides them
            "stuck": sum(t < 0.6 and c[-1] > 0.9 * c[0] for t, c in zip(kept, curves, strict=True)),
        }


def _diagnose_circles(settings):
    """(diagnosis, details): the rules first, then what training on three seeds did."""
    total = sum(settings.hidden)
    if total > CIRCLES_UNITS:
        return "too_many_units", f"(Yours has {total}.)"
    steps = settings.epochs * math.ceil(CIRCLES_TRAIN / settings.batch_size)
    if settings.epochs > CIRCLES_EPOCHS or steps > CIRCLES_STEPS:
        return "too_many_epochs", (f"(Yours has {settings.epochs} epochs of {steps // settings.epochs} steps: "
                                   f"{steps} steps in all.)")
    if not settings.hidden or settings.activation == "identity":
        return "no_bend", ""
    r = circles_runs(settings)
    result = (f"(Median validation accuracy over seeds 0, 1 and 2: {r['val']:.0%}; on the check's "
              f"{CIRCLES_FRESH['n']:,} new points the weakest seed reached {r['worst']:.0%}, and the goal is at least "
              f"{CIRCLES_GOAL:.0%} on each: a median can hide one seed that missed.)")
    loss = f"the training loss went from {r['first']:.2f} to {r['last']:.2f}"
    if r["worst"] >= CIRCLES_GOAL:
        return "correct", (f"Accuracy on {CIRCLES_FRESH['n']:,} new points over seeds 0, 1 and 2: at least "
                           f"{r['worst']:.0%}, with {total} hidden unit{'s' if total > 1 else ''}.")
    if r["diverged"]:
        return "overshoots", f"(Training diverged on {r['diverged']} of {len(CIRCLES_SEEDS)} seeds.) {result}"
    if settings.weight_decay > 0:  # the cause, if the same settings without it reach the goal (3 more runs, cached)
        undecayed = circles_runs(settings.replace(weight_decay=0.0))
        if undecayed["worst"] >= CIRCLES_GOAL:
            return "too_much_decay", (f"(Without weight decay the same settings reach a median validation accuracy "
                                      f"of {undecayed['val']:.0%}; with yours "
                                      f"{loss}.) {result}")
    # A loss that rose on the way says "lower the learning rate" only if a lower one does better: a loss that rose
    # briefly and ends far down may be held back by something else (3 more runs at a third of it, cached).
    calmer = r["last"] > r["first"] or circles_runs(settings.replace(lr=settings.lr / 3))["accuracy"] > r["accuracy"]
    if calmer and (r["last"] > r["first"] or r["peak"] > 1.5):  # far above its start: not small batches' wobble
        fate = "training diverged" if r["last"] > r["first"] else "the steps threw it far above where it started"
        if r["stuck"] and r["last"] <= r["first"]:  # the median fell: say which seeds did not
            fate += (f"; on {r['stuck']} of the {len(CIRCLES_SEEDS)} seeds it never came back down, ending near "
                     f"its start and at chance (the weakest seed: {r['worst']:.0%} of the new points)")
        return "overshoots", (f"(Median over the seeds: {loss}, and climbed to {r['peak']:.3g} times its start on "
                              f"the way, rising in {r['rose']:.0%} of the epochs: {fate}.) {result}")
    if settings.hidden[0] == 1 or (settings.hidden[0] == 2 and settings.activation in MONOTONE):
        # before a loss that wobbles: no learning rate makes up for it. Within the budget (one unit left after two),
        # every later layer sees the plane through these units (one unit: a band at best; two GELUs can close a patch,
        # as they dip and rise). A wide later layer could undo two ReLUs' folds, but the budget has no room for one
        units = f"{settings.hidden[0]} unit{'s' if settings.hidden[0] > 1 else ''}"
        return "too_few_folds", f"(Your first hidden layer has {units}.) {result}"
    if calmer and r["climbed"] > 3:
        return "overshoots", (f"(Median over the seeds: {loss}, and rose in {r['rose']:.0%} of the epochs: it jumped "
                              f"up and down.) {result}")
    if r["dead"] > len(CIRCLES_SEEDS) // 2:
        return "dead_units", f"(Units died in {r['dead']} of the {len(CIRCLES_SEEDS)} runs.) {result}"
    if r["accuracy"] >= CIRCLES_GOAL:  # most seeds reach it on the new points: the weakest one did not
        return "one_seed_missed", f"(Median over the seeds: {loss}.) {result}"
    if r["falling"] or r["last"] > 0.9 * r["first"]:
        still = ", still falling at the end" if r["falling"] else ""
        return ("too_slow_at_cap" if steps >= CIRCLES_STEPS else "too_slow"), (f"(Median over the seeds: {loss}"
                                                                               f"{still}.) {result}")
    return "wrong", f"Median over the seeds: {loss}, and had stopped falling. {result}"


SMALL_CIRCLES = DiagnosedExercise(
    "circles with the fewest hidden units",
    read=read_circles_settings,
    diagnose=_diagnose_circles,
    mistakes={
        "too_many_units": Mistake({"hidden": [4]}, "Fewer hidden units in total (add up the sizes in 'hidden') "
                                                   "reach the goal too: the exercise asks for the fewest. How many "
                                                   "straight folds does it take to fence in the inner circle?"),
        "too_many_epochs": Mistake({"hidden": [3], "epochs": 600}, "Keep to 500 epochs and 6000 steps at most (an "
                                                                   "epoch takes 180 / batch_size steps), so that "
                                                                   "the check stays quick."),
        "no_bend": Mistake({"hidden": [3], "activation": "identity"},
                           "Without a bend (no hidden layer, or the identity activation) the network draws a straight "
                           "line, and no straight line puts a ring on one side and its centre on the other."),
        "overshoots": Mistake({"hidden": [3], "lr": 50},
                              "The steps overshoot: on at least one seed the training loss climbed far above "
                              "where it started, or jumped up and down (the numbers below say how), so the learning "
                              "rate is too large for this network. Lower it (section 6, when training blows up)."),
        "too_few_folds": Mistake({"hidden": [2]},
                                 "Your first hidden layer has too few units for this budget. Every later layer sees "
                                 "the plane only through them, and each of them sees only how far a point is from "
                                 "one straight line (w·x + b = 0, where a ReLU folds the plane). A single such unit "
                                 "splits the plane in two along that line (GELU's dip: a band at most); two that only "
                                 "rise need a wide later layer to close a region, and the budget leaves too few units "
                                 "after them. How many straight folds does it take to fence in the inner circle?"),
        "dead_units": Mistake({"hidden": [3], "lr": 1.5, "batch_size": 4, "epochs": 50},
                              "Units of your network died: a ReLU unit whose input is negative at every point "
                              "outputs 0 and passes no gradient back, so it stops learning (section 5, view 4). A "
                              "smaller learning rate, or leaky_relu, keeps them alive."),
        "too_much_decay": Mistake({"hidden": [3], "weight_decay": 0.5},
                                  "Your weight decay is too large: every step shrinks each weight by the factor "
                                  "1 - lr·λ (section 8), harder than the data can pull the weights out, so the "
                                  "network cannot grow the weights that a sharp boundary needs. Use a smaller weight "
                                  "decay, or none."),
        "one_seed_missed": Mistake({"hidden": [3], "activation": "tanh"},
                                   "Most of the check's seeds reach the goal on the new points, but the weakest "
                                   "does not: a network this small depends on its first weights and its points. "
                                   "Try your settings in the playground on the check's seeds 0, 1 and 2, and change "
                                   "them (learning rate, epochs, activation) until each of the three gets there."),
        "too_slow": Mistake({"hidden": [3], "lr": 0.001, "epochs": 50},
                            "The training loss hardly moved, or was still falling when the run ended: it needs more "
                            "steps (more epochs, or smaller batches for more steps an epoch, within 500 epochs and "
                            "6000 steps) or a larger learning rate."),
        "too_slow_at_cap": Mistake({"hidden": [2], "activation": "gelu", "lr": 0.3, "epochs": 500},
                                   "The training loss hardly moved, or was still falling when the run ended, and your "
                                   "run already takes all the steps the budget allows (6000). Try a larger learning "
                                   "rate; if that does not get there either, ask whether this network can."),
    },
    hint="Reread sections 3 (a straight line cannot do XOR) and 5 (the playground): set the playground to circles, "
         "noise 0.1, and watch the regions and the loss while you try settings.",
    why="Each unit of the first hidden layer sees the plane only along one straight line (w·x + b = 0) and bends "
        "it there: a ReLU or a leaky ReLU folds it, a tanh or a sigmoid makes a smooth step. Three such lines "
        "already fence in the inner circle, and two units that only rise cannot (two GELUs, which dip, can: set by "
        "hand they reach 99 %, and the check accepts them if they reach the goal). (Three tanh units need more "
        "epochs than the default: at the default learning rate and epochs one of the check's seeds misses.)",
    check_table=False,  # its examples train: the tests grade each one (tests/test_exercises.py)
)


@functools.cache
def _start_grad_norms(**settings):
    """||dL/db|| of every layer (hidden layers first, the output layer last) before training: no step is taken."""
    return Trainer(Settings(**settings)).start_grad_norms


VANISHING_SEEDS = range(10)  # exercise 3 measures over these seeds: one run is one draw


class MeasuredFactor(NumberExercise):
    """A NumberExercise whose answer is a measurement with a spread: any value from `low` to `high` is right
    (exercise 3: a median over ten seeds, which ten blocks of ten seeds put at 4.26 to 4.64; the window takes
    every one of them, as it takes a student's own NumPy with its own random draws). The usual slips (a root off
    by one, an index off by one, another network) land outside it and are named by the mistakes' table; so are
    the slips that keep the window's shape: the factor upside down (hint: `inverted`), with its sign flipped, times a
    power of ten, or not yet a root (the ratio over all `crossed` layers). `single`, a Mistake inside the window,
    names the value of one run when an answer is that very value, as computed (a typed 4.71 may be a median over
    other seeds, and is taken): one run is one draw."""

    def __init__(self, title, low, high, crossed, single, inverted, **kwargs):
        middle = (low + high) / 2
        super().__init__(title, middle, rtol=(high - low) / 2 / middle, **kwargs)
        self.generic = []  # the machinery's generic slips are made from one value: here they are windows (_slip)
        self.low, self.high, self.crossed, self.single, self.inverted = low, high, crossed, single, inverted

    def _grade(self, answer):
        value, problem = read_numbers(answer, self.expected.shape, squeeze=True)
        if not problem and near(value, self.single.answer, 1e-9, 0.0):
            return self._mistake(self.single)
        if not problem and (slip := self._slip(float(value))):
            return self._mistake(Mistake(value, slip))
        return super()._grade(answer)

    def _slip(self, value):
        """The hint for an answer that is a right one turned over, negated, shifted by a power of ten or not yet
        rooted; "" for any other."""
        def right(v):
            return self.low <= v <= self.high
        if 0 < value < 1 and right(1 / value):
            return self.inverted
        if right(-value):
            return "Your answer has the right size but the opposite sign: a factor of shrinking is positive."
        if value > self.high and right(value ** (1 / self.crossed)):
            return (f"That looks like the ratio itself, over all {self.crossed} layers crossed: the exercise asks "
                    "for one layer's share, a root of it.")
        if any(right(value / 10.0 ** power) for power in (-3, -2, -1, 1, 2, 3)):
            return ("Your answer is a right one times a power of ten: look for a decimal point in the wrong place, "
                    "or a factor of ten.")
        return ""

    def _matches(self, value, mistake, rounded=True):
        """A mistake is its own value, or that value rounded to 2 figures or more: the window is the answer's."""
        target = np.asarray(mistake.answer, dtype=float)
        return near(value, target, 1e-9, 0.0) or (rounded and figures_given(value, target) >= 2)

    def _near_words(self, value):
        side = "below" if value < self.low else "above"
        return (f"your answer is {side} what a median over ten seeds gives ({self.low:g} to {self.high:g} holds "
                "every block of ten seeds we measured, with a wide margin). ") if near(value, self.expected, 0.2,
                                                                                         0.0) else ""


def _vanishing_per_layer():
    asked = {"dataset": "moons", "hidden": (16,) * 6, "activation": "sigmoid"}

    def ratios(top=-2, bottom=0, **changes):  # layer `top` over layer `bottom`, per seed, on other settings
        norms = [_start_grad_norms(**{**asked, **changes, "seed": seed}) for seed in VANISHING_SEEDS]
        return np.array([n[top] / n[bottom] for n in norms])

    per_seed = ratios()  # the asked network on seeds 0-9, built once for the answer and the seed-0 mistake
    typical = np.median(per_seed)
    return MeasuredFactor(
        "the typical factor by which one sigmoid layer shrinks ||dL/db||: the median ratio of layer 6 to layer 1 "
        "over ten seeds, to the power 1/(the number of layers crossed)",
        low=4.1, high=4.9, crossed=5,
        single=Mistake(per_seed[0] ** (1 / 5), "That is seed 0 alone: one run is one draw. Take the median of the "
                                               "ratios over seeds 0 to 9, then the same root."),
        inverted="Your per_layer is below 1: that is the factor upside down, layer 1 over layer 6, the share of the "
                 "gradient that one layer lets through. The exercise asks how many times one layer shrinks it, a "
                 "number above 1: divide layer 6 by layer 1.",
        mistakes=[
            Mistake(4.0, "4 is the bound for a slope of at most 1/4, the sigmoid's slope at z = 0, not a "
                         "measurement. The measured factor is larger: why? Measure it as asked (ten seeds, the "
                         "median ratio, a root)."),
            Mistake(typical ** (1 / 6), "From layer 6 back to layer 1 the gradient crosses five sigmoid layers "
                                        "(6 -> 5 -> 4 -> 3 -> 2 -> 1: five steps), not six: take the fifth root."),
            Mistake(typical ** (1 / 4), "From layer 6 back to layer 1 the gradient crosses five sigmoid layers "
                                        "(6 -> 5 -> 4 -> 3 -> 2 -> 1: five steps), not four: take the fifth root."),
            Mistake(np.median(ratios(top=-1)) ** (1 / 5),
                    "That uses the OUTPUT layer (the last entry, index -1): it has one unit per class, 2 here, not "
                    "16, so its ||dL/db|| does not compare with a hidden layer's. The last hidden layer is index -2."),
            Mistake(np.median(ratios(bottom=1)) ** (1 / 5), "Layer 1 is the first entry of the array: index 0, "
                                                            "not 1."),
            Mistake(np.median(ratios(activation="relu")) ** (1 / 5), "That is the ReLU network: set "
                                                                     "activation='sigmoid'."),
            Mistake(np.median(ratios(hidden=(16,) * 5)) ** (1 / 5), "That network has 5 hidden layers: the exercise "
                                                                    "asks for 6 (the output layer is not a hidden "
                                                                    "layer)."),
            Mistake(np.median(ratios(hidden=(16,) * 7)) ** (1 / 5), "That network has 7 hidden layers: the exercise "
                                                                    "asks for 6, and the root for the five layers "
                                                                    "crossed between its last and its first."),
        ],
        hint="Reread section 5 (the playground), view 3: start_grad_norms holds ||dL/db|| of every Dense layer, "
             "input side first. Build one Trainer per seed with exactly the settings asked (no training needed), "
             "divide two entries of each, take the median of the ten ratios, then a root.",
        why=f"Seeds 0 to 9 give {typical ** (1 / 5):.2f} (the median of the ten roots: "
            f"{np.median(per_seed ** (1 / 5)):.2f}); other blocks of ten seeds give about 4.3 to 4.6, one seed alone "
            "mostly 3.8 to 5.4, below 4 about one time in ten (so if you measured one seed, the window took it by "
            "luck: take the median of ten), and on circles, xor or the spiral the factor is "
            "nearly the same: it comes from the sigmoid "
            "and the initialisation, not from the data. It is above 4, as the slope's bound of 1/4 suggests (a "
            "single seed can come out below 4: the argument is about the average network). Each sigmoid layer on "
            "the way back multiplies the gradient by about sqrt(n Var(w) E[sigmoid'(z)^2]) (notebook 05, the "
            "factor of a wide layer): with Xavier n Var(w) = 1, and sigmoid' is at most 1/4, so each layer shrinks "
            "it at least about 4 times; its inputs are not all at 0, where the slope is largest. Five such layers: "
            f"about 4.5 to the fifth power, some {typical:,.0f} times on seeds 0 to 9.",
    )


VANISHING_RATIO = BuiltOnFirstUse(_vanishing_per_layer)
