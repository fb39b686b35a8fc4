"""Stochastic gradient descent: move every weight a small step downhill.

    w <- w - lr * dL/dw

With momentum the step keeps some of its previous direction, like a ball rolling:
    v <- momentum * v - lr * dL/dw;   w <- w + v
"""

import numpy as np

from ._validate import check_number
from .model import check_model


class SGD:
    """SGD over all parameters of `model` (anything with a parameters() method).

    lr: the learning rate, > 0: how big each step is.
    momentum: in [0, 1); 0 is plain SGD.
    """

    def __init__(self, model, lr=0.1, momentum=0.0):
        self.model = check_model(model)
        self.lr = check_number(lr, "lr", low=0.0, low_open=True)
        self.momentum = check_number(momentum, "momentum", low=0.0, high=1.0, high_open=True)
        self.params = model.parameters()
        self.velocities = [np.zeros_like(value) for value, _ in self.params] if self.momentum else None

    def step(self):
        """Update every parameter in place from its current gradient."""
        if self.velocities is None:
            for value, grad in self.params:
                value -= self.lr * grad
        else:
            for (value, grad), v in zip(self.params, self.velocities, strict=True):
                v *= self.momentum
                v -= self.lr * grad
                value += v

    def zero_grad(self):
        """Reset the model's gradients (same as model.zero_grad())."""
        self.model.zero_grad()
