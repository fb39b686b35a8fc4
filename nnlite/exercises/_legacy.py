"""TRANSITIONAL: the checks of before nnlite.exercises' exercise objects, kept only until
every notebook has moved to NumberExercise / ChoiceExercise / FunctionExercise.
"""

import numbers

import numpy as np

from . import CORRECT, NOT_YET, UNANSWERED


def _close(answer, expected, tol):
    try:
        a = np.asarray(answer, dtype=float)
        e = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == e.shape and bool(np.all(np.abs(a - e) <= tol * np.maximum(1.0, np.abs(e))))


def check(answer, expected, tol=1e-3, hints=(), hint="Look again at the explanation above.", why=""):
    """Print whether `answer` matches `expected` (numbers or arrays, relative tolerance `tol`;
    other values by equality). `hints` is a list of (wrong answer, hint) pairs for the
    mistakes students usually make; `why` is printed with a correct answer."""
    if answer is None or answer is Ellipsis:
        print(UNANSWERED)
        return
    is_number = isinstance(expected, (numbers.Number, np.ndarray, list, tuple)) and not isinstance(expected, bool)
    right = _close(answer, expected, tol) if is_number else answer == expected
    if right:
        print(f"{CORRECT}. {why}".rstrip())
        return
    for wrong, text in hints:
        if (_close(answer, wrong, tol) if is_number else answer == wrong):
            print(f"{NOT_YET}: {text}")
            return
    print(f"{NOT_YET}: {hint}")


def check_function(fn, cases, tol=1e-6, hint="Compare your function with the formula above."):
    """Call the student's `fn(*args)` for every (args, expected) in `cases`.

    Prints which case failed (its input, not its expected output) and what the function
    returned or raised, so the student can debug without being handed the answer.
    """
    if fn is None or fn is Ellipsis or not callable(fn):
        print(UNANSWERED)
        return
    for args, expected in cases:
        shown = ", ".join(np.array2string(np.asarray(a), precision=4) for a in args)
        try:
            result = fn(*args)
        except Exception as error:  # the student's code: report it in words
            print(f"{NOT_YET}: your function raised {type(error).__name__}: {error} for input ({shown}). {hint}")
            return
        if result is None:
            print(f"{NOT_YET}: your function returned None for input ({shown}). Did you forget `return`?")
            return
        if not _close(result, expected, tol):
            got = np.array2string(np.asarray(result, dtype=object), precision=4)
            print(f"{NOT_YET}: for input ({shown}) your function returned {got}. {hint}")
            return
    print(f"{CORRECT}: your function passes all {len(cases)} test cases.")
