"""Small 2-D toy data sets, made on the spot from a seed (nothing is ever downloaded),
the seeded splits into training, validation and test sets, and the mini-batch iterator
that cuts data into steps.

Every maker returns ``X`` (n, 2) float64 and ``y`` (n,) int64 class labels, and the same
(n, noise, seed) always gives the same points.
"""

import numpy as np

from ._validate import as_float_array, check_int, check_number, describe


def _check(n, noise, minimum=1):
    return check_int(n, "n", minimum=minimum), check_number(noise, "noise", low=0.0)


def _split_counts(n, k):
    """n points over k classes as evenly as possible: 10 over 3 -> [4, 3, 3]."""
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def spiral(n=300, noise=0.2, seed=0, classes=3):
    """Interleaved spiral arms, one per class: the classic "needs a non-linear model" set."""
    n, noise = _check(n, noise)
    classes = check_int(classes, "classes", minimum=2)
    rng = np.random.default_rng(seed)
    X, y = [], []
    for k, count in enumerate(_split_counts(n, classes)):
        r = np.linspace(0.05, 1.0, count)
        theta = np.linspace(0, 4.0, count) + 2 * np.pi * k / classes + rng.normal(0, noise, count)
        X.append(np.column_stack([r * np.sin(theta), r * np.cos(theta)]))
        y.append(np.full(count, k))
    return np.concatenate(X), np.concatenate(y).astype(np.int64)


def moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles."""
    n, noise = _check(n, noise)
    rng = np.random.default_rng(seed)
    n0, n1 = _split_counts(n, 2)
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n1)
    X = np.concatenate([np.column_stack([np.cos(t0), np.sin(t0)]),
                        np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])])
    X += rng.normal(0, noise, X.shape)
    return X, np.repeat([0, 1], [n0, n1]).astype(np.int64)


def circles(n=200, noise=0.05, seed=0, factor=0.5):
    """A small circle (class 1) inside a big one (class 0): no straight line separates them."""
    n, noise = _check(n, noise)
    factor = check_number(factor, "factor", low=0.0, high=1.0, low_open=True, high_open=True)
    rng = np.random.default_rng(seed)
    n0, n1 = _split_counts(n, 2)
    t0 = np.linspace(0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, n1, endpoint=False)
    X = np.concatenate([np.column_stack([np.cos(t0), np.sin(t0)]),
                        factor * np.column_stack([np.cos(t1), np.sin(t1)])])
    X += rng.normal(0, noise, X.shape)
    return X, np.repeat([0, 1], [n0, n1]).astype(np.int64)


def xor(n=200, noise=0.1, seed=0):
    """Points in [-1, 1]^2, class 1 where x1 and x2 have different signs: the textbook
    interaction effect (the effect of x1 flips with the sign of x2)."""
    n, noise = _check(n, noise)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 2))
    y = ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(np.int64)
    return X + rng.normal(0, noise, X.shape), y


def blobs(n=200, noise=0.3, seed=0, centers=3):
    """Round clusters around `centers` points on a circle: easy, almost linearly separable."""
    n, noise = _check(n, noise)
    centers = check_int(centers, "centers", minimum=2)
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * np.arange(centers) / centers
    means = np.column_stack([np.cos(angles), np.sin(angles)])
    y = np.repeat(np.arange(centers), _split_counts(n, centers)).astype(np.int64)
    return means[y] + rng.normal(0, noise, (n, 2)), y


DATASETS = {"spiral": spiral, "moons": moons, "circles": circles, "xor": xor, "blobs": blobs}


def make(name, n=200, noise=0.1, seed=0):
    """Any data set by name: ``make("moons", n=200, noise=0.1, seed=0)``."""
    if name not in DATASETS:
        raise ValueError(f"name must be one of {', '.join(map(repr, DATASETS))}; got {name!r}")
    return DATASETS[name](n=n, noise=noise, seed=seed)


def _held_out_rows(n, fractions, seed=0):
    """Which rows each held-out part gets: the seeded cut that every split in nnlite makes.

    One permutation of range(n) is drawn from `seed`; the first part takes its first
    round(fractions[0] * n) rows (at least one), the next part the rows after those, and so on;
    the training rows are the rest, in the same shuffled order. Returns one index array per
    fraction, then the training rows. Checked input only: the public splits below name
    their own parameters in their errors.
    """
    counts = [max(1, int(round(fraction * n))) for fraction in fractions]
    order = np.random.default_rng(seed).permutation(n)
    return np.split(order, np.cumsum(counts))


def _as_pair(X, y):
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0:
        raise ValueError(f"X must be an array with one row per example, got {describe(X)}")
    if len(X) != len(y):
        raise ValueError(f"y must have one entry per row of X ({len(X)}), got {len(y)}")
    return X, y


def train_test_split(X, y, test_fraction=0.25, seed=0):
    """Shuffle and split into (X_train, y_train, X_test, y_test).

    The test part is round(test_fraction * N) rows (at least one), chosen by `seed`.
    """
    X, y = _as_pair(X, y)
    test_fraction = check_number(test_fraction, "test_fraction", low=0.0, high=1.0, low_open=True, high_open=True)
    if len(X) < 2:
        raise ValueError(f"X must have at least 2 rows to split, got {len(X)}")
    test, train = _held_out_rows(len(X), [test_fraction], seed)
    if len(train) == 0:
        raise ValueError(f"test_fraction={test_fraction:g} takes all {len(X)} rows of X for the test set and "
                         "leaves none to train on: use a smaller test_fraction or more rows")
    return X[train], y[train], X[test], y[test]


def train_val_test_split(X, y, val_fraction=0.2, test_fraction=0.2, seed=0):
    """Shuffle and cut into three parts: (X_train, y_train, X_val, y_val, X_test, y_test).

    * training set: the only rows the model learns from;
    * validation set (val_fraction of the rows): to compare settings (learning rate, epochs,
      weight decay) and choose one;
    * test set (test_fraction of the rows): looked at once, at the end, to report how the
      chosen model does on data it has never influenced.

    Each held-out part is round(fraction * N) rows (at least one), chosen by `seed`. The test
    rows are the ones train_test_split(X, y, test_fraction, seed) holds out, so adding a
    validation set leaves the test set as it was.
    """
    X, y = _as_pair(X, y)
    val_fraction = check_number(val_fraction, "val_fraction", low=0.0, high=1.0, low_open=True, high_open=True)
    test_fraction = check_number(test_fraction, "test_fraction", low=0.0, high=1.0, low_open=True, high_open=True)
    if val_fraction + test_fraction >= 1.0:
        raise ValueError(f"val_fraction + test_fraction must be below 1, so that rows are left to train on; got "
                         f"{val_fraction:g} + {test_fraction:g} = {val_fraction + test_fraction:g}")
    if len(X) < 3:
        raise ValueError(f"X must have at least 3 rows to split into training, validation and test sets, got {len(X)}")
    test, val, train = _held_out_rows(len(X), [test_fraction, val_fraction], seed)
    if len(train) == 0:
        raise ValueError(f"val_fraction={val_fraction:g} and test_fraction={test_fraction:g} take all {len(X)} rows "
                         "of X and leave none to train on: use smaller fractions or more rows")
    return X[train], y[train], X[val], y[val], X[test], y[test]


def batches(X, y, batch_size=32, shuffle=True, seed=0):
    """Yield (X_batch, y_batch) pairs that together cover every row once: one epoch.

    With shuffle=True the order is a fresh random permutation drawn from `seed`
    (an int, or a numpy Generator to get a new order each epoch).
    The last batch holds the leftover rows, so it may be smaller.
    """
    X = as_float_array(X, "X", ndim=2)
    y = np.asarray(y)
    if len(y) != len(X):
        raise ValueError(f"y must have one entry per row of X ({len(X)}), got {len(y)}")
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    return _batches(X, y, batch_size, np.random.default_rng(seed) if shuffle else None)


def _batches(X, y, batch_size, rng):
    """batches() on checked input; rng None keeps the order."""
    order = rng.permutation(len(X)) if rng is not None else None
    for start in range(0, len(X), batch_size):
        if order is None:
            yield X[start:start + batch_size], y[start:start + batch_size]
        else:
            rows = order[start:start + batch_size]
            yield X[rows], y[rows]
