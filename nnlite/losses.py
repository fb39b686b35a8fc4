"""Losses: one number that says how wrong the model is, and its gradient.

Every loss returns ``(loss, grad)``: the mean loss over the batch, and the derivative
of that mean with respect to the model's output, ready for ``model.backward(grad)``.
"""

import numpy as np

from ._validate import as_float_array, as_labels, check_int


def _shift(z, axis):
    """z - max, e^(z - max) and their sum along `axis`: the pieces of softmax and log-softmax."""
    shifted = z - z.max(axis=axis, keepdims=True)  # e^(z - max) <= 1: no overflow
    e = np.exp(shifted)
    return shifted, e, e.sum(axis=axis, keepdims=True)


def softmax_unchecked(z, axis=-1):
    _, e, total = _shift(z, axis)
    return e / total


def _log_softmax(z, axis=-1):
    shifted, _, total = _shift(z, axis)
    return shifted - np.log(total)  # total >= 1 (its largest term is e^0): never log(0)


def _check_axis(z, axis):
    axis = check_int(axis, "axis")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis must be in [{-z.ndim}, {z.ndim - 1}] for z of shape {z.shape}, got {axis}")
    return axis


def softmax(z, axis=-1):
    """Turn scores into probabilities: exp(z_i) / sum_j exp(z_j) along `axis`.

    Subtracting the largest score first changes nothing mathematically (it cancels
    between top and bottom) but keeps every exponent <= 0, so ``softmax([1000, 1003])``
    is exact instead of inf/inf = NaN.
    """
    z = as_float_array(z, "z")
    return softmax_unchecked(z, _check_axis(z, axis))


def log_softmax(z, axis=-1):
    """The log of softmax, computed from the scores: log softmax(z)_i = z_i - logsumexp(z) along `axis`.

    logsumexp(z) = log sum_j exp(z_j) is computed as max + log sum_j exp(z_j - max): every
    exponent is <= 0 and the sum is at least 1, so nothing overflows and the log never sees 0.
    So ``log_softmax([0, 800])`` is exactly [-800, 0], while ``np.log(softmax([0, 800]))`` is
    [-inf, 0]: e^-800 is below the smallest float64 (about 5e-324) and rounds to 0.
    """
    z = as_float_array(z, "z")
    return _log_softmax(z, _check_axis(z, axis))


def softmax_cross_entropy(logits, y):
    """Softmax followed by cross-entropy, averaged over the batch.

    logits: (N, C) scores, one row per example. y: (N,) the right class of each row.
    The loss of one row is -log p[right class]: 0 when the model is sure and right,
    large when it is sure and wrong. Returns ``(mean loss, dlogits)`` where
    dlogits = (softmax(logits) - onehot(y)) / N, the famous "prediction minus truth".

    The loss is -log_softmax(logits)[right class], computed from the logits, never as
    -log(softmax(logits)): for logits [0, 800] and class 0 the probability e^-800 rounds to 0
    and -log 0 = inf, while log-softmax gives (0 - 800) - log(e^-800 + e^0) = -800 - log 1,
    a loss of exactly 800.
    """
    logits = as_float_array(logits, "logits", ndim=2)
    y = as_labels(y, "y", n_classes=logits.shape[1])
    if y.shape[0] != logits.shape[0]:
        raise ValueError(f"y must have one label per row of logits ({logits.shape[0]}), got {y.shape[0]} labels")
    return softmax_cross_entropy_unchecked(logits, y)


def softmax_cross_entropy_unchecked(logits, y):
    n = logits.shape[0]
    rows = np.arange(n)
    shifted, e, total = _shift(logits, 1)
    loss = np.mean(np.log(total[:, 0]) - shifted[rows, y])  # -_log_softmax(logits, 1)[rows, y]; e is reused below
    dlogits = e / total
    dlogits[rows, y] -= 1.0
    dlogits /= n
    return float(loss), dlogits


def mse(pred, target):
    """Mean squared error: the mean of (pred - target)**2 over every element.

    pred and target must have the same shape (no silent broadcasting: a (N,) target
    against (N, 1) predictions would otherwise compare every pair).
    Returns ``(loss, dpred)`` with dpred = 2 (pred - target) / pred.size.
    """
    pred = as_float_array(pred, "pred")
    target = as_float_array(target, "target")
    if pred.shape != target.shape:
        raise ValueError(f"target must have the same shape as pred {pred.shape}, got {target.shape}")
    return mse_unchecked(pred, target)


def mse_unchecked(pred, target):
    diff = pred - target
    return float(np.mean(diff * diff)), (2.0 / diff.size) * diff
