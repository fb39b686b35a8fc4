"""Answers that are numbers or choices: read them carefully, then compare.

`read_numbers` turns whatever a student wrote into a float array of the expected shape,
or into a sentence saying why it cannot ("write a number, not the string '0.5'").
"""

import math
import numbers
import warnings

import numpy as np

from . import CLOSE, NOT_YET, Exercise, Feedback


def shown(value, limit=60):
    """A short, safe description of any value for a message."""
    try:
        text = np.array2string(value, precision=4, threshold=8) if isinstance(value, np.ndarray) else repr(value)
    except Exception:  # a student's object whose repr raises
        text = f"a {type(value).__name__}"
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _shape_words(shape):
    return "one number" if shape == () else f"an array of shape {shape}"


def read_numbers(value, shape, allow_nonfinite=False, what="your answer"):
    """(float array of `shape`, None), or (None, a sentence saying what is wrong with `value`)."""
    if isinstance(value, (str, bytes)):
        try:
            float(value)
        except (TypeError, ValueError):
            return None, f"{what} is the text {shown(value)}; write {_shape_words(shape)}."
        return None, f"{what} is the text {shown(value)}: write the number without quotes."
    if isinstance(value, (bool, np.bool_)):
        return None, f"{what} is {value}, a yes/no value; write {_shape_words(shape)}."
    if isinstance(value, (dict, set)) or callable(value):
        return None, f"{what} is a {type(value).__name__}; write {_shape_words(shape)}."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw = np.asarray(value)
    except Exception:
        return None, f"{what} ({shown(value)}) is not a number or a list of numbers."
    if raw.dtype.kind == "b":
        return None, f"{what} holds True/False values; write {_shape_words(shape)}."
    if raw.dtype.kind not in "iuf":
        return None, f"{what} ({shown(value)}) is not made of numbers; write {_shape_words(shape)}."
    try:
        array = raw.astype(float)
    except (OverflowError, ValueError):
        return None, f"{what} ({shown(value)}) is too large to be a float."
    if array.shape != shape:
        if shape == () and array.size == 1:
            array = array.reshape(())
        else:
            return None, f"{what} has shape {array.shape}; it should be {_shape_words(shape)}."
    if not allow_nonfinite and not np.all(np.isfinite(array)):
        return None, f"{what} ({shown(value)}) is not a finite number."
    return array, None


def near(a, b, rtol, atol):
    """Elementwise |a - b| <= rtol*|b| + atol for all elements, NaN equal to NaN."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return False
    both_nan = np.isnan(a) & np.isnan(b)
    with np.errstate(invalid="ignore", over="ignore"):
        ok = (np.abs(a - b) <= rtol * np.abs(b) + atol) | (a == b) | both_nan
    return bool(np.all(ok))


def right_to_two_figures(a, e):
    """True where `a` agrees with the non-zero `e` to two significant figures (half a unit
    of the second digit), so 4.6 is close to 4.6052 and 0.18 to 0.1768."""
    a, e = np.asarray(a, dtype=float).ravel(), np.asarray(e, dtype=float).ravel()
    if np.any(e == 0):
        return False
    unit = np.array([10.0 ** (math.floor(math.log10(abs(x))) - 1) for x in e])
    return bool(np.all(np.abs(a - e) <= 0.5 * unit * (1 + 1e-9)))


class NumberExercise(Exercise):
    """An answer that is a number (or a small array of numbers)."""

    def __init__(self, title, expected, mistakes=(), hint="Look again at the explanation above.", why="",
                 rtol=1e-3, atol=1e-9):
        super().__init__(title, mistakes, hint, why)
        self.expected = np.asarray(expected, dtype=float)
        self.rtol, self.atol = rtol, atol
        for mistake in self.mistakes:
            if near(np.asarray(mistake.answer, dtype=float), self.expected, rtol, atol):
                raise ValueError(f"{title}: the mistake {mistake.answer!r} is also the right answer")

    def _grade(self, answer):
        value, problem = read_numbers(answer, self.expected.shape)
        if problem:
            return Feedback("invalid", f"{NOT_YET}: {problem}")
        if near(value, self.expected, self.rtol, self.atol):
            return self._correct()
        for mistake in self.mistakes:
            if near(value, np.asarray(mistake.answer, dtype=float), self.rtol, self.atol):
                return self._mistake(mistake)
        if right_to_two_figures(value, self.expected):
            return Feedback("close", f"{CLOSE}: right to two or three significant figures. Give more digits "
                                     "(compute it in Python rather than rounding by hand).")
        return self._wrong()


def _same_option(answer, option):
    """Type-strict: 0.0005 or False is not 0, the string "True" is not True; strings ignore case and spaces."""
    if isinstance(option, (bool, np.bool_)):
        return isinstance(answer, (bool, np.bool_)) and bool(answer) == bool(option)
    if isinstance(option, str):
        return isinstance(answer, str) and answer.strip().lower() == option.strip().lower()
    if isinstance(option, numbers.Integral):
        if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Real):
            return False
        return float(answer) == float(option)
    return answer == option


class ChoiceExercise(Exercise):
    """An answer that is one of a few options (a name, an int, True or False)."""

    def __init__(self, title, expected, options, mistakes=(), hint="Look again at the explanation above.", why=""):
        super().__init__(title, mistakes, hint, why)
        self.options = list(options)
        self.expected = expected
        if not any(_same_option(expected, o) for o in self.options):
            raise ValueError(f"{title}: the expected answer {expected!r} is not among the options")
        for mistake in self.mistakes:
            if _same_option(mistake.answer, expected):
                raise ValueError(f"{title}: the mistake {mistake.answer!r} is also the right answer")

    def _grade(self, answer):
        if isinstance(answer, np.ndarray) or not any(_same_option(answer, o) for o in self.options):
            choices = ", ".join(repr(o) for o in self.options)
            return Feedback("invalid", f"{NOT_YET}: {shown(answer)} is not one of the possible answers: {choices}.")
        if _same_option(answer, self.expected):
            return self._correct()
        for mistake in self.mistakes:
            if _same_option(answer, mistake.answer):
                return self._mistake(mistake)
        return self._wrong()
