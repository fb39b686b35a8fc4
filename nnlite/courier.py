"""One message for every widget a move changed: the courier.

ipywidgets sends each changed widget its own message. A playground move with the network view changes
seven or eight (the diagram's two layers, the output picture, three side figures, the status line):
JupyterLab handles each in a task of its own, and Chromium lays out and paints the page between them,
so the last of them reached the page 8 to 15 ms after the first (a trace, device pixel ratio 2).

`Courier` is an anywidget, one per kernel (`courier()`), never shown. `nnlite.widgets.one_message_each`
hands it the new states of all the widgets it held back; its front end (courier.js) sets them on their
models together, in one task, after any update still on its way to those models. Until a front end has
said it is ready (a kernel without a page: nbval, a test, a script; or the first moment of a page), and
for any state it cannot carry (binary data such as a PNG, a reference to another widget or any value
that is not plain text, numbers or a list of them, a widget the page is changing at that moment), each
widget sends its own message, as ipywidgets does.

A page that opens later (a second tab, a reload) gets every widget's state when it loads; when its
courier says it is ready, the courier sends again the states it carried before, so that a move made
while that page was loading is not lost there.

It relies on three private attributes of ipywidgets 8's widgets (`_holding_sync`, `_states_to_send`,
`_property_lock`, read in `nnlite.widgets.one_message_each` and here), which `missing_private_api` checks.
"""

import pathlib
import weakref

import anywidget
import ipywidgets

PRIVATE = ("_holding_sync", "_states_to_send", "_property_lock")
PLAIN = (str, int, float, bool, type(None))


def missing_private_api():
    """The ipywidgets attributes `one_message_each` and the courier rely on that this ipywidgets lacks."""
    widget = ipywidgets.HTML()
    try:
        return [f"Widget.{name}" for name in PRIVATE if not hasattr(widget, name)]
    finally:
        widget.close()


class Courier(anywidget.AnyWidget):
    """Carries the new states of many widgets in one message (see the module's docstring)."""

    _esm = pathlib.Path(__file__).with_name("courier.js")

    def __init__(self):
        super().__init__()
        self.ready = False  # True once a front end said it listens
        self.messages = 0  # messages carried so far (tests read it)
        self._carried = weakref.WeakValueDictionary()  # model id -> a widget whose state went through here
        self._names = {}  # model id -> the names of its traits that did
        self.on_msg(self._heard)

    def _heard(self, _widget, content, _buffers):
        if content != {"ready": True}:
            return
        if self.ready:  # another page (or the same one, reloaded): what went through here before, again
            self._send_states({id_: widget.get_state(self._names[id_]) for id_, widget in self._carried.items()
                               if widget.comm is not None})
        self.ready = True

    def deliver(self, changes):
        """Send `changes`, [(widget, names of its changed traits)], to the page: one message for all that
        the courier can carry (when a front end listens), one per widget for the rest. A widget closed
        meanwhile sends nothing."""
        carried = {}
        for widget, names in changes:
            if widget.comm is None:
                continue
            if self.ready and self.comm is not None and not widget._property_lock:
                state = widget.get_state(names)
                if all(_plain(value) for value in state.values()):
                    carried[widget.model_id] = state
                    self._carried[widget.model_id] = widget
                    self._names[widget.model_id] = self._names.get(widget.model_id, set()) | set(names)
                    continue
            widget.send_state(names)
        self._send_states(carried)

    def _send_states(self, states):
        if states:
            self.send({"states": states})
            self.messages += 1
        for id_ in set(self._names) - set(self._carried):  # widgets gone since
            del self._names[id_]


def _plain(value):
    """Text, a number, True/False, None or a list of them, and not a reference to another widget: what the
    front end can set as it comes (without the deserializer a widget type may have for its traits)."""
    values = value if isinstance(value, (list, tuple)) else [value]
    return all(isinstance(v, PLAIN) and not (isinstance(v, str) and v.startswith("IPY_MODEL_")) for v in values)


_COURIER = []


def courier():
    """The kernel's Courier, made at the first call (and again if it was closed)."""
    if not _COURIER or _COURIER[0].comm is None:
        _COURIER[:] = [Courier()]
    return _COURIER[0]
