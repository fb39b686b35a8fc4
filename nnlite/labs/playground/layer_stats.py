"""What the layers view reads of a run's network, on all its training points: ||dL/db|| of every layer
(`grad_norms`) and, per hidden layer, the share of units that are off for every point (`off_fraction`).

dL/db_l is the error signal delta of layer l's units, averaged over the points (L is the mean loss): one
entry per unit (Nielsen's "speed of learning" of a layer, chapter 5; notebook 05). So hidden layers, which
all have the same number of units here, compare by it; ||dL/dW|| would not compare them, since the first
layer's weights are a 2 x n matrix and the others' n x n ones. It is the length of a mean, where points
pushing opposite ways cancel: near a minimum of the training loss it falls towards 0 whatever the size of
each point's delta (notebook 05 measures delta per point for that reason). So compare layers with each
other, not a layer with itself at another time.

A unit off for every point (z <= 0 everywhere) is dead for ReLU: it outputs 0 and passes no gradient back.
A Leaky ReLU unit is never dead (it outputs alpha * z, and passes alpha of the gradient back), but it can be
off for every point too, and still learn its way back, slowly (notebook 06).
"""

import numpy as np

from ...losses import mse_unchecked, softmax_cross_entropy_unchecked
from ...training import QUIET


class LayerStats:
    """One forward and backward pass of `model` over (inputs, y), with the run's `loss` ("cross_entropy" or
    "mse"), made when asked and kept until the model has taken another step (`steps`, the run's step count)."""

    def __init__(self, model, inputs, y, loss="cross_entropy"):
        self.model, self.inputs, self.y = model, inputs, y
        self._loss = softmax_cross_entropy_unchecked if loss == "cross_entropy" else mse_unchecked
        self._at = None  # (steps, ||dL/db|| per layer, share off per hidden layer) of the last pass

    def at(self, steps):
        """(||dL/db|| of every layer, input side first; the share of units off in each hidden layer) now."""
        if self._at is None or self._at[0] != steps:
            model = self.model
            with np.errstate(**QUIET):
                _, dlogits = self._loss(model.forward_unchecked(self.inputs), self.y)
                off = np.array([float(np.all(z <= 0.0, axis=0).mean()) for z in model.pre_activations])
                model.backward_unchecked(dlogits, input_grad=False, accumulate=False)
                norms = model.grad_norms(of="b")
            model.zero_grad()
            self._at = (steps, norms, off)
        return self._at[1:]
