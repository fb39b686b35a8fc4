"""One message for every widget a move changed: the courier.

ipywidgets sends each changed widget its own message. A playground move with the network view changes
seven or eight (the diagram's two layers, the output picture, three side figures, the status line):
JupyterLab handles each in a task of its own, and Chromium lays out and paints the page between them,
so the last of them reached the page 8 to 15 ms after the first (a trace, device pixel ratio 2).

`Courier` is an anywidget, one per kernel (`courier()`), never shown. `nnlite.widgets.one_message_each`
hands it the new states of all the widgets it held back; its front end (courier.js) sets them on their
models together, in one task, as their own messages would have. Until that front end has said it is
ready (a kernel without a page: nbval, a test, a script; or the first moment of a page), and for any
state it cannot carry (binary data such as a PNG, a reference to another widget, a widget the front
end is changing at that moment), each widget sends its own message, as ipywidgets does.

A second page opened on the same kernel gets every widget's state when it loads; a move made in the
instant between its models being made and its courier being ready reaches it only at the next move.
"""

import json
import pathlib

import anywidget
from ipywidgets.widgets.widget import _remove_buffers


class Courier(anywidget.AnyWidget):
    """Carries the new states of many widgets in one message (see the module's docstring)."""

    _esm = pathlib.Path(__file__).with_name("courier.js")

    def __init__(self):
        super().__init__()
        self.ready = False  # True once a front end said it listens
        self.on_msg(self._heard)

    def _heard(self, _widget, content, _buffers):
        if content == {"ready": True}:
            self.ready = True

    def deliver(self, changes):
        """Send `changes`, [(widget, names of its changed traits)], to the page: one message for all that
        the courier can carry (when its front end is ready), one per widget for the rest."""
        carried = {}
        for widget, names in changes:
            state = widget.get_state(names)
            if self.ready and _carriable(widget, state):
                carried[widget.model_id] = state
            else:
                widget.send_state(names)
        if carried:
            self.send({"states": carried})


def _carriable(widget, state):
    """Whether a state can go through the courier: no binary data, no reference to another widget (its
    front end sets values as they are), and no trait the front end is changing now (ipywidgets keeps
    those in step with a lock)."""
    _, _, buffers = _remove_buffers(state)
    return not buffers and not widget._property_lock and "IPY_MODEL_" not in json.dumps(state, default=str)


_COURIER = []


def courier():
    """The kernel's Courier, made at the first call."""
    if not _COURIER:
        _COURIER.append(Courier())
    return _COURIER[0]
