"""Check an analytic gradient against a numerical one: the safety net of backpropagation.

The numerical gradient uses centred differences,

    df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2 h),

whose error shrinks like h^2. The comparison is a relative error over the whole gradient
vector, ||a - n|| / (||a|| + ||n||) with Euclidean norms: a whole-vector variant of the
relative error of the CS231n notes ("Neural Networks Part 3", Gradient Checks), which is
taken entry by entry, |a_i - n_i| / max(|a_i|, |n_i|). Two things differ. The sum in the
denominator is about twice the max, so on one entry our error is about half the notes'. And
the whole vector keeps an entry near zero, whose centred difference is mostly round-off,
from dominating (a correct gradient that scores 6e-5 on its worst entry scores below 1e-9 as
a vector); the price is that a bug in one entry counts only in proportion to that entry's
share of the vector's length, |a_i| / ||a||: one entry 5 % off scores 0.024 on its own,
0.017 in a vector where its share is 0.71, and 0.007 where it is 0.28 (the notes' way:
0.048). So the notes' per-entry thresholds (above 1e-2 "probably wrong") do not carry over.
The course's rule, in float64: the whole-array error below 1e-7, and every entry within
|a_i - n_i| <= atol + rtol |n_i| with rtol = 1e-5 and atol = 1e-8 (entries_agree). The absolute
floor atol lets an entry near zero through when it differs by round-off only (about 1e-10
for a loss near 1 and h = 1e-6), and catches a bug there that the whole array dilutes. It is the allclose test of
torch.autograd.gradcheck, whose defaults (atol 1e-5, rtol 1e-3) are looser. (Kinks
like ReLU at 0 can fool any check: keep the inputs away from them.)
"""

import numpy as np

from ._validate import as_float_array, check_number

ENTRY_RTOL = 1e-5  # the course's per-entry rule: |a - n| <= ENTRY_ATOL + ENTRY_RTOL |n|
ENTRY_ATOL = 1e-8


def numerical_gradient(f, x, eps=1e-6):
    """Return df/dx by centred differences. `x` (a float64 array) is nudged in place
    element by element and restored; f(x) must return a scalar.

    Because the nudge happens in place, f may ignore its argument and read the array
    where it lives: to check a layer's weights, pass `layer.W` as x and a function that
    runs the model, `lambda _: loss_of(model.forward(X))`."""
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


def entries_agree(analytic, numerical, rtol=ENTRY_RTOL, atol=ENTRY_ATOL):
    """True when every entry satisfies |a_i - n_i| <= atol + rtol |n_i|, the course's per-entry
    rule (np.allclose(analytic, numerical, rtol, atol) says the same)."""
    a = as_float_array(analytic, "analytic", allow_empty=True)
    n = as_float_array(numerical, "numerical", allow_empty=True)
    if a.shape != n.shape:
        raise ValueError(f"numerical must have the same shape as analytic {a.shape}, got {n.shape}")
    return bool(np.all(np.abs(a - n) <= atol + rtol * np.abs(n)))


def gradient_check(f, x, analytic, eps=1e-6, entries=False):
    """Relative error between `analytic` (your df/dx) and the numerical gradient of f at x.

    A bug in a single small entry is diluted in that whole-array error, so with entries=True it
    returns a pair: that error and whether every entry passes the course's per-entry rule
    (entries_agree). The course's rule: error < 1e-7 and that True.

    x is nudged in place (see numerical_gradient), so for a model's weights f can ignore its
    argument and run the model, which reads the nudged weights. Example::

        W = layer.W
        err = gradient_check(lambda _: loss_of_model(), W, layer.dW)
        assert err < 1e-7

    If f does not move at all when x is nudged while `analytic` says it should, that is a ValueError, not an
    error of 1, naming both causes: x is not the array f reads (a copy of `layer.W`, say), or f truly does not
    depend on x there (every unit the parameter feeds is off) and `analytic` should be 0.
    """
    numerical = numerical_gradient(f, x, eps)
    check = relative_error(analytic, numerical)
    if not numerical.any() and check > 0:
        analytic = np.asarray(analytic, dtype=float)
        moved = float(eps * np.abs(analytic).max())  # what the largest nudge should have moved f by
        if moved > 1e-10 * (1.0 + abs(float(f(x)))):  # far above round-off: f must have moved
            raise ValueError(
                f"x: f did not change when x was nudged by eps = {eps:g} (numerical gradient all 0), "
                f"while the analytic gradient should have moved it by up to {moved:.1e}. Either f does not "
                f"read the array passed as x, in place (pass the parameter itself, layer.W, not a copy, "
                f"layer.W.copy(), or write f to use its argument), or the loss truly does not depend on x "
                f"here (every unit it feeds is off, say) and the analytic gradient is wrong: it should be 0")
    if entries:
        return check, entries_agree(analytic, numerical)
    return check
