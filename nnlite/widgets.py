"""Building blocks for interactive figures that answer at once.

Every interactive figure in the course is three small pieces:

1. a pure function that computes (tested without any widget);
2. a view that owns a `LiveFigure` (or a `LiveRow` of them) and updates its artists in place;
3. thin wiring: `Panel` connects controls to the view and shows errors in words.

Why not ``%matplotlib inline`` + ``interact`` or ipympl? Both redraw the whole figure,
ticks and text included, on every move, and ship it as a picture. `LiveFigure` renders
the static parts (axes, ticks, labels) once, as a PNG in an ``ipywidgets.Image``, and
draws the artists that change as SVG in an ``ipywidgets.HTML`` laid over it. Measured
in JupyterLab (``benchmarks/latency.py``): swapping any picture costs the browser about
twice the round trip of echoing a number into a Label (the image must be fetched and
decoded before it shows), while replacing an SVG costs about 1.2 times that round trip.
A changing picture (``imshow``) goes into the SVG as its own small PNG of data pixels,
which the browser scales up.

Sharp on HiDPI screens: every picture has two image pixels per CSS pixel (`PIXEL_RATIO`),
is shown at its CSS size, and is PNG, never JPEG: JPEG rings around small text.

For every student: each redraw puts the figure's text alternative (`viz.text_alternative`: written
from its artists, or the lab's own words) on the SVG laid over the picture, and every Panel names its
controls for screen readers, reads its key result into a live region, and shows its figures' numbers
as a table on request (`nnlite.access`).
"""

import base64
import contextlib
import html
import itertools
import time

import ipywidgets as widgets
import matplotlib as mpl
from ipywidgets.widgets.widget_description import DescriptionWidget
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import QuadMesh
from matplotlib.figure import Figure

from . import render, viz
from .access import ANNOUNCE, Access, name_control, words_of
from .courier import courier

PIXEL_RATIO = 2  # image pixels per CSS pixel: sharp on HiDPI laptops (device pixel ratio 2)


class SvgLayers:
    """The SVG pictures laid over a LiveFigure's background: one ``ipywidgets.HTML`` per layer (the
    first drawn lowest), each showing its artists as one transparent SVG the size of the figure,
    scaled to its width (written by `nnlite.render`). An image (``imshow``) goes in as a PNG of its
    data pixels, one per array element, which the browser scales up at the screen's own resolution:
    smoothly, unless the image asked for ``interpolation="nearest"``.

    Each artist's piece of SVG is kept: an artist that did not change since (matplotlib's ``stale``
    flag is off, and no axis limits changed) reuses its piece. The playground's 300 data points, for
    one, are written once per data set instead of on every move (writing them was half of a move's time).
    """

    _made = itertools.count()  # every SvgLayers of this kernel gets a number: its SVGs' clip ids differ

    def __init__(self, fig):
        self.fig = fig
        self.ids = f"nnlite{next(SvgLayers._made)}"  # with the layer: the clip ids of each SVG (render.artists_svg)
        self.widgets = [self._new_widget()]
        self.own = set()  # the layers the browser keeps apart (see add)
        self.layer = {}  # artist -> the layer it is drawn in
        self.pieces = {}  # artist -> its SVG, while it has not changed
        self.watched = []  # axes whose limit changes empty that cache

    @staticmethod
    def _new_widget():
        return widgets.HTML(layout=widgets.Layout(grid_area="figure", width="100%", margin="0"))

    def add(self, artists, layer, own_layer=False):
        """Draw `artists` in `layer` from now on (adding the layers up to it that are missing). `own_layer`:
        the browser keeps that layer's painted pixels apart (`render.svg_document`), for a layer that changes
        less often than one under it: the playground's weight lines, over unit pictures that change on every
        move, were painted again with them (19 ms of a move's raster time for their dashes alone)."""
        while len(self.widgets) <= layer:
            self.widgets.append(self._new_widget())
        if own_layer:
            self.own.add(layer)
        for artist in artists:
            if self.layer.get(artist, layer) != layer:
                self.pieces.pop(artist, None)  # written with the clip ids of its old layer (its `ids`)
            self.layer[artist] = layer
            if artist.axes is not None and artist.axes not in self.watched:  # new limits move every artist
                self.watched.append(artist.axes)
                for event in ("xlim_changed", "ylim_changed"):
                    artist.axes.callbacks.connect(event, lambda _axes: self.forget())

    def forget(self):
        """Write every artist afresh next time (the figure's layout or size changed)."""
        self.pieces.clear()

    def svg(self, artists, label=None, own_layer=False, layer=0):
        """`artists` (of `layer`) as one SVG document; `label`: the figure's text alternative (`render.svg_document`).
        Each layer of each figure names its clip paths apart from every other SVG on the page: a clip path of
        the same id in a layer below would clip this one, and repaint it whenever that layer changes."""
        changed = [artist for artist in artists if artist not in self.pieces or artist.stale]
        if changed:  # else the figure's dpi is not even switched (0.1 ms each way)
            self.pieces.update(zip(changed, render.artists_svg(self.fig, changed, ids=f"{self.ids}.{layer}"),
                                   strict=True))
        width, height = self.fig.get_size_inches() * 72
        return render.svg_document([self.pieces[artist] for artist in artists], width, height, label, own_layer)

    def draw(self, artists, label):
        """Show each layer's visible `artists` in its widget; `label` (what a screen reader reads) on the lowest."""
        for i, overlay in enumerate(self.widgets):
            overlay.value = self.svg([a for a in artists if self.layer[a] == i and a.get_visible()],
                                     label=label if i == 0 else None, own_layer=i in self.own, layer=i)


class LiveFigure:
    """A matplotlib Figure that redraws only what changes, shown by ``live.widget``.

    Create artists on ``live.fig`` / the axes from ``live.subplots(...)``; register the
    ones that change with ``live.animate(artist, ...)``; after changing them call
    ``live.redraw()``. Call ``live.redraw(full=True)`` when something static changed
    (axis limits, tick labels): then the background is rendered again.
    With ``vector=False`` every redraw ships the whole figure as one PNG (blitting on the
    kernel side); views that cache finished pictures use that.
    `figsize` is in inches at the screen's dpi; on a projector (`viz.presentation`) a wide
    figure is made narrower so that it is not shrunk to fit the page (`viz.fit_figsize`).
    """

    def __init__(self, figsize=(8, 3.6), dpi=None, vector=True):
        self.dpi = dpi or mpl.rcParams["figure.dpi"]  # CSS pixels per inch
        figsize = viz.fit_figsize(figsize, self.dpi)
        self.fig = Figure(figsize=figsize, dpi=self.dpi * PIXEL_RATIO, layout="constrained")
        self.canvas = FigureCanvasAgg(self.fig)
        width = round(figsize[0] * self.dpi)
        # picture and overlay stacked in one grid cell, both exactly the figure's CSS width (or
        # the page's, when narrower), without the widgets' default margins that would shift them
        self.image = widgets.Image(format="png", layout=widgets.Layout(grid_area="figure", width="100%",
                                                                        height="auto", margin="0"))
        self.svg_layers = SvgLayers(self.fig)
        self.overlays = self.svg_layers.widgets  # one per layer (see animate), the first drawn lowest
        self.overlay = self.overlays[0]
        self.widget = widgets.GridBox([self.image, self.overlay], layout=widgets.Layout(
            grid_template_areas='"figure"', width=f"{width}px", max_width="100%", margin="2px"))
        self.widget.add_class("nnlite-figure")
        self.widget.live_figures = (self,)  # what Panel draws as a still preview
        self.vector = vector
        self.animated = []
        self._background = None
        self.kept = {}  # key -> the pictures of a state drawn before: see redraw()
        self.redraws = 0  # how many times a move was drawn: tests and benchmarks read it
        self.text = ""  # the text alternative of the picture shown, as a screen reader reads it

    def subplots(self, nrows=1, ncols=1, **kwargs):
        """Axes on this figure, as ``Figure.subplots`` makes them."""
        return self.fig.subplots(nrows, ncols, **kwargs)

    def animate(self, *artists, layer=0, own_layer=False):
        """Mark artists as changing: they are drawn on top of the static background.

        Each `layer` is an SVG of its own, over the layers below it. Put artists that change
        rarely (a data set's points) in a layer apart from those that change on every move (the
        picture under them): a layer whose SVG did not change is not sent to the browser, which
        then neither parses nor paints it again; with `own_layer` it is not painted again either
        when a layer under it changes (`SvgLayers.add`).
        """
        self.svg_layers.add(artists, layer, own_layer)
        self.widget.children = (self.image, *self.overlays)  # sends nothing unless a layer was added
        for artist in artists:
            artist.set_animated(True)
            self.animated.append(artist)
        self._background = None
        return artists[0] if len(artists) == 1 else artists

    def resize(self, figsize):
        """Make the figure `figsize` inches (fitted to a projector as at creation); the next redraw renders
        it afresh (its layout, its background and every changing artist)."""
        figsize = viz.fit_figsize(figsize, self.dpi)
        if tuple(self.fig.get_size_inches()) == tuple(figsize):
            return
        self.fig.set_size_inches(figsize)
        self.widget.layout.width = f"{round(figsize[0] * self.dpi)}px"
        self.invalidate()
        self.svg_layers.forget()

    def invalidate(self):
        """Render afresh at the next redraw, as ``redraw(full=True)`` would, and send nothing before then."""
        self._background = None
        self.kept.clear()

    def redraw(self, full=False, key=None):
        """Draw the changing artists over the static background and publish them.

        `key` (any hashable) names the state the artists show, for views with a few states that a
        student visits again and again (03's steps, 06's precomputed runs): the pictures of a state
        drawn before under its key are sent as they were kept, without drawing (until a full redraw).
        """
        if full:
            self.kept.clear()
        if key is not None and key in self.kept and self._background is not None:
            self.image.value, *values, self.text = self.kept[key]  # its words too: `text` is of the state shown
            for overlay, value in zip(self.overlays, values, strict=True):
                overlay.value = value
            return
        as_vectors = self.vector and not any(isinstance(a, QuadMesh) for a in self.animated)
        if full or self._background is None:
            self.canvas.draw()  # animated artists are skipped by a normal draw
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            self.svg_layers.forget()  # the layout may have moved
            if as_vectors:
                self.image.value = render.canvas_png(self.canvas)  # PIXEL_RATIO image pixels a CSS pixel
        self.text = viz.text_alternative(self.fig)  # from the artists as they are drawn now
        if as_vectors:
            self.svg_layers.draw(self.animated, label=self.text)
        else:
            self.image.value = render.blit_png(self.canvas, self._background, self.animated)
            self.overlay.value = self.svg([], label=self.text)  # an empty picture that carries the words
        self.redraws += 1
        if key is not None:
            self.kept[key] = (self.image.value, *(overlay.value for overlay in self.overlays), self.text)

    def picture(self):
        """What the student sees, as bytes: the PNG and the SVG over it (tests compare these)."""
        return bytes(self.image.value) + "".join(overlay.value for overlay in self.overlays).encode()

    def svg(self, artists, label=None):
        """`artists` drawn as one transparent SVG the size of the figure (`SvgLayers.svg`)."""
        return self.svg_layers.svg(artists, label)

    def preview_png(self):
        """The whole figure, changing artists included, at its CSS size (one image pixel per CSS
        pixel, to keep notebooks small): the still picture a notebook shows for a panel whose
        cell has not run yet."""
        self.svg_layers.forget()  # drawing here marks the artists as up to date
        return render.still_png(self.canvas, self.animated, reduce=PIXEL_RATIO)


class LiveRow:
    """Several single-axes LiveFigures side by side that wrap onto the next line when the
    page is narrow (a projector, a laptop with the file browser open), instead of one wide
    figure that the page shrinks. Speaks LiveFigure's language: ``subplots``, ``animate``,
    ``redraw``, ``picture``, ``widget``.

    ``LiveRow(3, panel_size=(4.2, 3.6))``: three panels, each 4.2 x 3.6 inches.
    """

    def __init__(self, n, panel_size=(4.2, 3.6), vector=True):
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"n (the number of panels) must be a positive int, got {n!r}")
        self.figures = [LiveFigure(figsize=panel_size, vector=vector) for _ in range(n)]
        self.widget = widgets.Box([f.widget for f in self.figures], layout=widgets.Layout(
            display="flex", flex_flow="row wrap", align_items="flex-start", width="100%"))
        self.widget.live_figures = tuple(self.figures)

    @property
    def redraws(self):
        return self.figures[0].redraws

    def subplots(self, nrows=1, ncols=1):
        """One axes per panel (nrows * ncols must be the number of panels)."""
        if nrows * ncols != len(self.figures):
            raise ValueError(f"nrows * ncols must be {len(self.figures)} (the number of panels), "
                             f"got {nrows} * {ncols}")
        return [f.subplots() for f in self.figures]

    def animate(self, *artists):
        """Mark artists as changing, each in the panel it was drawn on."""
        for artist in artists:
            next(f for f in self.figures if f.fig is artist.figure).animate(artist)
        return artists[0] if len(artists) == 1 else artists

    def redraw(self, full=False, key=None):
        """Redraw every panel (`key`: see LiveFigure.redraw); a panel whose picture did not change
        sends nothing to the browser."""
        for live in self.figures:
            live.redraw(full, key)

    def picture(self):
        return b"".join(f.picture() for f in self.figures)


# Every control below takes `name` (what it changes, in words, when the description is short: "lr" ->
# "learning rate") and `unit` ("epochs", "" for none): a screen reader says both (`access.name_control`).

def slider(description, min, max, step, value, readout_format=None, name=None, unit=""):
    """A float slider (an int slider when every number is an int), wide enough to read."""
    is_int = all(isinstance(v, int) and not isinstance(v, bool) for v in (min, max, step, value))
    cls = widgets.IntSlider if is_int else widgets.FloatSlider
    kwargs = {} if readout_format is None else {"readout_format": readout_format}
    return name_control(cls(value=value, min=min, max=max, step=step, description=description,
                            continuous_update=True, style={"description_width": "initial"},
                            layout=widgets.Layout(width="340px"), **kwargs), name, unit)


def log_slider(description, min_exponent, max_exponent, value, step=0.25, name=None, unit=""):
    """A slider over powers of ten (for learning rates): it moves by factors, not by steps."""
    return name_control(widgets.FloatLogSlider(
        value=value, base=10, min=min_exponent, max=max_exponent, step=step, description=description,
        continuous_update=True, readout_format=".3g", style={"description_width": "initial"},
        layout=widgets.Layout(width="340px")), name, unit)


def selection_slider(description, options, value, format="{:g}", name=None, unit=""):
    """A slider over a fixed list of values (say, the ones that have precomputed runs)."""
    return name_control(widgets.SelectionSlider(
        options=[(format.format(v), v) for v in options], value=value, description=description,
        continuous_update=True, style={"description_width": "initial"}, layout=widgets.Layout(width="340px")),
        name, unit)


def dropdown(description, options, value=None, name=None, unit=""):
    """A dropdown; `options` is a list of values or of (label, value) pairs."""
    first = options[0][1] if isinstance(options[0], tuple) else options[0]
    return name_control(widgets.Dropdown(options=options, value=first if value is None else value,
                                         description=description, style={"description_width": "initial"},
                                         layout=widgets.Layout(width="240px")), name, unit)


def text_line(value=""):
    """A line of HTML text that an update function can rewrite (numbers, verdicts)."""
    return widgets.HTML(value=value, layout=widgets.Layout(min_height="1.6em"))


# Controls for the back of the room: ipywidgets size everything from these CSS variables, so
# setting them on one panel's box enlarges that panel's sliders, dropdowns and buttons only.
PRESENTATION_CSS = """<style>.nnlite-presentation {
  --jp-widgets-font-size: 20px; --jp-widgets-inline-height: 40px; --jp-widgets-inline-width: 480px;
  --jp-widgets-inline-label-width: 120px; --jp-widgets-slider-handle-size: 24px;
  --jp-widgets-slider-track-thickness: 8px; --jp-widgets-slider-handle-border-width: 2px; font-size: 20px; }
.nnlite-presentation .widget-slider, .nnlite-presentation .widget-hslider { width: 480px !important; }
.nnlite-presentation .widget-dropdown { width: 340px !important; }</style>"""


@contextlib.contextmanager
def one_message_each(*roots):
    """Hold back every change to the widgets under `roots` (themselves included) until the block ends; then
    send them all at once: in one message through the kernel's `nnlite.courier` once a page listens to it,
    else each changed widget its new state once, all within a millisecond. A widget already held by an
    enclosing block is left to that block.

    Why: a move changes several pictures and text lines. Sent as each is drawn, they reach the
    browser while the kernel is still drawing, and it lays out and paints the page after each (on
    a 2-core laptop that painting also slows the kernel down). Sent together at the end, the
    browser still handles them one message at a time and may paint between them (measured: 20-40
    ms for a playground move's six), so one message for all matters too.
    """
    held = []
    try:
        pending = list(roots)
        while pending:  # (ipywidgets' own hold_sync, one context per widget, sends one message per widget)
            widget = pending.pop()
            if not widget._holding_sync:
                widget._holding_sync = True
                held.append(widget)
            pending.extend(getattr(widget, "children", ()))
        yield
    finally:
        changes = []
        for widget in held:
            widget._holding_sync = False
            if widget._states_to_send:
                changes.append((widget, set(widget._states_to_send)))
                widget._states_to_send.clear()
        if changes:
            try:
                courier().deliver(changes)
            except Exception:  # the courier failed: every widget sends its own message, as ipywidgets would
                for widget, names in changes:
                    if widget.comm is not None:
                        widget.send_state(names)
                raise


class DataTables:
    """A "Show the data" toggle and, while it is on, the numbers of a panel's figures as tables
    (`viz.data_table`, written from the artists that draw them): for a student who cannot see a
    figure, and for one who wants its numbers. `live_figures()` gives the figures, in order."""

    def __init__(self, live_figures):
        self.live_figures = live_figures
        self.toggle = widgets.ToggleButton(description="Show the data", icon="table", value=False,
                                           tooltip="the numbers of the figures above, as tables",
                                           layout=widgets.Layout(width="auto", align_self="flex-start"))
        self.html = widgets.HTML(layout=widgets.Layout(display="none"))
        self.toggle.observe(lambda _change: self.show(), names="value")

    def show(self):
        """Write the tables of the figures as they are now while the toggle is on; hide them when it is off."""
        shown = self.toggle.value
        self.html.layout.display = None if shown else "none"
        self.html.value = ("<div class='nnlite-tables'>" + "".join(viz.data_table(live.fig) for live in
                                                                  self.live_figures()) + "</div>") if shown else ""


class Panel:
    """Controls + views + an error line, wired together, usable by keyboard and screen reader.

    ``Panel(update, controls={"lr": slider(...)}, views=[live.widget, text_widget])``
    calls ``update(lr=...)`` once now and again whenever a control moves. If update
    raises, the panel keeps the last good picture and says what went wrong in plain
    words under it (in JupyterLab an exception in a callback is otherwise invisible).
    With ``viz.presentation(True)`` its controls are drawn larger.

    Every panel also names its controls for screen readers, reads its text views (the key
    result: captions, numbers) into a polite live region after a move, and has a "Show the
    data" toggle that puts its figures' numbers in a table (`nnlite.access`). A lab that builds
    its own layout assigns ``panel.widget = VBox([...])``: these come along.

    ``parts={"view": view, "summary": summary}`` names the pieces a test, an exercise or an
    instructor reaches afterwards (``panel.view``), so that every attribute is set here.
    """

    def __init__(self, update, controls, views, title=None, columns=2, parts=None):
        self.update = update
        self.title = title
        self.controls = dict(controls)
        self.views = list(views)
        self.error = widgets.HTML(layout=widgets.Layout(min_height="0px"))
        self.last_update_seconds = 0.0
        self.access = Access()
        courier()  # made with the first panel, so that its front end listens by the first move
        self.tables = DataTables(self.live_figures)
        self.show_data, self.data = self.tables.toggle, self.tables.html
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        for view in [*self.views, self.error]:
            if isinstance(view, (widgets.HTML, widgets.Label)):
                view.add_class(ANNOUNCE)
        rows = list(self.controls.values())
        grid = [widgets.HBox(rows[i:i + columns], layout=widgets.Layout(flex_flow="row wrap"))
                for i in range(0, len(rows), columns)]
        header = [widgets.HTML(f"<b>{html.escape(title)}</b>")] if title else []
        if viz.presentation_on():
            header.insert(0, widgets.HTML(PRESENTATION_CSS))
        self.widget = widgets.VBox(header + grid + self.views + [self.error])
        if viz.presentation_on():
            self.widget.add_class("nnlite-presentation")
        for name in parts or {}:
            if not name.isidentifier() or hasattr(self, name):
                raise ValueError(f"parts must be named by new attribute names, got {name!r}")
        self.__dict__.update(parts or {})
        self.refresh()

    @property
    def widget(self):
        """The panel's box. Assigning another box (a lab's own layout) adds the data toggle, its tables and
        the `Access` helper at its end, names its controls and marks its text lines for the live region."""
        return self._widget

    @widget.setter
    def widget(self, box):
        extras = (self.show_data, self.data, self.access)
        box.children = (*[c for c in box.children if c not in extras], *extras)
        box.add_class("nnlite-panel")
        for child in box.children:  # a lab's own text lines (a status line) are its key result too
            if isinstance(child, widgets.HTML) and child is not self.data and "<style" not in child.value:
                if not (self.title and child.value == f"<b>{html.escape(self.title)}</b>"):
                    child.add_class(ANNOUNCE)
        self.access.name([*self.controls.values(), *_controls_under(box, exclude=self.controls.values())])
        self._widget = box

    def live_figures(self):
        """The LiveFigures of the panel's views, in order."""
        return [live for view in self.views for live in getattr(view, "live_figures", ())]

    def values(self):
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self):
        """Run update with the current values; show an error in words if it fails."""
        start = time.perf_counter()
        try:
            with one_message_each(self.widget):
                self.update(**self.values())
            if self.show_data.value:
                self.tables.show()
        except Exception as error:  # shown to the student, not swallowed
            self.error.value = (f"<span style='color:#b00'>&#9888; Could not update the figure: "
                                f"{html.escape(type(error).__name__)}: {html.escape(str(error))}</span>")
        else:
            self.error.value = ""
        self.last_update_seconds = time.perf_counter() - start

    def _on_change(self, change):
        self.refresh()

    def preview(self):
        """A still PNG of the panel's figures side by side (None if it has none): what GitHub and a
        notebook opened before its cells run show instead of the live panel."""
        return render.side_by_side([live.preview_png() for live in self.live_figures()])

    def _repr_mimebundle_(self, **kwargs):
        """The widget, a still picture of its figures, and a sentence, for places that cannot show
        widgets: GitHub, a notebook opened before its cells run (JupyterLab shows the picture
        until the cell runs), a terminal."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        names = ", ".join(words_of(control)[0] for control in self.controls.values())
        bundle["text/plain"] = (f"[interactive figure{': ' + self.title if self.title else ''} "
                                f"(controls: {names}). Run this cell to show it and move its controls.]")
        still = self.preview()
        if still is not None:  # with its words, as an inline figure has them (viz._inline_html)
            words = " ".join(live.text for live in self.live_figures())
            alt = html.escape(f"A still picture of the interactive figure{': ' + self.title if self.title else ''}. "
                              f"{words}", quote=True)
            bundle["text/html"] = f'<img alt="{alt}" src="data:image/png;base64,{base64.b64encode(still).decode()}">'
        return bundle


def _controls_under(box, exclude=()):
    """The controls (value widgets: sliders, dropdowns, toggles) in `box` and its children, but `exclude`."""
    found, pending = [], [box]
    while pending:
        widget = pending.pop(0)
        is_control = isinstance(widget, widgets.ValueWidget) and isinstance(widget, DescriptionWidget) \
            and not isinstance(widget, (widgets.HTML, widgets.Label))
        if is_control and all(widget is not e for e in exclude):
            found.append(widget)
        pending.extend(getattr(widget, "children", ()))
    return found
