"""The checking layer (nnlite.exercises) and every exercise of every notebook.

For every exercise object found in the lab modules: junk never raises and is never
correct, and every usual mistake in its table gets its own hint. The behaviour of the
three kinds of exercise is pinned down on small examples first.
"""

import importlib
import pkgutil
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnlite
import nnlite.labs
from nnlite import exercises as ex
from nnlite.exercises import ChoiceExercise, Exercise, FunctionExercise, Mistake, NumberExercise


def all_exercises():
    found = []
    for info in pkgutil.iter_modules(nnlite.labs.__path__):
        module = importlib.import_module(f"nnlite.labs.{info.name}")
        found += [(f"{info.name}.{name}", value) for name, value in vars(module).items() if isinstance(value, Exercise)]
    return found


EXERCISES = all_exercises()
IDS = [name for name, _ in EXERCISES]


def stable_softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum()


SOFTMAX = FunctionExercise(
    "stable softmax", stable_softmax, cases=[([5.0, 8.0],), ([1000.0, 1003.0],), ([0.0, 1500.0],)],
    mistakes=[Mistake(lambda z: np.exp(z) / np.exp(z).sum(), "raw"),
              Mistake(lambda z: np.exp(np.subtract(z, np.mean(z))) / np.exp(np.subtract(z, np.mean(z))).sum(), "mean"),
              Mistake(lambda z: np.exp(np.subtract(z, np.max(z))), "sum")],
    forbidden=[("nnlite", "softmax", "nl.softmax")], time_limit=0.5)
P_YES = NumberExercise("P(yes)", 0.0474258731775668, mistakes=[Mistake(0.5, "equal"), Mistake(5, "a score")],
                       hint="generic", why="why")
WHICH = ChoiceExercise("which", "sigmoid", ["relu", "sigmoid", "tanh"], mistakes=[Mistake("tanh", "peak 1")])


# --- the three kinds, on small examples ---------------------------------------------------------

@pytest.mark.parametrize("answer, status", [
    (None, "unanswered"), (..., "unanswered"), (0.0474259, "correct"), (np.float32(0.04742587), "correct"),
    (0.5, "mistake"), (5, "mistake"), (0.047, "close"), (0.05, "wrong"), ("0.0474", "invalid"), ("abc", "invalid"),
    (True, "invalid"), ([], "invalid"), ({}, "invalid"), (object(), "invalid"), (float("nan"), "invalid"),
    (float("inf"), "invalid"), (np.zeros((5, 7)), "invalid"), (10**400, "invalid"), (1j, "invalid"),
    ([None], "invalid"), (print, "invalid"),
])
def test_number_exercise_statuses(answer, status):
    assert P_YES.grade(answer).status == status


def test_number_messages_name_the_problem():
    assert "without quotes" in P_YES.grade("0.0474").text
    assert "shape (5, 7)" in P_YES.grade(np.zeros((5, 7))).text
    assert P_YES.grade(0.5).text == f"{ex.NOT_YET}: equal"
    assert P_YES.grade(0.0474259).text == f"{ex.CORRECT}. why"
    assert P_YES.grade(0.05).text == f"{ex.NOT_YET}: generic"


def test_rounded_hand_answers_are_close_not_wrong():
    assert NumberExercise("ln", -np.log(0.01)).grade(4.6).status == "close"
    assert NumberExercise("he", np.sqrt(2 / 64)).grade(0.18).status == "close"
    assert NumberExercise("he", np.sqrt(2 / 64)).grade(0.1768).status == "correct"


def test_a_mistake_that_is_the_right_answer_is_refused():
    with pytest.raises(ValueError, match="also the right answer"):
        NumberExercise("x", 0.5, mistakes=[Mistake(5 / 10, "same")])
    with pytest.raises(ValueError, match="right outputs"):
        FunctionExercise("f", stable_softmax, [([1.0, 2.0],)], mistakes=[Mistake(stable_softmax, "same")])


@pytest.mark.parametrize("answer, status", [
    (" Sigmoid", "correct"), ("tanh", "mistake"), ("relu", "wrong"), (True, "invalid"), (1, "invalid"),
    ("softmax", "invalid"), (np.array(["sigmoid"]), "invalid"), (["sigmoid"], "invalid"),
])
def test_choice_exercise_statuses(answer, status):
    assert WHICH.grade(answer).status == status


def test_choices_are_type_strict():
    bias_moves = ChoiceExercise("moves?", False, [True, False], mistakes=[Mistake(True, "it does not")])
    assert bias_moves.grade(False).status == "correct"
    assert bias_moves.grade(0).status == "invalid" and bias_moves.grade("False").status == "invalid"
    assert bias_moves.grade(0.0005).status == "invalid"


def loops_forever(z):
    while True:
        pass


def prints_instead(z):
    print(stable_softmax(z))


@pytest.mark.parametrize("answer, status, words", [
    (stable_softmax, "correct", "Correct"),
    (lambda z: np.exp(z) / np.exp(z).sum(), "mistake", "raw"),
    (lambda z: np.exp(np.subtract(z, np.mean(z))) / np.exp(np.subtract(z, np.mean(z))).sum(), "mistake", "mean"),
    (lambda z: nnlite.softmax(z), "invalid", "nl.softmax"),
    (loops_forever, "invalid", "longer than"),
    (prints_instead, "invalid", "use `return`, not `print`"),
    (lambda z: None, "invalid", "forget `return`"),
    (lambda z: 1 / 0, "invalid", "ZeroDivisionError"),
    (lambda z: "softmax", "invalid", "text"),
    (lambda z: np.zeros((5, 7)), "invalid", "shape (5, 7)"),
    (lambda z: np.ones(2) / 2, "wrong", "your function returned"),
    (3, "invalid", "should be a function"),
])
def test_function_exercise_statuses(answer, status, words):
    feedback = SOFTMAX.grade(answer)
    assert feedback.status == status and words in feedback.text


def test_student_code_cannot_break_the_next_case_or_keep_a_patch():
    def mutates(z):
        result = stable_softmax(z)
        z[0] = 1e9  # spoils the caller's list, not the check's cases
        return result

    assert SOFTMAX.grade(mutates).status == "correct" and SOFTMAX.grade(mutates).status == "correct"
    SOFTMAX.grade(lambda z: nnlite.softmax(z))
    assert nnlite.softmax.__module__ == "nnlite.losses"  # the spy is gone


def test_a_loop_costs_one_time_limit_not_one_per_case():
    start = time.perf_counter()
    SOFTMAX.grade(loops_forever)
    assert time.perf_counter() - start < 2 * SOFTMAX.time_limit


def test_check_prints_one_line_and_nothing_unanswered_in_voila(capsys, monkeypatch):
    P_YES.check("junk")
    assert capsys.readouterr().out.count("\n") == 1
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    P_YES.check(None)
    assert capsys.readouterr().out == ""


def test_marks_need_no_emoji_font():
    emoji = set("✅❌❎❓❔❕❗⏩⏪⏭⏮⏯⏸⏹⏺✏\ufe0f")  # drawn from an emoji font, or as empty boxes without one
    for mark in (ex.CORRECT, ex.NOT_YET, ex.CLOSE, ex.UNANSWERED):
        assert not any(ord(ch) >= 0x1F000 or ch in emoji for ch in mark), mark


# --- every exercise of every notebook -------------------------------------------------------------

def test_the_notebooks_have_exercises():
    assert len(EXERCISES) >= 7, IDS


@pytest.mark.parametrize("name, exercise", EXERCISES, ids=IDS)
def test_every_exercise_knows_three_usual_mistakes(name, exercise):
    assert len(exercise.mistakes) >= 3, f"{name}: only {len(exercise.mistakes)} mistakes in its table"
    hints = [m.hint for m in exercise.mistakes]
    assert len(set(hints)) == len(hints), f"{name}: two mistakes share a hint"


@pytest.mark.parametrize("name, exercise", EXERCISES, ids=IDS)
def test_every_mistake_gets_its_own_hint(name, exercise):
    for mistake in exercise.mistakes:
        feedback = exercise.grade(mistake.answer)
        assert feedback.status == "mistake" and mistake.hint in feedback.text, (name, mistake.hint, feedback)


JUNK_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
    st.complex_numbers(), st.lists(st.one_of(st.integers(), st.text(max_size=3), st.none()), max_size=4),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2), st.tuples(st.integers(), st.text(max_size=2)),
    hnp.arrays(hnp.scalar_dtypes(), hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)),
    st.just(object()), st.just(Ellipsis), st.just(np.nan), st.just(print),
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
        answer = value
    feedback = exercise.grade(answer)
    assert feedback.status != "correct", (name, value)
    assert "could not be checked" not in feedback.text, (name, value, feedback)  # no internal error


def _raises(*args):
    raise RuntimeError("student bug")


@pytest.mark.parametrize("name, exercise", [(n, e) for n, e in EXERCISES if isinstance(e, FunctionExercise)],
                         ids=[n for n, e in EXERCISES if isinstance(e, FunctionExercise)])
@pytest.mark.parametrize("student", [_raises, lambda *a: None, prints_instead, lambda *a: "x", lambda *a: a])
def test_student_functions_that_misbehave_get_a_sentence(name, exercise, student):
    feedback = exercise.grade(student)
    assert feedback.status in ("invalid", "wrong", "mistake") and "could not be checked" not in feedback.text
