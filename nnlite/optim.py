"""Stochastic gradient descent: move every weight a small step downhill.

    w <- w - lr * dL/dw

With momentum the step keeps some of its previous direction, like a ball rolling:
    v <- momentum * v - lr * dL/dw;   w <- w + v

With weight decay (L2 regularisation) every weight matrix also shrinks a little at each step,
which is gradient descent on the loss plus a penalty on large weights:
    L + (weight_decay / 2) * ||W||^2   has gradient   dL/dW + weight_decay * W
Large weights make sharp, wiggly boundaries that follow the noise of the training points;
the penalty trades a little training loss for a smoother function (d2l, section 3.7; CS231n,
"Regularization").
"""

import numpy as np

from ._validate import check_number
from .model import check_model


class SGD:
    """SGD over all parameters of `model` (anything with a parameters() method).

    lr: the learning rate, > 0: how big each step is.
    momentum: in [0, 1); 0 is plain SGD.
    weight_decay: >= 0; 0 is none. Adds weight_decay * W to the gradient of every weight
    matrix (a parameter with 2 or more dimensions), not to the biases (1-D), as is usual
    (CS231n, "Regularization"; d2l section 3.7): a bias does not multiply the input, so it
    cannot make the boundary sharper; it only says where a unit switches on, and pulling
    it towards 0 would pull every fold of the boundary towards the origin. The model's
    gradients are not changed: the decay is added in the update only.
    """

    def __init__(self, model, lr=0.1, momentum=0.0, weight_decay=0.0):
        self.model = check_model(model)
        self.lr = check_number(lr, "lr", low=0.0, low_open=True)
        self.momentum = check_number(momentum, "momentum", low=0.0, high=1.0, high_open=True)
        self.weight_decay = check_number(weight_decay, "weight_decay", low=0.0)
        self.params = model.parameters()
        self.velocities = [np.zeros_like(value) for value, _ in self.params] if self.momentum else None
        self._decayed = [value.ndim >= 2 and self.weight_decay > 0 for value, _ in self.params]

    def step(self):
        """Update every parameter in place from its current gradient."""
        for i, (value, grad) in enumerate(self.params):
            if self._decayed[i]:
                grad = grad + self.weight_decay * value  # the gradient of L + (wd/2)||W||^2, in a new array
            if self.velocities is None:
                value -= self.lr * grad
            else:
                v = self.velocities[i]
                v *= self.momentum
                v -= self.lr * grad
                value += v

    def zero_grad(self):
        """Reset the model's gradients (same as model.zero_grad())."""
        self.model.zero_grad()
