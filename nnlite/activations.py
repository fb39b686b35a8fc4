"""Activation functions: the non-linear bend between two linear layers.

Each activation is a tiny class with two methods, both elementwise:

* ``forward(x)``: the output y = f(x);
* ``derivative(x)``: the local slope dy/dx at the same x, which backpropagation
  multiplies into the gradient flowing from right to left.

Backpropagation has y = f(x) from the forward pass as well, and calls ``derivative_at(x, y)``:
the same slope, which sigmoid and tanh read off y instead of computing f again.

Where a function has a kink (ReLU at 0) we use the convention of PyTorch:
the derivative at exactly 0 is the left slope.
"""

import numpy as np

from ._validate import as_float_array, check_number

_SQRT_2_OVER_PI = np.sqrt(2.0 / np.pi)
_GELU_C = 0.044715


def _sigmoid(x):
    """1 / (1 + e^-x) without overflow: only e^-|x| is ever computed, and it is <= 1."""
    e = np.exp(-np.abs(x))
    total = 1.0 + e
    return np.where(x >= 0, 1.0 / total, e / total)


class Activation:
    """Base class: subclasses define `forward_unchecked` and `derivative_unchecked` on float arrays."""

    name = "activation"

    def forward(self, x):
        """Return f(x) elementwise. `x`: any array of finite numbers (lists are fine)."""
        return self.forward_unchecked(as_float_array(x, "x", allow_empty=True))

    def derivative(self, x):
        """Return f'(x) elementwise: the local derivative used by backpropagation."""
        return self.derivative_unchecked(as_float_array(x, "x", allow_empty=True))

    def derivative_at(self, x, y):
        """f'(x), given also y = f(x) from the forward pass: backpropagation has both. An activation whose slope
        is a function of its output (sigmoid, tanh) uses y and skips computing f again."""
        return self.derivative_unchecked(x)

    def __call__(self, x):
        return self.forward(x)

    def __repr__(self):
        return f"{type(self).__name__}()"


class ReLU(Activation):
    """ReLU(x) = max(0, x). Slope 1 where x > 0, slope 0 where x <= 0."""

    name = "relu"

    def forward_unchecked(self, x):
        return np.maximum(x, 0.0)

    def derivative_unchecked(self, x):
        return (x > 0).astype(np.float64)


class LeakyReLU(Activation):
    """Leaky ReLU f(x) = max(alpha*x, x) with 0 <= alpha < 1: a small slope alpha for x < 0,
    so a unit is never dead: it can still be off (x <= 0) for every input, but it then outputs
    alpha*x and passes alpha of the gradient, so training can still move it."""

    name = "leaky_relu"

    def __init__(self, alpha=0.01):
        self.alpha = check_number(alpha, "alpha", low=0.0, high=1.0, high_open=True)

    def forward_unchecked(self, x):
        return np.where(x > 0, x, self.alpha * x)

    def derivative_unchecked(self, x):
        return np.where(x > 0, 1.0, self.alpha)

    def __repr__(self):
        return f"LeakyReLU(alpha={self.alpha})"


class Sigmoid(Activation):
    """sigma(x) = 1 / (1 + e^-x), squashing to (0, 1). Its slope is at most 0.25 (at x = 0):
    multiply many of those together and the gradient vanishes."""

    name = "sigmoid"

    def forward_unchecked(self, x):
        return _sigmoid(x)

    def derivative_unchecked(self, x):
        s = _sigmoid(x)
        return s * (1.0 - s)

    def derivative_at(self, x, y):  # sigma' = sigma (1 - sigma), from the output the forward pass kept
        return y * (1.0 - y)


class Tanh(Activation):
    """tanh(x), squashing to (-1, 1). Slope 1 at 0, but almost 0 once |x| > 3."""

    name = "tanh"

    def forward_unchecked(self, x):
        return np.tanh(x)

    def derivative_unchecked(self, x):
        return 1.0 - np.tanh(x) ** 2

    def derivative_at(self, x, y):  # tanh' = 1 - tanh^2, from the output the forward pass kept
        return 1.0 - y**2


class Identity(Activation):
    """f(x) = x: no bend at all. A network of identity layers is just one linear map."""

    name = "identity"

    def forward_unchecked(self, x):
        return x

    def derivative_unchecked(self, x):
        return np.ones_like(x)


class GELU(Activation):
    """GELU, in the tanh approximation used by BERT and GPT-2:
    0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). A smooth ReLU that lets small
    negative values through a little."""

    name = "gelu"

    def forward_unchecked(self, x):
        return 0.5 * x * (1.0 + np.tanh(_SQRT_2_OVER_PI * (x + _GELU_C * (x * x * x))))

    def derivative_unchecked(self, x):  # x * x * x, not x**3: NumPy's power on arrays is far slower
        t = np.tanh(_SQRT_2_OVER_PI * (x + _GELU_C * (x * x * x)))
        return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_C * x * x)


class SiLU(Activation):
    """SiLU (also called swish): x * sigmoid(x). Smooth, used in LLaMA-style models."""

    name = "silu"

    def forward_unchecked(self, x):
        return x * _sigmoid(x)

    def derivative_unchecked(self, x):
        s = _sigmoid(x)
        return s * (1.0 + x * (1.0 - s))


ACTIVATIONS = {cls.name: cls for cls in (ReLU, LeakyReLU, Sigmoid, Tanh, Identity, GELU, SiLU)}


def get_activation(name, **kwargs):
    """Return an activation by name, e.g. ``get_activation("leaky_relu", alpha=0.1)``.

    An `Activation` instance is passed through unchanged, so functions can accept either.
    """
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str) or name not in ACTIVATIONS:
        valid = ", ".join(repr(n) for n in ACTIVATIONS)
        raise ValueError(f"activation must be one of {valid}; got {name!r}")
    return ACTIVATIONS[name](**kwargs)
