"""Small 2-D toy data sets, made on the spot from a seed (nothing is ever downloaded), your own
data checked the same way, the seeded splits into training, validation and test sets, and the
mini-batch iterator that cuts data into steps.

Every maker returns ``X`` (n, 2) float64 and ``y``: (n,) int64 class labels for the classification
sets (DATASETS), (n,) float64 targets for the regression sets (REGRESSION_DATASETS). The same
(n, noise, seed) always gives the same data, so a new data set of the same kind is a new seed.
"""

import numpy as np

from ._validate import as_float_array, as_labels, as_points, check_choice, check_int, check_number, describe


def _check(n, noise, minimum=1):
    return check_int(n, "n", minimum=minimum), check_number(noise, "noise", low=0.0)


def _rng(seed):
    """The makers' random generator, from a seed: a whole number >= 0 (or a numpy Generator)."""
    try:
        return np.random.default_rng(seed)
    except (TypeError, ValueError) as error:
        raise type(error)(f"seed must be a whole number >= 0, got {describe(seed)}") from error


def _split_counts(n, k):
    """n points over k classes as evenly as possible: 10 over 3 -> [4, 3, 3]."""
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def spiral(n=300, noise=0.2, seed=0, classes=3):
    """Interleaved spiral arms, one per class: the classic "needs a non-linear model" set."""
    n, noise = _check(n, noise)
    classes = check_int(classes, "classes", minimum=2)
    rng = _rng(seed)
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
    rng = _rng(seed)
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
    rng = _rng(seed)
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
    rng = _rng(seed)
    X = rng.uniform(-1, 1, (n, 2))
    y = ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(np.int64)
    return X + rng.normal(0, noise, X.shape), y


def blobs(n=200, noise=0.3, seed=0, centers=3):
    """Round clusters around `centers` points on a circle: easy, almost linearly separable."""
    n, noise = _check(n, noise)
    centers = check_int(centers, "centers", minimum=2)
    rng = _rng(seed)
    angles = 2 * np.pi * np.arange(centers) / centers
    means = np.column_stack([np.cos(angles), np.sin(angles)])
    y = np.repeat(np.arange(centers), _split_counts(n, centers)).astype(np.int64)
    return means[y] + rng.normal(0, noise, (n, 2)), y


def _regression(n, noise, seed, target):
    """n points spread evenly over [-1, 1]^2 and their targets, the target of each taken at a point moved
    by up to `noise` along each axis (uniformly), as TensorFlow Playground does; the points stay put."""
    n, noise = _check(n, noise)
    rng = _rng(seed)
    X = rng.uniform(-1, 1, (n, 2))
    return X, target(X + noise * rng.uniform(-1, 1, (n, 2)))  # X first: the noise changes the targets only


def plane(n=200, noise=0.1, seed=0):
    """A regression set: points spread evenly over [-1, 1]^2, target the tilted plane 0.6 (x1 + x2),
    from -1.2 to 1.2 (without noise).

    TensorFlow Playground's "Plane" (its src/dataset.ts, regressPlane) at 1/6 of its size: its points
    fill [-6, 6]^2 with target (x1 + x2) / 10; divided by 6, they fill [-1, 1]^2 like nnlite's other
    sets, with the same targets. The noise is its noise too: the target is the plane's height at the
    point moved by a uniform random amount in [-noise, noise] along each axis (its slider's 0 to 50 %
    is noise 0 to 0.5, a share of the square's half-width), while X keeps the point itself. So for
    one seed the points stay where they are whatever the noise, and only the targets change.
    """
    return _regression(n, noise, seed, lambda P: 0.6 * (P[:, 0] + P[:, 1]))


# TensorFlow Playground's six bumps (regressGaussian): centre x, centre y in its units (divide by 6 for
# ours), and the sign of the bump. Each is a cone: height 1 at its centre, 0 from 2 units (1/3 here) away.
_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def _bumps(P):
    heights = np.maximum(0.0, 1 - 3 * np.linalg.norm(P[:, None, :] - _BUMPS[:, :2] / 6, axis=2)) * _BUMPS[:, 2]
    largest = np.abs(heights).argmax(axis=1)  # as TensorFlow Playground: the bump largest in absolute value
    return heights[np.arange(len(P)), largest]


def multi_gaussian(n=200, noise=0.1, seed=0):
    """A regression set: points spread evenly over [-1, 1]^2, target six bumps in two rows of three,
    up, down, up above and down, up, down below, between -1 and 1 and 0 away from them.

    TensorFlow Playground's "Multi Gaussian" (its src/dataset.ts, regressGaussian) at 1/6 of its
    size, as `plane` is. Despite the name each bump is a cone: height 1 (or -1) at its centre
    (x1 in -2/3, 0, 2/3; x2 = 5/12 or -5/12), falling in a straight line to 0 at distance 1/3. The
    noise is as in `plane`: the target is taken at the point moved by up to `noise` along each axis.
    """
    return _regression(n, noise, seed, _bumps)


DATASETS = {"spiral": spiral, "moons": moons, "circles": circles, "xor": xor, "blobs": blobs}  # classification
REGRESSION_DATASETS = {"plane": plane, "multi_gaussian": multi_gaussian}  # real targets: fit with loss="mse"


def make(name, n=200, noise=0.1, seed=0):
    """Any data set by name: ``make("moons", n=200, noise=0.1, seed=0)``, a classification set of DATASETS
    or a regression set of REGRESSION_DATASETS. A new seed gives a new data set of the same kind."""
    makers = DATASETS | REGRESSION_DATASETS
    if name not in makers:
        raise ValueError(f"name must be one of {', '.join(map(repr, makers))}; got {name!r}")
    return makers[name](n=n, noise=noise, seed=seed)


MAX_CLASSES = 10  # what from_arrays accepts: the playground has a colour for each of up to 10 classes


def from_arrays(X, y, task="classification"):
    """Your own data set, checked so that fit and the playground can use it: returns new arrays (X, y).

    X: the points, (N, 2) finite real numbers, at least 2 rows (one to train on, one to test on).
    y, for task="classification": N class labels 0, 1, ..., K-1, whole numbers (1.0 counts as 1),
    with 2 <= K <= 10 classes and every class used at least once: a class with no points would give
    the network an output that no point ever asks for, and the playground a colour with nothing
    behind it. Labels such as {1, 2} or {-1, 1} are refused rather than renumbered, so that no label
    you chose is changed behind your back: renumber them yourself, e.g. with
    ``np.unique(y, return_inverse=True)[1]``.
    y, for task="regression": N finite real targets.
    Returns X as float64 and y as int64 labels or float64 targets: always copies, so the arrays
    you pass are never changed, and changing the returned ones changes nothing of yours.
    """
    check_choice(task, "task", ("classification", "regression"))
    X = as_points(X).copy()
    if len(X) < 2:
        raise ValueError(f"X must have at least 2 rows (points), one to train on and one to test on; got {len(X)}")
    if task == "regression":
        y = as_float_array(y, "y", ndim=1).copy()
    else:
        y = as_labels(y, "y").copy()
    if len(y) != len(X):
        raise ValueError(f"y must have one entry per row of X ({len(X)}), got {len(y)}")
    if task == "classification":
        _check_classes(y)
    return X, y


def _check_classes(y):
    """Checked labels (whole numbers >= 0): 2 to MAX_CLASSES classes, every one from 0 to the largest used."""
    used = np.unique(y)
    if len(used) < 2:
        raise ValueError(f"y must hold at least 2 classes, got only class {used[0]} (all {len(y)} points)")
    if used[-1] >= MAX_CLASSES:
        raise ValueError(f"y must hold at most {MAX_CLASSES} classes, labels 0 to {MAX_CLASSES - 1}; got the label "
                         f"{used[-1]}")
    if len(used) < used[-1] + 1:
        missing = sorted(set(range(used[-1] + 1)) - set(used.tolist()))
        raise ValueError(f"y must use every class from 0 to its largest label {used[-1]} at least once, but no point "
                         f"has class {', '.join(map(str, missing))}: renumber the labels 0, 1, ..., K-1, e.g. with "
                         "np.unique(y, return_inverse=True)[1]")


def held_out_rows(n, fractions, seed=0):
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
    test, train = held_out_rows(len(X), [test_fraction], seed)
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
    test, val, train = held_out_rows(len(X), [test_fraction, val_fraction], seed)
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
    return batches_unchecked(X, y, batch_size, np.random.default_rng(seed) if shuffle else None)


def batches_unchecked(X, y, batch_size, rng):
    """batches() on checked input; rng None keeps the order."""
    order = rng.permutation(len(X)) if rng is not None else None
    for start in range(0, len(X), batch_size):
        if order is None:
            yield X[start:start + batch_size], y[start:start + batch_size]
        else:
            rows = order[start:start + batch_size]
            yield X[rows], y[rows]
