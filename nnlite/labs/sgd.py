"""Notebook 01: batch size, epoch, learning rate and SGD on a two-parameter model.

The model is a line, y_hat = w * x + b, so its loss surface is a picture: every point
(w, b) of the plane has a mean squared error, and SGD walks across that picture.
"""

import math

import numpy as np

from .. import viz
from .._validate import as_float_array, check_int, check_number
from ..widgets import LiveFigure, Panel, dropdown, log_slider, slider, text_line

START = (-2.0, 3.0)  # where every walk begins: far from the answer, so the path is visible
DIVERGED_AT = 1e6  # a parameter this large means the walk has left the picture for good: stop
BLOWN_UP = 100.0  # diverged: the loss is 100 times the loss at the start (or not a number)


def make_line_data(n=64, seed=0):
    """n points around the line y = 1.5 x - 0.5, with x in [-1, 3] (noise 0.5)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 3.0, n)
    return x, 1.5 * x - 0.5 + rng.normal(0.0, 0.5, n)


def best_fit(x, y):
    """The (w, b) with the lowest possible loss (least squares): where SGD should end."""
    A = np.column_stack([x, np.ones_like(x)])
    (w, b), *_ = np.linalg.lstsq(A, y, rcond=None)
    return float(w), float(b)


def loss_surface(x, y, w_grid, b_grid):
    """Mean squared error of the line (w, b) for every pair of the two grids: (len(b), len(w))."""
    W, B = np.meshgrid(w_grid, b_grid)
    residual = W[..., None] * x + B[..., None] - y
    return np.mean(residual**2, axis=-1)


def steps_per_epoch(n_rows, batch_size):
    """One epoch shows every row once, batch_size rows per step: ceil(n_rows / batch_size) steps."""
    return math.ceil(check_int(n_rows, "n_rows", 1) / check_int(batch_size, "batch_size", 1))


def sgd_path(x, y, lr, batch_size, epochs, seed=0, start=START):
    """Run mini-batch SGD on the line model and return the walk.

    Returns a dict: "path" ((steps + 1, 2) array of (w, b), the start first),
    "loss" (full-data loss after every step, the start first), "diverged" (the
    first step whose loss is 100 times the starting loss, or None). The gradient of the batch loss
    mean((w x + b - y)^2) is dL/dw = 2 mean(r x), dL/db = 2 mean(r), with r the residual.
    """
    x = as_float_array(x, "x", ndim=1)
    y = as_float_array(y, "y", ndim=1)
    if x.shape != y.shape:
        raise ValueError(f"y must have the same length as x ({len(x)}), got {len(y)}")
    lr = check_number(lr, "lr", low=0.0, low_open=True)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    epochs = check_int(epochs, "epochs", minimum=0)
    rng = np.random.default_rng(seed)
    w, b = start
    path = [(w, b)]
    for _ in range(epochs):
        order = rng.permutation(len(x))
        xs, ys = x[order], y[order]  # shuffled once per epoch; batches are then cheap slices
        for first in range(0, len(x), batch_size):
            xb, yb = xs[first:first + batch_size], ys[first:first + batch_size]
            r = w * xb + b - yb
            w, b = w - lr * 2.0 * float(r @ xb) / len(xb), b - lr * 2.0 * float(r.sum()) / len(xb)
            path.append((w, b))
            if not (abs(w) < DIVERGED_AT and abs(b) < DIVERGED_AT):
                break
        if not (abs(w) < DIVERGED_AT and abs(b) < DIVERGED_AT):
            break
    path = np.array(path)
    residual = path[:, :1] * x + path[:, 1:] - y
    with np.errstate(over="ignore", invalid="ignore"):
        loss = np.mean(residual**2, axis=1)
    blown_up = np.flatnonzero(~(loss < BLOWN_UP * loss[0]))
    return {"path": path, "loss": loss, "diverged": int(blown_up[0]) if blown_up.size else None}


def uphill_fraction(loss):
    """The fraction of steps after which the loss on ALL the data went up: 0 for a smooth
    full-batch descent with a small learning rate, large for noisy small batches."""
    loss = as_float_array(loss, "loss", ndim=1)
    return float(np.mean(np.diff(loss) > 0)) if len(loss) > 1 else 0.0


class SGDView:
    """Left: the loss surface with the SGD walk on it. Right: the loss after every step."""

    W_RANGE, B_RANGE = (-3.0, 4.0), (-3.0, 4.0)

    def __init__(self, x, y, max_epochs):
        self.x, self.y, self.max_epochs = x, y, max_epochs
        self.live = LiveFigure(figsize=(9, 3.8))
        self.ax_surface, self.ax_loss = self.live.subplots(1, 2)
        w_grid, b_grid = np.linspace(*self.W_RANGE, 150), np.linspace(*self.B_RANGE, 150)
        surface = loss_surface(x, y, w_grid, b_grid)
        self.ax_surface.contourf(w_grid, b_grid, np.log10(surface), levels=20, cmap="Blues_r")
        self.ax_surface.contour(w_grid, b_grid, np.log10(surface), levels=10, colors="white", linewidths=0.5)
        w_best, b_best = best_fit(x, y)
        self.ax_surface.plot([w_best], [b_best], marker="*", markersize=14, color=viz.PALETTE[1],
                             linestyle="none", label="lowest loss")
        self.ax_surface.plot(*START, marker="o", color="k", linestyle="none", label="start")
        self.ax_surface.set(xlim=self.W_RANGE, ylim=self.B_RANGE, xlabel="weight w", ylabel="bias b")
        self.ax_surface.grid(False)
        self.ax_surface.legend(loc="lower left")
        self.path_line, self.end_point = self.live.animate(
            self.ax_surface.plot([], [], color=viz.PALETTE[3], linewidth=1.2)[0],
            self.ax_surface.plot([], [], marker="X", markersize=10, color=viz.PALETTE[3])[0])
        self.loss_line = self.live.animate(self.ax_loss.plot([], [], color=viz.PALETTE[3])[0])
        self.title = self.live.animate(self.ax_surface.set_title(" "))
        self.loss_title = self.live.animate(self.ax_loss.set_title(" "))
        self.ax_loss.set(yscale="log", xlim=(0, max_epochs), ylim=(0.1, 1e3), xlabel="epoch",
                         ylabel="loss on all the data")

    def show(self, result, lr, batch_size, epochs):
        path, loss = result["path"], result["loss"]
        self.path_line.set_data(path[:, 0], path[:, 1])
        self.end_point.set_data(path[-1:, 0], path[-1:, 1])
        per_epoch = steps_per_epoch(len(self.x), batch_size)
        self.loss_line.set_data(np.arange(len(loss)) / per_epoch, np.clip(loss, 1e-3, 1e12))
        steps = len(path) - 1
        self.title.set_text(f"lr={lr:.3g}, batch size {batch_size}: {steps} steps")
        if result["diverged"]:
            self.loss_title.set_text(f"diverged at step {result['diverged']}: lr too large")
        else:
            self.loss_title.set_text(f"loss after {epochs} epochs: {loss[-1]:.3f}")
        self.live.redraw()


def explorer(n=64, seed=0, max_epochs=10):
    """Sliders for learning rate, batch size and epochs, moving the SGD walk live."""
    x, y = make_line_data(n, seed)
    view = SGDView(x, y, max_epochs)
    sizes = [2**k for k in range(int(math.log2(n)) + 1)]
    if sizes[-1] != n:
        sizes.append(n)
    summary = text_line()

    def update(lr, batch_size, epochs):
        result = sgd_path(x, y, lr, batch_size, epochs, seed=seed)
        view.show(result, lr, batch_size, epochs)
        per_epoch = steps_per_epoch(n, batch_size)
        summary.value = (f"{n} rows, batch size {batch_size} &rarr; <b>{per_epoch} steps per epoch</b>; "
                         f"{epochs} epochs = {per_epoch * epochs} steps "
                         f"({'stopped early: diverged' if result['diverged'] else 'all done'})")

    controls = {
        "lr": log_slider("learning rate", -3, 0, value=0.1),
        "batch_size": dropdown("batch size", sizes, value=8),
        "epochs": slider("epochs", 1, max_epochs, 1, 3),
    }
    return Panel(update, controls, [summary, view.live.widget], title="SGD on the loss surface")
