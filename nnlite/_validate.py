"""Input checks shared by the public functions.

Every message names the parameter, what was expected and what came, so a student who
passes the wrong thing reads what to fix instead of a NumPy broadcasting traceback.
"""

import numbers

import numpy as np


def describe(value):
    """A short description of a value for an error message: type, and shape for arrays."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"


def as_float_array(value, name, ndim=None, allow_empty=False):
    """Return `value` as a finite float64 array, or raise an error that names `name`.

    `ndim` may be an int or a tuple of allowed numbers of dimensions.
    Python lists, ints and float32 arrays are accepted and converted.
    """
    try:
        array = np.asarray(value)
    except ValueError as error:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers, got {describe(value)}") from error
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must contain real numbers, got {describe(value)}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            wanted = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {wanted}, got a {array.ndim}-D array of shape {array.shape}")
    if array.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    array = array.astype(np.float64, copy=False)
    if not np.logical_and.reduce(np.isfinite(array), axis=None):  # = .all(), with less call overhead
        bad = "NaN" if np.isnan(array).any() else "inf"
        raise ValueError(f"{name} must contain only finite numbers, but it contains {bad}")
    return array


def as_points(value, name="X"):
    """Return 2-D points as a finite float64 (N, 2) array: one row per point, its columns x1 and x2."""
    points = as_float_array(value, name, ndim=2)
    if points.shape[1] != 2:
        raise ValueError(f"{name} must have 2 columns (x1, x2), one row per point; got shape {points.shape}")
    return points


def as_labels(value, name, n_classes=None):
    """Return integer class labels as an int64 1-D array; reject fractions, negatives, out of range."""
    try:
        labels = np.asarray(value)
    except ValueError as error:
        raise ValueError(f"{name} must be a 1-D array of integer labels, got {describe(value)}") from error
    if labels.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of integer labels, got shape {labels.shape}")
    if labels.dtype.kind == "f":
        whole = np.isfinite(labels) & (labels == np.round(labels))
        if not whole.all():
            first = int(np.argmin(whole))
            raise ValueError(f"{name} must hold whole numbers (class indices), got {float(labels[first])} at index "
                             f"{first}")
    elif labels.dtype.kind not in "biu":
        raise TypeError(f"{name} must hold integer class labels, got {describe(value)}")
    labels = labels.astype(np.int64, copy=False)
    # One pass instead of min() and max(): read as unsigned, a negative label becomes >= 2**63.
    limit = 2**63 if n_classes is None else n_classes
    if labels.size and labels.view(np.uint64).max() >= limit:
        if labels.min() < 0:
            raise ValueError(f"{name} must be class indices >= 0, got {labels.min()}")
        raise ValueError(
            f"{name} must be class indices in 0..{n_classes - 1} (there are {n_classes} classes), got {labels.max()}"
        )
    return labels


def check_int(value, name, minimum=None):
    """Check that `value` is a whole number (not a bool) and at least `minimum`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {describe(value)}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_number(value, name, low=None, high=None, low_open=False, high_open=False):
    """Check that `value` is a finite real number inside the given bounds."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise TypeError(f"{name} must be a finite number, got {describe(value)}")
    below = low is not None and (value <= low if low_open else value < low)
    above = high is not None and (value >= high if high_open else value > high)
    if below or above:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        span = f"{left}{'-inf' if low is None else low}, {'inf' if high is None else high}{right}"
        raise ValueError(f"{name} must be in {span}, got {value}")
    return float(value)


def check_choice(value, name, choices):
    """Check that `value` is one of `choices`, listing them when it is not."""
    if value not in choices:
        valid = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {valid}; got {value!r}")
    return value
