"""Your own points in the playground: `OwnData`, what ``playground(X, y)`` trains on and what a click on
the class regions adds to (TensorFlow Playground's users asked for both: its issues #20, #54, #102).

OwnData is checked once, when it is made, by ``nl.datasets.from_arrays`` (2-D points, class labels 0 to
K-1 with 2 <= K <= 10, every class used), and never changes: adding a point makes a new OwnData. So a
Settings that holds one can be compared with another (a new point is a new run, as a moved slider is),
and undo is simply the OwnData from before.
"""

import numpy as np

from ... import datasets
from ..._validate import check_int, check_number


class OwnData:
    """Points X (N, 2) and their classes y (N,), checked, copied and read-only; `classes` is K. With
    task="regression", y holds real targets instead (TensorFlow Playground's colours: blue for
    positive, orange for negative, full at 1 and -1), and `classes` is 1 (one output unit)."""

    def __init__(self, X, y, task="classification"):
        self.X, self.y = datasets.from_arrays(X, y, task)  # copies: changing your arrays later changes nothing
        self.X.flags.writeable = self.y.flags.writeable = False
        self.task = task
        self.classes = 1 if task == "regression" else int(self.y.max()) + 1

    def __len__(self):
        return len(self.y)

    def __eq__(self, other):
        return (isinstance(other, OwnData) and self.task == other.task and np.array_equal(self.X, other.X)
                and np.array_equal(self.y, other.y))

    def __hash__(self):
        return hash((self.task, self.X.tobytes(), self.y.tobytes()))

    def __repr__(self):
        what = "real targets" if self.task == "regression" else f"{self.classes} classes"
        return f"OwnData({len(self)} points, {what})"

    def with_point(self, x1, x2, label):
        """A new OwnData: these points and one more, at (x1, x2), of class `label` (0 to `classes`: an
        existing class, or the next new one), or for a regression of target `label` (a number)."""
        point = [check_number(x1, "x1"), check_number(x2, "x2")]
        if self.task == "regression":
            return OwnData(np.vstack([self.X, point]), np.append(self.y, check_number(label, "label")), self.task)
        label = check_int(label, "label", minimum=0)
        if label > min(self.classes, datasets.MAX_CLASSES - 1):
            raise ValueError(f"label must be a class 0 to {self.classes - 1}, or {self.classes} for a new class "
                             f"(at most {datasets.MAX_CLASSES} classes), got {label}")
        return OwnData(np.vstack([self.X, point]), np.append(self.y, label))


def as_own_data(value, name="data"):
    """An OwnData from an OwnData, a pair (X, y) or a triple (X, y, task), with an error that says what is
    expected."""
    if isinstance(value, OwnData):
        return value
    if not isinstance(value, (tuple, list)) or len(value) not in (2, 3):
        raise TypeError(f"{name} must be your points as a pair (X, y): X with one row (x1, x2) per point, y their "
                        f"classes 0, 1, ... (or (X, y, 'regression') for real targets); got {type(value).__name__}")
    return OwnData(*value)
