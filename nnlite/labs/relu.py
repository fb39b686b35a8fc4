"""Notebook 04: ReLU, and the two things it buys a network: interactions and non-linear effects.

A ReLU unit computes relu(w . x + b) = max(0, w . x + b): a linear score, bent at zero.
The bend sits where w . x + b = 0, so the bias decides where the kink is. Three pictures:

* interaction: relu(w1 x1 + w2 x2 + b) over a square of (x1, x2), where the slope in x1
  depends on x2 (`interaction_explorer`);
* non-linear effect: a sum of shifted ReLUs that bends a line into a bump
  (`sum_explorer`; `relu_interpolation` follows any curve as closely as you like), then trained
  networks with more and more kinks (`units_explorer`), trained with momentum (`valley_path`);
* layering: stacked ReLU layers can fold the line again and again (`plot_layering`): the most
  pieces depth allows (`piece_bound`), against the pieces random networks' outputs really have
  (`piece_census`; a unit's switch bends the output only where later layers pass it on).

Section 5's trainings are saved with the course, and the notebook loads them (`load_fits` and the other `load_...`
functions below it): each is written by the lab function that trains it, and its test trains it again.
"""

import copy
import math
from pathlib import Path

import numpy as np

from .. import viz
from .._validate import as_float_array, check_int, check_number
from ..activations import ReLU
from ..datasets import circles
from ..exercises import DiagnosedExercise, Mistake, NumberExercise
from ..exercises.answers import figures_written, read_numbers
from ..exercises.diagnosed import read_fields
from ..model import MLP
from ..optim import SGD
from ..training import evaluate, fit
from ..widgets import LiveFigure, LiveRow, Panel, dropdown, slider, text_line
from .runs import SEEDS, check_seeds, low_median_high, over_seeds, require
from .tables import load_table, save_table

BOX = (0.0, 2.0)  # the square of (x1, x2) of the interaction picture
FIXED_X2 = (0.0, 1.0, 2.0)  # the rows of the square drawn as lines: the slope in x1 at each
INTERACTION_DEFAULT = {"w1": 1.0, "w2": 2.0, "b": -3.0}
X_RANGE = (-3.0, 3.0)  # the 1-D input range of the non-linear examples
NET_SCALE = 3.0  # the network sees x / 3, in [-1, 1] (CS231n's min-max normalisation); FIT_SETTINGS suit that
HIDDEN_UNITS = (2, 4, 8, 16)
# Full-batch gradient descent with momentum (121 points, so one step per epoch): a few seconds for
# 40 networks. Every run of the notebook's 40 ends on a plateau at least a factor 2 from GOOD_FIT, and
# each final MSE agrees to 6 decimals under the Prescott, Sandybridge, Haswell, SkylakeX and Zen kernels.
FIT_SETTINGS = {"epochs": 600, "batch_size": 121, "lr": 0.05, "momentum": 0.9}
GOOD_FIT = 0.005  # final MSE below this counts as a good fit of the bump
FITS_REACH = (-4.5, 4.5)  # plot_fits draws the trained curves this far, past the data on [-3, 3]
SUM_DEFAULT = ((-2.0, 0.5), (0.0, -1.0), (2.0, 0.5))  # (position, slope change) of each kink
OUTPUT_MAX = 6.0  # fixed y limit of the interaction lines: at b = 0 (try-this 1) the top line ends at 6
COLOR_MAX = 4.0  # fixed top of the interaction map's colour scale: the default unit (up to 3) uses most of it
# Random networks of 12 and of 24 hidden units in all, (depth, width): from one wide layer to narrow stacks
PIECE_SHAPES = ((1, 12), (2, 6), (3, 4), (6, 2), (1, 24), (2, 12), (3, 8), (6, 4), (12, 2))
PIECE_SEEDS = tuple(range(200))  # the pieces of each shape are counted over these seeds


def relu(x):
    """max(0, x), elementwise (nnlite's ReLU, under a short name for the exercises)."""
    return ReLU().forward(x)


def relu_derivative(x):
    """1 where x > 0, else 0. At exactly 0 ReLU has no derivative: any value in [0, 1] is a valid
    subgradient there; we take 0 by convention, as PyTorch does."""
    return ReLU().derivative(x)


def relu_unit(x1, x2, w1, w2, b):
    """The output of one ReLU unit with two inputs: relu(w1 x1 + w2 x2 + b) (arrays broadcast)."""
    x1 = as_float_array(x1, "x1", allow_empty=True)
    x2 = as_float_array(x2, "x2", allow_empty=True)
    w1, w2, b = (check_number(v, name) for v, name in ((w1, "w1"), (w2, "w2"), (b, "b")))
    return np.maximum(w1 * x1 + w2 * x2 + b, 0.0)


def kink_position(w, b):
    """Where relu(w x + b) bends: w x + b = 0, so x = -b / w."""
    w, b = check_number(w, "w"), check_number(b, "b")
    if w == 0:
        raise ValueError("w must not be 0: relu(0 * x + b) is flat, it has no kink")
    return -b / w + 0.0  # + 0.0 turns -0.0 into 0.0


def interaction_grid(w1, w2, b, n=121, box=BOX):
    """The unit's output on an n x n grid of the square: (x1 values, x2 values, out[x2 row, x1 column])."""
    n = check_int(n, "n", minimum=2)
    x1 = np.linspace(*box, n)
    x2 = np.linspace(*box, n)
    return x1, x2, relu_unit(x1[None, :], x2[:, None], w1, w2, b)


def average_slope_x1(w1, w2, b, x2, box=BOX):
    """How much the output rises per unit of x1 across the square, with x2 held fixed:
    (out(x1 = right edge) - out(x1 = left edge)) / width. Without a bend this is w1 for every x2."""
    lo, hi = box
    return float((relu_unit(hi, x2, w1, w2, b) - relu_unit(lo, x2, w1, w2, b)) / (hi - lo))


def kink_segment(w1, w2, b, box=BOX):
    """The part of the kink line w1 x1 + w2 x2 + b = 0 inside the square, as (x1s, x2s).

    Two points when the line crosses the square, empty arrays when it misses it
    (then the unit is on everywhere or off everywhere in the square)."""
    lo, hi = box
    points = []
    if w2 != 0:
        for x1 in (lo, hi):
            x2 = -(w1 * x1 + b) / w2
            if lo <= x2 <= hi:
                points.append((x1, x2))
    if w1 != 0:
        for x2 in (lo, hi):
            x1 = -(w2 * x2 + b) / w1
            if lo <= x1 <= hi:
                points.append((x1, x2))
    if len(points) < 2:
        return np.array([]), np.array([])
    points = sorted(set((round(p, 12), round(q, 12)) for p, q in points))
    first, last = points[0], points[-1]
    return np.array([first[0], last[0]]), np.array([first[1], last[1]])


def weight_relation(w1, w2):
    """How the signs of the weights relate x1 and x2, in words.

    A positive weight pushes the weighted sum up (towards "on"), a negative one pushes it down
    (towards "off"). Where the kink line crosses the square, x1's average slope moves with x2 in the
    direction of the sign of w1 * w2, the sign of the interaction: with the same signs more x2 raises
    x1's slope (towards w1 > 0, a stronger effect, or from w1 < 0 up to 0, a weaker one)."""
    if w1 == 0 or w2 == 0:
        if w1 == w2:
            return "both weights are 0: neither input plays a part"
        return f"x{1 if w1 == 0 else 2} has weight 0: it plays no part"
    if w1 > 0 and w2 > 0:
        return "both push the unit on: more x2 switches it on sooner, so x1's slope grows with x2"
    if w1 < 0 and w2 < 0:
        return "both push the unit off: more x2 switches it off, so x1's negative slope rises to 0 (a weaker effect)"
    on, off = (1, 2) if w1 > 0 else (2, 1)
    return f"x{on} pushes the unit on, x{off} pushes it off: x1's slope falls as x2 grows"


def describe_interaction(w1, w2, b, box=BOX, fixed_x2=FIXED_X2):
    """One sentence on what the unit does with x1 and x2, in words (for the panel)."""
    slopes = [average_slope_x1(w1, w2, b, v, box) for v in fixed_x2]
    listed = ", ".join(f"{s:.2f} at x2={v:g}" for s, v in zip(slopes, fixed_x2, strict=True))
    signs = f". Signs of the weights: {weight_relation(w1, w2)}."
    if max(slopes) - min(slopes) >= 1e-9:
        return f"Average slope in x1: {listed}; it depends on x2: <b>an interaction</b>{signs}"
    corners = [w1 * x1 + w2 * x2 + b for x1 in box for x2 in box]
    if w1 == 0 or w2 == 0:  # then the sign sentence says which input plays no part
        why = signs
    elif min(corners) < 0 < max(corners):  # the kink line crosses, but x2's weight is too small to move it
        why = ": x2's weight barely moves the kink line."
    else:
        why = (f". The kink line misses the square (the unit is {'on' if min(corners) >= 0 else 'off'} in all of it), "
               "so the signs of the weights change nothing here; they matter where the kink line crosses it.")
    return f"Average slope in x1: {listed}; the same for every x2: <b>no interaction</b> in this square{why}"


def bump(x):
    """The curve the non-linear examples aim for: 2 exp(-x^2), a bump no straight line can follow."""
    x = as_float_array(x, "x", allow_empty=True)
    return 2.0 * np.exp(-x * x)


def relu_sum(x, positions, slopes):
    """sum_k slopes[k] * relu(x - positions[k]): a line that changes its slope by slopes[k] at positions[k]."""
    x = as_float_array(x, "x", allow_empty=True)
    positions = as_float_array(positions, "positions", ndim=1)
    slopes = as_float_array(slopes, "slopes", ndim=1)
    if len(positions) != len(slopes):
        raise ValueError(f"slopes must have one entry per position ({len(positions)}), got {len(slopes)}")
    return np.maximum(x[..., None] - positions, 0.0) @ slopes


def best_line(x, y):
    """The least-squares straight line through (x, y): (w, b, mean squared error)."""
    x = as_float_array(x, "x", ndim=1)
    y = as_float_array(y, "y", ndim=1)
    if len(x) != len(y):
        raise ValueError(f"y must have the same length as x ({len(x)}), got {len(y)}")
    A = np.column_stack([x, np.ones_like(x)])
    (w, b), *_ = np.linalg.lstsq(A, y, rcond=None)
    error = float(np.mean((w * x + b - y) ** 2))
    return float(np.round(w, 12)) + 0.0, float(np.round(b, 12)) + 0.0, error  # no -0.0000 from rounding dust


def mean_squared_error(pred, target):
    """The mean squared error between two arrays of the same shape, as one float (sklearn's name; `nl.mse`
    returns the loss and its gradient, for training)."""
    pred = as_float_array(pred, "pred", allow_empty=True)
    target = as_float_array(target, "target", allow_empty=True)
    if pred.shape != target.shape:
        raise ValueError(f"target must have the same shape as pred {pred.shape}, got {target.shape}")
    return float(np.mean((pred - target) ** 2))


def linear_text(w, b, var="x"):
    """'2x - 1', 'x', '-0.5x + 1': a readable w*var + b."""
    if w == 0:
        return f"{b:g}"
    head = var if w == 1 else f"-{var}" if w == -1 else f"{w:g}{var}"
    return head if b == 0 else f"{head} {'+' if b > 0 else '-'} {abs(b):g}"


def relu_sum_text(positions, slopes):
    """'1.4·relu(x + 1.5) - 2.8·relu(x) + 1.4·relu(x - 1.5)': the sum of shifted ReLUs in words."""
    text = ""
    for p, a in zip(positions, slopes, strict=True):
        term = f"{abs(a):.1f}·relu({linear_text(1, -round(p, 6))})"
        text += (f"-{term}" if a < 0 else term) if not text else f" {'-' if a < 0 else '+'} {term}"
    return text


def bump_data(n=121):
    """n evenly spaced x in [-3, 3] and the bump y = 2 exp(-x^2) at them."""
    x = np.linspace(*X_RANGE, check_int(n, "n", minimum=2))
    return x, bump(x)


def relu_interpolation(f, units, lo=X_RANGE[0], hi=X_RANGE[1]):
    """Section 4's bump-building made systematic: `units` shifted ReLUs plus a constant that pass through
    f at units + 1 evenly spaced points of [lo, hi] and are straight in between (f is called on an array).
    Returns (positions, slopes, offset), so that the curve is offset + relu_sum(x, positions, slopes):
    the first ReLU gives the first piece's slope, each further one the change of slope at its point."""
    units = check_int(units, "units", minimum=1)
    knots = np.linspace(lo, hi, units + 1)
    values = as_float_array(f(knots), "f(x)", ndim=1)
    piece_slopes = np.diff(values) / np.diff(knots)
    return knots[:-1], np.diff(piece_slopes, prepend=0.0), float(values[0])


def network_curve(model, x, scale=NET_SCALE):
    """The prediction of a 1-input, 1-output network along x (the network sees x / scale)."""
    x = as_float_array(x, "x", ndim=1)
    return model.forward(x[:, None] / scale)[:, 0]


def network_kinks(model, lo=X_RANGE[0], hi=X_RANGE[1], scale=NET_SCALE):
    """Kinks of a one-hidden-layer ReLU network, in x units, sorted: hidden unit j bends where
    w_j (x / scale) + b_j = 0, i.e. at x = -scale * b_j / w_j; only those strictly inside (lo, hi) count."""
    layer = model.layers[0]
    if layer.n_in != 1 or len(model.layers) != 2:
        raise ValueError(f"model must have 1 input and one hidden layer, got sizes {model.sizes}")
    w, b = layer.W[0], layer.b
    with np.errstate(divide="ignore", invalid="ignore"):
        at = np.where(w != 0, -scale * b / w, np.nan)
    return np.sort(at[(at > lo) & (at < hi)])


def _sgd_path(start, gradient, steps, lr, momentum):
    """Where nnlite's SGD moves weights that start at `start`, when gradient(w) is their gradient at w:
    an array of shape (steps + 1, len(start)), the start first. (The weights are those of an MLP
    [1, len(start)]; its bias gets a zero gradient and stays put.)"""
    model = MLP([1, len(start)], seed=0)
    optimizer = SGD(model, lr=lr, momentum=momentum)
    (weight, d_weight), (_, d_bias) = model.parameters()
    weight[0] = start
    path = [weight[0].copy()]
    for _ in range(steps):
        d_weight[0], d_bias[:] = gradient(weight[0]), 0.0
        optimizer.step()
        path.append(weight[0].copy())
    return np.array(path)


def momentum_steps(grads, lr=0.1, momentum=0.9):
    """The steps nnlite's SGD takes on one weight whose gradient is grads[0], grads[1], ... in turn,
    whatever the weight: a thought experiment about how the velocity sums gradients.

    With momentum the step is a velocity: v <- momentum * v - lr * grad, then w <- w + v. So v is a
    running sum of past gradients, each older one shrunk by one more factor `momentum`: gradients that
    keep their sign add up (up to 1 / (1 - momentum) times the plain step), gradients that flip sign
    partly cancel. (In a real valley the gradient depends on where each step lands: `valley_path`.)"""
    grads = as_float_array(grads, "grads", ndim=1)
    upcoming = iter(grads)
    path = _sgd_path(np.zeros(1), lambda w: next(upcoming), len(grads), lr, momentum)
    return np.diff(path[:, 0])


VALLEY = (1.0, 100.0)  # curvatures of the valley f(w) = (c1 w1^2 + c2 w2^2) / 2: gentle along w1, steep across


def valley_path(lr, momentum, steps, curvature=VALLEY, start=(1.0, 1.0)):
    """nnlite's SGD on the narrow valley f(w) = (c1 w1^2 + c2 w2^2) / 2, whose gradient is
    (c1 w1, c2 w2): now each gradient depends on where the previous step landed.
    Returns the weights after each step, shape (steps + 1, 2), the start first.

    Plain gradient descent multiplies w2 by (1 - lr c2) each step (it flips sign when lr c2 > 1)
    and w1 by (1 - lr c1). With momentum both directions turn into damped oscillations once
    momentum is large enough, each shrinking by about sqrt(momentum) per step (Goh 2017, "Why
    momentum really works", Distill): faster than plain descent along the gentle w1, slower across."""
    c = as_float_array(curvature, "curvature", ndim=1)
    start = as_float_array(start, "start", ndim=1)
    if c.shape != (2,) or start.shape != (2,):
        raise ValueError(f"curvature and start must hold 2 numbers each, got {c.tolist()} and {start.tolist()}")
    return _sgd_path(start, lambda w: c * w, check_int(steps, "steps", minimum=1), lr, momentum)


def spread_kinks(model, lo=-0.8, hi=0.8):
    """Start the first layer's kinks evenly spread over [lo, hi] (in the units the network sees):
    b_j = -w_j c_j puts unit j's kink at c_j. nnlite starts every bias at 0, which would put every
    kink at 0, so training would first have to pull them apart. Returns the model."""
    layer = model.layers[0]
    layer.b[:] = -layer.W[0] * np.linspace(lo, hi, layer.n_out)
    return model


def random_biases(model, seed, std=1.0):
    """Draw every bias of the model (output layer included) from N(0, std^2), with a generator of its
    own: seeded by [seed, 1], so that the biases are not a copy of the weights' first draws when `seed`
    is also the model's seed. nnlite starts every bias at 0: such a ReLU network is the special case
    whose output along any line through the origin has at most one bend there (positive homogeneity).
    Returns the model."""
    rng = np.random.default_rng([check_int(seed, "seed", minimum=0), 1])
    std = check_number(std, "std", low=0.0)
    for layer in model.layers:
        layer.b[:] = rng.normal(0.0, std, layer.n_out)
    return model


def plane_misses(X, seeds=range(200), sizes=(2, 4, 4, 1)):
    """Section 2's measure over many draws: for the ReLU network `sizes`, drawn with each seed and its
    biases from N(0, 1) (`random_biases`), the share of its output's variance on the rows of X that the
    best plane (least squares) misses. Returns two arrays, one entry per seed: the shares, and how many
    hidden units of that draw switch on X (on for some rows and off for others)."""
    X = as_float_array(X, "X", ndim=2)
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must hold at least one seed, got none")
    A = np.column_stack([X, np.ones(len(X))])  # a column of ones: its coefficient is the plane's bias
    shares, switching = [], []
    for seed in seeds:
        net = random_biases(MLP(list(sizes), activation="relu", seed=seed), seed)
        out = net.forward(X)[:, 0]
        coef, *_ = np.linalg.lstsq(A, out, rcond=None)
        spread = out.var()  # 0 when every unit is off on X: a constant, which a plane fits exactly
        shares.append(np.mean((A @ coef - out) ** 2) / spread if spread > 0 else 0.0)
        switching.append(sum(int(np.sum((z > 0).any(axis=0) & (z <= 0).any(axis=0))) for z in net.pre_activations))
    return np.array(shares), np.array(switching)


def best_kink_pair(x, y, positions, fine=0.005):
    """The best fit of y by two shifted ReLUs and a constant, v1 relu(+-(x - p1)) + v2 relu(+-(x - p2)) + c:
    every pair of two different units with kinks p at `positions`, each facing right or left, gets its best
    v1, v2, c by least squares (section 2's problem, solved for all pairs at once). The best pair is then
    searched again, each kink moved on a grid `fine` apart within one step of `positions` of where it was: a
    grid's best is a bound, and the kinks of a trained network are not on any grid.
    Returns (the smallest MSE, how many pairs were tried)."""
    x = as_float_array(x, "x", ndim=1)
    y = as_float_array(y, "y", ndim=1)
    if len(x) != len(y):
        raise ValueError(f"y must have the same length as x ({len(x)}), got {len(y)}")
    positions = as_float_array(positions, "positions", ndim=1)
    kink, facing = (a.ravel() for a in np.meshgrid(positions, (1.0, -1.0)))
    i, j = np.triu_indices(len(kink), k=1)
    mse = _two_unit_fits(x, y, kink[i], facing[i], kink[j], facing[j])
    best = int(np.argmin(mse))
    spaced = np.unique(positions)
    step = np.min(np.diff(spaced)) if len(spaced) > 1 else 0.0  # one step of the grid
    shift = np.arange(-step, step + fine / 2, fine)
    d1, d2 = (a.ravel() for a in np.meshgrid(shift, shift))
    finer = _two_unit_fits(x, y, kink[i[best]] + d1, np.full_like(d1, facing[i[best]]),
                           kink[j[best]] + d2, np.full_like(d2, facing[j[best]]))
    return float(min(mse.min(), finer.min())), len(i) + len(finer)


def _two_unit_fits(x, y, kink1, facing1, kink2, facing2):
    """The MSE of the least-squares fit v1 relu(facing1 (x - kink1)) + v2 relu(facing2 (x - kink2)) + c of y,
    for every row of the four equally long arrays at once."""
    columns = np.stack([np.maximum(facing1[:, None] * (x - kink1[:, None]), 0),
                        np.maximum(facing2[:, None] * (x - kink2[:, None]), 0),
                        np.ones((len(kink1), len(x)))], axis=1)  # (pairs, 3, points)
    # The normal equations A^T A coef = A^T y of every pair; a unit off on all the data is a column of 0s,
    # which the 1e-9 keeps solvable
    gram = columns @ columns.transpose(0, 2, 1) + 1e-9 * np.eye(3)
    coef = np.linalg.solve(gram, (columns @ y)[..., None])
    return np.mean(((coef.transpose(0, 2, 1) @ columns)[:, 0] - y) ** 2, axis=1)


def dead_units(model, X):
    """How many units of the model's first hidden layer are off (input <= 0) for every row of X: they
    output 0 for all of the data, so they get no gradient from it (the dying ReLU of notebook 06)."""
    with np.errstate(over="ignore", invalid="ignore"):  # a diverged model must not warn here
        model.forward(X)
        return int(np.sum(~np.any(model.pre_activations[0] > 0, axis=0)))


def train_relu_net(x, y, hidden, seed, scale=NET_SCALE, activation="relu", **settings):
    """One [1, hidden, 1] ReLU network trained on (x, y) from `seed` with `nl.fit` (FIT_SETTINGS unless
    `settings` say otherwise), its starting kinks spread over the data. `activation="tanh"` trains the
    same network with tanh units instead, their centres spread the same way (the comparison of section 5).
    Returns {"model", "seed", "mse" (inf if it diverged), "kinks" (inside the data, in x units),
    "dead" (hidden units that are off for every data point, so they get no gradient)}."""
    x = as_float_array(x, "x", ndim=1)
    y = as_float_array(y, "y", ndim=1)
    if len(x) != len(y):
        raise ValueError(f"y must have the same length as x ({len(x)}), got {len(y)}")
    model = spread_kinks(MLP([1, check_int(hidden, "hidden units", minimum=1), 1], activation=activation, seed=seed))
    X = x[:, None] / scale
    history = fit(model, X, y, seed=seed, loss="mse", on_diverge="stop", **{**FIT_SETTINGS, **settings})
    return _run_record(model, seed, np.inf if history.diverged else evaluate(model, X, y, loss="mse")[0], x, scale)


def _run_record(model, seed, mse, x, scale=NET_SCALE):
    """A run as `train_relu_net` returns it, from its trained model and final MSE: the kinks and the dead units
    are read off the weights (so a run rebuilt from saved weights has the ones it was trained with)."""
    return {"model": model, "seed": seed, "mse": float(mse), "kinks": network_kinks(model, x.min(), x.max(), scale),
            "dead": dead_units(model, x[:, None] / scale)}


def fit_relu_nets(x, y, hidden=HIDDEN_UNITS, seeds=SEEDS, **settings):
    """Train a [1, H, 1] ReLU network on (x, y) for every H in `hidden`, once from every seed.

    Returns {H: runs}, each a list of `train_relu_net` results sorted by final MSE, best first:
    a trained network is one draw from a distribution, so we keep them all."""
    # Runs that end on the same plateau tie to the last bits: round, then the seed decides, on every machine
    order = lambda run: (round(run["mse"], 6), run["seed"])  # noqa: E731
    return {h: sorted(over_seeds(train_relu_net, seeds, x=x, y=y, hidden=h, **settings), key=order) for h in hidden}


def pick_run(runs, which):
    """The "best", "middle" (the lower of the two middle ones for an even count: the 5th of 10) or "worst"
    of runs sorted best first. Not called "median": the median of 10 values is the mean of the two middle
    ones, which is no run's."""
    index = {"best": 0, "middle": (len(runs) - 1) // 2, "worst": len(runs) - 1}
    if which not in index:
        raise ValueError(f"which must be one of {sorted(index)}, got {which!r}")
    return runs[index[which]]


def fit_spread(runs, good=GOOD_FIT):
    """The spread over seeds of one network size (runs sorted best first): the final MSE of the best,
    middle and worst run (see `pick_run`), the kinks inside the data and the dead units (each as min,
    median, max), and how many runs end below `good`.
    (The middle run, not the mean of the two middle ones: runs end on plateaus, and a value between
    two plateaus is no run's.)"""
    errors = [run["mse"] for run in runs]
    return {"mse": tuple(pick_run(runs, which)["mse"] for which in ("best", "middle", "worst")),
            "kinks": low_median_high([len(run["kinks"]) for run in runs]),
            "dead": low_median_high([run["dead"] for run in runs]),
            "good": sum(e < good for e in errors)}


def check_fit_claims(fits, good=GOOD_FIT, stuck=0.03):
    """Check what section 5 of notebook 04 says about the bump fits `fits` ({H: runs sorted best first},
    from `fit_relu_nets` with H = 2, 4, 8, 16) and raise AssertionError naming the claim that fails:
    no run of 2 or 4 units gets below `stuck`; 16 units fit below `good` in at least 6 of 10 runs, and
    their middle run beats the 2-unit middle run tenfold; 4, 8 and 16 units have a median of 1 dead unit
    or more; at least half of the good 16-unit runs have one; every 4-unit run above MSE 0.3 has 3 of
    its 4 units dead; every 4-unit run near 0.042 (0.03 to 0.06) bends at 2 or 3 distinct places (kinks
    more than 0.1 apart) inside the data, all on one side of the bump's peak at 0; the worst 8-unit run
    stacks 3 or more kinks within 0.05. Returns (the good 16-unit runs, how many of them have a dead unit)."""
    spread = {hidden: fit_spread(runs, good=good) for hidden, runs in fits.items()}
    good16 = [run for run in fits[16] if run["mse"] < good]
    with_dead = sum(run["dead"] > 0 for run in good16)
    claims = {
        f"no run of 2 or 4 units gets below MSE {stuck}": min(spread[2]["mse"][0], spread[4]["mse"][0]) > stuck,
        "16 units fit well in most runs": spread[16]["good"] >= 6 and spread[16]["mse"][1] < spread[2]["mse"][1] / 10,
        "4, 8 and 16 units have a median of 1 dead unit or more": all(spread[h]["dead"][1] >= 1 for h in (4, 8, 16)),
        "a dead unit does not stop a good fit": with_dead >= len(good16) / 2,
        "the worst 4-unit runs have 3 of 4 units dead": all(run["dead"] == 3 for run in fits[4] if run["mse"] > 0.3),
        "the 4-unit runs near 0.042 bend at 2 or 3 distinct places, all on one side of the peak": all(
            2 <= 1 + np.sum(np.diff(np.sort(run["kinks"])) > 0.1) <= 3
            and (np.all(run["kinks"] > 0) or np.all(run["kinks"] < 0))
            for run in fits[4] if 0.03 < run["mse"] < 0.06),
        "the worst 8-unit run stacks 3 kinks in one place": max(
            (np.sum(np.abs(fits[8][-1]["kinks"] - k) < 0.05) for k in fits[8][-1]["kinks"]), default=0) >= 3,
    }
    require(claims)
    return len(good16), with_dead


def train_on(run, x, y, steps, scale=NET_SCALE, watch=200):
    """Train a copy of a `train_relu_net` run `steps` more full-batch steps with FIT_SETTINGS (a fresh
    velocity), to tell a stuck run from a slow one. Returns {"mse": its final MSE, "grad_b": the norm of
    dL/db of its hidden layer there, "kink_gap": how close its nearest kink inside the data comes to a
    data point (inf without a kink inside), "crossings": in how many of the last `watch` steps a kink
    crossed a data point}. A kink on a data point is where the loss's slope jumps; a run that chatters
    around that corner carries its kink back and forth across the point."""
    model, X = copy.deepcopy(run["model"]), as_float_array(x, "x", ndim=1)[:, None] / scale
    steps, x_sorted, sides = check_int(steps, "steps", minimum=1), np.sort(np.ravel(x)), []

    def record(epoch, history):  # how many data points lie left of each unit's kink (a crossing changes it)
        if epoch >= steps - watch - 1:
            layer = model.layers[0]
            with np.errstate(divide="ignore", invalid="ignore"):
                sides.append(np.searchsorted(x_sorted, -scale * layer.b / layer.W[0]))

    fit(model, X, y, seed=run["seed"], loss="mse", callback=record, **{**FIT_SETTINGS, "epochs": steps})
    residual = model.forward(X)[:, 0] - y
    model.zero_grad()
    model.backward(2 * residual[:, None] / len(y))
    kinks = network_kinks(model, x.min(), x.max(), scale)
    gap = np.min(np.abs(kinks[:, None] - x[None, :])) if len(kinks) else np.inf
    crossings = int(np.sum(np.any(np.diff(sides, axis=0) != 0, axis=1)))
    return {"mse": float(np.mean(residual**2)), "grad_b": float(model.grad_norms(of="b")[0]), "kink_gap": float(gap),
            "crossings": crossings, "model": model}


# Section 5's trainings are saved with the course (data/relu_*.npz): together they take longer than the notebook
# may take to run. The notebook loads them; tests/test_lab_relu.py trains them again and checks them against the
# files. Every one is calm: under the Prescott, Haswell and SkylakeX kernels each MSE agrees to 1e-15.
DATA = Path(__file__).resolve().parent / "data"
FITS_TABLE = DATA / "relu_fits.npz"
MORE_STEPS_TABLE = DATA / "relu_more_steps.npz"
START_BIAS_TABLE = DATA / "relu_start_biases.npz"
TANH_BUMP_TABLE = DATA / "relu_tanh_bump.npz"
TRIANGLE_TABLE = DATA / "relu_triangle.npz"
MORE_STEPS = 2000  # how many steps more the optional part trains section 5's 4-unit runs (`more_steps`)
START_BIASES = (0.0, 0.01)  # nnlite's zero biases, and the small positive start the CS231n notes mention
START_BIAS_UNITS = 16
TRIANGLE_NETS = {"tanh": 2, "relu": 4}  # activation: hidden units, on exercise 4's triangle (`triangle_mse`)
TRIANGLE_SEEDS = tuple(range(20))


def _training():
    """What every saved run was trained with, as numbers: FIT_SETTINGS (epochs, batch size, lr, momentum), then
    the data (bump_data's points on X_RANGE) and the scale the networks see them at."""
    return np.array([*FIT_SETTINGS.values(), len(bump_data()[0]), *X_RANGE, NET_SCALE], dtype=float)


def _weights(models):
    """The weights of [1, H, 1] networks, one row per network: w, b, v (H entries each, NaN after them up to the
    widest network) and c. float64, as trained: later cells train the networks on and compare their weights."""
    width = max(model.sizes[1] for model in models)
    rows = {name: np.full((len(models), width), np.nan) for name in ("w", "b", "v")}
    for row, model in enumerate(models):
        units = model.sizes[1]
        rows["w"][row, :units], rows["b"][row, :units] = model.layers[0].W[0], model.layers[0].b
        rows["v"][row, :units] = model.layers[1].W[:, 0]
    return {**rows, "c": np.array([model.layers[1].b[0] for model in models])}


def _network(table, row):
    """The [1, H, 1] ReLU network of row `row` of the weights `_weights` wrote (H: the entries of w that are set)."""
    units = int(np.sum(~np.isnan(table["w"][row])))
    model = MLP([1, units, 1], activation="relu", seed=0)
    model.layers[0].W[0], model.layers[0].b[:] = table["w"][row, :units], table["b"][row, :units]
    model.layers[1].W[:, 0], model.layers[1].b[:] = table["v"][row, :units], table["c"][row]
    return model


def save_fits(fits, path=FITS_TABLE):
    """Write `fit_relu_nets`' runs ({H: runs sorted best first}, trained with FIT_SETTINGS on bump_data) as the
    compressed table `load_fits` reads: each run's seed, final MSE and trained weights. The course's file holds
    section 5's 40 runs; save_fits(fit_relu_nets(*bump_data())) makes it again (about 5 s on one core)."""
    seeds = {hidden: sorted(run["seed"] for run in runs) for hidden, runs in fits.items()}
    if not fits or any(s != next(iter(seeds.values())) for s in seeds.values()):
        raise ValueError(f"fits must hold runs of the same seeds for every size, got seeds {seeds}")
    save_table(path, {"hidden": np.array(list(fits)), "seeds": np.array(next(iter(seeds.values()))),
                      "training": _training(), "order": np.array([[r["seed"] for r in runs] for runs in fits.values()]),
                      "mse": np.array([[r["mse"] for r in runs] for runs in fits.values()]),
                      **_weights([r["model"] for runs in fits.values() for r in runs])})


def load_fits(path=FITS_TABLE):
    """Section 5's 40 runs as saved with the course: {H: runs sorted best first}, what fit_relu_nets(*bump_data())
    returns, each network rebuilt from its trained weights (its kinks and dead units read off them again).
    A file made for other sizes, seeds or training settings is refused in words."""
    table = load_table(path, "fits", "save_fits(fit_relu_nets(*bump_data()))", {"order", "mse", "w", "b", "v", "c"},
                       made_for={"hidden": np.array(HIDDEN_UNITS), "seeds": np.array(SEEDS), "training": _training()})
    x, rows = bump_data()[0], iter(range(len(table["c"])))
    return {int(hidden): [_run_record(_network(table, next(rows)), int(seed), mse, x)
                          for seed, mse in zip(order, errors, strict=True)]
            for hidden, order, errors in zip(table["hidden"], table["order"], table["mse"], strict=True)}


def more_steps(runs, x, y):
    """A copy of every run of `runs` trained MORE_STEPS steps more (`train_on`; section 5's optional part passes
    its 4-unit runs, to tell stuck from slow). Returns {seed: train_on's result}, in the order of `runs`."""
    return {run["seed"]: train_on(run, x, y, MORE_STEPS) for run in runs}


def save_more_steps(more, path=MORE_STEPS_TABLE):
    """Write `more_steps`' results as the compressed table `load_more_steps` reads: each run's final MSE, |dL/db|,
    kink gap and crossings (float32: the notebook prints 4 decimals or less) and its weights (float64: the
    notebook computes their loss's second derivatives). The course's file holds
    save_more_steps(more_steps(load_fits()[4], *bump_data())) (about 3 s on one core)."""
    results = list(more.values())
    save_table(path, {"seeds": np.array(sorted(more)), "hidden": np.array(4), "steps": np.array(MORE_STEPS),
                      "training": _training(), "order": np.array(list(more)),
                      **{name: np.array([r[name] for r in results], dtype=np.float32)
                         for name in ("mse", "grad_b", "kink_gap")},
                      "crossings": np.array([r["crossings"] for r in results]),
                      **_weights([r["model"] for r in results])})


def load_more_steps(path=MORE_STEPS_TABLE):
    """The optional part's runs as saved with the course: {seed: {"mse", "grad_b", "kink_gap", "crossings",
    "model"}}, what more_steps(load_fits()[4], *bump_data()) returns. A file made for other runs, steps or
    training settings is refused in words."""
    table = load_table(path, "more steps", "save_more_steps(more_steps(load_fits()[4], *bump_data()))",
                       {"order", "mse", "grad_b", "kink_gap", "crossings", "w", "b", "v", "c"},
                       made_for={"seeds": np.array(SEEDS), "hidden": np.array(4), "steps": np.array(MORE_STEPS),
                                 "training": _training()})
    return {int(seed): {"mse": float(table["mse"][row]), "grad_b": float(table["grad_b"][row]),
                        "kink_gap": float(table["kink_gap"][row]), "crossings": int(table["crossings"][row]),
                        "model": _network(table, row)}
            for row, seed in enumerate(table["order"])}


def start_bias_mse(x, y):
    """Where the kinks start, measured (section 5's optional part): [1, START_BIAS_UNITS, 1] ReLU networks with
    nnlite's He weights and every hidden bias set to each of START_BIASES (every kink near x = 0, not spread),
    trained with FIT_SETTINGS from every seed of SEEDS. Returns {bias: the final MSE of each seed, an array}."""
    X = as_float_array(x, "x", ndim=1)[:, None] / NET_SCALE
    mse = {}
    for bias in START_BIASES:
        errors = []
        for seed in SEEDS:
            model = MLP([1, START_BIAS_UNITS, 1], activation="relu", seed=seed)
            model.layers[0].b[:] = bias
            fit(model, X, y, loss="mse", seed=seed, **FIT_SETTINGS)
            errors.append(evaluate(model, X, y, loss="mse")[0])
        mse[bias] = np.array(errors)
    return mse


def save_start_bias_mse(mse, path=START_BIAS_TABLE):
    """Write `start_bias_mse`'s results as the compressed table `load_start_bias_mse` reads (float32: the notebook
    counts the runs below 0.005). The course's file: save_start_bias_mse(start_bias_mse(*bump_data())) (about
    2 s on one core)."""
    _save_mse(path, mse, SEEDS, START_BIAS_UNITS)


def load_start_bias_mse(path=START_BIAS_TABLE):
    """The final MSEs of `start_bias_mse` as saved with the course, {bias: array over SEEDS}; a file made for
    other biases, seeds, units or training settings is refused in words."""
    return _load_mse(path, "start bias", "save_start_bias_mse(start_bias_mse(*bump_data()))", START_BIASES, SEEDS,
                     START_BIAS_UNITS)


def tanh_bump_mse(x, y):
    """Is stuck a fact about ReLU? (section 5's optional part): 2 tanh units, the fewest that make a bump, trained on
    it by `train_relu_net` with activation="tanh" (the same starts, their centres spread as the kinks were) from
    every seed of SEEDS. Returns the final MSE of each seed, an array."""
    return np.array([train_relu_net(x, y, TRIANGLE_NETS["tanh"], seed, activation="tanh")["mse"] for seed in SEEDS])


def save_tanh_bump_mse(mse, path=TANH_BUMP_TABLE):
    """Write `tanh_bump_mse`'s results as the compressed table `load_tanh_bump_mse` reads (float32: the notebook
    counts the runs below 0.005 and takes their median). The course's file: save_tanh_bump_mse(tanh_bump_mse(
    *bump_data())) (about 1 s on one core)."""
    _save_mse(path, {"tanh": mse}, SEEDS, [TRIANGLE_NETS["tanh"]])


def load_tanh_bump_mse(path=TANH_BUMP_TABLE):
    """The final MSEs of `tanh_bump_mse` as saved with the course, an array over SEEDS; a file made for other
    networks, seeds or training settings is refused in words."""
    return _load_mse(path, "tanh bump", "save_tanh_bump_mse(tanh_bump_mse(*bump_data()))", ("tanh",), SEEDS,
                     [TRIANGLE_NETS["tanh"]])["tanh"]


def triangle_mse(x):
    """Section 5's optional comparison on exercise 4's triangle, which three ReLU kinks fit exactly: for each
    activation of TRIANGLE_NETS a network of that many units, trained by `train_relu_net` from every seed of
    TRIANGLE_SEEDS. Returns {activation: the final MSE of each seed, an array}."""
    target = exercise_triangle(x)
    return {name: np.array([train_relu_net(x, target, units, seed, activation=name)["mse"] for seed in TRIANGLE_SEEDS])
            for name, units in TRIANGLE_NETS.items()}


def save_triangle_mse(mse, path=TRIANGLE_TABLE):
    """Write `triangle_mse`'s results as the compressed table `load_triangle_mse` reads (float32: the notebook
    counts runs against 0.003, 0.005 and 0.04). The course's file: save_triangle_mse(triangle_mse(bump_data()[0]))
    (about 3 s on one core)."""
    _save_mse(path, mse, TRIANGLE_SEEDS, [TRIANGLE_NETS[name] for name in mse])


def load_triangle_mse(path=TRIANGLE_TABLE):
    """The final MSEs of `triangle_mse` as saved with the course, {activation: array over TRIANGLE_SEEDS}; a file
    made for other networks, seeds or training settings is refused in words."""
    return _load_mse(path, "triangle", "save_triangle_mse(triangle_mse(bump_data()[0]))", tuple(TRIANGLE_NETS),
                     TRIANGLE_SEEDS, list(TRIANGLE_NETS.values()))


def _save_mse(path, mse, seeds, units):
    """A table of final MSEs, one row per key of `mse`, with the seeds, units and training they were made with."""
    if any(len(row) != len(seeds) for row in mse.values()):
        raise ValueError(f"mse must hold one final MSE per seed ({len(seeds)}) for each of {list(mse)}, got "
                         f"{[len(row) for row in mse.values()]}")
    save_table(path, {"keys": np.array(list(mse)), "seeds": np.array(seeds), "units": np.array(units),
                      "training": _training(), "mse": np.array(list(mse.values()), dtype=np.float32)})


def _load_mse(path, kind, writer, keys, seeds, units):
    """{key: its row of final MSEs (float64)} of a table _save_mse wrote for these keys, seeds and units."""
    table = load_table(path, kind, writer, {"mse"}, made_for={"keys": np.array(keys), "seeds": np.array(seeds),
                                                              "units": np.array(units), "training": _training()})
    return {key: row.astype(float) for key, row in zip(keys, table["mse"], strict=True)}


def loss_hessian(model, x, y, scale=NET_SCALE, eps=1e-4):
    """The matrix of second derivatives of the MSE of a 1-input, one-hidden-layer ReLU network with respect to
    all its weights and biases (w, b, v, c), by central differences of the loss written out in NumPy.

    A zero gradient alone does not make a minimum: a saddle is flat too (Goodfellow et al. 2016, section
    8.2.3). No negative eigenvalue (beyond rounding) rules out a saddle of that kind, but it is necessary for a
    local minimum, not sufficient: where eigenvalues are 0 (flat directions), the second derivatives cannot
    tell (f = x^3 + y^2 at 0). Meaningful only where the loss is smooth, with no kink on a data point."""
    if len(getattr(model, "layers", ())) != 2 or model.layers[0].W.shape[0] != 1:
        raise ValueError(f"model must be an MLP with 1 input and one hidden layer, got {model!r}")
    u, y = as_float_array(x, "x", ndim=1) / scale, as_float_array(y, "y", ndim=1)
    (w_in, b_in), (v_out, c_out) = [(layer.W.ravel(), layer.b.ravel()) for layer in model.layers]
    h, theta = len(b_in), np.concatenate([w_in, b_in, v_out, c_out])

    def loss(t):
        return np.mean((np.maximum(np.multiply.outer(u, t[:h]) + t[h:2 * h], 0.0) @ t[2 * h:3 * h] + t[-1] - y) ** 2)

    steps = np.eye(len(theta)) * eps
    hessian = np.empty((len(theta), len(theta)))
    for i, di in enumerate(steps):
        for j, dj in enumerate(steps[:i + 1]):
            hessian[i, j] = hessian[j, i] = (loss(theta + di + dj) - loss(theta + di - dj) - loss(theta - di + dj)
                                             + loss(theta - di - dj)) / (4 * eps * eps)
    return hessian


def layer_switches(model, lo, hi):
    """For each hidden layer of a 1-input ReLU network, the x in (lo, hi) where one of its units
    switches on or off (its input crosses zero): computed layer by layer, not searched for on a grid.

    Between two neighbouring switch points of the layers before it, every unit of a layer gets a
    straight line in x as its input, so it crosses zero at most once there: where the line through
    its two end values is zero. (The same argument bounds the count: `piece_bound`.)"""
    if getattr(model, "sizes", [None])[0] != 1:
        raise ValueError(f"model must be an MLP with 1 input, got sizes {getattr(model, 'sizes', model)!r}")
    lo, hi = check_number(lo, "lo"), check_number(hi, "hi")
    if not lo < hi:
        raise ValueError(f"hi must be larger than lo ({lo}), got {hi}")
    points, switches = np.array([lo, hi]), []
    for k, layer in enumerate(model.layers[:-1]):
        h = points[:, None]
        for before in model.layers[:k]:  # layer k's input at every point so far (the layers after it are not needed)
            h = model.activation.forward_unchecked(before.forward_unchecked(h))
        z = layer.forward_unchecked(h)
        left, right = z[:-1], z[1:]
        piece, unit = np.nonzero(left * right < 0)  # a sign change inside the piece (touching 0 is no switch)
        za, zb = left[piece, unit], right[piece, unit]
        switches.append(np.sort(points[piece] + za / (za - zb) * (points[piece + 1] - points[piece])))
        points = np.unique(np.concatenate([points, switches[-1]]))
    return switches


def activation_regions(model, lo, hi):
    """The x in (lo, hi) where any unit of any layer switches on or off (`layer_switches`), sorted.

    Between two of them no unit switches, so the network is one straight line there: these points
    cut [lo, hi] into len(result) + 1 *activation regions*. Only at these points can the output bend,
    but it need not: a switch changes nothing where every unit of a later layer is off."""
    return np.unique(np.concatenate([np.empty(0), *layer_switches(model, lo, hi)]))


def output_slopes(model, x):
    """d output / dx of a 1-input, 1-output ReLU network at each x (none of them a switch point):
    the chain rule through the layers, each unit passing its slope on where it is on (03's backward
    pass, run forwards). Where every unit of some layer is off, the slope is exactly 0."""
    sizes = list(getattr(model, "sizes", []))
    if not sizes or sizes[0] != 1 or sizes[-1] != 1:
        raise ValueError(f"model must be an MLP with 1 input and 1 output, got {getattr(model, 'sizes', model)!r}")
    x = as_float_array(x, "x", ndim=1, allow_empty=True)
    model.forward(x[:, None])
    slope = np.ones((len(x), 1))
    for layer, z in zip(model.layers, [*model.pre_activations, None], strict=True):
        slope = slope @ layer.W
        if z is not None:
            slope = slope * (z > 0)
    return slope[:, 0]


def _bends(slopes):
    """Which neighbouring regions' slopes really differ (not just by rounding)."""
    return np.abs(np.diff(slopes)) > 1e-9 * (1.0 + np.abs(slopes).max(initial=0.0))


def linear_pieces(model, lo, hi):
    """The x in (lo, hi) where the OUTPUT of a 1-input ReLU network bends: the switch points of
    `activation_regions` at which the output's slope (`output_slopes`) really changes.
    The output is len(result) + 1 straight pieces on [lo, hi]."""
    ends = np.concatenate([[lo], activation_regions(model, lo, hi), [hi]])
    slopes = output_slopes(model, (ends[:-1] + ends[1:]) / 2)  # one slope per activation region
    return ends[1:-1][_bends(slopes)]


def n_pieces(model, lo, hi):
    """The number of straight pieces of a 1-input ReLU network's output on [lo, hi] (`linear_pieces`)."""
    return len(linear_pieces(model, lo, hi)) + 1


def piece_bound(depth, width):
    """The most activation regions (so also output pieces) a 1-input network with `depth` hidden layers
    of `width` ReLU units can have along a line: a ceiling, not always reachable.

    One layer: each unit bends the line at most once, so width + 1. Each further layer: on every
    region so far, each of its units gets a straight line as input and switches at most once, so
    every region splits into at most width + 1. Together (width + 1) ** depth."""
    return (check_int(width, "width", minimum=1) + 1) ** check_int(depth, "depth", minimum=1)


def tent_network(depth):
    """A ReLU network with `depth` hidden layers of 2 units that computes the tent map
    t(x) = 2 relu(x) - 4 relu(x - 1/2), folded into itself `depth` times, on [0, 1].

    Each layer folds [0, 1] onto itself once, so the number of linear pieces doubles per layer:
    2, 4, 8, ... = 2**depth, with only 2 units per layer."""
    depth = check_int(depth, "depth", minimum=1)
    model = MLP([1] + [2] * depth + [1], activation="relu", seed=0)
    model.layers[0].W[:] = [[1.0, 1.0]]
    model.layers[0].b[:] = [0.0, -0.5]
    for layer in model.layers[1:-1]:
        layer.W[:] = [[2.0, 2.0], [-4.0, -4.0]]  # t = 2 h1 - 4 h2 feeds both units of the next layer
        layer.b[:] = [0.0, -0.5]
    model.layers[-1].W[:] = [[2.0], [-4.0]]
    model.layers[-1].b[:] = [0.0]
    return model


def random_relu_net(depth, width, seed=0, bias_std=1.0):
    """A ReLU network [1, width x depth, 1] with random weights as training starts from (He: normal,
    variance 2 / n_in) and random hidden biases from N(0, bias_std^2).

    (nnlite starts every bias at 0, which would put every first-layer kink at x = 0.)"""
    model = MLP([1] + [check_int(width, "width", minimum=1)] * check_int(depth, "depth", minimum=1) + [1],
                activation="relu", seed=seed)
    bias_std = check_number(bias_std, "bias_std", low=0.0)
    rng = np.random.default_rng(seed + 1000)
    for layer in model.layers[:-1]:
        layer.b[:] = rng.normal(0.0, bias_std, layer.n_out)
    return model


def piece_census(shapes=PIECE_SHAPES, seeds=PIECE_SEEDS, lo=X_RANGE[0], hi=X_RANGE[1], bias_std=1.0):
    """Count the pieces of `random_relu_net` on [lo, hi] for every (depth, width) in `shapes`, once per seed.

    Returns {(depth, width): {...}} with one entry per seed in each array:
    "pieces": straight pieces of the output (`n_pieces`); "regions": activation regions (an upper
    bound on the pieces); "flat": the output is constant on [lo, hi]; "dead_from": the first hidden
    layer (1, 2, ...) whose units are all off on the whole of [lo, hi], 0 if none; "switches":
    (n_seeds, depth), the switches per unit of each layer."""
    seeds = check_seeds(seeds)
    census = {}
    for depth, width in shapes:
        rows = {"pieces": [], "regions": [], "flat": [], "dead_from": [], "switches": []}
        for seed in seeds:
            model = random_relu_net(depth, width, seed, bias_std)
            per_layer = layer_switches(model, lo, hi)
            ends = np.concatenate([[lo], np.unique(np.concatenate(per_layer)), [hi]])
            slopes = output_slopes(model, (ends[:-1] + ends[1:]) / 2)  # leaves the regions' middles in the model
            rows["switches"].append([len(x) / width for x in per_layer])
            dead = [k + 1 for k, z in enumerate(model.pre_activations) if not np.any(z > 0)]
            rows["pieces"].append(1 + int(np.sum(_bends(slopes))))
            rows["regions"].append(len(ends) - 1)
            rows["flat"].append(bool(np.all(slopes == 0.0)))
            rows["dead_from"].append(dead[0] if dead else 0)
        census[(depth, width)] = {key: np.array(value) for key, value in rows.items()}
    return census


def plot_relu_and_units(axes=None, units=((1.0, 0.0), (1.0, -1.0), (-0.5, 1.0))):
    """Left: relu and its derivative. Right: relu(w x + b) for a few (w, b), each kink at -b/w marked."""
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained")[1]
    _, d_line = viz.plot_activation("relu", ax=axes[0])
    # relu'(x) jumps at 0, where we use 0: a step with a break, a filled dot at (0, 0) and an open one at (0, 1)
    xd, yd = d_line.get_data()
    d_line.set_data(np.where(xd > 0, np.nan, xd), yd)
    axes[0].plot(xd[xd > 0], yd[xd > 0], color=d_line.get_color(), linestyle="--")
    axes[0].plot([0.0], [0.0], "o", color=d_line.get_color(), markersize=6)
    axes[0].plot([0.0], [1.0], "o", markerfacecolor="white", color=d_line.get_color(), markersize=6)
    axes[0].set_title("ReLU(x) = max(0, x); its slope is 0 or 1")
    x = np.linspace(-4, 4, 401)
    for (w, b), color in zip(units, viz.PALETTE[2:], strict=False):
        axes[1].plot(x, np.maximum(w * x + b, 0.0), color=color, label=f"relu({linear_text(w, b)})")
        axes[1].plot([kink_position(w, b)], [0.0], "o", color=color, markersize=7)
    axes[1].set(xlabel="x", ylabel="output", ylim=(-0.3, 4.2), title="One unit: the bias moves the kink to x = -b/w")
    axes[1].legend(loc="upper center")
    return axes


def plot_interaction_lines(w1, w2, b, ax=None, box=BOX, fixed_x2=FIXED_X2):
    """Output against x1 for a few fixed x2 (wide, pale), and the same unit without ReLU (dotted, always
    parallel), drawn on top: where the unit is on, the two coincide and the dotted line runs inside the wide one."""
    ax = viz.get_axes(ax, figsize=(7, 3.6))
    x1 = np.linspace(*box, 201)
    for v, color in zip(fixed_x2, viz.PALETTE, strict=False):
        slope = average_slope_x1(w1, w2, b, v, box)
        ax.plot(x1, relu_unit(x1, v, w1, w2, b), color=color, linewidth=5, alpha=0.45, solid_capstyle="butt",
                label=f"x2 = {v:g}: average slope {slope:.2f}")
        ax.plot(x1, w1 * x1 + w2 * v + b, color=color, linestyle=":", linewidth=1.8, zorder=3)
    ax.set(xlabel="x1", ylabel="unit output", ylim=(-3.2, OUTPUT_MAX),
           title="With ReLU (wide) the slope in x1 depends on x2\n"
                 "dotted: the same unit without ReLU, always parallel")
    ax.legend(loc="upper left")
    return ax


class InteractionView:
    """Left: the unit's output over the (x1, x2) square, with the kink line. Right: output against x1.

    Only images and lines change on a move; the numbers go to the text line above the figure
    (text is the slowest thing matplotlib draws)."""

    def __init__(self, box=BOX, fixed_x2=FIXED_X2, n=121):
        self.box, self.fixed_x2, self.n = box, fixed_x2, n
        self.live = LiveRow(2, panel_size=(5, 3.8))  # separate panels: they wrap on a narrow screen
        self.ax_map, self.ax_lines = self.live.subplots(1, 2)
        self.image = self.ax_map.imshow(np.zeros((n, n)), origin="lower", extent=(*box, *box), vmin=0.0,
                                        vmax=COLOR_MAX, cmap="viridis", aspect="auto", interpolation="nearest")
        self.ax_map.figure.colorbar(self.image, ax=self.ax_map, label="unit output", extend="max")
        # the rows drawn on the right, marked on the map (animated, so they stay on top of the image), each
        # on a black outline that sets it apart from any colour of the map; the axes reach a little beyond
        # the square, so that the rows on its edges are not hidden by them
        self.rows = [self.ax_map.plot(box, [v, v], color=color, linewidth=lw, solid_capstyle="butt")[0]
                     for v, color in zip(fixed_x2, viz.PALETTE, strict=False) for color, lw in (("k", 5.5), (color, 3))]
        self.kink_line = self.ax_map.plot([], [], color="white", linestyle="--", linewidth=2,
                                          label="kink: w1·x1 + w2·x2 + b = 0")[0]  # named in the title
        pad = 0.04 * (box[1] - box[0])
        self.ax_map.set(xlim=(box[0] - pad, box[1] + pad), ylim=(box[0] - pad, box[1] + pad), xlabel="x1",
                        ylabel="x2", title="Unit output; dashed: its kink")
        self.ax_map.grid(False)
        self.x1 = np.linspace(*box, 201)
        # each line narrower than the one before, drawn over it: where rows give the same output (x2 = 0 and
        # x2 = 1 both 0 for x1 < 1 by default) the earlier line shows as a border around the later one
        self.lines = [self.ax_lines.plot(self.x1, np.zeros_like(self.x1), color=color, label=f"x2 = {v:g}",
                                         linewidth=7 - 2.5 * i, solid_capstyle="butt")[0]
                      for i, (v, color) in enumerate(zip(fixed_x2, viz.PALETTE, strict=False))]
        self.ax_lines.set(xlim=box, ylim=(-0.2, OUTPUT_MAX), xlabel="x1", ylabel="unit output",
                          title="Output along the coloured rows (x2 fixed)")
        self.ax_lines.legend(loc="upper left")
        self.live.animate(self.image, *self.rows, self.kink_line, *self.lines)
        self.unit = tuple(INTERACTION_DEFAULT.values())
        viz.set_text_alternative(self.ax_map.figure, lambda _fig: self.map_words())

    def map_words(self):
        """The map in words: where the unit is on, its largest output, the kink line and the marked rows
        (`describe` would read the colour bar as a second panel and the rows as lines of two points)."""
        w1, w2, b = self.unit
        _, _, out = interaction_grid(w1, w2, b, self.n, self.box)
        x1s, x2s = kink_segment(w1, w2, b, self.box)
        ends = [f"({p + 0.0:.2f}, {q + 0.0:.2f})" for p, q in zip(x1s, x2s, strict=True)]  # + 0.0: no "-0.00"
        if not ends:
            kink = "the kink line misses the square"
        elif ends[0] == ends[1]:
            kink = f"the kink line touches the square only at (x1, x2) = {ends[0]}"
        else:
            kink = f"the dashed kink line runs from (x1, x2) = {ends[0]} to {ends[1]}"
        rows = ", ".join(f"{v:g}" for v in self.fixed_x2)
        unit = f"{w1:g}·x1 {'-' if w2 < 0 else '+'} {abs(w2):g}·x2 {'-' if b < 0 else '+'} {abs(b):g}"
        return (f"Figure: the output of relu({unit}) over the square of x1 and x2 from "
                f"{self.box[0]:g} to {self.box[1]:g}, in colour from 0 (dark) to {COLOR_MAX:g} (light). The unit is on "
                f"in {np.mean(out > 0):.0%} of the square, with outputs up to {out.max():.2f}; {kink}. Coloured "
                f"rows at x2 = {rows} mark the lines of the panel beside it.")

    def show(self, w1, w2, b):
        self.unit = (w1, w2, b)
        _, _, out = interaction_grid(w1, w2, b, self.n, self.box)
        self.image.set_data(out)
        self.kink_line.set_data(*kink_segment(w1, w2, b, self.box))
        for v, line in zip(self.fixed_x2, self.lines, strict=True):
            line.set_ydata(relu_unit(self.x1, v, w1, w2, b))
        self.live.redraw()


def interaction_explorer():
    """Sliders for w1, w2 and b of one ReLU unit relu(w1 x1 + w2 x2 + b)."""
    view = InteractionView()
    summary = text_line()

    def update(w1, w2, b):
        view.show(w1, w2, b)
        formula = f"relu({w1:.1f}·x1 {'+' if w2 >= 0 else '-'} {abs(w2):.1f}·x2 {'+' if b >= 0 else '-'} {abs(b):.1f})"
        top = float(relu_unit(np.array(BOX)[:, None], np.array(BOX)[None, :], w1, w2, b).max())
        off_chart = ""
        if top > OUTPUT_MAX:
            off_chart = f" (outputs up to {top:.1f} run off the top of the picture)"
        elif top > COLOR_MAX:
            off_chart = f" (outputs above {COLOR_MAX:g}, up to {top:.1f}, all get the top colour)"
        summary.value = f"<b>{formula}</b>. {describe_interaction(w1, w2, b)}{off_chart}"

    controls = {
        "w1": slider("weight w1 (of x1)", -2.0, 2.0, 0.1, INTERACTION_DEFAULT["w1"]),
        "w2": slider("weight w2 (of x2)", -2.0, 2.0, 0.1, INTERACTION_DEFAULT["w2"]),
        "b": slider("bias b (moves the kink)", -6.0, 6.0, 0.1, INTERACTION_DEFAULT["b"]),
    }
    return Panel(update, controls, [summary, view.live.widget], title="One ReLU unit with two inputs",
                 parts={"view": view, "summary": summary})


class SumView:
    """The bump, the best straight line, and a sum of shifted ReLUs with its kinks marked."""

    def __init__(self, n_terms=3, n=121):
        self.x, self.y = bump_data(n)
        self.line_w, self.line_b, self.line_mse = best_line(self.x, self.y)
        self.live = LiveFigure(figsize=(9, 3.8))
        ax = self.ax = self.live.subplots()
        ax.plot(self.x, self.y, color="0.55", linewidth=6, alpha=0.5, label="target: 2 exp(-x²)")
        ax.plot(self.x, self.line_w * self.x + self.line_b, color="k", linestyle="--", linewidth=1.2,
                label=f"best straight line (MSE {self.line_mse:.4f})")
        self.terms = [ax.plot([], [], color=color, linewidth=1, alpha=0.7, linestyle="-.")[0]
                      for color in viz.PALETTE[1:1 + n_terms]]
        self.curve = ax.plot([], [], color=viz.PALETTE[0], linewidth=2.5, label="sum of the ReLUs")[0]
        self.kinks = ax.plot([], [], "o", color=viz.PALETTE[3], markersize=8, label="kinks")[0]
        ax.set(xlim=X_RANGE, ylim=(-1.5, 3.0), xlabel="x", ylabel="y",
               title="Each ReLU term (dash-dot) bends the sum (blue) at its kink")
        ax.legend(loc="upper right", fontsize="small")
        self.live.animate(*self.terms, self.curve, self.kinks)

    def show(self, positions, slopes):
        total = relu_sum(self.x, positions, slopes)
        for line, p, a in zip(self.terms, positions, slopes, strict=True):
            line.set_data(self.x, a * np.maximum(self.x - p, 0.0))
        self.curve.set_data(self.x, total)
        inside = [p for p in positions if X_RANGE[0] <= p <= X_RANGE[1]]
        self.kinks.set_data(inside, relu_sum(np.array(inside), positions, slopes))
        self.live.redraw()
        return mean_squared_error(total, self.y)


def sum_explorer(start=SUM_DEFAULT):
    """Six sliders: the position and the slope change of three ReLU kinks, against the bump."""
    view = SumView(len(start))
    summary = text_line()

    def update(**values):
        k = len(start)
        positions = [values[f"p{i + 1}"] for i in range(k)]
        slopes = [values[f"a{i + 1}"] for i in range(k)]
        error = view.show(positions, slopes)
        final = sum(slopes)
        verdict = "&#127881; below 0.01: a bump from three ReLUs!" if error < 0.01 else "goal: below 0.01"
        summary.value = (f"<b>MSE {error:.4f}</b> ({verdict}). y = {relu_sum_text(positions, slopes)}; "
                         f"slope after the last kink: {final:.1f}")

    controls = {}
    for i, (p, a) in enumerate(start, 1):
        controls[f"p{i}"] = slider(f"kink {i}: position", -3.0, 3.0, 0.1, p)
        controls[f"a{i}"] = slider(f"kink {i}: slope change", -4.0, 4.0, 0.1, a)
    return Panel(update, controls, [summary, view.live.widget], title="Build a bump from shifted ReLUs",
                 parts={"view": view, "summary": summary})


RUNS = ("best", "middle", "worst")


class UnitsView:
    """The bump, and one trained network (a size, and its best, middle or worst seed) with its kinks."""

    def __init__(self, fits, x, y, scale=NET_SCALE):
        self.fits, self.scale = fits, scale
        self.x, self.y = x, y
        self.curves = {(h, which): network_curve(pick_run(runs, which)["model"], x, scale)
                       for h, runs in fits.items() for which in RUNS}
        line_w, line_b, line_mse = best_line(x, y)
        self.live = LiveFigure(figsize=(9, 3.8))
        ax = self.ax = self.live.subplots()
        ax.plot(x, y, "o", color="0.6", markersize=3, label="data: 2 exp(-x²)")
        ax.plot(x, line_w * x + line_b, color="k", linestyle="--", linewidth=1.2,
                label=f"best straight line (MSE {line_mse:.3f})")
        self.curve = ax.plot([], [], color=viz.PALETTE[0], linewidth=2.5, label="trained network")[0]
        self.kink_marks = ax.plot([], [], "|", color=viz.PALETTE[3], markersize=18, markeredgewidth=2.5,
                                  label="its kinks")[0]
        ax.set(xlim=X_RANGE, ylim=(-0.9, 2.6), xlabel="x", ylabel="y",
               title="A trained one-hidden-layer ReLU network: one possible kink per unit")
        ax.legend(loc="upper right", fontsize="small")
        self.live.animate(self.curve, self.kink_marks)

    def show(self, hidden, which):
        kinks = pick_run(self.fits[hidden], which)["kinks"]
        self.curve.set_data(self.x, self.curves[hidden, which])
        self.kink_marks.set_data(kinks, np.full(len(kinks), -0.6))
        self.live.redraw()


def units_explorer(fits, x=None, y=None):
    """Choose the number of hidden units and which of its runs (best, middle, worst seed) to see;
    the trainings were done once by `fit_relu_nets`."""
    if not fits:
        raise ValueError("fits must hold at least one trained network: pass the result of fit_relu_nets")
    if x is None:
        x, y = bump_data()
    view = UnitsView(fits, x, y)
    summary = text_line()

    def update(hidden, which):
        view.show(hidden, which)
        runs = fits[hidden]
        run = pick_run(runs, which)
        summary.value = (f"<b>{hidden} hidden units</b> = at most {hidden} kinks; the {which} of {len(runs)} runs "
                         f"(seed {run['seed']}) bends at <b>{len(run['kinks'])}</b> of them inside [-3, 3]. "
                         f"<b>MSE {run['mse']:.4f}</b>.")

    sizes = sorted(fits)
    controls = {"hidden": dropdown("hidden units", sizes, value=sizes[0]),
                "which": dropdown("run (over seeds)", list(RUNS), value="best")}
    return Panel(update, controls, [summary, view.live.widget], title="More units, more kinks",
                 parts={"view": view, "summary": summary})


LAYERING_SEED = 40  # a draw whose switch points are at least 0.19 apart (visible), two of them silent


def plot_layering(width=4, seed=LAYERING_SEED, depths=(1, 2, 3), axes=None):
    """Top row: random ReLU networks of `width` units per layer, 1, 2, 3 layers deep, on [-3, 3].
    Bottom row: the tent-map network, folding [0, 1] once per layer. A dot marks each bend of the
    output; a grey cross, a point where some unit switches but the output does not bend.
    On a projector's page (presentation mode) three panels side by side would be too narrow to read:
    there the depths go down and the two kinds across. Returns {"random": [pieces...], "tent": [pieces...]}."""
    across = viz.presentation_on() if axes is None else False
    if axes is None:
        import matplotlib.pyplot as plt

        if across:
            axes = plt.subplots(len(depths), 2, figsize=(4.8, 2.2 * len(depths)), layout="constrained")[1].T
        else:
            axes = plt.subplots(2, len(depths), figsize=(9.5, 4.4), layout="constrained")[1]
    counts = {"random": [], "tent": []}
    rows = (("random", lambda d: random_relu_net(d, width, seed), (-3.0, 3.0), viz.PALETTE[0]),
            ("tent", tent_network, (0.0, 1.0), viz.PALETTE[2]))
    for row, (kind, make, (lo, hi), color) in enumerate(rows):
        for col, depth in enumerate(depths):
            model = make(depth)
            ax = axes[row][col]
            x = np.linspace(lo, hi, 2001)
            bends = linear_pieces(model, lo, hi)
            silent = np.setdiff1d(activation_regions(model, lo, hi), bends)
            counts[kind].append(len(bends) + 1)
            ax.plot(x, model.forward(x[:, None])[:, 0], color=color)
            ax.plot(bends, model.forward(bends[:, None])[:, 0], "o", color=viz.PALETTE[3], markersize=4,
                    label="the output bends")
            if silent.size:
                ax.plot(silent, model.forward(silent[:, None])[:, 0], "x", color="0.35", markersize=7,
                        markeredgewidth=2, label="a unit switches, no bend")
            units = width if kind == "random" else 2
            ax.set_title(f"{depth} layer{'s' if depth > 1 else ''} of {units}: {len(bends) + 1} pieces",
                         fontsize="medium")
            ax.set_xlabel("x")
            if col == 0 or across:
                ax.set_ylabel(f"random weights (seed {seed})" if kind == "random" else "tent map (hand-set)")
    legend = {}  # one legend for all panels, below them, where it hides no curve
    for ax in np.ravel(axes):
        legend.update(zip(*reversed(ax.get_legend_handles_labels()), strict=True))
    axes[0][0].figure.legend(legend.values(), legend.keys(), loc="outside lower center", ncols=2, fontsize="small")
    return counts


def plot_piece_counts(census, ax=None):
    """For each shape of `piece_census`, a sideways histogram of its draws (each bar: the draws with
    that many output pieces, its length relative to the shape's most common count), a bar at the mean,
    a short black line at the mean number of activation regions (unit switches + 1: what counting the
    switches as bends would give), and a dashed line at the most one layer of that many units can make.
    Under a shape whose output is flat in some draws, how many. Shapes are grouped by the number of units
    in all. On a projector's page (presentation mode) the figure is narrower and taller, its longer words
    on two lines."""
    narrow = viz.presentation_on()
    ax = viz.get_axes(ax, figsize=(4.8, 5.0) if narrow else (9, 3.8))
    gap = "\n" if narrow else " "  # between the two halves of a long label
    shapes = list(census)
    units = [depth * width for depth, width in shapes]
    positions = np.arange(len(shapes)) + np.cumsum([0] + list(np.diff(units) != 0))  # a gap between groups
    top = 1.3 * max(c["pieces"].max() for c in census.values())
    for i, ((depth, width), pos) in enumerate(zip(shapes, positions, strict=True)):
        c = census[depth, width]
        values, counts = np.unique(c["pieces"], return_counts=True)
        lengths = 0.8 * counts / counts.max()
        ax.barh(values, lengths, left=pos - lengths / 2, height=0.9, color=viz.PALETTE[5],
                label="draws with that many pieces (widths scaled per shape)" if i == 0 else None)
        ax.plot([pos - 0.42, pos + 0.42], [c["pieces"].mean()] * 2, color=viz.PALETTE[3], linewidth=2.5,
                label="mean" if i == 0 else None)
        ax.plot([pos - 0.22, pos + 0.22], [c["regions"].mean()] * 2, color="k", linewidth=1.5,
                label="mean of the activation regions (unit switches + 1)" if i == 0 else None)
        if c["flat"].any():
            ax.annotate(f"flat:{gap}{c['flat'].sum()}", (pos, 0.0), xytext=(0, -3), textcoords="offset points",
                        ha="center", va="top", fontsize="small")
    for group in dict.fromkeys(units):
        inside = positions[[u == group for u in units]]
        ax.plot([inside.min() - 0.45, inside.max() + 0.45], [group + 1] * 2, "--", color="0.4", linewidth=1.2,
                label="the most one layer of as many units can make" if group == units[0] else None)
    ax.set(xticks=positions, xticklabels=[f"{depth}×{width}" for depth, width in shapes],
           ylim=(-5.0 if narrow else -2.5, top),
           xlim=(positions[0] - 0.6, positions[-1] + 0.6), ylabel="straight pieces of the output",
           xlabel=f"hidden layers × units per layer{gap}"
                  f"({' units in all, then '.join(map(str, dict.fromkeys(units)))} units in all)")
    ax.set_title(f"Random networks on [-3, 3],{gap}"
                 f"{len(census[shapes[0]]['pieces'])} per shape")
    if narrow:  # below the axes, where it hides no bar
        ax.tick_params(axis="x", labelsize="small")
        ax.figure.legend(loc="outside lower center", fontsize="small")
    else:
        ax.legend(loc="upper left", fontsize="small", ncols=2)
    viz.set_text_alternative(ax.figure, _census_words(census))
    return ax


def _census_words(census):
    """`plot_piece_counts` in words (the sideways bars read one by one would say nothing)."""
    n = len(next(iter(census.values()))["pieces"])
    shapes = "; ".join(
        f"{depth} x {width}: mean {c['pieces'].mean():.1f} pieces (from {c['pieces'].min()} to {c['pieces'].max()}; "
        f"one layer of {depth * width} units makes at most {depth * width + 1}), activation regions "
        f"{c['regions'].mean():.1f}, flat in {c['flat'].sum()} of {n}" for (depth, width), c in census.items())
    return (f"Figure: for each shape (hidden layers x units per layer), the straight pieces of the output of {n} "
            f"random networks on [-3, 3], as a sideways histogram with its mean. {shapes}.")


REGIONS_BOX = (-1.5, 1.5)  # the square of (x1, x2) that plot_regions draws


def train_circles_net(hidden=8, seed=0, epochs=300):
    """A [2, hidden, 2] ReLU network trained on nnlite's two rings of points (`datasets.circles`, 200 points),
    full-batch with momentum 0.9. Returns (model, X, y)."""
    X, y = circles(n=200, noise=0.05, seed=0)
    model = MLP([2, check_int(hidden, "hidden", minimum=1), 2], activation="relu", seed=seed)
    fit(model, X, y, epochs=epochs, batch_size=len(X), lr=0.1, momentum=0.9, seed=seed)
    return model, X, y


def plot_regions(model, X, y, ax=None, box=REGIONS_BOX, n=241):
    """A trained [2, H, 2] ReLU network over the (x1, x2) square: in colour its output (the logit of class 1
    minus that of class 0), in grey the kink line of each hidden unit, in black the boundary between the
    classes, with the data as markers. The kink lines cut the square into polygons; on each the output is
    a plane, so the boundary is straight inside each polygon: a chain of straight segments."""
    sizes = list(getattr(model, "sizes", []))
    if len(sizes) != 3 or sizes[0] != 2 or sizes[-1] != 2:
        raise ValueError(f"model must be an MLP [2, H, 2], got sizes {getattr(model, 'sizes', model)!r}")
    ax = viz.get_axes(ax, figsize=(5.0, 4.2))
    g = np.linspace(*box, n)
    grid = np.array(np.meshgrid(g, g)).reshape(2, -1).T
    logits = model.forward(grid)
    margin = (logits[:, 1] - logits[:, 0]).reshape(n, n)
    top = np.abs(margin).max()
    image = ax.imshow(margin, origin="lower", extent=(*box, *box), cmap="RdBu_r", vmin=-top, vmax=top,
                      interpolation="nearest", aspect="equal")
    ax.figure.colorbar(image, ax=ax, label="logit 1 − logit 0")
    hidden = model.pre_activations[0]
    for j in range(hidden.shape[1]):
        ax.contour(g, g, hidden[:, j].reshape(n, n), levels=[0.0], colors="0.35", linewidths=1.0,
                   linestyles="--")
    ax.contour(g, g, margin, levels=[0.0], colors="k", linewidths=2.2)
    for label, (color, marker) in enumerate(zip(viz.PALETTE, viz.MARKERS, strict=False)):
        ax.scatter(*X[y == label].T, s=9, color=color, marker=marker, edgecolors="white", linewidths=0.4,
                   label=f"class {label}")
    ax.set(xlim=box, ylim=box, xlabel="x1", ylabel="x2",
           title=f"{hidden.shape[1]} trained ReLU units: kinks (dashed)\nand the class boundary (black)")
    ax.grid(False)
    accuracy = np.mean(model.forward(X).argmax(axis=1) == y)
    viz.set_text_alternative(ax.figure, (
        f"Figure: a network with one hidden layer of {hidden.shape[1]} ReLU units, trained on {len(X)} points in two "
        f"rings (class 1 inside), classifies {accuracy:.0%} of them right. Its {hidden.shape[1]} dashed kink lines cut "
        f"the square into polygons, and the black boundary between the classes is a chain of straight segments "
        f"around the inner ring."))
    return ax


VALLEY_STYLE = {0.0: ("plain gradient descent", viz.PALETTE[0], "-"),
                0.9: ("momentum 0.9", viz.PALETTE[3], "-")}


def plot_valley(paths, axes=None):
    """Left: the gentle weight w1 (along the valley floor) after each step; right: the steep one, w2
    (across the valley). `paths` maps a momentum to its `valley_path`."""
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(1, 2, figsize=(8.5, 2.7), layout="constrained", sharey=True)[1]
    for momentum, path in paths.items():
        label, color, style = VALLEY_STYLE.get(momentum, (f"momentum {momentum:g}", viz.PALETTE[4], "-"))
        for ax, column in zip(axes, (0, 1), strict=True):
            ax.plot(path[:, column], style, color=color, label=label, linewidth=1.8)
    axes[0].set(xlabel="step", ylabel="weight", title="w1: along the valley floor (gentle)")
    axes[1].set(xlabel="step", title="w2: across the valley (steep)")
    for ax in axes:
        ax.axhline(0.0, color="0.5", linewidth=0.8)
    axes[1].legend(loc="upper right", fontsize="small")
    return axes


def plot_fits(fits, which="best", x=None, y=None, axes=None, reach=FITS_REACH):
    """One small picture per network size: the data, the curve of its `which` run and its kinks inside the
    data. The curve is drawn on `reach`, past the data (the grey margins): there a ReLU network goes on
    straight, bending only at kinks that happen to fall there, whatever the curve it learned does."""
    if x is None:
        x, y = bump_data()
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(1, len(fits), figsize=(3 * len(fits), 2.9), layout="constrained",
                            sharey=True)[1]
    wide = np.linspace(*reach, 361)
    for ax, (hidden, runs) in zip(np.atleast_1d(axes), sorted(fits.items()), strict=True):
        run = pick_run(runs, which)
        for lo, hi in ((reach[0], x.min()), (x.max(), reach[1])):
            ax.axvspan(lo, hi, color="0.9", linewidth=0)
        ax.plot(x, y, "o", color="0.6", markersize=2)
        ax.plot(wide, network_curve(run["model"], wide), color=viz.PALETTE[0])
        kinks = run["kinks"]
        ax.plot(kinks, np.full(len(kinks), -1.2), "|", color=viz.PALETTE[3], markersize=14, markeredgewidth=2)
        ax.set(xlim=reach, ylim=(-1.6, 2.6), xlabel="x",
               title=f"{hidden} units ({len(kinks)} kinks inside)\n{which} run: MSE {run['mse']:.4f}")
    np.atleast_1d(axes)[0].set_ylabel("y")
    return axes


def plot_fit_spread(fits, line_mse, good=GOOD_FIT, ax=None):
    """The final MSE of every run (one dot per seed) for each network size, on a log scale,
    against the best straight line and the `good` mark."""
    ax = viz.get_axes(ax, figsize=(7, 3.4))
    sizes = sorted(fits)
    for i, hidden in enumerate(sizes):
        errors = [run["mse"] for run in fits[hidden]]
        offsets = np.linspace(-0.18, 0.18, len(errors))  # sorted runs spread sideways, so equal values stay visible
        ax.plot(i + offsets, errors, "o", color=viz.PALETTE[0], markersize=6, alpha=0.8)
        middle = f"the run ranked {(len(errors) + 1) // 2} of {len(errors)}, best first"
        ax.plot([i - 0.3, i + 0.3], [pick_run(fits[hidden], "middle")["mse"]] * 2, color=viz.PALETTE[3],
                linewidth=2.5, label=middle if i == 0 else None)
    ax.axhline(line_mse, color="k", linestyle="--", linewidth=1.2, label="best straight line")
    ax.axhline(good, color=viz.PALETTE[2], linestyle=":", linewidth=1.5, label=f"a good fit: below {good:g}")
    ax.set(xticks=range(len(sizes)), xticklabels=[str(h) for h in sizes], yscale="log", xlabel="hidden units",
           ylabel="final MSE (log scale)", title=f"Each dot is one seed ({len(fits[sizes[0]])} per size)")
    ax.legend(loc="lower left", fontsize="small")
    return ax


# Exercises (checked in the notebook)

UNIT_OUTPUTS = NumberExercise(
    "the outputs of relu(0.5 x1 - x2 + 0.2) at (3, 1) and (1, 2)",
    expected=[0.7, 0.0],
    mistakes=[
        Mistake([0.7, -1.3], "The second weighted sum is negative. What does ReLU do with a negative number?"),
        Mistake([0.7, 1.3], "ReLU does not flip the sign of a negative sum (that would be |x|): it switches it off."),
        Mistake([0.5, 0.0], "Don't forget the bias b = 0.2: it is added to the weighted sum before ReLU."),
        Mistake([0.5, -1.5], "Two things are missing: the bias b = 0.2, and ReLU at the end."),
        Mistake([2.7, 2.7], "Check the sign of w2: it is -1, so x2 pulls the sum down."),
        Mistake([1.0, 0.0], "Those are ReLU's slopes (0 or 1) at the two sums; the exercise asks for its outputs."),
        Mistake([0.0, 0.0], "The first weighted sum is positive, so ReLU lets it through unchanged."),
        Mistake([0.0, 0.7], "Right numbers, swapped: give the output at (3, 1) first, then the one at (1, 2)."),
    ],
    hint="Reread section 1 (ReLU): a unit computes its weighted input first, then applies ReLU to it, once per input.",
    why="0.5·3 - 1·1 + 0.2 = 0.7 is positive and passes; 0.5·1 - 1·2 + 0.2 = -1.3 is negative and is switched off.",
)

KINK_X = NumberExercise(
    "the kink of relu(2x - 3)",
    expected=1.5,
    mistakes=[
        Mistake(-1.5, "Check the sign: the kink is where 2x - 3 = 0; put your x back in and see."),
        Mistake(3.0, "That is minus the bias. The kink is where the whole weighted input 2x - 3 is zero."),
        Mistake(2 / 3, "Solving 2x - 3 = 0 means dividing 3 by the weight 2, not the weight by 3."),
        Mistake(-2 / 3, "Solve 2x - 3 = 0 for x: move the 3 across, then divide by the weight."),
        Mistake(0.0, "ReLU itself bends at 0, but here its input is 2x - 3: when is that zero?"),
        Mistake(6.0, "Solve 2x - 3 = 0 for x: the weight divides, it does not multiply."),
    ],
    hint="Reread section 1 (ReLU): the kink is where the unit's weighted input is zero.",
    why="2x - 3 = 0 at x = -b/w = 3/2: the bias moves the kink, the weight scales where it lands.",
)

ABS_FIELDS = {"w": "n", "b": "n", "v": "n", "c": ()}  # one w, b and v per hidden unit, one output bias c


def network_output(net, x):
    """v . relu(w x + b) + c for each x: section 5's network with one input, from a dict of its weights."""
    return np.maximum(np.multiply.outer(x, net["w"]) + net["b"], 0.0) @ net["v"] + net["c"]


ABS_RTOL, ABS_ATOL = 1e-6, 1e-6  # a right answer within rounding is right: 1e-6 relative, and 1e-6 near 0 (|x| ~ 1)


def _near(a, b):
    """a equals b up to rounding, with the number checks' tolerance (ABS_RTOL relative, ABS_ATOL absolute)."""
    return bool(np.allclose(a, b, rtol=ABS_RTOL, atol=ABS_ATOL))


def _diagnose_abs(net):
    """What the network computes, against |x|. It is straight between its kinks, so its values at the
    kinks, at 0 and on both tails decide whether it IS |x|, and its slopes say what is off. Every
    comparison uses one tolerance (`_near`), so an answer is either right or told what differs."""
    on = (net["w"] != 0) & (net["v"] != 0)
    unit_kinks = np.round(-net["b"][on] / net["w"][on], 12)  # units that bend at one x share one kink
    kinks = np.unique(unit_kinks)
    changes = [np.sum((net["v"] * np.abs(net["w"]))[on][unit_kinks == k]) for k in kinks]  # the slope's jump
    bends = [float(k) for k, change in zip(kinks, changes, strict=True) if not _near(change, 0.0)]
    far = max(np.max(np.abs(kinks), initial=0.0), 1.0) + 1.0
    points = np.concatenate([kinks, [0.0, -far - 1, -far, far, far + 1]])
    if _near(network_output(net, points), np.abs(points)):
        return "correct", ""
    left = float(np.sum((net["v"] * net["w"])[net["w"] < 0]))  # far left only the units with w < 0 are on
    right = float(np.sum((net["v"] * net["w"])[net["w"] > 0]))
    slopes = f"(Far left its slope is {left:.7g}, far right {right:.7g}.)"
    if _near([left, right], [1, 1]):
        return "identity", ""
    if _near([left, right], [1, -1]):
        return "upside_down", ""
    if _near(left, 0.0) != _near(right, 0.0):
        return "one_side", slopes
    if not _near([left, right], [-1, 1]):
        return "slopes", slopes
    if len(bends) > 1:
        return "two_bends", f"(It bends at x = {', '.join(f'{k:.7g}' for k in bends)}.)"
    if bends and not _near(bends[0], 0.0):
        return "moved", f"(Your V bends at x = {bends[0]:.7g}.)"
    return "lifted", f"(At x = 0 it gives {float(network_output(net, 0.0)):.7g}.)"


ABS_FROM_RELUS = DiagnosedExercise(
    "|x| from the two ReLU units of a network",
    read=lambda answer: read_fields(answer, ABS_FIELDS, "abs_net", units=2),
    diagnose=_diagnose_abs,
    mistakes={
        "identity": Mistake({"w": [1, -1], "b": [0, 0], "v": [1, -1], "c": 0},
                            "Far to the left your network rises as x grows, as x itself does; |x| falls there. "
                            "Check the sign of the output weight of the unit that is on for negative x."),
        "upside_down": Mistake({"w": [1, -1], "b": [0, 0], "v": [-1, -1], "c": 0},
                               "Your V points down: check the signs of the output weights v."),
        "one_side": Mistake({"w": [1, 2], "b": [0, 0], "v": [1, 0], "c": 0},
                            "On one side your network is flat: both units are on the same side of their kink, or "
                            "one of them does nothing. The sign of w decides on which side a unit is on "
                            "(section 1): |x| needs one unit for each side."),
        "slopes": Mistake({"w": [2, -2], "b": [0, 0], "v": [1, 1], "c": 0},
                          "The arms of your V have the wrong slopes. Where it is on, a unit relu(w x + b) with "
                          "output weight v adds the slope v times w."),
        "two_bends": Mistake({"w": [1, -1], "b": [1, 1], "v": [1, 1], "c": -1},
                             "Your network bends in more than one place, and |x| bends only once: both kinks must "
                             "sit at the same x."),
        "moved": Mistake({"w": [1, -1], "b": [-1, 1], "v": [1, 1], "c": 0},
                         "Your V bends in the wrong place. Where does relu(w x + b) bend (section 1)?"),
        "lifted": Mistake({"w": [1, -1], "b": [0, 0], "v": [1, 1], "c": 1},
                          "Your V has the right arms and bends in the right place, but it is shifted up or down: "
                          "look at what adds the same amount to every output."),
    },
    hint="Reread section 5 (let training place the kinks): each unit relu(w x + b) bends at x = -b / w and is on one "
         "side of it, its output weight v scales it, and the network adds the units and c.",
    why="One answer: w = (1, -1), b = (0, 0), v = (1, 1), c = 0 gives relu(x) + relu(-x): for x > 0 only the first "
        "unit is on and gives x, for x < 0 only the second, giving -x. Two kinks at the same place, "
        "facing opposite ways, make a V (a unit's w times any k > 0, with its v divided by k, does the same).",
)

TRIANGLE_POSITIONS = (-1.5, 0.0, 1.5)


def _rounding_slip(value, exact):
    """True when every number of `value` is typed with 3 to 6 significant figures and lies within one unit of its
    last figure of `exact`'s: the right value rounded by hand with a slip in the last digit (1.334 for 4/3)."""
    for typed, right in zip(np.ravel(value), np.ravel(exact), strict=True):
        typed = float(typed)
        figures = figures_written(typed)
        if typed == 0 or not 3 <= figures <= 6:
            return False
        if abs(typed - right) > 10.0 ** (math.floor(math.log10(abs(typed))) - figures + 1) * (1 + 1e-9):
            return False
    return True


class SlopesExercise(NumberExercise):
    """Exercise 4's check. An answer rounded by hand with a slip in its last digit (1.334 for 4/3) is told so,
    not that it is another quantity."""

    def _near_words(self, value):
        if _rounding_slip(value, self.expected):
            return ("your answer is close, but not the right value rounded: each of your numbers differs from the "
                    "right one by at most 1 in its last digit, so a last digit slipped when you rounded (when the "
                    "next digit is below 5, the last digit kept stays as it is). Round again, or keep the value "
                    "Python computed. ")
        return super()._near_words(value)


TRIANGLE_SLOPES = SlopesExercise(
    "the slope changes of a triangle of height 2 on [-1.5, 1.5]",
    expected=[4 / 3, -8 / 3, 4 / 3],
    mistakes=[
        Mistake([4 / 3, -4 / 3, 0.0], "Those are the slopes of the three pieces. The exercise asks for the CHANGE "
                                      "of slope at each kink: the new slope minus the old one."),
        Mistake([4 / 3, -4 / 3, 4 / 3], "After the last kink the slope is a1 + a2 + a3; yours is not 0, so the "
                                        "right tail climbs again. How much must the slope change at the peak?"),
        Mistake([4 / 3, -8 / 3, 0.0], "After the last kink the slope is a1 + a2 + a3, and yours is not 0: the "
                                      "right tail keeps falling. The third kink must bring the slope back to 0."),
        Mistake([3.0, -6.0, 3.0], "A slope is rise over run: divide the height by the distance, don't multiply."),
        Mistake([2 / 3, -4 / 3, 2 / 3], "The rise to the peak happens between -1.5 and 0, over 1.5, not over the "
                                        "whole base of 3."),
        Mistake([2.0, -4.0, 2.0], "2 is the height. The slope is the height divided by the distance it rises over."),
        Mistake([-4 / 3, 8 / 3, -4 / 3], "Your triangle points down (a dip of -2): flip the signs."),
        Mistake([1.0, -2.0, 1.0], "That triangle peaks at 1 · 1.5 = 1.5, not 2: the first slope is the height "
                                  "divided by the distance it rises over, and it need not be a whole number."),
        Mistake([1.4, -2.8, 1.4], "That triangle peaks at 1.4 · 1.5 = 2.1, the slider answer. Here the peak "
                                  "must be exactly 2."),
        Mistake([0.75, -1.5, 0.75], "That is the run over the rise, upside down: a slope is the height divided by "
                                    "the distance."),
        Mistake([1.5, -3.0, 1.5], "1.5 is the distance from a foot to the peak, not the slope: that triangle peaks "
                                  "at 1.5 · 1.5 = 2.25. The slope is the height divided by that distance."),
    ],
    hint="Reread section 4 (non-linear effects): find the slope of each straight piece (up, down, flat), then the "
         "change of slope at each kink (a1 is the first slope itself).",
    close_hint=" If you read it off the slider (steps of 0.1), compute it instead: 1.3 · 1.5 peaks at 1.95, not at "
               "exactly 2. Write fractions as Python divisions, such as 1 / 3.",
    why="Up with slope 2 / 1.5 = 4/3, down with slope -4/3 (a change of -8/3 at the peak), then flat (a change of "
        "+4/3). Its MSE against the bump is 0.014; a peak of 2.1 (slopes 1.4, -2.8, 1.4) gets below 0.01.",
)


def exercise_triangle(x):
    """Exercise 4's triangle (height 2 on [-1.5, 1.5]) at the points `x`, built from its check's answer, so that a
    cell can train on it without printing the numbers the exercise asks for."""
    return relu_sum(x, TRIANGLE_POSITIONS, TRIANGLE_SLOPES.expected)


# Exercise 5: section 2's collapse with numbers. Two Dense layers with nothing between them, 2 inputs -> 2 units
# -> 1 output, as nnlite's Dense computes them (x W + b, x a row: row i of W holds input i's weights).
COLLAPSE_W1 = ((1.0, 2.0), (-1.0, 0.0))
COLLAPSE_B1 = (1.0, -2.0)
COLLAPSE_W2 = ((3.0,), (1.0,))
COLLAPSE_B2 = (0.5,)


def collapse(W1, b1, W2, b2):
    """Section 2's collapse: (x W1 + b1) W2 + b2 = x W + b with W = W1 W2 and b = b1 W2 + b2. Returns (W, b)."""
    W1, b1, W2, b2 = (np.asarray(v, dtype=float) for v in (W1, b1, W2, b2))
    return W1 @ W2, b1 @ W2 + b2


def single_layer(W, b):
    """A one-output layer as exercise 5 asks for it: [w1, w2, b], the weight of x1, the weight of x2, the bias."""
    return [*np.ravel(W), *np.ravel(b)]


def _flat_parts(value, depth=0):
    """A list or tuple of parts (numbers, lists, arrays, such as [W, b]) as one flat list, in order; anything else
    as a list of itself."""
    if depth < 4 and isinstance(value, np.ndarray):
        return list(value.ravel())
    if depth < 4 and isinstance(value, (list, tuple)):
        return [item for part in value for item in _flat_parts(part, depth + 1)]
    return [value]


class LayerExercise(NumberExercise):
    """Exercise 5's check. The single layer may come as [w1, w2, b] or as its parts, [W, b] with W the (2, 1) matrix
    NumPy computes; an answer with another count of numbers is told what to give."""

    def _grade(self, answer):
        if isinstance(answer, (list, tuple)):
            answer = _flat_parts(answer)
        value, problem = read_numbers(answer, allow_nonfinite=True)
        if problem is None and value.size != self.expected.size:
            return self._invalid(f"your answer holds {value.size} number{'s' if value.size != 1 else ''}; give "
                                 f"{self.expected.size}, [w1, w2, b]: the weight of x1, the weight of x2 and the "
                                 "bias of the single layer.")
        return super()._grade(answer)


_W1, _B1, _W2, _B2 = (np.array(v) for v in (COLLAPSE_W1, COLLAPSE_B1, COLLAPSE_W2, COLLAPSE_B2))
_W, _B = collapse(_W1, _B1, _W2, _B2)

COLLAPSED_LAYER = LayerExercise(
    "the single layer that two stacked linear layers make",
    expected=single_layer(_W, _B),
    mistakes=[
        # b = b2 only: [5, -3, 0.5]
        Mistake(single_layer(_W, _B2), "Your bias is b2 alone, as if b1 vanished. The first layer adds b1 to its "
                                       "output, and the second layer multiplies everything the first outputs by "
                                       "W2, b1 included."),
        # b1 added as is, b = sum(b1) + b2: [5, -3, -0.5]
        Mistake(single_layer(_W, _B1.sum() + _B2), "You added b1's two entries to the bias as they are. b1 is added "
                                                   "before the second layer, so W2 weighs each entry as it weighs "
                                                   "that unit's output."),
        # both biases forgotten: [5, -3, 0]
        Mistake(single_layer(_W, 0.0), "Your single layer has no bias, as if b1 and b2 were left out. Both still "
                                       "reach the output: an input of all zeros does not give 0."),
        # b2 forgotten: [5, -3, 1]
        Mistake(single_layer(_W, _B1 @ _W2), "You passed b1 through W2, but the second layer then adds its own "
                                             "bias, b2, as well."),
        # b1 multiplied by W1 too: [5, -3, 11.5]
        Mistake(single_layer(_W, _B1 @ _W1 @ _W2 + _B2), "b1 went through W1 in your bias, but the first layer "
                                                         "adds b1 after multiplying by W1 (x W1 + b1): only W2 "
                                                         "multiplies it."),
        # a sign slip on b1's -2: [5, -3, 5.5]
        Mistake(single_layer(_W, (_B1 * [1, -1]) @ _W2 + _B2), "Check the sign of b1's second entry, -2, in your "
                                                               "bias."),
        # rows and columns of W1 swapped, W1^T W2, the same as W2^T W1 (the product in the wrong order): [2, 6, 1.5]
        Mistake(single_layer(_W1.T @ _W2, _B), "You combined W2 with the columns of W1, not its rows (or multiplied "
                                               "W2 turned on its side by W1). In x W1 + b1, row i of W1 holds the "
                                               "weights of input i and column j those of unit j, and the product runs "
                                               "in the order of the layers: W1, then W2."),
        # a sign slip on W1's -1: [5, 3, 1.5]
        Mistake(single_layer(_W1 * [[1, 1], [-1, 1]] @ _W2, _B), "Check the sign of W1's -1 (the weight of input x2 "
                                                                 "into unit 1) in your product."),
        # the bias first: [1.5, 5, -3]
        Mistake([*_B, *np.ravel(_W)], "The list starts with the weights: [w1, w2, b], the bias last."),
        # unit 1's path only: [3, -3, 3.5]
        Mistake(single_layer(_W1[:, :1] @ _W2[:1], _B1[:1] @ _W2[:1] + _B2), "You followed unit 1 only: the output "
                                                                             "adds what both units pass on, each "
                                                                             "weighted by its entry of W2."),
    ],
    hint="Reread section 2 (stacked straight lines): write out (x W1 + b1) W2 + b2, multiply out the brackets, and "
         "collect what multiplies x and what does not.",
    why="W = W1 W2: w1 = 1·3 + 2·1 = 5 and w2 = (-1)·3 + 0·1 = -3; b = b1 W2 + b2 = 1·3 + (-2)·1 + 0.5 = 1.5. So the "
        "two layers compute 5 x1 - 3 x2 + 1.5 for every input: one flat plane, as one layer does. Only a bend "
        "between them (a ReLU) stops the collapse.",
)
