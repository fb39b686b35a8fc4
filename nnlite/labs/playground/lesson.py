"""What notebook 07 shows outside the live panel: still figures of finished runs, results over
seeds, and the exercises.
"""

import functools

import matplotlib as mpl
import numpy as np

from ... import viz
from ...exercises import CORRECT, NOT_YET, ChoiceExercise, Exercise, Feedback, Mistake, NumberExercise
from .engine import Trainer, run
from .settings import DATASETS, Settings, as_settings


def plot_runs(trainers, titles=None, ax=None, resolution=100):
    """The class regions of several runs side by side, with their train points (circles) and
    test points (triangles): a static figure for the notebook. Returns the axes."""
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
        a.scatter(*trainer.X_test.T, c=colors[trainer.y_test], s=26, marker="^", edgecolors="white",
                  linewidths=0.7)
        title = titles[i] if titles else trainer.settings.dataset
        a.set_title(f"{title}\ntest accuracy {trainer.latest()['test_accuracy']:.1%}", fontsize="medium")
        a.set(xlim=extent[:2], ylim=extent[2:], xticks=[], yticks=[], aspect="equal")
        a.grid(False)
    grey = "0.55"
    handles = [mpl.lines.Line2D([], [], linestyle="none", marker="o", color=grey, markeredgecolor="k",
                                label="train points"),
               mpl.lines.Line2D([], [], linestyle="none", marker="^", color=grey, markeredgecolor="white",
                                label="test points")]
    ax[0].legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.01), ncols=2, frameon=False,
                 fontsize="small", handletextpad=0.2, columnspacing=0.8)
    return ax


def plot_curves(trainer, ax=None):
    """Train and test loss per epoch of one run, on a log scale."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.2), layout="constrained")
    x = np.arange(len(trainer.curves["train_loss"]))
    ax.plot(x, trainer.curves["train_loss"], color=viz.PALETTE[0], label="train")
    ax.plot(x, trainer.curves["test_loss"], color=viz.PALETTE[1], label="test")
    ax.set(yscale="log", xlabel="epoch", ylabel="loss (cross-entropy)")
    ax.legend()
    return ax


SEEDS = tuple(range(10))  # the seeds a result of the notebook is shown over


def run_seeds(settings=None, seeds=SEEDS, **changes):
    """`run` once per seed (the seed moves the points, the split, the first weights and the
    shuffles): a result about a distribution, not about one run. Returns the Trainers."""
    settings = Settings() if settings is None else as_settings(settings)
    return [run(settings.replace(seed=seed, **changes)) for seed in seeds]


def final(trainers, key):
    """The last value of curves[key] ("train_loss", "test_accuracy", ...) of each run, as an array."""
    return np.array([t.curves[key][-1] for t in trainers])


def overfit_gap(trainers):
    """Test loss minus train loss at the end of each run: how much better the network does on the
    points it trained on than on new ones."""
    return final(trainers, "test_loss") - final(trainers, "train_loss")


def loss_spread(values):
    """'0.22-0.72, median 0.44': range and median of losses over seeds, to two decimals (stable on every CPU)."""
    values = np.asarray(values, dtype=float)
    return f"{values.min():.2f}-{values.max():.2f}, median {np.median(values):.2f}"


def plot_gaps(groups, ax=None):
    """One dot per seed for each {name: [Trainer, ...]} group, its overfit_gap, and a bar at the median."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 3.4), layout="constrained")
    jitter = np.random.default_rng(0)  # a fixed sideways jitter, so that equal values do not hide each other
    for i, trainers in enumerate(groups.values()):
        gaps = overfit_gap(trainers)
        ax.plot(i + jitter.uniform(-0.15, 0.15, len(gaps)), gaps, "o", color=viz.PALETTE[i + 1], alpha=0.75)
        ax.plot([i - 0.3, i + 0.3], [np.median(gaps)] * 2, color="0.15", linewidth=2.5)
    ax.set_xticks(range(len(groups)), list(groups))
    ax.set(xlim=(-0.6, len(groups) - 0.4), ylabel="test loss - train loss", ylim=(0, None))
    ax.set_title("the gap at the end, one dot per seed", fontsize="medium")
    return ax


# Exercises (checked in the notebook)

LINEAR_DATASET = ChoiceExercise(
    "the one data set a network without a bend can solve",
    expected="blobs",
    options=list(DATASETS),
    mistakes=[
        Mistake("moons", "The moons are close: a straight cut gets most of their test points, but their tips "
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
    takes the median test accuracy: the verdict does not hang on one lucky or unlucky run,
    nor on a CPU's last bits. Rules that need no training are checked first.

    `mistakes` maps a diagnosis to a Mistake: its answer is a typical dict that gets that
    diagnosis, its hint names the problem. Diagnoses: too_many_units, too_many_epochs,
    no_bend, too_few_folds, stuck (the training loss hardly moved).
    """

    def __init__(self, title, mistakes, hint, why, max_units=4, target=0.9, max_epochs=500, seeds=range(3)):
        super().__init__(title, list(mistakes.values()), hint, why)
        self.by_diagnosis = dict(mistakes)
        self.max_units, self.target, self.max_epochs, self.seeds = max_units, target, max_epochs, tuple(seeds)

    def settings(self, answer):
        """The student's dict, on the exercise's data (circles, noise 0.1, 300 points, a quarter for testing)."""
        return as_settings(answer, "my_settings").replace(dataset="circles", noise=0.1, n=300, test_fraction=0.25)

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
        accuracy = float(np.median([0.0 if r.diverged else r.latest()["test_accuracy"] for r in runs]))
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
    """||dL/dW|| of every layer (layer 1 ... layer 7) before training, for moons with 6 hidden layers of
    16 units of `activation`: what exercise 3 asks the student to compute. Computed once, on first use."""
    return Trainer(Settings(dataset="moons", hidden=(16,) * 6, activation=activation)).start_grad_norms


def _vanishing_ratio():
    norms = {name: _start_grad_norms(name) for name in ("sigmoid", "relu")}  # layer 1 ... layer 7
    return NumberExercise(
        "how many times larger the output layer's gradient (layer 7) is than the first hidden layer's (layer 1)",
        expected=norms["sigmoid"][-1] / norms["sigmoid"][0],
        mistakes=[
            Mistake(norms["sigmoid"][0] / norms["sigmoid"][-1], "That is layer 1 divided by layer 7: turn the "
                                                                  "fraction upside down."),
            Mistake(norms["sigmoid"][-2] / norms["sigmoid"][0], "That is the last HIDDEN layer (layer 6, index -2). "
                                                                  "The output layer is the last entry of the array."),
            Mistake(norms["sigmoid"][-1] / norms["sigmoid"][1], "Layer 1 is the first entry of the array: index 0, "
                                                                  "not 1."),
            Mistake(norms["relu"][-1] / norms["relu"][0], "That is the ReLU network: set activation='sigmoid'."),
        ],
        hint="Build the Trainer with exactly those settings (no training needed), then divide two entries of "
             "trainer.start_grad_norms.",
        why="Each sigmoid layer multiplies the gradient by its weights times sigmoid'(z) <= 1/4; with Xavier's small "
            "weights those factors stay below 1, and six of them shrink it by thousands (notebook 05).",
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
