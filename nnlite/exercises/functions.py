"""Answers that are functions: run the student's code safely, then compare with a reference.

`call_safely` runs one call with a time limit, with what it prints and warns captured and
with the forbidden shortcuts watched. `FunctionExercise` runs every test case (adversarial
ones included), recognises the usual wrong implementations by their outputs, and says
what happened in one sentence.
"""

import contextlib
import copy
import importlib
import io
import signal
import threading
import warnings
from dataclasses import dataclass, field

import numpy as np

from . import NOT_YET, Exercise, Feedback
from .answers import near, read_numbers, shown


class _TimeUp(BaseException):
    """Raised in the student's code when it runs past the time limit (a BaseException so a
    bare ``except Exception`` in their code cannot swallow it)."""


@dataclass
class Outcome:
    """What one call of the student's function did."""

    value: object = None
    error: BaseException = None
    timed_out: bool = False
    printed: str = ""
    forbidden: list = field(default_factory=list)


@contextlib.contextmanager
def _time_limit(seconds):
    """Interrupt the block after `seconds` where the platform allows it (SIGALRM, main thread)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def time_up(signum, frame):
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, time_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _watching(forbidden, used):
    """Replace each forbidden (module, attribute) by a wrapper that records its use."""
    originals = []
    for module_name, attribute, written in forbidden:
        module = importlib.import_module(module_name)
        original = getattr(module, attribute)

        def spy(*args, _original=original, _written=written, **kwargs):
            used.append(_written)
            return _original(*args, **kwargs)

        originals.append((module, attribute, original))
        setattr(module, attribute, spy)
    try:
        yield
    finally:
        for module, attribute, original in originals:
            setattr(module, attribute, original)


def call_safely(fn, args, time_limit=2.0, forbidden=()):
    """Call fn(*deep copies of args); never raises (KeyboardInterrupt aside)."""
    outcome = Outcome()
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            with _watching(forbidden, outcome.forbidden), _time_limit(time_limit):
                outcome.value = fn(*copy.deepcopy(args))
    except _TimeUp:
        outcome.timed_out = True
    except (Exception, SystemExit) as error:  # the student's code: reported in words
        outcome.error = error
    outcome.printed = printed.getvalue()
    return outcome


def _as_parts(value, template):
    """The student's result split like the reference's: a tuple of parts, or one part."""
    if isinstance(template, tuple):
        if not isinstance(value, (tuple, list)) or len(value) != len(template):
            return None
        return tuple(value)
    return (value,)


class FunctionExercise(Exercise):
    """An answer that is a function, checked on `cases` (tuples of arguments) against `reference`."""

    def __init__(self, title, reference, cases, mistakes=(), hint="Compare your function with the formula above.",
                 why="", forbidden=(), rtol=1e-6, atol=1e-12, time_limit=2.0):
        super().__init__(title, mistakes, hint, why)
        self.cases = [tuple(case) for case in cases]
        self.forbidden = list(forbidden)
        self.rtol, self.atol, self.time_limit = rtol, atol, time_limit
        self.expected = [self._outputs(reference, args) for args in self.cases]
        self.mistake_outputs = [[self._outputs(m.answer, args) for args in self.cases] for m in self.mistakes]
        for mistake, outputs in zip(self.mistakes, self.mistake_outputs, strict=True):
            if all(self._same(o, e) for o, e in zip(outputs, self.expected, strict=True)):
                raise ValueError(f"{title}: the mistake {mistake.hint!r} gives the right outputs on every case")

    @staticmethod
    def _outputs(fn, args):
        """A trusted function's output as a tuple of float arrays (NaN and inf kept)."""
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = fn(*copy.deepcopy(args))
        parts = value if isinstance(value, tuple) else (value,)
        return tuple(np.asarray(p, dtype=float) for p in parts), isinstance(value, tuple)

    def _same(self, outputs, expected):
        return all(near(o, e, self.rtol, self.atol) for o, e in zip(outputs[0], expected[0], strict=True))

    def _read(self, outcome, expected, case):
        """(outputs, None) or (None, a sentence) for one call of the student's function."""
        where = f"for input ({', '.join(shown(a) for a in case)})"
        if outcome.timed_out:
            return None, f"your function ran longer than {self.time_limit:g} s {where}: is there an endless loop?"
        if outcome.error is not None:
            message = str(outcome.error)[:120]
            return None, f"your function raised {type(outcome.error).__name__} ({message}) {where}."
        if outcome.value is None:
            said = " It printed its result: use `return`, not `print`." if outcome.printed else ""
            return None, f"your function returned None {where}. Did you forget `return`?{said}"
        templates, is_tuple = expected
        parts = _as_parts(outcome.value, tuple(templates) if is_tuple else templates[0])
        if parts is None:
            count = len(templates)
            return None, f"your function returned {shown(outcome.value)} {where}; it should return {count} values."
        outputs = []
        for part, template in zip(parts, templates, strict=True):
            array, problem = read_numbers(part, template.shape, allow_nonfinite=True, what="your function's result")
            if problem:
                return None, f"{problem[0].upper()}{problem[1:-1]} ({where})."
            outputs.append(array)
        return (tuple(outputs), is_tuple), None

    def _grade(self, fn):
        if not callable(fn):
            return Feedback("invalid", f"{NOT_YET}: this should be a function (def ...), not {shown(fn)}.")
        outcomes = []
        for case in self.cases:
            outcomes.append(call_safely(fn, case, self.time_limit, self.forbidden))
            if outcomes[-1].timed_out:  # one time-out is enough to say so: do not wait for every case
                break
        used = [name for outcome in outcomes for name in outcome.forbidden]
        if used:
            return Feedback("invalid", f"{NOT_YET}: your function uses {used[0]}: the point is to write it yourself.")
        read = [self._read(o, e, c) for o, e, c in zip(outcomes, self.expected, self.cases, strict=False)]
        outputs = [output for output, _ in read]
        if all(output is not None for output in outputs):
            if all(self._same(o, e) for o, e in zip(outputs, self.expected, strict=True)):
                return self._correct()
            for mistake, mistaken in zip(self.mistakes, self.mistake_outputs, strict=True):
                if all(self._same(o, m) for o, m in zip(outputs, mistaken, strict=True)):
                    return self._mistake(mistake)
        first_bad = next(i for i, (output, _) in enumerate(read)
                         if output is None or not self._same(output, self.expected[i]))
        (output, problem), case = read[first_bad], self.cases[first_bad]
        if problem:
            return Feedback("invalid", f"{NOT_YET}: {problem}")
        got = ", ".join(shown(p) for p in output[0])
        return self._wrong(f"for input ({', '.join(shown(a) for a in case)}) your function returned {got}. ")
