"""The playground's views, small LiveFigures that redraw in place from a Trainer: `RegionsView`
(class regions, training and validation points), `LossView` (loss and accuracy per epoch, on the
training and the validation points) and `LayersView` (the gradient reaching each hidden layer, and
its units that are off for every point). None of them shows the test set: it is kept for the end.

Each view has a `show(trainer)` that draws the run as it is now; the playground calls it after
training, one view at a time.
"""

import matplotlib as mpl
import numpy as np

from ... import viz
from ..._validate import check_int
from ...losses import softmax_unchecked
from ...widgets import LiveFigure
from .point_marks import drawn_classes, key_handles, point_lines, show_lines_with_points
from .unit_pictures import diverging_colors

MAX_HIDDEN_LAYERS = 6  # the deepest network the panel offers; the layer views have room for that many
LOSS_LIMITS = (1e-4, 1e2)  # the loss axis (log scale); values outside are drawn at the edge
GRAD_LIMITS = (1e-7, 1e3)  # the gradient-norm axis (log scale)
NO_OFF_SIDE = ("tanh", "sigmoid", "identity")  # z <= 0 is not off for them: the units-off view draws no bars


def grid_probabilities(model, points, resolution, block=256):
    """The model's class probabilities on grid points, as (resolution, resolution, n_classes); for a
    network with one output (a regression) that output itself, as (resolution, resolution, 1).

    The same forward pass as model.forward, in float32 (a picture needs no more precision)
    and in blocks of `block` rows: a matrix product of thousands of rows makes OpenBLAS
    start threads, which on a busy machine costs far more than it saves. Falls back to
    float64 where float32 overflows.
    """
    weights = [(layer.W.astype(np.float32), layer.b.astype(np.float32)) for layer in model.layers]
    last = softmax_unchecked if model.sizes[-1] > 1 else (lambda outputs: outputs)
    points32 = points.astype(np.float32)
    probs = np.empty((len(points), model.sizes[-1]), dtype=np.float32)
    with np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, len(points), block):
            h = points32[start:start + block]
            for W, b in weights[:-1]:
                h = model.activation.forward_unchecked(h @ W + b)
            W, b = weights[-1]
            probs[start:start + block] = last(h @ W + b)
        if not np.isfinite(probs).all():
            probs = np.concatenate([last(model.forward_unchecked(points[i:i + block]))
                                    for i in range(0, len(points), block)])
    return probs.reshape(resolution, resolution, -1)


class RegionsView:
    """The class regions of the network (pale where it is unsure) with the training and validation points.

    The axes have no ticks, so a new data set (new axis limits) changes no static pixel:
    every redraw is a blit, even when the data changes.
    """

    def __init__(self, resolution=60, figsize=(2.6, 2.6)):
        self.resolution = check_int(resolution, "resolution", minimum=2)
        self.live = LiveFigure(figsize=figsize)
        self.ax = ax = self.live.subplots()
        self.image = ax.imshow(np.ones((2, 2, 3), dtype=np.uint8), origin="lower", extent=(0, 1, 0, 1),
                               aspect="auto", interpolation="bilinear")
        # one marker line per class and set (point_marks: the class in colour and shape, the set in the fill)
        self.points_lines = point_lines(ax, ("train", "validation"))
        ax.set_title("class regions", fontsize="medium")
        ax.set(xticks=[], yticks=[])
        ax.grid(False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(True)
        self.live.fig.legend(handles=key_handles(("train", "validation")), loc="outside lower center", ncols=2,
                             frameon=False, fontsize="small", handletextpad=0.1, columnspacing=0.8, borderpad=0.1)
        self.live.animate(self.image)  # new on almost every move
        self.live.animate(*self.points_lines["train"], *self.points_lines["validation"], layer=1)  # new with the data
        self.extent = self.points = None
        self._inputs = (None, None)  # (features, the grid's points as the network reads them)
        self._pixels = np.empty((self.resolution, self.resolution, 3), dtype=np.uint8)  # reused by every redraw

    def set_data(self, trainer):
        """New points (a data control moved): move the scatters, the picture and the axis limits."""
        for part, X, y in (("train", trainer.X_train, trainer.y_train), ("validation", trainer.X_val, trainer.y_val)):
            y = drawn_classes(y)
            for k, line in enumerate(self.points_lines[part]):
                line.set_data(X[y == k, 0], X[y == k, 1])
        show_lines_with_points(self.points_lines)
        self.extent = viz.grid_extent(trainer.X)  # the same box as viz.decision_grid
        self.points = viz.grid_points(self.extent, self.resolution)
        self.image.set_extent(self.extent)
        self.ax.set(xlim=self.extent[:2], ylim=self.extent[2:])
        self._inputs = (None, None)

    def grid_inputs(self, trainer):
        """The grid's points as the run's network reads them (its features), computed once per data and features."""
        if self._inputs[0] != trainer.settings.features:
            self._inputs = (trainer.settings.features, trainer.inputs(self.points))
        return self._inputs[1]

    def show(self, trainer):
        if not trainer.diverged:
            probs = grid_probabilities(trainer.model, self.grid_inputs(trainer), self.resolution)
            if np.isfinite(probs).all():
                if probs.shape[-1] == 1:  # a regression: its output, coloured as a unit's picture
                    self._pixels[...] = diverging_colors(probs[..., 0])
                else:
                    np.multiply(viz.region_colors(probs), 255, out=self._pixels, casting="unsafe")
                self.image.set_data(self._pixels)
        self.live.redraw()


class LossView:
    """Loss (log scale) and accuracy per epoch, on the training and the validation points, side by side:
    the numbers of the model each epoch ends with (its training loss is History.train_loss, on all the
    training points, not the running mean of the epoch's mini-batch losses).

    The epoch axes always have their ticks at 0, half and all of the chosen epochs, and their
    numbers are animated text: changing the number of epochs re-renders six numbers, not the
    whole figure. The numbers of the run are in the status line, not in titles (text is the
    slowest thing to draw).
    """

    TICKS = 3  # 0, half, all of the epochs: whole numbers for the slider's multiples of 10

    def __init__(self, figsize=(7.0, 2.6)):
        self.figsize = figsize  # as made (the playground draws it smaller beside the network view)
        self.live = LiveFigure(figsize=figsize)
        self.axes = self.live.subplots(1, 2, width_ratios=[1.2, 1])
        self.ax, accuracy_ax = self.axes
        self.lines = {}  # (curve key) -> line: "train_loss", "val_loss", "train_accuracy", "val_accuracy"
        for ax, what in ((self.ax, "loss"), (accuracy_ax, "accuracy")):
            for color, part, label in ((viz.PALETTE[0], "train", "train"), (viz.PALETTE[1], "val", "validation")):
                (self.lines[f"{part}_{what}"],) = ax.plot([], [], color=color, markersize=3, label=label)
            ax.set(xlim=(0, 1), xticks=np.linspace(0, 1, self.TICKS), xticklabels=[])
            ax.set_xlabel("epoch", labelpad=14)
        self.ax.set(yscale="log", ylim=LOSS_LIMITS)
        self.ax.set_title("loss (cross-entropy, log scale)", fontsize="medium")
        accuracy_ax.set(ylim=(0, 1.04), yticks=[0, 0.25, 0.5, 0.75, 1], yticklabels=["0", "25%", "50%", "75%", "100%"])
        accuracy_ax.set_title("accuracy", fontsize="medium")
        accuracy_ax.legend(loc="lower right", fontsize="small")
        self.tick_labels = [ax.text(x, -0.03, "", transform=ax.transAxes, ha="center", va="top",
                                    fontsize=mpl.rcParams["xtick.labelsize"])
                            for ax in self.axes for x in np.linspace(0, 1, self.TICKS)]
        self.diverged_text = self.ax.text(0.5, 0.55, "diverged: the loss\nis no longer a number",
                                          transform=self.ax.transAxes, ha="center", va="center", color="#b00",
                                          fontsize="large", visible=False)
        self.no_accuracy = accuracy_ax.text(0.5, 0.8, "no accuracy:\na regression", transform=accuracy_ax.transAxes,
                                            ha="center", va="center", color="0.4", visible=False)
        self.title, self.loss_name = self.ax.title, "cross_entropy"
        # the loss's title is animated too: a regression's data set (or back) then changes a line of the SVG
        # instead of the whole picture (a new PNG: 20 ms of the kernel's move and a picture to decode)
        self.live.animate(*self.tick_labels, *self.lines.values(), self.diverged_text, self.no_accuracy, self.title)

    def resize(self, figsize):
        """Draw the figure `figsize` inches (the playground draws it smaller beside the network view)."""
        self.live.resize(figsize)

    def set_epochs(self, epochs):
        """The epoch axes span the chosen number of epochs; only the animated tick numbers change."""
        epochs = max(epochs, 1)
        if self.ax.get_xlim() == (0, epochs):  # new limits would make every artist be written again
            return
        ticks = np.linspace(0, epochs, self.TICKS)
        for ax in self.axes:
            ax.set_xlim(0, epochs)
            ax.set_xticks(ticks, labels=[""] * self.TICKS)
        for label, value in zip(self.tick_labels, [*ticks, *ticks], strict=True):
            label.set_text(f"{value:g}")

    TITLES = {"cross_entropy": "loss (cross-entropy, log scale)", "mse": "loss (squared error, log scale)"}

    def show(self, trainer):
        c, loss = trainer.curves, trainer.settings.loss
        if loss != self.loss_name:  # a regression's loss and no accuracy, or back
            self.loss_name = loss
            self.title.set_text(self.TITLES[loss])
            self.no_accuracy.set_visible(loss == "mse")
        x = np.arange(len(c["train_loss"]))
        marker = "o" if len(x) < 25 else ""  # dots while there are few points, so that one point shows
        for key, line in self.lines.items():
            if c[key][0] is None:  # no accuracy (a regression)
                line.set_data([], [])
                continue
            line.set_data(x, viz.within_limits(c[key], LOSS_LIMITS if key.endswith("loss") else (0.0, 1.0)))
            if line.get_marker() != marker:
                line.set_marker(marker)
        self.diverged_text.set_visible(trainer.diverged)
        self.live.redraw()


class LayersView:
    """Two small figures about the hidden layers: the gradient reaching each one, ||dL/db|| on all the
    training points (before training and now), and the share of its units that are off for every point.

    ||dL/db|| has one entry per unit (the error signal delta of each unit, averaged over the points),
    and every hidden layer has the same number of units, so they compare by it (notebook 05);
    ||dL/dW|| of the first layer, a 2 x n matrix, is not comparable with that of an n x n one. The
    output layer, with one unit per class, is left out for the same reason.
    """

    TITLES = ("gradient reaching each hidden layer", "gradient per hidden layer")  # the second when narrow

    def __init__(self, figsize=(5.0, 1.9)):
        self.figsize = figsize  # of each figure, as made
        self.grad_live, self.dead_live = LiveFigure(figsize=figsize), LiveFigure(figsize=figsize)
        hidden = np.arange(1, MAX_HIDDEN_LAYERS + 1)
        ax = self.grad_live.subplots()
        (self.start_grad,) = ax.plot([], [], color="0.5", linestyle="--", marker="o", markersize=4,
                                     label="before training")
        (self.grad_line,) = ax.plot([], [], color=viz.PALETTE[3], marker="o", markersize=5, label="now")
        ax.set(yscale="log", ylim=GRAD_LIMITS, xlim=(0.5, MAX_HIDDEN_LAYERS + 0.5), xticks=hidden,
               xlabel="hidden layer (1 = input side)", ylabel="||dL/db||")
        self.grad_title = ax.set_title(self.TITLES[0], fontsize="medium")
        ax.legend(loc="lower right", fontsize="small", ncols=2)
        self.no_hidden_grad = ax.text(0.5, 0.5, "no hidden layer", transform=ax.transAxes, ha="center",
                                      va="center", color="0.4", visible=False)
        self.grad_live.animate(self.start_grad, self.grad_line, self.no_hidden_grad)

        ax = self.dead_live.subplots()
        self.bars = list(ax.bar(hidden, np.zeros(len(hidden)), color=viz.PALETTE[4], width=0.7, label="off"))
        self.alive = list(ax.bar(hidden, np.zeros(len(hidden)), color="0.85", width=0.7, label="on for some"))
        self.no_hidden = ax.text(0.5, 0.5, "no hidden layer", transform=ax.transAxes, ha="center", va="center",
                                 color="0.4")
        self.no_off_side = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", color="0.4",
                                   visible=False)
        # the axis runs to 1.6 so that the key, in one row above 1.0, never covers a full bar
        ax.set(ylim=(0, 1.6), xlim=(0.5, MAX_HIDDEN_LAYERS + 0.5), yticks=[0, 0.5, 1], xticks=hidden,
               xlabel="hidden layer", ylabel="share of units")
        ax.set_title("units off (z ≤ 0) at every point", fontsize="medium")
        ax.legend(loc="upper center", fontsize="small", ncols=2, borderaxespad=0.2)
        self.dead_live.animate(*self.bars, *self.alive, self.no_hidden, self.no_off_side)

    def resize(self, figsize):
        """Draw both figures `figsize` inches (the playground draws them smaller beside the network view);
        narrower than 4 inches the gradient's title is shorter, to fit."""
        for live in (self.grad_live, self.dead_live):
            live.resize(figsize)
        self.grad_title.set_text(self.TITLES[figsize[0] < 4])

    def show(self, trainer):
        norms, off = trainer.grad_norms()[:-1], trainer.off_fraction()  # hidden layers only
        activation = trainer.settings.activation
        no_off_side = activation in NO_OFF_SIDE and len(off) > 0
        if no_off_side:  # z <= 0 is the lower half of an S, or of a line: the unit still passes a gradient back
            off = np.zeros(0)
        layers = np.arange(1, len(norms) + 1)
        self.start_grad.set_data(layers, viz.within_limits(trainer.start_grad_norms[:-1], GRAD_LIMITS))
        if trainer.steps:
            self.grad_line.set_data(layers, viz.within_limits(norms, GRAD_LIMITS))
        else:  # before the first step "now" is "before training"
            self.grad_line.set_data([], [])
        for i, (bar, alive) in enumerate(zip(self.bars, self.alive, strict=True)):
            fraction = off[i] if i < len(off) else 0.0
            rest = 1.0 - fraction if i < len(off) else 0.0
            if (bar.get_height(), alive.get_y(), alive.get_height()) != (fraction, fraction, rest):
                # only a bar that changed is written again (LiveFigure.svg keeps the others)
                bar.set_height(fraction)
                alive.set_y(fraction)
                alive.set_height(rest)
        for text, shown in ((self.no_hidden, len(off) == 0 and not no_off_side),
                            (self.no_hidden_grad, len(norms) == 0), (self.no_off_side, no_off_side)):
            if text.get_visible() != shown:  # matplotlib 3.7 marks it changed even if not
                text.set_visible(shown)
        words = f"{activation} has no off side:\nz ≤ 0 still passes a gradient" if no_off_side else ""
        if self.no_off_side.get_text() != words:
            self.no_off_side.set_text(words)
        self.grad_live.redraw()
        self.dead_live.redraw()
