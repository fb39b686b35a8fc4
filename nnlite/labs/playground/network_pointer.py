"""What the pointer does on the network diagram: hover a unit or a weight to read its numbers, click a unit
to keep it, click a weight to type its new value (TensorFlow Playground's hover card, src/playground.ts
``updateHoverCard``, which also turns into a number field on a click).

The words go to the line under the figures and, for screen readers, to the pointer's live region
(`Pointer.say`); the keyboard's cross (arrows, then Enter) does all that the mouse does.
"""

import math

import ipywidgets as widgets

from ...access import name_control
from ...pointer import Pointer, hit_network
from ...widgets import text_line
from .network_words import signed

# one line on a laptop (the panel must fit its screen); the diagram's text alternative says the rest
IDLE = ("Squares: each unit's output over the plane (blue +, orange \u2212). Lines: weights (dashed if negative). "
        "Hover a unit or a weight; click a weight to edit it.")


class NetworkPointer:
    """The `pointer` over a NetworkView's diagram, its `readout` line and its weight `editor` (shown in
    `widget`). `hovered` and `selected` are the parts (nnlite.pointer.NetworkPart) under the pointer and
    clicked last; `part` is the one shown: the hovered one, else the selected one."""

    def __init__(self, view):
        self.view = view
        self.pointer = Pointer(view.diagram.live, view.diagram.ax, steps=80,
                               label="Network diagram: hover a unit for its formula, a weight for its value",
                               action="selects the unit or weight (a weight: then type its new value)")
        self.pointer.on_hover(self.hover)
        self.pointer.on_click(self.click)
        self.readout = text_line(IDLE)
        # two lines, always: a hover's longer formula must not push the views below off a laptop's screen
        self.readout.layout.flex, self.readout.layout.overflow = "1 1 0", "auto"
        self.readout.layout.height = "calc(2 * var(--jp-widgets-inline-height, 28px))"
        # a Text, not a FloatText: ipywidgets' number fields cannot be focused from the kernel (their view
        # focuses its outer box), and a text that is not a number gets a sentence, not a silent refusal
        self.editor = name_control(widgets.Text(description="new w", continuous_update=False, layout=widgets.Layout(
            width="150px", display="none")), "the selected weight")
        self.editor.observe(self._edited, names="value")
        self.widget = widgets.HBox([self.readout, self.editor], layout=widgets.Layout(width="100%"))
        self.hovered = self.selected = None
        self.edit_callbacks = []  # called with (part, old, new) after an edit
        self._setting = False  # True while the kernel itself sets the editor's value

    @property
    def part(self):
        return self.hovered or self.selected

    def forget(self):
        """A network of other sizes: nothing is hovered or selected any more."""
        self.hovered = self.selected = None
        self.editor.layout.display = "none"

    def part_at(self, x, y):
        """The unit or weight at (x, y) of the diagram (points), or None."""
        layout = self.view.diagram.layout
        return hit_network(x, y, layout.positions, self.view.diagram.ax, unit_radius=0.6 * layout.tile,
                           tolerance=3.0)

    def hover(self, x, y):
        """The pointer moved to (x, y) (None: it left the diagram): show and say the part under it."""
        part = None if x is None or self.view.model is None else self.part_at(x, y)
        if part == self.hovered:
            return
        self.hovered = part
        self.view.show_part(self.part)
        if part is not None:
            self.pointer.say(self.readout.value)

    def click(self, x, y):
        """Select the unit or weight at (x, y) (clicked again, or nothing there: none); a weight opens the editor."""
        part = None if self.view.model is None else self.part_at(x, y)
        self.selected = None if part == self.selected else part
        editing = self.selected is not None and part.kind == "weight"
        if editing:
            self._setting = True
            self.editor.value = f"{self.view.model.layers[part.layer - 1].W[part.source, part.unit]:.4g}"
            self._setting = False
        self.editor.layout.display = "" if editing else "none"
        self.view.show_part(self.part)
        if editing:
            self.editor.focus()
        said = "Nothing selected." if self.selected is None else f"Selected: {self.view.describe(self.selected)}"
        self.pointer.say(said + (" Type its new value and press Enter." if editing else ""))

    def _edited(self, change):
        part = self.selected
        if self._setting or part is None or part.kind != "weight":
            return
        try:
            new = float(change["new"].replace("\u2212", "-"))  # a minus sign copied from the readout counts too
        except ValueError:
            new = math.nan
        if not math.isfinite(new):
            self.readout.value = f"A weight must be a finite number, such as 0.5 or -1.2; got {change['new']!r}."
            self.pointer.say(self.readout.value)
            return
        W = self.view.model.layers[part.layer - 1].W
        old, W[part.source, part.unit] = float(W[part.source, part.unit]), new
        self.view.draw(self.view.model)
        for callback in self.edit_callbacks:
            callback(part, old, float(new))
        name = self.view.name(part)
        self.pointer.say(f"{name[0].upper()}{name[1:]} is now {signed(new, first=True)} "
                         f"(it was {signed(old, first=True)}).")
