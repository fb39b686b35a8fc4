"""Clicks, hovers and keys on a live figure, in the data coordinates of one of its axes.

    pointer = Pointer(live, ax, label="Class regions: add a point", action="adds a point")
    pointer.on_click(lambda x, y: ...)   # data coordinates of `ax`; pointer.source says "mouse", "keyboard", ...
    pointer.on_hover(lambda x, y: ...)   # x = y = None when the pointer (or the keyboard's cross) left the axes
    pointer.say("Added a class A point at x = 0.52, y = -0.31.")   # read out by screen readers

`Pointer` is a transparent, focusable layer that `LiveFigure` (or one figure of a `LiveRow`) gets on top
of its picture. Its front end (pointer.js) maps the pointer from CSS pixels to figure points (the layer is
as large as the picture however far the page scaled it down, and at any device pixel ratio) and from
figure points to data with the axes' transform, which the kernel sends once per layout change (new
limits, a full redraw that moved the axes), never per move. A click is taken where the button went up:
Chromium gives a click's position in whole CSS pixels, its pointerup's to a fraction of one.

The keyboard gets the same: the layer is in the Tab order; the arrow keys move a cross over the axes
(Shift: ten steps), Enter or Space clicks where it is, Home puts it back in the middle, Tab leaves.
`say` writes into the panel's live region (`nnlite.access`) when the figure is in a `Panel`, else into
the layer's own.

Why anywidget? ipywidgets has no pointer events on an Image or HTML widget. ipympl has them, but it
redraws and ships the whole figure, which LiveFigure exists to avoid. ipyevents reports clicks on any
widget, but it hears keys only while the MOUSE is over the widget and is not in the Tab order, so a
student without a mouse could not add a point; nor can it draw a cross or speak through a live region.
anywidget (MIT, maintained, already what `nnlite.access` is built on) lets this module ship its own
~200 lines of JavaScript, sent in the widget's state and imported from a blob: URL: no CDN, no build,
the same in JupyterLab, Notebook 7 and Voila.

`hit_network` names what of a network diagram (`viz.draw_network`) is under a point: "unit 2 of
layer 1", "the weight from x₁ to unit 3 of layer 1".
"""

import pathlib
from typing import NamedTuple

import anywidget
import ipywidgets as widgets
import numpy as np
import traitlets

from ._validate import check_int, check_number
from .widgets import LiveFigure, LiveRow

HERE = pathlib.Path(__file__).parent
SCALES = ("linear", "log")  # the axis scales the front end maps (a log axis of any base)


class Pointer(anywidget.AnyWidget):
    """A layer over `view`'s picture (a LiveFigure, or the LiveRow figure that holds `ax`) that reports
    clicks and hovers in `ax`'s data coordinates (see the module's docstring).

    `label`: what the figure is for, as a screen reader says it; `action`: what Enter or Space does, for the
    help it reads ("adds a point"); `steps`: arrow presses from one side of the axes to the other.
    An error in a callback is shown on the figure and said, in words; the layer keeps working.
    """

    _esm = HERE / "pointer.js"
    _css = HERE / "pointer.css"
    label = traitlets.Unicode().tag(sync=True)
    help = traitlets.Unicode().tag(sync=True)
    steps = traitlets.Int(50).tag(sync=True)
    geometry = traitlets.Dict().tag(sync=True)  # figure size and axes box in points, and each axis' scale and limits
    error = traitlets.Unicode().tag(sync=True)

    def __init__(self, view, ax, label="Figure", action="clicks", steps=50):
        live = _figure_of(view, ax)
        for name, value in (("label", label), ("action", action)):
            if not isinstance(value, str) or not value:
                raise TypeError(f"{name} must be a non-empty string, got {value!r}")
        super().__init__(label=label, steps=check_int(steps, "steps", minimum=2),
                         help=(f"Arrow keys move a cross over the figure, Shift with an arrow ten steps at a time. "
                               f"Enter or Space {action} where the cross is. Home puts it back in the middle. "
                               f"Tab leaves the figure."),
                         geometry=axes_geometry(ax),
                         layout=widgets.Layout(grid_area="figure", width="100%", height="100%", margin="0"))
        self.ax = ax
        self.source = None  # during a callback: "mouse", "touch", "pen" or "keyboard"
        self._callbacks = {"click": [], "hover": []}
        # new limits or a layout that moved the axes: the front end's transform follows (bound methods are
        # held weakly by matplotlib, so a layer that is gone is not kept alive by its figure)
        ax.callbacks.connect("xlim_changed", self.sync)
        ax.callbacks.connect("ylim_changed", self.sync)
        live.canvas.mpl_connect("draw_event", self.sync)
        self.on_msg(self._on_message)
        live.widget.children = (*live.widget.children, self)  # in the picture's grid cell, above its overlays

    def sync(self, *_event):
        """Send the axes' place and limits if they changed (a traitlet sends nothing when they did not)."""
        self.geometry = axes_geometry(self.ax)

    def on_click(self, callback):
        """Call ``callback(x, y)`` on a click (or Enter, Space) inside the axes. Returns `callback`, so that
        ``@pointer.on_click`` can decorate it."""
        self._callbacks["click"].append(callback)
        return callback

    def on_hover(self, callback):
        """Call ``callback(x, y)`` as the pointer or the keyboard's cross moves over the axes (at most one
        position at a time is on its way: the front end sends the next once this one is handled), and
        ``callback(None, None)`` when it leaves them."""
        self._callbacks["hover"].append(callback)
        return callback

    def say(self, text):
        """Have screen readers read `text` (politely, after what they are saying): what a click did."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a string, got {type(text).__name__}")
        self.send({"event": "say", "text": text})

    def _on_message(self, _widget, content, _buffers):
        event = content.get("event") if isinstance(content, dict) else None
        if event not in ("click", "hover", "leave"):
            return
        try:
            if event == "leave":
                x = y = None
            else:
                x, y = (check_number(content.get(k), f"the {event}'s {k}") for k in ("x", "y"))
            self.source = content.get("source", "mouse")
            for callback in self._callbacks["click" if event == "click" else "hover"]:
                callback(x, y)
            if self.error:
                self.error = ""
        except Exception as error:  # shown and said: in JupyterLab an error in a callback is otherwise lost
            self.error = f"Could not handle the {event}: {type(error).__name__}: {error}"
            self.say(self.error)
        finally:
            self.source = None
            if event != "click":
                self.send({"event": "ack"})  # the front end sends the next position once this one is handled


def axes_geometry(ax):
    """What the front end needs to map figure points to `ax`'s data: the figure's size and the axes' box in
    points (from the top left, as the browser measures), and each axis' scale and limits."""
    fig = ax.figure
    points = 72 / fig.dpi  # display pixels -> points
    x0, y0, x1, y1 = ax.bbox.extents * points  # from the bottom left, as matplotlib draws
    width, height = fig.bbox.width * points, fig.bbox.height * points
    axes = {}
    for name, scale, limits in (("x", ax.get_xscale(), ax.get_xlim()), ("y", ax.get_yscale(), ax.get_ylim())):
        if scale not in SCALES:
            raise ValueError(f"the pointer maps {' and '.join(SCALES)} axes; ax's {name} scale is {scale!r}")
        axes[name] = [scale, float(limits[0]), float(limits[1])]
    return {"size": [float(width), float(height)],
            "axes": [float(x0), float(height - y1), float(x1), float(height - y0)], **axes}


def _figure_of(view, ax):
    """The LiveFigure of `view` that draws `ax`, or a clear error."""
    figures = view.figures if isinstance(view, LiveRow) else [view] if isinstance(view, LiveFigure) else None
    if figures is None:
        raise TypeError(f"view must be a LiveFigure or a LiveRow, got {type(view).__name__}")
    for live in figures:
        if ax in live.fig.axes:
            return live
    raise ValueError("ax must be an axes of the view's figure (one of live.subplots()), got one of another figure")


SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


class NetworkPart(NamedTuple):
    """A unit or a weight of a network diagram. Indices count from 0, as in the arrays; `words` from 1.

    A unit: `layer` is its layer (0 = the inputs), `unit` its place in the layer, `source` is None.
    A weight: `layer` is the layer it feeds and `unit` the unit it feeds, `source` the unit it comes from:
    its value is ``model.layers[layer - 1].W[source, unit]``.
    """

    kind: str  # "unit" or "weight"
    layer: int
    unit: int
    source: int | None
    words: str


def unit_words(layer, unit, n_layers):
    """A unit in words: "x₁" (an input), "unit 2 of layer 1", "unit 1 of layer 3, the output"."""
    if layer == 0:
        return f"x{str(unit + 1).translate(SUBSCRIPTS)}"
    return f"unit {unit + 1} of layer {layer}" + (", the output" if layer == n_layers - 1 else "")


def hit_network(x, y, positions, ax, unit_radius=15.0, tolerance=4.0):
    """The part of a network diagram at the data point (x, y) of `ax`: a `NetworkPart`, or None.

    `positions`: each layer's units as an (n, 2) array of data coordinates, inputs first
    (`viz.network_positions(sizes)`). Distances are measured on the screen, in points, whatever the
    axes' aspect: a unit is hit within `unit_radius` of its centre (`viz.draw_network`'s circles have
    a radius of 15 points), a weight within `tolerance` of its line; a unit wins over the lines that
    end in it, and the nearest line over the others (where two lines cross, either is as near).
    """
    check_number(unit_radius, "unit_radius", low=0)
    check_number(tolerance, "tolerance", low=0)
    layers = [np.asarray(p, dtype=float).reshape(-1, 2) for p in positions]
    if len(layers) < 2 or not all(len(layer) for layer in layers):
        raise ValueError(f"positions must hold at least 2 layers of at least one unit each, got "
                         f"{[len(layer) for layer in layers]} units")
    scale = 72 / ax.figure.dpi  # display pixels -> points
    here = ax.transData.transform([[x, y]])[0] * scale
    units = [ax.transData.transform(layer) * scale for layer in layers]
    nearest = []  # (distance, layer, unit): the nearest unit of each layer
    for layer, centres in enumerate(units):
        distance = np.hypot(*(centres - here).T)
        nearest.append((distance.min(), layer, int(distance.argmin())))
    distance, layer, unit = min(nearest)
    if distance <= unit_radius:
        return NetworkPart("unit", layer, unit, None, unit_words(layer, unit, len(layers)))
    best = None
    for layer in range(1, len(units)):
        start, end = units[layer - 1][:, None, :], units[layer][None, :, :]  # (n_in, 1, 2), (1, n_out, 2)
        along = end - start
        length2 = np.maximum((along ** 2).sum(-1), 1e-12)
        t = np.clip(((here - start) * along).sum(-1) / length2, 0, 1)
        distance = np.hypot(*np.moveaxis(start + t[..., None] * along - here, -1, 0))  # (n_in, n_out)
        source, unit = np.unravel_index(distance.argmin(), distance.shape)
        if distance[source, unit] <= tolerance and (best is None or distance[source, unit] < best[0]):
            best = (distance[source, unit], layer, int(unit), int(source))
    if best is None:
        return None
    _, layer, unit, source = best
    words = (f"the weight from {unit_words(layer - 1, source, len(layers))} "
             f"to {unit_words(layer, unit, len(layers))}")
    return NetworkPart("weight", layer, unit, source, words)
