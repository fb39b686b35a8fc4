"""What notebook 07 shows outside the live panel: still figures of finished runs, results over
seeds, and the exercises.
"""

import functools

import matplotlib as mpl
import numpy as np

from ... import viz
from ..._validate import as_labels, as_points, check_int
from ...exercises import CORRECT, NOT_YET, ChoiceExercise, Exercise, Feedback, Mistake, NumberExercise
from ...training import QUIET
from .engine import Trainer, run
from .settings import DATASETS, Settings, as_settings


def plot_runs(trainers, titles=None, ax=None, resolution=100):
    """The class regions of several runs side by side, with their training points (circles) and
    validation points (triangles): a static figure for the notebook. Returns the axes."""
    import matplotlib.pyplot as plt

    trainers = list(trainers)
    if ax is None:
        _, ax = plt.subplots(1, len(trainers), figsize=(3.4 * len(trainers), 3.6),
                             layout="constrained", squeeze=False)
        ax = ax.ravel()
    colors = np.array(viz.PALETTE)
    for i, (a, trainer) in enumerate(zip(ax, trainers, strict=True)):
        probs, extent = viz.decision_grid(trainer.model, trainer.X, resolution=resolution)
        a.imshow(viz.region_colors(probs), origin="lower", extent=extent, interpolation="bilinear")
        a.scatter(*trainer.X_train.T, c=colors[trainer.y_train], s=18, edgecolors="k", linewidths=0.5)
        a.scatter(*trainer.X_val.T, c=colors[trainer.y_val], s=26, marker="^", edgecolors="white", linewidths=0.7)
        title = titles[i] if titles else trainer.settings.dataset
        a.set_title(f"{title}\nvalidation accuracy {trainer.latest()['val_accuracy']:.1%}", fontsize="medium")
        a.set(xlim=extent[:2], ylim=extent[2:], xticks=[], yticks=[], aspect="equal")
        a.grid(False)
    grey = "0.55"
    handles = [mpl.lines.Line2D([], [], linestyle="none", marker="o", color=grey, markeredgecolor="k",
                                label="training points"),
               mpl.lines.Line2D([], [], linestyle="none", marker="^", color=grey, markeredgecolor="white",
                                label="validation points")]
    ax[0].legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.01), ncols=2, frameon=False,
                 fontsize="small", handletextpad=0.2, columnspacing=0.8)
    return ax


def plot_curves(trainer, axes=None, best=False, parts=("loss", "accuracy")):
    """Loss (log scale) and accuracy per epoch of one run, on the training and the validation points,
    one axes per entry of `parts` (made side by side when `axes` is None). The training loss is the
    model's loss on all the training points after each epoch (History.train_loss), as in the
    playground. best=True marks the epoch of the lowest validation loss. Returns the axes."""
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
            ax.set(yscale="log", ylabel="loss (cross-entropy)")
        else:
            ax.set(ylabel="accuracy")
            ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
        ax.set_xlabel("epoch")
    axes[0].legend(fontsize="small")
    return axes


SEEDS = tuple(range(10))  # the seeds a result of the notebook is shown over


def run_seeds(settings=None, seeds=SEEDS, **changes):
    """`run` once per seed (the seed moves the points, the split, the first weights and the
    shuffles): a result about a distribution, not about one run. Returns the Trainers."""
    settings = Settings() if settings is None else as_settings(settings)
    return [run(settings.replace(seed=seed, **changes)) for seed in seeds]


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


def loss_spread(values):
    """'0.22-0.72, median 0.44': range and median of losses over seeds, to two decimals (stable on every CPU)."""
    low, high, median = np.round([np.min(values), np.max(values), np.median(values)], 2) + 0.0  # no "-0.00"
    return f"{low:.2f}-{high:.2f}, median {median:.2f}"


def loss_by_answer(model, X, y):
    """The cross-entropy of `model` on (X, y), split by answer: (part from the points it gets right,
    part from those it gets wrong, how many it gets wrong). The two parts are sums over their points
    divided by all N points, so they add up to the loss."""
    with np.errstate(**QUIET):
        logits = model.forward(X)
        shifted = logits - logits.max(axis=1, keepdims=True)
        losses = np.log(np.exp(shifted).sum(axis=1)) - shifted[np.arange(len(y)), y]  # -ln p(true class)
    wrong = logits.argmax(axis=1) != y
    return losses[~wrong].sum() / len(y), losses[wrong].sum() / len(y), int(wrong.sum())


def choose(candidates):
    """Early stopping and a setting, chosen on the validation set: `candidates` maps a name (say, a
    weight decay) to one run per seed. For each seed, the run and epoch with the lowest validation
    loss win. Returns one (name, Trainer) per seed; the Trainer's best_epoch is the chosen epoch."""
    names = list(candidates)
    per_seed = zip(*(candidates[name] for name in names), strict=True)
    return [min(zip(names, runs, strict=True), key=lambda pair: pair[1].curves["val_loss"][pair[1].best_epoch])
            for runs in per_seed]


def plot_remedy(before, after, groups, names=("no remedy", "with the remedy")):
    """Three panels: the loss curves of one run without (`before`) and with (`after`) a remedy, side by
    side on one scale (titled by `names`), then plot_gaps(groups). Returns the axes."""
    import matplotlib.pyplot as plt

    _, axes = plt.subplots(1, 3, figsize=(10.5, 3.4), layout="constrained", width_ratios=[1, 1, 1.1])
    for ax, trainer, name in zip(axes[:2], (before, after), names, strict=True):
        plot_curves(trainer, axes=[ax], parts=["loss"])
        ax.set_title(name, fontsize="medium")
    limits = np.array([ax.get_ylim() for ax in axes[:2]])
    for ax in axes[:2]:
        ax.set_ylim(limits[:, 0].min(), limits[:, 1].max())
    axes[1].set_ylabel("")  # the same scale as its left neighbour's
    plot_gaps(groups, ax=axes[2])
    return axes


def plot_gaps(groups, ax=None):
    """One mark per seed for each {name: [Trainer, ...]} group, its overfit_gap, and a bar at the median.
    Each group has its own shape and a colour that the loss curves (blue, orange) do not use."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 3.4), layout="constrained")
    jitter = np.random.default_rng(0)  # a fixed sideways jitter, so that equal values do not hide each other
    for i, trainers in enumerate(groups.values()):
        gaps = overfit_gap(trainers)
        ax.plot(i + jitter.uniform(-0.15, 0.15, len(gaps)), gaps, viz.MARKERS[i % len(viz.MARKERS)],
                color=viz.PALETTE[2 + i % (len(viz.PALETTE) - 2)], alpha=0.8)
        ax.plot([i - 0.3, i + 0.3], [np.median(gaps)] * 2, color="0.15", linewidth=2.5)
    ax.axhline(0, color="0.6", linewidth=0.8)
    ax.set_xticks(range(len(groups)), list(groups))
    ax.set(xlim=(-0.6, len(groups) - 0.4), ylabel="validation loss - training loss")
    ax.set_title("the gap at the end, one mark per seed", fontsize="medium")
    return ax


# Exercises (checked in the notebook)

LINEAR_DATASET = ChoiceExercise(
    "the one data set a network without a bend can solve",
    expected="blobs",
    options=list(DATASETS),
    mistakes=[
        Mistake("moons", "The moons are close: a straight cut gets most of their validation points, but their tips "
                         "reach past each other, so no straight line stays above 95%."),
        Mistake("xor", "XOR is the textbook case a straight line cannot do: section 3 showed it, at a coin toss."),
        Mistake("circles", "No straight line puts a ring on one side and its centre on the other."),
        Mistake("spiral", "Three interleaved arms need a boundary that winds around: far from straight."),
    ],
    hint="Try activation 'identity' on each data set in the playground, and write the name as a string.",
    why="The three blobs lie in three separate directions from the centre: straight cuts between them are enough.",
)


class SmallNetworkExercise(Exercise):
    """Settings (a dict) whose network reaches `target` test accuracy on circles (noise 0.1) with
    at most `max_units` hidden units in total. The check trains the settings once per seed in
    `seeds` (the seed moves the points, the split, the first weights and the shuffles) and
    takes the median accuracy on the test set (which the playground never shows): the verdict
    does not hang on one lucky or unlucky run, nor on a CPU's last bits. Rules that need no
    training are checked first.

    `mistakes` maps a diagnosis to a Mistake: its answer is a typical dict that gets that
    diagnosis, its hint names the problem. Diagnoses: too_many_units, too_many_epochs,
    no_bend, too_few_folds, stuck (the training loss hardly moved).
    """

    def __init__(self, title, mistakes, hint, why, max_units=4, target=0.9, max_epochs=500, seeds=range(3)):
        super().__init__(title, list(mistakes.values()), hint, why)
        self.by_diagnosis = dict(mistakes)
        self.max_units, self.target, self.max_epochs, self.seeds = max_units, target, max_epochs, tuple(seeds)

    def settings(self, answer):
        """The student's dict, on the exercise's data (circles, noise 0.1, 300 points, a fifth each for
        validation and test: the playground's shares)."""
        return as_settings(answer, "my_settings").replace(dataset="circles", noise=0.1, n=300, val_fraction=0.2,
                                                          test_fraction=0.2)

    def diagnose(self, settings):
        """(diagnosis, details in words): "correct", one of the mistakes' diagnoses, or "wrong"."""
        total = sum(settings.hidden)
        if total > self.max_units:
            return "too_many_units", f"(Yours has {total}.)"
        if settings.epochs > self.max_epochs:
            return "too_many_epochs", ""
        if not settings.hidden or settings.activation == "identity":
            return "no_bend", ""
        if len(settings.hidden) == 1 and settings.hidden[0] < 3:
            return "too_few_folds", ""
        runs = [Trainer(settings.replace(seed=seed)).run() for seed in self.seeds]
        accuracy = float(np.median([0.0 if r.diverged else r.test_score()[1] for r in runs]))
        result = f"(Median test accuracy over {len(runs)} seeds: {accuracy:.0%}; the goal is {self.target:.0%}.)"
        if accuracy >= self.target:
            return "correct", f"Median test accuracy over {len(runs)} seeds: {accuracy:.0%} with {total} hidden units."
        if sum(r.diverged for r in runs) > len(runs) // 2:
            return "wrong", f"Training diverged with lr={settings.lr:g}: try a smaller learning rate. "
        losses = np.array([r.curves["train_loss"] for r in runs if not r.diverged])
        first, last = np.median(losses[:, 0]), np.median(losses[:, -1])
        if last > 0.9 * first:
            return "stuck", f"(The training loss went from {first:.2f} to {last:.2f}.) {result}"
        dead = max(float(r.dead_fraction().max()) for r in runs)
        if dead >= 0.5:
            return "wrong", (f"{dead:.0%} of the units of one layer died (0 for every point) in some runs: a smaller "
                             f"learning rate, or another activation, keeps them alive. {result} ")
        if np.median(losses[:, -1] / losses[:, int(0.8 * (losses.shape[1] - 1))]) < 0.98:
            return "wrong", f"The training loss was still falling at the end: more epochs or a larger lr. {result} "
        return "wrong", f"The training loss had stopped falling: try another activation, init or lr. {result} "

    def _grade(self, answer):
        try:
            settings = self.settings(answer)
        except (TypeError, ValueError) as error:
            return Feedback("invalid", f"{NOT_YET}: {error}")
        diagnosis, details = self.diagnose(settings)
        if diagnosis == "correct":
            return Feedback("correct", f"{CORRECT}. {details} {self.why}")
        if diagnosis in self.by_diagnosis:
            return Feedback("mistake", f"{NOT_YET}: {self.by_diagnosis[diagnosis].hint} {details}".rstrip())
        return self._wrong(details)


SMALL_CIRCLES = SmallNetworkExercise(
    "circles with at most 4 hidden units",
    mistakes={
        "too_many_units": Mistake({"hidden": [8]}, "The challenge allows at most 4 hidden units in total: add up "
                                                   "the sizes in 'hidden'."),
        "too_many_epochs": Mistake({"hidden": [4], "epochs": 600}, "Keep epochs at 500 or fewer, so that the check "
                                                                   "stays quick."),
        "no_bend": Mistake({"hidden": [4], "activation": "identity"},
                           "Without a bend (no hidden layer, or the identity activation) the network draws a straight "
                           "line, and no straight line puts a ring on one side and its centre on the other."),
        "too_few_folds": Mistake({"hidden": [2]},
                                 "One hidden layer of 1 or 2 units bends the boundary in at most 2 places: how many "
                                 "straight pieces does it take to fence in the middle of the plane?"),
        "stuck": Mistake({"hidden": [4], "lr": 0.001, "epochs": 50},
                         "The training loss hardly moved: is the learning rate large enough, and are there enough "
                         "epochs?"),
    },
    hint="Watch the loss and the regions in the playground (data circles, noise 0.1) while you try settings.",
    why="Each unit of the first hidden layer adds one straight fold; three folds already fence in the inner circle.",
)


@functools.cache
def _start_grad_norms(activation):
    """||dL/db|| of every layer (hidden layers 1 ... 6, then the output layer) before training, for moons
    with 6 hidden layers of 16 units of `activation`: what exercise 3 asks the student to compute.
    Computed once, on first use."""
    return Trainer(Settings(dataset="moons", hidden=(16,) * 6, activation=activation)).start_grad_norms


def _vanishing_ratio():
    norms = {name: _start_grad_norms(name) for name in ("sigmoid", "relu")}  # hidden 1 ... hidden 6, output
    sigmoid = norms["sigmoid"]
    return NumberExercise(
        "how many times larger ||dL/db|| of the last hidden layer (layer 6) is than that of the first (layer 1)",
        expected=sigmoid[-2] / sigmoid[0],
        mistakes=[
            Mistake(sigmoid[0] / sigmoid[-2], "That is layer 1 divided by layer 6: turn the fraction upside down."),
            Mistake(sigmoid[-1] / sigmoid[0], "That is the OUTPUT layer (the last entry, index -1): it has one unit "
                                              "per class, 2 here, not 16, so its ||dL/db|| does not compare with a "
                                              "hidden layer's. The last hidden layer is index -2."),
            Mistake(sigmoid[-2] / sigmoid[1], "Layer 1 is the first entry of the array: index 0, not 1."),
            Mistake(norms["relu"][-2] / norms["relu"][0], "That is the ReLU network: set activation='sigmoid'."),
        ],
        hint="Build the Trainer with exactly those settings (no training needed), then divide two entries of "
             "trainer.start_grad_norms.",
        why="On its way from layer 6 to layer 1 the gradient crosses five sigmoid layers, and each multiplies it "
            "by about sqrt(n Var(w) E[sigmoid'(z)^2]) (notebook 05, the factor of a wide layer): with Xavier "
            "n Var(w) = 1 and sigmoid' is at most 1/4, so each keeps roughly a fifth to a quarter of it, and five "
            "of them leave about a two-thousandth (1/4 to the fifth power is 1/1024, 1/5 to the fifth 1/3125).",
        rtol=1e-3,
    )


class BuiltOnFirstUse(Exercise):
    """An exercise whose answer needs a network: `build()` makes it when it is first checked or read, not
    when the module is imported. It checks, reads and prints as the exercise `build` returns."""

    def __init__(self, build):
        self._build = build

    @functools.cached_property
    def exercise(self):
        """The exercise, built on first use."""
        return self._build()

    def grade(self, answer):
        return self.exercise.grade(answer)

    def __getattr__(self, name):  # title, expected, mistakes, ...: the built exercise's
        if name.startswith("__") or name in ("_build", "exercise"):
            raise AttributeError(name)
        return getattr(self.exercise, name)

    def __repr__(self):
        return repr(self.exercise)


VANISHING_RATIO = BuiltOnFirstUse(_vanishing_ratio)
