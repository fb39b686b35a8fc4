"""Notebook 06: Leaky ReLU, dying ReLU, and the smooth activations modern models use.

* `leaky_explorer`: f(x) = max(alpha x, x) and its derivative, live under an alpha slider;
* `elu`, `softplus`, `selu` and PReLU's `prelu_alpha_gradient`: the relatives, in a few lines each;
* `train_run` / `train_seeds`: seeded training runs that record, epoch by epoch, the loss and the
  share of hidden units that are off for every input, per layer (for ReLU those units are dead: they
  output 0 and pass no gradient; a Leaky ReLU unit never outputs exactly 0, so it is never dead, and
  what can differ is how many units are off); runs are cached, so the exercise and its checks share them;
  section 2's 40 runs are saved with the course (``data/activations_dying_runs.npz``, `load_dying_runs`;
  `precompute_dying_runs` trains them again, and a test checks that the notebook's lessons hold there too);
* `one_step_death` / `plot_one_step_death`: the one SGD step that switched a first-layer ReLU unit off for every
  input, and the same step scaled to a smaller learning rate (an illustration, not a run);
  `init_gradient_norms`: the gradient before any step, for any alpha;
* `plot_seeds`: one dot per seed, so a result is shown as what it is, a typical outcome with its spread;
* `dead_at_init`: which ReLU units are dead before training, for any initialisation scale and bias;
* `compare_activations`: ReLU, Leaky ReLU, GELU and SiLU on the same task, seeds and settings;
  `sweep_learning_rates` repeats it at several learning rates (saved with the course, ``data/lr_sweep.npz``,
  `load_lr_sweep`; its column at the comparison's learning rate is the comparison itself, `Sweep.rows`), so that
  each activation can be judged at its own best learning rate;
  `wrong_point_losses`: how much of a trained network's test loss its few wrong test points carry;
* `training_explorer`: activation, alpha and learning rate, over precomputed runs of several seeds
  (`load_panel_runs`: the runs saved with the course, ``data/panel_runs.npz``; a test trains them
  again and checks that what the notebook asserts about them holds there too).

Training at a large learning rate is chaotic: the last bits of the arithmetic (which differ between
CPUs) decide which seed loses which unit. So the notebook asserts only what holds with a wide margin
over all seeds, and prints counts and thresholds, never one seed's digits.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import datasets, viz
from .._validate import as_float_array, check_choice, check_int, check_number
from ..activations import LeakyReLU, get_activation
from ..exercises import BuiltOnFirstUse, ChoiceExercise, FunctionExercise, Mistake, NumberExercise
from ..gradcheck import gradient_check
from ..losses import log_softmax, softmax_cross_entropy_unchecked
from ..model import MLP, overflow_safe_norm
from ..training import evaluate, fit, training_steps
from ..widgets import LiveRow, Panel, dropdown, selection_slider, slider, text_line
from .runs import over_seeds, require, spread  # noqa: F401 (require: the notebook calls lab.require)
from .tables import flat_parameters, load_table, save_table, set_flat_parameters

NAMES = ("relu", "leaky_relu", "gelu", "silu")
LABELS = {"relu": "ReLU", "leaky_relu": "Leaky ReLU", "gelu": "GELU", "silu": "SiLU (swish)"}
LEAKY_ALPHA = 0.1  # the Leaky ReLU of the experiments
SEEDS = tuple(range(20))  # every trained experiment runs these seeds
# The dying-ReLU experiment: a narrow network, three hidden layers of 16 units, and a learning rate that is large
# for it: the median ReLU run loses over a quarter of its units (at 0.3 it keeps the few it started without).
# Large is relative, and depth counts more than width here: with two hidden layers (16 or 32 units) the median
# run loses about 6 % at 0.85, and the fair comparison's network (COMPARE, two layers of 32) trains best at 1.0.
DYING = {"data": "spiral", "n": 300, "noise": 0.2, "sizes": (2, 16, 16, 16, 3), "epochs": 100, "batch_size": 32,
         "lr": 0.85}
ALPHAS = (0.0, 0.01, 0.1, 0.3)  # the alphas the training panel has runs for
PANEL_LRS = (0.3, DYING["lr"])
PANEL_SEEDS = SEEDS[:10]
DEATH_SEEDS = SEEDS[:10]  # the ReLU runs of section 2 in which the appendix counts the steps that kill a unit
# The fair comparison: one task, one architecture, one learning rate, several seeds.
COMPARE = {"n": 400, "noise": 0.3, "sizes": (2, 32, 32, 3), "epochs": 60, "batch_size": 32, "lr": 0.3,
           "test_fraction": 0.25}
COMPARED = (("relu", None), ("leaky_relu", LEAKY_ALPHA), ("gelu", None), ("silu", None))
# The fair comparison done: the same runs at several learning rates, each activation judged at its own best
# (saved with the course, ``data/lr_sweep.npz``: `load_lr_sweep`; a test trains them again).
SWEEP_LRS = (0.1, 0.3, 0.6, 1.0, 1.5)
# A run whose last epoch's loss is above this has blown up, even if its numbers are still finite: a network that
# guesses has loss ln 3 = 1.1. (The one such run we met, at lr 0.85, overflowed one epoch later.)
EXPLODED = 1e3
# SELU's two constants (Klambauer et al. 2017), to 16 digits
SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805


def leaky_relu(x, alpha=0.01):
    """max(alpha x, x) for 0 <= alpha < 1: x where x > 0, alpha x elsewhere (nnlite's LeakyReLU)."""
    return LeakyReLU(alpha).forward(x)


def leaky_relu_derivative(x, alpha=0.01):
    """1 where x > 0, alpha elsewhere: never 0 when alpha > 0, so the gradient always gets through."""
    return LeakyReLU(alpha).derivative(x)


def elu(x, alpha=1.0):
    """ELU (Clevert et al. 2015): x where x > 0, alpha (e^x - 1) elsewhere: smooth, and it levels off at -alpha."""
    x = as_float_array(x, "x")
    alpha = check_number(alpha, "alpha", low=0.0)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_derivative(x, alpha=1.0):
    """1 where x > 0, alpha e^x elsewhere: it fades towards 0 for very negative x (like GELU and SiLU)."""
    x = as_float_array(x, "x")
    alpha = check_number(alpha, "alpha", low=0.0)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def softplus(x):
    """ln(1 + e^x) (Dugas et al. 2001), a smooth ReLU: its derivative is the sigmoid. Computed as
    logaddexp(0, x), which does not overflow for large x."""
    return np.logaddexp(0.0, as_float_array(x, "x"))


def selu(x):
    """SELU (Klambauer et al. 2017): SELU_SCALE times ELU with alpha = SELU_ALPHA. The two constants are the ones
    for which a standard normal input (mean 0, variance 1) gives an output with mean 0 and variance 1 again."""
    return SELU_SCALE * elu(x, SELU_ALPHA)


def normal_moments(f, variance=1.0):
    """The mean and the variance of f(z) for z normal with mean 0 and `variance`, integrated on a fine grid."""
    grid = np.linspace(-12, 12, 240001)
    weight = np.exp(-grid**2 / 2) / np.sqrt(2 * np.pi) * (grid[1] - grid[0])
    values = f(np.sqrt(variance) * grid)
    mean = np.sum(values * weight)
    return float(mean), float(np.sum(values**2 * weight) - mean**2)


def variance_after_layers(f, n_var_w, start, layers=10):
    """The variance of z after `layers` layers so wide that z is normal: each gives the next z the variance
    n_in Var[w] E[f(z)^2] (zero-mean weights; `n_var_w` is n_in Var[w]: 1 for LeCun's, 2 for He's)."""
    q = start
    for _ in range(layers):
        mean, variance = normal_moments(f, q)
        q = n_var_w * (variance + mean**2)
    return q


def relatives_lessons():
    """The claims of section 3's optional parts (PReLU, ELU; softplus, maxout, SELU), each checked in numbers."""
    x, z, points = np.linspace(-20, 20, 400001), np.linspace(-3, 3, 61), np.array([-3.3, -0.4, 0.6, 2.8])
    gap = softplus(x) - np.maximum(x, 0.0)
    sigmoid = 1 / (1 + np.exp(-points))
    selu_mean, selu_variance = normal_moments(selu)
    relu = lambda v: np.maximum(v, 0.0)  # noqa: E731
    x_prelu, upstream = np.array([-2.0, -0.5, 0.7, 1.5]), np.array([0.5, -1.0, 0.8, 0.5])
    elu_points = np.array([-2.2, -0.7, 0.4, 1.9])
    return {
        "PReLU's dL/dalpha agrees with a numerical derivative in alpha": gradient_check(
            lambda a: np.sum(upstream * leaky_relu(x_prelu, a[0])), np.array([0.25]),
            np.array([prelu_alpha_gradient(x_prelu, upstream)])) < 1e-7,
        "ELU levels off at -1 and has slope 1 on both sides of 0":
            abs(elu([-10.0])[0] + 1) < 1e-4 and np.allclose(elu_derivative([-1e-9, 1e-9]), 1.0),
        "ELU's derivative agrees with a numerical one":
            gradient_check(lambda v: np.sum(elu(v)), elu_points, elu_derivative(elu_points)) < 1e-7,
        "softplus is at most ln 2 above ReLU, at 0": abs(gap.max() - np.log(2)) < 1e-12 and x[gap.argmax()] == 0.0,
        "softplus's derivative is the sigmoid": gradient_check(lambda v: np.sum(softplus(v)), points, sigmoid) < 1e-7,
        "ReLU is the maxout of z and 0, Leaky ReLU of z and alpha z":
            np.array_equal(np.maximum(z, 0.0), relu(z)) and np.allclose(np.maximum(z, 0.1 * z), leaky_relu(z, 0.1)),
        "SELU keeps a standard normal at mean 0 and variance 1":
            abs(selu_mean) < 1e-6 and abs(selu_variance - 1) < 1e-6,
        "SELU pulls a variance of 4 and of 0.25 back towards 1 in 10 layers":
            1 < variance_after_layers(selu, 1.0, 4.0) < 1.5 and 0.75 < variance_after_layers(selu, 1.0, 0.25) < 1,
        "ReLU with He's weights keeps any variance": abs(variance_after_layers(relu, 2.0, 4.0) - 4) < 1e-6
        and abs(variance_after_layers(relu, 2.0, 0.25) - 0.25) < 1e-6,
    }


def prelu_alpha_gradient(x, upstream):
    """PReLU (He et al. 2015) learns alpha. Since d/dalpha max(alpha x, x) is x where x < 0 and 0 elsewhere,
    dL/dalpha = sum of upstream * x over the negative inputs (one alpha shared by all of them)."""
    x = as_float_array(x, "x")
    upstream = as_float_array(upstream, "upstream")
    if upstream.shape != x.shape:
        raise ValueError(f"upstream must have the shape of x {x.shape}, got {upstream.shape}")
    return float(np.sum(upstream * np.minimum(x, 0.0)))


def make_activation(name, alpha=None):
    """An nnlite activation by name; `alpha` is used (and required) only for "leaky_relu"."""
    check_choice(name, "name", NAMES)
    if name == "leaky_relu":
        if alpha is None:
            raise ValueError("alpha must be given for 'leaky_relu' (a number in [0, 1)), got None")
        return LeakyReLU(alpha=alpha)
    return get_activation(name)


# One colour per activation in every figure of the notebook (ReLU vermillion, Leaky ReLU blue, GELU green, SiLU
# orange; the other Leaky alphas indigo and wine), so a reader never has to re-learn a legend.
_COLOR = {"relu": 3, ("leaky_relu", 0.1): 0, ("leaky_relu", 0.01): 8, ("leaky_relu", 0.3): 9, "gelu": 2, "silu": 1}


def color(name, alpha=None):
    """The colour of an activation (and Leaky ReLU's alpha) in this notebook's figures."""
    key = (name, alpha) if name == "leaky_relu" else name
    return viz.PALETTE[_COLOR.get(key, 5)]


def label(name, alpha=None):
    """'Leaky ReLU (α=0.1)', 'GELU', ..."""
    return f"{LABELS[name]} (α={alpha:g})" if name == "leaky_relu" else LABELS[name]


def plot_activations(alpha=LEAKY_ALPHA, axes=None, x_range=(-4.0, 4.0)):
    """ReLU, Leaky ReLU, GELU, SiLU and ELU (left) and their derivatives (right), on shared axes.

    ReLU is a thick grey band under the others, so that it shows where another curve lies on it; a slope that
    jumps at 0 (ReLU's, Leaky ReLU's) is drawn with a gap there, not a vertical line, which is not part of it.
    On the right, dotted lines at 0 and 1: GELU's and SiLU's slopes dip below 0 and rise above 1."""
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")[1]
    x = np.linspace(*x_range, 801)
    kink = np.isclose(x, 0.0)
    axes[0].plot(x, np.maximum(x, 0.0), color="0.6", linewidth=6, alpha=0.5, label="ReLU", zorder=1)
    axes[1].plot(x, np.where(kink, np.nan, x > 0), color="0.6", linewidth=6, alpha=0.5, label="ReLU", zorder=1)
    styles = {"leaky_relu": "--", "gelu": "-", "silu": "-."}
    for name in styles:
        act = make_activation(name, alpha if name == "leaky_relu" else None)
        slope = act.derivative(x)
        if name == "leaky_relu":
            slope = np.where(kink, np.nan, slope)
        hue = color(name, alpha if name == "leaky_relu" else None)
        axes[0].plot(x, act.forward(x), color=hue, linestyle=styles[name], label=label(name, alpha), zorder=2)
        axes[1].plot(x, slope, color=hue, linestyle=styles[name], label=label(name, alpha), zorder=2)
    axes[0].plot(x, elu(x), color=viz.PALETTE[4], linestyle=":", linewidth=2, label="ELU (α=1)", zorder=2)
    axes[1].plot(x, elu_derivative(x), color=viz.PALETTE[4], linestyle=":", linewidth=2, label="ELU (α=1)", zorder=2)
    for ax in axes:
        ax.axhline(0, color="0.5", linewidth=0.8)
        ax.axvline(0, color="0.5", linewidth=0.8)
        ax.set_xlabel("x")
    axes[1].axhline(1, color="0.5", linewidth=0.8, linestyle=":")
    axes[0].set(ylim=(-1.2, 4.0), ylabel="f(x)", title="The functions: alike for large x, different near 0 and below")
    axes[1].set(ylim=(-0.25, 1.25), ylabel="f'(x)", title="Their slopes: ReLU's is 0 on the whole left side")
    arrow = {"arrowstyle": "->", "color": "0.3", "shrinkA": 2, "shrinkB": 4}
    axes[1].annotate("GELU and SiLU: below 0 here", xy=(-1.6, -0.12), xytext=(-3.95, -0.215), fontsize="small",
                     arrowprops=arrow)
    axes[1].annotate("above 1 here", xy=(1.0, 1.1), xytext=(-1.9, 1.15), fontsize="small", arrowprops=arrow)
    axes[0].legend(loc="upper left", fontsize="small")
    return axes


def off_everywhere(model, X):
    """For each hidden layer, a boolean array: True for the units whose input z is <= 0 for EVERY row of X.

    For ReLU such a unit outputs 0 everywhere and its slope is 0 everywhere: it is dead
    (model.dead_fraction counts them). For Leaky ReLU it still outputs alpha * z and passes alpha."""
    with np.errstate(over="ignore", invalid="ignore"):  # a model with huge weights gives numbers, not warnings
        model.forward(X)
    return [np.all(z <= 0.0, axis=0) for z in model.pre_activations]


def unit_gradients(model, X, y):
    """The size of every hidden unit's gradient on (X, y), per layer: the norm of the gradients of its incoming
    weights and its bias together (its column of dW and its entry of db). A dead ReLU unit gets exactly 0:
    nothing can move it. The norm scales before squaring when it must, so huge gradients give numbers, not
    an overflow."""
    logits = model.forward(X)
    _, dlogits = softmax_cross_entropy_unchecked(logits, np.asarray(y))
    model.zero_grad()
    model.backward(dlogits)
    grads = [np.array([overflow_safe_norm(np.append(column, db))
                       for column, db in zip(layer.dW.T, layer.db, strict=True)])
             for layer in model.layers[:-1]]
    model.zero_grad()
    return grads


def off_unit_gradients(model, X, y):
    """The gradient sizes (see `unit_gradients`) of just the units that are off for every row of X,
    all hidden layers together."""
    grads, off = unit_gradients(model, X, y), off_everywhere(model, X)
    return np.concatenate([g[o] for g, o in zip(grads, off, strict=True)])


def init_gradient_norms(alpha, seeds=SEEDS):
    """The size of the whole gradient (every weight and bias) on the dying experiment's data, before any step,
    one per seed, with Leaky ReLU at `alpha` (0: ReLU). The same seed gives the same initial weights for every
    alpha, so the ratio of two alphas' norms, seed by seed, shows what the leak alone changes."""
    alpha = check_number(alpha, "alpha", low=0.0, high=1.0, high_open=True)
    X, y = dying_data()

    def norm(seed):
        model = MLP(list(DYING["sizes"]), activation=make_activation("leaky_relu", alpha), seed=seed)
        _, dlogits = softmax_cross_entropy_unchecked(model.forward(X), y)
        model.zero_grad()
        model.backward(dlogits)
        return overflow_safe_norm(np.concatenate([np.append(layer.dW.ravel(), layer.db) for layer in model.layers]))

    return np.array(over_seeds(norm, seeds))


@dataclass
class Death:
    """One SGD step that switched a first-layer ReLU unit off for every input (`one_step_death`).

    step: the step (1: the first); unit: which unit of the first hidden layer; lr: the step's learning rate;
    z_before, z_after: the unit's z = w . x + b for every row of the data, before and after the step;
    z_smaller: the same step scaled to the learning rate `smaller_lr` (an illustration, not a run at that rate);
    b_before, b_after: its bias before and after."""

    step: int
    unit: int
    lr: float
    smaller_lr: float
    z_before: np.ndarray
    z_after: np.ndarray
    z_smaller: np.ndarray
    b_before: float
    b_after: float


def one_step_deaths(seed=0, lr=DYING["lr"], smaller_lr=0.3, min_on=0.2, max_steps=None):
    """Train the dying experiment's ReLU network (seed `seed`, learning rate `lr`) step by step for its epochs, and
    yield a `Death` for every step after which a first-layer unit that had been on (z > 0) for at least `min_on`
    of the data is off for all of it. In the first layer z = X w + b is linear in the unit's weights and bias, so
    the same step with a smaller learning rate moves every z by smaller_lr / lr as much: `z_smaller`. Stops after
    `max_steps` steps if given."""
    min_on = check_number(min_on, "min_on", low=0.0, high=1.0)
    X, y = dying_data()
    model = MLP(list(DYING["sizes"]), activation="relu", seed=seed)
    first, step, epochs = model.layers[0], 0, 0
    z_before, b_before = X @ first.W + first.b, first.b.copy()
    for epoch_end in training_steps(model, X, y, batch_size=DYING["batch_size"], lr=lr, seed=seed):
        if epoch_end:
            epochs += 1
            if epochs >= DYING["epochs"]:
                return
            continue
        step += 1
        z_after = X @ first.W + first.b
        for u in np.flatnonzero((np.mean(z_before > 0, axis=0) >= min_on) & np.all(z_after <= 0, axis=0)):
            before, after = z_before[:, u], z_after[:, u]
            yield Death(step, int(u), lr, smaller_lr, before, after, before + smaller_lr / lr * (after - before),
                        float(b_before[u]), float(first.b[u]))
        if max_steps is not None and step >= max_steps:
            return
        z_before, b_before = z_after, first.b.copy()


def one_step_death(seed=0, lr=DYING["lr"], smaller_lr=0.3, min_on=0.2, max_steps=3000):
    """The first of `one_step_deaths`: the first step that switches a first-layer unit off for every input.
    None if no unit dies so within `max_steps` steps."""
    return next(one_step_deaths(seed, lr, smaller_lr, min_on, max_steps), None)


def count_one_step_deaths(lr=DYING["lr"], seeds=DEATH_SEEDS, smaller_lr=0.3):
    """Over the dying experiment's ReLU runs (one per seed, `lr`), how often one step switched a first-layer unit
    from on (for 20 % of the data or more) to off for all of it: (deaths per run, and how many of all those
    deaths the same step at `smaller_lr` would have left on for some point)."""
    deaths = over_seeds(lambda seed: list(one_step_deaths(seed, lr, smaller_lr)), seeds)
    return np.array([len(d) for d in deaths]), sum(np.any(d.z_smaller > 0) for run in deaths for d in run)


def plot_one_step_death(death, ax=None):
    """The unit of a `Death`: its z on every data point, sorted, before the step, after it, and after the same
    step at the smaller learning rate. Points above the dotted line at 0 are where the unit is on."""
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.subplots(figsize=(7.5, 3.4), layout="constrained")[1]
    order = np.argsort(death.z_before)[::-1]
    rank = np.arange(1, len(order) + 1)
    for z, name, color, style in ((death.z_before, "before the step", "0.35", "-"),
                                  (death.z_smaller, f"scaled to lr {death.smaller_lr:g}", viz.PALETTE[0], "--"),
                                  (death.z_after, f"after it, at lr {death.lr:g}", viz.PALETTE[3], "-")):
        on = np.mean(z > 0)
        ax.plot(rank, z[order], color=color, linestyle=style, linewidth=2, label=f"{name}: on for {100 * on:.0f} %")
    ax.axhline(0, color="0.2", linestyle=":", linewidth=1.2)
    ax.set(xlabel="the data points, in the order of z before the step", ylabel="the unit's z = w·x + b",
           title=f"One step switches a first-layer unit off (step {death.step})")
    ax.legend(loc="upper right", fontsize="small")
    return ax


@dataclass
class Run:
    """One training run. Arrays are per epoch; `off`, `dead` and `off_layers` start with the value before training.

    loss, accuracy: the network's loss and accuracy on the training data after each epoch (not the running
    mean of the epoch's mini-batch losses);
    off: share of hidden units that are off (z <= 0) for every input, all layers together;
    dead: share of hidden units that output exactly 0 for every input (model.dead_fraction): for ReLU the
    same as off, for Leaky ReLU always 0 (its output alpha z is 0 only where z is);
    off_layers: (epochs + 1, hidden layers) the share off for every input per layer, input side first.
    diverged: see `blew_up`; a run that stopped being a number stops at that epoch.
    model: the trained network. Runs loaded from the course's tables have none (None), except the ReLU runs of
    `load_dying_runs`, whose weights are saved rounded to float32 (the same units are dead: a test checks it).
    Runs are cached and shared: read them, do not change them."""

    name: str
    alpha: float | None
    lr: float
    seed: int
    loss: np.ndarray
    accuracy: np.ndarray
    off: np.ndarray
    dead: np.ndarray
    off_layers: np.ndarray
    diverged: bool
    model: MLP | None

    @property
    def final_loss(self):
        return float(self.loss[-1]) if len(self.loss) else float("nan")

    @property
    def final_accuracy(self):
        """Training accuracy after the last epoch; 0 for a run that diverged (it predicts nothing useful)."""
        return 0.0 if self.diverged or not len(self.accuracy) else float(self.accuracy[-1])

    def revived(self, layer=None):
        """True if, at some epoch, fewer units were off for every input than the epoch before, in hidden layer
        `layer` (0: the first) or, with None, in any hidden layer: some unit came back on (for ReLU, a dead one)."""
        shares = self.off_layers if layer is None else self.off_layers[:, [layer]]
        return bool(np.any(np.diff(shares, axis=0) < 0))


_DATA = {}
_RUNS = {}


def dying_data():
    """The data of the dying-ReLU experiment: the spiral (n=300, noise=0.2, seed=0)."""
    if "dying" not in _DATA:
        _DATA["dying"] = datasets.spiral(n=DYING["n"], noise=DYING["noise"], seed=0)
    return _DATA["dying"]


def _track(model, X):
    off = off_everywhere(model, X)  # also runs the forward pass that fills hidden_outputs
    dead = np.concatenate([np.all(h == 0.0, axis=0) for h in model.hidden_outputs])
    return np.concatenate(off).mean(), dead.mean(), [o.mean() for o in off]


def blew_up(stopped, losses):
    """True if a training run diverged: fit `stopped` it because the loss was no longer a number, or the last of
    its `losses` (one per epoch) is above EXPLODED, finite but far beyond any trained or guessing network."""
    return stopped or not losses[-1] < EXPLODED


def train_run(name, alpha=None, lr=DYING["lr"], seed=0, epochs=DYING["epochs"]):
    """Train the dying-ReLU experiment's network with one activation, learning rate and seed.

    The same arguments give the same Run object (cached): exercise 2's check and the function it checks
    share their trainings. Leaky ReLU with alpha = 0 is ReLU, and reuses ReLU's run."""
    check_choice(name, "name", NAMES)
    alpha = check_number(alpha, "alpha", low=0.0, high=1.0, high_open=True) if name == "leaky_relu" else None
    lr = check_number(lr, "lr", low=0.0, low_open=True)
    seed = check_int(seed, "seed", minimum=0)
    epochs = check_int(epochs, "epochs", minimum=1)
    if name == "leaky_relu" and alpha == 0.0:
        return train_run("relu", None, lr, seed, epochs)
    key = (name, alpha, lr, seed, epochs)
    if key not in _RUNS:
        X, y = dying_data()
        model = MLP(list(DYING["sizes"]), activation=make_activation(name, alpha), seed=seed)
        records = [_track(model, X)]

        def record(epoch, history):  # after every epoch, its units (its loss on the data: history.train_loss)
            records.append(_track(model, X))

        history = fit(model, X, y, epochs=epochs, batch_size=DYING["batch_size"], lr=lr, seed=seed,
                      on_diverge="stop", callback=record)
        off, dead, off_layers = (np.array(column) for column in zip(*records, strict=True))
        _RUNS[key] = Run(name, alpha, lr, seed, np.array(history.train_loss), np.array(history.epoch_accuracy),
                         off, dead, off_layers, blew_up(history.diverged, history.train_loss), model)
    return _RUNS[key]


def train_seeds(name, alpha=None, lr=DYING["lr"], seeds=SEEDS, epochs=DYING["epochs"]):
    """`train_run` for each seed: the same experiment, repeated, as a list of Runs."""
    return over_seeds(train_run, seeds, name=name, alpha=alpha, lr=lr, epochs=epochs)


@dataclass
class DyingRuns:
    """Section 2's experiment (DYING, learning rate 0.85): `relu` and `leaky` (Leaky ReLU at LEAKY_ALPHA), one Run
    per seed of SEEDS; `deaths` (one count per seed of DEATH_SEEDS) and `left_on`, what `count_one_step_deaths`
    finds when it replays the ReLU runs of DEATH_SEEDS step by step."""

    relu: list
    leaky: list
    deaths: np.ndarray
    left_on: int


def precompute_dying_runs():
    """Train section 2's experiment here (10 to 30 seconds): `train_seeds` with ReLU and with Leaky ReLU, and
    `count_one_step_deaths`. save_dying_runs(precompute_dying_runs()) writes the table the notebook loads."""
    deaths, left_on = count_one_step_deaths(seeds=DEATH_SEEDS)
    return DyingRuns(train_seeds("relu"), train_seeds("leaky_relu", LEAKY_ALPHA), deaths, int(left_on))


DYING_TABLE = Path(__file__).resolve().parent / "data" / "activations_dying_runs.npz"
_DYING_GROUPS = (("relu", None), ("leaky_relu", LEAKY_ALPHA))  # the rows of the table: relu, then leaky


def _dying_settings():
    """What a table of section 2's runs was made for: load_dying_runs refuses a table made for others."""
    return {"experiment": np.array([f"{key}={value!r}" for key, value in DYING.items()]),
            "alpha": np.float64(LEAKY_ALPHA), "seeds": np.array(SEEDS), "death_seeds": np.array(DEATH_SEEDS)}


def save_dying_runs(dying, path=DYING_TABLE):
    """Write a DyingRuns (`precompute_dying_runs()`) as the table the notebook loads, in counts where the runs
    recorded shares, so that nothing is rounded: per run and epoch the training points classified right
    ("correct"), the hidden units off for every input per layer ("off_units") and those that output 0 for every
    input ("dead_units"); the loss as float32; and the ReLU runs' trained weights as float32, one flat vector per
    run (W and b of each layer, input side first), for section 2's gradients of their dead units."""
    n, units, epochs = len(dying_data()[1]), np.array(DYING["sizes"][1:-1]), DYING["epochs"]
    groups = (dying.relu, dying.leaky)
    for group, (name, alpha) in zip(groups, _DYING_GROUPS, strict=True):
        got = [(run.name, run.alpha, run.lr, run.seed) for run in group]
        if got != [(name, alpha, DYING["lr"], seed) for seed in SEEDS] or max(len(run.loss) for run in group) > epochs:
            raise ValueError(f"dying must hold {label(name, alpha)} runs at lr {DYING['lr']:g} of at most {epochs} "
                             f"epochs, one per seed of SEEDS {list(SEEDS)} (precompute_dying_runs()), got "
                             f"{[(label(*r[:2]), r[2], r[3]) for r in got]}")
    shape = (len(groups), len(SEEDS))
    loss, correct = np.full((*shape, epochs), np.nan, np.float32), np.zeros((*shape, epochs), np.int16)
    off_units = np.zeros((*shape, epochs + 1, len(units)), np.uint8)
    dead_units = np.zeros((*shape, epochs + 1), np.uint8)
    for g, group in enumerate(groups):
        for s, run in enumerate(group):
            done = len(run.loss)
            loss[g, s, :done] = run.loss
            correct[g, s, :done] = np.round(run.accuracy * n)
            off_units[g, s, :done + 1] = np.round(run.off_layers * units)
            dead_units[g, s, :done + 1] = np.round(run.dead * units.sum())
    save_table(path, {**_dying_settings(), "loss": loss, "correct": correct, "off_units": off_units,
                      "dead_units": dead_units, "epochs_done": np.array([[len(r.loss) for r in g] for g in groups]),
                      "diverged": np.array([[r.diverged for r in g] for g in groups]),
                      "relu_weights": np.array([flat_parameters(run.model) for run in dying.relu], dtype=np.float32),
                      "deaths": np.asarray(dying.deaths), "left_on": np.int64(dying.left_on)})


def load_dying_runs(path=DYING_TABLE):
    """Section 2's experiment as saved with the course, a DyingRuns: the runs trained once, on one computer, by
    `precompute_dying_runs`, with the same records as runs trained here; the ReLU runs with their trained
    networks (weights rounded to float32), the Leaky ones without (model None)."""
    table = load_table(path, "dying runs", "save_dying_runs(precompute_dying_runs())",
                       {"loss", "correct", "off_units", "dead_units", "epochs_done", "diverged", "relu_weights",
                        "deaths", "left_on"}, made_for=_dying_settings())
    sizes, epochs = list(DYING["sizes"]), DYING["epochs"]
    n, units, shape = len(dying_data()[1]), np.array(sizes[1:-1]), (len(_DYING_GROUPS), len(SEEDS))
    n_weights = sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True))
    expected = {"loss": (*shape, epochs), "correct": (*shape, epochs), "off_units": (*shape, epochs + 1, len(units)),
                "dead_units": (*shape, epochs + 1), "epochs_done": shape, "diverged": shape,
                "relu_weights": (len(SEEDS), n_weights), "deaths": (len(DEATH_SEEDS),)}
    for key, want in expected.items():
        if table[key].shape != want:
            raise ValueError(f"{path}: {key} must have the shape {want}, got {table[key].shape}; regenerate it with "
                             "save_dying_runs(precompute_dying_runs())")
    groups = []
    for g, (name, alpha) in enumerate(_DYING_GROUPS):
        group = []
        for s, seed in enumerate(SEEDS):
            done, off_units = table["epochs_done"][g, s], table["off_units"][g, s].astype(float)
            model = (set_flat_parameters(MLP(list(DYING["sizes"]), activation="relu", seed=seed),
                                         table["relu_weights"][s]) if name == "relu" else None)
            group.append(Run(name, alpha, DYING["lr"], seed, table["loss"][g, s, :done].astype(float),
                             table["correct"][g, s, :done] / n, off_units[:done + 1].sum(axis=1) / units.sum(),
                             table["dead_units"][g, s, :done + 1] / units.sum(), off_units[:done + 1] / units,
                             bool(table["diverged"][g, s]), model))
        groups.append(group)
    return DyingRuns(*groups, table["deaths"], int(table["left_on"]))


def dead_at_init(init="he", bias=0.0, seeds=SEEDS):
    """The dying experiment's ReLU networks before any training, one row per seed: the share of each hidden
    layer's units that are dead on its data, with initialisation `init` ("he", "xavier" or "normal") and
    every bias set to `bias` (0 is nnlite's default).

    With zero biases the initialisation's scale cannot matter: the weights of one seed are the same normal
    draws times one positive number per layer, and relu(c z) = c relu(z) for c > 0, so the same units are off.
    The draws themselves do matter (not only their signs: sign(W) kills other units), and so does the
    distribution they come from (a uniform one with He's variance draws other weights)."""
    bias = check_number(bias, "bias")
    X = dying_data()[0]

    def dead_share(seed):
        model = MLP(list(DYING["sizes"]), activation="relu", init=init, seed=seed)
        for layer in model.layers:
            layer.b[:] = bias
        return model.dead_fraction(X)

    return np.array(over_seeds(dead_share, seeds))


def _strip(ax, groups, key, colors, percent=True, hollow=(), words=None):
    """One dot per seed for each group (NaN values left out), a bar at the median, and the median written
    under the group's name, to one decimal (the dots show the range; the x label says so). Where values were
    left out, the label says how many runs the median is of: "3.1 %" of 2 runs is not "3.1 %" of 10. Groups
    named in `hollow` get open circles and a dashed bar; `words` ({name: word}) puts a word before a median."""
    rng = np.random.default_rng(0)  # a fixed sideways jitter, so that equal values do not hide each other
    labels = []
    for i, (name, color) in enumerate(zip(groups, colors, strict=True)):
        values = np.array([key(item) for item in groups[name]], dtype=float)
        values = values[~np.isnan(values)]
        face = "none" if name in hollow else color
        ax.plot(i + rng.uniform(-0.18, 0.18, len(values)), values, "o", color=color, markerfacecolor=face,
                alpha=0.7, markersize=6)
        if len(values):
            ax.plot([i - 0.3, i + 0.3], [np.median(values)] * 2, color="0.15", linewidth=2.5,
                    linestyle="--" if name in hollow else "-")
        middle = np.median(values) if len(values) else None
        counted = f"\n(of {len(values)} runs)" if 0 < len(values) < len(groups[name]) else ""
        word = (words or {}).get(name, "")
        labels.append(f"{name}\n" + ("no values" if middle is None else word + (" " if word else "") +
                                     (f"{100 * middle:.1f} %" if percent else f"{middle:.2g}")) + counted)
    ax.set_xticks(range(len(labels)), labels, fontsize="small")
    ax.set_xlim(-0.6, len(labels) - 0.4)
    ax.set_xlabel("bar, and number under each name: the median over the seeds", fontsize="small")


def _seeds_words(groups):
    """The text alternative of `plot_seeds`: each group's medians and how many of its runs diverged."""
    parts = []
    for name, runs in groups.items():
        kept = [run for run in runs if not run.diverged]
        what = "dead" if all(run.name == "relu" for run in runs) else "off for every input (not dead)"
        text = f"{name}, {len(runs)} runs"
        if kept:
            text += (f": median share of units {what} {100 * np.median([r.off[-1] for r in kept]):.0f} %, "
                     f"median training accuracy {100 * np.median([r.final_accuracy for r in kept]):.0f} %")
        if len(kept) < len(runs):
            text += f"; {len(runs) - len(kept)} diverged (medians of the other {len(kept)})"
        parts.append(text)
    return ("Figure: for each group, one dot per seed. Left, the share of hidden units off for every input at "
            "the end; right, the final training accuracy; a cross at the bottom marks a run that diverged. "
            + "; ".join(parts) + ".")


def plot_seeds(groups, axes=None):
    """For {name: [Run, ...]}: left, the share of hidden units off for every input at the end (dead, for ReLU: a
    filled dot, a solid bar, "dead" under the name; for the other activations, whose off units are not dead and
    may still learn: an open dot, a dashed bar, "off"), one dot per seed; right, the final training accuracy,
    with a dotted line where a network that guesses one of 3 classes would be. A run that diverged has no share
    and no accuracy: it is a cross at the bottom of the right panel, with a count, and left out of the medians
    (the label says of how many runs they are). The bar is the median."""
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")[1]
    colors = [color(runs[0].name, runs[0].alpha) for runs in groups.values()]
    seeds = "/".join(sorted({str(len(runs)) for runs in groups.values()}))
    not_dead = [name for name, runs in groups.items() if any(run.name != "relu" for run in runs)]
    words = {name: "off" if name in not_dead else "dead" for name in groups}
    _strip(axes[0], groups, lambda run: np.nan if run.diverged else run.off[-1], colors, hollow=not_dead,
           words=words)
    _strip(axes[1], groups, lambda run: np.nan if run.diverged else run.final_accuracy, colors)
    for i, (runs, hue) in enumerate(zip(groups.values(), colors, strict=True)):
        blown = sum(run.diverged for run in runs)
        if blown:
            axes[1].plot([i], [0.0], "x", color=hue, markersize=9, markeredgewidth=2.5, clip_on=False)
            axes[1].text(i + 0.12, 0.02, f"{blown} diverged", fontsize="small", color="0.3", va="bottom")
    axes[0].set(ylim=(-0.03, 1.03), ylabel="share off for every input",
                title=f"Off for every input at the end, {seeds} seeds\n"
                      "● filled: ReLU, dead (gradient 0 now)   ○ open: off, not dead")
    axes[1].set(ylim=(-0.03, 1.03), ylabel="training accuracy", title="Training accuracy (×: runs that diverged)")
    axes[1].axhline(1 / 3, color="0.6", linestyle=":", linewidth=1)
    axes[1].text(len(groups) - 0.45, 1 / 3, "guessing (1 in 3)", ha="right", va="bottom", fontsize="small",
                 color="0.4")
    viz.set_text_alternative(axes[0].figure, _seeds_words(groups))
    return axes


def compare_activations(choices=COMPARED, seeds=SEEDS[:10], settings=None):
    """Train the same network on the same split with each activation and each seed.

    Returns a list of dicts, one per activation: "label", "train_loss" (the trained network's loss on the
    training data), "test_loss" and "test_accuracy" (its loss and accuracy on the test data), one number per
    seed (a run that diverged: losses inf, accuracy 0), and the medians of the first and the last. Only the
    activation changes between rows."""
    s = dict(COMPARE, **(settings or {}))
    split = _compare_split(s)
    rows = []
    for name, alpha in choices:
        runs = over_seeds(_compared_run, seeds, name=name, alpha=alpha, settings=s, split=split)
        rows.append(_comparison_row(name, alpha, *(np.array(column) for column in zip(*runs, strict=True))))
    return rows


def _comparison_row(name, alpha, train_loss, test_loss, test_accuracy):
    """One activation's row of `compare_activations`, from its numbers per seed."""
    return {"name": name, "alpha": alpha, "label": label(name, alpha), "train_loss": train_loss,
            "test_loss": test_loss, "test_accuracy": test_accuracy, "median_train_loss": float(np.median(train_loss)),
            "median_test_accuracy": float(np.median(test_accuracy))}


def _compared_run(name, alpha, seed, settings, split):
    """One run of the fair comparison on `split` (_compare_split): (training loss, test loss, test accuracy) of
    the trained network; a run that diverged: (inf, inf, 0)."""
    X_train, y_train, X_test, y_test = split
    model = MLP(list(settings["sizes"]), activation=make_activation(name, alpha), seed=seed)
    with np.errstate(over="ignore", invalid="ignore"):  # a run that blows up gives numbers, not warnings
        history = fit(model, X_train, y_train, epochs=settings["epochs"], batch_size=settings["batch_size"],
                      lr=settings["lr"], seed=seed, on_diverge="stop")
        train_loss = evaluate(model, X_train, y_train)[0]
        test_loss, accuracy = evaluate(model, X_test, y_test)
    return (np.inf, np.inf, 0.0) if blew_up(history.diverged, [train_loss]) else (train_loss, test_loss, accuracy)


def _compare_split(s):
    X, y = datasets.spiral(n=s["n"], noise=s["noise"], seed=0)
    return datasets.train_test_split(X, y, test_fraction=s["test_fraction"], seed=0)


def wrong_point_losses(name, alpha=None, lr=1.0, seeds=SEEDS[:10]):
    """Where a trained network's test loss comes from: the fair comparison's network, trained at `lr`, seed by seed.

    Returns two lists, one entry per seed: the cross-entropy of each test point it classifies wrongly (in nats,
    -ln of the probability it gave the true class), and the share of the whole test loss those points carry."""
    s = dict(COMPARE, lr=lr)
    X_train, y_train, X_test, y_test = _compare_split(s)

    def wrong_points(seed):
        model = MLP(list(s["sizes"]), activation=make_activation(name, alpha), seed=seed)
        fit(model, X_train, y_train, epochs=s["epochs"], batch_size=s["batch_size"], lr=lr, seed=seed)
        logits = model.forward(X_test)
        loss = -log_softmax(logits, axis=1)[np.arange(len(y_test)), y_test]
        wrong = np.argmax(logits, axis=1) != y_test
        return loss[wrong], loss[wrong].sum() / loss.sum()

    costs, shares = zip(*over_seeds(wrong_points, seeds), strict=True)
    return list(costs), list(shares)


def plot_comparison(rows, axes=None):
    """The fair comparison, one dot per seed: test accuracy (left) and final training loss (right)."""
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")[1]
    groups = {row["label"]: row for row in rows}
    colors = [color(row["name"], row["alpha"]) for row in rows]
    for ax, key, percent in ((axes[0], "test_accuracy", True), (axes[1], "train_loss", False)):
        _strip(ax, {name: list(row[key]) for name, row in groups.items()}, float, colors, percent)
    axes[0].set(ylim=(0.85, 1.005), ylabel="test accuracy", title="Test accuracy: 1 test point = 1 %")
    axes[1].set(yscale="log", ylabel="final training loss", title="Training loss (same lr for all)")
    return axes


@dataclass
class Sweep:
    """`compare_activations` at several learning rates: arrays indexed (activation, learning rate, seed).

    names, alphas: the activations (as in `COMPARED`); lrs, seeds: the learning rates and the seeds;
    train_loss, test_loss, test_accuracy: what `compare_activations` returns for each run."""

    names: tuple
    alphas: tuple
    lrs: np.ndarray
    seeds: np.ndarray
    train_loss: np.ndarray
    test_loss: np.ndarray
    test_accuracy: np.ndarray

    @property
    def labels(self):
        return [label(name, alpha) for name, alpha in zip(self.names, self.alphas, strict=True)]

    def median(self, what):
        """The median over the seeds of "train_loss", "test_loss" or "test_accuracy": (activation, lr)."""
        return np.median(getattr(self, what), axis=2)

    def best(self):
        """Each activation's best learning rate (index into lrs): the one with the lowest median training loss."""
        return np.argmin(self.median("train_loss"), axis=1)

    def at_best(self, what):
        """The median of `what` at each activation's own best learning rate."""
        return self.median(what)[np.arange(len(self.names)), self.best()]

    def rows(self, lr):
        """The runs at learning rate `lr`, one of `lrs`, as `compare_activations` returns them: the sweep's runs at
        COMPARE["lr"] are the fair comparison's, the same numbers (a test trains them again and compares)."""
        at = [float(value) for value in self.lrs]
        j = at.index(check_choice(lr, "lr", at))
        return [_comparison_row(name, alpha, self.train_loss[i, j], self.test_loss[i, j], self.test_accuracy[i, j])
                for i, (name, alpha) in enumerate(zip(self.names, self.alphas, strict=True))]


def sweep_learning_rates(lrs=SWEEP_LRS, seeds=SEEDS[:10], choices=COMPARED, settings=None):
    """The fair comparison at every learning rate in `lrs`, the same seeds for each: a Sweep (a minute)."""
    rows = [compare_activations(choices, seeds, dict(settings or {}, lr=lr)) for lr in lrs]
    table = {what: np.array([[row[what] for row in at_lr] for at_lr in rows]).transpose(1, 0, 2)
             for what in ("train_loss", "test_loss", "test_accuracy")}
    return Sweep(tuple(name for name, _ in choices), tuple(alpha for _, alpha in choices),
                 np.array(lrs, dtype=float), np.array(seeds), **table)


SWEEP_TABLE = Path(__file__).resolve().parent / "data" / "lr_sweep.npz"


def save_lr_sweep(sweep, path=SWEEP_TABLE):
    """Write a Sweep as the table the notebook loads. Regenerate it with ``save_lr_sweep(sweep_learning_rates())``."""
    save_table(path, {"names": np.array(sweep.names),
                      "alphas": np.array([np.nan if a is None else a for a in sweep.alphas]), "lrs": sweep.lrs,
                      "seeds": sweep.seeds, "train_loss": sweep.train_loss, "test_loss": sweep.test_loss,
                      "test_accuracy": sweep.test_accuracy})


def load_lr_sweep(path=SWEEP_TABLE):
    """The learning-rate sweep saved with the course (`sweep_learning_rates()`, trained on one machine)."""
    table = load_table(path, "sweep", "save_lr_sweep(sweep_learning_rates())",
                       {"names", "alphas", "lrs", "seeds", "train_loss", "test_loss", "test_accuracy"})
    shape = (len(table["names"]), len(table["lrs"]), len(table["seeds"]))
    for what in ("train_loss", "test_loss", "test_accuracy"):
        if table[what].shape != shape:
            raise ValueError(f"{path}: {what} must have the shape (activations, lrs, seeds) = {shape}, "
                             f"got {table[what].shape}")
    alphas = tuple(None if np.isnan(alpha) else float(alpha) for alpha in table["alphas"])
    return Sweep(tuple(str(name) for name in table["names"]), alphas, table["lrs"], table["seeds"],
                 table["train_loss"], table["test_loss"], table["test_accuracy"])


def plot_lr_sweep(sweep, axes=None):
    """Left: each activation's median training loss (over the seeds) at each learning rate; right: the median
    test accuracy at the same learning rates. A dotted line marks the one learning rate of the same-settings
    comparison (COMPARE). No marker for each one's best: bests at the same learning rate would be drawn on top
    of each other, so the notebook prints them as a table (`Sweep.best`)."""
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")[1]
    train, accuracy = sweep.median("train_loss"), sweep.median("test_accuracy")
    styles = ["-", "--", "-", "-."]
    hues = [color(name, alpha) for name, alpha in zip(sweep.names, sweep.alphas, strict=True)]
    for i, (name, hue, style) in enumerate(zip(sweep.labels, hues, styles, strict=False)):
        axes[0].plot(sweep.lrs, train[i], "o", color=hue, linestyle=style, label=name)
        axes[1].plot(sweep.lrs, accuracy[i], "o", color=hue, linestyle=style, label=name)
    for ax in axes:
        ax.axvline(COMPARE["lr"], color="0.5", linestyle=":", linewidth=1.2)
        ax.set_xscale("log")
        ax.set_xticks(sweep.lrs, [f"{lr:g}" for lr in sweep.lrs])
        ax.minorticks_off()
        ax.set_xlabel("learning rate")
    n = len(sweep.seeds)
    axes[0].set(yscale="log", ylabel="median training loss",
                title=f"Training loss, median of {n} seeds")
    axes[1].set(ylim=(0.5, 1.0), ylabel="median test accuracy", title=f"Test accuracy, median of {n} seeds")
    axes[0].text(COMPARE["lr"] * 1.04, 0.02, "same lr for all (above)", transform=axes[0].get_xaxis_transform(),
                 fontsize="small", color="0.4")
    axes[0].legend(loc="upper center", fontsize="small")
    return axes


class LeakyView:
    """Leaky ReLU (left) and its derivative (right) under an alpha slider, ReLU faint behind them."""

    def __init__(self, x_range=(-4.0, 4.0)):
        self.x = np.linspace(*x_range, 401)
        self.live = LiveRow(2, panel_size=(4.6, 3.6))
        self.ax_f, self.ax_d = self.live.subplots(1, 2)
        self.ax_f.plot(self.x, np.maximum(self.x, 0), color="0.7", linewidth=4, alpha=0.6, label="ReLU")
        self.ax_d.plot(self.x, (self.x > 0).astype(float), color="0.7", linewidth=4, alpha=0.6, label="ReLU'")
        self.f_line = self.ax_f.plot(self.x, self.x, color=viz.PALETTE[0], label="Leaky ReLU")[0]
        self.d_line = self.ax_d.plot(self.x, self.x, color=viz.PALETTE[1], label="its derivative")[0]
        self.probe = self.ax_f.plot([-3.0], [0.0], "o", color=viz.PALETTE[3], markersize=8, label="f(-3)")[0]
        for ax in (self.ax_f, self.ax_d):
            ax.axhline(0, color="0.5", linewidth=0.8)
            ax.axvline(0, color="0.5", linewidth=0.8)
            ax.set_xlabel("x")
            ax.set_xlim(*x_range)
        self.ax_f.set(ylim=(-2.2, 4.2), ylabel="f(x) = max(αx, x)", title="Negative inputs leak through, scaled by α")
        self.ax_d.set(ylim=(-0.1, 1.2), ylabel="f'(x)", title="Slope α on the left: never 0 if α > 0")
        self.ax_f.legend(loc="upper left")
        self.ax_d.legend(loc="upper left")
        self.live.animate(self.f_line, self.d_line, self.probe)

    def show(self, alpha):
        self.f_line.set_ydata(leaky_relu(self.x, alpha))
        self.d_line.set_ydata(leaky_relu_derivative(self.x, alpha))
        self.probe.set_ydata([alpha * -3.0])
        self.live.redraw()


def leaky_explorer(alpha=LEAKY_ALPHA):
    """An alpha slider over Leaky ReLU and its derivative."""
    view = LeakyView()
    summary = text_line()

    def update(alpha):
        view.show(alpha)
        if alpha == 0:
            note = "α = 0 is plain ReLU: every negative input gives 0, and the slope there is 0."
        else:
            note = (f"f(-3) = {alpha * -3:.2f} and f(-1) = {-alpha:.2f}: different inputs, different outputs "
                    f"(divide by α to get x back). The slope left of 0 is {alpha:.2f}, so "
                    f"{alpha:.0%} of the gradient gets through.")
        summary.value = f"<b>α = {alpha:.2f}</b>. {note}"

    controls = {"alpha": slider("α (slope for x < 0)", 0.0, 0.5, 0.01, alpha)}
    return Panel(update, controls, [summary, view.live.widget], title="Leaky ReLU: f(x) = max(αx, x)",
                 parts={"view": view, "summary": summary})


def precompute_panel_runs(lrs=PANEL_LRS, alphas=ALPHAS, seeds=PANEL_SEEDS, epochs=DYING["epochs"]):
    """Every run the training panel can show: each activation (Leaky ReLU at every alpha) at every lr, every seed.
    Returns {(name, alpha or None, lr): [Run per seed]}."""
    return {(name, alpha, lr): train_seeds(name, alpha, lr, seeds, epochs)
            for lr in lrs for name in NAMES for alpha in (alphas if name == "leaky_relu" else (None,))}


PANEL_TABLE = Path(__file__).resolve().parent / "data" / "panel_runs.npz"
_RUN_ARRAYS = ("loss", "accuracy", "off", "dead", "off_layers")  # per run, NaN-padded to the longest


def save_panel_runs(runs, path=PANEL_TABLE):
    """Write `precompute_panel_runs()` as the compressed table the notebook loads (`load_panel_runs`).
    Regenerate it with ``save_panel_runs(precompute_panel_runs())`` after changing the experiment."""
    keys = list(runs)
    flat = [run for key in keys for run in runs[key]]
    table = {"names": np.array([k[0] for k in keys]), "alphas": np.array([np.nan if k[1] is None else k[1]
                                                                         for k in keys]),
             "lrs": np.array([k[2] for k in keys], dtype=float), "seeds": np.array([run.seed for run in flat]),
             # each run's own activation: Leaky ReLU at alpha 0 is ReLU's run (train_run)
             "run_names": np.array([run.name for run in flat]),
             "run_alphas": np.array([np.nan if run.alpha is None else run.alpha for run in flat]),
             "group_sizes": np.array([len(runs[k]) for k in keys]),
             "diverged": np.array([run.diverged for run in flat])}
    for name in _RUN_ARRAYS:
        arrays = [np.asarray(getattr(run, name), dtype=float) for run in flat]
        longest = max(len(a) for a in arrays)
        padded = np.full((len(arrays), longest, *arrays[0].shape[1:]), np.nan)
        for row, a in zip(padded, arrays, strict=True):
            row[:len(a)] = a
        table[name], table[f"{name}_lengths"] = padded, np.array([len(a) for a in arrays])
    save_table(path, table)


def load_panel_runs(path=PANEL_TABLE):
    """The panel's runs as saved with the course: {(name, alpha or None, lr): [Run per seed]}, the same
    shape as `precompute_panel_runs()` returns, without the trained models (model is None)."""
    table = load_table(path, "panel", "save_panel_runs(precompute_panel_runs())",
                       {"names", "alphas", "lrs", "seeds", "run_names", "run_alphas", "group_sizes", "diverged",
                        *_RUN_ARRAYS, *(f"{name}_lengths" for name in _RUN_ARRAYS)})
    runs, i = {}, 0
    for name, alpha, lr, size in zip(table["names"], table["alphas"], table["lrs"], table["group_sizes"], strict=True):
        key = (str(name), None if np.isnan(alpha) else float(alpha), float(lr))
        group = []
        for _ in range(size):
            arrays = {a: table[a][i][:table[f"{a}_lengths"][i]] for a in _RUN_ARRAYS}
            run_alpha = table["run_alphas"][i]
            group.append(Run(str(table["run_names"][i]), None if np.isnan(run_alpha) else float(run_alpha), key[2],
                             int(table["seeds"][i]), **arrays, diverged=bool(table["diverged"][i]), model=None))
            i += 1
        runs[key] = group
    return runs


class TrainingView:
    """Three panels: the activation and its slope; the training loss per epoch, one line per seed (an X
    where a run diverged); the share of hidden units off for every input, one line per seed."""

    def __init__(self, n_seeds, epochs=DYING["epochs"], x_range=(-4.0, 4.0)):
        self.x = np.linspace(*x_range, 401)
        self.live = LiveRow(3, panel_size=(4.2, 3.6))
        self.ax_act, self.ax_loss, self.ax_off = self.live.subplots(1, 3)
        self.f_line = self.ax_act.plot(self.x, self.x, color=viz.PALETTE[0], label="f(x)")[0]
        self.d_line = self.ax_act.plot(self.x, self.x, color=viz.PALETTE[1], linestyle="--", label="f'(x)")[0]
        self.ax_act.axhline(0, color="0.5", linewidth=0.8)
        self.ax_act.axvline(0, color="0.5", linewidth=0.8)
        self.ax_act.set(xlim=x_range, ylim=(-1.2, 3.0), xlabel="x", title="The activation and its slope")
        self.ax_act.legend(loc="upper left")
        style = {"color": viz.PALETTE[0], "linewidth": 1.2, "alpha": 0.6}
        self.loss_lines = [self.ax_loss.plot([], [], **style)[0] for _ in range(n_seeds)]
        self.blowups = self.ax_loss.plot([], [], "X", color=viz.PALETTE[3], markersize=10, label="diverged")[0]
        self.ax_loss.set(xlim=(0, epochs + 2), ylim=(1e-4, 5), yscale="log", xlabel="epoch", ylabel="training loss",
                         title=f"Training loss, {n_seeds} seeds")
        self.ax_loss.legend(loc="lower left")
        self.off_lines = [self.ax_off.plot([], [], **dict(style, color=viz.PALETTE[3]))[0] for _ in range(n_seeds)]
        self.ax_off.set(xlim=(0, epochs), ylim=(0, 1), xlabel="epoch", ylabel="share of hidden units",
                        title="Units off for every input")
        self.live.animate(self.f_line, self.d_line, self.blowups, *self.loss_lines, *self.off_lines)

    def show(self, act, runs, key=None):
        """Draw `act` and `runs`; `key` names them (a state drawn before under it is not drawn again)."""
        self.f_line.set_ydata(act.forward(self.x))
        self.d_line.set_ydata(act.derivative(self.x))
        for loss_line, off_line, run in zip(self.loss_lines, self.off_lines, runs, strict=True):
            loss_line.set_data(np.arange(1, len(run.loss) + 1), np.clip(run.loss, 1e-4, 5))
            off_line.set_data(np.arange(len(run.off)), run.off)
        diverged = [run for run in runs if run.diverged]
        self.blowups.set_data([len(run.loss) + 1 for run in diverged], [3.0] * len(diverged))
        self.live.redraw(key=key)


def describe_runs(runs):
    """What the seeds of one setting did, in words (for the panel)."""
    first = runs[0]
    head = f"<b>{label(first.name, first.alpha)}, lr={first.lr:g}, {len(runs)} seeds</b>"
    diverged = sum(run.diverged for run in runs)
    done = [run for run in runs if not run.diverged]
    parts = [f"<b>{diverged} diverged</b> (the loss stopped being a number)"] if diverged else []
    if done:
        off = spread([run.off[-1] for run in done])
        parts.append(f"units dead (0 for every input, gradient 0): <b>{off}</b>" if first.name == "relu" else
                     f"units off for every input (they still pass α of the gradient): <b>{off}</b>"
                     if first.name == "leaky_relu" else f"units off for every input: {off}")
        parts.append(f"training accuracy {spread([run.final_accuracy for run in done])}")
    return f"{head}: " + "; ".join(parts) + "."


def training_explorer(runs=None):
    """Activation, alpha and learning rate over precomputed runs of several seeds (computed now if not given)."""
    runs = precompute_panel_runs() if runs is None else runs
    lrs = sorted({key[2] for key in runs})
    alphas = sorted({key[1] for key in runs if key[0] == "leaky_relu"})
    if not lrs or not alphas:
        raise ValueError("runs must hold Leaky ReLU runs at one or more alphas: pass precompute_panel_runs()")
    n_seeds = max(len(group) for group in runs.values())
    view = TrainingView(n_seeds, epochs=max(max(len(run.off) - 1 for run in group) for group in runs.values()))
    summary = text_line()
    controls = {
        "name": dropdown("activation", [(LABELS[n], n) for n in NAMES], value="leaky_relu"),
        "alpha": selection_slider("α (Leaky ReLU only)", alphas, LEAKY_ALPHA if LEAKY_ALPHA in alphas else alphas[0]),
        "lr": dropdown("learning rate", lrs, value=max(lrs)),
    }

    def update(name, alpha, lr):
        controls["alpha"].disabled = name != "leaky_relu"
        key = (name, alpha if name == "leaky_relu" else None, lr)
        if key not in runs or len(runs[key]) != n_seeds:
            raise ValueError(f"no precomputed runs ({n_seeds} seeds) for {label(name, alpha)} at lr={lr:g}")
        view.show(make_activation(name, alpha if name == "leaky_relu" else None), runs[key], key)
        summary.value = describe_runs(runs[key])

    for (name, alpha, lr), group in runs.items():  # every state drawn now (14: +0.3 s), so no move draws
        if len(group) == n_seeds:
            update(name, LEAKY_ALPHA if alpha is None else alpha, lr)

    return Panel(update, controls, [summary, view.live.widget], title="Train with each activation (precomputed)",
                 parts={"view": view, "summary": summary})


# What the notebook says about its results, one claim per entry (the notebook and the tests check the same ones)

def fits(runs):
    """How many of `runs` fit the training data: 99 % or more of its points right (a run that diverged does not)."""
    return sum(run.final_accuracy >= 0.99 for run in runs)


def median_accuracy(runs):
    """The median final training accuracy over the runs that did not diverge."""
    return float(np.median([run.final_accuracy for run in runs if not run.diverged]))


def median_off(runs, epoch=-1):
    """The median share of hidden units off for every input after `epoch` (0: before training), over the runs that
    did not diverge (a run that diverged has no units worth counting)."""
    return float(np.median([run.off[epoch] for run in runs if not run.diverged]))


def sweep_lessons(sweep, saved=False):
    """Section 4's claims about the learning-rate sweep. The first ones hold for a sweep trained again on any kernel;
    with `saved`, also the counts of the sweep saved with the course."""
    medians, train, lrs = sweep.median("train_loss"), sweep.at_best("train_loss"), list(sweep.lrs)
    at_03, at_1, silu, gelu = lrs.index(0.3), lrs.index(1.0), sweep.names.index("silu"), sweep.names.index("gelu")
    others = [i for i in range(len(sweep.names)) if i != silu]
    higher = [int(np.sum(sweep.test_loss[i, at_1] > sweep.test_loss[i, at_03])) for i in range(len(sweep.names))]
    lessons = {
        "at lr 0.3 every seed reaches 90 % test accuracy or more, and ReLU's median is within 2 points of Leaky's":
            sweep.test_accuracy[:, at_03].min() >= 0.9
            and abs(np.diff(sweep.median("test_accuracy")[:2, at_03])[0]) <= 0.02,
        "at lr 0.3 SiLU's median training loss is over 1.5 times every other's":
            all(medians[silu, at_03] > 1.5 * medians[i, at_03] for i in others),
        "every activation's best learning rate is 0.6 or more": bool(np.all(sweep.lrs[sweep.best()] >= 0.6)),
        "at their own best, within a factor of 2": train.max() < 2 * train.min(),
        "at their own best, every median test accuracy 95 % or more":
            bool(np.all(sweep.at_best("test_accuracy") >= 0.95)),
        "at their own best, the test loss over 10 times the training loss":
            bool(np.all(sweep.at_best("test_loss") > 10 * train)),
        "the same median test accuracy, 98 %, at lr 0.3 and at lr 1":
            bool(np.all(sweep.median("test_accuracy")[:, [at_03, at_1]] == 0.98)),
        "the test loss higher at lr 1 than at lr 0.3 in 8 or more of the 10 seeds for ReLU, Leaky ReLU and SiLU":
            all(higher[i] >= 8 for i in others if i != gelu) and higher[silu] >= 8,
    }
    if saved:
        failed = np.sum(sweep.train_loss > 0.1, axis=2)
        lessons.update({
            "saved: runs above a training loss of 0.1, 2 1 0 0 at lr 1 and 8 7 1 3 at lr 1.5":
                failed[:, at_1].tolist() == [2, 1, 0, 0] and failed[:, -1].tolist() == [8, 7, 1, 3],
            "saved: at lr 1.5 ReLU's median test accuracy is 74 %, Leaky's 88.5 %":
                np.allclose(sweep.median("test_accuracy")[:2, -1], [0.74, 0.885]),
            "saved: the test loss higher at lr 1 in 9, 10, 5 and 10 of the 10 seeds": higher == [9, 10, 5, 10],
        })
    return lessons


def leaky_lessons(alpha=LEAKY_ALPHA):
    """Section 1's claims about Leaky ReLU at `alpha`, on a few inputs either side of 0."""
    leaky, x = LeakyReLU(alpha), np.array([-3.0, -1.0, 0.5, 2.0])
    out, points = leaky.forward(x), np.array([-2.5, -0.4, 0.3, 1.7])  # points away from the kink at 0
    return {
        "f and f' at -3, -1, 0.5, 2 are alpha x and alpha left of 0, x and 1 right of it": np.allclose(
            out, np.where(x > 0, x, alpha * x)) and np.allclose(leaky.derivative(x), np.where(x > 0, 1.0, alpha)),
        "its outputs can be undone": np.allclose(np.where(out > 0, out, out / alpha), x),
        "two Leaky units build the line x, (f(x) - f(-x)) / (1 + alpha)":
            np.allclose((out - leaky.forward(-x)) / (1 + alpha), x),
        "the lab's leaky_relu agrees with nnlite's LeakyReLU": np.allclose(out, leaky_relu(x, alpha)),
        "nnlite's default alpha is 0.01": LeakyReLU().alpha == 0.01,
        "max(alpha x, x) is not Leaky ReLU for alpha = 2 (at x = -1)": np.maximum(2 * -1.0, -1.0) != 2 * -1.0,
        "f'(0) is alpha": leaky.derivative(np.zeros(1))[0] == alpha,
        "f' agrees with a numerical derivative":
            gradient_check(lambda v: np.sum(leaky.forward(v)), points, leaky.derivative(points)) < 1e-7,
    }


def smooth_lessons(gelu, silu, left, right):
    """The appendix's claims about GELU and SiLU on grids `left` (x <= 0) and `right` (x >= 0)."""
    lessons, points = {}, np.array([-2.2, -0.7, 0.4, 1.9])
    for name, act in (("GELU", gelu), ("SiLU", silu)):
        low, slope = np.argmin(act.forward(left)), act.derivative(left)
        lessons.update({
            f"{name} is flat at its lowest point": abs(slope[low]) < 1e-4,
            f"{name} falls everywhere left of it": np.all(slope[:low] < 0),
            f"{name} is steeper than 1 somewhere right of 0": act.derivative(right).max() > 1.05,
            f"{name}'s slope left of 0 is at most its 0.5 at 0": np.all(slope <= 0.5)
            and act.derivative(np.array([0.0]))[0] == 0.5,
            f"{name}'s derivative agrees with a numerical one":
                gradient_check(lambda v, act=act: np.sum(act.forward(v)), points, act.derivative(points)) < 1e-7,
        })
    far_silu = silu.derivative(np.array([-3.0, -4.0, -6.0]))
    lessons.update({
        "the lowest values are -0.1700 and -0.2785": abs(gelu.forward(left).min() + 0.1700) < 1e-4
        and abs(silu.forward(left).min() + 0.2785) < 1e-4,
        "the most negative slopes are -0.129 and -0.100": abs(gelu.derivative(left).min() + 0.129) < 1e-3
        and abs(silu.derivative(left).min() + 0.100) < 1e-3,
        "the slopes at -3 are -0.0116, -0.0881 and ELU's e^-3": np.allclose(
            [gelu.derivative(np.array([-3.0]))[0], far_silu[0], elu_derivative([-3.0])[0]],
            [-0.0116, -0.0881, np.exp(-3)], atol=1e-4),
        "GELU's slope fades fast (below 0.001 from -4 on), SiLU's slowly (-0.053, -0.012 at -4, -6)":
            np.abs(gelu.derivative(np.linspace(-12, -4, 801))).max() < 1e-3
            and np.allclose(far_silu[1:], [-0.053, -0.012], atol=1e-3),
    })
    return lessons


def gain_lessons(gains, q_first):
    """The appendix's claims about `gains(q)`: {activation: the next z's variance over q, under He's weights}."""
    one, here, tiny = gains(1.0), gains(q_first), gains(1e-4)
    return {
        "He's variance keeps ReLU's: gain 1": abs(one["ReLU"] - 1) < 1e-6 and abs(here["ReLU"] - 1) < 1e-6,
        "GELU and SiLU pass on less, SiLU least": one["SiLU"] < one["GELU"] < 0.9,
        "a smaller z loses more still": here["SiLU"] < here["GELU"] < one["GELU"] - 0.1,
        "for a tiny z their gain tends to 1/2": all(0.5 < tiny[n] < 0.52 for n in ("GELU", "SiLU")),
        "He's Leaky variance is 0, 1, 8 % below 2/n_in for alpha 0.01, 0.1, 0.3":
            [round(100 * (1 - 1 / (1 + a**2))) for a in (0.01, 0.1, 0.3)] == [0, 1, 8],
        "and 2/n_in is 0, 1, 9 % above it": [round(100 * a**2) for a in (0.01, 0.1, 0.3)] == [0, 1, 9],
    }


def dying_lessons(relu_runs, leaky_runs):
    """Section 2's claims about its 20 seeds at lr 0.85, each with a wide margin (they hold on every kernel)."""
    trained = [run for run in leaky_runs if not run.diverged]
    peak = [float(np.median([run.off.max() for run in runs])) for runs in (relu_runs, trained)]
    return {
        "more Leaky runs fit the training data": fits(leaky_runs) > fits(relu_runs),
        "the median Leaky run fits it": median_accuracy(leaky_runs) > 0.97,
        "no ReLU run diverged": not any(run.diverged for run in relu_runs),
        "the median ReLU run ends with more than 25 % dead, Leaky with fewer than 20 % off":
            median_off(relu_runs) > 0.25 > 0.2 > median_off(leaky_runs),
        "at the peak too, fewer Leaky units are off": peak[1] + 0.05 < peak[0],
    }


def panel_lessons(runs, saved=False):
    """Section 5's claims about the panel's runs {(activation, alpha, lr): runs}. The first ones hold for runs
    trained again on any kernel; with `saved`, also the facts of the runs saved with the course."""
    def at(name, alpha=None, lr=DYING["lr"]):
        return runs[(name, alpha, lr)]

    relu, leaky01, leaky03 = at("relu"), at("leaky_relu", 0.1), at("leaky_relu", 0.3)
    slow = [at("relu", lr=0.3), at("leaky_relu", 0.1, 0.3)]
    lessons = {
        "alpha 0.01 leaves many units off, 0.1 few": median_off(at("leaky_relu", 0.01)) > 0.2 > median_off(leaky01),
        "alpha 0.3 diverges on 2 or more seeds, more than 0.1": sum(r.diverged for r in leaky03) >= 2
        and sum(r.diverged for r in leaky03) > sum(r.diverged for r in leaky01),
        "GELU and SiLU: the median run fits the training data": all(
            np.median([r.final_accuracy for r in at(n)]) > 0.95 for n in ("gelu", "silu")),
        "fewer ReLU runs fit it than GELU or SiLU runs": fits(relu) < min(fits(at(n)) for n in ("gelu", "silu")),
        "the median ReLU run starts with under 10 % dead and ends with over 25 % at lr 0.85":
            median_off(relu, 0) < 0.1 and median_off(relu) > 0.25,
        "at lr 0.3 it ends under 10 %, within 5 points of where it started":
            median_off(slow[0]) < 0.1 and abs(median_off(slow[0]) - median_off(slow[0], 0)) < 0.05,
        "at lr 0.3 every ReLU and Leaky ReLU run fits the training data": min(
            r.final_accuracy for group in slow for r in group) >= 0.99,
    }
    if saved:
        silu_worst = max(at("silu"), key=lambda run: run.off[-1])
        paired = [np.sign(a.final_accuracy - b.final_accuracy)  # alpha 0.01 against ReLU, seed by seed
                  for a, b in zip(at("leaky_relu", 0.01), relu, strict=True)]
        lessons.update({
            "saved: alpha 0.3 diverged in 5 or more runs, 0.1 in at most 2": sum(r.diverged for r in leaky03) >= 5
            and sum(r.diverged for r in leaky01) <= 2,
            "saved: one SiLU run ends with most units off and under 90 % accuracy":
                silu_worst.off[-1] > 0.5 > median_off(at("silu")) and silu_worst.final_accuracy < 0.9,
            "saved: one GELU run trained badly": min(r.final_accuracy for r in at("gelu") if not r.diverged) < 0.6,
            "saved: at lr 0.3 every run of every activation fits": all(
                fits(group) == len(group) for (_, _, lr), group in runs.items() if lr == 0.3),
            "saved: alpha 0.01 against ReLU seed by seed: ahead on 6, behind on 2, seed 0 among them":
                paired.count(1) == 6 and paired.count(-1) == 2 and paired[0] == -1,
        })
    return lessons


# Exercises (checked in the notebook)

LEAKY_OF_MINUS_2 = NumberExercise(
    "Leaky ReLU of x = -2 with alpha = 0.1",
    expected=-0.2,
    mistakes=[
        Mistake(0.0, "0 is what plain ReLU gives. Leaky ReLU lets a scaled copy of a negative input through."),
        Mistake(0.2, "Check the sign: alpha * x with x = -2 is negative."),
        Mistake(-2.0, "That is x itself, the right-hand branch. For x <= 0 the output is alpha * x."),
        Mistake(-20.0, "You divided by alpha. The left branch multiplies: alpha * x."),
        Mistake(-0.02, "That uses alpha = 0.01, nnlite's default: this exercise gives its own alpha."),
        Mistake(-1.9, "The left branch multiplies x by alpha; it does not add alpha."),
    ],
    hint="Reread section 1 (Leaky ReLU): which branch does a negative input take, and what does that branch compute?",
    why="max(0.1 * -2, -2) = max(-0.2, -2) = -0.2: a negative input keeps its sign and a tenth of its size.",
)

def _told_apart(reference, mistakes, cases):
    """The mistakes whose outputs on `cases` differ from the reference's and from every earlier kept mistake's. The
    cases are training runs, and which seed loses which unit depends on the computer's arithmetic: a slip these runs
    cannot tell from the right answer (or from another slip) gets no hint of its own here, instead of a check that
    fails to build."""
    def output(fn, case):  # a slip may raise (a forgotten alpha): its error's type is then its output
        try:
            with np.errstate(all="ignore"):
                return f"{float(fn(*case)):.9g}"
        except Exception as error:  # any slip's error is an output to tell apart
            return type(error).__name__

    def outputs(fn):
        return tuple(output(fn, case) for case in cases)

    seen, kept = {outputs(reference)}, []
    for mistake in mistakes:
        if outputs(mistake.answer) not in seen:
            seen.add(outputs(mistake.answer))
            kept.append(mistake)
    return kept


def _share_off():
    def runs(name, lr, seeds, alpha=LEAKY_ALPHA):  # alpha is only for Leaky ReLU; the runs are cached
        return train_seeds(name, alpha if name == "leaky_relu" else None, lr, seeds)

    def middle(values, average=np.median):  # a slip that drops every run (seeds 0 to 4 at lr 1.2): nan, no warning
        return float(average(values)) if len(values) else float("nan")

    def median_of(name, lr, seeds, at=lambda run: run.off[-1]):
        return middle([at(run) for run in runs(name, lr, seeds) if not run.diverged])

    cases = [("relu", 0.85, (0, 1, 2, 3, 4)), ("leaky_relu", 0.85, (0, 1, 2, 3, 4)), ("relu", 0.3, (0, 1, 2)),
             ("leaky_relu", 0.3, (2, 3, 4)), ("relu", 0.85, (5, 6, 7)), ("relu", 0.85, (11,)),
             ("leaky_relu", 0.85, (13,)), ("relu", 0.85, (15,)),  # one seed: its own run, unlike seeds 0 to 4
             ("leaky_relu", 1.2, tuple(range(12)))]  # 4 to 9 of these 12 diverged, over the kernels we tried
    mistakes = [
        Mistake(lambda name, lr, seeds: 100 * median_of(name, lr, seeds),
                "Your numbers are 100 times too large: run.off holds shares (0.43), not percentages (43)."),
        Mistake(lambda name, lr, seeds: middle([r.off[-1] for r in runs(name, lr, seeds) if not r.diverged], np.mean),
                "That is the mean over the runs. The notebook reports the median, which one extreme run "
                "cannot pull."),
        Mistake(lambda name, lr, seeds: float(np.median([r.off[-1] for r in runs(name, lr, seeds)])),
                "Your median counts the runs that diverged too (run.diverged is True): a network whose loss blew "
                "up says nothing about dying units. Leave those runs out, as the task says."),
        Mistake(lambda name, lr, seeds: middle([r.off[-1] for r in train_seeds(name, lr=lr, seeds=seeds)
                                                if not r.diverged]),
                "For Leaky ReLU, lab.train_seeds needs its alpha: pass alpha=0.1 (ReLU ignores it), as in "
                "section 2's cell."),
        Mistake(lambda name, lr, seeds: median_of(name, lr, seeds, at=lambda run: run.off.max()),
                "That is each run's peak, the largest share at any epoch. The exercise asks for the share at the "
                "end of training: the last entry of run.off."),
        Mistake(lambda name, lr, seeds: median_of(name, lr, seeds, at=lambda run: run.off[0]),
                "That is the share before training (run.off starts with it): the exercise asks for the end, the "
                "last entry."),
        Mistake(lambda name, lr, seeds: median_of(name, lr, seeds, at=lambda run: run.dead[-1]),
                "run.dead counts units that output exactly 0, which a Leaky unit never does. Count the units "
                "off for every input, run.off, which for ReLU are the dead ones."),
        Mistake(lambda name, lr, seeds: median_of(name, DYING["lr"], seeds),
                "Your function ignores its learning rate: it trains at 0.85 whatever it is given. Pass lr=lr "
                "to lab.train_seeds."),
        Mistake(lambda name, lr, seeds: median_of(name, lr, SEEDS[:5]),
                "Your function ignores its seeds: it trains seeds 0 to 4 whatever it is given. Pass "
                "seeds=seeds to lab.train_seeds."),
    ]
    return FunctionExercise(
        "share_off(name, lr, seeds): the median share of hidden units off for every input at the end",
        reference=median_of, cases=cases, time_limit=20.0, mistakes=_told_apart(median_of, mistakes, cases),
        hint="Reread section 2 (dying ReLU): lab.train_seeds gives one run per seed, and each run's off holds the "
             "share of hidden units off for every input, before training and after each epoch.",
        why="Now run it at both rates, for both activations, in a new cell, and compare before you read on in the "
            "notebook: at which rate does the leak make a difference? Five seeds are few: try other seeds before "
            "you trust a difference.",
    )


SHARE_OFF = BuiltOnFirstUse(_share_off)


def _draw_leaky_case(rng):
    """A float array of any shape (0-d, one element, a row, a small matrix), zeros and tiny positive entries
    included (a threshold just above 0 shows), and an alpha in [0, 1) or outside it, often with all its digits
    (an alpha rounded on the way shows): PReLU learns alpha, so it can end above 1 or below 0."""
    shape = [(), (1,), (int(rng.integers(2, 7)),), tuple(int(k) for k in rng.integers(1, 4, 2))][rng.integers(4)]
    x = rng.integers(-4, 5, shape) * rng.choice([0.5, 1.0, 100.0, 1e-4, 1e-9])
    if x.size > 1 and rng.random() < 0.5:
        x.flat[rng.integers(x.size)] = rng.choice([1e-20, 1e-12, 1e-6, 3e-4, 1e-3])
    alpha = rng.choice([0.0, 0.01, 0.1, 0.25, 0.5, 1.0, 1.5, 3.0, -0.5, rng.uniform(-1.0, 3.0), rng.uniform(0.0, 0.1)])
    return np.asarray(x, dtype=float), float(alpha)


def _branches(x, alpha):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, alpha * x)


LEAKY_FUNCTION = FunctionExercise(
    "leaky_relu(x, alpha) for a NumPy array x and any alpha",
    reference=_branches,
    cases=[(np.array([-2.0, 0.0, 3.0]), 1.5), (np.array([-2.0, 0.0, 3.0]), 0.1), (np.array([-1.0, -4.0]), 0.1),
           (np.array([[-1.0, 2.0], [3.0, -4.0]]), 0.05), (np.array([-5.0, 5.0]), -0.5),
           (np.array(-400.0), 0.123456789), (np.array([1e-30, 1e-9, 5e-4, 1e-3, -1e-3]), 0.0123456789)],
    draw=_draw_leaky_case,
    atol=0.0,  # relative tolerance only (rtol 1e-6, not bit-exact: float32 passes): a tiny input must not become 0
    mistakes=[
        Mistake(lambda x, alpha: np.maximum(alpha * np.asarray(x), x),
                "max(alpha x, x) is Leaky ReLU only while alpha <= 1 (section 1): for alpha = 1.5 it picks "
                "1.5 x on the right too. Choose each element's branch by the sign of x instead."),
        Mistake(lambda x, alpha: np.minimum(alpha * np.asarray(x), x),
                "min(alpha x, x) is right only for alpha >= 1: for alpha = 0.1 it picks 0.1 x on the right. "
                "Choose each element's branch by the sign of x instead."),
        Mistake(lambda x, alpha: LeakyReLU(alpha).forward(x),
                "nnlite's LeakyReLU (and everything built on it) accepts only 0 <= alpha < 1, and a learned alpha "
                "can be anything: write the two branches yourself."),
        Mistake(lambda x, alpha: np.maximum(x, 0.0),
                "That is plain ReLU: negative inputs become 0. Leaky ReLU keeps alpha times them."),
        Mistake(lambda x, alpha: np.where(np.asarray(x) > 0, alpha * np.asarray(x), x),
                "The branches are swapped: positive inputs should pass unchanged, negative ones be scaled."),
        Mistake(lambda x, alpha: np.where(np.asarray(x) > 0, x, alpha),
                "Negative inputs all become the constant alpha. Multiply them by alpha instead."),
        Mistake(lambda x, alpha: alpha * np.asarray(x),
                "Every input is scaled by alpha, the positive ones too. Only the negative ones should be."),
        Mistake(lambda x, alpha: np.where(np.asarray(x) > 0, x, -alpha * np.asarray(x)),
                "Your negative inputs come out with the wrong sign: the left branch is alpha times x itself."),
    ],
    hint="Reread section 1 (Leaky ReLU): each element takes one of two branches, chosen by its sign.",
    why="np.where(x > 0, x, alpha * x) picks, element by element, x or alpha * x, for any alpha; "
        "np.maximum(alpha * x, x) gives the same only for alpha <= 1.",
)

DEAD_BIAS = NumberExercise(
    "the bias of a dead first-layer ReLU unit after one SGD step",
    expected=-3.0,
    mistakes=[
        Mistake(-5.0, "That step used a slope of 1 at the unit. Its z is negative for every example: "
                      "what is relu'(z) there, and what does that do to dL/db?"),
        Mistake(-1.0, "That step went uphill, and it used a slope of 1 at the unit. What is relu'(z) for z < 0?"),
        Mistake(-3.2, "That would be a Leaky ReLU unit with alpha = 0.1, which passes a tenth of the gradient. "
                      "This one is a ReLU."),
        Mistake(0.0, "An SGD step does not set the bias to a new value: it moves it from where it was, by minus the "
                     "learning rate times dL/db. What is dL/db for this unit, and so where does b end up?"),
        Mistake(-7.0, "That step used a slope of 1 and forgot the learning rate. Start from relu'(z) for z < 0."),
        Mistake(-3.5, "That step subtracted the learning rate itself, as if dL/db were 1. What gradient reaches "
                      "the bias of a unit whose z is negative for every example?"),
    ],
    hint="Reread section 2 (dying ReLU): what gradient reaches the weights and bias of a unit whose z is negative "
         "for every example?",
    why="relu'(z) = 0 for every example, so every term dL/dh_i * relu'(z_i) of dL/db is 0 (each example's term "
        "has its own slope), dL/db = 0, and b stays at -3: the unit stays dead, "
        "and in the first layer (fixed inputs), with plain SGD, nothing can ever change that (momentum or Adam "
        "still move it for a while on what they remember).",
)

DEAD_COMEBACK = ChoiceExercise(
    "what can switch a dead ReLU unit of the second hidden layer back on",
    expected="the layer before it",
    options=["nothing", "its own gradient", "a larger learning rate", "the layer before it"],
    mistakes=[
        Mistake("nothing", "That is true in the first hidden layer, whose inputs are the fixed data. Here "
                           "z = w . h + b, and h is the output of the first layer: does that layer still learn?"),
        Mistake("its own gradient", "Its slope relu'(z) is 0 for every example, so the gradient of its own weights and "
                                    "bias is exactly 0: SGD does not move them."),
        Mistake("a larger learning rate", "SGD moves its weights by the learning rate times their gradient, and that "
                                          "gradient is exactly 0: any learning rate times 0 is 0."),
    ],
    hint="Reread section 2 (dying ReLU): which gradient is exactly 0 for a dead unit, and what else does its z "
         "depend on?",
    why="Its own weights and bias get a gradient of exactly 0, but its inputs h are the first layer's outputs, and "
        "the first layer keeps learning from its other paths. When h changes, z can rise above 0 for some example: "
        "in section 2 a dead unit in a deeper layer came back on in at least half of the ReLU runs.",
)
