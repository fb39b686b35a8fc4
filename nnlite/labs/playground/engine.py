"""One playground run, advanced a step at a time (`Trainer`), and `run`, which trains one to the end.

A Trainer runs exactly what ``nl.fit(...)`` runs with the same settings: the same shuffles, the
same steps, the same numbers to the last bit. So `code_line(settings)` reproduces it.
"""

import math

import numpy as np

from ... import datasets
from ..._validate import check_choice
from ...features import feature_columns
from ...model import MLP
from ...optim import SGD
from ...training import History, evaluate, training_steps_unchecked
from .early_stopping import BestEpoch
from .layer_stats import LayerStats
from .run_words import run_words
from .settings import Settings, as_settings

MAX_STEP_RECORDS = 10_000  # per-step records a run keeps (batch size 1 takes millions of steps)


class Trainer:
    """One playground run: the data, the model, and training that advances one SGD step at a time.

    The points are cut into a training, a validation and a test set (nl.datasets.train_val_test_split),
    and the steps are those of ``nl.fit(model, X_train, y_train, epochs, batch_size, lr, seed,
    validation=(X_val, y_val), on_diverge="stop")``: ``trainer.history`` is fit's History, number for
    number (the last `max_step_records` steps of it). The network reads the settings' `features` of each
    point (`inputs`); X_train, X_val and X_test stay the points of the plane, for the pictures. It stops
    after `epochs`, or after the first epoch whose validation loss is at or below `target_loss` (if above 0).
    `best` keeps the epoch of the lowest validation loss and its weights (early stopping); the test set
    is used only when asked, by `test_score`.
    """

    def __init__(self, settings=None, max_step_records=MAX_STEP_RECORDS):
        self._settings = s = Settings() if settings is None else as_settings(settings)
        self.X, self.y = s.points()
        (self.X_train, self.y_train, self.X_val, self.y_val, self.X_test,
         self.y_test) = datasets.train_val_test_split(self.X, self.y, val_fraction=s.val_fraction,
                                                      test_fraction=s.test_fraction, seed=s.points_seed)
        self.F_train, self.F_val = self.inputs(self.X_train), self.inputs(self.X_val)  # what the network reads
        self._targets = self.targets(self.y_train)  # what it learns: the labels, or the targets as a column
        self.model = MLP(s.sizes, activation=s.activation, init=s.init_name, seed=s.seed)
        self.history = History(max_steps=max_step_records)
        self._layer_stats = LayerStats(self.model, self.F_train, self._targets, s.loss)  # for the layers view
        self.start_grad_norms = self.grad_norms()  # before training
        self._first = (*evaluate(self.model, self.F_train, self.y_train, s.loss),  # the numbers of epoch 0
                       *evaluate(self.model, self.F_val, self.y_val, s.loss))
        self.best = BestEpoch(self.model, self._first[2])  # the epoch of the lowest validation loss so far
        self._steps = self._run()

    def inputs(self, points):
        """What the network reads of `points` (N, 2): their `features` columns (the points themselves
        for the default x1, x2: the same array, so the run is fit's to the last bit)."""
        features = self._settings.features
        return points if features == ("x1", "x2") else feature_columns(points, list(features))

    def targets(self, y):
        """What the network learns of labels or targets `y`: the class labels themselves, or for a
        regression the targets as a column (one per output unit, as the mean squared error wants them)."""
        return y[:, None] if self._settings.task == "regression" else y

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
        optimizer = SGD(self.model, lr=s.lr, weight_decay=s.weight_decay, l1=s.l1)
        steps = training_steps_unchecked(self.model, self.F_train, self._targets, s.batch_size, optimizer,
                                         np.random.default_rng(s.seed), s.loss, True,
                                         (self.F_val, self.targets(self.y_val)), history)
        for end_of_epoch in steps:
            if end_of_epoch:
                self.best.offer(self.epoch, history.val_loss[-1], self.model)
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
    def reached_target(self):
        """True once an epoch ended with the validation loss at or below target_loss (if it is above 0)."""
        target, val_loss = self._settings.target_loss, self.history.val_loss
        return bool(target and val_loss and val_loss[-1] <= target)

    @property
    def done(self):
        """True when all epochs are done, the target validation loss is reached, or training diverged."""
        return self.diverged or self.epoch >= self._settings.epochs or self.reached_target

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
        """Loss and accuracy on the training and validation points after every epoch, epoch 0 (before
        training) first: {"train_loss": [...], "val_loss": ..., "train_accuracy": ..., "val_accuracy": ...}.
        train_loss is the model's loss on all the training points as the epoch ends (History.train_loss), not
        epoch_loss, the mean of the epoch's mini-batch losses taken while the weights moved."""
        h, (train_loss, train_accuracy, val_loss, val_accuracy) = self.history, self._first
        train = [train_accuracy, *h.epoch_accuracy] if h.epoch_accuracy or train_accuracy is not None else [None] * (
            len(h.train_loss) + 1)  # a regression has no accuracy: None for every epoch
        return {"train_loss": [train_loss, *h.train_loss], "val_loss": [val_loss, *h.val_loss],
                "train_accuracy": train, "val_accuracy": [val_accuracy, *h.val_accuracy]}

    def latest(self):
        """The numbers after the last epoch: epoch, train/validation loss and accuracy."""
        return {"epoch": self.epoch, **{key: values[-1] for key, values in self.curves.items()}}

    def test_score(self, at="end"):
        """(loss, accuracy) on the test set, the points nothing else looks at: of the network as it is
        now (at="end"), or with the weights of `best_epoch` (at="best", early stopping). In a lesson,
        call it once, for the settings and the epoch chosen on the validation set."""
        check_choice(at, "at", ("end", "best"))
        return evaluate(self.model if at == "end" else self.best_model(), self.inputs(self.X_test), self.y_test,
                        self._settings.loss)

    @property
    def best_epoch(self):
        """The epoch with the lowest validation loss so far (0: the network before training)."""
        return self.best.epoch

    def best_model(self):
        """A copy of the network with the weights of `best_epoch`."""
        return self.best.model(self.model)

    def grad_norms(self):
        """||dL/db|| of every layer on all the training points, input side first (the output layer last):
        the per-unit error signal, so hidden layers compare by it (see layer_stats)."""
        return self._layer_stats.at(self.steps)[0]

    def off_fraction(self):
        """For each hidden layer, the share of units whose input z is <= 0 at every training point.

        For ReLU such a unit is dead: it outputs 0 and passes no gradient back. A Leaky ReLU unit is
        never dead (it outputs alpha * z, and passes alpha of the gradient back), but it can be off for
        every point too, and still learn its way back, slowly (notebook 06)."""
        return self._layer_stats.at(self.steps)[1]

    def dead_fraction(self):
        """For each hidden layer, the share of units that output exactly 0 for every training point
        (for ReLU the same as off_fraction; for Leaky ReLU always 0, by definition)."""
        with np.errstate(over="ignore", invalid="ignore"):
            return self.model.dead_fraction(self.F_train)

    def summary(self):
        """The run in one line of words (run_words): its epoch and numbers, or why training stopped."""
        return run_words(self)


def run(settings=None, **changes):
    """Train one playground run to the end, exactly as the Play button would: ``run(Settings(...))``
    or ``run(dataset="xor", activation="identity")``. Returns the Trainer."""
    settings = Settings() if settings is None else as_settings(settings)
    return Trainer(settings.replace(**changes) if changes else settings).run()
