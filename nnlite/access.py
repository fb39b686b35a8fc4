"""What makes a panel usable by keyboard and screen reader: the pieces ipywidgets lacks.

`Access` is a small front-end element (an anywidget: its JavaScript, access.js, travels in the widget's
state and loads from a blob: URL, offline, in JupyterLab, Notebook 7 and Voila) that `Panel` puts in
every panel. In the browser, with no message per move, it

* names every control for a screen reader: ipywidgets 8's sliders put role="slider" on a handle that
  does not point to the visible description, so a slider is announced without saying what it sets;
  each gets an aria-label (what it changes) and an aria-valuetext (its value and unit);
* makes a live figure's PNG background decorative (alt=""): its words are on the SVG laid over it;
* reads the panel's key result (its text lines marked with the CSS class `ANNOUNCE`) into a polite
  live region once the controls are still, and at most every 4 s while Play runs;
* draws a visible focus ring on the panel's controls, for the keyboard only (access.css).

A control's name and unit: `name_control(control, name, unit)`, e.g.
``name_control(slider("lr", ...), "learning rate", "")`` or ``name_control(epochs, "epochs", "epochs")``;
without it the control's description is its name.
"""

import pathlib

import anywidget
import traitlets

HERE = pathlib.Path(__file__).parent
ANNOUNCE = "nnlite-announce"  # the CSS class of the text lines whose words a screen reader reads after a move


def name_control(control, name=None, unit=""):
    """Say what `control` changes and in what unit, for screen readers: ``name_control(w, "learning rate")``,
    ``name_control(w, "depth", "layers")``. Returns the control. Its description stays what the eye reads."""
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    if not isinstance(unit, str):
        raise TypeError(f"unit must be a string (\"\" for none), got {type(unit).__name__}")
    control.accessible_name = name
    control.accessible_unit = unit
    return control


def words_of(control):
    """(name, unit) of a control: what `name_control` gave it, or its description and no unit."""
    name = getattr(control, "accessible_name", None) or getattr(control, "description", "") or ""
    return name, getattr(control, "accessible_unit", "")


class Access(anywidget.AnyWidget):
    """The front-end helper of one panel (see the module's docstring). `names` maps a CSS class put on a
    control to [name, unit]: sent once, with the panel."""

    _esm = HERE / "access.js"
    _css = HERE / "access.css"
    names = traitlets.Dict().tag(sync=True)

    def name(self, controls):
        """Put a class on each of `controls` and send their names and units (one message, when built)."""
        names = {}
        for i, control in enumerate(controls):
            cls = f"nnlite-control-{i}"
            if cls not in control._dom_classes:
                control.add_class(cls)
            names[cls] = list(words_of(control))
        self.names = names
