"""Answers that are functions: run the student's code on many inputs, compare with a reference.

The cases are the exercise's own (the notebook's example first) and `n_drawn` more from
`draw(rng)`, a fixed seed, so every check is repeatable: inputs with adversarial structure
(the largest entry first, last or tied; non-square and batch-of-one shapes; ...) that a
function right only on friendly inputs gets wrong. `run_cases` calls the function on a copy of
each case, with a time limit and its prints captured, and notes whether it changed its input.
A usual wrong implementation in the table is recognised by what it does on every case
(its outputs, or the error it raises), never by the names it uses; so no two entries of the
table may do the same on every case (the cases must tell their mistakes apart).

Results that miss by a little are shown with the digits where they differ from the right ones,
and the difference is named when it can be (`near_miss`).
"""

import ast
import contextlib
import copy
import ctypes
import inspect
import io
import signal
import textwrap
import threading
import warnings
from dataclasses import dataclass

import numpy as np

from . import NOT_ANSWERED, NOT_YET, Exercise, Feedback
from .answers import near, read_numbers, shown
from .near_miss import explain_near_miss

UNANSWERED_FUNCTION = (f"{NOT_ANSWERED}: your function still ends with `return None`. Replace that line with your "
                       "code (keep a `return`), run the cell, then run this check again.")


class _TimeUp(BaseException):
    """Raised in the student's code when it runs past the time limit (a BaseException so a
    bare ``except Exception`` in their code cannot swallow it)."""


@dataclass
class Outcome:
    """What one call of the student's function did."""

    value: object = None
    error: BaseException = None
    timed_out: bool = False
    changed_input: bool = False


@contextlib.contextmanager
def _time_limit(seconds):
    """Interrupt the block after `seconds`: by SIGALRM in the main thread where the platform has it (it also
    stops a long sleep), otherwise (Windows, another thread) by a timer thread that raises _TimeUp in this
    thread. That one lands at the next Python instruction: it stops a Python loop, not one long C call."""
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        with _alarm(seconds):
            yield
    else:
        with _watchdog(seconds):
            yield


@contextlib.contextmanager
def _alarm(seconds):
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
def _watchdog(seconds):
    target, lock, state = ctypes.c_ulong(threading.get_ident()), threading.Lock(), {"done": False, "fired": False}

    def time_up():
        with lock:
            if not state["done"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(_TimeUp))

    timer = threading.Timer(seconds, time_up)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["fired"]:  # raised too late to land in the block: take it back
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)


def _unchanged(after, before):
    """True when the argument `after` (the copy the function got) still equals `before`."""
    if isinstance(before, np.ndarray):
        return (isinstance(after, np.ndarray) and after.shape == before.shape and after.dtype == before.dtype
                and np.array_equal(after, before, equal_nan=True))
    if isinstance(before, (list, tuple)):
        return (type(after) is type(before) and len(after) == len(before)
                and all(_unchanged(a, b) for a, b in zip(after, before, strict=True)))
    try:
        return bool(after == before)
    except Exception:
        return False


def run_cases(fn, cases, time_limit=2.0):
    """(one Outcome per case, what the function printed). Never raises (KeyboardInterrupt aside).
    The time limit is for all the cases together: an endless loop costs it once. None: no limit, for the
    exercise's own reference and mistakes, which always end (a limit would make a slow machine's
    reference look broken)."""
    outcomes, printed = [], io.StringIO()
    with contextlib.redirect_stdout(printed), warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            with _time_limit(time_limit) if time_limit is not None else contextlib.nullcontext():
                for case in cases:
                    outcome = Outcome()
                    outcomes.append(outcome)
                    args = copy.deepcopy(case)
                    try:
                        outcome.value = fn(*args)
                    except (Exception, SystemExit) as error:  # the student's code: reported in words
                        outcome.error = error
                    outcome.changed_input = not all(_unchanged(a, b) for a, b in zip(args, case, strict=True))
        except _TimeUp:
            if outcomes:
                outcomes[-1].timed_out = True
    return outcomes, printed.getvalue()


def _body(fn):
    """The statements of `fn`'s definition, or None when its source cannot be read (built in, or made by exec)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return None
    definition = next((n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)), None)
    return definition.body if definition else None


def _returns_none(statement):
    return isinstance(statement, ast.Return) and (statement.value is None or (isinstance(statement.value, ast.Constant)
                                                                              and statement.value.value is None))


def _still_the_template(fn):
    """True when `fn`'s last statement is ``return None``, as the exercise cell gave it."""
    body = _body(fn)
    return bool(body) and _returns_none(body[-1])


def untouched_template(fn):
    """True when `fn` is the exercise cell's template itself: its whole body (a docstring aside) is ``return None``.
    Stricter than `_still_the_template`, which also catches code that was started but still ends that way, so it
    can be decided without running `fn`."""
    body = _body(fn) if callable(fn) else None
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # its docstring
    return body is not None and len(body) == 1 and _returns_none(body[0])


def read_parts(value, n_parts):
    """The result of a function as a tuple of `n_parts` float arrays (a pair may also come as a list
    or as an array of two rows), or (None, a sentence)."""
    if n_parts == 1:
        items = (value,)
    elif isinstance(value, (tuple, list)) and len(value) == n_parts:
        items = tuple(value)
    elif isinstance(value, np.ndarray) and value.ndim >= 1 and len(value) == n_parts:
        items = tuple(value)
    else:
        return None, f"your function returned {shown(value)}; it should return {n_parts} values"
    parts = []
    for item in items:
        array, problem = read_numbers(item, None, allow_nonfinite=True, what="your function's result")
        if problem:
            return None, problem[:-1]
        parts.append(array)
    return tuple(parts), None


class FunctionExercise(Exercise):
    """An answer that is a function, run on `cases` and on `n_drawn` cases from `draw(rng)`, and
    compared with `reference` (which returns an array, or a tuple of them)."""

    def __init__(self, title, reference, cases, mistakes=(), hint="Reread the section this exercise is about.",
                 why="", draw=None, n_drawn=40, seed=0, rtol=1e-6, atol=1e-12, time_limit=2.0):
        super().__init__(title, mistakes, hint, why)
        rng = np.random.default_rng(seed)
        drawn = [tuple(draw(rng)) for _ in range(n_drawn)] if draw else []
        drawn.sort(key=lambda case: sum(np.size(a) for a in case))  # the smallest failing case is the one shown
        self.cases = [tuple(case) for case in cases] + drawn
        self.reference = reference
        self.rtol, self.atol, self.time_limit = rtol, atol, time_limit
        outcomes, _ = run_cases(reference, self.cases, time_limit=None)  # ours: they end, however slow the machine
        self.n_parts = len(outcomes[0].value) if isinstance(outcomes[0].value, tuple) else 1
        self.expected = [self._result(o) for o in outcomes]
        if any(kind != "value" for kind, _ in self.expected):
            raise ValueError(f"{title}: the reference fails on a case")
        self.mistake_results = [[self._result(o) for o in run_cases(m.answer, self.cases, None)[0]]
                                for m in self.mistakes]
        for i, (mistake, results) in enumerate(zip(self.mistakes, self.mistake_results, strict=True)):
            if self._all_same(results, self.expected):
                raise ValueError(f"{title}: the mistake {mistake.hint!r} gives the right outputs on every case")
            for other, other_results in zip(self.mistakes[:i], self.mistake_results[:i], strict=True):
                if self._all_same(results, other_results):
                    raise ValueError(f"{title}: the mistakes {other.hint!r} and {mistake.hint!r} give the same "
                                     "outputs on every case: add a case that tells them apart")

    def _result(self, outcome):
        """("value", parts) / ("error", its type's name) / ("timeout", "") / ("none", "") / ("unreadable", why)."""
        if outcome.timed_out:
            return "timeout", ""
        if outcome.error is not None:
            return "error", type(outcome.error).__name__
        if outcome.value is None:
            return "none", ""
        parts, problem = read_parts(outcome.value, self.n_parts)
        return ("value", parts) if problem is None else ("unreadable", problem)

    def _same(self, result, expected):
        (kind, got), (want_kind, want) = result, expected
        if kind != want_kind:
            return False
        if kind != "value":
            return got == want
        return all(self._same_array(g, w) for g, w in zip(got, want, strict=True))

    def _same_array(self, got, want):
        if want.shape == () and got.size == 1:
            got = got.reshape(())
        return near(got, want, self.rtol, self.atol)

    def _all_same(self, results, expected):
        return len(results) == len(expected) and all(self._same(r, e) for r, e in zip(results, expected, strict=True))

    def _grade(self, fn):
        if not callable(fn):
            return self._invalid(f"this should be a function (def ...), not {shown(fn)}.")
        if fn is self.reference:
            return self._invalid("that is the check's own reference function: write your own.")
        outcomes, printed = run_cases(fn, self.cases, self.time_limit)
        first = outcomes[0]
        if first.value is None and first.error is None and not first.timed_out and _still_the_template(fn):
            return Feedback("unanswered", UNANSWERED_FUNCTION)
        results = [self._result(o) for o in outcomes]
        changed = next((i for i, o in enumerate(outcomes) if o.changed_input), None)
        if self._all_same(results, self.expected) and changed is None:
            return self._correct()
        if changed is not None:
            return self._invalid(f"your function writes into the array it is given ({self._where(changed)}). "
                                 "Leave the caller's data as it was: compute new arrays instead of writing into "
                                 "the old ones.")
        for mistake, mistaken in zip(self.mistakes, self.mistake_results, strict=True):
            if self._all_same(results, mistaken):
                return self._mistake(mistake)
        bad = next(i for i, r in enumerate(results) if i >= len(self.expected) or not self._same(r, self.expected[i]))
        return self._describe(bad, outcomes[bad], results, printed)

    def _where(self, i):
        return f"for input ({', '.join(shown(a) for a in self.cases[i])})"

    def _describe(self, i, outcome, results, printed):
        """The sentence for the first case the function gets wrong (results: what it did on every case)."""
        kind, detail = results[i]
        where = self._where(i)
        if kind == "timeout":
            return self._invalid(f"your function ran longer than {self.time_limit:g} s {where}: is there an "
                                 "endless loop?")
        if kind == "error":
            message = str(outcome.error)[:120]
            return self._invalid(f"your function raised {detail} ({message}) {where}.")
        if kind == "none":
            said = " It printed its result: use `return`, not `print`." if printed else ""
            return self._invalid(f"your function returned None {where}. Did you forget `return`?{said}")
        if kind == "unreadable":
            return self._invalid(f"{detail[0].upper()}{detail[1:]} ({where}).")
        if any(g.shape != w.shape and not (w.shape == () and g.size == 1)
               for g, w in zip(detail, self.expected[i][1], strict=True)):
            shapes = ", ".join(str(g.shape) for g in detail)
            wanted = ", ".join(str(w.shape) for w in self.expected[i][1])
            wanted = "one number, shape ()" if wanted == "()" else wanted
            return self._invalid(f"your function returned shape {shapes} {where}; it should be {wanted}.")
        near_miss = explain_near_miss(results, self.expected, i, outcome.value, self._same, self.atol, self.hint)
        if near_miss:
            return Feedback("wrong", f"{NOT_YET}: {where} {near_miss}")
        got = ", ".join(f"{float(p):.4g}" if np.ndim(p) == 0 else shown(p) for p in detail)  # -1, not "-1."
        overflow = any(not np.all(np.isfinite(g)) and np.all(np.isfinite(w))
                       for g, w in zip(detail, self.expected[i][1], strict=True))
        said = " (nan or inf: a number overflowed, or was divided by 0, on the way)" if overflow else ""
        return self._wrong(f"{where} your function returned {got}{said}. ")
