"""Notebook 06: Leaky ReLU, dying ReLU, and the smooth activations modern models use.

* `leaky_explorer`: f(x) = max(alpha x, x) and its derivative, live under an alpha slider;
* `train_run`: one seeded training run that records, epoch by epoch, the loss and the share of
  hidden units that are off for every input (for ReLU those units are dead: they output 0 and
  pass no gradient); runs are cached, so the notebook and the panel share them;
* `compare_activations`: ReLU, Leaky ReLU, GELU and SiLU on the same task, seeds and settings;
* `training_explorer`: activation, alpha and learning rate, over precomputed runs.
"""

from dataclasses import dataclass

import numpy as np

from .. import datasets, viz
from .._validate import check_choice, check_int, check_number
from ..activations import LeakyReLU, get_activation
from ..losses import _softmax_cross_entropy
from ..model import MLP
from ..training import evaluate, fit
from ..widgets import LiveFigure, Panel, dropdown, selection_slider, slider, text_line

NAMES = ("relu", "leaky_relu", "gelu", "silu")
LABELS = {"relu": "ReLU", "leaky_relu": "Leaky ReLU", "gelu": "GELU", "silu": "SiLU (swish)"}
ALPHAS = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5)  # the alphas the training panel has runs for
LEAKY_ALPHA = 0.1  # the Leaky ReLU of the experiments
# The dying-ReLU experiment: a deep-ish network, a learning rate on the high side.
DYING = {"data": "spiral", "n": 300, "noise": 0.2, "sizes": (2, 32, 32, 32, 3), "epochs": 100, "batch_size": 32}
PANEL_LRS = (0.3, 1.0)
# The fair comparison: one task, one architecture, one learning rate, several seeds.
COMPARE = {"n": 400, "noise": 0.3, "sizes": (2, 32, 32, 3), "epochs": 60, "batch_size": 32, "lr": 0.3,
           "test_fraction": 0.25}


def leaky_relu(x, alpha=0.01):
    """max(alpha x, x) for 0 <= alpha < 1: x where x > 0, alpha x elsewhere (nnlite's LeakyReLU)."""
    return LeakyReLU(alpha).forward(x)


def leaky_relu_derivative(x, alpha=0.01):
    """1 where x > 0, alpha elsewhere: never 0 when alpha > 0, so the gradient always gets through."""
    return LeakyReLU(alpha).derivative(x)


def make_activation(name, alpha=None):
    """An nnlite activation by name; `alpha` is used (and required) only for "leaky_relu"."""
    check_choice(name, "name", NAMES)
    if name == "leaky_relu":
        if alpha is None:
            raise ValueError("alpha must be given for 'leaky_relu' (a number in [0, 1)), got None")
        return LeakyReLU(alpha=alpha)
    return get_activation(name)


def label(name, alpha=None):
    """'Leaky ReLU (α=0.1)', 'GELU', ..."""
    return f"{LABELS[name]} (α={alpha:g})" if name == "leaky_relu" else LABELS[name]


def off_everywhere(model, X):
    """For each hidden layer, a boolean array: True for the units whose input z is <= 0 for EVERY row of X.

    For ReLU such a unit outputs 0 everywhere and its slope is 0 everywhere: it is dead
    (model.dead_fraction counts them). For Leaky ReLU it still outputs alpha * z and passes alpha."""
    model.forward(X)
    return [np.all(z <= 0.0, axis=0) for z in model.pre_activations]


def unit_gradients(model, X, y):
    """The size of every hidden unit's weight gradient on (X, y), per layer: the norm of its column of
    dW plus |db|. A dead ReLU unit gets exactly 0: nothing can move it."""
    logits = model.forward(X)
    _, dlogits = _softmax_cross_entropy(logits, np.asarray(y))
    model.zero_grad()
    model.backward(dlogits)
    grads = [np.sqrt((layer.dW**2).sum(axis=0)) + np.abs(layer.db) for layer in model.layers[:-1]]
    model.zero_grad()
    return grads


def off_unit_gradients(model, X, y):
    """The gradient sizes (see `unit_gradients`) of just the units that are off for every row of X,
    all hidden layers together."""
    grads, off = unit_gradients(model, X, y), off_everywhere(model, X)
    return np.concatenate([g[o] for g, o in zip(grads, off, strict=True)])


@dataclass
class Run:
    """One training run. Arrays are per epoch; `off` and `dead` start with the value before training.

    off: share of hidden units that are off for every input (all layers together);
    dead: share of hidden units that output exactly 0 for every input (model.dead_fraction);
    dead_layers: (epochs + 1, hidden layers) the same per layer, input side first.
    Runs are cached and shared: read them, do not change them."""

    name: str
    alpha: float | None
    lr: float
    seed: int
    loss: np.ndarray
    accuracy: np.ndarray
    off: np.ndarray
    dead: np.ndarray
    dead_layers: np.ndarray
    diverged: bool
    model: MLP

    @property
    def final_loss(self):
        return float(self.loss[-1]) if len(self.loss) else float("nan")

    @property
    def final_accuracy(self):
        return float(self.accuracy[-1]) if len(self.accuracy) else float("nan")


_DATA = {}
_RUNS = {}


def dying_data():
    """The data of the dying-ReLU experiment: the spiral (n=300, noise=0.2, seed=0)."""
    if "dying" not in _DATA:
        _DATA["dying"] = datasets.spiral(n=DYING["n"], noise=DYING["noise"], seed=0)
    return _DATA["dying"]


def _track(model, X):
    off = np.concatenate(off_everywhere(model, X))
    dead = [np.all(h == 0.0, axis=0) for h in model.hidden_outputs]
    return off.mean(), np.concatenate(dead).mean(), [d.mean() for d in dead]


def train_run(name, alpha=None, lr=1.0, seed=0, epochs=DYING["epochs"]):
    """Train the dying-ReLU experiment's network with one activation, learning rate and seed.

    The same arguments give the same Run object (cached): the notebook's experiment and the panel
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
        off, dead, dead_layers = [], [], []

        def record(epoch=None, history=None):
            o, d, per_layer = _track(model, X)
            off.append(o)
            dead.append(d)
            dead_layers.append(per_layer)

        record()

        history = fit(model, X, y, epochs=epochs, batch_size=DYING["batch_size"], lr=lr, seed=seed,
                      on_diverge="stop", callback=record)
        _RUNS[key] = Run(name, alpha, lr, seed, np.array(history.epoch_loss), np.array(history.epoch_accuracy),
                         np.array(off), np.array(dead), np.array(dead_layers), history.diverged, model)
    return _RUNS[key]


def precompute_panel_runs(lrs=PANEL_LRS, alphas=ALPHAS, seed=0, epochs=DYING["epochs"]):
    """Every run the training panel can show: each activation (Leaky ReLU at every alpha) at every lr.
    Returns {(name, alpha or None, lr): Run}."""
    runs = {}
    for lr in lrs:
        for name in NAMES:
            for alpha in (alphas if name == "leaky_relu" else (None,)):
                runs[(name, alpha, lr)] = train_run(name, alpha, lr, seed, epochs)
    return runs


def compare_activations(choices=(("relu", None), ("leaky_relu", LEAKY_ALPHA), ("gelu", None), ("silu", None)),
                        seeds=(0, 1, 2), settings=None):
    """Train the same network on the same split with each activation and each seed.

    Returns a list of dicts, one per activation: "label", "train_loss" and "test_accuracy" (one
    number per seed) and their means. Only the activation changes between rows."""
    s = dict(COMPARE, **(settings or {}))
    X, y = datasets.spiral(n=s["n"], noise=s["noise"], seed=0)
    X_train, y_train, X_test, y_test = datasets.train_test_split(X, y, test_fraction=s["test_fraction"], seed=0)
    rows = []
    for name, alpha in choices:
        losses, accuracies = [], []
        for seed in seeds:
            model = MLP(list(s["sizes"]), activation=make_activation(name, alpha), seed=seed)
            history = fit(model, X_train, y_train, epochs=s["epochs"], batch_size=s["batch_size"], lr=s["lr"],
                          seed=seed)
            losses.append(history.epoch_loss[-1])
            accuracies.append(evaluate(model, X_test, y_test)[1])
        rows.append({"name": name, "alpha": alpha, "label": label(name, alpha), "train_loss": np.array(losses),
                     "test_accuracy": np.array(accuracies), "mean_train_loss": float(np.mean(losses)),
                     "mean_test_accuracy": float(np.mean(accuracies))})
    return rows


def format_comparison(rows):
    """The comparison as a fixed-width text table."""
    lines = [f"{'activation':<20}{'train loss per seed':<22}{'mean':>7}   {'test accuracy per seed':<23}{'mean':>6}",
             "-" * 81]
    for r in rows:
        per_loss = " ".join(f"{v:.4f}" for v in r["train_loss"])
        per_acc = " ".join(f"{v:.1%}" for v in r["test_accuracy"])
        lines.append(f"{r['label']:<20}{per_loss:<22}{r['mean_train_loss']:>7.4f}   {per_acc:<23}"
                     f"{r['mean_test_accuracy']:>6.1%}")
    return "\n".join(lines)


def plot_activations(alpha=LEAKY_ALPHA, axes=None, x_range=(-4.0, 4.0)):
    """ReLU, Leaky ReLU, GELU and SiLU (left) and their derivatives (right), on shared axes."""
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")[1]
    x = np.linspace(*x_range, 801)
    styles = {"relu": "-", "leaky_relu": "--", "gelu": "-", "silu": "-."}
    for name, color in zip(NAMES, viz.PALETTE, strict=False):
        act = make_activation(name, alpha if name == "leaky_relu" else None)
        kwargs = {"color": color, "linestyle": styles[name], "label": label(name, alpha)}
        axes[0].plot(x, act.forward(x), **kwargs)
        axes[1].plot(x, act.derivative(x), **kwargs)
    for ax in axes:
        ax.axhline(0, color="0.5", linewidth=0.8)
        ax.axvline(0, color="0.5", linewidth=0.8)
        ax.set_xlabel("x")
    axes[0].set(ylim=(-1.0, 4.0), ylabel="f(x)", title="The functions: alike for large x, different near 0 and below")
    axes[1].set(ylim=(-0.25, 1.25), ylabel="f'(x)", title="Their slopes: only ReLU's is exactly 0 on the left")
    axes[0].legend(loc="upper left")
    return axes


def plot_dying(relu_runs, leaky_runs, axes=None):
    """Left: training loss per epoch. Right: share of hidden units off for every input (dead, for ReLU)."""
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(1, 2, figsize=(11, 3.6), layout="constrained")[1]
    for runs, color in ((relu_runs, viz.PALETTE[3]), (leaky_runs, viz.PALETTE[0])):
        for i, run in enumerate(runs):
            name = label(run.name, run.alpha)
            epochs = np.arange(1, len(run.loss) + 1)
            axes[0].plot(epochs, run.loss, color=color, alpha=0.85, linewidth=1.5,
                         label=name if i == 0 else None)
            axes[1].plot(np.arange(len(run.off)), run.off, color=color, alpha=0.85, linewidth=1.5,
                         label=(f"{name}: off everywhere = dead" if run.name == "relu" else
                                f"{name}: off everywhere, but not dead") if i == 0 else None)
    axes[0].set(yscale="log", xlabel="epoch", ylabel="training loss", ylim=(1e-4, 5),
                title="Same network, same lr = 1.0, 3 seeds each")
    axes[1].set(xlabel="epoch", ylabel="share of hidden units", ylim=(0, 1), title="Units off for every input")
    axes[0].legend(loc="lower left")
    axes[1].legend(loc="upper right", fontsize="small")
    return axes


class LeakyView:
    """Leaky ReLU and its derivative under an alpha slider, ReLU faint behind them."""

    def __init__(self, x_range=(-4.0, 4.0)):
        self.x = np.linspace(*x_range, 401)
        self.live = LiveFigure(figsize=(9, 3.6))
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
        self.ax_d.set(ylim=(-0.1, 1.2), ylabel="f'(x)", title="Slope α on the left: never exactly 0 if α > 0")
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
    panel = Panel(update, controls, [summary, view.live.widget], title="Leaky ReLU: f(x) = max(αx, x)")
    panel.view = view
    panel.summary = summary
    return panel


class TrainingView:
    """Left: the activation and its slope. Middle: training loss per epoch, with ReLU in grey for
    reference. Right: the share of hidden units that are off for every input, per epoch."""

    def __init__(self, epochs=DYING["epochs"], x_range=(-4.0, 4.0)):
        self.x = np.linspace(*x_range, 401)
        self.live = LiveFigure(figsize=(12, 3.6))
        self.ax_act, self.ax_loss, self.ax_off = self.live.subplots(1, 3)
        self.f_line = self.ax_act.plot(self.x, self.x, color=viz.PALETTE[0], label="f(x)")[0]
        self.d_line = self.ax_act.plot(self.x, self.x, color=viz.PALETTE[1], linestyle="--", label="f'(x)")[0]
        self.ax_act.axhline(0, color="0.5", linewidth=0.8)
        self.ax_act.axvline(0, color="0.5", linewidth=0.8)
        self.ax_act.set(xlim=x_range, ylim=(-1.2, 3.0), xlabel="x", title="The activation and its slope")
        self.ax_act.legend(loc="upper left")
        self.ref_loss = self.ax_loss.plot([], [], color="0.6", linewidth=1.5, label="ReLU, same lr")[0]
        self.loss_line = self.ax_loss.plot([], [], color=viz.PALETTE[0], linewidth=2, label="chosen")[0]
        self.blowup = self.ax_loss.plot([], [], "X", color=viz.PALETTE[3], markersize=12, label="diverged")[0]
        self.ax_loss.set(xlim=(0, epochs), ylim=(1e-4, 5), yscale="log", xlabel="epoch", ylabel="training loss",
                         title="Training loss (seed 0)")
        self.ax_loss.legend(loc="lower left")
        self.ref_off = self.ax_off.plot([], [], color="0.6", linewidth=1.5, label="ReLU, same lr (dead)")[0]
        self.off_line = self.ax_off.plot([], [], color=viz.PALETTE[3], linewidth=2, label="chosen")[0]
        self.ax_off.set(xlim=(0, epochs), ylim=(0, 1), xlabel="epoch", ylabel="share of hidden units",
                        title="Units off for every input")
        self.ax_off.legend(loc="upper left")
        self.live.animate(self.f_line, self.d_line, self.ref_loss, self.loss_line, self.blowup, self.ref_off,
                          self.off_line)

    def show(self, act, run, reference):
        self.f_line.set_ydata(act.forward(self.x))
        self.d_line.set_ydata(act.derivative(self.x))
        for loss_line, off_line, r in ((self.ref_loss, self.ref_off, reference), (self.loss_line, self.off_line, run)):
            loss_line.set_data(np.arange(1, len(r.loss) + 1), np.clip(r.loss, 1e-4, 5))
            off_line.set_data(np.arange(len(r.off)), r.off)
        self.blowup.set_data([len(run.loss) + 1] if run.diverged else [], [3.0] if run.diverged else [])
        self.live.redraw()


def describe_run(run):
    """The numbers of one run, in words (for the panel)."""
    name = label(run.name, run.alpha)
    if run.diverged:
        return (f"<b>{name}, lr={run.lr:g}</b>: training <b>diverged</b> after {len(run.loss)} epochs "
                f"(the loss stopped being a number): this lr is too large for it.")
    off = run.off[-1]
    if run.name == "relu":
        state = f"<b>{run.dead[-1]:.0%} of the hidden units are dead</b> (0 for every input, gradient 0)"
    else:
        state = f"{off:.0%} of the hidden units are off for every input, <b>none dead</b>"
    return (f"<b>{name}, lr={run.lr:g}</b>: final training loss {run.final_loss:.4f}, training accuracy "
            f"{run.final_accuracy:.0%}; {state}.")


def training_explorer(runs=None):
    """Activation, alpha and learning rate over precomputed runs (computed now if not given)."""
    runs = precompute_panel_runs() if runs is None else runs
    lrs = sorted({key[2] for key in runs})
    alphas = sorted({key[1] for key in runs if key[0] == "leaky_relu"})
    if not lrs or not alphas:
        raise ValueError("runs must hold Leaky ReLU runs at one or more alphas: pass precompute_panel_runs()")
    epochs = max(len(run.off) - 1 for run in runs.values())
    view = TrainingView(epochs=max(epochs, 1))
    summary = text_line()
    controls = {
        "name": dropdown("activation", [(LABELS[n], n) for n in NAMES], value="leaky_relu"),
        "alpha": selection_slider("α (Leaky ReLU only)", alphas, LEAKY_ALPHA if LEAKY_ALPHA in alphas else alphas[0]),
        "lr": dropdown("learning rate", lrs, value=max(lrs)),
    }

    def update(name, alpha, lr):
        controls["alpha"].disabled = name != "leaky_relu"
        key = (name, alpha if name == "leaky_relu" else None, lr)
        if key not in runs:
            raise ValueError(f"no precomputed run for {label(name, alpha)} at lr={lr:g}")
        view.show(make_activation(name, alpha if name == "leaky_relu" else None), runs[key], runs[("relu", None, lr)])
        summary.value = describe_run(runs[key])

    panel = Panel(update, controls, [summary, view.live.widget], title="Train with each activation (precomputed)")
    panel.view = view
    panel.summary = summary
    return panel

