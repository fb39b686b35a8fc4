"""Input features: which numbers the network is shown of each point.

A network fed the coordinates (x1, x2) alone must build every curve from its units. Columns
computed from them can make the problem easy: the circles data (a small circle inside a big one)
is cut by a straight line in the plane of (x1², x2²), since x1² + x2² < r² exactly inside a
circle of radius r; the xor data, by the sign of x1·x2. These are TensorFlow Playground's seven
inputs, with its formulas (its src/playground.ts, INPUTS): there each can be switched on or off.

Scale: the formulas are applied to the coordinates as given. nnlite's data sets span about
[-1, 1], where sin x1 never differs from x1 by more than 1 - sin 1 = 0.16; TensorFlow
Playground's span [-6, 6], almost two periods of the sine. ``feature_columns(6 * X, names)``
gives exactly its features of its points (squares up to 36 included).
"""

import numpy as np

from ._validate import as_points, describe

FEATURES = {  # name: how to write it; in TensorFlow Playground's order
    "x1": "x₁", "x2": "x₂", "x1_squared": "x₁²", "x2_squared": "x₂²", "x1_times_x2": "x₁x₂",
    "sin_x1": "sin(x₁)", "sin_x2": "sin(x₂)",
}

_FORMULAS = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1_squared": lambda x1, x2: x1 * x1,
    "x2_squared": lambda x1, x2: x2 * x2,
    "x1_times_x2": lambda x1, x2: x1 * x2,
    "sin_x1": lambda x1, x2: np.sin(x1),
    "sin_x2": lambda x1, x2: np.sin(x2),
}


def feature_columns(X, names):
    """The features `names` of the points X (N, 2): an (N, len(names)) float64 array, one column per
    name, in the order given. ``feature_columns(X, ["x1_squared", "x2_squared"])`` is [x1², x2²].

    names: a list (or tuple) of keys of FEATURES, each at most once, at least one. The network that
    reads the result needs one input per name: ``nl.MLP([len(names), ...])``.
    """
    X = as_points(X)
    x1, x2 = X[:, 0], X[:, 1]
    return np.column_stack([_FORMULAS[name](x1, x2) for name in check_feature_names(names)])


def check_feature_names(names, what="names"):
    """`names` checked as a choice of features (a list or tuple of keys of FEATURES, each at most once, at
    least one), returned as a list; errors name the parameter `what`."""
    if isinstance(names, str) or not isinstance(names, (list, tuple)):
        raise TypeError(f"{what} must be a list of feature names such as ['x1', 'x2'], got {describe(names)}")
    if not names:
        raise ValueError(f"{what} must choose at least one feature of {', '.join(map(repr, FEATURES))}; got none")
    for name in names:
        if name not in FEATURES:
            raise ValueError(f"{what} must be features among {', '.join(map(repr, FEATURES))}; got {name!r}")
        if names.count(name) > 1:
            raise ValueError(f"{what} must choose each feature at most once, got {name!r} {names.count(name)} times")
    return list(names)
