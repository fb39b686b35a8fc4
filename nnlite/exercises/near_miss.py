"""Results that miss by a little: shown with the digits where they differ from the right ones, and the
difference named when it can be (rounded to some decimals or significant figures, computed in float32
or float16, or a few figures off).

A result is what `FunctionExercise` read from one call of a function: ``("value", parts)``, the parts a
tuple of float arrays, or another kind (``"error"``, ``"none"``, ...) when the call gave no value.
"""

import numpy as np

from .answers import figures_given


def explain_near_miss(results, expected, i, value, same, atol=1e-12, hint=""):
    """Why case `i`'s result misses the right one by a little, in a sentence with both and the digits where
    they differ; None unless it is within 5 % of it and the rounding of it on every case, within 1 % of it,
    or float32.

    results, expected: a result per case, the function's and the reference's; value: what the function
    returned on case `i`, as it came; same(result, right): whether a result counts as right; hint: the
    exercise's hint, given when the cause has no name.
    """
    got_parts, want_parts = results[i][1], expected[i][1]
    got, want = _flat(got_parts), _flat(want_parts)
    if got.shape != want.shape or not (np.all(np.isfinite(got)) and np.all(np.isfinite(want))):
        return None
    if _estimated_everywhere(results, expected, same):
        are = "s are" if want.size > 1 else " is"
        return (f"your function returned {_digits(got_parts, 5)}, and the right value{are} "
                f"{_digits(want_parts, 5)}: close, but not exact, on every case, even where the right value is 0. "
                "That looks like the rounding error of an estimate, such as a numerical (finite-difference) "
                "derivative: the exercise asks for the exact formula.")
    if not np.all(np.abs(got - want) <= 0.05 * np.abs(want) + atol):
        return None
    many = want.size > 1
    yours = "yours are the right values" if many else "yours is the right value"
    decimals = next((d for d in range(13) if _rounded_everywhere(results, expected, same, lambda g, w, d=d: np.allclose(
        g, np.round(w, d), rtol=1e-12, atol=0.0))), None)
    figures = figures_given(got, want)
    if decimals is not None:
        cause = (f"{yours} rounded to {decimals} decimal{'s' if decimals != 1 else ''}. Return what your code "
                 "computes, unrounded.")
    elif 1 <= figures < 16 and _rounded_everywhere(results, expected, same,
                                                   lambda g, w: figures_given(g, w) >= figures):
        cause = (f"{yours} rounded to {figures} significant figure{'s' if figures > 1 else ''}. Return what your "
                 "code computes, unrounded.")
    elif kind := _low_precision(value):
        cause = (f"your function computes in {kind} (its result is a {kind} array), which keeps about "
                 f"{7 if kind == 'float32' else 3} significant figures, and fewer after a subtraction of large "
                 "numbers: compute in float64.")
    elif np.all(np.abs(got - want) <= 0.01 * np.abs(want) + atol):
        cause = ("they agree to a few figures only: a term that is slightly off, or a value rounded or computed in "
                 f"low precision somewhere. {hint}")
    else:
        return None
    digits = next((k for k in range(5, 18) if _digits(got_parts, k) != _digits(want_parts, k)), 17)
    return (f"your function returned {_digits(got_parts, digits)}, and the right value{'s are' if many else ' is'} "
            f"{_digits(want_parts, digits)}: {cause}")


def _rounded_everywhere(results, expected, same, rounding):
    """True when on every case the function either gets right or returns the right values rounded: a function
    that rounds does it every time, a wrong one only looks rounded here and there (1.5 for 1.5486)."""
    if len(results) != len(expected):  # the time ran out before the last case
        return False
    for result, right in zip(results, expected, strict=True):
        if same(result, right):
            continue
        if result[0] != "value" or _flat(result[1]).shape != _flat(right[1]).shape:
            return False
        if not rounding(_flat(result[1]), _flat(right[1])):
            return False
    return True


def _estimated_everywhere(results, expected, same):
    """True when on every case the result is within 1e-5 of the right one (relative to the case's largest
    right value, or to 1), and somewhere a right 0 came back as a tiny number: an estimate, not the formula."""
    def close(g, w):
        return bool(np.all(np.abs(g - w) <= 1e-5 * max(1.0, float(np.max(np.abs(w), initial=0.0)))))

    tiny_for_zero = any(r[0] == "value" and _flat(r[1]).shape == _flat(e[1]).shape
                        and np.any((_flat(e[1]) == 0) & (_flat(r[1]) != 0))
                        for r, e in zip(results, expected, strict=False))  # fewer results when time ran out
    return tiny_for_zero and _rounded_everywhere(results, expected, same, close)


def _flat(parts):
    return np.concatenate([np.ravel(p) for p in parts])


def _digits(parts, k):
    """The parts of a result with k significant digits, so that two results that differ show it."""
    return ", ".join(f"{float(p):#.{k}g}" if p.ndim == 0 else
                     np.array2string(p, formatter={"float_kind": lambda v: f"{v:#.{k}g}"}, threshold=12)
                     for p in parts)


def _low_precision(value):
    """"float32" or "float16" when a result (or a part of a pair) is such an array or scalar, else None."""
    items = value if isinstance(value, (tuple, list)) else (value,)
    return next((item.dtype.name for item in items
                 if isinstance(item, (np.ndarray, np.generic)) and item.dtype in (np.float32, np.float16)), None)
