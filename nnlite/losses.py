"""Losses: one number that says how wrong the model is, and its gradient.

Every loss returns ``(loss, grad)``: the mean loss over the batch, and the derivative
of that mean with respect to the model's output, ready for ``model.backward(grad)``.
"""

import numpy as np

from ._validate import as_float_array, as_labels


def _softmax(z, axis=-1):
    shifted = z - z.max(axis=axis, keepdims=True)  # e^(z - max) <= 1: no overflow
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


def softmax(z, axis=-1):
    """Turn scores into probabilities: exp(z_i) / sum_j exp(z_j) along `axis`.

    Subtracting the largest score first changes nothing mathematically (it cancels
    between top and bottom) but keeps every exponent <= 0, so ``softmax([1000, 1003])``
    is exact instead of inf/inf = NaN.
    """
    z = as_float_array(z, "z")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis must be in [{-z.ndim}, {z.ndim - 1}] for z of shape {z.shape}, got {axis}")
    return _softmax(z, axis)


def softmax_cross_entropy(logits, y):
    """Softmax followed by cross-entropy, averaged over the batch.

    logits: (N, C) scores, one row per example. y: (N,) the right class of each row.
    The loss of one row is -log p[right class]: 0 when the model is sure and right,
    large when it is sure and wrong. Returns ``(mean loss, dlogits)`` where
    dlogits = (softmax(logits) - onehot(y)) / N, the famous "prediction minus truth".
    """
    logits = as_float_array(logits, "logits", ndim=2)
    y = as_labels(y, "y", n_classes=logits.shape[1])
    if y.shape[0] != logits.shape[0]:
        raise ValueError(f"y must have one label per row of logits ({logits.shape[0]}), got {y.shape[0]} labels")
    return _softmax_cross_entropy(logits, y)


def _softmax_cross_entropy(logits, y):
    n = logits.shape[0]
    rows = np.arange(n)
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    total = e.sum(axis=1, keepdims=True)
    loss = np.mean(np.log(total[:, 0]) - shifted[rows, y])  # log-sum-exp form: never log(0)
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
    return _mse(pred, target)


def _mse(pred, target):
    diff = pred - target
    return float(np.mean(diff * diff)), (2.0 / diff.size) * diff
