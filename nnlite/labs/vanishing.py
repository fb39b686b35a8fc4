"""Notebook 05: the vanishing-gradient lab.

Deep networks of width 32 on the two-moons data set, with four activations (sigmoid,
tanh, relu, leaky_relu) and three initialisations (normal with std 1, xavier, he). Three
plots answer one question each: how large is the error signal that reaches each hidden layer
at initialisation (the root mean square over the points of each point's own delta, its length over
the layer's units), how much each layer's outputs still differ from one point to the next (as a
share of their size), and does the network learn (the model's loss on all 200 points after every epoch)?

How the explorer stays fast (every control move must cost well under 50 ms):

* Training is the expensive part. One 40-epoch run costs up to about 0.4 s at depth 30,
  many times the budget of a move, so a move never trains. We train a reduced grid of
  13 depths (1..30, denser where things change), the 4 activations, the 3 inits and the
  7 learning rates 10^-3 ... 10^0 in half decades: 1092 runs, each twice (see
  build_training_table), about 8 minutes once. The losses ship as float32 in
  ``data/vanishing_curves.npz`` (136 kB); a test regenerates a few entries and compares.
* The notebook's trained claims over 10 seeds that would cost seconds each (20-layer sigmoid stacks, clipped
  SGD at lr 1) ship the same way, in ``data/vanishing_seed_runs.npz`` (precompute_seed_runs, every run twice,
  the second time nudged: about 30 s once); a test trains the key ones again and checks the lessons.
* So do the optional sections' longest runs: 200 epochs with each layer's speed of learning (section 9,
  ``data/vanishing_speed_runs.npz``, precompute_speed_runs: about 5 s) and 45 runs of Adam (section 14,
  ``data/vanishing_adam_runs.npz``, precompute_adam_runs: about 20 s), and which units are dead after every epoch
  (section 13, ``data/vanishing_dead_units.npz``, precompute_dead_units: about 2 s). Tests train them again: the
  calm ones must match the file at the precision shown, the chaotic ones (Adam at 10 layers) must hold the lessons.
* The depth slider moves over those 13 depths: one slider whose three plots always show
  the same network reads better than a training plot that says "nearest depth".
* Statistics at initialisation (one forward and one backward pass of the 200 points)
  cost at most about 3 ms each; all 13 x 4 x 3 = 156 of them are computed when the
  first explorer is built (about 0.4 s), so a move only looks up and draws.
* Drawing: text is the slowest thing matplotlib renders (three changing texts were 60%
  of a redraw), so the verdicts in words are HTML captions above the plots and the
  figure only moves lines. Measured on the shared 2-core machine under load (load average
  4 to 6): median move 4 to 7 ms, worst about 20 ms; construction about 1 s.
"""

import functools
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import viz
from .._validate import as_float_array, check_choice, check_int, check_number
from ..activations import get_activation
from ..datasets import batches, moons
from ..exercises import BuiltOnFirstUse, ChoiceExercise, FunctionExercise, Mistake, NumberExercise
from ..layers import init_std
from ..losses import softmax_cross_entropy_unchecked
from ..model import MLP
from ..optim import SGD
from ..training import evaluate, fit, train_step, training_steps
from ..widgets import LiveRow, Panel, dropdown, log_slider, selection_slider, text_line
from .runs import SEEDS, over_seeds
from .runs import spread as spread  # notebook 05 writes its results over seeds with vg.spread
from .tables import load_table, save_table

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu")
INITS = ("normal", "xavier", "he")  # "normal" means std 1.0 (nnlite's default): the bad init
WIDTH = 32
MAX_DEPTH = 30
DEPTHS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30)
LOG10_LRS = (-3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0)
EPOCHS = 40
BATCH_SIZE = 32
DATA = {"n": 200, "noise": 0.15, "seed": 0}  # nl.datasets.moons(**DATA)
SEED = 0  # for the weights and for the order of the mini-batches (the table's one seed)
CHANCE_LOSS = float(np.log(2.0))  # cross-entropy of a model that says 50/50 for two classes
STRAIGHT_LOSS = 0.275  # the best straight decision boundary's loss on the lab data (linear_baseline, tested)
TABLE_PATH = Path(__file__).resolve().parent / "data" / "vanishing_curves.npz"

# Fixed axis limits (a move only moves lines): every network the explorer reaches fits, with room for the legend
# (error signal: 8.1e-20 ... 2.6e17). The spread across points, as a share of the outputs' size, is at most 1;
# below ROUNDING it is the rounding of float64 (a deep sigmoid + Xavier stack's outputs agree to 15 digits).
SIGNAL_LIMITS = (1e-21, 1e19)
ROUNDING = 1e-12
SPREAD_LIMITS = (ROUNDING, 10.0)
LOSS_LIMITS = (0.0, 1.5)  # a linear loss axis: 0.46 and ln 2 = 0.69 far apart; larger losses drawn at the top
VANISHING, EXPLODING = 0.1, 10.0  # first/last ratios beyond these get a verdict in words
MERGED = 0.1  # a spread across points below this share of layer 1's: the points have merged
NUDGE = 1e-10  # the nudge that tells a chaotic run (see build_training_table)
SHOWN = 0.005  # trained losses are shown to 2 decimals: the table holds them to this, on every machine


def lab_data():
    """The fixed data set of the lab: 200 two-moons points (noise 0.15, seed 0)."""
    return moons(**DATA)


def learning_rates():
    """The 7 learning rates of the training table: 10^-3, 10^-2.5, ..., 10^0."""
    return np.power(10.0, LOG10_LRS)


@dataclass
class InitStats:
    """What one forward and one backward pass show about a freshly initialised network.

    delta_rms: (depth,) the size of the error signal that reaches every hidden layer, input side first. For each
        point n, delta_n = dL_n/dz_l (L_n: that point's own loss) is a vector with one entry per unit; its length
        over the layer's units, then the root mean square over the points. Every hidden layer has the same number
        of units, so these compare layer with layer, and a point's delta at initialisation is the same in any
        batch. It is what the factor sqrt(n Var(w) E[f'(z)^2]) describes.
    bias_grad_norms: (depth,) ||dL/db|| of every hidden layer, L the mean loss over the points: the length of the
        mean of the points' deltas, which is how fast the biases learn with plain SGD. Points that push a bias
        opposite ways cancel in that mean, so it is at most delta_rms (Cauchy-Schwarz) and can be far below it:
        see agreement.
    weight_grad_norms: (depth + 1,) ||dL/dW|| of every Dense layer, the output layer last. NOT comparable from
        layer to layer: dL/dW_l = h_{l-1}.T @ delta_l / N also carries the size of the layer's input, and a
        Frobenius norm grows with the number of entries (the first W is 2 x 32: 64 entries; a hidden one
        32 x 32: 1024).
    spread: (depth,) how much every hidden layer's outputs differ from one point to the next, as a share of their
        size: their standard deviation over the points, averaged over the layer's units, divided by the root mean
        square of all the layer's outputs. 0 when every point gets the same output; unchanged when all of a
        layer's outputs are multiplied by one number (a ReLU + std 1 network is its ReLU + He twin rescaled).
    z_rms: (depth,) root mean square of every hidden layer's pre-activations z over units and
        points: the scale that He's derivation keeps steady (Var(z) for weights of mean 0).
    slope_sq: (depth,) the mean of f'(z)^2 over every hidden layer's units and points, the
        slope term of the per-layer factor sqrt(n Var(w) E[f'(z)^2]).
    var_w: the variance the hidden-to-hidden weights (width x width) were drawn with.
    width: the number of units of every hidden layer.
    loss: the loss at initialisation.
    weight_norms: (depth + 1,) ||W|| of every Dense layer, the output layer last: what a weight
        gradient is measured against in update_to_weight.
    similarity: (depth,) how alike the directions of the points' outputs are in every hidden layer: the cosine
        h_n . h_m / (||h_n|| ||h_m||) averaged over all pairs of different points. 1 when every point's output
        points the same way, whatever their lengths (the spread can stay large while this tends to 1); unchanged
        when the outputs are rescaled. A point whose output is all zeros counts as 0 with every other point.
    """

    delta_rms: np.ndarray
    bias_grad_norms: np.ndarray
    weight_grad_norms: np.ndarray
    spread: np.ndarray
    z_rms: np.ndarray
    slope_sq: np.ndarray
    var_w: float
    width: int
    loss: float
    weight_norms: np.ndarray
    similarity: np.ndarray

    @property
    def depth(self):
        return len(self.delta_rms)

    @staticmethod
    def _ratio(values, last):
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(values[0] / values[last])

    @property
    def first_to_last(self):
        """The error signal (delta_rms) of the first hidden layer divided by that of the last hidden layer (the output
        layer, of 2 units, is left out). Far below 1: vanishing; far above: exploding. inf when the last hidden
        layer gets no signal at all (every unit dead)."""
        return self._ratio(self.delta_rms, -1)

    @property
    def bias_first_to_last(self):
        """The same ratio for ||dL/db||, how fast the biases learn (see bias_grad_norms: cancellation)."""
        return self._ratio(self.bias_grad_norms, -1)

    @property
    def weight_first_to_last(self):
        """The same ratio for ||dL/dW||: the measure that layer shapes confound (see weight_grad_norms)."""
        return self._ratio(self.weight_grad_norms, self.depth - 1)

    @property
    def agreement(self):
        """(depth,) bias_grad_norms / delta_rms: 1 if every point's delta were the same vector, smaller the more
        the points' deltas cancel in their mean (0 to 1)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.bias_grad_norms / self.delta_rms

    @property
    def layer_factor(self):
        """The measured factor per layer: first_to_last ** (1 / (depth - 1)), the geometric mean of what
        each of the depth - 1 steps from the last hidden layer to the first multiplies the error signal by."""
        return float(self.first_to_last ** (1.0 / (self.depth - 1))) if self.depth > 1 else 1.0

    @property
    def predicted_factor(self):
        """The factor per layer that sqrt(n Var(w) E[f'(z)^2]) predicts for this network: computed for each of the
        depth - 1 layers the signal crosses on its way from the last hidden layer to the first (W_{l+1}.T, then
        the slopes of layer l), with this network's own slopes, then their geometric mean, as for layer_factor."""
        if self.depth == 1:
            return 1.0
        return float(np.exp(np.mean(np.log(np.sqrt(self.width * self.var_w * self.slope_sq[:-1])))))

    def update_to_weight(self, lr):
        """(depth + 1,) ||lr dL/dW|| / ||W|| of every Dense layer: how far a plain SGD step with the gradient on
        all the points would move each layer's weights, as a share of their own size. The CS231n notes
        (Neural Networks Part 3) track this ratio per layer during training, with "somewhere around 1e-3" as a
        rough guide: much lower, the learning rate is probably too small; much higher, too large."""
        lr = check_number(lr, "lr", low=0.0, low_open=True)
        with np.errstate(over="ignore", invalid="ignore"):
            return lr * self.weight_grad_norms / self.weight_norms

    @property
    def spread_ratio(self):
        """The spread across points of the last hidden layer divided by that of the first."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(self.spread[-1] / self.spread[0])


def make_model(depth, activation, init, width=WIDTH, std=1.0, seed=SEED):
    """An MLP with `depth` hidden layers of `width` units for the 2-D, 2-class lab data."""
    depth = check_int(depth, "depth", minimum=1)
    width = check_int(width, "width", minimum=1)
    check_choice(activation, "activation", ACTIVATIONS)
    check_choice(init, "init", INITS)
    return MLP([2] + [width] * depth + [2], activation=activation, init=init, std=std, seed=seed)


def error_signals(model, X, y):
    """Run X forward, then every point's own error signal backward: (loss, dlogits, deltas).

    dlogits (N, n_out) is each point's dL_n/dlogits (L_n: the loss of point n alone; the model's loss is their
    mean). deltas[l] (N, width) is dL_n/dz at hidden layer l + 1, input side first, by section 1's formula
    delta_l = (delta_{l+1} @ W_{l+1}.T) * f'(z_l). The gradients of the mean loss follow:
    dL/db_l = deltas[l].mean(axis=0) and dL/dW_l = h_{l-1}.T @ deltas[l] / N.
    """
    loss, dlogits = softmax_cross_entropy_unchecked(model.forward(X), np.asarray(y))
    dlogits = dlogits * len(X)  # the loss is the mean over the points: each point's own gradient
    deltas, delta = [], dlogits
    for layer, z in zip(model.layers[:0:-1], model.pre_activations[::-1], strict=True):
        delta = (delta @ layer.W.T) * model.activation.derivative_unchecked(z)
        deltas.append(delta)
    return loss, dlogits, deltas[::-1]


def skip_error_signals(model, X, y):
    """error_signals for the same weights with identity skips: hidden layer l >= 2 outputs h_{l-1} + f(z_l).

    Layer 1 changes the width (2 -> 32), so it has no skip. Backward, the skip hands the later signal on
    unchanged: dL/dh_{l-1} = dL/dh_l + delta_l @ W_l.T, with delta_l = dL/dh_l * f'(z_l) (He et al. 2016).
    Returns (loss, deltas) with deltas[l] (N, width) each point's dL_n/dz at hidden layer l + 1.
    """
    act, h, zs = model.activation, X, []
    for i, layer in enumerate(model.layers[:-1]):
        zs.append(h @ layer.W + layer.b)
        h = act.forward_unchecked(zs[-1]) + (h if i else 0.0)
    loss, grad = softmax_cross_entropy_unchecked(h @ model.layers[-1].W + model.layers[-1].b, np.asarray(y))
    grad = grad * len(X) @ model.layers[-1].W.T  # each point's own dL_n/dh of the last hidden layer
    deltas = []
    for i in range(len(zs) - 1, -1, -1):
        deltas.append(grad * act.derivative_unchecked(zs[i]))
        grad = deltas[-1] @ model.layers[i].W.T + (grad if i else 0.0)
    return float(loss), deltas[::-1]


def skip_first_to_last(depth, activation, init, seeds=SEEDS):
    """Layer 1's error signal / the last hidden layer's (RMS over points), per seed: (plain, with skips).

    Both stacks share each seed's weights; the plain one is init_stats's first_to_last.
    """
    X, y = lab_data()
    plain, skip = [], []
    with np.errstate(over="ignore", under="ignore"):
        for seed in seeds:
            model = make_model(depth, activation, init, seed=seed)
            for out, deltas in ((plain, error_signals(model, X, y)[2]), (skip, skip_error_signals(model, X, y)[1])):
                rms = [np.sqrt(np.mean(np.sum(d * d, axis=1))) for d in (deltas[0], deltas[-1])]
                out.append(rms[0] / rms[1])
    return np.array(plain), np.array(skip)


def init_stats(depth, activation, init, width=WIDTH, std=1.0, seed=SEED, X=None, y=None):
    """Build a fresh network, push the data forward and every point's error signal backward once.

    X, y default to the lab data. `std` is the standard deviation of init="normal".
    Returns an InitStats. Overflow in a badly initialised network is allowed (that is
    the lesson), so NumPy's warnings about it are silenced.
    """
    if X is None or y is None:
        X, y = lab_data()
    X = as_float_array(X, "X", ndim=2)
    model = make_model(depth, activation, init, width=width, std=std, seed=seed)
    n = len(X)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        loss, dlogits, deltas = error_signals(model, X, y)
        delta_rms = np.array([np.sqrt(np.mean(np.sum(d * d, axis=1))) for d in deltas])
        bias = np.array([np.linalg.norm(d.sum(axis=0)) / n for d in deltas])
        inputs = [X] + model.hidden_outputs
        weight = np.array([np.linalg.norm(h.T @ d) / n for h, d in zip(inputs, deltas + [dlogits], strict=True)])
        spread = np.array([h.std(axis=0).mean() / np.sqrt(np.mean(h * h)) for h in model.hidden_outputs])
        z_rms = np.array([np.sqrt(np.mean(z * z)) for z in model.pre_activations])
        slope_sq = np.array([np.mean(model.activation.derivative_unchecked(z) ** 2) for z in model.pre_activations])
        weight_norms = np.array([np.linalg.norm(layer.W) for layer in model.layers])
        similarity = np.array([_mean_cosine(h) for h in model.hidden_outputs])
    var_w = float(init_std(init, width, width, std) ** 2)
    return InitStats(delta_rms, bias, weight, spread, z_rms, slope_sq, var_w, width, float(loss), weight_norms,
                     similarity)


RULE_BELOW = (0.93, 1.0)  # measured factor / the rule's, medians over seeds: the range factor_table guarantees


def factor_table(settings, depth=20, seeds=SEEDS):
    """Print the rule sqrt(n Var(w) E[f'(z)^2]) against the measured factor per layer, medians over `seeds`.

    settings: {name: (activation, init, std)}. The rule uses the slopes each network met in its own forward
    pass (InitStats.predicted_factor), so it tests the assumption of independent terms, not a prediction from
    the initialisation alone. Returns {name: (rule, measured)}. Guarantees: every measured median lies
    between RULE_BELOW[0] and RULE_BELOW[1] times the rule's (a long product of random factors lands a
    little below their root mean square); raises ValueError naming the setting otherwise.
    """
    low, high = RULE_BELOW
    factors = {}
    print(f"{depth} hidden layers of {WIDTH} units, {len(seeds)} seeds. Factor per layer (medians); "
          f"layer 1 / layer {depth} (lowest, highest)")
    print(f"{'':<17}{'sqrt(n Var(w))':>14}{'slope term':>12}{'rule, own slopes':>18}{'measured':>10}"
          f"{'layer 1 / layer ' + str(depth):>21}")
    for name, (activation, init, std) in settings.items():
        runs = [init_stats(depth, activation, init, std=std, seed=s) for s in seeds]
        rule = float(np.median([s.predicted_factor for s in runs]))
        measured = float(np.median([s.layer_factor for s in runs]))
        weights = np.sqrt(WIDTH * runs[0].var_w)  # the slope term is sqrt(E[f'(z)^2]) = rule / weights
        ratios = [s.first_to_last for s in runs]
        print(f"{name:<17}{weights:>14.2f}{rule / weights:>12.2f}{rule:>18.2f}{measured:>10.2f}"
              f"{min(ratios):>12.1e} to {max(ratios):.1e}")
        if not low < measured / rule < high:
            raise ValueError(f"{name}: measured factor {measured:.3f} is not {low} to {high} times the rule's "
                             f"{rule:.3f}")
        factors[name] = rule, measured
    return factors


def _mean_cosine(h):
    """The cosine similarity of the rows of h (N, units), averaged over the N (N - 1) ordered pairs of different
    rows (1.0 for a single row). With unit rows u_n: the sum over n != m of u_n . u_m = ||sum of u_n||^2 - sum of
    ||u_n||^2, so no N x N matrix is needed."""
    n = len(h)
    if n < 2:
        return 1.0
    norms = np.linalg.norm(h, axis=1, keepdims=True)
    unit = np.divide(h, norms, out=np.zeros_like(h), where=norms > 0)
    return float((np.sum(unit.sum(axis=0) ** 2) - np.sum(unit * unit)) / (n * (n - 1)))


def sigmoid_mean_field_factor(n, std):
    """The factor per layer sqrt(n Var(w) E[sigmoid'(z)^2]) of a deep stack of very wide sigmoid layers with weights of
    this std and zero biases, by mean-field theory (Poole et al. 2016; Schoenholz et al. 2017, whose chi_1 is its
    square). Deep in such a stack z is normal with a variance q* that the layers keep, q* = n std^2 E[sigmoid(z)^2];
    the factor is taken there. Expectations over a fine grid of the standard normal."""
    n = check_int(n, "n", minimum=1)
    std = check_number(std, "std", low=0.0, low_open=True)
    grid = np.linspace(-12.0, 12.0, 4801)
    weights = np.exp(-grid * grid / 2)
    weights /= weights.sum()
    sigmoid, q = get_activation("sigmoid"), 1.0
    for _ in range(10_000):  # q -> n std^2 E[sigmoid(sqrt(q) z)^2] settles in a few dozen steps
        new = n * std * std * np.sum(weights * sigmoid.forward_unchecked(np.sqrt(q) * grid) ** 2)
        if abs(new - q) <= 1e-13 * q:
            break
        q = new
    return float(np.sqrt(n * std * std * np.sum(weights * sigmoid.derivative_unchecked(np.sqrt(q) * grid) ** 2)))


def balanced_sigmoid_std(n):
    """The std of the weights at which sigmoid_mean_field_factor(n, std) is 1: neither vanishing nor exploding.
    (The factor grows with std; bisection to 1e-6.)"""
    low, high = 1e-3, 1e3
    while high - low > 1e-6:
        middle = (low + high) / 2
        low, high = (middle, high) if sigmoid_mean_field_factor(n, middle) < 1 else (low, middle)
    return (low + high) / 2


def verdict(ratio, low=VANISHING, high=EXPLODING, words=("vanishing", "healthy", "exploding")):
    """One word for a ratio: words[0] below `low`, words[2] above `high`, else words[1]."""
    ratio = check_number(ratio, "ratio", low=0.0)
    return words[0] if ratio < low else words[2] if ratio > high else words[1]


def gradient_verdict(stats):
    """"vanishing", "healthy" or "exploding" for the gradients of a fresh network: the first hidden
    layer's error signal (delta_rms) below 0.1 or above 10 times the last hidden layer's.

    The ratio is enough: the last hidden layer's signal cannot blow up by itself (each point's dL_n/dlogits has
    length at most sqrt(2) and the lab's activations have slopes at most 1, so every point's delta there is at most
    sqrt(2) times the largest singular value of the output weights; a test checks it for every network the explorer
    reaches), and an init that shrinks or grows the signal in every layer (relu + xavier, relu + normal) multiplies
    that ratio once per layer.
    """
    return verdict(stats.first_to_last)


def _data_losses(model, X, y, lr, epochs, seed, stop=None):
    """Train `model` with mini-batch SGD for up to `epochs` epochs and return the trained model's loss
    on all of (X, y) after every epoch (fit's history.train_loss; not the running mean of the epoch's
    mini-batch losses, which mixes the losses of the weights before each of the epoch's steps).
    `stop(losses)` may end training early. A run that diverges is stopped: a loss that is no longer
    finite ends the list."""

    def after_epoch(epoch, history):
        losses = history.train_loss
        return not np.isfinite(losses[-1]) or (stop is not None and stop(losses))

    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        losses = fit(model, X, y, epochs=epochs, batch_size=BATCH_SIZE, lr=lr, seed=seed, on_diverge="stop",
                     callback=after_epoch).train_loss
    return losses if not losses or np.isfinite(losses[-1]) else losses[:-1]


def train_curve(depth, activation, init, lr, *, seed=SEED, nudge=0.0, epochs=EPOCHS, X=None, y=None):
    """Train a fresh lab network with mini-batch SGD and return its loss curve.

    `seed` draws the initial weights and the order of the mini-batches (the table uses SEED).
    `nudge` multiplies the initial weights by (1 + nudge): see build_training_table.

    Returns a float32 array of epochs + 1 numbers: the model's loss on all the data at
    initialisation and after every epoch. A run that diverges is stopped; the epochs it did
    not reach are NaN. A loss too large for float32 (above 3.4e38, a network that blew up
    but did not stop) is stored as inf.
    """
    lr = check_number(lr, "lr", low=0.0, low_open=True)
    epochs = check_int(epochs, "epochs", minimum=0)
    if X is None or y is None:
        X, y = lab_data()
    scale = 1.0 + check_number(nudge, "nudge", low=-1e-3, high=1e-3)
    model = make_model(depth, activation, init, seed=seed)
    for layer in model.layers:
        layer.W *= scale
    curve = np.full(epochs + 1, np.nan, dtype=np.float32)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        curve[0] = evaluate(model, X, y)[0]
        losses = _data_losses(model, X, y, lr, epochs, seed)
        curve[1:1 + len(losses)] = losses  # beyond float32's range (3.4e38): inf
    return curve


def train_with_speeds(depth, activation, init, lr, *, seed=SEED, epochs=EPOCHS):
    """Nielsen's speed of learning of each hidden layer during training: train a fresh lab network as train_curve
    does (the same weights and batches, so the same loss curve) and return (curve, speeds).

    curve: (epochs + 1,) the model's loss on all the data, at initialisation and after every epoch.
    speeds: (epochs + 1, depth) for every hidden layer, input side first, the root mean square over its units of
        dL/db (L: the mean loss on all the data) at the same moments: how fast plain SGD moves that layer's biases.
        A per-unit measure, so layers of different sizes compare. A run that diverges stops: the rest is NaN.
    """
    lr = check_number(lr, "lr", low=0.0, low_open=True)
    epochs = check_int(epochs, "epochs", minimum=0)
    X, y = lab_data()
    model = make_model(depth, activation, init, seed=seed)
    curve, speeds = np.full(epochs + 1, np.nan), np.full((epochs + 1, depth), np.nan)

    def record(epoch, history=None):
        loss, _, deltas = error_signals(model, X, y)
        curve[epoch] = loss if history is None else history.train_loss[-1]
        speeds[epoch] = [np.sqrt(np.mean(delta.mean(axis=0) ** 2)) for delta in deltas]
        return not np.isfinite(curve[epoch])

    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        record(0)
        fit(model, X, y, epochs=epochs, batch_size=BATCH_SIZE, lr=lr, seed=seed, on_diverge="stop",
            callback=lambda epoch, history: record(epoch + 1, history))
    return curve, speeds


def same_curves(a, b, tol=SHOWN):
    """True when two loss curves agree to `tol` (relative above 1) at every epoch and diverged
    (NaN) in the same epoch: the precision at which the lab shows trained losses."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or not np.array_equal(np.isnan(a), np.isnan(b)):
        return False
    with np.errstate(invalid="ignore", over="ignore"):
        close = np.isclose(a, b, rtol=tol, atol=tol, equal_nan=True) | (a == b)
    return bool(close.all())


def build_training_table(path=TABLE_PATH, depths=DEPTHS, activations=ACTIVATIONS, inits=INITS,
                         log10_lrs=LOG10_LRS, epochs=EPOCHS, progress=None):
    """Train every (activation, init, depth, lr) of the grid and return the table as a dict
    of arrays; also save it as a compressed .npz at `path` unless path is None.

    Every run is trained twice, the second time with its initial weights multiplied by
    (1 + NUDGE): 1e-10 changes the arithmetic about as much as another CPU's BLAS kernel does
    (more, to be safe). Where the two curves differ at the precision shown (same_curves), the
    run is chaotic, its digits depend on the machine, and `chaotic` marks it. With the defaults
    this is the 2 x 1092 runs of the shipped file (about 8 minutes on one core). `progress`, if given,
    is called as progress(done, total) after each setting.
    """
    depths = tuple(check_int(d, "depths[]", minimum=1) for d in depths)
    for a in activations:
        check_choice(a, "activations[]", ACTIVATIONS)
    for i in inits:
        check_choice(i, "inits[]", INITS)
    X, y = lab_data()
    loss = np.full((len(activations), len(inits), len(depths), len(log10_lrs), epochs + 1), np.nan, np.float32)
    chaotic = np.zeros(loss.shape[:-1], dtype=bool)
    total, done = chaotic.size, 0
    for a, activation in enumerate(activations):
        for i, init in enumerate(inits):
            for d, depth in enumerate(depths):
                for k, log_lr in enumerate(log10_lrs):
                    loss[a, i, d, k] = train_curve(depth, activation, init, 10.0**log_lr, epochs=epochs, X=X, y=y)
                    nudged = train_curve(depth, activation, init, 10.0**log_lr, nudge=NUDGE, epochs=epochs, X=X, y=y)
                    chaotic[a, i, d, k] = not same_curves(loss[a, i, d, k], nudged)
                    done += 1
                    if progress is not None:
                        progress(done, total)
    table = {"loss": loss, "chaotic": chaotic, **_grid(activations, inits, depths, log10_lrs, epochs)}
    if path is not None:
        save_table(path, table)
    return table


def _grid(activations=ACTIVATIONS, inits=INITS, depths=DEPTHS, log10_lrs=LOG10_LRS, epochs=EPOCHS):
    """The settings a training table is made for, as the arrays it stores (the lab's grid by default)."""
    return {"activations": np.array(activations), "inits": np.array(inits), "depths": np.array(depths, dtype=np.int64),
            "log10_lrs": np.array(log10_lrs, dtype=np.float64), "epochs": np.int64(epochs), **_lab_settings()}


def _lab_settings():
    """What every saved run of the lab was trained with, as stored arrays: the width, the batch size, the data."""
    return {"width": np.int64(WIDTH), "batch_size": np.int64(BATCH_SIZE),
            "data": np.array([DATA["n"], DATA["noise"], DATA["seed"]], dtype=np.float64)}


class TrainingTable:
    """The precomputed loss curves, looked up by (activation, init, depth, lr): a table of the lab's grid
    (load_training_table checks that it is)."""

    def __init__(self, table, source="the training table"):
        self.source = source
        self.loss = np.asarray(table["loss"])
        shape = (len(ACTIVATIONS), len(INITS), len(DEPTHS), len(LOG10_LRS), EPOCHS + 1)
        if self.loss.shape != shape or self.loss.dtype != np.float32:
            self._fail(f"must hold a float32 loss array of shape {shape} (activation, init, depth, lr, epoch), "
                       f"got {self.loss.dtype} {self.loss.shape}")
        self.chaotic = np.asarray(table.get("chaotic", np.zeros(0)))
        if self.chaotic.shape != shape[:-1] or self.chaotic.dtype != bool:
            self._fail(f"must hold a bool array 'chaotic' of shape {shape[:-1]}, got {self.chaotic.dtype} "
                       f"{self.chaotic.shape}")

    def _fail(self, problem):
        raise ValueError(f"{self.source} {problem}; regenerate it with "
                         "nnlite.labs.vanishing.build_training_table()")

    def index(self, activation, init, depth, lr):
        """The (a, i, d, k) position of a setting; lr must be one of the table's learning rates."""
        check_choice(activation, "activation", ACTIVATIONS)
        check_choice(init, "init", INITS)
        check_choice(depth, "depth", DEPTHS)
        lr = check_number(lr, "lr", low=0.0, low_open=True)
        distance = np.abs(np.log10(lr) - np.array(LOG10_LRS))
        k = int(distance.argmin())
        if distance[k] > 0.01:
            valid = ", ".join(f"{v:.3g}" for v in learning_rates())
            raise ValueError(f"lr must be one of the precomputed learning rates {valid}; got {lr:g}")
        return ACTIVATIONS.index(activation), INITS.index(init), DEPTHS.index(depth), k

    def curve(self, activation, init, depth, lr):
        """The (EPOCHS + 1,) loss curve: loss at initialisation, then the mean loss of every epoch."""
        return self.loss[self.index(activation, init, depth, lr)]

    def is_chaotic(self, activation, init, depth, lr):
        """True when this run's curve depends on the last bits of the arithmetic (see build_training_table):
        its digits differ from machine to machine, so only its rough shape is worth reading."""
        return bool(self.chaotic[self.index(activation, init, depth, lr)])

    def all_lrs(self, activation, init, depth):
        """The curves of every learning rate for one network: (len(LOG10_LRS), EPOCHS + 1)."""
        a, i, d, _ = self.index(activation, init, depth, learning_rates()[0])
        return self.loss[a, i, d]


def load_training_table(path=TABLE_PATH):
    """Read the shipped table, checking that it matches this lab's grid and shapes."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"path {path} does not exist; make it with "
                                "nnlite.labs.vanishing.build_training_table()")
    table = load_table(path, "training", "nnlite.labs.vanishing.build_training_table()", {"loss"}, made_for=_grid())
    return TrainingTable(table, source=path.name)


def final_loss(curve):
    """(last loss reached, epoch in which training diverged or None) of a loss curve.

    A curve holds the loss at initialisation then one loss per epoch; a run that diverged
    stopped early and its missing epochs are NaN.
    """
    curve = np.asarray(curve, dtype=np.float64)
    if curve.ndim != 1 or len(curve) < 2:
        raise ValueError(f"curve must be a 1-D array of at least 2 losses, got shape {curve.shape}")
    missing = np.flatnonzero(np.isnan(curve[1:]))
    if missing.size == 0:
        return float(curve[-1]), None
    epoch = int(missing[0]) + 1
    return float(curve[epoch - 1]), epoch


# ------------------------------------------------------------------------- clipped SGD, one run at a time

class ClippedSGD(SGD):
    """SGD that clips the gradient by its norm before every step (Pascanu, Mikolov and Bengio 2013): when the
    gradient of all the parameters together is longer than max_norm, it is scaled down to that length. The
    step keeps its direction; only its length is bounded, by lr * max_norm. max_norm=None is plain SGD."""

    def __init__(self, model, lr=0.1, max_norm=1.0):
        super().__init__(model, lr=lr)
        self.max_norm = None if max_norm is None else check_number(max_norm, "max_norm", low=0.0, low_open=True)

    def step(self):
        norm = np.sqrt(sum(np.sum(grad * grad) for _, grad in self.params))
        if self.max_norm is not None and norm > self.max_norm:  # False for NaN: a diverged run stays diverged
            for _, grad in self.params:
                grad *= self.max_norm / norm
        super().step()


def _train(model, lr, max_norm, seed, epochs, after_epoch=None):
    """Mini-batch SGD on the lab data, the batches of fit() with this seed (the order of the mini-batches), every
    step clipped to max_norm (ClippedSGD; None does not clip); after_epoch() is called at the end of every epoch.
    Returns False as soon as a step's loss is no longer finite (the run diverged), else True."""
    X, y = lab_data()
    optimizer = ClippedSGD(model, lr=lr, max_norm=max_norm)
    rng = np.random.default_rng(seed)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for _ in range(epochs):
            for X_batch, y_batch in batches(X, y, BATCH_SIZE, seed=rng):
                if not np.isfinite(train_step(model, optimizer, X_batch, y_batch)):
                    return False
            if after_epoch is not None:
                after_epoch()
    return True


def trained_summary(depth, activation, init, lr, max_norm=None, seed=SEED, epochs=EPOCHS, batch_seed=None):
    """Train a fresh lab network with mini-batch SGD (the batches of fit() with batch_seed; None: with the weights'
    seed), every step clipped
    to max_norm (ClippedSGD; the default None does not clip), and return (loss, accuracy, gaps) of the trained
    model on all the lab data: gaps (N,) is, for every point, how far its largest logit lies above the other
    one (the certainty: a gap of g means a probability of 1 / (1 + e^-g) for the class chosen). A run whose
    loss stops being finite returns (inf, nan, None)."""
    X, y = lab_data()
    model = make_model(depth, activation, init, seed=seed)
    batch_seed = seed if batch_seed is None else check_int(batch_seed, "batch_seed", minimum=0)
    if not _train(model, lr, max_norm, batch_seed, epochs):
        return np.inf, np.nan, None
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        loss, accuracy = evaluate(model, X, y)
        top_two = np.sort(model.forward(X), axis=1)[:, -2:]
    return (float(loss), accuracy, top_two[:, 1] - top_two[:, 0]) if np.isfinite(loss) else (np.inf, np.nan, None)


# ---------------------------------------------------------------------- runs over seeds, saved with the course

# Settings whose training costs too much for the notebook's run: name -> (depth, activation, init, std, lr,
# max_norm). Each is trained from every seed of SEEDS, twice (the second time nudged: build_training_table).
SEED_RUN_SETTINGS = {
    "sigmoid + Xavier": (20, "sigmoid", "xavier", 1.0, 0.03, None),
    **{f"sigmoid + std {s}": (20, "sigmoid", "normal", float(s), 0.03, None) for s in (1, 2, 3, 4)},
    "ReLU + He, clipped to 1": (10, "relu", "he", 1.0, 1.0, 1.0),
}
SEED_RUNS_PATH = TABLE_PATH.parent / "vanishing_seed_runs.npz"
# Section 5's 10-layer networks at lr 0.1 (same tuple as above), trained from every seed with each batch order of
# BATCH_ORDERS: offset k shuffles the mini-batches with seed + k (k = 0: the seed's own order, as fit(seed=seed)).
# A final loss at lr 0.1 is one draw of SGD's noise; these runs show how much the batch order alone moves it.
ORDER_RUN_SETTINGS = {
    "sigmoid + Xavier": (10, "sigmoid", "xavier", 1.0, 0.1, None),
    "sigmoid + std 1": (10, "sigmoid", "normal", 1.0, 0.1, None),
    "ReLU + He": (10, "relu", "he", 1.0, 0.1, None),
}
BATCH_ORDERS = (0, 1000, 2000)
ORDER_RUNS_PATH = TABLE_PATH.parent / "vanishing_order_runs.npz"
LAST_EPOCHS = 5  # a chaotic run's loss jumps from epoch to epoch: SeedRuns.settled takes the median of the last 5


def train_run(depth, activation, init, lr, std=1.0, max_norm=None, seed=SEED, nudge=0.0, epochs=EPOCHS,
              batch_seed=None):
    """Train a fresh lab network (init "normal" with this std) with mini-batch SGD, every step clipped to max_norm
    (None: plain SGD), the initial weights multiplied by (1 + nudge). `seed` draws the weights; `batch_seed` the
    order of the mini-batches (None: the same seed, as everywhere else in the lab). Returns (curve, accuracy): the
    model's loss on all the lab data at initialisation and after every epoch (float32, NaN after a divergence, as
    train_curve's), and its accuracy at the end (NaN if it diverged)."""
    scale = 1.0 + check_number(nudge, "nudge", low=-1e-3, high=1e-3)
    batch_seed = seed if batch_seed is None else check_int(batch_seed, "batch_seed", minimum=0)
    X, y = lab_data()
    model = make_model(depth, activation, init, std=std, seed=seed)
    for layer in model.layers:
        layer.W *= scale
    losses = [evaluate(model, X, y)[0]]
    finished = _train(model, lr, max_norm, batch_seed, epochs,
                      after_epoch=lambda: losses.append(evaluate(model, X, y)[0]))
    reached = list(itertools.takewhile(np.isfinite, losses))  # an overflowing loss: the run diverged there
    curve = np.full(epochs + 1, np.nan, dtype=np.float32)
    curve[:len(reached)] = reached
    accuracy = evaluate(model, X, y)[1] if finished and len(reached) == len(losses) else np.nan
    return curve, accuracy


@dataclass
class SeedRuns:
    """One setting trained from every seed, in several rows. For SEED_RUN_SETTINGS row 0 is as drawn and row 1
    has the initial weights multiplied by (1 + NUDGE), which changes the arithmetic about as much as another
    computer does; for ORDER_RUN_SETTINGS row k used the k-th batch order of BATCH_ORDERS.

    loss: (rows, seeds, EPOCHS + 1) the model's loss on all the lab data at initialisation and after every epoch
        (NaN after a divergence). accuracy: (rows, seeds) at the end.
    """

    loss: np.ndarray
    accuracy: np.ndarray

    def settled(self):
        """(rows, seeds) the median of each run's loss over its last LAST_EPOCHS epochs (inf if it diverged): where
        a run ended up, less at the mercy of its last step than the final loss."""
        last = self.loss[..., -LAST_EPOCHS:].astype(np.float64)
        return np.where(np.isnan(last).any(axis=-1), np.inf, np.median(last, axis=-1))

    def best(self):
        """(rows, seeds) the lowest loss each run reached after some epoch (NaN epochs skipped)."""
        return np.nanmin(self.loss[..., 1:].astype(np.float64), axis=-1)

    def chaotic(self):
        """(seeds,) True where row 1 (the nudged run) differs from row 0 at the precision shown (same_curves):
        its digits depend on the computer, so only the spread over seeds is worth reading."""
        return np.array([not same_curves(a, b) for a, b in zip(self.loss[0], self.loss[1], strict=True)])


def precompute_seed_runs(settings=SEED_RUN_SETTINGS, seeds=SEEDS, epochs=EPOCHS, nudges=(0.0, NUDGE),
                         batch_orders=(0,)):
    """Train every setting from every seed, once per nudge and batch order (row by row: every nudge with the first
    order, then the other orders unnudged): {name: SeedRuns}. The shipped files hold SEED_RUN_SETTINGS over the 10
    SEEDS as drawn and nudged (about 30 s on one core; save it with save_seed_runs) and ORDER_RUN_SETTINGS with
    nudges=(0.0,), batch_orders=BATCH_ORDERS (about 15 s; save_seed_runs(runs, which="orders"))."""
    rows = [(nudge, batch_orders[0]) for nudge in nudges] + [(0.0, order) for order in batch_orders[1:]]
    runs = {}
    for name, setting in settings.items():
        trained = [over_seeds(_setting_run, seeds, setting=setting, nudge=nudge, order=order, epochs=epochs)
                   for nudge, order in rows]
        runs[name] = SeedRuns(np.array([[curve for curve, _ in row] for row in trained], dtype=np.float32),
                              np.array([[accuracy for _, accuracy in row] for row in trained]))
    return runs


def _setting_run(setting, seed, nudge, order, epochs):
    """train_run of one (depth, activation, init, std, lr, max_norm) of SEED_RUN_SETTINGS or ORDER_RUN_SETTINGS,
    from `seed`, its mini-batches shuffled with seed + order."""
    depth, activation, init, std, lr, max_norm = setting
    return train_run(depth, activation, init, lr, std, max_norm, seed, nudge, epochs, batch_seed=seed + order)


def _settings_text(settings):
    return np.array([f"{name}: {setting!r}" for name, setting in settings.items()])


def _run_file(which):
    """(default path, settings, what its rows were trained with) of the runs saved with the course: "seeds"
    (SEED_RUN_SETTINGS, as drawn and nudged) or "orders" (ORDER_RUN_SETTINGS, one row per batch order)."""
    files = {"seeds": (SEED_RUNS_PATH, SEED_RUN_SETTINGS, {"nudge": np.float64(NUDGE)}),
             "orders": (ORDER_RUNS_PATH, ORDER_RUN_SETTINGS, {"batch_orders": np.array(BATCH_ORDERS)})}
    return files[check_choice(which, "which", tuple(files))]


def save_seed_runs(runs, path=None, which="seeds"):
    """Write precompute_seed_runs() as the compressed file load_seed_runs reads (path None: the course's file)."""
    default, settings, rows = _run_file(which)
    save_table(default if path is None else path,
               {"settings": _settings_text({name: settings[name] for name in runs}), "seeds": np.array(SEEDS), **rows,
                "loss": np.array([r.loss for r in runs.values()]),
                "accuracy": np.array([r.accuracy for r in runs.values()])})


def load_seed_runs(path=None, which="seeds"):
    """The runs saved with the course, {name: SeedRuns} for every setting of SEED_RUN_SETTINGS (which="orders": of
    ORDER_RUN_SETTINGS); a file made for other settings, seeds or rows is refused in words."""
    default, settings, rows = _run_file(which)
    table = load_table(default if path is None else path, "seed runs", "save_seed_runs(precompute_seed_runs(...))",
                       {"loss", "accuracy"}, made_for={"settings": _settings_text(settings), "seeds": np.array(SEEDS),
                                                      **rows})
    return {name: SeedRuns(loss, accuracy)
            for name, loss, accuracy in zip(settings, table["loss"], table["accuracy"], strict=True)}


# Optional section 9's long runs: sigmoid + Xavier at lr SPEED_LR for SPEED_EPOCHS epochs, depth -> seeds, each run
# with the speed of learning of every hidden layer (train_with_speeds). Calm runs: another CPU gives the same
# curves and speeds to about 11 digits.
SPEED_RUNS = {4: (0, 1, 2), 10: (0,)}
SPEED_LR, SPEED_EPOCHS = 1.0, 200
SPEED_RUNS_PATH = TABLE_PATH.parent / "vanishing_speed_runs.npz"


def precompute_speed_runs():
    """Train optional section 9's runs: {depth: [(curve, speeds) of train_with_speeds, one per seed]} for every
    depth and seed of SPEED_RUNS. About 5 s on one core; save them with save_speed_runs."""
    return {depth: over_seeds(train_with_speeds, seeds, depth=depth, activation="sigmoid", init="xavier",
                              lr=SPEED_LR, epochs=SPEED_EPOCHS)
            for depth, seeds in SPEED_RUNS.items()}


def _speed_made_for():
    return {"runs": np.array([f"{depth} layers, seeds {seeds}" for depth, seeds in SPEED_RUNS.items()]),
            "network": np.array("sigmoid + xavier"), "lr": np.float64(SPEED_LR), "epochs": np.int64(SPEED_EPOCHS),
            **_lab_settings()}


def save_speed_runs(runs, path=None):
    """Write precompute_speed_runs() as the compressed file load_speed_runs reads (path None: the course's file).
    Curves and speeds are stored as float32: 7 digits, where the notebook prints at most 3."""
    expected = {depth: (len(seeds), SPEED_EPOCHS + 1) for depth, seeds in SPEED_RUNS.items()}
    got = {depth: np.shape([curve for curve, _ in pairs]) for depth, pairs in runs.items()}
    if got != expected:
        raise ValueError(f"runs must be what precompute_speed_runs() returns, curves of shape (seeds, epochs + 1) "
                         f"by depth {expected}; got {got}")
    arrays = {}
    for depth, pairs in runs.items():
        arrays[f"curves_{depth}"] = np.array([curve for curve, _ in pairs], dtype=np.float32)
        arrays[f"speeds_{depth}"] = np.array([speeds for _, speeds in pairs], dtype=np.float32)
    save_table(SPEED_RUNS_PATH if path is None else path, {**arrays, **_speed_made_for()})


def load_speed_runs(path=None):
    """The runs saved with the course, as precompute_speed_runs() returns them (float64); a file made for other
    settings is refused in words."""
    names = [f"{kind}_{depth}" for depth in SPEED_RUNS for kind in ("curves", "speeds")]
    table = load_table(SPEED_RUNS_PATH if path is None else path, "speed runs",
                       "save_speed_runs(precompute_speed_runs())", names, made_for=_speed_made_for())
    return {depth: [(curve.astype(np.float64), speeds.astype(np.float64))
                    for curve, speeds in zip(table[f"curves_{depth}"], table[f"speeds_{depth}"], strict=True)]
            for depth in SPEED_RUNS}


class LayerScaledSGD(SGD):
    """SGD whose step for hidden or output layer l is multiplied by scales[l] (one number per layer, input side
    first): a per-layer learning rate lr * scales[l]."""

    def __init__(self, model, lr, scales):
        super().__init__(model, lr=lr)
        scales = as_float_array(scales, "scales", ndim=1)
        if 2 * len(scales) != len(self.params):
            raise ValueError(f"scales: expected one number per layer ({len(self.params) // 2}), got {len(scales)}")
        self.scales = np.repeat(scales, 2)  # each layer has a W and a b

    def step(self):
        for (_, grad), scale in zip(self.params, self.scales, strict=True):
            grad *= scale
        super().step()


class Adam:
    """Adam (Kingma and Ba 2015, Algorithm 1; beta1 0.9, beta2 0.999, eps 1e-8 as in the paper and PyTorch):
    every parameter steps by lr times the running mean of its gradient divided by (the root of the running
    mean of its square + eps), both means corrected for starting at 0. A small gradient does not mean a small
    step, as long as it is well above eps. nnlite's core has no Adam: this one serves notebook 05's optional
    section 14 (`sigmoid_loss_with_adam`)."""

    def __init__(self, model, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = check_number(lr, "lr", low=0.0, low_open=True)
        self.beta1 = check_number(beta1, "beta1", low=0.0, high=1.0, high_open=True)
        self.beta2 = check_number(beta2, "beta2", low=0.0, high=1.0, high_open=True)
        self.eps = check_number(eps, "eps", low=0.0)
        self.params = model.parameters()
        self.ends = np.cumsum([value.size for value, _ in self.params])  # where each parameter ends in a flat vector
        self.means, self.squares = np.zeros(self.ends[-1]), np.zeros(self.ends[-1])  # the running means, flat
        self.t = 0

    def step(self):
        """Update every parameter in place from its current gradient. The rule runs once on all the gradients as
        one flat vector, not once per parameter: the same arithmetic for every number (so the same results to the
        last bit), in under half the time for a 20-layer stack's 42 arrays (0.43 ms a step against 1.1)."""
        self.t += 1
        grad = np.concatenate([grad.ravel() for _, grad in self.params])
        self.means = self.beta1 * self.means + (1 - self.beta1) * grad
        self.squares = self.beta2 * self.squares + (1 - self.beta2) * grad * grad
        steps = self.lr * (self.means / (1 - self.beta1**self.t)) / (np.sqrt(self.squares / (1 - self.beta2**self.t))
                                                                     + self.eps)
        for (value, _), part in zip(self.params, np.split(steps, self.ends[:-1]), strict=True):
            value -= part.reshape(value.shape)


def sigmoid_loss_with_rescaled_steps(depth, lr=0.1, rescale=True, seed=SEED, epochs=EPOCHS):
    """Train a fresh sigmoid + Xavier lab network with mini-batch SGD for `epochs` epochs and return the model's loss
    on all the lab data. rescale=True multiplies the step of every hidden layer by (the last hidden layer's error
    signal / its own), measured at initialisation, so that every layer starts with steps as large as the last
    hidden layer's: whatever still stops it learning is not the early layers' small steps. rescale=False: plain
    SGD, the same batches."""
    signal = init_stats(depth, "sigmoid", "xavier", seed=seed).delta_rms
    scales = np.append(signal[-1] / signal, 1.0) if rescale else np.ones(depth + 1)  # the output layer keeps lr
    return _sigmoid_loss_after(depth, lambda model: LayerScaledSGD(model, lr, scales), seed, epochs)


def sigmoid_loss_with_adam(depth, lr=0.01, seed=SEED, epochs=EPOCHS, eps=1e-8):
    """Train a fresh sigmoid + Xavier lab network with `Adam` for `epochs` epochs, mini-batches of BATCH_SIZE, and
    return the model's loss on all the lab data (the guessing line is ln 2 = 0.69). eps=0 lets even the tiniest
    gradient take a full step."""
    return _sigmoid_loss_after(depth, lambda model: Adam(model, lr, eps=eps), seed, epochs)


def _sigmoid_loss_after(depth, optimizer_for, seed, epochs):
    """The model's loss on all the lab data after `epochs` epochs of a fresh sigmoid + Xavier lab network trained
    by optimizer_for(model), its mini-batches drawn from `seed`."""
    X, y = lab_data()
    model = make_model(depth, "sigmoid", "xavier", seed=seed)
    optimizer = optimizer_for(model)
    rng = np.random.default_rng(seed)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for _ in range(epochs):
            for X_batch, y_batch in batches(X, y, BATCH_SIZE, seed=rng):
                train_step(model, optimizer, X_batch, y_batch)
        return float(evaluate(model, X, y)[0])


# Optional section 14's Adam runs: sigmoid + Xavier stacks of every depth of ADAM_DEPTHS, Adam at lr ADAM_LR with the
# paper's eps, and the deepest once more with eps 0, each from every seed of ADAM_SEEDS. The 10-layer runs are chaotic
# (which of them leave the guessing line depends on the CPU); the 20-layer ones calm (6 digits on every kernel tried).
ADAM_DEPTHS = (10, 20)
ADAM_SEEDS = tuple(range(15))
ADAM_LR, ADAM_EPS = 0.01, 1e-8
ADAM_RUNS_PATH = TABLE_PATH.parent / "vanishing_adam_runs.npz"


def precompute_adam_runs():
    """Train optional section 14's 45 runs (sigmoid_loss_with_adam): (adam, no_eps). adam: {depth: (15,) losses}
    for every depth of ADAM_DEPTHS; no_eps: (15,) losses of the deepest stack with eps 0. Each loss is the model's
    loss on all the lab data after EPOCHS epochs. About 20 s on one core; save them with save_adam_runs."""
    adam = {depth: np.array(over_seeds(sigmoid_loss_with_adam, ADAM_SEEDS, depth=depth, lr=ADAM_LR, eps=ADAM_EPS))
            for depth in ADAM_DEPTHS}
    no_eps = np.array(over_seeds(sigmoid_loss_with_adam, ADAM_SEEDS, depth=ADAM_DEPTHS[-1], lr=ADAM_LR, eps=0.0))
    return adam, no_eps


def _adam_made_for():
    return {"depths": np.array(ADAM_DEPTHS), "seeds": np.array(ADAM_SEEDS), "lr": np.float64(ADAM_LR),
            "eps": np.float64(ADAM_EPS), "epochs": np.int64(EPOCHS), **_lab_settings()}


def save_adam_runs(runs, path=None):
    """Write precompute_adam_runs() as the compressed file load_adam_runs reads (path None: the course's file).
    The losses are stored as float32: 7 digits, where the notebook reads 3 decimals."""
    adam, no_eps = runs
    expected = {depth: (len(ADAM_SEEDS),) for depth in ADAM_DEPTHS}
    got = {depth: np.shape(losses) for depth, losses in adam.items()}
    if got != expected or np.shape(no_eps) != (len(ADAM_SEEDS),):
        raise ValueError(f"runs must be what precompute_adam_runs() returns, (adam, no_eps) with adam {expected} by "
                         f"depth and no_eps {(len(ADAM_SEEDS),)}; got adam {got}, no_eps {np.shape(no_eps)}")
    save_table(ADAM_RUNS_PATH if path is None else path,
               {"adam": np.array([adam[depth] for depth in ADAM_DEPTHS], dtype=np.float32),
                "no_eps": np.asarray(no_eps, dtype=np.float32), **_adam_made_for()})


def load_adam_runs(path=None):
    """The runs saved with the course, (adam, no_eps) as precompute_adam_runs() returns them (float64); a file made
    for other settings is refused in words."""
    table = load_table(ADAM_RUNS_PATH if path is None else path, "Adam runs", "save_adam_runs(precompute_adam_runs())",
                       {"adam", "no_eps"}, made_for=_adam_made_for())
    return (dict(zip(ADAM_DEPTHS, table["adam"].astype(np.float64), strict=True)),
            table["no_eps"].astype(np.float64))


def epochs_to_learn(depth, activation, init, lr, target=0.1, max_epochs=200, seed=SEED):
    """Does a slow learner get there later? Train one fresh lab network for at least EPOCHS epochs and
    until the model's loss on the data is below `target` (at most max_epochs). Returns (losses, epoch):
    the model's loss at initialisation and after every epoch trained, and the first epoch after which
    it was below `target` (None if it never was)."""
    X, y = lab_data()
    model = make_model(depth, activation, init, seed=seed)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        start = evaluate(model, X, y)[0]
    losses = np.array([start] + _data_losses(model, X, y, lr, max_epochs, seed,
                                             stop=lambda losses: len(losses) >= EPOCHS and losses[-1] < target))
    below = np.flatnonzero(losses[1:] < target)
    return losses, (int(below[0]) + 1 if below.size else None)


def training_outcome(depth, activation, init, lr, *, seed=SEED, epochs=EPOCHS):
    """How one run of a fresh lab network ends: (word, losses, dead_layers).

    losses: the model's loss on the data after every epoch it reached. word: "diverged" (stopped
    before `epochs`: the loss overflowed), "collapsed" (the trained network gives the same output
    for every point) or "trained". dead_layers: the hidden layers (1 = input side) in which every
    unit outputs 0 for every point at the end: with ReLU, such a layer lets no input through to
    the output and no gradient through to the layers below it.
    """
    X, y = lab_data()
    model = make_model(depth, activation, init, seed=seed)
    losses = _data_losses(model, X, y, lr, epochs, seed)
    with np.errstate(over="ignore", invalid="ignore"):
        same = bool(np.all(np.ptp(model.forward(X), axis=0) == 0.0))
        dead = [layer + 1 for layer, h in enumerate(model.hidden_outputs) if np.all(h == 0.0)]
    word = "diverged" if len(losses) < epochs else "collapsed" if same else "trained"
    return word, losses, dead


@functools.lru_cache(maxsize=None)
def linear_baseline(epochs=3000, lr=1.0):
    """(loss, accuracy) of logistic regression (no hidden layer) trained on the lab data: the best a
    straight decision boundary can do. Full-batch gradient descent on a convex loss, so every
    seed and every machine reaches the same optimum (to 3 decimals). `epochs` plain steps on all the
    points: fit's steps, without the loss it records after every epoch (under half the time). Computed
    once per Python session (notebook 05 asks in sections 12 and 16)."""
    X, y = lab_data()
    model = MLP([2, 2], seed=SEED)
    optimizer = SGD(model, lr=lr)
    for _ in range(check_int(epochs, "epochs", minimum=0)):
        train_step(model, optimizer, X, y)
    return evaluate(model, X, y)


DEAD_DEPTH, DEAD_LR = 10, 0.1  # optional section 13's network and rate


def dead_units_over_training(depth=DEAD_DEPTH, lr=DEAD_LR, epochs=EPOCHS, seed=SEED):
    """Train a ReLU + He lab network and record which hidden units are dead (output 0 for all
    200 points) at the start and after every epoch: a (epochs + 1, depth, WIDTH) bool array."""
    X, y = lab_data()
    model = make_model(depth, "relu", "he", seed=seed)

    def dead_now():
        with np.errstate(over="ignore", invalid="ignore"):
            model.forward(X)
            return np.array([np.all(h == 0.0, axis=0) for h in model.hidden_outputs])

    record = [dead_now()]
    steps = training_steps(model, X, y, batch_size=BATCH_SIZE, lr=lr, seed=seed)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for end_of_epoch in steps:
            if end_of_epoch:
                record.append(dead_now())
                if len(record) == epochs + 1:
                    break
    return np.array(record)


# Optional section 13's runs: ReLU + He, DEAD_DEPTH layers, lr DEAD_LR, from every seed of SEEDS. Calm runs: which
# unit is dead when was the same to the last unit under every BLAS kernel tried.
DEAD_UNITS_PATH = TABLE_PATH.parent / "vanishing_dead_units.npz"


def precompute_dead_units():
    """Train optional section 13's runs: dead_units_over_training(DEAD_DEPTH, DEAD_LR) from every seed of SEEDS, a
    (seeds, EPOCHS + 1, DEAD_DEPTH, WIDTH) bool array. About 2 s on one core; save it with save_dead_units."""
    return np.array(over_seeds(dead_units_over_training, SEEDS, depth=DEAD_DEPTH, lr=DEAD_LR))


def _dead_made_for():
    return {"seeds": np.array(SEEDS), "depth": np.int64(DEAD_DEPTH), "lr": np.float64(DEAD_LR),
            "epochs": np.int64(EPOCHS), **_lab_settings()}


def save_dead_units(dead, path=None):
    """Write precompute_dead_units() as the compressed file load_dead_units reads (path None: the course's file),
    each unit one bit (np.packbits over the units of a layer)."""
    dead = np.asarray(dead)
    shape = (len(SEEDS), EPOCHS + 1, DEAD_DEPTH, WIDTH)
    if dead.shape != shape or dead.dtype != bool:
        raise ValueError(f"dead must be what precompute_dead_units() returns, a bool array of shape {shape}; got "
                         f"{dead.dtype} {dead.shape}")
    save_table(DEAD_UNITS_PATH if path is None else path, {"dead": np.packbits(dead, axis=-1), **_dead_made_for()})


def load_dead_units(path=None):
    """The runs saved with the course, as precompute_dead_units() returns them; a file made for other settings is
    refused in words."""
    table = load_table(DEAD_UNITS_PATH if path is None else path, "dead-unit runs",
                       "save_dead_units(precompute_dead_units())", {"dead"}, made_for=_dead_made_for())
    return np.unpackbits(table["dead"], axis=-1, count=WIDTH).astype(bool)


@dataclass
class UnitFates:
    """What happened to the dead units of one training run, counted per hidden layer ((depth,) ints).

    born_dead: dead at initialisation; born_dead_back: of those, alive at the end.
    died: alive at initialisation and dead after some epoch; died_back: of those, alive at the end.
    """

    born_dead: np.ndarray
    born_dead_back: np.ndarray
    died: np.ndarray
    died_back: np.ndarray


def unit_fates(dead):
    """Count born-dead and died-in-training units apart, and which came back, from a record of
    dead_units_over_training ((epochs + 1, depth, width) bool, epoch 0 = initialisation)."""
    dead = np.asarray(dead, dtype=bool)
    if dead.ndim != 3 or len(dead) < 2:
        raise ValueError(f"dead must be a (epochs + 1, depth, width) array with epochs >= 1, got shape {dead.shape}")
    born, back = dead[0], ~dead[-1]
    died = ~born & dead[1:].any(axis=0)
    return UnitFates(born.sum(axis=-1), (born & back).sum(axis=-1), died.sum(axis=-1), (died & back).sum(axis=-1))


def per_example_ratios(depth, activation, init, seed=SEED):
    """(N,) for every lab point, the length of its own delta at the first hidden layer divided by that at the last
    hidden layer, in one fresh network: the vanishing (or exploding) of each example on its own."""
    X, y = lab_data()
    with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"):
        deltas = error_signals(make_model(depth, activation, init, seed=seed), X, y)[2]
        return np.linalg.norm(deltas[0], axis=1) / np.linalg.norm(deltas[-1], axis=1)


def share_without_gradient(depth, batch_size, seeds=SEEDS, draws=20, draw_seed=1):
    """The share of a fresh ReLU + He network's hidden units that get no gradient at all in one SGD step on a
    mini-batch of `batch_size` lab points: a ReLU unit whose input z is <= 0 for every point of the batch passes
    nothing back, so its weights and bias do not move in that step. Returns (len(seeds) * draws,) shares, one per
    network and random mini-batch. Batch size does not change how much each point's own error signal shrinks;
    it changes how many units get any update in a step."""
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    X, _ = lab_data()
    if batch_size > len(X):
        raise ValueError(f"batch_size must be at most the {len(X)} lab points, got {batch_size}")
    rng = np.random.default_rng(check_int(draw_seed, "draw_seed", minimum=0))

    def draw_batches(seed):  # the draws of one network, from the one rng shared by every seed (in seed order)
        model = make_model(depth, "relu", "he", seed=seed)
        with np.errstate(over="ignore", invalid="ignore"):
            model.forward(X)
        on = np.concatenate([z > 0 for z in model.pre_activations], axis=1)  # (points, all hidden units)
        return [1.0 - on[rng.choice(len(X), batch_size, replace=False)].any(axis=0).mean() for _ in range(draws)]

    shares = [share for per_seed in over_seeds(draw_batches, seeds) for share in per_seed]
    return np.array(shares)


def share_near_zero(depth, activation, init, limit=0.5, seed=SEED):
    """The share of all hidden pre-activations z (every unit, every lab point) with |z| < limit
    in a fresh network: where tanh is almost the identity, the network is almost linear."""
    X, _ = lab_data()
    model = make_model(depth, activation, init, seed=seed)
    with np.errstate(over="ignore", invalid="ignore"):
        model.forward(X)
    return float(np.mean(np.concatenate([np.abs(z).ravel() < limit for z in model.pre_activations])))


# ---------------------------------------------------------------------------------------- plots

def plot_slopes(ax=None, x_range=(-5.0, 5.0)):
    """The derivatives of sigmoid, tanh and ReLU on one axes, with sigmoid's ceiling 0.25."""
    ax = viz.get_axes(ax, figsize=(6, 3.4))
    x = np.linspace(*x_range, 1001)
    for name, color in (("sigmoid", viz.PALETTE[0]), ("tanh", viz.PALETTE[1])):
        ax.plot(x, get_activation(name).derivative(x), color=color, label=f"{name}'(x)")
    # ReLU' in two pieces: 0 left of the kink, 1 right of it (no slope in between)
    ax.plot([x_range[0], 0.0], [0.0, 0.0], color=viz.PALETTE[2], label="relu'(x)")
    ax.plot([0.0, x_range[1]], [1.0, 1.0], color=viz.PALETTE[2])
    # the jump at 0: a filled dot where the slope is taken (0), an open one where it is not (1)
    ax.plot([0.0], [0.0], "o", color=viz.PALETTE[2], markersize=6, label="relu'(0) = 0")
    ax.plot([0.0], [1.0], "o", color=viz.PALETTE[2], markerfacecolor="none", markersize=6, label="relu'(0) is not 1")
    ax.axhline(0.25, color=viz.PALETTE[0], linestyle=":", linewidth=1.2)
    ax.text(x_range[0] + 0.1, 0.27, "sigmoid' never exceeds 0.25", color=viz.PALETTE[0], fontsize="small")
    ax.set(xlim=x_range, ylim=(-0.05, 1.1), xlabel="x (the input of the activation)", ylabel="slope dy/dx",
           title="The slope each layer multiplies into the gradient")
    ax.legend(loc="center right")
    return ax



def plot_layer_gradients(networks, ax=None, title=None):
    """The error signal (InitStats.delta_rms) of every hidden layer at initialisation, one line per network
    (a dict name -> InitStats)."""
    ax = viz.get_axes(ax, figsize=(6.5, 3.6))
    for i, (name, stats) in enumerate(networks.items()):
        ax.plot(np.arange(1, stats.depth + 1), stats.delta_rms, marker="o", color=viz.PALETTE[i % len(viz.PALETTE)],
                label=name)
    ax.set(yscale="log", xlabel="hidden layer (1 = input side)", ylabel="error signal (RMS of ||delta||)",
           title=title)
    ax.legend()
    return ax


def plot_layer_speeds(runs, layers=(0, -1), ax=None, title=None, window=5):
    """Speed of learning during training: for every run (a dict name -> the speeds of train_with_speeds), the RMS
    of dL/db of the hidden layers `layers` (indices, input side first) after every epoch, on a log axis; one
    colour per run, solid for its first layer listed, dashed for the others. Each epoch is drawn as the median of
    the `window` epochs centred on it (fewer at the ends; 1: as measured), so the epoch-to-epoch noise does not
    hide the trend; the y label says so."""
    window = check_int(window, "window", minimum=1)
    ax = viz.get_axes(ax, figsize=(6.5, 3.6))
    for i, (name, speeds) in enumerate(runs.items()):
        speeds = np.asarray(speeds, dtype=float)
        for k, layer in enumerate(layers):
            number = range(1, speeds.shape[1] + 1)[layer]
            ax.plot(np.arange(len(speeds)), _running_median(speeds[:, layer], window),
                    color=viz.PALETTE[i % len(viz.PALETTE)], linestyle="-" if k == 0 else "--",
                    label=f"{name}, layer {number}")
    smoothed = f", median of {window} epochs" if window > 1 else ""
    ax.set(yscale="log", xlabel="epoch", ylabel=f"speed: RMS of dL/db{smoothed}", title=title)
    ax.legend(fontsize="small")
    return ax


def _running_median(values, window):
    """The median of the `window` values centred on each one (fewer at the ends), as an array of the same length."""
    values, half = np.asarray(values, dtype=float), window // 2
    return np.array([np.median(values[max(0, i - half):i + window - half]) for i in range(len(values))])


def plot_seed_spread(results, ax=None, title=f"The model's loss on all {DATA['n']} points after {EPOCHS} epochs",
                     unit="seed", baseline=None):
    """A strip plot: one row per setting (a dict name -> values over seeds), in the dict's order from the top, one
    dot per `unit`, with the guessing line and, if given, a `baseline` (value, label) drawn dashed. Dots within 0.01
    of the guessing line overlap into one blob, so a row with several there says how many in its label."""
    ax = viz.get_axes(ax, figsize=(6.5, 1.6 + 0.4 * len(results)))
    labels = []
    for row, (name, values) in enumerate(results.items()):
        values = np.asarray(values, dtype=float)
        ax.plot(values, np.full(len(values), len(results) - 1 - row), "o", color=viz.PALETTE[row % len(viz.PALETTE)],
                alpha=0.7)
        on_line = int(np.sum(np.abs(values - CHANCE_LOSS) < 0.01))
        labels.append(f"{name}\n({on_line} of {len(values)} within 0.01 of ln 2)" if on_line > 1 else name)
    lines = [(CHANCE_LOSS, "k", ":", f"guessing: ln 2 = {CHANCE_LOSS:.3f}")]
    if baseline is not None:
        lines.append((baseline[0], "0.4", "--", baseline[1]))
    for band, (x, color, style, label) in enumerate(lines):  # each line named in an empty band under the last row
        ax.axvline(x, color=color, linestyle=style)
        ax.annotate(label, (x, -0.85 - 0.5 * band), xytext=(-4, 0), textcoords="offset points", ha="right",
                    va="center", fontsize="small")
    ax.set(yticks=range(len(results)), yticklabels=labels[::-1], ylim=(-0.6 - 0.5 * len(lines), len(results) - 0.4),
           xlabel=f"loss (one dot per {unit})", title=title)
    return ax


def plot_seed_lines(runs, values, ylabel, ax=None, title=None, reference=None):
    """One thin line per seed over the hidden layers: values(stats) of every InitStats in `runs`, on a log axis,
    divided by `reference` (a number, or "first": each seed's own layer 1; None divides by nothing); a thick line
    for the median over the seeds, layer by layer, and with a reference a dashed line at 1."""
    ax = viz.get_axes(ax, figsize=(6.5, 3.2))
    lines = np.array([values(stats) for stats in runs], dtype=float)
    if reference == "first":
        lines = lines / lines[:, :1]
    elif reference is not None:
        lines = lines / check_number(reference, "reference", low=0.0, low_open=True)
    layers = np.arange(1, lines.shape[1] + 1)
    for line in lines:
        ax.plot(layers, line, color=viz.PALETTE[0], alpha=0.45, linewidth=1.0)
    median = np.median(lines, axis=0)
    ax.plot(layers, median, color=viz.PALETTE[3], linewidth=2.5, label=f"median of {len(lines)} seeds")
    if reference is not None:
        ax.axhline(1.0, color="0.3", linestyle="--", linewidth=1.0, label="1 (no change)")
    ax.legend(loc="lower left", fontsize="small")
    ax.set(yscale="log", xlabel="hidden layer (1 = input side)", ylabel=ylabel, title=title)
    return ax


def _reference_and_yours(ax, **axes_settings):
    """A log-scale axes with two empty lines: the ReLU + He reference (grey, dashed) and yours."""
    ax.set(yscale="log", **axes_settings)
    reference = ax.plot([], [], color="0.55", linestyle="--", linewidth=1.5, label="relu + he (reference)")[0]
    yours = ax.plot([], [], color=viz.PALETTE[3], marker="o", markersize=3.5, label="your network")[0]
    ax.legend(loc="lower right", fontsize="small")
    return reference, yours

class VanishingView:
    """Three plots, updated in place: the error signal (InitStats.delta_rms) and the spread across points (as a
    share of the outputs' size) of every hidden layer at initialisation, and the model's loss on the data over the
    epochs of training (a linear axis from 0: learning and guessing apart).

    The verdicts in words live in HTML captions above the plots, not in the figure: text is
    the slowest thing matplotlib draws (three texts took 60% of a redraw)."""

    def __init__(self):
        self.live = LiveRow(3, panel_size=(3.4, 3.7))  # separate panels: they wrap on a narrow screen
        self.ax_grad, self.ax_spread, self.ax_loss = self.live.subplots(1, 3)
        grey, main = "0.55", viz.PALETTE[3]

        self.grad_ref, self.grad_line = _reference_and_yours(
            self.ax_grad, xlim=(0.5, MAX_DEPTH + 0.5), ylim=SIGNAL_LIMITS, xlabel="hidden layer (1 = input side)",
            ylabel="error signal (RMS of ||delta||)", title="Error signal per layer at init")
        self.spread_ref, self.spread_line = _reference_and_yours(
            self.ax_spread, xlim=(0.5, MAX_DEPTH + 0.5), ylim=SPREAD_LIMITS, xlabel="hidden layer (1 = input side)",
            ylabel="std over points / size of outputs", title="Do the points still differ?")

        ax = self.ax_loss
        ax.set(xlim=(0, EPOCHS), ylim=LOSS_LIMITS, xlabel="epoch",
               ylabel=f"loss on all {DATA['n']} points", title=f"Training: {EPOCHS} epochs of SGD")
        ax.axhline(CHANCE_LOSS, color="k", linestyle=":", linewidth=1.2, zorder=3,  # above a curve that sits on it
                   label=f"guessing: ln 2 = {CHANCE_LOSS:.3f}")
        self.other_lrs = [ax.plot([], [], color=grey, linewidth=1, alpha=0.45)[0] for _ in LOG10_LRS[1:]]
        ax.plot([], [], color=grey, linewidth=1, alpha=0.45, label="other learning rates")
        self.loss_line = ax.plot([], [], color=main, label="this learning rate")[0]
        self.diverged_mark = ax.plot([], [], marker="X", markersize=11, color=main, linestyle="none",
                                     label="diverged")[0]
        ax.legend(loc="upper right", fontsize="small")

        self.live.animate(self.grad_ref, self.grad_line, self.spread_ref, self.spread_line, *self.other_lrs,
                          self.loss_line, self.diverged_mark)

    def show(self, stats, reference, curves, k):
        """Draw `stats` (InitStats of the chosen network), `reference` (InitStats of relu + he at
        the same depth, or None to hide it), `curves` (every lr's loss curve) with row k chosen."""
        layers = np.arange(1, stats.depth + 1)
        self.grad_line.set_data(layers, viz.within_limits(stats.delta_rms, SIGNAL_LIMITS))
        self.spread_line.set_data(layers, viz.within_limits(stats.spread, SPREAD_LIMITS))
        for line, ref, limits in ((self.grad_ref, None if reference is None else reference.delta_rms, SIGNAL_LIMITS),
                                  (self.spread_ref, None if reference is None else reference.spread, SPREAD_LIMITS)):
            line.set_visible(ref is not None)
            if ref is not None:
                line.set_data(np.arange(1, len(ref) + 1), viz.within_limits(ref, limits))
        epochs = np.arange(EPOCHS + 1)
        others = [row for j, row in enumerate(curves) if j != k]
        for line, row in zip(self.other_lrs, others, strict=True):
            reached = ~np.isnan(row)
            line.set_data(epochs[reached], viz.within_limits(row[reached], LOSS_LIMITS))
        curve = curves[k]
        reached = ~np.isnan(curve)
        self.loss_line.set_data(epochs[reached], viz.within_limits(curve[reached], LOSS_LIMITS))
        diverged = final_loss(curve)[1]
        self.diverged_mark.set_data(([], []) if diverged is None else ([diverged], [LOSS_LIMITS[1] * 0.93]))
        self.live.redraw()


@functools.lru_cache(maxsize=1)
def reachable_stats():
    """InitStats of every network the explorer's controls can reach, by (depth, activation, init):
    13 x 4 x 3 = 156 of them, about 0.4 s, computed once per Python session."""
    X, y = lab_data()
    return {(d, a, i): init_stats(d, a, i, X=X, y=y) for d in DEPTHS for a in ACTIVATIONS for i in INITS}


def depth_slider(value=10):
    """A slider over the precomputed depths."""
    return selection_slider("hidden layers", DEPTHS, value, format="{}")


def captions(activation, init, depth, lr, stats, curve, chaotic=False):
    """What the plots show, in words: (header, gradient caption, spread caption, training caption), HTML.
    `chaotic`: the run depends on the last bits of the arithmetic (TrainingTable.is_chaotic), which the
    training caption says instead of giving digits another machine would not reproduce."""
    label = {"normal": "std 1", "xavier": "Xavier", "he": "He"}[init]
    layers = "1 hidden layer" if depth == 1 else f"{depth} hidden layers"
    header = f"<b>{layers} of {WIDTH} {activation} units, {label} init, learning rate {lr:.3g}</b>"
    word = gradient_verdict(stats)
    if depth == 1:
        grad = f"error signal of the hidden layer: {stats.delta_rms[0]:.1e} &rarr; <b>{word}</b>"
    else:
        grad = (f"layer 1 gets {stats.first_to_last:.2g} &times; the error signal of layer {depth} "
                f"(RMS of each point's ||delta||; layer 1: {stats.delta_rms[0]:.1e}) &rarr; <b>{word}</b>")
    if depth == 1:
        spread = (f"the hidden layer's outputs differ between points by {stats.spread[0]:.2g} of their size "
                  "(std over points / root mean square)")
    else:
        word = "the points merge" if stats.spread_ratio < MERGED else "the points still differ"
        times = "less than 1e-12" if stats.spread_ratio < ROUNDING else f"{stats.spread_ratio:.2g}"
        spread = (f"layer {depth}'s outputs differ between points {times} &times; as much as "
                  f"layer 1's, each as a share of its outputs' size &rarr; <b>{word}</b>")
    last, diverged = final_loss(curve)
    if chaotic:
        training = ("<b>chaotic</b>: this run depends on the last bits of the arithmetic, so its curve differs "
                    "from machine to machine: read its shape, not its digits")
    elif diverged is not None:
        training = f"<b>diverged</b> in epoch {diverged}: its steps (learning rate &times; gradient) are too large"
    else:
        word = verdict(last / CHANCE_LOSS, STRAIGHT_LOSS / CHANCE_LOSS, 0.95,
                       words=(f"beats the best straight boundary ({STRAIGHT_LOSS})", "leaves the guessing line",
                              "no better than guessing"))
        training = (f"loss on all {DATA['n']} points: {curve[0]:.3g} at init &rarr; {last:.2f} after {EPOCHS} epochs "
                    f"(guessing: {CHANCE_LOSS:.3f}): <b>{word}</b>")
    return header, grad, spread, training


def caption_html(header, *columns):
    """The header line, then one column of words above each plot: one HTML text, so that a move
    sends one message for all four (each message can cost the browser a layout and a paint)."""
    cells = "".join(f"<div style='flex:1 1 0;padding:0 1em 0 3em'>{text}</div>" for text in columns)
    return f"<div>{header}</div><div style='display:flex;max-width:1000px'>{cells}</div>"


def explorer(depth=10, activation="sigmoid", init="xavier", lr=0.1, table=None):
    """The lab: depth, learning rate, activation and init, with the three plots live.

    The statistics at initialisation of every reachable network are computed here, the
    training curves come from the shipped table: a move only looks things up and draws.
    """
    table = load_training_table() if table is None else table
    stats = reachable_stats()

    view = VanishingView()
    words = text_line()
    shown = []  # the four texts of the captions now on show (panel.captions): header, gradient, spread, training

    def update(depth, lr, activation, init):
        a, i, d, k = table.index(activation, init, depth, lr)  # checks every value, in words
        chosen = stats[depth, activation, init]
        reference = None if (activation, init) == ("relu", "he") else stats[depth, "relu", "he"]
        curves = table.loss[a, i, d]
        view.show(chosen, reference, curves, k)
        shown[:] = captions(activation, init, depth, lr, chosen, curves[k], table.chaotic[a, i, d, k])
        words.value = caption_html(*shown)

    controls = {
        "depth": depth_slider(depth),
        "lr": log_slider("learning rate", LOG10_LRS[0], LOG10_LRS[-1], value=lr, step=0.5),
        "activation": dropdown("activation", list(ACTIVATIONS), value=activation),
        "init": dropdown("init", [("std 1", "normal"), ("xavier", "xavier"), ("he", "he")], value=init),
    }
    panel = Panel(update, controls, [words, view.live.widget], title="Vanishing and exploding gradients",
                  parts={"view": view, "words": words, "captions": shown})
    return panel


# Exercises (checked in the notebook)

CHAIN_RATIO = NumberExercise(
    "dC/db1 divided by dC/db4 in Nielsen's chain, every w = 0.5 and every z = 0",
    expected=(0.25 * 0.5) ** 3,
    mistakes=[
        Mistake(0.25**3, "That is three factors of 1/4 (or two of 1/8), and three different slips give it. Check "
                         "each: one factor for every layer between b1 and b4, a weight in every factor, and "
                         "sigma'(0), the sigmoid's SLOPE at 0, not its value sigma(0)."),
        Mistake(0.5**3, "That is three factors of 1/2: the weights alone, or the weights with a slope of 1 (tanh's "
                        "peak). Each factor is w times sigma'(z), and sigmoid's slope at 0 is smaller than 1."),
        Mistake(0.25**4 * 0.5**3, "That is dC/db1 / dC/da4: you kept sigma'(z4). It is in dC/db1 AND in dC/db4, "
                                  "so it cancels in the ratio. Count the factors that are left."),
        Mistake((0.25 * 0.5) ** 4, "Four factors of w sigma'(z), one too many: dC/db1 has four slopes but only three "
                                   "weights (w2, w3, w4: no w1), and sigma'(z4) cancels with dC/db4. Count the "
                                   "factors that are left."),
        Mistake(0.25**4, "Four factors of 1/4: sigma'(z4) is in both derivatives, so it cancels in the ratio, and "
                         "each factor that is left has a weight in it too."),
        Mistake(3 * 0.25 * 0.5, "You added the factors. The chain rule multiplies them."),
        Mistake(1 / (0.25 * 0.5) ** 3, "That is dC/db4 / dC/db1, upside down: the first layer gets the SMALLER one."),
        Mistake(0.25 * 0.5**3, "One slope and three weights: each layer the gradient crosses contributes its own "
                               "slope sigma'(z) as well as its weight."),
    ],
    hint="Reread section 1 (one factor per layer): write both derivatives as products, cancel what they share, "
         "and evaluate what is left at z = 0.",
    near_hint="The answer is an exact fraction: give it as a Python expression (such as 1 / 512 or 0.125 ** 3) "
              "or with at least 4 correct significant figures, not rounded by hand.",
    why="The ratio is sigma'(z1) w2 sigma'(z2) w3 sigma'(z3) w4 = (0.25 x 0.5)^3 = 1/512: three factors w sigma'(z), "
        "each 1/8. With |w| < 1 every factor is below 1/4, and the product shrinks geometrically.",
)

HE_STD_64 = NumberExercise(
    "the standard deviation of He initialisation for a ReLU layer with 64 inputs",
    expected=np.sqrt(2 / 64),
    mistakes=[
        Mistake(2 / 64, "That is the variance of the weights; the question asks for their standard deviation."),
        Mistake(1 / 64, "That is a variance, and it forgets what ReLU does to half of its inputs."),
        Mistake(np.sqrt(1 / 64), "That keeps a linear or tanh unit steady (and it is Xavier's value for 64 inputs and "
                                 "64 outputs). ReLU sets about half of its inputs to zero: how must the weights make "
                                 "up for that?"),
        Mistake(np.sqrt(64 / 2), "Upside down: more inputs need SMALLER weights, so n_in goes below the line."),
        Mistake(2 / np.sqrt(64), "The square root covers the whole fraction 2 / n_in, not only n_in."),
        Mistake(np.sqrt(2) / 64, "The square root covers the whole fraction 2 / n_in, not only the 2."),
        Mistake(np.sqrt(2 / 65), "That counts the bias as a 65th input. n_in is the number of inputs, 64: the bias "
                                 "is not one of them (it is added after the weighted sum)."),
        Mistake(np.sqrt(6 / 64), "That is the limit of He's uniform version, sqrt(6 / n_in), which draws from "
                                 "[-limit, limit]: the question asks for the standard deviation."),
        Mistake(1.0, "Std 1 ignores n_in: with 64 inputs it multiplies the variance by 32 in every layer."),
    ],
    hint="Reread section 4 (the weights multiply too): the variance of the weights that keeps a ReLU layer's "
         "pre-activations z steady, then what the question asks for.",
    why="sqrt(2/64) = 0.1768 is the std nl.Dense(64, 64, init='he') draws with: Var(z) = n_in Var(w) E[x^2], and a "
        "ReLU keeps E[x^2] = Var(z_prev) / 2, so 64 x (2/64) x Var(z_prev) / 2 leaves the variance of z where it was.",
)

def _bias_norms(depth, activation, init, seed, of="b"):
    """One forward and one backward pass of make_model(depth, activation, init, seed=seed) on the lab data:
    model.grad_norms(of), input side first, the output layer last."""
    X, y = lab_data()
    model = make_model(depth, activation, init, seed=seed)
    with np.errstate(all="ignore"):
        model.backward(softmax_cross_entropy_unchecked(model.forward(X), y)[1])
    return model.grad_norms(of=of)


def _signal_case(rng):
    """A network the bias ratio can be measured on: 2 to 20 hidden layers, sigmoid, tanh or ReLU, Xavier or He."""
    return (int(rng.choice([2, 3, 4, 6, 8, 10, 15, 20])), str(rng.choice(["sigmoid", "tanh", "relu"])),
            str(rng.choice(["xavier", "he"])), int(rng.integers(0, 100)))


def _signal_ratio():
    norms = _bias_norms  # every Dense layer's ||dL/db|| for a case, input side first

    return FunctionExercise(
        "layer 1's ||dL/db|| divided by the last hidden layer's",
        reference=lambda *case: norms(*case)[0] / norms(*case)[-2],
        cases=[(10, "sigmoid", "xavier", 0), (20, "relu", "xavier", 0), (3, "relu", "he", 1), (2, "tanh", "he", 2)],
        draw=_signal_case, n_drawn=12, time_limit=10.0,
        mistakes=[
            Mistake(lambda *case: norms(*case)[-2] / norms(*case)[0],
                    "Upside down: you divided the last hidden layer's by layer 1's. A ratio below 1 should mean "
                    "that layer 1 gets less."),
            Mistake(lambda *case: norms(*case)[0] / norms(*case)[-1],
                    "Your denominator is the output layer's: grad_norms lists every Dense layer, input side first, "
                    "and the output layer is the last entry. The last hidden layer is the one before it, [-2]."),
            Mistake(lambda *case: norms(*case)[0] / norms(*case)[1],
                    "You divided by layer 2's, not by the last hidden layer's: index [-2] counts from the end."),
            Mistake(lambda *case: _bias_norms(*case, of="W")[0] / _bias_norms(*case, of="W")[-2],
                    "That is ||dL/dW||, what grad_norms gives by default: it also carries each layer's input and "
                    "shape (optional section 9). Ask for of=\"b\"."),
            Mistake(lambda depth, activation, init, seed: norms(depth, activation, init, 0)[0]
                    / norms(depth, activation, init, 0)[-2],
                    "Your function ignores its seed: it builds the network of seed 0 whatever it is given. Pass "
                    "seed=seed to make_model, so that each case is the network it names."),
            Mistake(lambda depth, activation, init, seed: init_stats(depth, activation, init, seed=seed).first_to_last,
                    "That is section 3's measure, the error signal's root mean square over the points. This "
                    "exercise asks for ||dL/db||, the length of the mean signal: model.grad_norms(of=\"b\")."),
        ],
        hint="Reread section 1 (one factor per layer) and optional section 9: after one forward pass and one "
             "backward pass every layer holds its gradient; which entry of the list is the "
             "first hidden layer, and which the last hidden one?",
        why="ReLU + Xavier, 20 layers: the ratio is 3e-3 on seed 0, 9e-4 to 3e-2 on seeds 0-9 (factor sqrt(1/2) "
            "= 0.71 per layer, 19 layers): it vanishes, ReLU or not, because Xavier's variance is half what a ReLU "
            "layer needs. He's 2/n_in fixes it (0.4 to 2.3 on the same seeds). ||dL/db|| is the mean signal, so "
            "points can cancel: read orders of magnitude.",
    )


SIGNAL_RATIO = BuiltOnFirstUse(_signal_ratio)

EXPLODING_NETWORK = ChoiceExercise(
    "which 20-layer network's first layer gets over 100 times the gradient of its last hidden layer",
    expected="tanh + std 1",
    options=["sigmoid + he", "sigmoid + std 1", "tanh + std 1", "relu + he"],
    aliases={"sigmoid + normal": "sigmoid + std 1", "tanh + normal": "tanh + std 1"},  # nnlite's name, init="normal"
    mistakes=[
        Mistake("sigmoid + he", "He's weights give sqrt(n Var(w)) = sqrt(2) = 1.41, but sigmoid's slope term is "
                                "at most 1/4 (about 0.22 here): a factor of about 0.3 per layer, so this product "
                                "vanishes."),
        Mistake("sigmoid + std 1", "Its weights are large, and in a layer of 32 units they multiply the gradient by "
                                    "about sqrt(32) x 1 = 5.7 per layer, but saturation leaves sqrt(E[sigma'(z)^2]) "
                                    "at only about 0.14: the factor sqrt(32) x 1 x 0.14, about 0.76 in optional "
                                    "section 15's table, is below 1, so the product still shrinks, only more slowly "
                                    "than with Xavier (0.24). (The factor crosses 1 between std 1 and std 2, and is "
                                    "above 1 from std 2 on: optional section 16's table.)"),
        Mistake("relu + he", "He's variance 2/n_in is chosen to keep the product's scale near 1 on average: neither "
                             "vanishing nor exploding."),
    ],
    hint="Reread section 3 (measuring it in a real network), where a layer of many units multiplies the gradient "
         "by about sqrt(n Var(w) E[f'(z)^2]): which of the four networks has that factor above 1? Optional section "
         "15's table gives two of them. For the others, measure the slope term with one forward pass, as in "
         "np.sqrt(vg.init_stats(20, \"sigmoid\", \"he\").slope_sq.mean()), or the ratio itself: "
         "vg.init_stats(20, \"sigmoid\", \"he\", seed=s).first_to_last.",
    why="tanh's slope is 1 at the centre, and with std 1 and 32 inputs W.T multiplies the gradient by about "
        "sqrt(32) = 5.7 per layer: more than saturation takes away (its slope term is about 0.36, so the rule "
        "gives about 2.0 per layer; measured, 1.8 to 1.95). Over 10 seeds the first layer gets between 50,000 and "
        "320,000 times the error signal of layer 20.",
)
