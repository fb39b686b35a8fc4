"""Check an analytic gradient against a numerical one: the safety net of backpropagation.

The numerical gradient uses centred differences,

    df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2 h),

whose error shrinks like h^2. The comparison is a relative error over the whole gradient
vector, ||a - n|| / (||a|| + ||n||) with Euclidean norms: a whole-vector variant of the
relative error of the CS231n notes ("Neural Networks Part 3", Gradient Checks), which is
taken entry by entry, |a_i - n_i| / max(|a_i|, |n_i|). The norms keep a single component
that happens to be near zero from dominating; the price is that a bug in one entry counts
only as its share of the vector (one entry of two 1 % off scores 0.0035, and less in a
longer vector), so the notes' per-entry thresholds (above 1e-2 "probably wrong") do not
carry over. In float64, below 1e-7 means the two agree; above it, look at the entries one
by one. (Kinks like ReLU at 0 can fool it: keep the inputs away from them.)
"""

import numpy as np

from ._validate import as_float_array, check_number


def numerical_gradient(f, x, eps=1e-6):
    """Return df/dx by centred differences. `x` (a float64 array) is nudged in place
    element by element and restored; f(x) must return a scalar."""
    if not callable(f):
        raise TypeError(f"f must be a function returning a number, got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(f"x must be a float64 numpy array (it is changed in place), got {type(x).__name__}")
    eps = check_number(eps, "eps", low=0.0, low_open=True)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):  # index x itself: reshape(-1) of a non-contiguous x (W.T) is a copy
        old = x[i]
        x[i] = old + eps
        plus = float(f(x))
        x[i] = old - eps
        minus = float(f(x))
        x[i] = old
        grad[i] = (plus - minus) / (2.0 * eps)
    return grad


def relative_error(a, b):
    """||a - b|| / (||a|| + ||b||), 0 when both are zero."""
    a = as_float_array(a, "a", allow_empty=True)
    b = as_float_array(b, "b", allow_empty=True)
    if a.shape != b.shape:
        raise ValueError(f"b must have the same shape as a {a.shape}, got {b.shape}")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def gradient_check(f, x, analytic, eps=1e-6):
    """Relative error between `analytic` (your df/dx) and the numerical gradient of f at x.

    Example::

        W = layer.W
        err = gradient_check(lambda _: loss_of_model(), W, layer.dW)
        assert err < 1e-7
    """
    return relative_error(analytic, numerical_gradient(f, x, eps))
