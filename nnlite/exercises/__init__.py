"""Checks for the exercises: one layer every notebook's checks go through.

An exercise is an object defined in its notebook's lab module, and the check cell is one
line, ``CALM_DAY.check(p_yes_calm)``. A check

- prints ONE message and never raises, whatever the student wrote: an unfinished answer,
  a string, a dict, NaN, an array of the wrong shape, a function that crashes, loops or
  prints each get a sentence, never a traceback;
- judges what the answer IS or DOES, never how it is spelled: 1/4, 0.25, ``Fraction(1, 4)``
  and ``np.float32(0.25)`` are the same number, and a function is run on many inputs,
  adversarial ones included, never searched for forbidden names (a list of names is never
  complete: an exercise is posed so that a library call does not give its answer);
- says "close" only to the right quantity rounded to one, two or three significant figures, and
  only when it takes more than four to write (0.7311, never 0.25 or a count: see answers.py);
- knows the usual wrong answers (a table of `Mistake`\\ s) and names the mistake without
  giving the answer away: no hint holds the answer's number or the solution's code, and none
  leaves only one possible answer;
- has a fallback hint that sends the student to a section by its number and its name, so that a
  test sees a hint left behind when a notebook is re-sectioned.

Four kinds: `NumberExercise` (a number or a small array), `ChoiceExercise` (one of a few
options), `FunctionExercise` (a function) and `DiagnosedExercise` (anything else, judged by a
diagnosis written for the exercise, such as the weights of a small network). `BuiltOnFirstUse`
makes any of them when first used, for an answer that takes a network to compute.
``grade(answer)`` returns a `Feedback` (tests read it); ``check(answer)`` prints it.
Every message starts with a mark AND a word ("✓ Correct", "✗ Not yet", "≈ Too few digits",
"… Not answered yet"), so a screen reader, or a reader without the font, gets the verdict.
"""

import functools
import os
import warnings
from dataclasses import dataclass

import numpy as np

CORRECT = "✓ Correct"
NOT_YET = "✗ Not yet"
CLOSE = "≈ Too few digits"  # status "close": the right value, rounded: give more digits
NOT_ANSWERED = "… Not answered yet"
UNANSWERED = f"{NOT_ANSWERED}: replace the None (or ...) in the exercise cell with your answer and run it again."
STATUSES = ("correct", "close", "mistake", "wrong", "invalid", "unanswered")
MARKS = {"correct": CORRECT, "close": CLOSE, "mistake": NOT_YET, "wrong": NOT_YET, "invalid": NOT_YET,
         "unanswered": NOT_ANSWERED}  # what each status's message starts with


@dataclass(frozen=True)
class Feedback:
    """What a check says: a status (one of STATUSES) and the sentence shown to the student."""

    status: str
    text: str


@dataclass(frozen=True)
class Mistake:
    """A usual wrong answer and the hint that names it: a value (number, array, option) for
    number and choice exercises, a wrong implementation (a function) for function exercises,
    a typical answer that gets the diagnosis for diagnosed exercises."""

    answer: object
    hint: str


def in_voila():
    """True inside a Voilà app, where no cell can be edited: there an unanswered exercise is
    not the student's fault. Voilà 0.5 sets VOILA_SERVER_URL and VOILA_BASE_URL in every
    kernel's environment at start, preheated or not (voila/handler.py, voila_kernel_manager.py)."""
    return "VOILA_SERVER_URL" in os.environ or "VOILA_BASE_URL" in os.environ


def unanswered(answer):
    """True for None, ``...``, or a template made of nothing else (``{"w": [..., ...], "c": ...}``)."""
    if answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, dict):
        return len(answer) > 0 and all(unanswered(value) for value in answer.values())
    if isinstance(answer, (list, tuple)):
        return len(answer) > 0 and all(unanswered(value) for value in answer)
    return False


class Exercise:
    """What every kind shares: a title, a table of mistakes, a fallback hint and a why.

    The fallback `hint` is shown when an answer is wrong in no way the table knows: it points to
    the idea (the section to reread), never to the formula. `why` is shown with "Correct"."""

    def __init__(self, title, mistakes=(), hint="Reread the section this exercise is about.", why=""):
        self.title = str(title)
        self.mistakes = [m if isinstance(m, Mistake) else Mistake(*m) for m in mistakes]
        self.hint = hint
        self.why = why

    def grade(self, answer):
        """The Feedback for `answer`. Never raises: a bug in a check is reported in words too."""
        if unanswered(answer):
            return Feedback("unanswered", UNANSWERED)
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():  # an overflow is judged, not printed
                warnings.simplefilter("ignore")
                return self._grade(answer)
        except Exception as error:  # a safety net: the student must never see a traceback
            return Feedback("invalid", f"{NOT_YET}: this answer could not be checked ({type(error).__name__}). "
                                       "Write it as the exercise asks and run the cell again.")

    def check(self, answer):
        """Print what the check says about `answer` (nothing for an unanswered one in Voilà)."""
        feedback = self.grade(answer)
        if not (feedback.status == "unanswered" and in_voila()):
            print(feedback.text)

    def _correct(self, detail=""):
        return Feedback("correct", " ".join(part for part in (f"{CORRECT}.", detail, self.why) if part))

    def _mistake(self, mistake, detail=""):
        return Feedback("mistake", f"{NOT_YET}: {mistake.hint} {detail}".rstrip())

    def _wrong(self, detail=""):
        return Feedback("wrong", f"{NOT_YET}: {detail}{self.hint}")

    @staticmethod
    def _invalid(problem):
        return Feedback("invalid", f"{NOT_YET}: {problem}")

    def __repr__(self):
        return f"{type(self).__name__}({self.title!r}, {len(self.mistakes)} mistakes)"


class BuiltOnFirstUse(Exercise):
    """An exercise whose answer takes a computation (a network to build): `build()` makes the exercise when it
    is first checked or read, not when its module is imported. It checks, reads and prints as the exercise
    `build` returns; an unanswered check builds nothing (the notebook's own run checks only templates)."""

    def __init__(self, build):
        self._build = build

    @functools.cached_property
    def exercise(self):
        """The exercise, built on first use."""
        return self._build()

    def grade(self, answer):
        if unanswered(answer):
            return Feedback("unanswered", UNANSWERED)
        if untouched_template(answer):  # the exercise cell's function as given: nothing to build for
            return Feedback("unanswered", UNANSWERED_FUNCTION)
        return self.exercise.grade(answer)

    def __getattr__(self, name):  # title, expected, mistakes, ...: the built exercise's
        if name.startswith("__") or name in ("_build", "exercise"):
            raise AttributeError(name)
        return getattr(self.exercise, name)

    def __repr__(self):
        return repr(self.exercise)


from .answers import ChoiceExercise, NumberExercise  # noqa: E402  (they build on Exercise)
from .diagnosed import DiagnosedExercise  # noqa: E402
from .functions import UNANSWERED_FUNCTION, FunctionExercise, untouched_template  # noqa: E402

__all__ = ["CORRECT", "CLOSE", "NOT_YET", "NOT_ANSWERED", "UNANSWERED", "MARKS", "Feedback", "Mistake", "Exercise",
           "NumberExercise", "ChoiceExercise", "FunctionExercise", "DiagnosedExercise", "BuiltOnFirstUse", "in_voila",
           "unanswered"]
