"""Notebook 02: from scores to probabilities (softmax) and from probabilities to a loss.

The story: a tiny network forecasts whether it will rain, so that an umbrella is needed. It reads three numbers
about the weather and gives two scores, one for "yes" and one for "no":

    yes score = 0.1 * clouds + 0.1 * humidity - 0.1 * wind = 0.1(50) + 0.1(80) - 0.1(80) = 5
    no score  =                                 0.1 * wind = 0.1(80)                     = 8

(strong wind argues against rain: in this made-up weather it blows the clouds on). Softmax turns the two scores
into probabilities, cross-entropy turns the probability of the right answer into a loss.
"""

import numpy as np

from .. import viz
from .._validate import as_float_array, as_labels, check_choice, check_int, check_number
from ..datasets import batches_unchecked, blobs, spiral, train_val_test_split
from ..exercises import FunctionExercise, Mistake, NumberExercise
from ..layers import Dense
from ..losses import mse_unchecked, softmax_cross_entropy_unchecked, softmax_unchecked
from ..model import MLP
from ..optim import SGD
from ..training import QUIET, evaluate
from ..widgets import LiveRow, Panel, dropdown, slider, text_line

CLASSES = ("yes", "no")  # class 0 = rain: take the umbrella; class 1 = dry: leave it at home
FEATURES = ("clouds (% of sky)", "humidity (%)", "wind (km/h)")
WEATHER = (50.0, 80.0, 80.0)  # clouds, humidity, wind: the day in the notes this course grew from
WEIGHTS = {"w_clouds_yes": 0.1, "w_humidity_yes": 0.1, "w_wind_yes": -0.1, "w_wind_no": 0.1}
SCORE_LIMITS = (-30.0, 30.0)  # the explorer's fixed score axis; larger scores are drawn clipped
LOSS_LIMIT = 8.0  # the explorer's loss axis goes from 0 to this


def weight_matrix(w_clouds_yes=0.1, w_humidity_yes=0.1, w_wind_yes=-0.1, w_wind_no=0.1):
    """The (3, 2) weight matrix of the umbrella network: column 0 makes the yes score, column 1 the no score.

    Only the wind speaks for "no"; clouds and humidity have weight 0 there.
    """
    values = [check_number(v, name) for v, name in
              ((w_clouds_yes, "w_clouds_yes"), (w_humidity_yes, "w_humidity_yes"), (w_wind_yes, "w_wind_yes"),
               (w_wind_no, "w_wind_no"))]
    return np.array([[values[0], 0.0], [values[1], 0.0], [values[2], values[3]]])


def umbrella_layer(**weights):
    """An nl.Dense(3, 2) layer with the umbrella weights (keyword arguments as in weight_matrix) and zero bias."""
    layer = Dense(3, 2, seed=0)
    layer.W[:] = weight_matrix(**weights)
    layer.b[:] = 0.0
    return layer


def naive_softmax(z):
    """exp(z) / sum(exp(z)) exactly as the formula reads: overflows for large scores (shown in the notebook)."""
    z = as_float_array(z, "z", ndim=1)
    e = np.exp(z)
    return e / e.sum()


def decision(clouds=50.0, humidity=80.0, wind=80.0, w_clouds_yes=0.1, w_humidity_yes=0.1, w_wind_yes=-0.1,
             w_wind_no=0.1, truth=1):
    """Everything the network says about one day.

    Returns a dict with "scores" (yes, no), "probs" (softmax of the scores), "loss"
    (cross-entropy: -log of the probability of `truth`, 0 = yes or 1 = no) and
    "dlogits" (probabilities minus the one-hot truth: the gradient of the loss).
    """
    x = np.array([[check_number(clouds, "clouds"), check_number(humidity, "humidity"), check_number(wind, "wind")]])
    W = weight_matrix(w_clouds_yes, w_humidity_yes, w_wind_yes, w_wind_no)
    truth = check_choice(truth, "truth", (0, 1))
    scores = x @ W
    loss, dlogits = softmax_cross_entropy_unchecked(scores, np.array([truth]))
    return {"scores": scores[0], "probs": softmax_unchecked(scores)[0], "loss": loss, "dlogits": dlogits[0]}


def squared_error_on_probabilities(scores, truth):
    """What squared error would make of one example: mean((p - onehot(truth))**2) with p = softmax(scores).

    Returns (loss, dL/dscores). The gradient passes through softmax's derivative,
    dp_i/dz_k = p_i ([i = k] - p_k), so every entry is multiplied by a probability: when the
    right answer's p is tiny, so is the push to raise its score (Goodfellow et al. 2016, 6.2.2.3).
    """
    z = as_float_array(scores, "scores", ndim=1)
    return _squared_error_on_probabilities(z, check_choice(truth, "truth", tuple(range(len(z)))))


def _squared_error_on_probabilities(z, truth):
    loss, dz = _squared_error_batch(z[None, :], np.array([truth]))
    return loss, dz[0]


def _squared_error_batch(logits, y):
    """mean((softmax(logits) - onehot(y))**2) over all N x C entries (as nl.mse), and its gradient:
    each row's dL/dp goes through softmax's Jacobian, dL/dz = p * (dL/dp - sum_j dL/dp_j p_j)."""
    p = softmax_unchecked(logits)
    onehot = np.zeros_like(p)
    onehot[np.arange(len(y)), y] = 1.0
    loss, dp = mse_unchecked(p, onehot)
    return loss, p * (dp - (dp * p).sum(axis=1, keepdims=True))


def first_losses(seeds=range(20)):
    """The loss before training of notebook 01's spiral network, MLP([2, 32, 32, 3]) with ReLU, on its 180
    standardised training rows, one per seed: (as nnlite starts it, with its last layer's W times 0.01).

    Times 0.01 makes every score nearly 0, so the second losses lie near ln 3 = 1.0986; nnlite's He start
    spreads the scores, so the first ones are usually higher (notebook 02, optional section 13).
    """
    X, labels = spiral(n=300, noise=0.2, seed=0)
    X_train, y_train, *_ = train_val_test_split(X, labels, val_fraction=0.2, test_fraction=0.2, seed=0)
    X_train = (X_train - X_train.mean(axis=0)) / X_train.std(axis=0)
    default, small = [], []
    for seed in seeds:
        net = MLP([2, 32, 32, 3], activation="relu", seed=check_int(seed, "seed", minimum=0))
        default.append(evaluate(net, X_train, y_train)[0])
        net.layers[-1].W *= 0.01
        small.append(evaluate(net, X_train, y_train)[0])
    return np.array(default), np.array(small)


def pushes_at_equal_scores(classes):
    """How hard each loss pushes up the right answer's score when all C scores are equal (every p = 1/C),
    as an untrained network whose last layer starts small does: (cross-entropy's, squared error's)."""
    z = np.zeros(check_int(classes, "classes", minimum=2))
    ce = -softmax_cross_entropy_unchecked(z[None, :], np.array([0]))[1][0, 0]
    return ce, -_squared_error_on_probabilities(z, 0)[1][0]


def pushes(p, classes=2):
    """How hard each loss pushes up the right answer's score when the network gives it probability p and the
    other C - 1 classes share the rest equally: (cross-entropy's, squared error's), each -dL/dz_right.

    By hand: cross-entropy pushes 1 - p; squared error (the mean over the C entries) 2 p (1 - p)^2 / (C - 1).
    Their ratio, (C - 1) / (2 p (1 - p)), is C^2 / 2 at p = 1/C and changes with p: no constant learning
    rate turns one push into the other.
    """
    classes = check_int(classes, "classes", minimum=2)
    p = check_number(p, "p", low=0.0, high=1.0, low_open=True, high_open=True)
    z = np.zeros(classes)
    z[0] = np.log(p) - np.log((1 - p) / (classes - 1))  # softmax gives class 0, the right answer, p
    ce = -softmax_cross_entropy_unchecked(z[None, :], np.array([0]))[1][0, 0]
    return ce, -_squared_error_on_probabilities(z, 0)[1][0]


def steps_to_favourite(loss, scores=(0.0, 10.0), lr=1.0, max_steps=20000):
    """Gradient descent on the two scores themselves (as if the weights could move them freely), the
    right answer being class 0: the number of steps until it gets P > 0.5, or None within max_steps.

    loss: "cross_entropy" or "squared_error" (squared_error_on_probabilities).
    """
    check_choice(loss, "loss", ("cross_entropy", "squared_error"))
    z = as_float_array(scores, "scores", ndim=1).copy()
    lr = check_number(lr, "lr", low=0.0, low_open=True)
    truth = np.array([0])
    for step in range(1, check_int(max_steps, "max_steps", minimum=1) + 1):
        if loss == "cross_entropy":
            z -= lr * softmax_cross_entropy_unchecked(z[None, :], truth)[1][0]
        else:
            z -= lr * _squared_error_on_probabilities(z, 0)[1]
        if softmax_unchecked(z)[0] > 0.5:
            return step
    return None


# The optional race between the two losses: (data, hidden layers, epochs). Notebook 01's three spiral arms (all 300
# points, as drawn: not standardised) and its network's shape; and 20 classes for a single Dense layer, like the
# umbrella network (points on a circle, one blob per class).
RACES = {"spiral, 3 classes": (lambda: spiral(n=300, noise=0.2, seed=0), (32, 32), 20),
         "blobs, 20 classes": (lambda: blobs(n=600, noise=0.05, seed=0, centers=20), (), 30)}


def train_accuracies(loss, X, y, lr, epochs=20, seed=0, hidden=(32, 32), batch_size=32):
    """Train a ReLU MLP [n_in, *hidden, C] with SGD on `loss`, "cross_entropy" or "squared_error" (on softmax's
    probabilities, as squared_error_on_probabilities, for a batch), and return the trained model's accuracy
    on (X, y) after every epoch: the model's own accuracy on the data, not a running mean over the epoch.

    The seed sets the initial weights and the order of the mini-batches, the same for both losses.
    A run that diverges gets accuracy NaN from then on.
    """
    check_choice(loss, "loss", ("cross_entropy", "squared_error"))
    X = as_float_array(X, "X", ndim=2)
    y = as_labels(y, "y")
    if len(y) != len(X):
        raise ValueError(f"y must have one label per row of X ({len(X)}), got {len(y)}")
    step_loss = softmax_cross_entropy_unchecked if loss == "cross_entropy" else _squared_error_batch
    model = MLP([X.shape[1], *hidden, int(y.max()) + 1], seed=seed)
    optimizer = SGD(model, lr=lr)
    rng = np.random.default_rng(seed)
    accuracies = np.full(check_int(epochs, "epochs", minimum=1), np.nan)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    with np.errstate(**QUIET):  # a learning rate that is too large overflows: the accuracy says so (NaN)
        for epoch in range(epochs):
            for X_batch, y_batch in batches_unchecked(X, y, batch_size, rng):
                model.backward_unchecked(step_loss(model.forward_unchecked(X_batch), y_batch)[1], input_grad=False,
                                accumulate=False)
                optimizer.step()
            logits = model.forward_unchecked(X)
            if not np.isfinite(logits).all():
                break
            accuracies[epoch] = np.mean(logits.argmax(axis=1) == y)
    return accuracies


def epochs_to_reach(accuracies, level):
    """The first epoch (counting from 1) after which the accuracy is at least `level`, or None."""
    reached = np.flatnonzero(np.asarray(accuracies) >= level)
    return int(reached[0]) + 1 if len(reached) else None


def loss_race(race, learning_rates, seeds=range(5)):
    """Train on one of RACES with each loss at its learning rate ({"cross_entropy": lr, ...}), for every seed.

    Returns {loss: (n_seeds, epochs) array of the accuracy after every epoch}.
    """
    make_data, hidden, epochs = RACES[check_choice(race, "race", tuple(RACES))]
    X, y = make_data()
    return {loss: np.array([train_accuracies(loss, X, y, lr, epochs=epochs, seed=seed, hidden=hidden)
                            for seed in seeds])
            for loss, lr in learning_rates.items()}


def plot_gradient_sizes(p_marked=None, ax=None):
    """How hard each loss pushes up the right answer's score, against the probability p it gets now
    (two classes): cross-entropy's 1 - p and squared error's, the mean over both entries (pushes).

    `p_marked` draws a dot on both curves at that probability. Returns the axes.
    """
    ax = viz.get_axes(ax, figsize=(6.4, 3.4))
    p = np.linspace(0.0005, 0.9995, 400)
    ce, se = np.array([pushes(v) for v in p]).T
    ax.plot(p, ce, label="cross-entropy: 1 - p", color=viz.PALETTE[0], linewidth=2)
    ax.plot(p, se, label="squared error (mean over both entries)", color=viz.PALETTE[3], linewidth=2)
    if p_marked is not None:
        ax.plot([p_marked, p_marked], pushes(p_marked), "o", color="k", markersize=6)
    ax.set(xlim=(0, 1), ylim=(0, 1.05), xlabel="p = probability the network gives the right answer",
           ylabel="push on the right score, -dL/dz",
           title="two classes: confidently wrong on the left,\nwhere squared error stops pushing")
    ax.legend(loc="upper right")
    return ax


def plot_scores_and_probabilities(scores, truth=None, axes=None):
    """Two bar charts side by side: the raw scores, and the probabilities softmax makes of them.

    `truth` (a class index) draws the bar of the right answer with a black edge. Returns the axes.
    """
    scores = as_float_array(scores, "scores", ndim=1)
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(1, 2, figsize=(8, 3.2), layout="constrained")[1]
    probs = softmax_unchecked(scores)
    names = list(CLASSES) if len(scores) == 2 else [str(i) for i in range(len(scores))]
    colors = [viz.PALETTE[i % len(viz.PALETTE)] for i in range(len(scores))]
    edges = ["k" if i == truth else "none" for i in range(len(scores))]
    ax_s, ax_p = axes
    ax_s.bar(names, scores, color=colors, edgecolor=edges, linewidth=2)
    ax_s.axhline(0, color="0.5", linewidth=0.8)
    low, high = min(0.0, scores.min()), max(0.0, scores.max())
    pad = 0.18 * max(high - low, 1e-9)  # room for the numbers above (and below) the bars
    ax_s.set(ylim=(low - (pad if low < 0 else 0), high + pad), ylabel="score", title="scores: any real number")
    ax_p.bar(names, probs, color=colors, edgecolor=edges, linewidth=2)
    ax_p.set(ylim=(0, 1.12), ylabel="probability", title="softmax: positive, sum to 1")
    for i, (s, p) in enumerate(zip(scores, probs, strict=True)):
        ax_s.annotate(f"{s:.2f}", (i, s), xytext=(0, 3 if s >= 0 else -3), textcoords="offset points",
                      ha="center", va="bottom" if s >= 0 else "top")
        ax_p.annotate(f"{p:.4f}", (i, p), xytext=(0, 3), textcoords="offset points", ha="center", va="bottom")
    return axes


def draw_umbrella_network(ax=None, weather=WEATHER, **weights):
    """The umbrella network as a diagram: inputs with today's values on the left, the two scores on the
    right, each weight on its line (zero weights faint). Returns the dict of viz.draw_network."""
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.subplots(figsize=(7, 3.4), layout="constrained")[1]
    W = weight_matrix(**weights)
    x = as_float_array(weather, "weather", ndim=1)
    if x.shape != (3,):
        raise ValueError(f"weather must hold 3 numbers (clouds, humidity, wind), got {x.shape[0]}")
    scores = x @ W
    drawn = viz.draw_network([3, 2], ax=ax, node_labels=[[f"{v:g}" for v in x], [f"{s:g}" for s in scores]],
                             edge_labels=[[[f"{w:g}" for w in row] for row in W]],
                             title="today's weather → two scores; a weight on every line")
    positions = viz.network_positions([3, 2])
    for (px, py), name in zip(positions[0], FEATURES, strict=True):
        ax.text(px - 0.14, py, name, ha="right", va="center")
    for (px, py), name in zip(positions[1], CLASSES, strict=True):
        ax.text(px + 0.14, py, f"{name} score", ha="left", va="center")
    for a in range(3):
        for b in range(2):
            if W[a, b] == 0:
                drawn["edges"][0][a * 2 + b].set(linestyle=":", alpha=0.6)
                drawn["edge_texts"][0][a * 2 + b].set_alpha(0.6)
    ax.set_xlim(-1.1, 1.6)
    viz.set_text_alternative(ax.figure, umbrella_words(x, W))
    return drawn


def umbrella_words(weather, W):
    """The umbrella diagram in words, for a screen reader: what feeds each score, and with which weight."""
    x = as_float_array(weather, "weather", ndim=1)
    scores = x @ W
    names = [name.split(" (")[0] for name in FEATURES]
    inputs = ", ".join(f"{name} {v:g}" for name, v in zip(names, x, strict=True))
    parts = []
    for b, cls in enumerate(CLASSES):
        feeds = [f"{names[a]} times {W[a, b]:g}" for a in range(len(names)) if W[a, b] != 0]
        zero = [names[a] for a in range(len(names)) if W[a, b] == 0]
        lines = "the line from" if len(zero) == 1 else "the lines from"
        silent = f" ({lines} {' and '.join(zero)}: weight 0, dotted)" if zero else ""
        parts.append(f"the {cls} score, {scores[b]:g}, is {' plus '.join(feeds) or '0'}{silent}")
    return (f"Diagram of the umbrella network: three inputs on the left with today's values ({inputs}), "
            f"a line from each to each of the two scores on the right, with its weight on it. "
            f"{'; '.join(parts)[0].upper() + '; '.join(parts)[1:]}.")


class DecisionView:
    """Left: the two scores. Middle: their softmax probabilities. Right: the loss curve -log p,
    with a dot at the probability of the right answer. Every axis limit is fixed."""

    def __init__(self):
        self.live = LiveRow(3, panel_size=(3.4, 3.2))  # separate panels: they wrap on a narrow screen
        self.ax_scores, self.ax_probs, self.ax_loss = self.live.subplots(1, 3)
        colors = viz.PALETTE[:2]
        self.score_bars = list(self.ax_scores.bar(CLASSES, [0.0, 0.0], color=colors, edgecolor="none", linewidth=2))
        self.prob_bars = list(self.ax_probs.bar(CLASSES, [0.0, 0.0], color=colors, edgecolor="none", linewidth=2))
        self.ax_scores.axhline(0, color="0.5", linewidth=0.8)
        self.ax_scores.set(ylim=SCORE_LIMITS, ylabel="score", title="scores")
        self.ax_probs.set(ylim=(0, 1.15), ylabel="probability", title="probabilities (black edge: truth)")
        p = np.linspace(np.exp(-LOSS_LIMIT), 1.0, 400)
        self.ax_loss.plot(p, -np.log(p), color="0.4", linewidth=1.5, label="loss = -log p")
        self.ax_loss.set(xlim=(0, 1), ylim=(0, LOSS_LIMIT), xlabel="p = probability of the right answer",
                         ylabel="cross-entropy loss", title="loss of the right answer")
        self.ax_loss.legend(loc="upper right")
        for bar in self.score_bars + self.prob_bars:
            self.live.animate(bar)
        self.score_texts = [self.live.animate(self.ax_scores.text(i, 0, "", ha="center", va="bottom"))
                            for i in range(2)]
        self.prob_texts = [self.live.animate(self.ax_probs.text(i, 0, "", ha="center", va="bottom"))
                           for i in range(2)]
        self.loss_dot = self.live.animate(self.ax_loss.plot([], [], "o", color=viz.PALETTE[3], markersize=9,
                                                            clip_on=False)[0])
        self.loss_text = self.live.animate(self.ax_loss.text(0.56, LOSS_LIMIT * 0.6, "", ha="center",
                                                             color=viz.PALETTE[3]))

    def show(self, result, truth):
        low, high = SCORE_LIMITS
        for i, (bar, text, s) in enumerate(zip(self.score_bars, self.score_texts, result["scores"], strict=True)):
            shown = min(max(s, low), high)  # a score off the axis is drawn to the edge; its text tells the truth
            bar.set_height(shown)
            bar.set_edgecolor("k" if i == truth else "none")
            if shown != s:  # off the axis: write the number in white inside the clipped bar, with an arrow
                text.set_text(f"{s:.1f} {'↑' if s > 0 else '↓'}")
                text.set_position((i, shown - np.sign(shown) * 1.0))
                text.set_verticalalignment("top" if s > 0 else "bottom")
                text.set_color("white")
            else:
                text.set_text(f"{s:.2f}")
                text.set_position((i, shown + (0.5 if s >= 0 else -0.5)))
                text.set_verticalalignment("bottom" if s >= 0 else "top")
                text.set_color("k")
        for i, (bar, text, p) in enumerate(zip(self.prob_bars, self.prob_texts, result["probs"], strict=True)):
            bar.set_height(p)
            bar.set_edgecolor("k" if i == truth else "none")
            text.set_text(f"{p:.4f}")
            text.set_position((i, p + 0.02))
        p_true = result["probs"][truth]
        self.loss_dot.set_data([p_true], [min(result["loss"], LOSS_LIMIT)])
        shown_p = f"{p_true:.4f}" if p_true >= 1e-4 else f"{p_true:.1e}"
        off = "\n(the dot is off the axis)" if result["loss"] > LOSS_LIMIT else ""
        self.loss_text.set_text(f"truth = {CLASSES[truth]}\nloss = -log {shown_p} = {result['loss']:.4f}{off}")
        self.live.redraw()


def explorer():
    """Sliders on the weather and on the weights; the scores, probabilities and loss follow."""
    view = DecisionView()
    summary = text_line()

    def update(clouds, humidity, wind, w_clouds_yes, w_humidity_yes, w_wind_yes, w_wind_no, truth):
        result = decision(clouds, humidity, wind, w_clouds_yes, w_humidity_yes, w_wind_yes, w_wind_no, truth)
        view.show(result, truth)
        yes, no = result["scores"]

        def term(w, x):
            return f"({w:.2f})&middot;{x:.0f}" if w < 0 else f"{w:.2f}&middot;{x:.0f}"

        summary.value = (f"yes score = {term(w_clouds_yes, clouds)} + {term(w_humidity_yes, humidity)} + "
                         f"{term(w_wind_yes, wind)} = <b>{yes:.2f}</b>; "
                         f"no score = {term(w_wind_no, wind)} = <b>{no:.2f}</b>; "
                         f"P(yes) = {result['probs'][0]:.4f}; loss = <b>{result['loss']:.4f}</b>")

    controls = {
        "clouds": slider("clouds (% of sky)", 0, 100, 1, 50),
        "humidity": slider("humidity (%)", 0, 100, 1, 80),
        "wind": slider("wind (km/h)", 0, 100, 1, 80),
        "truth": dropdown("truth", [("yes: it rained", 0), ("no: it stayed dry", 1)], value=1),
        "w_clouds_yes": slider("weight clouds → yes", -0.2, 0.2, 0.01, 0.1),
        "w_humidity_yes": slider("weight humidity → yes", -0.2, 0.2, 0.01, 0.1),
        "w_wind_yes": slider("weight wind → yes", -0.2, 0.2, 0.01, -0.1),
        "w_wind_no": slider("weight wind → no", -0.2, 0.2, 0.01, 0.1),
    }
    return Panel(update, controls, [summary, view.live.widget], title="Take an umbrella? Scores, softmax, loss",
                 parts={"view": view, "summary": summary})


# Exercises (checked in the notebook)

CALM_DAY = NumberExercise(
    "P(yes) when the yes score is 7 and the no score 6",
    expected=np.exp(7.0) / (np.exp(7.0) + np.exp(6.0)),
    mistakes=[
        Mistake(7 / 13, "That is 7 / (7 + 6): the score divided by the sum of the scores. Softmax exponentiates "
                        "each score first, and only then divides by the sum."),
        Mistake(np.exp(6.0) / (np.exp(7.0) + np.exp(6.0)), "That is P(no). Which score goes on top of the fraction?"),
        Mistake(np.exp(7.0), "That is e^7 alone, before dividing by the sum of both exponentials."),
        Mistake(np.exp(1.0), "That is e^7 / e^6, how many times likelier yes is than no (section 3). A probability "
                             "divides by the sum of the exponentials instead."),
        Mistake(np.exp(7.0) / (np.exp(7.0) + 1.0), "That treats the no score as 0 (e^0 = 1 in the sum). Both scores "
                                                   "take part, with their own exponentials."),
        Mistake(0.0474, "That is P(yes) of the windy day, with scores 5 and 8. The scores changed."),
        Mistake(7, "That is a score, not a probability: put the scores through softmax."),
        Mistake(0.5, "The scores are not equal: yes is ahead by 1, so P(yes) is above one half."),
    ],
    hint="Reread section 2 (softmax): it turns both scores into probabilities; the question asks for the one of yes.",
    why="1 / (1 + e^-1) = 0.7311: only the gap of 1 matters (e^1 = 2.72 to 1 for yes), "
        "not the ratio 7 : 6 of the scores.",
)

CONFIDENT_AND_WRONG = NumberExercise(
    "the cross-entropy loss when P(no) = 0.99 and it rains",
    expected=-np.log(0.01),
    mistakes=[
        Mistake(-np.log(0.99), "That is the loss had it stayed dry (-log 0.99). It rained: the right answer is "
                               "yes. What probability did the network give to yes?"),
        Mistake(np.log(0.01), "The log of a probability is negative: the loss is MINUS the log, so it is positive."),
        Mistake(-np.log10(0.01), "That is the log base 10. Cross-entropy uses the natural logarithm (np.log)."),
        Mistake(-np.log2(0.01), "That is the log base 2. Cross-entropy here uses the natural logarithm (np.log)."),
        Mistake(0.99, "That is P(no), a probability. The loss is -log of the probability of the right answer."),
        Mistake(0.01, "That is P(yes), the probability of the right answer. The loss is computed from it: "
                      "reread section 5."),
        Mistake(-np.log(0.01) - np.log(0.99), "You added the losses of both answers (the two terms of a binary "
                                              "loss with both labels set). Cross-entropy takes only the probability "
                                              "of the answer that was right."),
        Mistake(-np.log(0.01) / 2, "You averaged over the two answers. The loss of one day is -log of the right "
                                   "answer's probability: there is nothing to average."),
    ],
    hint="Reread section 5 (cross-entropy): which answer was right, and which probability did the network give it?",
    why="-log 0.01 = 4.6052, while being right with the same 99 % confidence would cost only 0.0101: "
        "confident mistakes are punished hard.",
)


def _draw_scores(rng):
    """1 to 7 scores with adversarial structure: the largest first, last, in the middle or tied; all equal;
    gaps of thousands (e^-1500 rounds to 0) and shifts of thousands (e^1000 overflows)."""
    n = int(rng.integers(1, 8))
    z = rng.normal(0.0, rng.choice([1.0, 10.0, 1000.0]), n)
    order = rng.integers(4)
    if order == 1:
        z = np.sort(z)[::-1]  # descending: the largest first
    elif order == 2:
        z[rng.integers(n)] = z.max()  # a tie for the largest
    elif order == 3:
        z[:] = z[0]  # all equal
    return np.round(z, 2) + rng.choice([0.0, 1000.0, -1000.0, 5000.0])


def _draw_scores_and_target(rng):
    """Scores as above and a target distribution q: one-hot on the likeliest class or on the least likely one
    (its probability may round to 0), uniform, or random with some zeros (0 times log 0 must not be nan)."""
    z = _draw_scores(rng)
    n, kind = len(z), rng.integers(4)
    if kind < 2:
        q = np.zeros(n)
        q[np.argmax(z) if kind == 0 else np.argmin(z)] = 1.0
    elif kind == 2:
        q = np.full(n, 1.0 / n)
    else:
        q = rng.random(n) * (rng.random(n) > 0.3)
        q[rng.integers(n)] += 0.5
        q /= q.sum()
    return z, q


def _log_p(z, shift=np.max, log=np.log):
    """log softmax(z) computed with the scores shifted by shift(z) (np.max is the stable choice)."""
    shifted = np.asarray(z, dtype=float) - shift(np.asarray(z, dtype=float))
    return shifted - log(np.sum(np.exp(shifted)))


def _weighted(q, terms):
    """The cross-entropy -sum_i q_i terms_i, for a target q and terms log p_i (0, not -0, when it is 0)."""
    return -np.sum(np.asarray(q, dtype=float) * terms) + 0.0


def _kl(z, q):
    q = np.asarray(q, dtype=float)
    return np.sum(np.where(q > 0, q * (np.log(np.where(q > 0, q, 1.0)) - _log_p(z)), 0.0))


SOFT_CROSS_ENTROPY = FunctionExercise(
    "a numerically stable cross-entropy against a target distribution q",
    reference=lambda z, q: _weighted(q, _log_p(z)),
    cases=[(np.array([5.0, 8.0]), np.array([0.7, 0.3])), (np.array([5.0, 8.0]), np.array([1.0, 0.0])),
           (np.array([0.0, 1500.0]), np.array([0.7, 0.3])), (np.array([0.0, 1500.0]), np.array([0.0, 1.0])),
           (np.array([1500.0, 0.0]), np.array([0.3, 0.7])), (np.array([1000.0, 1003.0]), np.array([0.5, 0.5])),
           (np.array([0.0, 720.0, 1400.0]), np.array([0.2, 0.3, 0.5])),
           (np.array([1400.0, 720.0, 0.0]), np.array([0.5, 0.3, 0.2])),
           (np.array([-800.0, 800.0, 0.0]), np.array([0.0, 0.5, 0.5])),
           (np.array([0.0, 730.0]), np.array([0.5, 0.5]))],  # e^-730 is tiny but not 0; e^730 overflows
    draw=_draw_scores_and_target,
    atol=1e-9,  # scores of thousands: the last bits of a loss near 0 depend on the order of the sums
    mistakes=[
        Mistake(lambda z, q: _weighted(q, np.log(softmax_unchecked(np.asarray(z, dtype=float)))),
                "You take the log of softmax's probabilities. For scores [0, 1500], P(first) = e^-1500 rounds to 0 "
                "in float64 and its log is -inf (and 0 times -inf is nan), although log P is simply -1500. Never "
                "form the tiny probability: take log P straight from the scores, with section 5's log-softmax."),
        Mistake(lambda z, q: _weighted(q, _log_p(z, shift=lambda v: 0.0)),
                "Your log-sum-exp adds up raw exponentials: for scores like [1000, 1003], e^1000 overflows to inf, "
                "and the log of inf is inf. Shift the scores first, as in section 4."),
        Mistake(lambda z, q: _weighted(q, _log_p(z, shift=np.mean)),
                "You shift by the mean of the scores. Any shift cancels, but only the largest keeps every exponent "
                "<= 0: for [0, 1500] the mean is 750 and e^750 still overflows."),
        Mistake(lambda z, q: _weighted(q, _log_p(z, shift=np.min)),
                "You shift by the smallest score: every exponent is then >= 0, and for [0, 1500] e^1500 overflows. "
                "Which score keeps every exponent <= 0?"),
        Mistake(lambda z, q: _weighted(q, _log_p(z, shift=lambda v: v[0])),
                "You shift by the first score. That is the largest only when it happens to be: when a larger score "
                "comes later, its exponential still overflows. Which score keeps every exponent <= 0?"),
        Mistake(lambda z, q: _weighted(q, _log_p(z, shift=lambda v: v[-1])),
                "You shift by the last score. That is the largest only when it happens to be: when a larger score "
                "comes earlier, its exponential still overflows. Which score keeps every exponent <= 0?"),
        Mistake(lambda z, q: _weighted(q, _log_p(z) + np.max(z)),
                "Your loss is off by the largest score: a shift made inside the log-sum-exp must be undone outside "
                "it, on the score itself too."),
        Mistake(lambda z, q: _weighted(q, np.asarray(z, dtype=float) - np.max(z)),
                "Your log P is the shifted score alone, the log of softmax's numerator: log P also subtracts the log "
                "of its denominator (section 5)."),
        Mistake(lambda z, q: -_weighted(q, _log_p(z)),
                "Your loss is negative: every log P is at most 0, so minus their weighted sum is at least 0."),
        Mistake(lambda z, q: _weighted(q, _log_p(z)) / len(z),
                "You averaged over the classes: H(q, p) adds the terms up (the weights q already sum to 1)."),
        Mistake(lambda z, q: _weighted(np.ones(len(z)), _log_p(z)),
                "Your loss does not change with q: each class's -log P must be weighted by its target probability."),
        Mistake(lambda z, q: -_log_p(z)[np.argmax(q)],
                "You used only the class that q makes most likely, as if q were one-hot: every class with q_i > 0 "
                "adds q_i times its -log P."),
        Mistake(lambda z, q: _weighted(softmax_unchecked(np.asarray(z, dtype=float)),
                                       np.log(np.asarray(q, dtype=float))),
                "You swapped the two distributions: the target q gives the weights, and the logarithm is of the "
                "network's probabilities."),
        Mistake(_kl, "That is the KL divergence, H(q, p) minus the entropy H(q) of the target (optional section 12): "
                     "the exercise asks for the cross-entropy itself."),
        Mistake(lambda z, q: _weighted(q, softmax_unchecked(np.asarray(z, dtype=float))),
                "You weighted the probabilities themselves; cross-entropy weights their logarithms."),
        Mistake(lambda z, q: _weighted(q, _log_p(z, log=np.log10)),
                "You took the log base 10 of the sum: the exponentials are powers of e, so their log is np.log."),
    ],
    hint="Reread sections 4 (the stable form) and 5 (cross-entropy): cross-entropy weights each class's log P by q, "
         "log P is the score minus the log of softmax's denominator, and a shift of all the scores keeps every "
         "exponential in range.",
    why="H(q, p) = -sum_i q_i (z_i - logsumexp(z)), with logsumexp(z) = m + log(sum_j e^(z_j - m)) and m the largest "
        "score: every exponent is <= 0, the sum lies between 1 and the number of classes, and a class with q_i = 0 "
        "adds exactly 0. With a one-hot q this is nl.softmax_cross_entropy's loss; soft targets are what label "
        "smoothing (Szegedy et al. 2016) and knowledge distillation (Hinton et al. 2015) train on.",
)


def _draw_probabilities_and_labels(rng):
    """A batch of N rows of probabilities over C classes and N labels: N and C from 1 and 2 to 6, rarely equal
    (a batch of one; more rows than classes; more classes than rows), the right class the likeliest, the least
    likely or anywhere, and a label repeated (two rows with the same class) or not."""
    n, classes = int(rng.integers(1, 7)), int(rng.integers(2, 7))
    scores = rng.normal(0.0, rng.choice([0.5, 2.0, 6.0]), (n, classes))
    kind = rng.integers(3)
    if kind == 0:
        labels = scores.argmax(axis=1)  # the network is right on every row
    elif kind == 1:
        labels = scores.argmin(axis=1)  # and here wrong on every row
    else:
        labels = rng.integers(0, classes, n)
    return softmax_unchecked(scores), labels


def _onehot(P, y):
    return np.eye(np.shape(P)[1])[np.asarray(y)]


def _every_row_at_every_label(P, y):
    """Subtract 1 at the columns of all the labels, in every row (the slip G[:, y] -= 1)."""
    G = np.array(P, dtype=float)
    G[:, np.asarray(y)] -= 1.0
    return G / len(G)


SCORE_GRADIENT = FunctionExercise(
    "dL/dscores of the mean cross-entropy of a batch, from its probabilities",
    reference=lambda P, y: (np.asarray(P, dtype=float) - _onehot(P, y)) / len(P),
    cases=[(softmax_unchecked(np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 1.0], [1.0, 1.2, 0.8], [0.2, 0.4, 3.0]])),
            np.array([0, 1, 2, 2])),  # section 8's four days
           (softmax_unchecked(np.array([[5.0, 8.0]])), np.array([0])),  # the rainy day, a batch of one
           (softmax_unchecked(np.array([[1.0, 3.0], [0.0, -1.0], [2.0, 2.5]])), np.array([1, 1, 0]))],
    draw=_draw_probabilities_and_labels,
    mistakes=[
        Mistake(lambda P, y: (_onehot(P, y) - np.asarray(P, dtype=float)) / len(P),
                "Your gradient has the opposite sign: raising the right class's score lowers the loss, so the "
                "gradient there must be negative."),
        Mistake(lambda P, y: np.asarray(P, dtype=float) - _onehot(P, y),
                "Your gradient is right for one example, and too large for a batch: the batch's loss is the mean "
                "of its examples' losses (section 8), and that mean scales every row."),
        Mistake(lambda P, y: (np.asarray(P, dtype=float) - _onehot(P, y)) / np.shape(P)[1],
                "You divided by the number of classes: the loss is a mean over the examples (the rows), not over "
                "the classes."),
        Mistake(lambda P, y: (np.asarray(P, dtype=float) - _onehot(P, y)) / np.size(P),
                "You divided by the number of entries of P: the loss is a mean over the examples only; the classes "
                "of one example add up inside its own loss."),
        Mistake(lambda P, y: np.asarray(P, dtype=float) / len(P),
                "Your gradient never uses the labels y: the truth must enter it, at each row's right class."),
        Mistake(lambda P, y: -_onehot(P, y) / len(P),
                "Your gradient uses only the truth: the probabilities the network gave enter it too."),
        Mistake(lambda P, y: (softmax_unchecked(np.asarray(P, dtype=float)) - _onehot(P, y)) / len(P),
                "You put P through softmax again: P already holds the probabilities."),
        Mistake(_every_row_at_every_label,
                "You subtracted 1 in every row at the class of every example: each row subtracts it at its own "
                "example's class only."),
        Mistake(lambda P, y: (np.asarray(P, dtype=float) - np.eye(len(P))[np.asarray(y)]) / len(P),
                "Your one-hot rows have one entry per example: they need one entry per class, like the rows of P."),
        Mistake(lambda P, y: np.mean(np.asarray(P, dtype=float) - _onehot(P, y), axis=0),
                "Your result has a single row: you averaged the rows together. Each example keeps its own row of the "
                "gradient, one entry per class, scaled by the mean."),
    ],
    hint="Reread sections 6 (the gradient: probabilities minus truth) and 8 (three classes and a batch): what one "
         "example's gradient is, and what the mean of a batch does to it.",
    why="(p - onehot(y)) / N row by row: each example pushes its right score up and the others down, by how far its "
        "probabilities are from the truth, and the mean over the batch divides every row by N. It is what "
        "nl.softmax_cross_entropy returns with the loss, and what starts notebook 03's backward pass.",
)
