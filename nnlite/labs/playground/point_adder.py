"""Points added by a click on the class regions, of a chosen class, with undo and clear (TensorFlow
Playground's users asked for this: its issues #20, #54, #102, #104).

A click at (x1, x2) adds a point of the class picked in `label` (an existing class, or a new one, up
to 10) to the points of the run on screen; the first click on a course data set makes those points
your own ("own" data, see `own_data`), so you can add to a spiral what it lacks. Every click is a new
run, as a moved control is (the code line must stay true). `undo` takes the last click back, `clear`
all of them: both return to the data set and points as they were, not to a copy of them.

The keyboard does all of it too: the picture is in the Tab order (nnlite.pointer: the arrow keys move a
cross, Enter adds the point), and what a click did is said in the panel's live region.
"""

import ipywidgets as widgets

from ... import colors
from ...access import name_control
from ...datasets import MAX_CLASSES
from ...pointer import Pointer
from ...widgets import dropdown
from .own_data import OwnData
from .settings import OWN

HINT = "click adds a point"  # in the regions' title: a click's effect is visible before the first click
# what a click adds to a regression: a target, in TensorFlow Playground's colours (blue +, orange -)
TARGETS = (("target +1 (blue circle)", 1.0), ("target +0.5 (blue circle)", 0.5), ("target 0 (black star)", 0.0),
           ("target \u22120.5 (orange square)", -0.5), ("target \u22121 (orange square)", -1.0))


class PointAdder:
    """The pointer over a RegionsView's picture and the controls beside it (`label`, `undo_button`,
    `clear_button`, in `widget`). `on_points(dataset, data)` is called with the run's new data set and
    own points (an OwnData, or None) after a click, an undo or a clear; `settings()` returns the Settings
    of the run on screen."""

    def __init__(self, regions, settings, on_points):
        self.settings, self.on_points = settings, on_points
        self.pointer = Pointer(regions.live, regions.ax, steps=40,
                               label="Class regions: click to add a point of the chosen class",
                               action="adds a point of the chosen class")
        self.pointer.on_click(self.add)
        self.label = dropdown("add", [("class 0", 0)], 0, name="class of the point a click adds")
        self.label.layout.width = "185px"
        self.undo_button = name_control(widgets.Button(description="undo", icon="reply", tooltip="take the last "
                                                       "added point back", layout=widgets.Layout(width="70px")),
                                        "undo the last added point")
        self.clear_button = name_control(widgets.Button(description="clear", icon="trash", tooltip="take every "
                                                        "added point back", layout=widgets.Layout(width="70px")),
                                         "clear the added points")
        self._offering = False  # True while show_classes sets new options: no choice of the student's
        self.label.observe(self._chosen, names="value")
        self.undo_button.on_click(lambda _: self.undo())
        self.clear_button.on_click(lambda _: self.clear())
        self.before = []  # (dataset, own points) before each click, the last click last
        self.widget = widgets.HBox([self.label, self.undo_button, self.clear_button])
        self.show_classes()

    def show_classes(self):
        """Offer each class of the run's points, and a new one while there are fewer than 10."""
        s = self.settings()
        k = s.classes
        options = [(f"class {c} ({colors.NAMES[c]} {colors.MARKER_NAMES[colors.MARKERS[c]]})", c) for c in range(k)]
        if s.task == "regression":
            options = list(TARGETS)
        elif k < MAX_CLASSES:
            options.append((f"new class {k}", k))
        if tuple(options) != tuple(self.label.options):
            values = [value for _, value in options]
            chosen, self._offering = self.label.value if self.label.value in values else values[0], True
            try:
                self.label.options = options  # (this moves the value to the first option)
                self.label.value = chosen
            finally:
                self._offering = False
        self.undo_button.disabled = self.clear_button.disabled = not self.before

    def _chosen(self, change):  # what the student's choice means, said (and a sign that the kernel has it)
        if not self._offering:
            self.pointer.say(f"A click now adds a point of {self._what(change['new'])}.")

    def add(self, x1, x2):
        """Add a point of the chosen class at (x1, x2) to the run's points: a new run on them."""
        self.show_classes()  # the classes of the run on screen (not kept up to date while the controls were hidden)
        s = self.settings()
        points = s.data if s.dataset == OWN else OwnData(*s.points(), s.task)
        new = points.with_point(x1, x2, self.label.value)
        self.before.append((s.dataset, s.data))
        self.on_points(OWN, new)
        self.show_classes()
        self.pointer.say(f"Added a point of {self._what(self.label.value)} at x1 = {x1:.2f}, x2 = {x2:.2f}: "
                         f"{len(new)} points now.")

    def _what(self, value):
        return f"target {value:g}" if self.settings().task == "regression" else f"class {value}"

    def undo(self):
        """Take the last added point back."""
        if self.before:
            self._back_to(*self.before.pop(), "Took the last added point back.")

    def clear(self):
        """Take every added point back: the data set as it was before the first click."""
        if self.before:
            first = self.before[0]
            self.before = []
            self._back_to(*first, "Took every added point back.")

    def _back_to(self, dataset, data, words):
        self.on_points(dataset, data)
        self.show_classes()
        self.pointer.say(words)
