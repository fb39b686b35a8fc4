"""Stochastic gradient descent: move every weight a small step downhill.

    w <- w - lr * dL/dw

With momentum the step keeps some of its previous direction, like a ball rolling:
    v <- momentum * v - lr * dL/dw;   w <- w + v

Regularisation adds a penalty on large weights to the loss, and its gradient to the step:

* weight decay (L2):  L + (weight_decay / 2) * sum W^2   has gradient   dL/dW + weight_decay * W
* L1:                 L + l1 * sum |W|                   has gradient   dL/dW + l1 * sign(W)

Large weights make sharp, wiggly boundaries that follow the noise of the training points;
the penalty trades a little training loss for a smoother function (d2l, section 3.7; CS231n,
"Regularization"). L2 pulls each weight in proportion to its size, so a small weight feels
almost no pull and none is driven to 0; L1 pulls every weight by the same amount, l1, whatever
its size, so a weight whose data gradient stays weaker than l1 is driven to 0: the network
becomes sparse, and an input or a unit whose weights all reach 0 falls silent (Goodfellow,
Bengio and Courville 2016, Deep Learning, section 7.1.2).
"""

import numpy as np

from ._validate import check_number
from .model import check_model


class SGD:
    """SGD over all parameters of `model` (anything with a parameters() method).

    lr: the learning rate, > 0: how big each step is.
    momentum: in [0, 1); 0 is plain SGD.
    weight_decay: >= 0; 0 is none. Adds weight_decay * W to the gradient of every weight matrix.
    l1: >= 0; 0 is none. Adds l1 * sign(W) to the gradient of every weight matrix: the gradient of
    l1 * sum |W| wherever no weight is 0. At 0, where |w| has a kink, it adds 0 (sign(0) = 0, a
    subgradient), so a weight that sits at 0 feels no pull. A step of lr * l1 that carries a weight
    past 0 is not stopped there: the weight overshoots and comes back, hovering within lr * l1 of 0.
    (TensorFlow Playground instead sets a weight that the penalty carries past 0 to exactly 0 and
    freezes it for the rest of the run: its src/nn.ts, updateWeights.)

    Both penalties apply to the weight matrices (parameters with 2 or more dimensions), not to the
    biases (1-D), as is usual (CS231n, "Regularization"; d2l section 3.7) and as TensorFlow
    Playground does: a bias does not multiply the input, so it cannot make the boundary sharper; it
    only says where a unit switches on, and pulling it towards 0 would pull every fold of the
    boundary towards the origin. The model's gradients are not changed: the penalties are added in
    the update only, so a loss computed from the model (and every loss fit records) is the data
    loss, without the penalty; `penalty()` gives the penalty itself.
    """

    def __init__(self, model, lr=0.1, momentum=0.0, weight_decay=0.0, l1=0.0):
        self.model = check_model(model)
        self.lr = check_number(lr, "lr", low=0.0, low_open=True)
        self.momentum = check_number(momentum, "momentum", low=0.0, high=1.0, high_open=True)
        self.weight_decay = check_number(weight_decay, "weight_decay", low=0.0)
        self.l1 = check_number(l1, "l1", low=0.0)
        self.params = model.parameters()
        self.velocities = [np.zeros_like(value) for value, _ in self.params] if self.momentum else None
        regularised = self.weight_decay > 0 or self.l1 > 0
        self._penalised = [value.ndim >= 2 and regularised for value, _ in self.params]

    def penalty(self):
        """The penalty the updates descend: (weight_decay / 2) * sum W^2 + l1 * sum |W| over the weight matrices."""
        weights = [value for value, _ in self.params if value.ndim >= 2]
        return (self.weight_decay / 2 * sum(float(np.sum(W * W)) for W in weights)
                + self.l1 * sum(float(np.sum(np.abs(W))) for W in weights))

    def step(self):
        """Update every parameter in place from its current gradient."""
        for i, (value, grad) in enumerate(self.params):
            if self._penalised[i]:  # the gradient of the penalised loss, in a new array
                if self.weight_decay:
                    grad = grad + self.weight_decay * value
                if self.l1:
                    grad = grad + self.l1 * np.sign(value)
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
