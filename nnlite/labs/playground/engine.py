"""One playground run, advanced a step at a time (`Trainer`), and `run`, which trains one to the end.

A Trainer runs exactly what ``nl.fit(...)`` runs with the same settings: the same shuffles, the
same steps, the same numbers to the last bit. So `code_line(settings)` reproduces it.
"""

import math

import numpy as np

from ... import datasets
from ...losses import _softmax_cross_entropy
from ...model import MLP
from ...optim import SGD
from ...training import QUIET, History, _training_steps, evaluate
from .settings import Settings, as_settings

MAX_STEP_RECORDS = 10_000  # per-step records a run keeps (batch size 1 takes millions of steps)


class Trainer:
    """One playground run: the data, the model, and training that advances one SGD step at a time.

    The steps are those of ``nl.fit(model, X_train, y_train, epochs, batch_size, lr, seed,
    validation=(X_test, y_test), on_diverge="stop")``, so ``trainer.history`` equals fit's
    History, number for number; it keeps the records of the last `max_step_records` steps only.
    The `curves` come from that History, plus the one number it lacks: the model's loss on the
    training points after every epoch (its epoch_loss is the mean of the epoch's mini-batch
    losses, taken while the weights moved). Epoch 0 is the network before training.
    """

    def __init__(self, settings=None, max_step_records=MAX_STEP_RECORDS):
        self._settings = s = Settings() if settings is None else as_settings(settings)
        self.X, self.y = datasets.make(s.dataset, n=s.n, noise=s.noise, seed=s.seed)
        self.X_train, self.y_train, self.X_test, self.y_test = datasets.train_test_split(
            self.X, self.y, test_fraction=s.test_fraction, seed=s.seed)
        self.model = MLP(s.sizes, activation=s.activation, init=s.init_name, seed=s.seed)
        self.history = History(max_steps=max_step_records)
        self.start_grad_norms = full_batch_grad_norms(self.model, self.X_train, self.y_train)  # at initialisation
        self.layer_grad_norms = []  # per epoch: each layer's ||dW|| averaged over the epoch's steps
        self._first = (*evaluate(self.model, self.X_train, self.y_train),  # the numbers of epoch 0
                       *evaluate(self.model, self.X_test, self.y_test))
        self._train_losses = []  # after every epoch: the model's loss on the training points
        self._steps = self._run()

    @property
    def settings(self):
        """The run's Settings: the playground reads them here (changed only by continue_with)."""
        return self._settings

    def continue_with(self, settings):
        """Go on with `settings` that differ from the run's in `epochs` only: the run now stops there,
        and a run that had stopped at its old end trains on. Returns self."""
        settings = as_settings(settings)
        if other := self._settings.changes(settings) - {"epochs"}:
            raise ValueError(f"settings may differ from the run's only in epochs, not in {sorted(other)}")
        self._settings = settings
        return self

    def _run(self):  # nl.training_steps' loop, without checking the settings again, and what is drawn
        s, history = self._settings, self.history
        optimizer = SGD(self.model, lr=s.lr, weight_decay=s.weight_decay)
        steps = _training_steps(self.model, self.X_train, self.y_train, s.batch_size, optimizer,
                                np.random.default_rng(s.seed), "cross_entropy", True, (self.X_test, self.y_test),
                                history)
        total, count = np.zeros(len(self.model.layers)), 0  # this epoch's sum of gradient norms
        for end_of_epoch in steps:
            if end_of_epoch:
                self.layer_grad_norms.append(total / count)
                total, count = np.zeros(len(self.model.layers)), 0
                self._train_losses.append(loss(self.model, self.X_train, self.y_train))
            else:
                total += history.grad_norms[-1]
                count += 1
            yield

    @property
    def epoch(self):
        """Epochs completed so far."""
        return len(self.history.epoch_loss)

    @property
    def steps(self):
        """SGD steps taken so far."""
        return self.history.steps

    @property
    def steps_per_epoch(self):
        return math.ceil(len(self.X_train) / self._settings.batch_size)

    @property
    def diverged(self):
        """True once the loss is no longer a finite number (training then stops)."""
        return self.history.diverged

    @property
    def done(self):
        """True when all epochs are done or training diverged."""
        return self.diverged or self.epoch >= self._settings.epochs

    def step(self):
        """One SGD step. Returns False when there was nothing left to do."""
        if self.done:
            return False
        next(self._steps, None)
        return True

    def run_epoch(self):
        """Train one more epoch (or until the run is over) and return self."""
        epoch = self.epoch
        while self.epoch == epoch and self.step():
            pass
        return self

    def run(self):
        """Train to the end (all epochs, or until it diverges) and return self."""
        while self.step():
            pass
        return self

    @property
    def curves(self):
        """Loss and accuracy on the train and test points after every epoch, epoch 0 (before training)
        first: {"train_loss": [...], "test_loss": ..., "train_accuracy": ..., "test_accuracy": ...}."""
        h, (train_loss, train_accuracy, test_loss, test_accuracy) = self.history, self._first
        return {"train_loss": [train_loss, *self._train_losses], "test_loss": [test_loss, *h.val_loss],
                "train_accuracy": [train_accuracy, *h.epoch_accuracy],
                "test_accuracy": [test_accuracy, *h.val_accuracy]}

    def latest(self):
        """The numbers after the last epoch: epoch, train/test loss and accuracy."""
        return {"epoch": self.epoch, **{key: values[-1] for key, values in self.curves.items()}}

    def dead_fraction(self):
        """For each hidden layer, the fraction of units that output 0 for every training point."""
        with np.errstate(over="ignore", invalid="ignore"):
            return self.model.dead_fraction(self.X_train)

    def summary(self):
        """One line in words, e.g. 'epoch 200 of 200: loss train 0.0141, test 0.0432; accuracy ...', or
        why training stopped."""
        lr, r = self._settings.lr, self.latest()
        if self.diverged:
            return (f"Training diverged in epoch {self.epoch + 1} (step {self.history.steps}): the loss is no longer "
                    f"a finite number. The learning rate {lr:g} is too large for this network; "
                    f"try a smaller one, such as {lr / 10:g}.")
        return (f"epoch {r['epoch']} of {self._settings.epochs}: loss train {r['train_loss']:.4f}, "
                f"test {r['test_loss']:.4f}; accuracy train {r['train_accuracy']:.1%}, test {r['test_accuracy']:.1%}")


def loss(model, X, y):
    """The model's cross-entropy on (X, y): what nl.evaluate gives, without checking the data again."""
    with np.errstate(**QUIET):
        return _softmax_cross_entropy(model._forward(X), y)[0]


def full_batch_grad_norms(model, X, y):
    """||dL/dW|| of every layer on all of (X, y), input side first; the model's gradients are left at zero."""
    with np.errstate(**QUIET):
        _, dlogits = _softmax_cross_entropy(model._forward(X), y)
        model._backward(dlogits, input_grad=False, accumulate=False)
        norms = model.grad_norms()
    model.zero_grad()
    return norms


def run(settings=None, **changes):
    """Train one playground run to the end, exactly as the Play button would: ``run(Settings(...))``
    or ``run(dataset="xor", activation="identity")``. Returns the Trainer."""
    settings = Settings() if settings is None else as_settings(settings)
    return Trainer(settings.replace(**changes) if changes else settings).run()
