"""The multi-layer perceptron: Dense layers with an activation between them.

    X -> Dense -> act -> Dense -> act -> ... -> Dense -> logits

The last layer is linear (no activation): its outputs are the scores that a loss
(softmax cross-entropy or MSE) turns into a number. Backpropagation walks the same
chain from right to left, multiplying local derivatives (the chain rule).
"""

from dataclasses import dataclass

import numpy as np

from ._validate import as_float_array, check_choice, check_int
from .activations import get_activation
from .layers import Dense


@dataclass
class TraceStep:
    """One step of a recorded backward pass, right to left.

    `upstream` is the gradient that arrived from the right, `local` the local
    derivative of this step, `downstream` what is passed on to the left; `rule`
    says how they combine.
    """

    where: str
    rule: str
    upstream: np.ndarray
    local: np.ndarray
    downstream: np.ndarray


class BackwardTrace(list):
    """The steps of one backward pass, output side first. ``print(trace)`` shows a table."""

    def __str__(self):
        def fmt(a):
            return np.array2string(np.asarray(a), precision=4, suppress_small=True, max_line_width=60)

        header = f"{'step':<5}{'where':<24}{'rule':<34}upstream -> downstream"
        lines = [header, "-" * len(header)]
        for i, s in enumerate(self, 1):
            arrow = f"{fmt(s.upstream)} -> {fmt(s.downstream)}".replace("\n", " ")
            lines.append(f"{i:<5}{s.where:<24}{s.rule:<34}{arrow}")
        return "\n".join(lines)


class MLP:
    """A multi-layer perceptron.

    sizes: [n_in, hidden_1, ..., n_out], e.g. [2, 16, 16, 3].
    activation: a name ("relu", "leaky_relu", "sigmoid", "tanh", "identity", "gelu",
        "silu") or an Activation object, used after every hidden layer.
    init: "he", "xavier" or "normal" (then `std` sets the standard deviation).
    seed: makes the initial weights reproducible.
    """

    def __init__(self, sizes, activation="relu", init="he", seed=0, std=1.0):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
            raise ValueError(
                f"sizes must be a list like [n_in, hidden..., n_out] with at least 2 numbers, got {sizes!r}"
            )
        self.sizes = [check_int(s, f"sizes[{i}]", minimum=1) for i, s in enumerate(sizes)]
        self.activation = get_activation(activation)
        rng = np.random.default_rng(seed)
        pairs = zip(self.sizes[:-1], self.sizes[1:], strict=True)
        self.layers = [Dense(a, b, init=init, seed=rng, std=std) for a, b in pairs]
        self.pre_activations = []  # z of every hidden layer, from the last forward
        self.hidden_outputs = []  # act(z) of every hidden layer, from the last forward

    def forward(self, X):
        """Return the logits (N, n_out) for a batch X (N, n_in). A single example needs shape (1, n_in)."""
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have {self.sizes[0]} features (columns) for this model, got {X.shape[1]}")
        return self.forward_unchecked(X)

    def forward_unchecked(self, X):
        self.pre_activations, self.hidden_outputs = [], []
        h = X
        for layer in self.layers[:-1]:
            z = layer.forward_unchecked(h)
            h = self.activation.forward_unchecked(z)
            self.pre_activations.append(z)
            self.hidden_outputs.append(h)
        return self.layers[-1].forward_unchecked(h)

    def __call__(self, X):
        return self.forward(X)

    def backward(self, dlogits, trace=False, input_grad=True):
        """Backpropagate dL/dlogits through every layer, right to left.

        Each Dense layer ADDS its gradient into .dW/.db (gradients accumulate across
        calls, exactly as in PyTorch: call zero_grad() before the next step).
        Returns dL/dX, or None with input_grad=False (what training uses: X is data,
        nobody needs its gradient, and skipping it saves a matrix product).
        With trace=True every step is recorded in ``self.last_trace`` (a BackwardTrace).
        It uses the values kept by the LAST forward(): call it after the forward pass that gave
        dlogits (nothing ties dlogits to its pass, so a forward in between goes unnoticed).
        """
        if self.layers[-1].x is None:
            raise RuntimeError("backward was called before forward: run forward(X) first")
        dlogits = as_float_array(dlogits, "dlogits", ndim=2)
        expected = (self.layers[-1].x.shape[0], self.sizes[-1])
        if dlogits.shape != expected:
            raise ValueError(
                f"dlogits must have shape {expected} (batch, n_out) like the last logits, got {dlogits.shape}"
            )
        return self.backward_unchecked(dlogits, trace, input_grad)

    def backward_unchecked(self, grad, trace=False, input_grad=True, accumulate=True):
        steps = BackwardTrace() if trace else None
        n = len(self.layers)
        for i in range(n - 1, -1, -1):
            layer = self.layers[i]
            upstream = grad
            grad = layer.backward_unchecked(grad, input_grad=input_grad or i > 0, accumulate=accumulate)
            if trace:
                steps.append(TraceStep(f"Dense {i + 1}", "upstream @ W.T", upstream, layer.W.T, grad))
            if i > 0:
                z = self.pre_activations[i - 1]
                upstream = grad
                local = self.activation.derivative_at(z, self.hidden_outputs[i - 1])
                grad = grad * local
                if trace:
                    where = f"{self.activation.name} after Dense {i}"
                    steps.append(TraceStep(where, "upstream * f'(z)", upstream, local, grad))
        if trace:
            self.last_trace = steps
        return grad

    def zero_grad(self):
        """Set every gradient to zero. fit() does this before every step."""
        for layer in self.layers:
            layer.zero_grad()

    def parameters(self):
        """All (value, gradient) pairs, input side first: what an optimiser updates."""
        return [pair for layer in self.layers for pair in layer.parameters()]

    def grad_norms(self, of="W"):
        """The norm of each layer's dL/dW (of="W") or dL/db (of="b"), input side first: `layer_grad_norms`
        says which of the two compares layers of different shapes."""
        return layer_grad_norms(self.layers, of)

    def predict(self, X):
        """The most likely class of every row of X."""
        return self.forward(X).argmax(axis=1)

    def dead_fraction(self, X):
        """For each hidden layer, the fraction of units that output exactly 0 for every row of X
        (`dead_fractions` says what such a unit is, and when it comes back)."""
        self.forward(X)
        return dead_fractions(self.hidden_outputs)

    def __repr__(self):
        return f"MLP({self.sizes}, activation={self.activation!r})"


def layer_grad_norms(layers, of="W"):
    """The Euclidean norm of each layer's gradient, in the order given, as a (n_layers,) array.

    of="W": the norm of dL/dW. It grows with the number of entries, so layers of different
    shapes (a 2x32 first layer, 32x32 hidden ones) are not comparable by it.
    of="b": the norm of dL/db, the error signal delta of each layer's units summed over the
    batch (Nielsen's "speed of learning" of a layer, chapter 5): one entry per unit, so
    layers of the same width compare whatever their inputs.
    """
    check_choice(of, "of", ("W", "b"))
    return np.array([overflow_safe_norm(layer.dW if of == "W" else layer.db) for layer in layers])


def dead_fractions(hidden_outputs):
    """For each hidden layer's outputs (N, units), the fraction of units that output exactly 0 on every row.

    Such a ReLU unit is dead for this data: it passes no gradient, so its own weights and bias
    get none (the "dying ReLU" problem). Whether it stays dead depends on its input. A unit of
    the first hidden layer sees the fixed data, so with plain SGD it never comes back; a unit
    deeper in the network can be switched back on when the layers before it change (notebook
    06 counts the runs in which a layer's share of off units fell during training).
    """
    return np.array([float(np.all(h == 0.0, axis=0).mean()) for h in hidden_outputs])


def overflow_safe_norm(values):
    """The Euclidean norm of an array that may hold huge or tiny numbers (a diverging run's
    gradients pass 1e154, whose square overflows float64): when the plain sum of squares is
    out of range, the entries are scaled by the largest one before squaring."""
    squares = float(np.vdot(values, values))
    if 1e-300 < squares < 1e300:  # the common case: nothing overflowed or underflowed
        return squares**0.5
    largest = float(np.max(np.abs(values), initial=0.0))
    if largest == 0.0 or not np.isfinite(largest):
        return largest
    scaled = values / largest
    return largest * float(np.vdot(scaled, scaled)) ** 0.5


def check_model(model, name="model"):
    """Raise a TypeError unless `model` looks like an MLP (has layers and parameters())."""
    if not (hasattr(model, "parameters") and hasattr(model, "layers")):
        raise TypeError(f"{name} must be an nnlite MLP, got {type(model).__name__}")
    return model

