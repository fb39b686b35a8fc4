"""Checks for the exercises: one layer every notebook's checks go through.

An exercise is an object defined in its notebook's lab module, and the check cell is one
line, ``CALM_DAY.check(p_yes_calm)``. A check

- prints ONE message and never raises, whatever the student wrote: an unfinished answer,
  a string, a dict, NaN, an array of the wrong shape, a function that crashes, loops or
  prints each get a sentence, never a traceback;
- never says correct to junk, and says "close" to an answer right to two or three
  significant figures instead of sending the student after a mistake they did not make;
- knows the usual wrong answers (a table of `Mistake`\\ s) and names the mistake without
  giving the answer away.

Three kinds: `NumberExercise` (a number or a small array), `ChoiceExercise` (one of a few
options) and `FunctionExercise` (a function, run on test cases and on adversarial inputs).
``grade(answer)`` returns a `Feedback` (tests read it); ``check(answer)`` prints it.
"""

import os
from dataclasses import dataclass

CORRECT = "✓ Correct"
NOT_YET = "✗ Not yet"
CLOSE = "≈ Close"
UNANSWERED = "… Not answered yet: replace the None (or ...) in the exercise cell with your answer and run it again."
STATUSES = ("correct", "close", "mistake", "wrong", "invalid", "unanswered")


@dataclass(frozen=True)
class Feedback:
    """What a check says: a status (one of STATUSES) and the sentence shown to the student."""

    status: str
    text: str


@dataclass(frozen=True)
class Mistake:
    """A usual wrong answer and the hint that names it: a value (number, array, option) for
    number and choice exercises, a wrong implementation (a function) for function exercises."""

    answer: object
    hint: str


def in_voila():
    """True inside a Voilà app, where no cell can be edited: there an unanswered exercise is
    not the student's fault. Voilà 0.5 sets VOILA_SERVER_URL and VOILA_BASE_URL in every
    kernel's environment at start, preheated or not (voila/handler.py, voila_kernel_manager.py)."""
    return "VOILA_SERVER_URL" in os.environ or "VOILA_BASE_URL" in os.environ


class Exercise:
    """What every kind shares: a title, a table of mistakes, a generic hint and a why."""

    def __init__(self, title, mistakes=(), hint="Look again at the explanation above.", why=""):
        self.title = str(title)
        self.mistakes = [m if isinstance(m, Mistake) else Mistake(*m) for m in mistakes]
        self.hint = hint
        self.why = why

    def grade(self, answer):
        """The Feedback for `answer`. Never raises: a bug in a check is reported in words too."""
        if answer is None or answer is Ellipsis:
            return Feedback("unanswered", UNANSWERED)
        try:
            return self._grade(answer)
        except Exception as error:  # a safety net: the student must never see a traceback
            return Feedback("invalid", f"{NOT_YET}: this answer could not be checked ({type(error).__name__}). "
                                       "Write it as the exercise asks and run the cell again.")

    def check(self, answer):
        """Print what the check says about `answer` (nothing for an unanswered one in Voilà)."""
        feedback = self.grade(answer)
        if not (feedback.status == "unanswered" and in_voila()):
            print(feedback.text)

    def _correct(self):
        return Feedback("correct", f"{CORRECT}. {self.why}".rstrip())

    def _mistake(self, mistake):
        return Feedback("mistake", f"{NOT_YET}: {mistake.hint}")

    def _wrong(self, detail=""):
        return Feedback("wrong", f"{NOT_YET}: {detail}{self.hint}")

    def __repr__(self):
        return f"{type(self).__name__}({self.title!r}, {len(self.mistakes)} mistakes)"


from .answers import ChoiceExercise, NumberExercise  # noqa: E402  (they build on Exercise)
from .functions import FunctionExercise  # noqa: E402

__all__ = ["CORRECT", "CLOSE", "NOT_YET", "UNANSWERED", "Feedback", "Mistake", "Exercise", "NumberExercise",
           "ChoiceExercise", "FunctionExercise", "in_voila"]
