"""Building blocks for interactive figures that answer at once.

Every interactive figure in the course is three small pieces (GUIDE section 3):

1. a pure function that computes (tested without any widget);
2. a view that owns a `LiveFigure` and updates its artists in place;
3. thin wiring: `Panel` connects controls to the view and shows errors in words.

Why not ``%matplotlib inline`` + ``interact`` or ipympl? Both redraw the whole figure,
ticks and text included, on every move. `LiveFigure` uses blitting instead: the
static parts (axes, ticks, labels) are rendered once, and a move redraws only the
artists that change, then ships one small JPEG to an ``ipywidgets.Image``.
``benchmarks/latency.py`` measures the three side by side in a real browser.
"""

import html
import io
import time

import ipywidgets as widgets
import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage


class LiveFigure:
    """A matplotlib Figure shown as an ``ipywidgets.Image`` and redrawn by blitting.

    Create artists on ``live.fig`` / the axes from ``live.subplots(...)``; register the
    ones that change with ``live.animate(artist, ...)``; after changing them call
    ``live.redraw()``. Call ``live.redraw(full=True)`` when something static changed
    (axis limits, tick labels): then the background is rendered again.
    """

    def __init__(self, figsize=(8, 3.6), dpi=None):
        self.fig = Figure(figsize=figsize, dpi=dpi or mpl.rcParams["figure.dpi"], layout="constrained")
        self.canvas = FigureCanvasAgg(self.fig)
        self.image = widgets.Image(format="jpeg", layout=widgets.Layout(max_width="100%", height="auto"))
        self.animated = []
        self._background = None
        self.redraws = 0  # how many times the picture was sent: tests and benchmarks read it

    def subplots(self, nrows=1, ncols=1, **kwargs):
        """Axes on this figure, as ``Figure.subplots`` makes them."""
        return self.fig.subplots(nrows, ncols, **kwargs)

    def animate(self, *artists):
        """Mark artists as changing: they are drawn on top of the cached background."""
        for artist in artists:
            artist.set_animated(True)
            self.animated.append(artist)
        self._background = None
        return artists[0] if len(artists) == 1 else artists

    def redraw(self, full=False):
        """Draw the changing artists over the cached background and publish the picture."""
        if full or self._background is None:
            self.canvas.draw()  # animated artists are skipped by a normal draw
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self._background)
        for artist in self.animated:
            if artist.get_visible():
                self.fig.draw_artist(artist)
        self.image.value = self.jpeg()
        self.redraws += 1

    def jpeg(self):
        """The current picture as JPEG bytes.

        Measured on a 720x300 figure: PNG takes 7 to 10 ms to encode (its filters and
        deflate), JPEG at quality 92 about 1.5 ms at a similar size, with no visible
        blur on lines and text at that quality.
        """
        width, height = self.canvas.get_width_height(physical=True)
        rgba = PILImage.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        rgba.convert("RGB").save(buffer, format="jpeg", quality=92)
        return buffer.getvalue()


def slider(description, min, max, step, value, readout_format=None):
    """A float slider (an int slider when every number is an int), wide enough to read."""
    is_int = all(isinstance(v, int) and not isinstance(v, bool) for v in (min, max, step, value))
    cls = widgets.IntSlider if is_int else widgets.FloatSlider
    kwargs = {} if readout_format is None else {"readout_format": readout_format}
    return cls(value=value, min=min, max=max, step=step, description=description, continuous_update=True,
               style={"description_width": "initial"}, layout=widgets.Layout(width="340px"), **kwargs)


def log_slider(description, min_exponent, max_exponent, value, step=0.25):
    """A slider over powers of ten (for learning rates): it moves by factors, not by steps."""
    return widgets.FloatLogSlider(value=value, base=10, min=min_exponent, max=max_exponent, step=step,
                                  description=description, continuous_update=True, readout_format=".3g",
                                  style={"description_width": "initial"}, layout=widgets.Layout(width="340px"))


def dropdown(description, options, value=None):
    """A dropdown; `options` is a list of values or of (label, value) pairs."""
    first = options[0][1] if isinstance(options[0], tuple) else options[0]
    return widgets.Dropdown(options=options, value=first if value is None else value, description=description,
                            style={"description_width": "initial"}, layout=widgets.Layout(width="240px"))


def text_line(value=""):
    """A line of HTML text that an update function can rewrite (numbers, verdicts)."""
    return widgets.HTML(value=value, layout=widgets.Layout(min_height="1.6em"))


class Panel:
    """Controls + views + an error line, wired together.

    ``Panel(update, controls={"lr": slider(...)}, views=[live.image, text_widget])``
    calls ``update(lr=...)`` once now and again whenever a control moves. If update
    raises, the panel keeps the last good picture and says what went wrong in plain
    words under it (in JupyterLab an exception in a callback is otherwise invisible).
    """

    def __init__(self, update, controls, views, title=None, columns=2):
        self.update = update
        self.controls = dict(controls)
        self.error = widgets.HTML(layout=widgets.Layout(min_height="0px"))
        self.last_update_seconds = 0.0
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        rows = list(self.controls.values())
        grid = [widgets.HBox(rows[i:i + columns]) for i in range(0, len(rows), columns)]
        header = [widgets.HTML(f"<b>{html.escape(title)}</b>")] if title else []
        self.widget = widgets.VBox(header + grid + list(views) + [self.error])
        self.refresh()

    def values(self):
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self):
        """Run update with the current values; show an error in words if it fails."""
        start = time.perf_counter()
        try:
            self.update(**self.values())
        except Exception as error:  # shown to the student, not swallowed
            self.error.value = (f"<span style='color:#b00'>&#9888; Could not update the figure: "
                                f"{html.escape(type(error).__name__)}: {html.escape(str(error))}</span>")
        else:
            self.error.value = ""
        self.last_update_seconds = time.perf_counter() - start

    def _on_change(self, change):
        self.refresh()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
