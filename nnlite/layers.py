"""The Dense (fully connected) layer: y = x @ W + b, and its backward pass."""

import numpy as np

from ._validate import as_float_array, check_choice, check_int, check_number

INITS = ("he", "xavier", "normal")


def init_std(init, n_in, n_out, std=1.0):
    """Standard deviation of the initial weights.

    "he": sqrt(2 / n_in), keeps the scale of ReLU activations constant with depth (He et al.
        2015; for Leaky ReLU with slope a their variance is 2 / ((1 + a^2) n_in), one part in
        10,000 from 2 / n_in for a = 0.01);
    "xavier": sqrt(2 / (n_in + n_out)), Glorot & Bengio's (2010) "normalized initialization",
        derived for an activation with slope 1 at 0 (tanh, or none). It is not derived for
        sigmoid (slope 1/4 at 0, outputs centred on 1/2), which the paper tested only with its
        older init and advises against; giving it to sigmoid is a convention (PyTorch's
        calculate_gain("sigmoid") is 1). Neither it nor std 1 makes a deep sigmoid stack learn
        (notebook 05: at 20 layers of 32 units every run stays on the guessing line); only a
        "normal" std balanced for the layer's factor (about 2 for 32 units) trains most runs;
    "normal": the fixed `std` you choose (1.0 by default: the bad init that shows the problem).
    """
    check_choice(init, "init", INITS)
    if init == "he":
        return np.sqrt(2.0 / n_in)
    if init == "xavier":
        return np.sqrt(2.0 / (n_in + n_out))
    return check_number(std, "std", low=0.0, low_open=True)


class Dense:
    """A fully connected layer with weights W (n_in, n_out) and biases b (n_out,), float64.

    forward(x) remembers x, because backward needs it: dL/dW = x.T @ dL/dy.
    Gradients are ADDED into .dW and .db on every backward call (as in PyTorch), so
    call zero_grad() between steps or they pile up.

    `seed` is an int, None, or a numpy Generator (to draw several layers from one stream).
    """

    def __init__(self, n_in, n_out, init="he", seed=0, std=1.0):
        self.n_in = check_int(n_in, "n_in", minimum=1)
        self.n_out = check_int(n_out, "n_out", minimum=1)
        rng = np.random.default_rng(seed)
        self.W = rng.normal(0.0, init_std(init, self.n_in, self.n_out, std), size=(self.n_in, self.n_out))
        self.b = np.zeros(self.n_out)
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        self.x = None  # the input of the last forward call

    def forward(self, x):
        """y = x @ W + b for a batch x of shape (N, n_in)."""
        x = as_float_array(x, "x", ndim=2)
        if x.shape[1] != self.n_in:
            raise ValueError(f"x must have {self.n_in} features (columns) for this layer, got {x.shape[1]}")
        return self.forward_unchecked(x)

    def forward_unchecked(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dy, input_grad=True):
        """Given dL/dy (N, n_out): add dL/dW and dL/db into .dW/.db, return dL/dx = dy @ W.T."""
        if self.x is None:
            raise RuntimeError("backward was called before forward: run forward(x) first, so the layer knows x")
        dy = as_float_array(dy, "dy", ndim=2)
        if dy.shape != (self.x.shape[0], self.n_out):
            raise ValueError(f"dy must have shape {(self.x.shape[0], self.n_out)} (batch, n_out), got {dy.shape}")
        return self.backward_unchecked(dy, input_grad)

    def backward_unchecked(self, dy, input_grad=True, accumulate=True):
        # accumulate=False overwrites .dW/.db: the same as zero_grad() then backward, one pass cheaper.
        if accumulate:
            self.dW += self.x.T @ dy
            self.db += dy.sum(axis=0)
        else:
            np.matmul(self.x.T, dy, out=self.dW)
            np.add.reduce(dy, axis=0, out=self.db)
        return dy @ self.W.T if input_grad else None

    def zero_grad(self):
        """Reset .dW and .db to zero (in place, so references to them stay valid)."""
        self.dW.fill(0.0)
        self.db.fill(0.0)

    def parameters(self):
        """The (value, gradient) pairs of this layer: [(W, dW), (b, db)]."""
        return [(self.W, self.dW), (self.b, self.db)]

    def __repr__(self):
        return f"Dense({self.n_in}, {self.n_out})"
