"""One playground run, advanced a step at a time (`Trainer`), and `run`, which trains one to the end.

A Trainer runs exactly what ``nl.fit(...)`` runs with the same settings: the same shuffles, the
same steps, the same numbers to the last bit. So `code_line(settings)` reproduces it.
"""

import functools
from copy import deepcopy

import numpy as np

from ..._validate import check_choice
from ...model import MLP
from ...optim import SGD
from ...training import History, evaluate, training_steps_unchecked
from .early_stopping import BestEpoch
from .layer_stats import LayerStats
from .run_setup import RunSetup
from .run_words import run_curves, run_words
from .settings import Settings, as_settings

MAX_STEP_RECORDS = 10_000  # per-step records a run keeps (batch size 1 takes millions of steps)


class Trainer(RunSetup):
    """One playground run: its settings and data (a RunSetup), a network, and training one SGD step at a time.

    The steps are ``nl.fit(model, F_train, y_train, epochs, batch_size, lr, seed, validation=(F_val, y_val),
    on_diverge="stop")``'s: `history` is fit's History, number for number (its last `max_step_records` steps).
    It stops after `epochs`, or after the first epoch whose validation loss is at or below `target_loss` (if
    above 0). `best` keeps the epoch of the lowest validation loss and its weights (early stopping); the test
    set is used only when asked, by `test_score`."""

    def __init__(self, settings=None, max_step_records=MAX_STEP_RECORDS):
        super().__init__(settings)
        s = self._settings
        self._targets = self.targets(self.y_train)  # what it learns: the labels, or the targets as a column
        self.model = MLP(s.sizes, activation=s.activation, init=s.init_name, seed=s.seed)
        self.history = History(max_steps=max_step_records)
        self._layer_stats = LayerStats(self.model, self.F_train, self._targets, s.loss)  # for the layers view
        self.start_grad_norms = self.grad_norms()  # before training
        self._first = (*evaluate(self.model, self.F_train, self.y_train, s.loss),  # the numbers of epoch 0
                       *evaluate(self.model, self.F_val, self.y_val, s.loss))
        self.best = BestEpoch(self.model, self._first[2])  # the epoch of the lowest validation loss so far
        self._shuffles = np.random.default_rng(s.seed)  # the mini-batches' order
        self._steps = self._run()

    def _run(self):  # nl.training_steps' loop, without checking the settings again, and what is drawn
        s, history = self._settings, self.history
        optimizer = SGD(self.model, lr=s.lr, weight_decay=s.weight_decay, l1=s.l1)
        steps = training_steps_unchecked(self.model, self.F_train, self._targets, s.batch_size, optimizer,
                                         self._shuffles, s.loss, True, (self.F_val, self.targets(self.y_val)),
                                         history)
        for end_of_epoch in steps:
            if end_of_epoch:
                self.best.offer(self.epoch, history.val_loss[-1], self.model)
            yield

    @property
    def epoch(self):
        """Epochs completed so far."""
        return len(self.history.epoch_loss)

    steps = property(lambda self: self.history.steps, doc="SGD steps taken so far.")

    diverged = property(lambda self: self.history.diverged,
                        doc="True once the loss is no longer a finite number (training then stops).")

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
        """Loss and accuracy on the training and validation points after every epoch, epoch 0 first (`run_curves`)."""
        return run_curves(self.history, self._first)

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

    best_epoch = property(lambda self: self.best.epoch,
                          doc="The epoch with the lowest validation loss so far (0: the network before training).")

    def best_model(self):
        """A copy of the network with the weights of `best_epoch`."""
        return self.best.model(self.model)

    def grad_norms(self):
        """||dL/db|| of every layer on all the training points, input side first (the output layer last):
        the per-unit error signal, so hidden layers compare by it (see layer_stats)."""
        return self._layer_stats.at(self.steps)[0]

    def off_fraction(self):
        """For each hidden layer, the share of units whose input z is <= 0 at every training point (dead, for
        ReLU; a Leaky ReLU unit can be off for every point and still learn its way back: layer_stats)."""
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
    or ``run(dataset="xor", activation="identity")``. Returns the Trainer.

    Finished runs are kept, per settings: the same settings again (a cell run a second time, a notebook run
    again on a projector) give a copy of the kept run at once instead of training it again. The copy is yours:
    change its network or train it on (`continue_with`), and the kept run does not move."""
    settings = Settings() if settings is None else as_settings(settings)
    settings = settings.replace(**changes) if changes else settings
    try:
        return _copy_of_finished(_finished(settings))
    except TypeError:  # settings that cannot be a key (a dict inside): train afresh
        return Trainer(settings).run()


@functools.lru_cache(maxsize=128)
def _finished(settings):
    return Trainer(settings).run()


def _copy_of_finished(trainer):
    """A copy of a finished run that shares nothing with it and trains on, if asked, exactly as the run would.
    Python copies no generator, so the copy's steps start afresh from its copy of the shuffles' generator: a
    finished run stands between two epochs (or has diverged, and never steps again), where that is all the
    state the steps have (plain SGD keeps none)."""
    copy = object.__new__(Trainer)
    memo = {}
    copy.__dict__.update({name: deepcopy(value, memo) for name, value in vars(trainer).items() if name != "_steps"})
    copy._steps = copy._run()
    return copy
