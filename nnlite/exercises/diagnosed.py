"""Answers judged by a diagnosis written for the exercise: weights, settings, anything else.

When many different answers are right (any weights that make a network compute |x|), a
check cannot compare with one value: it asks what the answer DOES and names what is off.
`read` turns the answer into a value or a sentence; `diagnose` returns the diagnosis, one of
the keys of the mistakes table (or "correct", or "wrong" for what no entry names), with the
details in words. Each entry's answer is a typical answer with that diagnosis, and building
the exercise checks that it gets it: the table cannot drift from the diagnosis. (Where a
diagnosis trains a network, `check_table=False` leaves that to the tests, which grade every
entry's answer, so that importing the exercise trains nothing.)
"""

from . import Exercise
from .answers import read_numbers, shown


def _blank(value):
    """True where a template's ... or None is left, at any depth of lists and tuples."""
    if value is None or value is Ellipsis:
        return True
    return isinstance(value, (list, tuple)) and any(_blank(v) for v in value)


WORDS = {1: "one", 2: "two", 3: "three", 4: "four"}


def read_fields(answer, fields, name, units=None):
    """A dict of numbers: (dict of float arrays, None) or (None, a sentence). `fields` maps each key
    to its shape, where "n" stands for one length shared by every such field: at least 1, or
    exactly `units` (the number of units a network is asked to have) when that is given."""
    if not isinstance(answer, dict):
        keys = ", ".join(repr(k) for k in fields)
        return None, f"{name} should be a dict with the keys {keys}; it is {shown(answer)}."
    missing = [k for k in fields if k not in answer]
    extra = [k for k in answer if k not in fields]
    if missing or extra:
        said = f"has no {missing[0]!r}" if missing else f"has a key {extra[0]!r} the exercise does not use"
        return None, f"{name} {said}: its keys are {', '.join(repr(k) for k in fields)}."
    values, length = {}, None
    for key, shape in fields.items():
        if _blank(answer[key]):
            return None, f"{name}[{key!r}] still has a blank (... or None): fill in every number."
        array, problem = read_numbers(answer[key], None if shape == "n" else shape, what=f"{name}[{key!r}]")
        if problem is None and shape == "n" and (array.ndim != 1 or array.size == 0):
            problem = f"{name}[{key!r}] should be a list of numbers, one per unit; it is {shown(answer[key])}."
        if problem:
            return None, problem
        if shape == "n":
            if length not in (None, array.size):
                return None, f"the lists in {name} should all have the same length (one number per unit)."
            length = array.size
        values[key] = array
    if units is not None and length is not None and length != units:
        keys = [k for k, shape in fields.items() if shape == "n"]
        lists = " and ".join([", ".join(keys[:-1]), keys[-1]] if len(keys) > 1 else keys)
        asked, have = WORDS.get(units, units), WORDS.get(length, length)
        return None, (f"your network has {have} unit{'s' if length != 1 else ''} ({have} number"
                      f"{'s' if length != 1 else ''} in each list), and the exercise asks for {asked}: give "
                      f"{asked} numbers in each of {lists}.")
    return values, None


class DiagnosedExercise(Exercise):
    """An answer read by `read` and judged by `diagnose` (see the module's docstring)."""

    def __init__(self, title, read, diagnose, mistakes, hint="Reread the section this exercise is about.", why="",
                 check_table=True):
        super().__init__(title, list(mistakes.values()), hint, why)
        self.read, self.diagnose = read, diagnose
        self.by_diagnosis = dict(mistakes)
        for diagnosis, mistake in self.by_diagnosis.items() if check_table else ():
            value, problem = read(mistake.answer)
            found = None if problem else diagnose(value)[0]
            if found != diagnosis:
                raise ValueError(f"{title}: the example of {diagnosis!r} is diagnosed {found!r}")

    def _grade(self, answer):
        value, problem = self.read(answer)
        if problem:
            return self._invalid(problem)
        diagnosis, details = self.diagnose(value)
        if diagnosis == "correct":
            return self._correct(details)
        if diagnosis in self.by_diagnosis:
            return self._mistake(self.by_diagnosis[diagnosis], details)
        return self._wrong(f"{details} " if details else "")

