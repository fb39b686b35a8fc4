"""Notebook 07: the playground, where everything of notebooks 01 to 06 comes together.

Pick a data set, a network and the training settings, press play, and watch the class
regions, the train and test loss, the gradient of every layer and the dead units change
as the network learns. Three pieces, as in every lab:

* `Settings` (what to train) and `Trainer` (one run, advanced a step at a time). A
  Trainer runs exactly what ``nl.fit(...)`` runs with the same settings (the same
  shuffles, the same steps, the same numbers to the last bit), so `code_line(settings)`
  is a line of nnlite code that reproduces the run.
* Four views, each a small LiveFigure, laid side by side so that they wrap on a narrow
  page: `RegionsView` (class regions and points), `LossView` (train and test loss), and
  `LayersView` (gradient norm per layer, dead units per layer).
* `Playground` (play / pause / step / reset, at a chosen speed; the training loop itself is
  its base class `PlayLoop`) and `playground()`, the panel with its controls, compact
  enough for a 1280 x 800 laptop with the file browser open.

Why "a step at a time": in a Jupyter kernel, a callback that trains for ten seconds blocks
every other widget message for ten seconds, so the Pause button could not be heard. The
Playground therefore trains in slices of about 15 ms, scheduled as an asyncio task on
the kernel's own event loop (``await asyncio.sleep(0)`` between slices lets the kernel
handle the clicks and slider moves that arrived in the meantime), and redraws at most
every 0.1 s so that drawing does not eat the training time. Play is paced (40 epochs a
second by default, so the default run lasts 5 s and is redrawn about 50 times): a tiny
network trains faster than anyone can watch.

Memory stays bounded however long Play runs: the per-step records keep only the last
MAX_STEP_RECORDS steps (`History(max_steps=...)`), and the pictures reuse their buffers.
"""

import asyncio
import dataclasses
import html
import math
import time
import weakref

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np

from .. import datasets, viz
from .._validate import as_labels, check_choice, check_int, check_number, describe
from ..exercises import CORRECT, NOT_YET, ChoiceExercise, Exercise, Feedback, Mistake, NumberExercise
from ..losses import _softmax, _softmax_cross_entropy
from ..model import MLP
from ..training import History, evaluate, training_steps
from ..widgets import (
    PRESENTATION_CSS,
    LiveFigure,
    Panel,
    dropdown,
    log_slider,
    one_message_each,
    selection_slider,
    slider,
    text_line,
)
from .activations_lab import spread  # noqa: F401  (the notebook's range-and-median of accuracies)

DATASETS = tuple(datasets.DATASETS)  # "spiral", "moons", "circles", "xor", "blobs"
CLASSES = {"spiral": 3, "moons": 2, "circles": 2, "xor": 2, "blobs": 3}  # what the makers produce by default
ACTIVATIONS = ("relu", "leaky_relu", "tanh", "sigmoid", "gelu", "silu", "identity")
INITS = ("auto", "xavier", "he", "normal")  # "auto": the init that suits the activation (default_init); the
# next option is one "auto" is not for the default ReLU, so a first move always changes the picture
WEIGHT_DECAYS = (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1)
SPEEDS = (("slow", 10), ("normal", 40), ("fast", 160), ("max", math.inf))  # epochs per second while playing
TRAINING_ONLY = ("lr", "batch_size", "weight_decay")  # settings that change nothing before the first step
VIEWS = ("regions", "loss", "layers")  # the Playground's attributes that draw, in the order they are redrawn
MAX_STEP_RECORDS = 10_000  # per-step records a run keeps (batch size 1 takes millions of steps)
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256)
MAX_HIDDEN_LAYERS = 6
MAX_UNITS = 32
LOSS_LIMITS = (1e-4, 1e2)  # the loss axis (log scale); values outside are drawn at the edge
GRAD_LIMITS = (1e-7, 1e3)  # the gradient-norm axis (log scale)


def default_init(activation):
    """The initialisation that suits an activation: "he" for ReLU and its relatives (He et al.
    2015 derive it for units that are 0 on half their inputs), "xavier" for tanh and identity
    (Glorot & Bengio 2010 derive it for a slope of 1 at 0).

    Sigmoid gets "xavier" too, a choice rather than a derivation: its slope at 0 is 1/4 and
    its outputs are not centred on 0, so no init of this list keeps its signal at a constant
    scale (CS231n). Xavier keeps the first weights small, so the units start in the
    sigmoid's steep middle instead of saturated, and what a deep sigmoid stack then does
    (the vanishing gradient of notebook 05) comes from the sigmoid, not from a ReLU init.
    """
    check_choice(activation, "activation", ACTIVATIONS)
    return "he" if activation in ("relu", "leaky_relu", "gelu", "silu") else "xavier"


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything that defines one playground run.

    dataset: one of "spiral", "moons", "circles", "xor", "blobs" (spiral and blobs have
    3 classes, the others 2); noise, n, test_fraction: how the data is made and split;
    hidden: the sizes of the hidden layers, e.g. (16, 16), or () for a linear model;
    activation, init: as in nl.MLP ("auto", the default, picks default_init(activation));
    lr, batch_size, epochs, weight_decay: as in nl.fit; seed: one seed for the data, the
    split, the initial weights and the shuffling.
    """

    dataset: str = "spiral"
    noise: float = 0.2
    n: int = 300
    test_fraction: float = 0.25
    hidden: tuple = (16, 16)
    activation: str = "relu"
    init: str = "auto"
    lr: float = 0.1
    batch_size: int = 16
    epochs: int = 200
    weight_decay: float = 0.0
    seed: int = 0

    def __post_init__(self):
        check_choice(self.dataset, "dataset", DATASETS)
        check_choice(self.activation, "activation", ACTIVATIONS)
        check_choice(self.init, "init", INITS)
        if isinstance(self.hidden, (str, bytes)) or not isinstance(self.hidden, (list, tuple)):
            raise TypeError(f"hidden must be a list of layer sizes like [16, 16] (or [] for no hidden layer), "
                            f"got {describe(self.hidden)}")
        values = {
            "noise": check_number(self.noise, "noise", low=0.0),
            "n": check_int(self.n, "n", minimum=8),
            "test_fraction": check_number(self.test_fraction, "test_fraction", low=0.0, high=1.0, low_open=True,
                                          high_open=True),
            "hidden": tuple(check_int(h, f"hidden[{i}]", minimum=1) for i, h in enumerate(self.hidden)),
            "lr": check_number(self.lr, "lr", low=0.0, low_open=True),
            "batch_size": check_int(self.batch_size, "batch_size", minimum=1),
            "epochs": check_int(self.epochs, "epochs", minimum=0),
            "weight_decay": check_number(self.weight_decay, "weight_decay", low=0.0),
            "seed": check_int(self.seed, "seed", minimum=0),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    @property
    def init_name(self):
        """The init the network really gets: `init`, or default_init(activation) for "auto"."""
        return default_init(self.activation) if self.init == "auto" else self.init

    @property
    def sizes(self):
        """The layer sizes of the network: [2, hidden..., number of classes]."""
        return [2, *self.hidden, CLASSES[self.dataset]]

    def replace(self, **changes):
        """A copy with some settings changed: ``settings.replace(lr=0.3)``."""
        return dataclasses.replace(self, **changes)


def as_settings(value, name="settings"):
    """Accept a Settings or a dict of its fields (what a student writes) and return a Settings."""
    if isinstance(value, Settings):
        return value
    if not isinstance(value, dict):
        raise TypeError(f"{name} must be a dict like {{'hidden': [8], 'activation': 'relu'}}, got {describe(value)}")
    unknown = sorted(set(value) - {f.name for f in dataclasses.fields(Settings)})
    if unknown:
        valid = ", ".join(f.name for f in dataclasses.fields(Settings))
        raise ValueError(f"{name} has unknown keys {unknown}; the keys are {valid}")
    return Settings(**value)


def code_line(settings):
    """One line of nnlite code that makes the same data and trains the same network as the playground."""
    s = as_settings(settings)
    return (f'X, y = nl.datasets.make("{s.dataset}", n={s.n}, noise={s.noise!r}, seed={s.seed}); '
            f"X_train, y_train, X_test, y_test = nl.datasets.train_test_split(X, y, "
            f"test_fraction={s.test_fraction!r}, seed={s.seed}); "
            f'model = nl.MLP({s.sizes}, activation="{s.activation}", init="{s.init_name}", seed={s.seed}); '
            f"history = nl.fit(model, X_train, y_train, epochs={s.epochs}, batch_size={s.batch_size}, lr={s.lr!r}, "
            + (f"weight_decay={s.weight_decay!r}, " if s.weight_decay else "")
            + f'seed={s.seed}, validation=(X_test, y_test), on_diverge="stop")')


class Trainer:
    """One playground run: the data, the model, and training that advances one SGD step at a time.

    The steps are those of ``nl.fit(model, X_train, y_train, epochs, batch_size, lr, seed,
    validation=(X_test, y_test), on_diverge="stop")``: one random generator seeded once
    shuffles every epoch, each step is forward, loss, backward, update. So
    ``trainer.history`` equals the History that fit returns, number for number.

    On top of fit's History it keeps what the playground draws: the loss and accuracy
    on the train and test sets after every epoch (epoch 0 = before training), the
    gradient norm of every layer averaged over each epoch, and the norms before training.
    The History keeps the last MAX_STEP_RECORDS steps' records (all of them for runs up to
    that many steps), so memory stays bounded on long runs.
    """

    def __init__(self, settings=None):
        self.settings = s = Settings() if settings is None else as_settings(settings)
        self.X, self.y = datasets.make(s.dataset, n=s.n, noise=s.noise, seed=s.seed)
        self.X_train, y_train, self.X_test, self.y_test = datasets.train_test_split(
            self.X, self.y, test_fraction=s.test_fraction, seed=s.seed)
        self.n_classes = CLASSES[s.dataset]
        self.y_train = as_labels(y_train, "y_train", n_classes=self.n_classes)
        self.model = MLP(s.sizes, activation=s.activation, init=s.init_name, seed=s.seed)
        self.history = History(max_steps=MAX_STEP_RECORDS)
        self.epochs = s.epochs  # where training stops; may be raised while the run goes on
        self.diverged = False
        self.message = ""
        self.start_grad_norms = self._full_batch_grad_norms()  # the gradient at initialisation, all the data
        self.layer_grad_norms = []  # per epoch: each layer's ||dW|| averaged over the epoch's steps
        self.curves = {key: [] for key in ("train_loss", "test_loss", "train_accuracy", "test_accuracy")}
        self._record()
        self._steps = self._run()

    # ----------------------------------------------------------------- training

    def _run(self):
        """nl.training_steps (the loop of nl.fit, yielding after every step and epoch), plus what the
        playground draws after every epoch."""
        s, history = self.settings, self.history
        total, steps = np.zeros(len(self.model.layers)), 0  # this epoch's sum of gradient norms
        for end_of_epoch in training_steps(self.model, self.X_train, self.y_train, s.batch_size, s.lr, seed=s.seed,
                                           validation=(self.X_test, self.y_test), history=history,
                                           weight_decay=s.weight_decay):
            if end_of_epoch:
                self.layer_grad_norms.append(total / steps)
                total, steps = np.zeros(len(self.model.layers)), 0
                self._record()
            else:
                total += history.grad_norms[-1]
                steps += 1
            yield end_of_epoch
        self._diverge()

    def _diverge(self):
        s, h = self.settings, self.history
        self.diverged = True
        self.message = (f"Training diverged in epoch {self.epoch + 1} (step {h.steps}): the loss is no longer a "
                        f"finite number. The learning rate {s.lr:g} is too large for this network; "
                        f"try a smaller one, such as {s.lr / 10:g}.")

    def _record(self):
        with np.errstate(over="ignore", invalid="ignore"):
            for part, X, y in (("train", self.X_train, self.y_train), ("test", self.X_test, self.y_test)):
                loss, accuracy = evaluate(self.model, X, y)
                self.curves[f"{part}_loss"].append(loss)
                self.curves[f"{part}_accuracy"].append(accuracy)

    def _full_batch_grad_norms(self):
        with np.errstate(over="ignore", invalid="ignore"):
            _, dlogits = _softmax_cross_entropy(self.model._forward(self.X_train), self.y_train)
            self.model._backward(dlogits, input_grad=False, accumulate=False)
            norms = self.model.grad_norms()
        self.model.zero_grad()
        return norms

    @property
    def epoch(self):
        """Epochs completed so far."""
        return len(self.history.epoch_loss)

    @property
    def done(self):
        """True when all epochs are done or training diverged."""
        return self.diverged or self.epoch >= self.epochs

    def step(self):
        """One SGD step. Returns False when there was nothing left to do."""
        if self.done:
            return False
        next(self._steps, None)
        return True

    def run_for(self, seconds, until_epoch=None, until_step=math.inf):
        """Train for about `seconds` (at least one step), stopping early at `until_epoch`, at
        step `until_step` (a pace) or at the end. Returns True while there is more to do."""
        target = self.epochs if until_epoch is None else min(until_epoch, self.epochs)
        end = time.perf_counter() + seconds
        while not self.diverged and self.epoch < target and self.history.steps < until_step:
            self.step()
            if time.perf_counter() >= end:
                break
        return not self.diverged and self.epoch < target

    @property
    def steps_per_epoch(self):
        return math.ceil(len(self.X_train) / self.settings.batch_size)

    def run_epoch(self):
        """Train one more epoch (or until the run is over)."""
        self.run_for(math.inf, until_epoch=self.epoch + 1)
        return self

    def run(self):
        """Train to the end (all epochs, or until it diverges) and return self."""
        self.run_for(math.inf)
        return self

    # ----------------------------------------------------------------- reading

    def latest(self):
        """The numbers after the last epoch: epoch, train/test loss and accuracy."""
        return {"epoch": self.epoch, **{key: values[-1] for key, values in self.curves.items()}}

    def dead_fraction(self):
        """For each hidden layer, the fraction of units that output 0 for every training point."""
        with np.errstate(over="ignore", invalid="ignore"):
            return self.model.dead_fraction(self.X_train)

    def summary(self):
        """One line in words, e.g. 'epoch 200 of 200: loss train 0.0141, test 0.0432; accuracy ...'."""
        if self.diverged:
            return self.message
        r = self.latest()
        return (f"epoch {r['epoch']} of {self.epochs}: loss train {r['train_loss']:.4f}, test {r['test_loss']:.4f}; "
                f"accuracy train {r['train_accuracy']:.1%}, test {r['test_accuracy']:.1%}")


def run(settings=None, **changes):
    """Train one playground run to the end, exactly as the Play button would: ``run(Settings(...))``
    or ``run(dataset="xor", activation="identity")``. Returns the Trainer."""
    settings = Settings() if settings is None else as_settings(settings)
    return Trainer(settings.replace(**changes) if changes else settings).run()


# --------------------------------------------------------------------- views

def _clip(values, limits):
    values = np.asarray(values, dtype=float)
    return np.clip(np.nan_to_num(values, nan=limits[1], posinf=limits[1], neginf=limits[0]), *limits)


def grid_probabilities(model, points, resolution, block=256):
    """The model's class probabilities on grid points, as (resolution, resolution, n_classes).

    The same forward pass as model.forward, in float32 (a picture needs no more precision)
    and in blocks of `block` rows: a matrix product of thousands of rows makes OpenBLAS
    start threads, which on a busy machine costs far more than it saves. Falls back to
    float64 where float32 overflows.
    """
    weights = [(layer.W.astype(np.float32), layer.b.astype(np.float32)) for layer in model.layers]
    points32 = points.astype(np.float32)
    probs = np.empty((len(points), model.sizes[-1]), dtype=np.float32)
    with np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, len(points), block):
            h = points32[start:start + block]
            for W, b in weights[:-1]:
                h = model.activation._forward(h @ W + b)
            W, b = weights[-1]
            probs[start:start + block] = _softmax(h @ W + b)
        if not np.isfinite(probs).all():
            probs = np.concatenate([_softmax(model._forward(points[i:i + block]))
                                    for i in range(0, len(points), block)])
    return probs.reshape(resolution, resolution, -1)


class RegionsView:
    """The class regions of the network (pale where it is unsure) with the train and test points.

    The axes have no ticks, so a new data set (new axis limits) changes no static pixel:
    every redraw is a blit, even when the data changes.
    """

    def __init__(self, resolution=60, figsize=(3.0, 3.0)):
        self.resolution = check_int(resolution, "resolution", minimum=2)
        self.live = LiveFigure(figsize=figsize)
        self.ax = ax = self.live.subplots()
        self.image = ax.imshow(np.ones((2, 2, 3), dtype=np.uint8), origin="lower", extent=(0, 1, 0, 1),
                               aspect="auto", interpolation="bilinear")
        # one marker line per class and set: LiveFigure writes a line's markers as one SVG path, many
        # times faster than a scatter, which it would write point by point, each with its own style
        marks = {"train": {"marker": "o", "markersize": 3.8, "markeredgecolor": "k", "markeredgewidth": 0.5},
                 "test": {"marker": "^", "markersize": 4.8, "markeredgecolor": "white", "markeredgewidth": 0.7}}
        self.points_lines = {part: [ax.plot([], [], linestyle="none", markerfacecolor=color, **style)[0]
                                    for color in viz.PALETTE[:max(CLASSES.values())]]
                             for part, style in marks.items()}
        ax.set_title("class regions", fontsize="medium")
        ax.set(xticks=[], yticks=[])
        ax.grid(False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(True)
        handles = [mpl.lines.Line2D([], [], linestyle="none", markerfacecolor="0.55", label=part, **style)
                   for part, style in marks.items()]
        self.live.fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False, fontsize="small",
                             handletextpad=0.1, columnspacing=0.8, borderpad=0.1)
        self.live.animate(self.image)  # new on almost every move
        self.live.animate(*self.points_lines["train"], *self.points_lines["test"], layer=1)  # new with the data
        self.extent = self.points = None
        self._pixels = np.empty((self.resolution, self.resolution, 3), dtype=np.uint8)  # reused by every redraw

    def set_data(self, trainer):
        """New points (a data control moved): move the scatters, the picture and the axis limits."""
        for part, X, y in (("train", trainer.X_train, trainer.y_train), ("test", trainer.X_test, trainer.y_test)):
            for k, line in enumerate(self.points_lines[part]):
                line.set_data(X[y == k, 0], X[y == k, 1])
        self.extent = viz.grid_extent(trainer.X)  # the same box as viz.decision_grid
        self.points = viz.grid_points(self.extent, self.resolution)
        self.image.set_extent(self.extent)
        self.ax.set(xlim=self.extent[:2], ylim=self.extent[2:])

    def show(self, trainer):
        if not trainer.diverged:
            probs = grid_probabilities(trainer.model, self.points, self.resolution)
            if np.isfinite(probs).all():
                np.multiply(viz.region_colors(probs), 255, out=self._pixels, casting="unsafe")
                self.image.set_data(self._pixels)
        self.live.redraw()


class LossView:
    """Train and test loss per epoch, on a log scale.

    The epoch axis always has its ticks at 0, 1/5, 2/5, ... and all of the chosen epochs, and
    their numbers are animated text: changing the number of epochs re-renders six numbers,
    not the whole figure. The numbers of the run are in the status line, not in titles (text
    is the slowest thing to draw).
    """

    TICKS = 6  # 0, 1/5, ..., all of the epochs: whole numbers for the slider's multiples of 10

    def __init__(self, figsize=(7.0, 3.0)):
        self.live = LiveFigure(figsize=figsize)
        self.ax = ax = self.live.subplots()
        (self.train_line,) = ax.plot([], [], color=viz.PALETTE[0], markersize=3, label="train")
        (self.test_line,) = ax.plot([], [], color=viz.PALETTE[1], markersize=3, label="test")
        ax.set(yscale="log", ylim=LOSS_LIMITS, xlim=(0, 1), xticks=np.linspace(0, 1, self.TICKS), xticklabels=[],
               ylabel="loss")
        ax.set_xlabel("epoch", labelpad=14)
        ax.legend(loc="upper right", ncols=2)
        self.tick_labels = [ax.text(x, -0.03, "", transform=ax.transAxes, ha="center", va="top",
                                    fontsize=mpl.rcParams["xtick.labelsize"])
                            for x in np.linspace(0, 1, self.TICKS)]
        ax.set_title("loss after every epoch (log scale)", fontsize="medium")
        self.diverged_text = ax.text(0.5, 0.55, "diverged: the loss is no longer a number", transform=ax.transAxes,
                                     ha="center", va="center", color="#b00", fontsize="large", visible=False)
        self.live.animate(*self.tick_labels, self.train_line, self.test_line, self.diverged_text)

    def set_epochs(self, epochs):
        """The loss axis spans the chosen number of epochs; only the animated tick numbers change."""
        epochs = max(epochs, 1)
        if self.ax.get_xlim() == (0, epochs):  # new limits would make every artist be written again
            return
        self.ax.set_xlim(0, epochs)
        self.ax.set_xticks(np.linspace(0, epochs, self.TICKS), labels=[""] * self.TICKS)
        for label, value in zip(self.tick_labels, np.linspace(0, epochs, self.TICKS), strict=True):
            label.set_text(f"{value:g}")

    def show(self, trainer):
        c = trainer.curves
        x = np.arange(len(c["train_loss"]))
        self.train_line.set_data(x, _clip(c["train_loss"], LOSS_LIMITS))
        self.test_line.set_data(x, _clip(c["test_loss"], LOSS_LIMITS))
        for line in (self.train_line, self.test_line):  # dots while there are few points, so one point shows
            line.set_marker("o" if len(x) < 25 else "")
        self.diverged_text.set_visible(trainer.diverged)
        self.live.redraw()


class LayersView:
    """Two small figures about the layers: the gradient norm reaching each layer (before
    training and in the last epoch), and the share of dead units in each hidden layer."""

    def __init__(self, figsize=(5.0, 2.3)):
        self.grad_live, self.dead_live = LiveFigure(figsize=figsize), LiveFigure(figsize=figsize)
        ax = self.grad_live.subplots()
        layers = np.arange(1, MAX_HIDDEN_LAYERS + 2)
        (self.start_grad,) = ax.plot([], [], color="0.5", linestyle="--", marker="o", markersize=4,
                                     label="before training")
        (self.grad_line,) = ax.plot([], [], color=viz.PALETTE[3], marker="o", markersize=5, label="last epoch")
        ax.set(yscale="log", ylim=GRAD_LIMITS, xlim=(0.5, layers[-1] + 0.5), xticks=layers,
               xlabel="layer (1 = input side)", ylabel="||dL/dW||")
        ax.set_title("gradient reaching each layer", fontsize="medium")
        ax.legend(loc="lower right", fontsize="small", ncols=2)
        self.grad_live.animate(self.start_grad, self.grad_line)

        ax = self.dead_live.subplots()
        hidden = np.arange(1, MAX_HIDDEN_LAYERS + 1)
        self.bars = list(ax.bar(hidden, np.zeros(len(hidden)), color=viz.PALETTE[4], width=0.7, label="dead"))
        self.alive = list(ax.bar(hidden, np.zeros(len(hidden)), color="0.85", width=0.7, label="alive"))
        self.no_hidden = ax.text(0.5, 0.5, "no hidden layer", transform=ax.transAxes, ha="center", va="center",
                                 color="0.4")
        ax.set(ylim=(0, 1.3), xlim=(0.5, MAX_HIDDEN_LAYERS + 0.5), yticks=[0, 0.5, 1], xticks=hidden,
               xlabel="hidden layer", ylabel="share of units")
        ax.set_title("dead units (0 for every point)", fontsize="medium")
        ax.legend(loc="upper right", fontsize="small", ncols=2)
        self.dead_live.animate(*self.bars, *self.alive, self.no_hidden)

    def show(self, trainer):
        layers = np.arange(1, len(trainer.start_grad_norms) + 1)
        self.start_grad.set_data(layers, _clip(trainer.start_grad_norms, GRAD_LIMITS))
        if trainer.layer_grad_norms:
            self.grad_line.set_data(layers, _clip(trainer.layer_grad_norms[-1], GRAD_LIMITS))
        else:
            self.grad_line.set_data([], [])
        dead = trainer.dead_fraction()
        for i, (bar, alive) in enumerate(zip(self.bars, self.alive, strict=True)):
            fraction = dead[i] if i < len(dead) else 0.0
            rest = 1.0 - fraction if i < len(dead) else 0.0
            if (bar.get_height(), alive.get_y(), alive.get_height()) != (fraction, fraction, rest):
                # only a bar that changed is written again (LiveFigure.svg keeps the others)
                bar.set_height(fraction)
                alive.set_y(fraction)
                alive.set_height(rest)
        if self.no_hidden.get_visible() != (len(dead) == 0):  # matplotlib 3.7 marks it changed even if not
            self.no_hidden.set_visible(len(dead) == 0)
        self.grad_live.redraw()
        self.dead_live.redraw()


# --------------------------------------------------------------------- the playground

class PlayLoop:
    """Training in slices on the kernel's event loop, at a pace, with the views redrawn in between.

    Each slice trains for about `chunk_seconds` or redraws one stale view, so widget messages
    (Pause, a slider) are handled between slices. While playing, the views are redrawn at
    most every `redraw_seconds`, and training keeps to `speed` epochs a second (math.inf: as
    fast as it can). Without a running event loop (a plain Python script) Play trains to the
    end right away.

    The Playground supplies the rest: `trainer`, `_draw_one()` (redraw the next view of
    `_stale`), `_show_state()` (buttons and status line) and `error` (a text line).
    """

    _instances = weakref.WeakSet()  # every play loop of this kernel: only one plays at a time

    def __init__(self, chunk_seconds, redraw_seconds, speed):
        PlayLoop._instances.add(self)
        self.chunk_seconds, self.redraw_seconds, self.speed = chunk_seconds, redraw_seconds, speed
        self.playing = False
        self.chunks = 0  # slices of work done while playing (tests read it)
        self.longest_chunk = 0.0  # seconds: the longest the kernel was busy in one slice (tests read it)
        self._generation = 0  # bumped by pause/reset: a running play loop sees it and stops
        self._stop_at = self._task = None
        self._stale = []  # views that still show an older state
        self._finished = False  # training reached its end; the last redraws are pending
        self._next_draw = 0.0  # when the next pictures are due (perf_counter seconds)
        self._cycle = (0.0, 0.0)  # (start, seconds spent drawing) of the redraw cycle under way
        self._paced = False  # keep to `speed` (only on an event loop: a script trains at once)
        self._pace_start = (0.0, 0)  # (time, step) the pace counts from
        self._idle = 0.0  # seconds the play loop may sleep before the next slice

    def set_speed(self, speed):
        """Epochs per second while playing (math.inf: as fast as it can); counts from now."""
        self.speed = speed if speed == math.inf else check_number(speed, "speed", low=0.0, low_open=True)
        self._pace_start = (time.perf_counter(), self.trainer.history.steps)
        self._show_state()

    def _halt(self):
        self._finished = False
        self._generation += 1
        self.playing = False
        self._task = None
        self._show_state()

    def _start(self, until_epoch):
        for other in list(PlayLoop._instances):  # e.g. the panel of a cell that was run again
            if other is not self and other.playing:
                other.pause()
        self._generation += 1
        generation = self._generation
        self.playing = True
        self._stop_at = until_epoch
        self._finished = False
        self._show_state()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a plain script, a test): just train here
            loop = None
        self._paced = loop is not None and until_epoch is None  # Step is one epoch, at once
        self._pace_start = (time.perf_counter(), self.trainer.history.steps)
        if loop is None:
            while self.chunk(generation):
                pass
        else:
            self._task = loop.create_task(self._play_loop(generation))

    async def _play_loop(self, generation):
        while self.chunk(generation):
            idle, self._idle = self._idle, 0.0
            await asyncio.sleep(idle)  # let the kernel handle the widget messages that came in meanwhile

    def chunk(self, generation=None):
        """One slice of work: redraw one stale view when a redraw is due, else train for about `chunk_seconds`.

        Returns True while there is more to do. Errors end the play and are shown in words.
        """
        if not self.playing or (generation is not None and generation != self._generation):
            return False
        self.chunks += 1
        start = time.perf_counter()
        try:
            return self._work()
        except Exception as error:  # an exception in a task is invisible in JupyterLab: say it
            self._halt()
            self.error.value = (f"<span style='color:#b00'>Training stopped: "
                                f"{html.escape(type(error).__name__)}: {html.escape(str(error))}</span>")
            return False
        finally:
            self.longest_chunk = max(self.longest_chunk, time.perf_counter() - start)

    def _work(self):
        now = time.perf_counter()
        if self._stale and (now >= self._next_draw or self._finished or len(self._stale) < len(VIEWS)):
            if len(self._stale) == len(VIEWS):
                self._cycle = (now, 0.0)
            self._draw_one()  # one view per slice (a slice stays short), until every view is drawn
            start, spent = self._cycle
            self._cycle = (start, spent + time.perf_counter() - now)
            if not self._stale:  # due again redraw_seconds after this cycle began, or later on a slow
                # machine: drawing may take at most half of the time, training gets the rest
                self._next_draw = start + max(self.redraw_seconds, 2 * self._cycle[1])
            if self._finished and not self._stale:  # the last picture is out: stop
                self._halt()
                return False
            return True
        allowed = self._allowed_steps(now)
        if self.trainer.history.steps >= allowed:  # ahead of the pace: wait for the next step (or redraw)
            next_step = self._pace_start[0] + (self.trainer.history.steps + 1 - self._pace_start[1]) / (
                self.speed * self.trainer.steps_per_epoch)
            redraw = self._next_draw - now if self._stale else math.inf
            self._idle = max(0.0, min(next_step - now, redraw, 0.05))
            return True
        if not self.trainer.run_for(self.chunk_seconds, until_epoch=self._stop_at, until_step=allowed):
            self._finished = True
        self._stale = list(VIEWS)
        return True

    def _allowed_steps(self, now):
        """How many steps the pace allows by now (all of them when not paced)."""
        if not self._paced or self.speed == math.inf:
            return math.inf
        start, steps = self._pace_start
        return steps + 1 + math.floor((now - start) * self.speed * self.trainer.steps_per_epoch)


class Playground(PlayLoop):
    """Play / pause / step / reset around a Trainer, with the views and the text lines (the
    training itself runs in a PlayLoop: slices on the kernel's event loop, at a pace)."""

    def __init__(self, resolution=60, chunk_seconds=0.015, redraw_seconds=0.1, speed=40):
        super().__init__(chunk_seconds, redraw_seconds, speed)
        self.regions, self.loss, self.layers = RegionsView(resolution), LossView(), LayersView()
        # the state, the run's numbers and the run as code: one text, so a move sends one message for it
        self.status = text_line()
        self.status.layout.width = "100%"
        button = {"layout": widgets.Layout(width="92px")}
        self.play_button = widgets.Button(description="Play", icon="play", button_style="success", **button,
                                          tooltip="train to the chosen epochs; click again to pause")
        self.step_button = widgets.Button(description="Step", icon="step-forward", tooltip="train one epoch",
                                          **button)
        self.reset_button = widgets.Button(description="Reset", icon="undo", **button,
                                           tooltip="start again from the initial weights")
        self.play_button.on_click(lambda _: self.toggle())
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self.error = widgets.HTML()  # the Panel replaces it with its own error line
        self.settings = self.trainer = None

    @property
    def figures(self):
        """The four LiveFigures: regions, loss, gradient per layer, dead units."""
        return [self.regions.live, self.loss.live, self.layers.grad_live, self.layers.dead_live]

    # ----------------------------------------------------------------- settings

    def apply(self, settings):
        """New settings from the controls. Only `epochs` changed (and the run has not passed it):
        keep the run and move its end. Anything else: a new run (the code line must stay true)."""
        settings = as_settings(settings)
        old = self.settings
        only_epochs = old is not None and old.replace(epochs=settings.epochs) == settings
        if only_epochs and self.trainer.epoch <= settings.epochs:
            self.settings = self.trainer.settings = settings
            self.trainer.epochs = settings.epochs
            self._finished = False  # a run that was about to stop goes on to the new end
            self.loss.set_epochs(settings.epochs)
            self.draw()
            return
        untrained = old is not None and self.trainer.history.steps == 0 and not self.trainer.diverged
        self._halt()
        self.settings = settings
        self.trainer = Trainer(settings)
        if untrained and old.replace(**{k: getattr(settings, k) for k in TRAINING_ONLY}) == settings:
            self._show_status()  # the views show the untrained network, which these settings do not change
            return
        if old is None or any(getattr(old, k) != getattr(settings, k)
                              for k in ("dataset", "noise", "n", "test_fraction", "seed")):
            self.regions.set_data(self.trainer)
        self.loss.set_epochs(settings.epochs)
        self.draw()

    def reset(self):
        """Start the same run again from the initial weights."""
        self._halt()
        self.trainer = Trainer(self.settings)
        self.draw()

    # ----------------------------------------------------------------- the buttons

    def toggle(self):
        """What the Play/Pause button does."""
        if self.playing:
            self.pause()
        else:
            self.play()

    def play(self):
        """Train until the chosen number of epochs (a finished run starts again from the beginning)."""
        if self.playing:
            return
        if self.trainer.done:
            self.trainer = Trainer(self.settings)
        self._start(until_epoch=None)

    def step(self):
        """Train one epoch (in slices too, so even a slow epoch does not block the page)."""
        if self.playing:
            self._halt()
        if self.trainer.done:
            self.draw()
            return
        self._start(until_epoch=self.trainer.epoch + 1)

    def pause(self):
        """Stop after the slice that is running now, and show where training got to."""
        self._halt()
        self.draw()

    # ----------------------------------------------------------------- drawing

    def _show_state(self):
        playing = self.playing and self._stop_at is None
        self.play_button.description, self.play_button.icon = ("Pause", "pause") if playing else ("Play", "play")
        self.play_button.button_style = "warning" if playing else "success"
        self._show_status()

    def _show_status(self):
        if self.trainer is not None:
            self.status.value = status_html(self.trainer, self.playing, self.speed) + code_html(self.settings)

    def _draw_one(self):
        view = self._stale.pop(0)
        getattr(self, view).show(self.trainer)
        if view == "regions":  # the numbers in the status line go with the picture of the regions
            self._show_status()

    def draw(self):
        """Redraw every view and the status text from the trainer (sent to the browser together)."""
        with one_message_each(self.status, *(live.widget for live in self.figures)):
            self._stale = list(VIEWS)
            while self._stale:
                self._draw_one()


def status_html(trainer, playing=False, speed=None):
    """The status line under the buttons: the state in words, the latest numbers and the speed of Play."""
    if trainer.diverged:
        return f"<span style='color:#b00'><b>stopped</b> &middot; {html.escape(trainer.message)}</span>"
    if playing:
        state = "training…"
    elif trainer.done:
        state = "done"
    elif trainer.epoch == 0:
        state = "ready: press Play"
    else:
        state = "paused"
    pace = "" if speed is None else " &middot; Play: " + ("as fast as it can" if speed == math.inf
                                                            else f"{speed:g} epochs a second")
    return f"<b>{state}</b> &middot; {html.escape(trainer.summary())}{pace}"


def code_html(settings):
    """The run as one line of nnlite code, under the status line: one line that scrolls sideways
    (four lines if it wrapped, which would push the views below a laptop's screen)."""
    return ("<div style='font-size:0.85em;color:#444;white-space:nowrap;overflow-x:auto;scrollbar-width:thin;"
            "width:0;min-width:100%'>"  # as wide as the output, not as the line: it scrolls
            "The same run as nnlite code (after <code>import nnlite as nl</code>): "
            f"<span style='font-family:monospace;user-select:all'>{html.escape(code_line(settings))}</span></div>")


def playground(settings=None, resolution=60):
    """The playground panel: data, network and training controls, Play/Pause/Step/Reset and the
    speed, and the four views, laid out to fit an 848-pixel-wide notebook (a 1280 x 800 laptop with
    the file browser open) in about 620 pixels of height; on a narrower page the views wrap.

    `settings` gives the starting values (hidden layers all of one size, as the sliders
    make them). Moving a control starts a new run, except `epochs`, which only moves the end,
    and the speed. Returns the Panel; its `view` attribute is the Playground (tests read it).
    """
    s = Settings() if settings is None else as_settings(settings)
    pg = Playground(resolution=resolution)
    controls = {
        "dataset": dropdown("data", list(DATASETS), s.dataset),
        "noise": slider("noise", 0.0, 0.5, 0.05, s.noise),
        "test_fraction": slider("test share", 0.1, 0.5, 0.05, s.test_fraction),
        "layers": slider("layers", 0, MAX_HIDDEN_LAYERS, 1, len(s.hidden)),
        "units": slider("units", 1, MAX_UNITS, 1, s.hidden[0] if s.hidden else 8),
        "activation": dropdown("activation", list(ACTIVATIONS), s.activation),
        "init": dropdown("init", list(INITS), s.init),
        "lr": log_slider("learning rate", -3, 1, s.lr),
        "batch_size": dropdown("batch", list(BATCH_SIZES), s.batch_size),
        "epochs": slider("epochs", 10, 1000, 10, s.epochs),
        "weight_decay": selection_slider("weight decay", WEIGHT_DECAYS, s.weight_decay),
    }

    def update(dataset, noise, test_fraction, layers, units, activation, init, lr, batch_size, epochs, weight_decay):
        controls["units"].disabled = layers == 0  # no hidden layer: nothing to size
        pg.apply(Settings(dataset=dataset, noise=round(float(noise), 2), n=s.n,
                          test_fraction=round(float(test_fraction), 2), hidden=(units,) * layers,
                          activation=activation, init=init, lr=float(f"{lr:.3g}"), batch_size=batch_size,
                          epochs=epochs, weight_decay=weight_decay, seed=s.seed))

    speed = dropdown("speed", list(SPEEDS), pg.speed)
    speed.observe(lambda change: pg.set_speed(change["new"]), names="value")
    figures = widgets.Box([live.widget for live in pg.figures], layout=widgets.Layout(
        display="flex", flex_flow="row wrap", align_items="flex-start", width="100%"))
    figures.live_figures = tuple(pg.figures)  # what Panel.preview draws as a still picture
    for live in pg.figures:
        live.widget.add_class("nnlite-playground-view")  # the browser test finds the views by it
    panel = Panel(update, controls, views=[figures])  # builds the first run; the layout is ours (below)
    pg.error = panel.error
    panel.view = pg
    panel.buttons = {"play": pg.play_button, "step": pg.step_button, "reset": pg.reset_button}
    panel.speed = speed

    widths = {"dataset": 140, "noise": 230, "test_fraction": 250, "layers": 190, "units": 210, "activation": 165,
              "init": 120, "lr": 250, "batch_size": 110, "epochs": 230, "weight_decay": 220}
    for name, width in widths.items():
        controls[name].layout.width = f"{width}px"
    speed.layout.width = "125px"

    def row(label, items):
        return widgets.HBox([widgets.HTML(f"<b>{label}</b>", layout=widgets.Layout(width="62px")), *items],
                            layout=widgets.Layout(flex_flow="row wrap", align_items="center"))

    panel.widget = widgets.VBox([
        row("Data", [controls[n] for n in ("dataset", "noise", "test_fraction")]),
        row("Network", [controls[n] for n in ("layers", "units", "activation", "init")]),
        row("Training", [controls[n] for n in ("lr", "batch_size", "epochs")]),
        row("", [controls["weight_decay"], pg.play_button, pg.step_button, pg.reset_button, speed]),
        pg.status, figures, panel.error,
    ], layout=widgets.Layout(width="100%"))
    panel.widget.add_class("nnlite-playground")
    if viz.presentation_on():  # as Panel does: larger controls for the back of the room
        panel.widget.children = (widgets.HTML(PRESENTATION_CSS), *panel.widget.children)
        panel.widget.add_class("nnlite-presentation")
    return panel


# --------------------------------------------------------------------- for the notebook

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


def _vanishing_trainer(activation):
    return Trainer(Settings(dataset="moons", hidden=(16,) * 6, activation=activation))


_NORMS = {name: _vanishing_trainer(name).start_grad_norms for name in ("sigmoid", "relu")}  # layer 1 ... layer 7

VANISHING_RATIO = NumberExercise(
    "how many times larger the output layer's gradient (layer 7) is than the first hidden layer's (layer 1)",
    expected=_NORMS["sigmoid"][-1] / _NORMS["sigmoid"][0],
    mistakes=[
        Mistake(_NORMS["sigmoid"][0] / _NORMS["sigmoid"][-1], "That is layer 1 divided by layer 7: turn the fraction "
                                                              "upside down."),
        Mistake(_NORMS["sigmoid"][-2] / _NORMS["sigmoid"][0], "That is the last HIDDEN layer (layer 6, index -2). "
                                                              "The output layer is the last entry of the array."),
        Mistake(_NORMS["sigmoid"][-1] / _NORMS["sigmoid"][1], "Layer 1 is the first entry of the array: index 0, "
                                                              "not 1."),
        Mistake(_NORMS["relu"][-1] / _NORMS["relu"][0], "That is the ReLU network: set activation='sigmoid'."),
    ],
    hint="Build the Trainer with exactly those settings (no training needed), then divide two entries of "
         "trainer.start_grad_norms.",
    why="Each sigmoid layer multiplies the gradient by its weights times sigmoid'(z) <= 1/4; with Xavier's small "
        "weights those factors stay below 1, and six of them shrink it by thousands (notebook 05).",
    rtol=1e-3,
)
