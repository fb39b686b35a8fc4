"""Answers that are numbers or choices: read them whatever their type, then compare.

A number may be an int, a float, a NumPy scalar or 0-d array, a ``Fraction``, a ``Decimal`` or
a sympy number: anything ``float()`` understands that is not text, a yes/no value or a complex
number. An array may be a list, a tuple or a NumPy array of such numbers. `read_numbers` turns
what a student wrote into a float array, or into a sentence saying why it cannot.

"Close" (shown as "≈ Too few digits") means the right quantity, rounded: a nearby number is not
close. `figures_given(answer, exact)` is the number of
significant figures to which `answer` is `exact` rounded (or, from 2 figures on, cut off among its
decimals, as a copy of the printed digits is), 0 when it is not a rounding of `exact` at all: 0.2,
0.18 and 0.177 are sqrt(2/64) = 0.17678 to 1, 2 and 3 figures, while sqrt(2/65) = 0.1754, or a
standard deviation measured on random numbers, is none. A whole number cut from one with decimals
(2321 for 2321.94) is what floor division // and int() give: a mistake of its own, not a rounding.
`figures_written(answer)` is how many figures the student wrote: 4.6 is 2 (though it is also 4.605
cut to 3 figures, 4.60), 0.002 is 1, 60 is 1. "Close" asks for both: a rounding of
the right value, written with fewer than CORRECT_FIGURES figures in every element (an array whose
other elements carry all 17 digits was not rounded by hand: [2 // 1.5, -8/3, 4/3] is a slip).

Only a right value that takes more than CORRECT_FIGURES figures to write is ever rounded:
0.7311..., 1/512 = 0.001953125 or 4/3. An exact short answer (0.25, 18, -3) is written as it is,
so 0.3 for 0.25 is not "close": it is another number, and "give more digits" would leave only
one answer.
"""

import decimal
import math
import numbers
import warnings

import numpy as np

from . import CLOSE, NOT_YET, Exercise, Feedback, Mistake

CORRECT_FIGURES = 4  # an answer rounded to this many significant figures is right; 2 or 3 are "close"
# the rule the messages state: a rounding to 4 figures that ends in 0 may be written without it (1.260 as 1.26)
LAST_ZERO = "a last 0 may be left out: 1.260 may be written 1.26"


def shown(value, limit=60):
    """A short, safe description of any value for a message."""
    try:
        text = np.array2string(value, precision=4, threshold=8) if isinstance(value, np.ndarray) else repr(value)
    except Exception:  # a student's object whose repr raises
        text = f"a {type(value).__name__}"
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _shape_words(shape):
    if shape is None:
        return "numbers"
    return "one number" if shape == () else f"an array of shape {shape}"


def _real(x):
    """float(x) for one real number of any numeric type (Fraction, Decimal, sympy...); None if it is not one.
    Raises OverflowError for a number too large for a float."""
    if x is None or isinstance(x, (str, bytes, bool, np.bool_, complex, np.complexfloating)):
        return None
    try:
        return float(x)
    except OverflowError:
        raise
    except Exception:  # sympy's symbols and complex numbers, or any object float() refuses
        return None


def _as_floats(raw, what, value, shape):
    """The float array of an object array (Fractions, Decimals, sympy numbers...), or a sentence."""
    floats = np.empty(raw.shape)
    for index, element in np.ndenumerate(raw):
        if isinstance(element, (str, bytes)):
            return None, f"{what} holds the text {shown(element)}: write numbers without quotes."
        try:
            number = _real(element)
        except OverflowError:
            return None, f"{what} ({shown(value)}) is too large to be a float."
        if number is None:
            return None, f"{what} ({shown(value)}) is not made of real numbers; write {_shape_words(shape)}."
        floats[index] = number
    return floats, None


def read_numbers(value, shape=None, allow_nonfinite=False, what="your answer", squeeze=False):
    """(float array, None), or (None, a sentence saying what is wrong with `value`).

    `shape` None accepts any shape; otherwise the array must have it (one number may come as
    a list of one, and with `squeeze` an array may carry extra axes of length 1)."""
    if isinstance(value, (str, bytes)):
        if _real_text(value):
            return None, f"{what} is the text {shown(value)}: write the number without quotes."
        return None, f"{what} is the text {shown(value)}; write {_shape_words(shape)}."
    if isinstance(value, (bool, np.bool_)):
        return None, f"{what} is {value}, a yes/no value; write {_shape_words(shape)}."
    if isinstance(value, (dict, set)) or callable(value):
        return None, f"{what} is a {type(value).__name__}; write {_shape_words(shape)}."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw = np.asarray(value)
    except Exception:
        return None, f"{what} ({shown(value)}) is not a number or a rectangular list of numbers."
    if raw.dtype.kind == "b":
        return None, f"{what} holds True/False values; write {_shape_words(shape)}."
    if raw.dtype.kind in "US":
        return None, f"{what} holds text ({shown(value)}): write numbers without quotes."
    if raw.dtype.kind == "c":
        return None, f"{what} ({shown(value)}) is a complex number: write real numbers."
    if raw.dtype.kind in "iuf":
        array = raw.astype(float)
    elif raw.dtype.kind == "O":
        array, problem = _as_floats(raw, what, value, shape)
        if problem:
            return None, problem
    else:
        return None, f"{what} ({shown(value)}) is not made of numbers; write {_shape_words(shape)}."
    if shape is not None and array.shape != shape:
        if array.size == math.prod(shape) and (shape == () or squeeze and array.squeeze().shape ==
                                               tuple(d for d in shape if d != 1)):
            array = array.reshape(shape)
        else:
            return None, f"{what} has shape {array.shape}; it should be {_shape_words(shape)}."
    if not allow_nonfinite and not np.all(np.isfinite(array)):
        return None, f"{what} ({shown(value)}) is not a finite number."
    return array, None


def _real_text(text):
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


def near(a, b, rtol, atol):
    """Elementwise |a - b| <= rtol*|b| + atol for all elements, where an infinite b asks for that same
    infinity and NaN equals NaN; False if the shapes differ."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return False
    with np.errstate(invalid="ignore", over="ignore"):
        close = np.isfinite(b) & (np.abs(a - b) <= rtol * np.abs(b) + atol)
    return bool(np.all(close | (a == b) | (np.isnan(a) & np.isnan(b))))


def _to_figures(e, k, mode):
    """`e` written to `k` significant figures of the digits Python prints for it, rounded with `mode` (a rounding
    mode of `decimal`: ROUNDINGS, or ROUND_DOWN to cut off)."""
    digits = decimal.Decimal(repr(e))
    return float(digits.quantize(decimal.Decimal(1).scaleb(digits.adjusted() - k + 1), rounding=mode))


ROUNDINGS = (decimal.ROUND_HALF_EVEN, decimal.ROUND_HALF_UP)  # the two ways students round a last 5


def _figures(a, e):
    """figures_given for one pair of floats: the most figures k for which `a` is `e` rounded (half to even or
    half up) or, for k >= 2, cut off to k significant figures among its decimals. 1.26 is 1.25992 to 3
    figures and to 4 (1.260). Cut to 1 figure, 57.7 would be 50: too far to call a rounding; cut at its
    decimal point, 57.7 would be 57, what 57.7 // 1 gives."""
    if a == e:
        return math.inf
    if e == 0 or not (math.isfinite(a) and math.isfinite(e)):
        return 0
    best = 0
    for k in range(1, 16):
        cut = k >= 2 and decimal.Decimal(repr(e)).adjusted() - k + 1 < 0  # the last figure kept is a decimal
        modes = ROUNDINGS + ((decimal.ROUND_DOWN,) if cut else ())
        if any(math.isclose(a, _to_figures(e, k, mode), rel_tol=1e-12) for mode in modes):
            best = k
    return best


def _written(x):
    """The significant figures of a float as Python prints it (its shortest repr): 4.6 has 2, 60.0 has 1."""
    if x == 0 or not math.isfinite(x):
        return 1
    return len(decimal.Decimal(repr(float(x))).normalize().as_tuple().digits)


def figures_written(value):
    """How many significant figures `value` is written with: the most over its elements, the precision the
    student kept. [1.0, -8/3, 4/3] has 17: that is not a rounding by hand, whatever its first element."""
    return max((_written(float(x)) for x in np.asarray(value, dtype=float).ravel()), default=0)


def figures_needed(exact):
    """The figures it takes to write `exact` (its largest element): 0.25 needs 2, 0.1 + 0.2 needs 1 (the
    float's last bits are not figures anyone writes), 0.7311 needs 4, 1/512 = 0.001953125 needs 7."""
    needed = 0
    for e in np.asarray(exact, dtype=float).ravel():
        e = float(e)
        needed = max(needed, next((k for k in range(1, 17) if math.isclose(float(f"{e:.{k - 1}e}"), e,
                                                                            rel_tol=1e-12, abs_tol=0)), 17))
    return needed


def _cut_to_one_figure(value, exact):
    """True when every element of `value` is `exact`'s element rounded or cut off to 1 significant figure
    (0.04 or 0.05 for 0.0474)."""
    def one(a, e):
        if e == 0 or not math.isfinite(e):
            return False
        return math.isclose(a, _to_figures(e, 1, decimal.ROUND_DOWN), rel_tol=1e-12) or _figures(a, e) >= 1

    a, e = np.broadcast_arrays(np.asarray(value, dtype=float), np.asarray(exact, dtype=float))
    return a.size > 0 and all(one(float(x), float(y)) for x, y in zip(a.ravel(), e.ravel(), strict=True))


def rounds_to(value, exact, figures):
    """True when every element of `value` is `exact`'s element rounded (half to even or half up) to `figures`
    significant figures, not merely cut off: 4.5 is 4.481 rounded to 2 figures, 4.4 is it cut off."""
    a, e = np.broadcast_arrays(np.asarray(value, dtype=float), np.asarray(exact, dtype=float))

    def one(x, y):
        if y == 0 or not math.isfinite(y):
            return x == y
        return any(math.isclose(x, _to_figures(y, figures, mode), rel_tol=1e-12) for mode in ROUNDINGS)

    return a.size > 0 and all(one(float(x), float(y)) for x, y in zip(a.ravel(), e.ravel(), strict=True))


def figures_given(value, exact):
    """The number of significant figures to which `value` is `exact` rounded or cut off (the fewest
    over the elements; inf where they are equal), 0 when `value` is not `exact` rounded."""
    a, e = np.broadcast_arrays(np.asarray(value, dtype=float), np.asarray(exact, dtype=float))
    if a.size == 0:
        return 0
    return min(_figures(float(x), float(y)) for x, y in zip(a.ravel(), e.ravel(), strict=True))


def _generic_mistakes(expected):
    """Mistakes any number exercise can name from the answer alone: a sign, a power of ten, upside down, the
    decimals dropped."""
    found = [Mistake(-expected, "Your answer has the right size but the opposite sign: follow the signs through "
                                "your computation once more.")]
    for power in (-3, -2, -1, 1, 2, 3):
        factor = 10.0 ** power
        if power == 2:
            words = ("Your answer is 100 times the right value: is it a percentage? Give the plain number (a "
                     "probability or a fraction of 1, not per cent).")
        else:
            words = (f"Your answer is {factor:g} times the right value: look for a decimal point in the wrong "
                     "place, or a factor of ten.")
        found.append(Mistake(expected * factor, words))
    if expected.shape == () and expected != 0:
        found.append(Mistake(1 / expected, "Your answer is the right value upside down (1 divided by it): swap "
                                           "the top and the bottom of your fraction."))
    if expected.shape == () and expected >= 10 and not float(expected).is_integer():  # below 10 it is 1 figure
        found.append(Mistake(np.floor(expected), "Your answer is the right value without its decimals, as floor "
                                                 "division (//) or int() gives: divide with /, and keep the value "
                                                 "Python computes. (Digits cut off are accepted after the decimal "
                                                 "point only: a whole number cut from the value is what // gives.)"))
    # two slips that give one value (for 0.1, 100 times it is 1 / 0.1) cannot be told apart: name neither
    values = [np.asarray(m.answer, dtype=float) for m in found]
    return [m for i, m in enumerate(found) if not any(near(values[i], v, 1e-9, 0.0)
                                                      for j, v in enumerate(values) if j != i)]


class NumberExercise(Exercise):
    """An answer that is a number (or a small array of numbers).

    Correct: equal to `expected` within `rtol` (a float32 or another order of the same sums is
    fine), or rounded to CORRECT_FIGURES significant figures or more. Close: rounded to 1, 2 or 3,
    when the right value takes more than CORRECT_FIGURES figures to write (see the module's
    docstring); an exact short answer and a whole number (`integer`) are never close. `whole` says
    what that whole number is ("a count", "an epoch's number"), for an answer that is not one.
    A mistake in the table matches when the answer is its value, or its value rounded to at least
    2 figures (3 when the mistake lies within 10 % of the right value: 0.24 may be 2/8.5 = 0.235
    rounded, or a guess just below 0.25). `near_hint` replaces what is said to an answer within
    5 % of the right one that is none of these. `close_from` (1 to 3) is the fewest figures an answer needs
    before "close" is said: with 2, a one-figure answer to a "predict first" question (0.9) is a guess, and is
    told to compute, not that it is the right value rounded."""

    def __init__(self, title, expected, mistakes=(), hint="Reread the section this exercise is about.", why="",
                 rtol=1e-6, atol=1e-12, integer=False, close_hint="", near_hint="", whole="a count", close_from=1):
        super().__init__(title, mistakes, hint, why)
        if close_from not in range(1, CORRECT_FIGURES):
            raise ValueError(f"close_from must be 1 to {CORRECT_FIGURES - 1}, got {close_from!r}")
        self.close_from = close_from
        self.expected = np.asarray(expected, dtype=float)
        self.integer, self.whole = bool(integer), whole
        self.rtol, self.atol = (0.0, 0.0) if integer else (rtol, atol)
        self.roundable = not self.integer and figures_needed(self.expected) > CORRECT_FIGURES
        self.close_hint, self.near_hint = close_hint, near_hint
        self.generic = []
        for generic in _generic_mistakes(self.expected):
            if self.integer and np.array_equal(generic.answer, -self.expected) and np.all(self.expected > 0):
                generic = Mistake(generic.answer, f"The answer is {self.whole}, which is never negative: drop "
                                                  "the minus sign, and check where it came from.")
            if self._usable(generic):
                self.generic.append(generic)
        for i, mistake in enumerate(self.mistakes):
            if not self._apart(mistake):
                raise ValueError(f"{title}: the mistake {mistake.answer!r} is also the right answer (or its rounding)")
            for other in self.mistakes[:i]:
                if self._matches(np.asarray(mistake.answer, dtype=float), other, rounded=False):
                    raise ValueError(f"{title}: the mistakes {other.answer!r} and {mistake.answer!r} are one value: "
                                     "give them one hint")

    def _usable(self, generic):
        """A generic mistake is named only where it is not the right answer and no table mistake is."""
        value = np.asarray(generic.answer, dtype=float)
        return (np.all(np.isfinite(value)) and self._apart(generic)
                and not any(self._matches(value, m) for m in self.mistakes + self.generic))

    def _apart(self, mistake):
        """True when the mistake's value is neither the right answer nor its rounding. (A rounding of the right
        answer to 1, 2 or 3 figures may also be a mistake's rounding: the right answer wins, and says "close".)"""
        value = np.asarray(mistake.answer, dtype=float)
        return not (self._is_right(value) or self._figures_of_right(value) >= 1)

    def _is_right(self, value):
        return near(value, self.expected, self.rtol, self.atol) or (
            not self.integer and figures_given(value, self.expected) >= CORRECT_FIGURES)

    def _figures_of_right(self, value):
        return figures_given(value, self.expected) if self.roundable else 0

    def _rounds(self, value, figures):
        """True when `value` is the right value rounded to `figures` figures (False: it is only cut off)."""
        return rounds_to(value, self.expected, figures)

    def _matches(self, value, mistake, rounded=True):
        """True when `value` is the mistake's value (or, with `rounded`, that value rounded to enough figures to
        tell it from a guess near the right value: 2, or 3 for a mistake within 10 % of it)."""
        target = np.asarray(mistake.answer, dtype=float)
        if target.shape != self.expected.shape:
            return False
        if near(value, target, max(self.rtol, 1e-9), self.atol):
            return True
        return rounded and figures_given(value, target) >= (3 if near(target, self.expected, 0.1, 0.0) else 2)

    def _grade(self, answer):
        value, problem = read_numbers(answer, self.expected.shape, squeeze=True)
        if problem:
            return self._invalid(problem)
        if self._is_right(value):
            return self._correct()
        # in this order: a mistake's exact value, the right value rounded, a mistake's value rounded
        exact = next((m for m in self.mistakes + self.generic if self._matches(value, m, rounded=False)), None)
        if exact:
            return self._mistake(exact)
        figures = figures_written(value)
        if self.roundable and figures < self.close_from:
            return self._wrong(f"your answer {shown(answer)} has {figures} significant figure"
                               f"{'s' if figures > 1 else ''}: that reads as a guess, not a result. Compute the value "
                               f"and give at least {CORRECT_FIGURES} significant figures. ")
        if self._figures_of_right(value) >= 1 and figures < CORRECT_FIGURES:
            how = "rounded" if self._rounds(value, figures) else "cut off"
            plural = "s" if figures > 1 else ""
            return Feedback("close", f"{CLOSE}: your answer is the right value {how} to {figures} significant "
                                     f"figure{plural}. Give more digits: the check accepts the right value's first "
                                     f"{CORRECT_FIGURES} significant figures, rounded or cut off ({LAST_ZERO}), or "
                                     f"any value within {self.rtol:.0e} of it (relative). Keep the value Python "
                                     "computed, not a rounded copy of it."
                                     f"{self.close_hint}")
        rounded = next((m for m in self.mistakes + self.generic if self._matches(value, m)), None)
        if rounded:
            return self._mistake(rounded)
        if self.roundable and figures_written(value) == 1 and _cut_to_one_figure(value, self.expected):
            return Feedback("wrong", f"{NOT_YET}: your answer {shown(answer)} is the right value's first "
                                     "significant figure, the rest cut off: too few digits to tell the right value "
                                     "from another that starts the same. If you computed it, give its first "
                                     f"{CORRECT_FIGURES} significant figures ({LAST_ZERO}), or keep the value "
                                     "Python computed.")
        if self.integer and not np.all(value == np.round(value)):
            return self._wrong(f"your answer {shown(answer)} is not a whole number, and the answer is {self.whole}. ")
        return self._wrong(self._near_words(value))

    def _near_words(self, value):
        """What to say to an answer near the right one (a hook: a lab's exercise may say more)."""
        return near_words(self, value)


def near_words(exercise, value):
    """A sentence for an answer within 5 % of `exercise`'s right one (a NumberExercise) that is neither it, nor its
    rounding, nor a mistake; "" for one further away."""
    if exercise.integer or np.all(exercise.expected == 0):
        return ""
    # an element whose right value is 0 is measured against the largest one: [0.69, 0] is near [0.7, 0]
    scale = np.where(exercise.expected != 0, np.abs(exercise.expected), np.abs(exercise.expected).max())
    gaps = np.abs(value - exercise.expected) / scale
    gap = float(np.max(gaps))
    if gap >= 0.05:
        return ""
    worst = np.unravel_index(np.argmax(gaps), gaps.shape)
    if exercise.expected[worst] == 0:  # "within 1 %" means nothing for an entry that should be exactly 0
        return (f"your answer is near the right value, but an entry that should be exactly 0 is "
                f"{float(value[worst]):.3g} in yours. ")
    within = f"your answer is within {max(1, math.ceil(gap * 100 - 1e-9))} % of the right value"
    if exercise.near_hint:
        return f"{within}, but is not it. {exercise.near_hint} "
    if exercise.roundable:
        slip = ("if you rounded it by hand, check the rounding (or keep the value Python computed); otherwise "
                if figures_written(value) <= 3 else "")  # few figures: typed, perhaps a slip in rounding
        cause = ("measured on random numbers, or one term of the formula differs" if figures_written(value) > 6
                 else "one term of the formula differs, or a digit slipped")  # a typed value is not a sample
        return f"{within} but is not that value rounded: {slip}it is another quantity ({cause}). "
    return (f"{within} but is not it: the answer is an exact number, which the formula gives exactly, not an "
            "estimate near it. ")


def _spelling(text):
    """A choice as written, without case, spaces or the order of parts joined by '+'."""
    parts = "".join(text.split()).casefold().split("+")
    return "+".join(sorted(parts))


def _same_option(answer, option):
    """Type-strict: 0.0005 or False is not 0, the string "True" is not True; strings ignore case, spaces
    and the order of '+'-joined parts ("Normal+tanh" is "tanh + normal")."""
    if isinstance(option, (bool, np.bool_)):
        return isinstance(answer, (bool, np.bool_)) and bool(answer) == bool(option)
    if isinstance(option, str):
        return isinstance(answer, (str, np.str_)) and _spelling(answer) == _spelling(option)
    if isinstance(option, numbers.Integral):
        if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Real):
            return False
        return float(answer) == float(option)
    return answer == option


class ChoiceExercise(Exercise):
    """An answer that is one of a few options (a name, an int, True or False). `aliases` maps another spelling of
    an option (a string, such as the name the code uses for it) to that option: it is graded as the option."""

    def __init__(self, title, expected, options, mistakes=(), hint="Reread the section this exercise is about.",
                 why="", aliases=None):
        super().__init__(title, mistakes, hint, why)
        self.options = list(options)
        self.aliases = dict(aliases or {})
        for alias, option in self.aliases.items():
            if not any(_same_option(option, o) for o in self.options):
                raise ValueError(f"{title}: the alias {alias!r} names {option!r}, which is not among the options")
        self.expected = expected
        if not any(_same_option(expected, o) for o in self.options):
            raise ValueError(f"{title}: the expected answer {expected!r} is not among the options")
        for mistake in self.mistakes:
            if _same_option(mistake.answer, expected):
                raise ValueError(f"{title}: the mistake {mistake.answer!r} is also the right answer")

    def _grade(self, answer):
        answer = next((option for alias, option in self.aliases.items() if _same_option(answer, alias)), answer)
        if isinstance(answer, np.ndarray) or not any(_same_option(answer, o) for o in self.options):
            choices = ", ".join(repr(o) for o in self.options)
            return self._invalid(f"{shown(answer)} is not one of the possible answers: {choices}.")
        if _same_option(answer, self.expected):
            return self._correct()
        for mistake in self.mistakes:
            if _same_option(answer, mistake.answer):
                return self._mistake(mistake)
        return self._wrong()
