"""Notebook 01: batch size, epoch, learning rate and SGD on a two-parameter model.

The model is a line, y_hat = w * x + b, so its loss surface is a picture: every point
(w, b) of the plane has a mean squared error, and SGD walks across that picture.
Before the surface, a one-parameter parabola shows where the learning-rate limit comes from;
after it, the same walks on standardised inputs z = (x - mean) / std, whose bowl is round.
At the end, a polynomial on the same kind of data, trained the same way, shows training,
validation and test sets, overfitting and early stopping.
"""

import math

import matplotlib as mpl
import matplotlib.patheffects
import numpy as np

from .. import colors, viz
from .._validate import as_float_array, check_int, check_number
from ..datasets import train_val_test_split
from ..exercises import FunctionExercise, Mistake, NumberExercise
from ..exercises.answers import read_numbers
from ..widgets import LiveRow, Panel, dropdown, selection_slider, slider, text_line
from .runs import SEEDS, over_seeds
from .runs import spread as shared_spread

START = (-2.0, 3.0)  # where every walk begins: far from the answer, so the path is visible
# The explorer's learning rates: tenfold steps from 0.001, and finer ones around the limit 0.35 of
# make_line_data(64, seed=0), so that the notebook's "0.3, 0.35, 0.4" are positions of the slider.
EXPLORER_LRS = (0.001, 0.003, 0.01, 0.03, 0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 1.0)
BLOWN_UP = 100.0  # diverged: the loss is 100 times the loss at the start (or not a number); see sgd_path


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


def valley_curvatures(x):
    """The two curvatures of the line's loss bowl, (along the valley, across it): the smaller first.

    The loss is quadratic in (w, b), so along each of two directions at right angles it is a parabola;
    its curvatures there are the eigenvalues of the table of second derivatives (the Hessian)
    2 [[mean(x^2), mean(x)], [mean(x), 1]], which does not depend on y (notebook 01, optional section 12).
    """
    along, across = np.linalg.eigvalsh(_line_hessian(x))
    return float(along), float(across)


def _line_hessian(x):
    x = as_float_array(x, "x", ndim=1)
    return 2.0 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])


def plot_valley_axes(x, bottom, ax, reach=2.5):
    """Draw the valley's two axes through `bottom` = (w, b): the directions of valley_curvatures (the
    Hessian's eigenvectors), along the valley solid and across it dotted, `reach` either side. They are
    the long and the short axis of the oval contour lines, at right angles on axes of equal scale."""
    directions = np.linalg.eigh(_line_hessian(x))[1].T  # along the valley first, as valley_curvatures
    for direction, style, name in zip(directions, ("-", ":"), ("along the valley", "across the valley"), strict=True):
        ends = np.asarray(bottom, dtype=float) + np.outer([-reach, reach], direction)
        ax.plot(ends[:, 0], ends[:, 1], color="w", linestyle=style, linewidth=1.5, label=name,
                path_effects=[mpl.patheffects.Stroke(linewidth=2.5, foreground="k"), mpl.patheffects.Normal()])
    return ax


def loss_surface(x, y, w_grid, b_grid):
    """Mean squared error of the line (w, b) for every pair of the two grids: (len(b), len(w))."""
    W, B = np.meshgrid(w_grid, b_grid)
    residual = W[..., None] * x + B[..., None] - y
    return np.mean(residual**2, axis=-1)


def steps_per_epoch(n_rows, batch_size):
    """One epoch shows every row once, batch_size rows per step: ceil(n_rows / batch_size) steps."""
    return math.ceil(check_int(n_rows, "n_rows", 1) / check_int(batch_size, "batch_size", 1))


def sgd_path(x, y, lr, batch_size, epochs, seed=0, start=START, momentum=0.0, decay=0.0):
    """Run mini-batch SGD on the line model and return the walk.

    Returns a dict: "path" ((steps + 1, 2) array of (w, b), the start first), "loss" (the loss
    on all the data after every step, the start first) and "diverged": the step at which the
    walk stopped because its loss reached 100 times the loss at the start, or None.
    The gradient of the batch loss mean((w x + b - y)^2) is dL/dw = 2 mean(r x), dL/db = 2 mean(r),
    with r the residual.

    momentum (in [0, 1)): 0 is plain SGD. Otherwise each step is a velocity, as in nl.SGD:
    v <- momentum * v - lr * gradient, then (w, b) <- (w, b) + v (Polyak 1964).

    decay (>= 0): learning-rate decay; step t (0, 1, 2, ...) uses lr / (1 + decay * t), a schedule
    whose steps add up to infinity while their squares do not (Robbins and Monro 1951). 0: constant.

    The rule of 100 times the start suits this notebook's data and far-away start only (no walk
    that converges there passes 5 times its start); nl.fit stops only when the loss is no longer
    a number.
    """
    x = as_float_array(x, "x", ndim=1)
    y = as_float_array(y, "y", ndim=1)
    if x.shape != y.shape:
        raise ValueError(f"y must have the same length as x ({len(x)}), got {len(y)}")
    lr = check_number(lr, "lr", low=0.0, low_open=True)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    epochs = check_int(epochs, "epochs", minimum=0)
    momentum = check_number(momentum, "momentum", low=0.0, high=1.0, high_open=True)
    decay = check_number(decay, "decay", low=0.0)
    rng = np.random.default_rng(seed)
    w, b = start
    vw = vb = 0.0  # the velocity (momentum only)
    path = [(w, b)]
    with np.errstate(over="ignore", invalid="ignore"):  # past the limit the numbers may overflow; cut below
        for _ in range(epochs):
            order = rng.permutation(len(x))
            xs, ys = x[order], y[order]  # shuffled once per epoch; batches are then cheap slices
            for first in range(0, len(x), batch_size):
                xb, yb = xs[first:first + batch_size], ys[first:first + batch_size]
                r = w * xb + b - yb
                rate = lr / (1.0 + decay * (len(path) - 1))  # len(path) - 1 steps taken so far
                step_w, step_b = rate * 2.0 * float(r @ xb) / len(xb), rate * 2.0 * float(r.sum()) / len(xb)
                if momentum:
                    vw, vb = momentum * vw - step_w, momentum * vb - step_b
                    w, b = w + vw, b + vb
                else:
                    w, b = w - step_w, b - step_b
                path.append((w, b))
        path = np.array(path)
        loss = np.mean((path[:, :1] * x + path[:, 1:] - y) ** 2, axis=1)
    blown_up = np.flatnonzero(~(loss <= BLOWN_UP * loss[0]))  # "not <=": a NaN counts as blown up too
    if blown_up.size:  # the walk ends at the first step that blew up
        end = int(blown_up[0])
        return {"path": path[:end + 1], "loss": loss[:end + 1], "diverged": end}
    return {"path": path, "loss": loss, "diverged": None}


def parabola_walk(a, lr, w0=1.0, steps=5):
    """Gradient descent on the parabola L(w) = a/2 w^2, whose slope is a w and curvature a.

    One step is w <- w - lr * a * w = (1 - lr a) w: every step multiplies w by the same
    factor. |1 - lr a| < 1 shrinks w towards the bottom (from one side while lr < 1/a, bouncing
    across it past 1/a); past lr = 2/a the factor is below -1 and every bounce is larger.
    Returns the array of w, the start first.
    """
    a = check_number(a, "a", low=0.0, low_open=True)
    lr = check_number(lr, "lr", low=0.0, low_open=True)
    w = [check_number(w0, "w0")]
    for _ in range(check_int(steps, "steps", minimum=0)):
        w.append(w[-1] - lr * a * w[-1])
    return np.array(w)


def plot_parabola_walks(a, lrs, axes, steps=5, reach=2.5):
    """One panel (of `axes`) per learning rate: the parabola a/2 w^2 and gradient descent's walk on it.

    Every panel has the same scales, w from -reach to reach, so that the walks compare at a glance;
    the points of a walk that leave the picture are listed in the panel instead.
    """
    grid = np.linspace(-reach, reach, 200)
    for ax, lr in zip(axes, lrs, strict=True):
        w = parabola_walk(a, lr, steps=steps)
        ax.plot(grid, a / 2 * grid**2, color=viz.PALETTE[0], linewidth=1.5)
        ax.plot(w, a / 2 * w**2, "o-", color=viz.PALETTE[3], markersize=4, linewidth=1)
        outside = w[np.abs(w) > reach]
        if outside.size:  # two texts, not one with a line break: each is a phrase of the text alternative
            values = "w = " + ", ".join(f"{v:.2f}" for v in outside)
            # in the top corner across from the last point inside: the line leaving the picture climbs from that
            # point and crosses the top nearer the middle (for the notebook's walk, clear of the text)
            left = w[np.abs(w) <= reach][-1] > 0
            for height, words in ((0.97, "then off the picture:"), (0.89, values)):
                ax.text(0.02 if left else 0.98, height, words, transform=ax.transAxes, ha="left" if left else "right",
                        va="top", fontsize="small",
                        zorder=5, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
        ax.set(title=f"lr={lr:g}: w × {1 - lr * a:g} per step", xlabel="w", ylabel="loss a/2 w²",
               xlim=(-reach * 1.05, reach * 1.05), ylim=(-0.05 * a / 2 * reach**2, 1.25 * a / 2 * reach**2))
    return axes


def learning_rate_curves(x, y, lrs, batch_size=8, epochs=10, seeds=SEEDS):
    """Full-data loss after every step of sgd_path, for every learning rate and every shuffling seed.

    Returns {lr: [loss array of seed 0, of seed 1, ...]}; a diverged run's array stops early.
    """
    return {lr: [run["loss"] for run in over_seeds(sgd_path, seeds, x=x, y=y, lr=lr, batch_size=batch_size,
                                                    epochs=epochs)] for lr in lrs}


# low to very high: blue, green, orange, black, each with its own line style too (never colour alone)
CURVE_STYLES = [(0, "-"), (2, "-"), (1, "--"), (7, ":"), (4, "-."), (5, "-")]
LINE_WORDS = {"-": "solid", "--": "dashed", ":": "dotted", "-.": "dash-dotted"}


def plot_learning_rate_curves(curves, per_epoch, labels, ax=None):
    """The loss curves of learning_rate_curves (one thin line per seed, one colour and line style per lr),
    x in epochs, and a text alternative that says in numbers how each learning rate ended.

    CS231n ("Neural Networks Part 3", babysitting the learning process) reads them by shape: a low
    learning rate falls slowly and steadily, a good one falls fast and levels off low, a high one
    may jump up at first, then falls fast and stays above the best (with mini-batches, here: it jumps around, its long
    steps following batches that disagree about where the bottom is), a very high one blows up.
    """
    ax = viz.get_axes(ax)
    for (colour, style), (lr, runs) in zip(CURVE_STYLES, curves.items(), strict=False):
        for i, loss in enumerate(runs):
            ax.plot(np.arange(len(loss)) / per_epoch, loss, color=viz.PALETTE[colour], linestyle=style,
                    linewidth=1.2, alpha=0.7, label=f"lr={lr:g}: {labels[lr]}" if i == 0 else None)
    ax.set(yscale="log", ylim=(0.1, 1e3), xlabel="epoch", ylabel="loss on all the data")
    ax.legend()

    def ending(runs):
        blown = [len(loss) - 1 for loss in runs if not loss[-1] < BLOWN_UP * loss[0]]
        if len(blown) == len(runs):
            return f"every seed blew up (100 times its start) within {max(blown)} steps"
        kept = [loss for loss in runs if loss[-1] < BLOWN_UP * loss[0]]
        return (f"{len(blown)} of {len(runs)} seeds blew up; " if blown else "") + \
            f"loss after the last step {spread([loss[-1] for loss in kept], '{:.2f}')}, " \
            f"mean over the last epoch {spread([loss[-per_epoch:].mean() for loss in kept], '{:.2f}')}"

    words = "; ".join(f"{labels[lr]} (lr={lr:g}, {colors.name(viz.PALETTE[colour])}, "
                      f"{LINE_WORDS[style]}): {ending(runs)}"
                      for (colour, style), (lr, runs) in zip(CURVE_STYLES, curves.items(), strict=False))
    seeds = len(next(iter(curves.values())))
    viz.set_text_alternative(ax.figure, f"Figure: the loss on all the data after every step, against epochs, "
                                        f"on a log scale, {seeds} seeds per learning rate. {words}.")
    return ax


def plot_batch_sizes(runs, n_rows, axes, epochs=10):
    """The same runs measured two ways. Left: loss against epochs, the first `epochs` (every run has seen
    the same rows, done the same arithmetic). Right: loss against updates, as many as the shortest run
    made (every run has moved the same number of times). runs: {batch_size: result of sgd_path}."""
    ax_epochs, ax_updates = axes
    updates = min(len(run["loss"]) for run in runs.values()) - 1
    styles = [{"linewidth": 2.5}, {"linewidth": 1.5, "linestyle": "--"}, {"linewidth": 1}]  # wide to thin
    for i, (batch_size, run) in enumerate(reversed(runs.items())):  # the largest batch first: noisy lines on top
        style = styles[min(i, len(styles) - 1)]
        steps = np.arange(len(run["loss"]))
        for ax, x_values in ((ax_epochs, steps / steps_per_epoch(n_rows, batch_size)), (ax_updates, steps)):
            ax.plot(x_values, run["loss"], label=f"batch size {batch_size}", **style)
    ax_epochs.set(xlim=(0, epochs), xlabel="epoch", title=f"same {epochs} epochs (same rows seen)")
    ax_updates.set(xlim=(0, updates), xlabel="update (step)", title=f"same {updates} updates")
    for ax in axes:
        ax.set(yscale="log", ylabel="loss on all the data")
    ax_updates.legend()
    return axes


def plot_walk(x, y, run, ax, title="", names=("w", "b"), limits=(-3.0, 4.0)):
    """One walk of sgd_path on the line's loss surface for inputs x (log10 of the loss, dark = low),
    with the lowest point as a star; w and b share `limits` and one scale, so a round bowl looks round."""
    grid = np.linspace(*limits, 150)
    ax.contourf(grid, grid, np.log10(loss_surface(x, y, grid, grid)), levels=20, cmap="Blues_r")
    ax.plot(run["path"][:, 0], run["path"][:, 1], ".-", color=viz.PALETTE[3], markersize=4, linewidth=1)
    ax.plot(*best_fit(x, y), "*", color=viz.PALETTE[1], markersize=12)
    ax.set(xlim=limits, ylim=limits, xlabel=names[0], ylabel=names[1], title=title, aspect="equal")
    ax.grid(False)
    return ax


# Training, validation and test sets on the line's data: a polynomial, so that there is noise to learn

def power_columns(x, degree, train_x):
    """The inputs of a polynomial of `degree` in x, as columns of a matrix A: the prediction is A @ w.

    Column k (k = 1 .. degree) is z**k with z = (x - m) / s, each column then standardised (section 7
    of notebook 01) with the mean and standard deviation it has on `train_x`, the training rows; the
    last column is all ones, for the bias. With degree 1 this is the line of the notebook, in z.
    """
    x = as_float_array(x, "x", ndim=1)
    train_x = as_float_array(train_x, "train_x", ndim=1)
    degree = check_int(degree, "degree", minimum=1)
    m, s = train_x.mean(), train_x.std()
    powers = np.arange(1, degree + 1)
    train = ((train_x - m) / s)[:, None] ** powers
    columns = (((x - m) / s)[:, None] ** powers - train.mean(axis=0)) / train.std(axis=0)
    return np.column_stack([columns, np.ones(len(x))])


def gradient_descent(A, y, lr, epochs):
    """Full-batch gradient descent on the mean squared error of A @ w, from w = 0.

    The gradient is 2/N A.T (A w - y): for each column, the line's dL/dw = 2 mean(r x) of section 3.
    With the whole training set as one batch, an epoch is one step. Returns the weights after every
    epoch, (epochs + 1, columns), the start first.
    """
    A = as_float_array(A, "A", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    lr = check_number(lr, "lr", low=0.0, low_open=True)
    w = np.zeros(A.shape[1])
    weights = [w]
    for _ in range(check_int(epochs, "epochs", minimum=0)):
        w = w - lr * 2.0 * (A.T @ (A @ w - y)) / len(y)
        weights.append(w)
    return np.array(weights)


def early_stopping_run(seed, degree=9, n=100, lr=0.1, epochs=3000):
    """One data set of make_line_data(n, seed), cut 20 % / 40 % / 40 % into training, validation and
    test rows (nl.datasets.train_val_test_split, same seed), and a polynomial of `degree` trained on
    the training rows by full-batch gradient descent.

    Returns a dict: "x", "y" (dicts of the three sets' rows, by "train", "val", "test"), "loss" (the
    same keys: the loss on that set after every epoch, the start first), "weights" (after every
    epoch), "chosen" (the epoch of the lowest validation loss: early stopping), "limit" (2 / the
    largest curvature, section 6: lr must stay below it), "curvatures" (all of them, smallest first),
    "degree", and "least_squares": the weights of the lowest training loss, the bottom that gradient
    descent heads for, and their loss on each set ("least_squares_loss").
    """
    x, y = make_line_data(n, seed)
    parts = train_val_test_split(x[:, None], y, val_fraction=0.4, test_fraction=0.4, seed=seed)
    xs = {"train": parts[0][:, 0], "val": parts[2][:, 0], "test": parts[4][:, 0]}
    ys = {"train": parts[1], "val": parts[3], "test": parts[5]}
    columns = {part: power_columns(xs[part], degree, xs["train"]) for part in xs}
    A = columns["train"]
    curvatures = np.linalg.eigvalsh(2 * A.T @ A / len(A))
    weights = gradient_descent(A, ys["train"], lr, epochs)
    loss = {part: np.mean((columns[part] @ weights.T - ys[part][:, None]) ** 2, axis=0) for part in xs}
    bottom = np.linalg.lstsq(A, ys["train"], rcond=None)[0]
    bottom_loss = {part: float(np.mean((columns[part] @ bottom - ys[part]) ** 2)) for part in xs}
    return {"x": xs, "y": ys, "loss": loss, "weights": weights, "chosen": int(np.argmin(loss["val"])),
            "limit": float(2 / curvatures[-1]), "curvatures": curvatures, "degree": degree,
            "least_squares": bottom, "least_squares_loss": bottom_loss}


def patience_stop(val_loss, patience):
    """Early stopping as a run does it (Goodfellow, Bengio and Courville 2016, Algorithm 7.1): watch the
    validation loss after every epoch (`val_loss[0]` is the start), and stop once it has not reached a
    new lowest for `patience` epochs in a row. Returns (the epoch it stops at, the epoch whose weights it
    keeps); (the last epoch, the lowest) if it never stops."""
    val_loss = as_float_array(val_loss, "val_loss", ndim=1)
    check_int(patience, "patience", minimum=1)
    best = 0
    for epoch in range(1, len(val_loss)):
        if val_loss[epoch] < val_loss[best]:
            best = epoch
        elif epoch - best == patience:
            return epoch, best
    return len(val_loss) - 1, best


def plot_early_stopping(run, axes):
    """Left: training and validation loss after every epoch, the lowest validation loss marked; the
    loss axis is logarithmic, the epoch axis too from epoch 1 on (0 to 1 is linear, so that the start,
    epoch 0, shows). Right: the training and validation rows, the polynomial at that epoch and at the last, and the
    least-squares polynomial (dotted), where gradient descent would end after very many epochs."""
    ax_loss, ax_fit = axes
    epochs = np.arange(len(run["loss"]["train"]))
    for part, colour, name in (("train", viz.PALETTE[0], "training"), ("val", viz.PALETTE[1], "validation")):
        ax_loss.plot(epochs, run["loss"][part], color=colour, label=f"{name} loss")
    chosen = run["chosen"]
    ax_loss.axvline(chosen, color="k", linestyle=":", linewidth=1)
    ax_loss.plot([chosen], [run["loss"]["val"][chosen]], "o", color=viz.PALETTE[1])
    ax_loss.set_xscale("symlog", linthresh=1, linscale=0.5)
    ax_loss.set(xlim=(0, len(epochs) - 1), yscale="log", xlabel="epoch (0, then log scale)", ylabel="loss (log scale)",
                title=f"lowest validation loss at epoch {chosen}")
    ax_loss.yaxis.set_major_formatter(mpl.ticker.FormatStrFormatter("%g"))  # 0.3, not 3 x 10^-1
    ax_loss.xaxis.set_major_formatter(mpl.ticker.FormatStrFormatter("%g"))  # 100, not 10^2
    ax_loss.yaxis.set_minor_formatter(mpl.ticker.NullFormatter())
    ax_loss.set_yticks([t for t in (0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10) if t <= 2 * max(run["loss"]["val"])])
    ax_loss.legend()
    grid = np.linspace(-1.0, 3.0, 300)
    columns = power_columns(grid, run["degree"], run["x"]["train"])
    ax_fit.plot(grid, 1.5 * grid - 0.5, color="0.6", linestyle="--", linewidth=1, label="the line the data came from")
    ax_fit.scatter(run["x"]["train"], run["y"]["train"], s=18, color=viz.PALETTE[0], label="training rows", zorder=3)
    ax_fit.scatter(run["x"]["val"], run["y"]["val"], s=14, facecolors="none", edgecolors=viz.PALETTE[1],
                   label="validation rows")
    ax_fit.plot(grid, columns @ run["least_squares"], color="k", linestyle=":", linewidth=1.5,
                label="least squares (the bottom)")
    last = len(run["weights"]) - 1
    for epoch, colour in ((chosen, viz.PALETTE[2]), (last, viz.PALETTE[3])):
        ax_fit.plot(grid, columns @ run["weights"][epoch], color=colour, label=f"after epoch {epoch}")
    ax_fit.set(xlabel="x", ylabel="y", ylim=(-4.0, 6.0), title=f"degree {run['degree']}")
    ax_fit.legend(fontsize="small", loc="upper left")
    return axes


def spread(values, fmt="{:.2f}", median=True):
    """A result over seeds as notebook 01 writes it: "0.24-0.27 (median 0.25)", or "4.31 on every seed"
    when every seed prints the same: nnlite.labs.runs.spread with the median in brackets (a loss to two
    decimals unless `fmt` says otherwise)."""
    return shared_spread(values, fmt, median, brackets=True)


def below(value):
    """A tiny measured value (a rounding error, a loss that has reached the bottom) as its order of size, the
    power of ten just above it: "below 1e-10" for 5.6e-11. Its leading digit may change with the BLAS kernel or
    the numpy version; its order, away from a power of ten, does not."""
    size = abs(float(value))
    if not 0 < size < 1:
        raise ValueError(f"value: expected a number between 0 and 1 in size, got {value!r}")
    return f"below 1e{math.floor(math.log10(size)) + 1}"


def accuracy_range(correct, n, z=1.96):
    """A 95 % range (z = 1.96) for the accuracy behind `correct` right answers out of `n` test rows:
    Wilson's score interval (Wilson 1927; Agresti and Coull 1998 recommend it over p +- 2 standard errors).

    The standard error of an accuracy p measured on n rows is sqrt(p (1 - p) / n); p +- 1.96 of them can
    pass 100 %. Wilson's range stays inside 0-100 % and is uneven near the edges: an accuracy near 100 %
    can be much lower than measured, but only a little higher. Returns (low, high).
    """
    n = check_int(n, "n", minimum=1)
    correct = check_int(correct, "correct", minimum=0)
    if correct > n:
        raise ValueError(f"correct must be at most n ({n}), got {correct}")
    z = check_number(z, "z", low=0.0, low_open=True)
    p = correct / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return centre - half, centre + half


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
        self.live = LiveRow(2, panel_size=(4.5, 3.8))  # separate panels: they wrap on a narrow screen
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
        "lr": selection_slider("learning rate", EXPLORER_LRS, value=0.1),
        "batch_size": dropdown("batch size", sizes, value=8),
        "epochs": slider("epochs", 1, max_epochs, 1, 3),
    }
    return Panel(update, controls, [summary, view.live.widget], title="SGD on the loss surface")


# Exercises (checked in the notebook)

STEPS_IN_3_EPOCHS = NumberExercise(
    "SGD steps in 3 epochs of 200 rows with batch size 32",
    expected=21,
    integer=True,  # a count: 20.99 is not close to it, and nothing is
    mistakes=[
        Mistake(18.75, "A step uses a whole batch, so the number of steps is a whole number: what happens to the "
                       "8 rows left over after six batches of 32?"),
        Mistake(18, "You rounded down: the 8 leftover rows of each epoch still form a (smaller) batch, and that "
                    "batch is a step too."),
        Mistake(19, "That treats the 3 epochs as one long pass of 600 rows. Each epoch reshuffles and ends with "
                    "its own short batch: count the steps of one epoch first."),
        Mistake(7, "That is one epoch. How many epochs were there?"),
        Mistake(6, "That is the number of full batches in one epoch; the leftover rows make one more step, and "
                   "there were 3 epochs."),
        Mistake(600, "That is the number of rows seen (3 x 200), not the number of steps: each step takes a "
                     "whole batch."),
        Mistake(24, "That counts 8 steps per epoch: one too many. Six full batches and one short one is how many?"),
    ],
    hint="Reread section 4 (batch size and epoch): count the steps of one epoch, leftovers included, then the "
         "epochs.",
    why="ceil(200 / 32) = 7 steps per epoch (six batches of 32 and one of 8), times 3 epochs.",
)

class LimitExercise(NumberExercise):
    """A number that is a limit which must not be passed: a learning rate past it diverges. An answer above it
    is refused with `past_hint` (unless it is a named mistake, which keeps its own hint), even when it lies within
    the tolerance that accepts an answer below it: 0.25000001 diverges, 0.24999999 converges and is the limit
    to 7 figures. Only float round-off above it (relative 1e-12, 2 / 8 computed another way) is the limit."""

    def __init__(self, title, expected, past_hint, **kwargs):
        super().__init__(title, expected, **kwargs)
        self.past_hint = past_hint

    def _near_words(self, value):
        """Below the limit and near it: not "within 1 %", which would suggest a tolerance. The limit is one exact
        number (`near_hint` says which formula), and only that value, to 7 figures, is the answer."""
        if not super()._near_words(value):
            return ""
        below = "your answer is below the limit and close to it, but the limit is one exact number."
        return f"{below} {self.near_hint} "

    def _grade(self, answer):
        feedback = super()._grade(answer)
        value, problem = read_numbers(answer, self.expected.shape, squeeze=True)
        past = not problem and np.all(value > self.expected * (1 + 1e-12))
        if past and feedback.status in ("correct", "wrong"):  # a named mistake keeps its own hint
            return self._wrong(f"{self.past_hint} ")
        return feedback


LR_LIMIT = LimitExercise(
    "the learning-rate limit of a bowl with curvatures 8 and 0.5",
    expected=0.25,
    mistakes=[
        Mistake(4.0, "That is the limit of the gently curved direction (curvature 0.5). At that learning rate "
                     "the sharply curved direction has long since blown up: which direction diverges first?"),
        Mistake(0.125, "At that learning rate the sharply curved direction's factor 1 - lr x 8 is 0: it reaches "
                       "the bottom in one step. That is the fastest learning rate there, not the limit: where "
                       "does the factor reach -1?"),
        Mistake(2.0, "That is 1 / 0.5, the one-step learning rate of the gently curved direction; that direction "
                     "is not the one that limits."),
        Mistake(16.0, "The limit gets smaller as the curvature grows (a sharper bowl needs shorter steps): "
                      "divide, do not multiply."),
        Mistake(2 / 8.5, "The curvatures do not add up: each direction is its own parabola with its own factor "
                         "1 - lr x curvature. Which one reaches -1 first?"),
        Mistake(2 / 4.25, "That uses the mean of the two curvatures. Each direction is its own parabola: the "
                          "limit is set by the one that diverges first."),
    ],
    hint="Reread sections 5 (a parabola) and 6 (the line's valley): along each direction a step multiplies the "
         "offset from the bottom by a factor; find where the first of the two factors leaves the range that "
         "converges.",
    near_hint="It is exactly 2 / lambda_max, so an answer must be that value: a rate below it converges, but is "
              "not the limit. Solve for the rate at which the first of the two factors reaches -1.",
    past_hint="Your answer is past the limit: at that learning rate the sharply curved direction's factor "
              "1 - lr x 8 is below -1, so every bounce is larger and the walk diverges. The limit is the rate at "
              "which that factor is exactly -1.",
    why="The sharply curved direction's factor 1 - 8 lr reaches -1 at lr = 2/8 = 0.25, while the gently curved "
        "one (1 - 0.5 lr) is still 0.875: the largest curvature sets the limit 2 / lambda_max.",
)


def _residual(w, b, x, y):
    return w * np.asarray(x) + b - np.asarray(y)


def _draw_line_case(rng):
    """w, b and 1 to 6 points: one point alone, repeated x, negative values, x and y on every scale."""
    n = int(rng.integers(1, 7))
    scale = rng.choice([0.5, 1.0, 10.0])
    x, y = rng.integers(-4, 5, n) * scale, rng.integers(-4, 5, n) * scale
    w, b = rng.integers(-6, 7, 2) * 0.5
    return float(w), float(b), x.astype(float), y.astype(float)


LINE_GRADIENT = FunctionExercise(
    "the gradient of the line's mean squared error",
    reference=lambda w, b, x, y: (2 * np.mean((w * x + b - y) * x), 2 * np.mean(w * x + b - y)),
    cases=[(0.0, 0.0, np.array([1.0, 2.0, -1.0]), np.array([0.5, 1.0, 2.0])),
           (1.5, -0.5, np.array([1.0, 2.0, -1.0]), np.array([0.5, 1.0, 2.0]))],
    draw=_draw_line_case,
    mistakes=[
        Mistake(lambda w, b, x, y: (-2 * np.mean(_residual(w, b, x, y) * x), -2 * np.mean(_residual(w, b, x, y))),
                "Both numbers have the wrong sign: your gradient points downhill. The residual is prediction minus "
                "target; the minus sign of the update belongs to the step, not to the gradient."),
        Mistake(lambda w, b, x, y: (2 * np.mean(_residual(w, b, x, y) * x), -2 * np.mean(_residual(w, b, x, y))),
                "Your dL/dw is right, but your dL/db has the wrong sign. Both come from the same residual, prediction "
                "minus target, and both keep its sign; only the step's minus sign is left for the update."),
        Mistake(lambda w, b, x, y: (np.mean(_residual(w, b, x, y) * x), np.mean(_residual(w, b, x, y))),
                "Both numbers are half the right size: the derivative of r squared brings down a factor."),
        Mistake(lambda w, b, x, y: (2 * np.sum(_residual(w, b, x, y) * x), 2 * np.sum(_residual(w, b, x, y))),
                "Your numbers grow with the number of points: the loss is a mean, so its gradient is a mean too."),
        Mistake(lambda w, b, x, y: (2 * np.mean(_residual(w, b, x, y)), 2 * np.mean(_residual(w, b, x, y))),
                "Your dL/dw equals your dL/db: w multiplies x in the prediction, so the chain rule brings x into "
                "dL/dw."),
        Mistake(lambda w, b, x, y: (2 * np.mean(_residual(w, b, x, y)), 2 * np.mean(_residual(w, b, x, y) * x)),
                "Your two numbers are swapped: return dL/dw first, then dL/db."),
        Mistake(lambda w, b, x, y: (2 * np.sum(_residual(w, b, x, y) * x) / 64, 2 * np.sum(_residual(w, b, x, y)) / 64),
                "You divide by 64, the number of rows in this notebook's data. The function gets its own x and y, "
                "of any length: divide by their number of points (np.mean does it for you)."),
        Mistake(lambda w, b, x, y: (2 * np.mean(_residual(w, b, x, y)) * np.mean(x),
                                    2 * np.mean(_residual(w, b, x, y))),
                "Your dL/dw multiplies the mean residual by the mean x. The chain rule works point by point: each "
                "point's residual times its own x, and only then the mean."),
    ],
    hint="Reread section 3 (one step of gradient descent): differentiate one point's squared residual with the chain "
         "rule, once for w and once for b, then combine the points the way the loss does.",
    why="Chain rule: d(r^2)/dw = 2 r x and d(r^2)/db = 2 r, and the mean over the points carries over to the "
        "gradient. nnlite's mse loss gives the same for any model.",
)

EARLY_STOPPING_EPOCH = NumberExercise(
    "the epoch whose weights early stopping keeps",
    expected=5,
    integer=True,  # an epoch's number: 5.2 is not close to it
    whole="an epoch's number, 1 to 8",
    mistakes=[
        Mistake(0.44, "0.44 is the lowest validation loss itself. The question asks when it came: give the number of "
                      "that epoch."),
        Mistake(8, "Epoch 8 has the lowest training loss, but the training loss keeps falling whatever happens on "
                   "new rows. Early stopping reads the validation loss."),
        Mistake(4, "Epoch 4's validation loss is not the lowest in the table. If you used np.argmin, compare how it "
                   "numbers positions with how the table numbers epochs."),
        Mistake(6, "At that epoch the validation loss has already gone up: early stopping keeps the weights of the "
                   "epoch where it was lowest, not of the first one after it."),
    ],
    hint="Reread section 10 (training, validation and test sets): which of the two rows tells you how the model does "
         "on rows it has never learned from?",
    why="The validation loss is lowest at epoch 5 (0.44); after it, it rises while the training loss still falls: "
        "overfitting. Early stopping keeps the weights of epoch 5.",
)

NEW_ROWS_STANDARDISED = NumberExercise(
    "three new rows x = 4, 10, 16, standardised with the training rows' mean 2 and standard deviation 4",
    expected=[0.5, 2.0, 3.5],
    mistakes=[
        Mistake([-math.sqrt(1.5), 0.0, math.sqrt(1.5)],
                "Those are the new rows standardised with their OWN mean and standard deviation. The model learned "
                "in the training rows' units: new rows get the training rows' m and s, or the same x would give "
                "another z."),
        Mistake([-1.0, 0.0, 1.0],
                "Those are the new rows standardised with their OWN mean and sample standard deviation (ddof=1). "
                "The model learned in the training rows' units: new rows get the training rows' m and s."),
        Mistake([2.0, 8.0, 14.0], "You subtracted the mean; now divide by the standard deviation."),
        Mistake([1.0, 2.5, 4.0], "You divided by the standard deviation, but subtract the mean first."),
        Mistake([0.125, 0.5, 0.875], "That divides by the variance, s squared. Standardising divides by s itself."),
        Mistake([0.0, 3.0, 6.0], "The mean and the standard deviation are swapped: which one is subtracted, "
                                 "and which one divides?"),
        Mistake([3.5, 2.0, 0.5], "Your three z are in the reverse order of the rows: the first z belongs to the "
                                 "first new row, x = 4, and the last to x = 16."),
    ],
    hint="Reread section 7 (standardise the input): z = (x - m) / s, with m and s taken from the training rows.",
    why="z = (x - 2) / 4 for every new row, with the training rows' numbers: (4 - 2) / 4 = 0.5, (10 - 2) / 4 = 2, "
        "(16 - 2) / 4 = 3.5. Statistics of the new rows themselves would move their z and let them shape the input.",
)


def first_order_ratio(lr, x=None, y=None, start=START, gradient=None):
    """One full-batch step of size lr from `start` on (x, y) (default: make_line_data(64, seed=0)): the loss's
    actual fall divided by the first-order (Taylor) prediction lr * (dL/dw^2 + dL/db^2). The loss is quadratic,
    so the ratio is exactly 1 - lr * (g . H g) / (2 g . g): near 1 for a small step, lower for a larger one.
    `gradient` (dL/dw, dL/db) replaces the true one at `start`: what a student gets from a stale one."""
    if x is None or y is None:
        x, y = make_line_data(64, seed=0)
    check_number(lr, "lr", low=0.0, low_open=True)
    w, b = start
    residual = w * x + b - y
    dw, db = (2 * np.mean(residual * x), 2 * np.mean(residual)) if gradient is None else gradient
    fall = np.mean(residual**2) - np.mean(((w - lr * dw) * x + (b - lr * db) - y) ** 2)
    return float(fall / (lr * (dw**2 + db**2)))


FIRST_ORDER_RATIO = NumberExercise(
    "one full-batch step at lr 0.05 from the start: the loss's fall over the first-order prediction",
    expected=first_order_ratio(0.05),
    mistakes=[
        Mistake(1 / first_order_ratio(0.05), "That is the prediction divided by the fall: the other way round."),
        Mistake(first_order_ratio(0.1), "That is the ratio for lr 0.1, the notebook's step; the exercise asks for "
                                        "lr 0.05."),
        Mistake(1.0, "That is what the first-order prediction claims, as if the loss were a straight line. Measure "
                     "the actual fall after the step and divide it by the prediction."),
        Mistake(2 * first_order_ratio(0.025), "Your gradient is half the true one: the derivative of r**2 is 2 r "
                                              "times that of r (section 3)."),
        Mistake(1 - first_order_ratio(0.05), "That is 1 minus the ratio: the part of the prediction the loss did NOT "
                                             "fall by. Divide the actual fall itself by the prediction."),
    ],
    hint="Reread section 3 (one step of gradient descent) and its 'Why downhill?': the fall is the loss before "
         "the step minus the loss after it; the prediction is lr times the sum of the squared partial derivatives "
         "at the start; divide the first by the second.",
    # the quotient of the fall and the prediction printed to 4 decimals (4.1778 / 4.7244) is within 2.3e-5 of the
    # value: the right method, accepted; rounded more coarsely, the inputs move it further, and the hint says so
    rtol=5e-5,
    close_from=2,  # "predict first" invites a one-figure guess (0.9): it is told to compute, not that it is close
    near_hint="If you divided rounded numbers (the fall and the prediction rounded to 3 decimals, or to 4 "
              "significant figures such as 4.178), divide the values Python computed instead, or print them to 4 "
              "decimals or more: the rounding of each number moves their quotient. Otherwise one term of the "
              "formula differs.",
    why="The loss fell by 4.178, against a predicted 4.724: a ratio of 0.8843. The loss curves upward, so the "
        "first-order prediction, a straight line, overestimates the fall: the loss is quadratic, and the actual fall "
        "is the prediction minus a curvature term that grows with lr squared. Now try lr 0.1 and 0.3 (the "
        "follow-up): predict first whether the ratio rises or falls, then measure.",
)
