"""What a playground run is given: its Settings, and its points cut into a training, a validation and a test
set, as the network reads them (`RunSetup`). `engine.Trainer` is a RunSetup that trains a network on it."""

import math

from ... import datasets
from ...features import feature_columns
from .settings import Settings, as_settings


class RunSetup:
    """A run's `settings` and its data: the points X, y and their three sets (nl.datasets.train_val_test_split,
    with the settings' shares and points seed). X_train, X_val and X_test stay points of the plane, for the
    pictures; F_train and F_val are what the network reads of them (`inputs`: the settings' features)."""

    def __init__(self, settings=None):
        self._settings = s = Settings() if settings is None else as_settings(settings)
        self.X, self.y = s.points()
        (self.X_train, self.y_train, self.X_val, self.y_val, self.X_test,
         self.y_test) = datasets.train_val_test_split(self.X, self.y, val_fraction=s.val_fraction,
                                                      test_fraction=s.test_fraction, seed=s.points_seed)
        self.F_train, self.F_val = self.inputs(self.X_train), self.inputs(self.X_val)

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

    @property
    def steps_per_epoch(self):
        """SGD steps in one epoch: one per mini-batch of the training points, the last one maybe smaller."""
        return math.ceil(len(self.X_train) / self._settings.batch_size)

    def inputs(self, points):
        """What the network reads of `points` (N, 2): their `features` columns (the points themselves
        for the default x1, x2: the same array, so the run is fit's to the last bit)."""
        features = self._settings.features
        return points if features == ("x1", "x2") else feature_columns(points, list(features))

    def targets(self, y):
        """What the network learns of labels or targets `y`: the class labels themselves, or for a
        regression the targets as a column (one per output unit, as the mean squared error wants them)."""
        return y[:, None] if self._settings.task == "regression" else y
