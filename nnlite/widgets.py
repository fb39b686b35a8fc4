"""Building blocks for interactive figures that answer at once.

Every interactive figure in the course is three small pieces (GUIDE section 3):

1. a pure function that computes (tested without any widget);
2. a view that owns a `LiveFigure` and updates its artists in place;
3. thin wiring: `Panel` connects controls to the view and shows errors in words.

Why not ``%matplotlib inline`` + ``interact`` or ipympl? Both redraw the whole figure,
ticks and text included, on every move, and ship it as a picture. `LiveFigure` renders
the static parts (axes, ticks, labels) once, as a JPEG in an ``ipywidgets.Image``, and
draws the artists that change as SVG in an ``ipywidgets.HTML`` laid over it. Measured
in JupyterLab (``benchmarks/latency.py``): swapping any picture costs the browser about
twice the round trip of echoing a number into a Label (the image must be fetched and
decoded before it shows), while replacing an SVG costs about 1.2 times that round trip.
Artists that are pictures themselves (``imshow``) cannot be vectors: a figure with one
of those among its changing artists is blitted and shipped as a JPEG instead.
"""

import html
import io
import time

import ipywidgets as widgets
import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.collections import QuadMesh
from matplotlib.figure import Figure
from matplotlib.image import _ImageBase
from PIL import Image as PILImage

RASTER_ARTISTS = (_ImageBase, QuadMesh)  # pictures: drawn into the JPEG, never into the SVG


class LiveFigure:
    """A matplotlib Figure that redraws only what changes, shown by ``live.widget``.

    Create artists on ``live.fig`` / the axes from ``live.subplots(...)``; register the
    ones that change with ``live.animate(artist, ...)``; after changing them call
    ``live.redraw()``. Call ``live.redraw(full=True)`` when something static changed
    (axis limits, tick labels): then the background is rendered again.
    With ``vector=False`` everything is shipped as JPEG frames (blitting on the kernel side).
    """

    def __init__(self, figsize=(8, 3.6), dpi=None, vector=True):
        self.fig = Figure(figsize=figsize, dpi=dpi or mpl.rcParams["figure.dpi"], layout="constrained")
        self.canvas = FigureCanvasAgg(self.fig)
        width, _ = self.canvas.get_width_height()
        self.image = widgets.Image(format="jpeg", layout=widgets.Layout(grid_area="figure", width="100%",
                                                                         height="auto"))
        self.overlay = widgets.HTML(layout=widgets.Layout(grid_area="figure", width="100%", margin="2px"))
        self.widget = widgets.GridBox([self.image, self.overlay], layout=widgets.Layout(
            grid_template_areas='"figure"', width=f"{width + 4}px", max_width="100%"))
        self.vector = vector
        self.animated = []
        self._background = None
        self.redraws = 0  # how many times a move was drawn: tests and benchmarks read it

    def subplots(self, nrows=1, ncols=1, **kwargs):
        """Axes on this figure, as ``Figure.subplots`` makes them."""
        return self.fig.subplots(nrows, ncols, **kwargs)

    def animate(self, *artists):
        """Mark artists as changing: they are drawn on top of the static background."""
        for artist in artists:
            artist.set_animated(True)
            self.animated.append(artist)
        self._background = None
        return artists[0] if len(artists) == 1 else artists

    def redraw(self, full=False):
        """Draw the changing artists over the static background and publish them."""
        as_vectors = self.vector and not any(isinstance(a, RASTER_ARTISTS) for a in self.animated)
        if full or self._background is None:
            self.canvas.draw()  # animated artists are skipped by a normal draw
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            if as_vectors:
                self.image.value = self.jpeg()
        if as_vectors:
            self.overlay.value = self.svg([a for a in self.animated if a.get_visible()])
        else:
            self.canvas.restore_region(self._background)
            for artist in self.animated:
                if artist.get_visible():
                    self.fig.draw_artist(artist)
            self.image.value = self.jpeg()
        self.redraws += 1

    def picture(self):
        """What the student sees, as bytes: the JPEG and the SVG over it (tests compare these)."""
        return bytes(self.image.value) + self.overlay.value.encode()

    def jpeg(self):
        """The Agg canvas as JPEG bytes.

        Measured on a 720x300 figure: PNG takes 7 to 10 ms to encode (its filters and
        deflate), JPEG at quality 92 about 1.5 ms at a similar size, with no visible
        blur on lines and text at that quality.
        """
        width, height = self.canvas.get_width_height(physical=True)
        rgba = PILImage.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        rgba.convert("RGB").save(buffer, format="jpeg", quality=92)
        return buffer.getvalue()

    def svg(self, artists):
        """`artists` drawn as one transparent SVG the size of the figure, scaled to its width.

        SVG speaks points, so the figure is switched to 72 dots per inch while they draw
        (every position is then in points) and switched back afterwards. Text stays text.
        """
        dpi = self.fig.dpi
        width, height = self.fig.get_size_inches() * 72
        buffer = io.StringIO()
        with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "nnlite"}):
            self.fig.dpi = 72
            try:
                renderer = RendererSVG(width, height, buffer, metadata=dict.fromkeys(_SVG_METADATA))
                for artist in artists:
                    artist.draw(renderer)
                renderer.finalize()
            finally:
                self.fig.dpi = dpi
        text = buffer.getvalue()
        text = text[text.index("<svg"):]
        return text.replace(f'width="{_short(width)}pt" height="{_short(height)}pt"',
                            'width="100%" style="display:block"', 1)


_SVG_METADATA = ("Creator", "Date", "Format", "Type")


def _short(number):
    """Numbers as matplotlib's SVG writer prints them."""
    return f"{number:f}".rstrip("0").rstrip(".")


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


def selection_slider(description, options, value, format="{:g}"):
    """A slider over a fixed list of values (say, the ones that have precomputed runs)."""
    return widgets.SelectionSlider(options=[(format.format(v), v) for v in options], value=value,
                                   description=description, continuous_update=True,
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
        self.title = title
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
        """The widget, plus a sentence instead of "VBox(children=...)" for places that cannot
        show widgets (RISE slides, GitHub, a terminal)."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        names = ", ".join(control.description for control in self.controls.values())
        bundle["text/plain"] = (f"[interactive figure{': ' + self.title if self.title else ''} "
                                f"(controls: {names}). Run the notebook in JupyterLab to move them.]")
        return bundle
