"""The checking layer (nnlite.exercises) and every exercise of every notebook.

First the machinery on small examples: numbers of every type, "close" as the right value rounded,
choices spelled differently, functions run on many inputs (one that writes into its input, one
that forgets `return`, the untouched template), answers judged by a diagnosis. Then, for every
exercise object found in the lab modules: each usual mistake gets its own hint from its exact
wrong answer; the right answer passes in every spelling; no hint holds the answer's number or the
solution's code; junk never raises and is never correct. tests/test_exercise_mutants.py adds the
wrong answers derived from each solution.
"""

import ast
import importlib
import importlib.util
import math
import pkgutil
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnlite
import nnlite.labs
from nnlite import exercises as ex
from nnlite.exercises import (
    BuiltOnFirstUse,
    ChoiceExercise,
    DiagnosedExercise,
    Exercise,
    FunctionExercise,
    Mistake,
    NumberExercise,
)
from nnlite.exercises.answers import figures_given, figures_needed, figures_written, read_numbers
from nnlite.exercises.diagnosed import read_fields

ROOT = Path(__file__).resolve().parents[1]


def all_exercises():
    found = []
    for info in pkgutil.iter_modules(nnlite.labs.__path__):
        module = importlib.import_module(f"nnlite.labs.{info.name}")
        found += [(f"{info.name}.{name}", value.exercise if isinstance(value, BuiltOnFirstUse) else value)
                  for name, value in vars(module).items() if isinstance(value, Exercise)]
    return found


EXERCISES = all_exercises()
IDS = [name for name, _ in EXERCISES]
NAMED = dict(EXERCISES)


class Symbolic:
    """A number as sympy (and other algebra packages) make them: not a numbers.Number, but float() works."""

    def __init__(self, value):
        self.value = value

    def __float__(self):
        return float(self.value)

    def __repr__(self):
        return f"Symbolic({self.value!r})"


class Symbol:
    """A symbol with no value, like sympy's x: float() refuses it."""

    def __float__(self):
        raise TypeError("cannot determine truth value of Relational")


def stable_softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum()


def _scores(rng):
    z = rng.normal(0, 800, int(rng.integers(1, 5)))
    return (z if rng.random() < 0.5 else np.sort(z)[::-1],)


SOFTMAX = FunctionExercise(
    "stable softmax", stable_softmax, cases=[(np.array([5.0, 8.0]),), (np.array([1000.0, 1003.0]),)], draw=_scores,
    mistakes=[Mistake(lambda z: np.exp(z) / np.exp(z).sum(), "raw"),
              Mistake(lambda z: np.exp(np.subtract(z, np.mean(z))) / np.exp(np.subtract(z, np.mean(z))).sum(), "mean"),
              Mistake(lambda z: np.exp(np.subtract(z, np.max(z))), "sum")],
    hint="Reread section 4.", time_limit=0.5)
P_YES = NumberExercise("P(yes)", 0.0474258731775668, mistakes=[Mistake(0.5, "equal"), Mistake(5, "a score")],
                       hint="generic", why="why")
WHICH = ChoiceExercise("which", "sigmoid", ["relu", "sigmoid", "tanh"], mistakes=[Mistake("tanh", "peak 1")])
COUNT = NumberExercise("steps", 21, integer=True, mistakes=[Mistake(18.75, "whole"), Mistake(18, "rounded down")])


# --- reading numbers of every type -----------------------------------------------------------------

@pytest.mark.parametrize("value", [
    0.25, 1 / 4, np.float64(0.25), np.float32(0.25), np.array(0.25), np.array([0.25]), [0.25], (0.25,),
    Fraction(2, 8), Fraction(1, 4), Decimal("0.25"), Decimal(1) / Decimal(4), Symbolic(Fraction(1, 4)),
    np.array(Fraction(1, 4), dtype=object),
])
def test_a_quarter_is_a_quarter_whatever_its_type(value):
    number, problem = read_numbers(value, ())
    assert problem is None and number == 0.25


@pytest.mark.parametrize("value", [
    [Fraction(4, 3), Fraction(-8, 3), Fraction(4, 3)], (Decimal(4) / 3, Decimal(-8) / 3, Decimal(4) / 3),
    np.array([4 / 3, -8 / 3, 4 / 3], dtype=np.float32), [Symbolic(4 / 3), Symbolic(-8 / 3), Symbolic(4 / 3)],
    [4 / 3, np.float64(-8 / 3), Fraction(4, 3)], [[4 / 3], [-8 / 3], [4 / 3]],
])
def test_an_array_may_be_a_list_or_tuple_of_any_numbers(value):
    array, problem = read_numbers(value, (3,), squeeze=True)
    assert problem is None and np.allclose(array, [4 / 3, -8 / 3, 4 / 3], rtol=1e-7)


def test_sympy_numbers_are_numbers():
    sympy = pytest.importorskip("sympy")
    for value in (sympy.Rational(1, 4), sympy.Float(0.25), sympy.sqrt(2) / 8 * sympy.sqrt(2) * 2):
        assert read_numbers(value, ())[0] == 0.25
    assert NumberExercise("he", np.sqrt(2 / 64)).grade(sympy.sqrt(sympy.Rational(2, 64))).status == "correct"
    assert read_numbers(sympy.Symbol("x"), ())[1] is not None and read_numbers(sympy.I, ())[1] is not None


@pytest.mark.parametrize("value, words", [
    ("0.25", "without quotes"), ("a quarter", "the text"), (True, "yes/no"), (1j, "complex"), ([1, "2"], "text"),
    ([0.25, None], "not made of real numbers"), (Symbol(), "not made of real numbers"), (10**400, "too large"),
    (Fraction(10**400, 3), "too large"), ({"a": 1}, "dict"), (print, "builtin_function_or_method"),
    (float("nan"), "not a finite number"), (Decimal("Infinity"), "not a finite number"), ([[1, 2], [3]], "rectangular"),
    (np.zeros((5, 7)), "shape (5, 7)"), (np.datetime64("2024-01-01"), "not made of numbers"),
])
def test_what_is_not_a_number_is_named(value, words):
    number, problem = read_numbers(value, ())
    assert number is None and words in problem, problem


# --- "close" is the right value rounded, nothing else -------------------------------------------------

@pytest.mark.parametrize("value, figures", [
    (0.18, 2), (0.177, 3), (0.1768, 4), (0.17677, 5), (0.17, 2), (0.176, 3), (0.1767, 4),  # rounded, or cut off
    (0.2, 1), (0.178, 0), (0.1754, 0), (np.sqrt(2 / 65), 0), (0.0, 0), (-0.18, 0), (np.sqrt(2 / 64), math.inf),
])
def test_figures_given_counts_the_figures_of_a_rounding(value, figures):
    assert figures_given(value, np.sqrt(2 / 64)) == figures


@pytest.mark.parametrize("value, figures", [
    (4.6, 2), (0.002, 1), (60, 1), (60.0, 1), (57.7, 3), (1.26, 3), (0.1768, 4), (21, 2), (-0.05, 1), (100, 1),
    ([1.3, -2.7, 1.3], 2), ([1.0, -8 / 3, 4 / 3], 17), (0.0, 1),
])
def test_figures_written_counts_what_the_student_wrote(value, figures):
    """4.6 is 2 figures, though 4.605 cut to 3 figures is 4.60, the same float; 0.002 is 1, though it is 0.0020."""
    assert figures_written(value) == figures


@pytest.mark.parametrize("exact, figures", [
    (0.25, 2), (0.1 + 0.2, 1), (0.5 * 3 - 1 + 0.2, 1), (18.0, 2), (-3.0, 1), (1 / 512, 7), ([0.7, 0.0], 1),
])
def test_figures_needed_ignores_the_last_bits_of_a_float(exact, figures):
    assert figures_needed(exact) == figures
    assert figures_needed(1 / (1 + np.exp(-1.0))) > 10 and figures_needed([4 / 3, -8 / 3, 4 / 3]) > 10


@pytest.mark.parametrize("exercise, answer, words", [
    ("softmax.CONFIDENT_AND_WRONG", 4.6, "rounded to 2 significant figures"),  # it said 3: 4.60 is 4.605 cut
    ("softmax.CONFIDENT_AND_WRONG", 4.61, "rounded to 3 significant figures"),
    ("vanishing.CHAIN_RATIO", 0.002, "rounded to 1 significant figure."),  # it said 2: 0.0020
    ("softmax.CALM_DAY", 0.7, "rounded to 1 significant figure."),  # it said "another quantity"
    ("backprop.TANH_STEP", 1.3, "rounded to 2 significant figures"),
])
def test_the_close_message_counts_the_figures_written(exercise, answer, words):
    feedback = NAMED[exercise].grade(answer)
    assert feedback.status == "close" and words in feedback.text, feedback



def test_one_figure_cut_off_is_told_too_few_digits_not_a_method_error():
    """0.04 for 0.0474 (cut to 1 figure) may be the right computation: the check says the digits are too few,
    and does not send the student back to the method (it did, with the exercise's hint)."""
    p_yes = NumberExercise("p", 1 / (1 + np.exp(3)), hint="Reread section 2.")
    cut = p_yes.grade(0.04)
    assert cut.status == "wrong" and "too few digits" in cut.text and "Reread" not in cut.text
    assert p_yes.grade(0.05).status == "close"  # rounded to 1 figure: close, as before
    assert "too few digits" not in p_yes.grade(0.03).text and "Reread" in p_yes.grade(0.03).text
    assert "too few digits" not in NumberExercise("q", 0.25).grade(0.2).text  # an exact short answer: no rounding

def test_a_numerical_gradient_is_told_it_is_an_estimate():
    from nnlite.labs import sgd

    def numerical(w, b, x, y):
        def loss(w, b):
            return np.mean((w * x + b - y) ** 2)
        h = 1e-6
        return (loss(w + h, b) - loss(w - h, b)) / (2 * h), (loss(w, b + h) - loss(w, b - h)) / (2 * h)

    feedback = sgd.LINE_GRADIENT.grade(numerical)
    assert feedback.status == "wrong" and "numerical (finite-difference)" in feedback.text, feedback
    off = sgd.LINE_GRADIENT.grade(lambda w, b, x, y: (2 * np.mean((w * x + b - y) * x) + 1e-3,
                                                      2 * np.mean(w * x + b - y)))
    assert "finite-difference" not in off.text  # 1e-3 off: not an estimate's size


def test_close_is_only_the_right_value_rounded():
    he = NumberExercise("he", np.sqrt(2 / 64))
    assert he.grade(0.18).status == he.grade(0.177).status == "close"
    assert he.grade(0.1768).status == he.grade(np.float32(np.sqrt(2 / 64))).status == "correct"
    sample = np.random.default_rng(0).normal(0.0, np.sqrt(2 / 64), (64, 64)).std()  # 0.4 % off: measured, not rounded
    assert he.grade(sample).status == "wrong" and "measured on random numbers" in he.grade(sample).text
    assert "check the rounding" not in he.grade(sample).text  # 17 figures: computed, not rounded by hand
    assert "random numbers" not in he.grade(0.1775).text  # 4 figures typed: a slip, not a sample
    assert he.grade(0.175).status == "wrong" and "check the rounding" in he.grade(0.175).text  # 0.1768 mis-rounded
    assert he.grade(np.sqrt(2 / 65)).status == "wrong" and he.grade(0.3).status == "wrong"
    assert he.grade(0.2).status == "close"  # 1 figure: one rule for every rounding of a long value
    assert he.grade(0.1).status == "wrong"  # cut to 1 figure is not a rounding (57.7 would be 50)
    close = he.grade(0.18).text
    assert "2 significant figures" in close and "Give more digits" in close and "by hand" not in close
    # the message says what the check accepts, and the check does it: 4 figures rounded or cut off
    assert "first 4 significant figures, rounded or cut off" in close and "within 1e-06 of it" in close
    assert "at least 4" not in close  # 1.26 (1.2599 to 4 figures, its last 0 left out) is right with 3 written
    assert he.grade(0.1767).status == "correct"  # 0.17677... cut off at 4 figures


def states_the_rule_it_applies(exercise, close_text):
    """True when a close message's rule is the one the check applies: where the right value's 4-figure
    rounding ends in 0 and that 0 may be left out (1.2599 -> 1.260, written 1.26, 3 figures), the message must
    not ask for "at least 4" figures, and must say that the last 0 may be left out."""
    from nnlite.exercises.answers import figures_written
    four = float(f"{float(exercise.expected):.3e}")
    if exercise.grade(four).status != "correct" or figures_written(four) >= 4:
        return True
    return "at least 4" not in close_text and "a last 0 may be left out" in close_text


def test_the_close_message_states_the_rule_of_02_and_03():
    """02's exercise 1 refuses 0.73 as too few digits while 03's exercise 1 accepts 1.26: one rule (the first 4
    figures, rounded or cut off, a last 0 left out), and each message states it; an old message that asked for
    "at least 4" significant digits is caught."""
    from nnlite.labs import backprop as bp
    from nnlite.labs import softmax as sm
    assert sm.CALM_DAY.grade(0.73).status == "close" and bp.TANH_STEP.grade(1.26).status == "correct"
    for exercise, two_figures in ((sm.CALM_DAY, 0.73), (bp.TANH_STEP, 1.3)):
        close = exercise.grade(two_figures)
        assert close.status == "close" and states_the_rule_it_applies(exercise, close.text)
    old = ("Give more digits (at least 4): the check accepts the right value's first 4 significant figures, "
           "rounded or cut off, or any value within 1e-06 of it (relative).")
    assert not states_the_rule_it_applies(bp.TANH_STEP, old)  # the mutant: the message the reviewer read


def test_the_close_message_says_what_the_check_accepts():
    from nnlite.labs import softmax as sm
    assert sm.CALM_DAY.grade(0.731).status == "correct"  # 0.7310: 0.73106 cut off at 4 figures
    assert sm.CONFIDENT_AND_WRONG.grade(4.605).status == "correct"  # 4.6052 cut off at 4 figures
    close = sm.CONFIDENT_AND_WRONG.grade(4.61)  # 4.6052 rounded to 3 figures: 4.610 is neither
    assert close.status == "close" and "rounded or cut off" in close.text


def test_a_whole_number_cut_from_decimals_is_floor_division_not_a_rounding():
    """2321 for 2321.94 is 4 figures cut off, and also what // gives (07's ratio, divided with // by a slip): a
    cut counts as a rounding only among the decimals, as a copy of the printed digits is."""
    chain = NumberExercise("a chain of ReLU units", 1.5**10)  # 1.5 ** 10 = 57.665
    assert figures_given(57, 1.5**10) == 0 and figures_given(57.6, 1.5**10) == 3 and figures_given(58, 1.5**10) == 2
    assert chain.grade(57).status == "mistake" and "floor division (//)" in chain.grade(57).text
    assert chain.grade(58).status == chain.grade(57.6).status == "close"
    assert figures_given(0.1767, np.sqrt(2 / 64)) == 4  # cut among the decimals: still the right value to 4
    assert all("//" not in m.hint for m in NumberExercise("small", 4.6052).generic)  # below 10: 1 figure


@pytest.mark.parametrize("answer", [0.3, 0.2, 0.26, 0.24])
def test_an_exact_short_answer_is_never_close(answer):
    """0.25 is written in full; 0.3 is another number, and "give more digits" would leave only 0.25."""
    assert NumberExercise("limit", 0.25).grade(answer).status == "wrong"


def test_an_array_is_close_only_when_every_element_was_rounded():
    triangle = NAMED["relu.TRIANGLE_SLOPES"]
    assert triangle.grade([1.33, -2.67, 1.33]).status == triangle.grade([1, -3, 1]).status == "close"
    assert triangle.grade([2 // 1.5, -8 / 3, 4 / 3]).status == "wrong"  # a slip in one element, not a rounding
    assert triangle.grade([4 / 3, -2 * 1.5, 4 / 3]).status == "wrong"


def test_a_near_miss_is_told_so_where_a_right_element_is_zero():
    """[0.7, 0] has a 0: the other element sets the scale, so [0.69, 0] is "within 2 %", not only the hint."""
    outputs = NAMED["relu.UNIT_OUTPUTS"]
    assert "within 1 %" in outputs.grade([0.70001, 0]).text and "within 2 %" in outputs.grade([0.69, 0]).text
    assert "within" not in outputs.grade([5, 0]).text and outputs.grade([0.7, -0.0]).status == "correct"
    assert NumberExercise("zeros", [0.0, 0.0]).grade([0.001, 0]).status == "wrong"  # no scale: no "within"
    near_zero = outputs.grade([0.7, 1e-9])  # "within 1 %" of a right value 0 would mean nothing: name the entry
    assert near_zero.status == "wrong" and "within" not in near_zero.text
    assert "should be exactly 0 is 1e-09" in near_zero.text


def test_the_sliders_answer_is_told_to_compute_the_slopes():
    triangle = NAMED["relu.TRIANGLE_SLOPES"]
    assert triangle.grade([1.3, -2.6, 1.3]).status == "close" and "slider" in triangle.grade([1.3, -2.6, 1.3]).text
    assert triangle.grade([1.5, -3, 1.5]).status == "mistake" and "distance" in triangle.grade([1.5, -3, 1.5]).text


def test_a_mistake_near_the_right_value_needs_three_figures():
    """0.24 may be 2 / 8.5 = 0.235 rounded, or a guess just below 0.25: it is named neither way."""
    limit = NAMED["sgd.LR_LIMIT"]
    assert "curvatures do not add up" in limit.grade(0.235).text and limit.grade(0.2353).status == "mistake"
    for answer in (0.24, 0.249, 0.26):
        feedback = limit.grade(answer)
        words = "past the limit" if answer > 0.25 else "exactly 2 / lambda_max"  # past it, the walk diverges
        assert feedback.status == "wrong" and words in feedback.text, feedback
        assert "curvatures" not in feedback.text and "random numbers" not in feedback.text
    assert "counts the bias as a 65th input" in NAMED["vanishing.HE_STD_64"].grade(0.175).text  # 3 figures


def test_two_generic_slips_with_one_value_are_named_neither_way():
    """For 0.1, 100 times it (a percentage?) and 1 / 0.1 (upside down) are both 10."""
    slope = NumberExercise("slope", 0.1)
    assert slope.grade(10).status == "wrong" and "percentage" not in slope.grade(10).text


def test_a_count_is_exact_and_never_close():
    assert [COUNT.grade(v).status for v in (21, 21.0, np.int64(21), Fraction(21), Decimal("21"))] == ["correct"] * 5
    assert COUNT.grade(20.99).status == "wrong" and "whole number" in COUNT.grade(20.99).text
    assert COUNT.grade(18.7).text.endswith("whole")  # 18.75 rounded: that mistake's hint
    assert COUNT.grade(18).text.endswith("rounded down")  # an exact mistake wins over a rounded one
    assert COUNT.grade(22).status == "wrong" and "%" not in COUNT.grade(22).text
    assert "the answer is a count" in COUNT.grade(20.5).text
    epoch = NumberExercise("epoch", 5, integer=True, whole="an epoch's number")
    assert "the answer is an epoch's number" in epoch.grade(4.5).text and "count" not in epoch.grade(4.5).text
    # a negative count is not "the right size with the opposite sign": a count is never negative
    assert "never negative" in COUNT.grade(-21).text and "opposite sign" not in COUNT.grade(-21).text


def test_generic_mistakes_a_sign_a_power_of_ten_upside_down():
    calm = NumberExercise("calm", 1 / (1 + np.exp(-1.0)))
    assert "percentage" in calm.grade(73.11).text and calm.grade(73.11).status == "mistake"
    assert "opposite sign" in calm.grade(-0.7311).text and "upside down" in calm.grade(1.3679).text
    assert "10 times" in calm.grade(7.311).text and "0.1 times" in calm.grade(0.07311).text
    # a table's mistake that IS one of them keeps its own hint
    assert NumberExercise("x", 2.0, mistakes=[Mistake(-2.0, "mine")]).grade(-2).text.endswith("mine")


def test_mistakes_that_are_the_right_answer_or_one_value_are_refused():
    with pytest.raises(ValueError, match="also the right answer"):
        NumberExercise("x", 0.5, mistakes=[Mistake(5 / 10, "same")])
    with pytest.raises(ValueError, match="also the right answer"):
        NumberExercise("x", np.sqrt(2 / 64), mistakes=[Mistake(0.18, "a rounding of it")])
    with pytest.raises(ValueError, match="one value"):
        NumberExercise("x", 0.5, mistakes=[Mistake(0.25**3, "a"), Mistake(0.125**2, "b")])
    with pytest.raises(ValueError, match="right outputs"):
        FunctionExercise("f", stable_softmax, [([1.0, 2.0],)], mistakes=[Mistake(stable_softmax, "same")])
    with pytest.raises(ValueError, match="add a case that tells them apart"):  # one would take the other's hint
        FunctionExercise("f", stable_softmax, [([1.0, 2.0],)], mistakes=[Mistake(lambda z: np.zeros(2), "zeros"),
                                                                         Mistake(lambda z: 0 * np.ones(2), "ones")])


@pytest.mark.parametrize("answer, status", [
    (None, "unanswered"), (..., "unanswered"), (0.0474259, "correct"), (np.float32(0.04742587), "correct"),
    (0.5, "mistake"), (5, "mistake"), (0.047, "close"), (0.05, "close"), (0.06, "wrong"), ("0.0474", "invalid"),
    ("abc", "invalid"),
    (True, "invalid"), ([], "invalid"), ({}, "invalid"), (object(), "invalid"), (float("nan"), "invalid"),
    (float("inf"), "invalid"), (np.zeros((5, 7)), "invalid"), (10**400, "invalid"), (1j, "invalid"),
    ([None], "unanswered"), ([None, 1], "invalid"), (print, "invalid"),
])
def test_number_exercise_statuses(answer, status):
    assert P_YES.grade(answer).status == status


def test_number_messages_name_the_problem():
    assert "without quotes" in P_YES.grade("0.0474").text
    assert "shape (5, 7)" in P_YES.grade(np.zeros((5, 7))).text
    assert P_YES.grade(0.5).text == f"{ex.NOT_YET}: equal"
    assert P_YES.grade(0.0474259).text == f"{ex.CORRECT}. why"
    assert P_YES.grade(0.06).text == f"{ex.NOT_YET}: generic"


# --- choices ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("answer, status", [
    (" Sigmoid", "correct"), ("SIGMOID", "correct"), ("tanh", "mistake"), ("relu", "wrong"), (True, "invalid"),
    (1, "invalid"), ("softmax", "invalid"), (np.array(["sigmoid"]), "invalid"), (["sigmoid"], "invalid"),
    (np.str_("sigmoid"), "correct"),
])
def test_choice_exercise_statuses(answer, status):
    assert WHICH.grade(answer).status == status


@pytest.mark.parametrize("spelling", ["tanh + normal", "tanh+normal", "Tanh + Normal ", "normal + tanh",
                                      " TANH+ normal", "tanh  +  normal"])
def test_a_choice_may_be_spelled_any_way(spelling):
    assert NAMED["vanishing.EXPLODING_NETWORK"].grade(spelling).status == "correct"


def test_choices_are_type_strict():
    bias_moves = ChoiceExercise("moves?", False, [True, False], mistakes=[Mistake(True, "it does not")])
    assert bias_moves.grade(False).status == "correct" and bias_moves.grade(np.bool_(False)).status == "correct"
    assert bias_moves.grade(0).status == "invalid" and bias_moves.grade("False").status == "invalid"
    assert bias_moves.grade(0.0005).status == "invalid"


# --- functions --------------------------------------------------------------------------------------

def loops_forever(z):
    while True:
        pass


def prints_instead(z):
    print(stable_softmax(z))


def untouched_template(z):
    z = np.asarray(z, dtype=float)
    return None  # replace with your code


def forgot_return(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    e / e.sum()


def writes_into_its_input(z):
    z = np.asarray(z, dtype=float)
    z -= z.max()  # the caller's array, when it was already a float array
    return np.exp(z) / np.exp(z).sum()


def students_softmax(z):
    shifted = np.asarray(z, dtype=float) - np.max(z)
    return np.exp(shifted) / np.sum(np.exp(shifted))


@pytest.mark.parametrize("answer, status, words", [
    (students_softmax, "correct", "Correct"),
    (lambda z: list(stable_softmax(z)), "correct", "Correct"),
    (lambda z: tuple(Fraction(p) for p in stable_softmax(z)), "correct", "Correct"),
    (lambda z: np.exp(z) / np.exp(z).sum(), "mistake", "raw"),
    (lambda z: np.exp(np.subtract(z, np.mean(z))) / np.exp(np.subtract(z, np.mean(z))).sum(), "mistake", "mean"),
    (lambda z: np.exp(z - z[-1]) / np.exp(z - z[-1]).sum(), "wrong", "nan or inf"),
    (loops_forever, "invalid", "longer than"),
    (prints_instead, "invalid", "use `return`, not `print`"),
    (forgot_return, "invalid", "forget `return`"),
    (untouched_template, "unanswered", "still ends with `return None`"),
    (writes_into_its_input, "invalid", "writes into the array it is given"),
    (lambda z: 1 / 0, "invalid", "ZeroDivisionError"),
    (lambda z: "softmax", "invalid", "text"),
    (lambda z: np.zeros((5, 7)), "invalid", "shape (5, 7)"),
    (lambda z: np.ones(2) / 2, "wrong", "your function returned"),
    (lambda z: np.round(stable_softmax(z), 3), "wrong", "returned [0.047000 0.95300], and the right values are "
                                                        "[0.047426 0.95257]: yours are the right values rounded to 3 "
                                                        "decimals"),
    (lambda z: stable_softmax(z).astype(np.float16), "wrong", "your function computes in float16"),
    (lambda z: stable_softmax(z) * (1 + 1e-4), "wrong", "they agree to a few figures only"),
    (3, "invalid", "should be a function"),
    (students_softmax.__call__, "correct", "Correct"),
])
def test_function_exercise_statuses(answer, status, words):
    feedback = SOFTMAX.grade(answer)
    assert feedback.status == status and words in feedback.text, feedback


def test_the_checks_own_reference_is_not_an_answer():
    assert SOFTMAX.grade(SOFTMAX.reference).status == "invalid"
    assert all(e.grade(e.reference).status == "invalid" for _, e in EXERCISES if isinstance(e, FunctionExercise))


def test_drawn_cases_are_adversarial_and_repeatable():
    orders = [np.argmax(case[0]) for case in SOFTMAX.cases if len(case[0]) > 1]
    assert 0 in orders and any(o == len(c[0]) - 1 for o, c in zip(orders, SOFTMAX.cases, strict=False))
    again = FunctionExercise("again", stable_softmax, [(np.array([1.0]),)], draw=_scores)
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(again.cases[1:], SOFTMAX.cases[2:], strict=True))


def test_a_pair_may_be_a_tuple_a_list_or_an_array():
    line = NAMED["sgd.LINE_GRADIENT"]
    for pack in (tuple, list, np.array):
        assert line.grade(lambda w, b, x, y, pack=pack: pack([2 * np.mean((w * x + b - y) * x),
                                                              2 * np.mean(w * x + b - y)])).status == "correct"
    assert "2 values" in line.grade(lambda w, b, x, y: 2 * np.mean((w * x + b - y) ** 2)).text


def test_a_mistake_may_be_recognised_by_the_error_it_raises():
    def wrong_loop(X, U):  # the sum over the examples runs over range(n_in): IndexError when n_in > N
        X, U = np.asarray(X, dtype=float), np.asarray(U, dtype=float)
        n_in, n_out = X.shape[1], U.shape[1]
        dW = [[sum(X[n, i] * U[n, j] for n in range(n_in)) for j in range(n_out)] for i in range(n_in)]
        return np.array(dW), U.sum(axis=0)

    feedback = NAMED["backprop.DENSE_GRADIENTS"].grade(wrong_loop)
    assert feedback.status == "mistake" and "wrong axis" in feedback.text


def test_student_code_cannot_break_the_next_case_or_the_check():
    def mutates_a_list(z):
        result = stable_softmax(z)
        z[0] = 1e9  # its copy of the case, which it was given as a list
        return result

    exercise = FunctionExercise("lists", stable_softmax, [([5.0, 8.0],), ([1.0, 2.0, 3.0],)])
    assert exercise.grade(mutates_a_list).status == "invalid"
    assert exercise.cases[0] == ([5.0, 8.0],) and exercise.grade(students_softmax).status == "correct"


def test_a_loop_costs_one_time_limit_not_one_per_case():
    """The limit is for all the cases together: after the first endless case, no other case starts."""
    entered = []

    def counts_then_loops(z):
        entered.append(1)
        while True:
            pass

    feedback = SOFTMAX.grade(counts_then_loops)
    assert len(entered) == 1 and len(SOFTMAX.cases) > 1
    assert feedback.status == "invalid" and "ran longer than" in feedback.text



def test_the_exercises_own_reference_has_no_time_limit(monkeypatch):
    """The reference and the mistakes are the course's code: they end. On a slow machine a limit would turn a slow
    reference into 'the reference fails on a case', a traceback instead of a check (06's exercise 2 trains 34 runs)."""
    from nnlite.exercises import functions

    def limited(seconds):
        raise AssertionError(f"the exercise's own code ran under a {seconds} s limit")

    monkeypatch.setattr(functions, "_time_limit", limited)
    exercise = FunctionExercise("no limit", stable_softmax, [([5.0, 8.0],)], mistakes=[
        Mistake(lambda z: stable_softmax(z)[::-1], "reversed")])
    assert exercise.expected[0][0] == "value" and exercise.mistake_results[0][0][0] == "value"


def test_the_time_limit_works_without_sigalrm():
    """Outside the main thread (and on Windows) there is no SIGALRM: a timer thread stops the loop instead."""
    import threading

    def loops(z):
        while True:
            pass

    found = []
    worker = threading.Thread(target=lambda: found.append(SOFTMAX.grade(loops)), daemon=True)
    worker.start()
    worker.join(timeout=20)  # a generous bound so that a broken limit fails the test instead of hanging it
    assert not worker.is_alive() and found[0].status == "invalid" and "ran longer than" in found[0].text
    assert SOFTMAX.grade(students_softmax).status == "correct"  # nothing left pending in this thread

# --- answers judged by a diagnosis ------------------------------------------------------------------

FIELDS = {"w": "n", "c": ()}


@pytest.mark.parametrize("answer, words", [
    ({"w": [1, 2]}, "has no 'c'"), ({"w": [1], "c": 0, "d": 1}, "key 'd'"), ([1, 2], "should be a dict"),
    ({"w": [1, ...], "c": 0}, "still has a blank"), ({"w": [], "c": 0}, "one per unit"),
    ({"w": [[1, 2]], "c": 0}, "one per unit"), ({"w": [1], "c": [1, 2]}, "shape (2,)"),
    ({"w": ["1"], "c": 0}, "without quotes"),
])
def test_a_dict_of_numbers_is_read_with_a_sentence_for_each_slip(answer, words):
    values, problem = read_fields(answer, FIELDS, "net")
    assert values is None and words in problem, problem


def test_a_diagnosed_exercise_checks_its_own_table():
    def read(answer):
        return read_numbers(answer, ())

    def diagnose(value):
        return ("correct", "") if value == 1 else ("negative", "") if value < 0 else ("wrong", "")

    with pytest.raises(ValueError, match="diagnosed 'wrong'"):
        DiagnosedExercise("one", read, diagnose, {"negative": Mistake(2, "minus")})
    one = DiagnosedExercise("one", read, diagnose, {"negative": Mistake(-1, "minus")}, hint="idea")
    assert [one.grade(v).status for v in (1, -3, 5, "x", None)] == ["correct", "mistake", "wrong", "invalid",
                                                                    "unanswered"]


@pytest.mark.parametrize("net, status, words", [
    ({"w": [1, -1], "b": [0, 0], "v": [1, 1], "c": 0}, "correct", "Correct"),
    ({"w": (2, -0.5), "b": np.zeros(2), "v": [Fraction(1, 2), 2], "c": Decimal(0)}, "correct", "Correct"),
    ({"w": [-1, 1], "b": [0, 0], "v": [1, 1], "c": 0}, "correct", "Correct"),
    ({"w": [1, -1], "b": [0, 0], "v": [1.0000001, 1], "c": 0}, "correct", "Correct"),  # right up to rounding
    ({"w": [1, -1], "b": [0, 0], "v": [1.00001, 1], "c": 0}, "mistake", "far right 1.00001"),  # said, not hidden
    ({"w": [1, -1], "b": [-1e-9, 1e-9], "v": [1, 1], "c": 0}, "correct", "Correct"),  # |x| within 1e-9 everywhere
    ({"w": [1, -1], "b": [0, 0], "v": [1, 1], "c": 1e-9}, "correct", "Correct"),  # not "shifted"
    ({"w": [1, -1], "b": [-1e-4, 1e-4], "v": [1, 1], "c": 0}, "mistake", "bends at x = 0.0001"),
    ({"w": [1, -1], "b": [0, 0], "v": [1, 1], "c": 1e-4}, "mistake", "gives 0.0001"),
    ({"w": [1, -1, 5], "b": [0, 0, 1], "v": [1, 1, 0], "c": 0}, "invalid", "three units"),  # the prompt asks for two
    ({"w": [1, -1, 1], "b": [0, 0, 0], "v": [0.5, 1, 0.5], "c": 0}, "invalid", "asks for two"),
    ({"w": [1], "b": [0], "v": [1], "c": 0}, "invalid", "one unit"),
    ({"w": [1, 1], "b": [0, 0], "v": [2, 0], "c": 0}, "mistake", "flat"),
    ({"w": [3, -3], "b": [0, 0], "v": [1, 1], "c": 0}, "mistake", "slope is -3, far right 3"),
    ({"w": [1, -1], "b": [-2, 2], "v": [1, 1], "c": 0}, "mistake", "bends at x = 2"),
    ({"w": [1, -1], "b": [0, 0], "v": [1, 1], "c": -0.5}, "mistake", "gives -0.5"),
    ({"w": [0, 0], "b": [0, 0], "v": [0, 0], "c": 0}, "mistake", "slope is 0, far right 0"),
])
def test_abs_from_relus_judges_the_function_the_weights_make(net, status, words):
    feedback = NAMED["relu.ABS_FROM_RELUS"].grade(net)
    assert feedback.status == status and words in feedback.text, feedback


# --- what a check prints ----------------------------------------------------------------------------

def test_check_prints_one_line_and_nothing_unanswered_in_voila(capsys, monkeypatch):
    P_YES.check("junk")
    assert capsys.readouterr().out.count("\n") == 1
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    P_YES.check(None)
    assert capsys.readouterr().out == ""


def test_every_message_starts_with_a_mark_and_a_word():
    """A screen reader reads the word, and a reader without the font still gets the verdict."""
    words = {"correct": "Correct", "close": "Too few digits", "mistake": "Not yet", "wrong": "Not yet",
             "invalid": "Not yet", "unanswered": "Not answered yet"}
    answers = [None, 0.0474259, 0.047, 0.5, 0.06, "x", untouched_template]
    for exercise, answer in [(P_YES, a) for a in answers[:-1]] + [(SOFTMAX, answers[-1])]:
        feedback = exercise.grade(answer)
        assert feedback.text.startswith(ex.MARKS[feedback.status] + (":" if feedback.status != "correct" else "."))
        assert ex.MARKS[feedback.status].split(" ", 1)[1] == words[feedback.status]


def test_marks_need_no_emoji_font():
    emoji = set("✅❌❎❓❔❕❗⏩⏪⏭⏮⏯⏸⏹⏺✏\ufe0f")  # drawn from an emoji font, or as empty boxes without one
    for mark in list(ex.MARKS.values()) + [ex.UNANSWERED]:
        assert not any(ord(ch) >= 0x1F000 or ch in emoji for ch in mark), mark


def test_notebook_00_says_what_the_checks_say():
    import nbformat

    text = "\n".join(c.source for c in nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4).cells)
    for mark in ex.MARKS.values():
        assert f"**{mark}**" in text, mark
    assert "return None" in text  # an untouched function is "not answered yet" too


# --- every exercise of every notebook ---------------------------------------------------------------

def test_the_notebooks_have_exercises():
    assert len(EXERCISES) >= 25, IDS


@pytest.mark.parametrize("name, exercise", EXERCISES, ids=IDS)
def test_every_exercise_knows_three_usual_mistakes(name, exercise):
    assert len(exercise.mistakes) >= 3, f"{name}: only {len(exercise.mistakes)} mistakes in its table"
    hints = [m.hint for m in exercise.mistakes]
    assert len(set(hints)) == len(hints), f"{name}: two mistakes share a hint"


@pytest.mark.parametrize("name, exercise", EXERCISES, ids=IDS)
def test_every_mistake_gets_its_own_hint(name, exercise):
    for mistake in exercise.mistakes + getattr(exercise, "generic", []):
        feedback = exercise.grade(mistake.answer)
        assert feedback.status == "mistake" and mistake.hint in feedback.text, (name, mistake.hint, feedback)


def _spellings(exercise):
    """The right answer of a number or choice exercise, written every way a student might."""
    if isinstance(exercise, ChoiceExercise):
        e = exercise.expected
        return [e, f"  {e.upper()} "] + ([e.replace(" ", ""), " + ".join(reversed(e.split("+")))] if "+" in e else [])
    e = exercise.expected
    found = [e, e.tolist(), np.float32(e) if e.ndim == 0 else e.astype(np.float32), Symbolic(e) if e.ndim == 0
             else [Symbolic(v) for v in e.ravel()], float(f"{float(e.ravel()[0]):.4g}") if e.size == 1 else None]
    if e.ndim == 0:
        found += [float(e), np.float64(e), Decimal(repr(float(e))), Fraction(float(e)).limit_denominator(10**6),
                  [float(e)]]
        if float(e).is_integer():
            found += [int(e), np.int64(int(e)), Fraction(int(e)), Decimal(int(e))]
    else:
        found += [tuple(e.tolist()), [Fraction(v).limit_denominator(1000) for v in e.tolist()],
                  [Decimal(repr(v)) for v in e.tolist()], e.reshape(-1, 1)]
    return [f for f in found if f is not None]


SPELLED = [(n, e) for n, e in EXERCISES if isinstance(e, (NumberExercise, ChoiceExercise))]


@pytest.mark.parametrize("name, exercise", SPELLED, ids=[n for n, _ in SPELLED])
def test_the_right_answer_passes_in_every_spelling(name, exercise):
    if isinstance(exercise, NumberExercise) and exercise.integer:
        assert exercise.grade(float(exercise.expected) + 1e-9).status != "correct"
    for answer in _spellings(exercise):
        assert exercise.grade(answer).status == "correct", (name, answer, exercise.grade(answer))


# Right answers written differently from the solutions: each must pass.
RIGHT_FUNCTIONS = {
    "sgd.LINE_GRADIENT": [
        lambda w, b, x, y: (2 * np.dot(w * x + b - y, x) / len(x), 2 * np.sum(w * x + b - y) / len(x)),
        lambda w, b, x, y: [float(np.mean(2 * (w * x + b - y) * x)), float(np.mean(2 * (w * x + b - y)))],
        lambda w, b, x, y: np.array([np.mean((w * x + b - y) * x) * 2, np.mean(w * x + b - y) * 2]),
        lambda w, b, x, y: tuple(nnlite.mse((w * x + b - y)[:, None], np.zeros((len(x), 1)))[1][:, 0] @ np.stack(
            [x, np.ones_like(x)], axis=1)),
    ],
    "softmax.SOFT_CROSS_ENTROPY": [
        lambda z, q: -np.sum(q * nnlite.log_softmax(z)),  # the library's log-softmax: a building block
        lambda z, q: np.logaddexp.reduce(z) - np.dot(q, z),  # the q_i add up to 1
        lambda z, q: (lambda m: m + np.log(np.sum(np.exp(z - m))) - q @ z)(np.max(z)),
        lambda z, q: sum(qi * nnlite.softmax_cross_entropy(np.asarray(z)[None], [i])[0] for i, qi in enumerate(q)),
        lambda z, q: [float(-sum(qi * (zi - max(z)) for qi, zi in zip(q, z, strict=True))
                            + np.log(sum(np.exp(zi - max(z)) for zi in z)))],
        lambda z, q: -np.sum(np.where(q > 0, q * (z - np.max(z) - np.log(np.sum(np.exp(np.sort(z) - np.max(z))))), 0)),
    ],
    "backprop.DENSE_GRADIENTS": [
        lambda X, U: (np.einsum("ni,nj->ij", X, U), np.sum(U, axis=0)),
        lambda X, U: [sum(np.outer(x, u) for x, u in zip(np.asarray(X, float), np.asarray(U, float), strict=True)),
                      np.asarray(U, float).sum(0).tolist()],
        lambda X, U: (np.dot(np.transpose(X), U), np.ones(len(U)) @ np.asarray(U, float)),
        lambda X, U: (lambda layer: (layer.forward(np.asarray(X, float)), layer.backward(np.asarray(U, float)),
                                     layer.dW, layer.db)[2:])(nnlite.Dense(np.shape(X)[1], np.shape(U)[1])),
    ],
    "softmax.SCORE_GRADIENT": [
        lambda P, y: (np.asarray(P) - np.eye(np.shape(P)[1])[y]) / len(y),
        lambda P, y: nnlite.softmax_cross_entropy(np.log(P), y)[1],  # softmax(log P) = P
        lambda P, y: [[(p - (c == label)) / len(P) for c, p in enumerate(row)]
                      for row, label in zip(P, y, strict=True)],
        lambda P, y: (lambda G: (np.subtract.at(G, (np.arange(len(G)), y), 1.0), G / len(G))[1])(np.array(P, float)),
    ],
    "backprop.HIDDEN_GRADIENTS": [
        lambda X, W1, b1, W2, b2, U: (lambda d: (np.einsum("ni,nj->ij", X, d), d.sum(0)))(
            np.dot(U, np.transpose(W2)) * np.heaviside(np.asarray(X) @ W1 + b1, 0.0)),
        lambda X, W1, b1, W2, b2, U: (lambda d: [np.transpose(np.transpose(d) @ np.asarray(X)), np.ones(len(d)) @ d])(
            (W2 @ np.transpose(U)).T * (np.maximum(np.asarray(X) @ W1 + b1, 0) > 0)),
        lambda X, W1, b1, W2, b2, U: (lambda net: (net.layers[0].W.__setitem__(slice(None), W1),
                                                   net.layers[0].b.__setitem__(slice(None), b1),
                                                   net.layers[1].W.__setitem__(slice(None), W2),
                                                   net.forward(np.asarray(X, float)),
                                                   net.backward(np.asarray(U, float)),
                                                   net.layers[0].dW, net.layers[0].db)[-2:])(
            nnlite.MLP([np.shape(W1)[0], np.shape(W1)[1], np.shape(W2)[1]], activation="relu")),
    ],
    "activations_lab.LEAKY_FUNCTION": [
        lambda x, alpha: np.where(x >= 0, x, alpha * x),
        lambda x, alpha: x * (x > 0) + alpha * x * (x <= 0),
        lambda x, alpha: np.maximum(x, 0) + alpha * np.minimum(x, 0),
        lambda x, alpha: np.array([v if v > 0 else alpha * v for v in np.ravel(x)]).reshape(np.shape(x)),
        lambda x, alpha: np.piecewise(x, [x > 0], [lambda v: v, lambda v: alpha * v]),
    ],
}


@pytest.mark.parametrize("name", sorted(RIGHT_FUNCTIONS))
def test_right_functions_written_differently_pass(name):
    for i, answer in enumerate(RIGHT_FUNCTIONS[name]):
        feedback = NAMED[name].grade(answer)
        assert feedback.status == "correct", (name, i, feedback.text)


def _solution_fragments():
    """Each expression of a worked solution long enough to give it away (unparsed, without spaces)."""
    fragments = set()
    for path in sorted((ROOT / "solutions").glob("[0-9][0-9]_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for source in module.SOLUTIONS:
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, (ast.BinOp, ast.Call, ast.Dict)) and len(ast.unparse(node)) >= 10:
                    fragments.add(ast.unparse(node).replace(" ", ""))
    return fragments


FRAGMENTS = _solution_fragments()
NUMBER = re.compile(r"(?<![\w.^])-?\d+(?:\.\d+)?(?:\s*/\s*\d+(?:\.\d+)?)?")


def _numbers_in(text):
    found = []
    for token in NUMBER.findall(text):
        top, _, bottom = token.partition("/")
        found.append(float(top) / float(bottom) if bottom else float(top))
    return found


@pytest.mark.parametrize("name, exercise", EXERCISES, ids=IDS)
def test_no_hint_holds_the_answer_or_the_solution(name, exercise):
    hints = [m.hint for m in exercise.mistakes + getattr(exercise, "generic", [])] + [exercise.hint]
    for hint in hints:
        flat = hint.replace(" ", "")
        assert not any(fragment in flat for fragment in FRAGMENTS), (name, hint)
        if isinstance(exercise, NumberExercise):
            answer = [v for v in exercise.expected.ravel() if v not in (0.0, 1.0)]
            assert not any(np.isclose(n, v, rtol=1e-3) for n in _numbers_in(hint) for v in answer), (name, hint)
        if isinstance(exercise, ChoiceExercise) and isinstance(exercise.expected, str):
            assert exercise.expected.lower() not in hint.lower(), (name, hint)


def test_the_fallback_hint_points_to_a_section():
    """It names the idea to reread, not the formula, and each section it sends the student to by its number AND its
    name: test_every_section_an_exercise_names_exists then sees a renumbering that leaves a hint behind."""
    for name, exercise in EXERCISES:
        assert re.search(r"[Rr]eread sections? \d", exercise.hint), (name, exercise.hint)
        reread = SECTION_REFERENCE.search(exercise.hint[exercise.hint.lower().index("reread"):]).group(0)
        references = section_references(reread)
        assert references and all(name for _, _, name in references), (name, exercise.hint)


# --- every section a hint or a prompt names exists, with that number (and that name) --------------------

HEADING = re.compile(r"^#{2,3} (\d+)\. (.+)$", re.MULTILINE)
# "section 4", "sections 5 and 6", "section 11 (gradients accumulate)", "sections 4 (the stable form) and 5
# (cross-entropy)", "Notebook 02 (section 2, ...": a number followed by ".1" is a paper's section ("He et al.
# (2015, section 2.1)"), not the notebook's.
ITEM = r"\d+(?![.\d]*\.\d)(?: \([^)]*\))?"
SECTION_REFERENCE = re.compile(rf"(?:[Nn]otebook (\d\d)\W{{1,3}})?[Ss]ections? ({ITEM}(?:(?:,? and |, | or ){ITEM})*)")


def notebook_sections(path):
    """{number: title} of a notebook's numbered headings ("## 11. Gradients accumulate: ...")."""
    import nbformat

    cells = nbformat.read(path, as_version=4).cells
    return {int(n): title for c in cells if c.cell_type == "markdown" for n, title in HEADING.findall(c.source)}


def section_references(text):
    """[(notebook or None, number, name or None)] for every section `text` names."""
    return [(match.group(1), int(number), name or None) for match in SECTION_REFERENCE.finditer(text)
            for number, name in re.findall(r"(\d+)(?: \(([^)]*)\))?", match.group(2))]


def wrong_section_references(text, sections, other_notebooks=None):
    """The references in `text` to a section missing from `sections`, or whose name in parentheses is not its
    heading's ("section 9 (gradients accumulate)" where section 9 is "Watch it"). "Notebook NN (section K"
    is looked up in other_notebooks[NN]."""
    found = []
    for notebook, number, name in section_references(text):
        table = sections if notebook is None else (other_notebooks or {}).get(notebook, {})
        if number not in table:
            found.append(f"section {number} does not exist")
        elif name:
            words = set(re.findall(r"[a-z]+", table[number].lower()))
            if any(len(w) >= 4 and w not in words for w in re.findall(r"[a-z]+", name.lower())):
                found.append(f"section {number} ({name}) is {table[number]!r}")
    return found


def _exercise_texts(exercise):
    texts = [exercise.hint, exercise.why] + [m.hint for m in exercise.mistakes]
    return texts + [getattr(exercise, key, "") for key in ("close_hint", "near_hint", "own_runs")]


def test_a_wrong_section_reference_is_found():
    sections = {1: "A network small enough to do by hand", 9: "Watch it: one backward step at a time",
                11: "Gradients accumulate: don't forget `zero_grad()`"}
    assert wrong_section_references("Reread section 11 (gradients accumulate): what...", sections) == []
    assert wrong_section_references("Reread sections 1 and 11: what...", sections) == []
    assert len(wrong_section_references("Reread section 9 (gradients accumulate): what...", sections)) == 1
    assert len(wrong_section_references("Reread sections 1 and 12.", sections)) == 1
    assert len(wrong_section_references("(see notebook 05 (section 4, the weights))", sections, {"05": {}})) == 1
    assert wrong_section_references("He et al. (2015, section 2.1) find", sections) == []
    assert wrong_section_references("Reread sections 1 (a network) and 11 (gradients accumulate).", sections) == []
    assert len(wrong_section_references("Reread sections 1 (a network) and 9 (gradients accumulate).", sections)) == 1


NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_section_an_exercise_names_exists(path):
    """The hints and prompts of a notebook's exercises name its sections by their current numbers: the notebooks
    are re-sectioned now and then, and a hint that sends a student to the wrong section is a wrong hint."""
    import nbformat

    cells = nbformat.read(path, as_version=4).cells
    imported = re.search(r"from nnlite\.labs import (\w+)", next(c for c in cells if c.cell_type == "code").source)
    module = imported.group(1) if imported else None
    texts = [text for name, exercise in EXERCISES if name.split(".")[0] == module for text in _exercise_texts(exercise)]
    start = next((i for i, c in enumerate(cells) if c.source.startswith("## Exercises")), len(cells))
    end = next((i for i, c in enumerate(cells) if c.source.startswith("## Key takeaways")), len(cells))
    texts += [c.source for c in cells[start:end] if c.cell_type == "markdown"]
    others = {p.stem[:2]: notebook_sections(p) for p in NOTEBOOKS}
    problems = [p for text in texts for p in wrong_section_references(text, notebook_sections(path), others)]
    assert not problems, problems


JUNK_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
    st.complex_numbers(), st.lists(st.one_of(st.integers(), st.text(max_size=3), st.none()), max_size=4),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2), st.tuples(st.integers(), st.text(max_size=2)),
    hnp.arrays(hnp.scalar_dtypes(), hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)),
    st.fractions(), st.decimals(), st.just(object()), st.just(Ellipsis), st.just(np.nan), st.just(print),
    st.just(Symbol()), st.dictionaries(st.sampled_from("wbvc"), st.lists(st.floats(), max_size=3), max_size=4),
)


@pytest.mark.parametrize("name, exercise", EXERCISES, ids=IDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=JUNK_VALUES)
def test_junk_never_raises_and_is_never_correct(name, exercise, value):
    if isinstance(exercise, FunctionExercise):
        def answer(*args):  # a student function that returns junk
            return value
    else:
        assume(not (isinstance(exercise, ChoiceExercise) and exercise.grade(value).status == "correct"))
        assume(not (isinstance(exercise, NumberExercise) and read_numbers(value, exercise.expected.shape)[1] is None
                    and exercise.grade(value).status in ("correct", "close")))  # a number may happen to be right
        answer = value
    feedback = exercise.grade(answer)
    assert feedback.status != "correct", (name, value)
    assert "could not be checked" not in feedback.text, (name, value, feedback)  # no internal error


def _raises(*args):
    raise RuntimeError("student bug")


FUNCTIONS = [(n, e) for n, e in EXERCISES if isinstance(e, FunctionExercise)]


@pytest.mark.parametrize("name, exercise", FUNCTIONS, ids=[n for n, _ in FUNCTIONS])
@pytest.mark.parametrize("student", [_raises, lambda *a: None, prints_instead, lambda *a: "x", lambda *a: a,
                                     lambda *a: a[0]])
def test_student_functions_that_misbehave_get_a_sentence(name, exercise, student):
    feedback = exercise.grade(student)
    assert feedback.status in ("invalid", "wrong", "mistake") and "could not be checked" not in feedback.text


# --- the wrong and right answers a class test found, each as it now behaves ----------------------------

def _shifted_cross_entropy(shift):
    def log_p(z):
        s = np.asarray(z, dtype=float) - shift(np.asarray(z))
        return s - np.log(np.sum(np.exp(s)))

    return lambda z, q: -np.sum(q * log_p(z))


def _abs_shortcuts():
    import operator

    absolute = np.abs  # a name bound before the function
    return [lambda x: np.maximum(x, -x), lambda x: np.where(x < 0, -x, x), lambda x: (x**2) ** 0.5,
            lambda x: np.hypot(x, 0), operator.abs, lambda x: absolute(x), np.abs]


@pytest.mark.parametrize("exercise, answer, statuses", [
    # cases that can tell right from wrong: the largest score anywhere, non-square batches
    ("softmax.SOFT_CROSS_ENTROPY", _shifted_cross_entropy(lambda z: z[-1]), {"mistake"}),
    ("softmax.SOFT_CROSS_ENTROPY", _shifted_cross_entropy(lambda z: z[0]), {"mistake"}),
    ("backprop.DENSE_GRADIENTS", lambda X, U: (np.asarray(X).T @ np.asarray(U), np.sum(U, axis=0)[:np.shape(X)[1]]),
     {"invalid"}),
    # shortcuts: the exercise is posed so that the library does not give its answer
    ("softmax.SOFT_CROSS_ENTROPY", lambda z, q: -np.sum(q * np.log(nnlite.losses.softmax(z))), {"mistake"}),
    ("activations_lab.LEAKY_FUNCTION", lambda x, a: nnlite.activations.LeakyReLU(a).forward(x), {"mistake"}),
    ("activations_lab.LEAKY_FUNCTION", lambda x, a: nnlite.get_activation("leaky_relu", alpha=a).forward(x),
     {"mistake"}),
    ("activations_lab.LEAKY_FUNCTION", lambda x, a: nnlite.labs.activations_lab.leaky_relu(x, a), {"mistake"}),
    # right answers once refused
    ("sgd.LR_LIMIT", Fraction(2, 8), {"correct"}), ("sgd.LR_LIMIT", Decimal("0.25"), {"correct"}),
    ("sgd.LR_LIMIT", Symbolic(Fraction(1, 4)), {"correct"}),
    ("sgd.LINE_GRADIENT", lambda w, b, x, y: np.array([2 * np.mean((w * x + b - y) * x), 2 * np.mean(w * x + b - y)]),
     {"correct"}),
    ("relu.TRIANGLE_SLOPES", [Fraction(4, 3), Fraction(-8, 3), Fraction(4, 3)], {"correct"}),
    ("relu.COLLAPSED_LAYER", [Fraction(5), Fraction(-3), Fraction(3, 2)], {"correct"}),
    ("relu.COLLAPSED_LAYER", [np.array([[5.0], [-3.0]]), np.array([1.5])], {"correct"}),  # [W, b], as NumPy gives them
    ("relu.COLLAPSED_LAYER", (np.float32(5), np.int64(-3), Decimal("1.5")), {"correct"}),
    ("vanishing.EXPLODING_NETWORK", "tanh+normal", {"correct"}),
    # "close" only for the right quantity rounded
    ("vanishing.HE_STD_64", np.sqrt(2 / 65), {"mistake"}),
    ("vanishing.HE_STD_64", np.random.default_rng(1).normal(0, np.sqrt(2 / 64), (64, 64)).std(ddof=1), {"wrong"}),
    ("sgd.STEPS_IN_3_EPOCHS", 20.99, {"wrong"}),
    ("softmax.CONFIDENT_AND_WRONG", -np.log(0.01) - np.log(0.99), {"mistake"}),
    # hints that named the wrong mistake
    ("vanishing.CHAIN_RATIO", (0.5 * 0.5) ** 3, {"mistake"}), ("vanishing.CHAIN_RATIO", (0.25 * 0.5) ** 2, {"mistake"}),
    ("softmax.CALM_DAY", 73.11, {"mistake"}),
])
def test_the_examples_of_issue_21(exercise, answer, statuses):
    assert NAMED[exercise].grade(answer).status in statuses, NAMED[exercise].grade(answer)


def test_the_examples_of_issue_21_in_words():
    assert "SLOPE at 0, not its value" in NAMED["vanishing.CHAIN_RATIO"].grade((0.5 * 0.5) ** 3).text
    assert "percentage" in NAMED["softmax.CALM_DAY"].grade(73.11).text
    assert "e^" not in NAMED["softmax.CALM_DAY"].hint and "3 x 6" not in NAMED["backprop.THREE_CALLS"].hint
    assert "layer_input.T" not in NAMED["backprop.DENSE_GRADIENTS"].hint
    assert "IndexError" not in NAMED["backprop.DENSE_GRADIENTS"].grade(
        lambda X, U: (np.array([[sum(np.asarray(X)[n, i] * np.asarray(U)[n, j] for n in range(np.shape(X)[1]))
                                 for j in range(np.shape(U)[1])] for i in range(np.shape(X)[1])]),
                      np.sum(U, axis=0))).text
    for shortcut in _abs_shortcuts():  # |x| is now asked as the weights of a network: no function passes
        assert NAMED["relu.ABS_FROM_RELUS"].grade(shortcut).status == "invalid"


def test_an_overflow_in_an_answer_is_judged_not_printed():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would reach the student's cell as red text
        for answer in ({"w": [1e300, -1e300], "b": [0, 0], "v": [1e300, 1], "c": 0}, 1e308, -1e308):
            exercise = NAMED["relu.ABS_FROM_RELUS"] if isinstance(answer, dict) else NAMED["vanishing.HE_STD_64"]
            assert exercise.grade(answer).status in ("mistake", "wrong")


def test_a_wrong_number_is_written_plainly_in_the_sentence():
    """A result of -1.0 reads "-1", not "-1." followed by the sentence's own full stop ("-1..")."""
    check = FunctionExercise("a pair", lambda x: (x, 2 * x), cases=[(1.5,)])
    feedback = check.grade(lambda x: (-0.6721, -1.0))
    assert feedback.status == "wrong" and "returned -0.6721, -1." in feedback.text and "-1.." not in feedback.text


def test_a_check_built_on_first_use_builds_nothing_for_the_untouched_template():
    """The notebook's own run checks only templates: the exercise cell's `return None` function is unanswered
    without training anything (06's SHARE_OFF trains 19 networks to build), while a function the student has
    started, even one that still ends with `return None`, is built for and graded."""
    builds = []

    def build():
        builds.append(1)
        return FunctionExercise("double(x)", reference=lambda x: 2 * x, cases=[(1.0,), (3.0,)])

    exercise = BuiltOnFirstUse(build)

    def template(x):
        return None  # replace with your code

    def documented_template(x):
        """Twice x."""
        return None

    def started(x):
        y = 2 * x  # noqa: F841  (computed, not yet returned)
        return None

    for answer in (None, template, documented_template):
        assert exercise.grade(answer).status == "unanswered" and not builds
    assert exercise.grade(started).status == "unanswered" and builds == [1]  # built, then the template's words
    assert exercise.grade(lambda x: 2 * x).status == "correct" and builds == [1]  # built once
