"""The training loop: mini-batches, epochs and SGD, recorded in a History.

Vocabulary, as the loop below uses it:

* batch size: how many rows one step looks at;
* step: one forward pass, one backward pass, one SGD update;
* epoch: one pass over all the data, i.e. ceil(N / batch_size) steps;
* learning rate: how far each step moves the weights.
"""

import math
import numbers
from dataclasses import dataclass, field

import numpy as np

from ._validate import as_float_array, as_labels, check_choice, check_int, check_number, describe
from .datasets import batches_unchecked, held_out_rows
from .losses import mse_unchecked, softmax_cross_entropy_unchecked
from .model import check_model
from .optim import SGD

LOSSES = ("cross_entropy", "mse")


class DivergenceError(ArithmeticError):
    """Training blew up: the loss stopped being a finite number."""


@dataclass
class History:
    """What fit() recorded.

    step_loss: loss of every step. epoch_loss: mean step loss of every epoch: a running mean over
    weights that changed during the epoch, not the loss of the model the epoch ends with.
    train_loss: the loss of the model at the end of every epoch, on all the training rows.
    epoch_accuracy: training accuracy after every epoch (classification only), of that same model.
    grad_norms: (steps, n_layers) norm of every layer's dW at every step, input side first.
    val_loss / val_accuracy: after every epoch, when validation data was given.
    diverged: True when training stopped because the loss was no longer finite.
    max_steps: None keeps every step's record. A number keeps only the last max_steps of
    step_loss and grad_norms (trimmed after every epoch), so that a run of millions of steps
    (the playground at batch size 1) has bounded memory; `steps` still counts them all.
    """

    step_loss: list = field(default_factory=list)
    epoch_loss: list = field(default_factory=list)
    train_loss: list = field(default_factory=list)
    epoch_accuracy: list = field(default_factory=list)
    grad_norms: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    diverged: bool = False
    diverged_at_step: int | None = None
    max_steps: int | None = None
    dropped_steps: int = 0

    @property
    def steps(self):
        """Steps taken so far (also those whose records were trimmed)."""
        return self.dropped_steps + len(self.step_loss)

    def _trim(self):
        extra = 0 if self.max_steps is None else len(self.step_loss) - self.max_steps
        if extra > 0:
            del self.step_loss[:extra], self.grad_norms[:extra]
            self.dropped_steps += extra

    def grad_norm_array(self):
        """grad_norms as a (steps, n_layers) float array."""
        return np.array(self.grad_norms, dtype=np.float64)


def _prepare_targets(model, y, loss, name="y"):
    n_out = model.layers[-1].n_out
    if loss == "cross_entropy":
        return as_labels(y, name, n_classes=n_out)
    y = as_float_array(y, name, ndim=(1, 2))
    if y.ndim == 1:
        if n_out != 1:
            raise ValueError(f"{name} must have shape (N, {n_out}) for a model with {n_out} outputs, got {y.shape}")
        y = y[:, None]
    if y.shape[1] != n_out:
        raise ValueError(f"{name} must have {n_out} columns (one per model output), got {y.shape[1]}")
    return y


def _check_data(model, X, y, loss, names=("X", "y")):
    """Validate a model, a loss name and data for it; return X as float64 and y as targets."""
    check_model(model)
    check_choice(loss, "loss", LOSSES)
    X = as_float_array(X, names[0], ndim=2)
    if X.shape[1] != model.sizes[0]:
        raise ValueError(f"{names[0]} must have {model.sizes[0]} features (columns) for this model, got {X.shape[1]}")
    y = _prepare_targets(model, y, loss, names[1])
    if len(y) != len(X):
        raise ValueError(f"{names[1]} must have one entry per row of {names[0]} ({len(X)}), got {len(y)}")
    return X, y


def _loss(logits, y, loss):
    return softmax_cross_entropy_unchecked(logits, y) if loss == "cross_entropy" else mse_unchecked(logits, y)


def train_step(model, optimizer, X, y, loss="cross_entropy"):
    """One step of SGD on the batch (X, y): forward, loss, zero_grad, backward, update.

    Returns the loss of the batch before the update. `y` is (N,) class labels for
    "cross_entropy", or targets shaped like the model's output for "mse".
    """
    X, y = _check_data(model, X, y, loss)
    return _train_step(model, optimizer, X, y, loss)


# A diverging run overflows: huge weights give inf and nan in the forward pass, the backward pass and the
# update. The loss says so in words (it is no longer finite), so every pass of a run that may diverge is
# wrapped in QUIET. Not only the training step: numpy 1.24 warns "overflow encountered in matmul" where
# numpy 2 is silent, so the end-of-epoch and validation forward passes need it too.
QUIET = {"over": "ignore", "invalid": "ignore", "divide": "ignore"}


def _train_step(model, optimizer, X, y, loss):
    with np.errstate(**QUIET):
        value, dlogits = _loss(model.forward_unchecked(X), y, loss)
        # zero_grad() then backward, in one go: the new gradients overwrite the old ones.
        model.backward_unchecked(dlogits, input_grad=False, accumulate=False)
        optimizer.step()
    return value


def evaluate(model, X, y, loss="cross_entropy"):
    """Return (loss, accuracy) of the model on (X, y); accuracy is None for "mse"."""
    return _evaluate(model, *_check_data(model, X, y, loss), loss)


def _evaluate(model, X, y, loss):
    with np.errstate(**QUIET):
        logits = model.forward_unchecked(X)
        value = _loss(logits, y, loss)[0]
    accuracy = float(np.mean(logits.argmax(axis=1) == y)) if loss == "cross_entropy" else None
    return value, accuracy


def training_steps(model, X, y, batch_size=32, lr=0.1, seed=0, loss="cross_entropy", momentum=0.0,
                   shuffle=True, validation=None, history=None, weight_decay=0.0, l1=0.0):
    """The loop of fit(), one step at a time: a generator that trains for as long as you ask.

    Every epoch shuffles the rows (seeded once, so the same call gives the same numbers),
    cuts them into batches and takes one SGD step per batch. It yields False after every
    step and True after every epoch, once that epoch's numbers are in `history` (a
    History, new or given). It ends by itself only when training diverges: then
    history.diverged is True. fit() is this loop plus a stopping rule; the playground
    drives it a few steps at a time so the page stays responsive. The other arguments are
    fit()'s, validation included (a pair, or a fraction of the rows to hold out).
    """
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    lr = check_number(lr, "lr", low=0.0, low_open=True)
    X, y = _check_data(model, X, y, loss)
    X, y, validation = _validation_data(model, X, y, validation, seed, loss)
    history = History() if history is None else history
    optimizer = SGD(model, lr=lr, momentum=momentum, weight_decay=weight_decay, l1=l1)
    return training_steps_unchecked(model, X, y, batch_size, optimizer,
                           np.random.default_rng(seed), loss, shuffle, validation, history)


def _validation_data(model, X, y, validation, seed, loss):
    """Return (X, y, validation) for the loop: the training rows and the checked validation pair (or None).

    A fraction holds out the rows that datasets.train_test_split(X, y, validation, seed) would put in its
    test part (the same permutation, drawn from `seed`), and trains on the rest in the same order.
    """
    if validation is None:
        return X, y, None
    if isinstance(validation, (tuple, list)) and len(validation) == 2:
        return X, y, _check_data(model, *validation, loss, names=("validation X", "validation y"))
    if isinstance(validation, bool) or not isinstance(validation, numbers.Real):
        raise TypeError("validation must be a pair (X_val, y_val) or a fraction in (0, 1) of the rows of X to hold "
                        f"out, got {describe(validation)}")
    if not 0 < validation < 1:  # also False for NaN
        raise ValueError(f"validation must be a fraction in (0, 1) of the rows of X to hold out (or a pair "
                         f"(X_val, y_val)), got {validation}")
    held_out, train = held_out_rows(len(X), [validation], seed)
    if len(train) == 0:
        raise ValueError(f"validation={validation:g} holds out all {len(X)} rows of X and leaves none to train on: "
                         "pass more rows or a smaller fraction")
    return X[train], y[train], (X[held_out], y[held_out])


def training_steps_unchecked(model, X, y, batch_size, optimizer, rng, loss, shuffle, validation, history):
    while True:
        epoch_losses = []
        for Xb, yb in batches_unchecked(X, y, batch_size, rng if shuffle else None):
            value = _train_step(model, optimizer, Xb, yb, loss)  # a blow-up is detected below, in words
            with np.errstate(**QUIET):
                history.grad_norms.append(model.grad_norms())
            history.step_loss.append(value)
            if not math.isfinite(value):
                break
            epoch_losses.append(value)
            yield False
        if not math.isfinite(value) or not all(np.isfinite(v).all() for v, _ in model.parameters()):
            history.diverged, history.diverged_at_step = True, history.steps
            return
        with np.errstate(**QUIET):  # huge but finite weights: numbers, not warnings
            history.epoch_loss.append(float(np.mean(epoch_losses)))
            logits = model.forward_unchecked(X)  # the model the epoch ends with, on every training row
            history.train_loss.append(float(_loss(logits, y, loss)[0]))
            if loss == "cross_entropy":
                history.epoch_accuracy.append(float(np.mean(logits.argmax(axis=1) == y)))
            if validation is not None:
                val_loss, val_accuracy = _evaluate(model, *validation, loss)
                history.val_loss.append(val_loss)
                history.val_accuracy.append(val_accuracy)
        history._trim()
        yield True


def fit(model, X, y, epochs=10, batch_size=32, lr=0.1, seed=0, loss="cross_entropy", momentum=0.0,
        shuffle=True, validation=None, on_diverge="raise", callback=None, weight_decay=0.0, l1=0.0):
    """Train `model` on (X, y) with mini-batch SGD and return a History.

    epochs: passes over the data (0 is allowed: nothing happens).
    batch_size: rows per step (the last batch of an epoch may be smaller).
    lr, momentum, weight_decay, l1: the SGD settings (see nl.SGD; weight_decay and l1 penalise the
    weight matrices, not the biases). Every loss recorded (step_loss, epoch_loss, val_loss) is the
    data loss, without the penalty. seed: the shuffling order, so the same call gives
    the same numbers. loss: "cross_entropy" (y: class labels) or "mse" (y: targets).
    validation: data to measure the model on after every epoch (history.val_loss, .val_accuracy), never
    trained on. Either a pair (X_val, y_val), or a fraction in (0, 1): then fit holds out that share of
    the rows of (X, y), round(fraction * N) rows and at least one, chosen by `seed`: exactly the rows
    nl.datasets.train_test_split(X, y, test_fraction=fraction, seed=seed) puts in its test part, and
    trains on the rest (so history.epoch_accuracy is the accuracy on the training rows only). Hold out
    rows yourself instead when you compute anything from the data before fit (say, the mean and
    standard deviation to standardise it): those numbers must come from the training rows alone.
    on_diverge: "raise" a DivergenceError when the loss is no longer finite, or "stop"
    and return the history so far with history.diverged = True.
    callback: optional function called as callback(epoch, history) after every epoch;
    return True from it to stop early.

    Divergence: fit stops when the loss is no longer a finite number, and only then. A loss that has
    grown a hundredfold is not yet proof: for a model that starts already trained (loss near 0), a
    hundred times its first loss can be one bad batch. (A walk that always starts far from the
    bottom, like notebook 01's line, can use that quicker rule.)
    """
    check_choice(on_diverge, "on_diverge", ("raise", "stop"))
    epochs = check_int(epochs, "epochs", minimum=0)
    history = History()
    steps = training_steps(model, X, y, batch_size, lr, seed, loss, momentum, shuffle, validation, history,
                           weight_decay, l1)
    for end_of_epoch in steps if epochs else ():
        if end_of_epoch:
            epoch = len(history.epoch_loss) - 1
            if (callback is not None and callback(epoch, history)) or epoch + 1 == epochs:
                break
    if history.diverged and on_diverge == "raise":
        steps_per_epoch = math.ceil(len(y) / batch_size)
        raise DivergenceError(
            f"training diverged at step {history.steps} (epoch {len(history.epoch_loss) + 1}, {steps_per_epoch} "
            f"step{'s' if steps_per_epoch != 1 else ''} per epoch): the loss is no longer a finite number. "
            f"The learning rate lr={lr:g} is probably too large; try a smaller one, such as lr={lr / 10:g}, "
            "or pass on_diverge='stop' to get the history so far."
        )
    return history
