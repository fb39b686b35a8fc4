"""Early stopping: the epoch of a run with the lowest validation loss, and the weights it had then.

A run trains on to its last epoch; `BestEpoch` keeps a copy of the weights whenever an epoch ends with a
validation loss lower than every one before, so that the network of that epoch can be scored on the test
set afterwards (Goodfellow et al. 2016, section 7.8; notebook 07).
"""

import copy


class BestEpoch:
    """The epoch (`epoch`) with the lowest validation loss (`loss`) so far, from epoch 0 (the network before
    training, whose validation loss is `start_loss`), and a copy of its weights."""

    def __init__(self, model, start_loss):
        self.epoch, self.loss, self._weights = 0, start_loss, _weights_of(model)

    def offer(self, epoch, loss, model):
        """Epoch `epoch` ended with validation loss `loss`: keep `model`'s weights if it is the lowest yet
        (never for a NaN: a blown-up epoch is never the best)."""
        if loss < self.loss:
            self.epoch, self.loss, self._weights = epoch, loss, _weights_of(model)

    def model(self, like):
        """A copy of the network `like` with the weights of the best epoch."""
        model = copy.deepcopy(like)
        for layer, (W, b) in zip(model.layers, self._weights, strict=True):
            layer.W[...], layer.b[...] = W, b
        return model


def _weights_of(model):
    return [(layer.W.copy(), layer.b.copy()) for layer in model.layers]
