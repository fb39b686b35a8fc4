"""How good a classifier's answers are: accuracy, and the confusion matrix that says where the
wrong ones go.

Both compare class labels: the true ones, and the predicted ones, which for a model are the
classes of its largest outputs, ``model.forward(X).argmax(axis=1)``.
"""

import numpy as np

from ._validate import as_labels, check_int


def _pair(y_true, y_pred, n_classes=None):
    y_true = as_labels(y_true, "y_true", n_classes)
    y_pred = as_labels(y_pred, "y_pred", n_classes)
    if len(y_pred) != len(y_true):
        raise ValueError(f"y_pred must have one label per entry of y_true ({len(y_true)}), got {len(y_pred)}")
    if len(y_true) == 0:
        raise ValueError("y_true must hold at least one label, got none")
    return y_true, y_pred


def accuracy(y_true, y_pred):
    """The share of points whose predicted class is the true one, from 0 to 1."""
    y_true, y_pred = _pair(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, n_classes=None):
    """counts[i, j]: how many points of true class i were predicted as class j, an (n_classes, n_classes)
    int64 array; rows are the truth and columns the prediction, as in scikit-learn.

    The diagonal holds the right answers, so accuracy = trace / total; row i shows where the points
    of class i went, column j what the model called class j. With 3 or more classes this says more
    than accuracy: which classes the model mixes up. n_classes: the size of the matrix (labels must
    be below it); by default 1 + the largest label in y_true or y_pred.
    """
    if n_classes is not None:
        n_classes = check_int(n_classes, "n_classes", minimum=1)
    y_true, y_pred = _pair(y_true, y_pred, n_classes)
    if n_classes is None:
        n_classes = int(max(y_true.max(), y_pred.max())) + 1
    counts = np.bincount(y_true * n_classes + y_pred, minlength=n_classes * n_classes)  # pair (i, j) -> i * n + j
    return counts.reshape(n_classes, n_classes).astype(np.int64)
