"""Building blocks for interactive figures that answer at once.

Every interactive figure in the course is three small pieces (GUIDE section 3):

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
"""

import base64
import contextlib
import functools
import html
import io
import re
import struct
import time
import zlib

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
from matplotlib import _path
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.collections import QuadMesh
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.path import Path
from matplotlib.textpath import TextToPath
from matplotlib.transforms import Affine2D
from PIL import Image as PILImage

from . import viz

PIXEL_RATIO = 2  # image pixels per CSS pixel: sharp on HiDPI laptops (device pixel ratio 2)
_PIXELATED = ('style="image-rendering:crisp-edges;image-rendering:pixelated"', 'style="image-rendering:optimizeSpeed"')


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
        self.overlays = [self._new_overlay()]  # one per layer (see animate), the first drawn lowest
        self.overlay = self.overlays[0]
        self.widget = widgets.GridBox([self.image, self.overlay], layout=widgets.Layout(
            grid_template_areas='"figure"', width=f"{width}px", max_width="100%", margin="2px"))
        self.widget.live_figures = (self,)  # what Panel draws as a still preview
        self.vector = vector
        self.animated = []
        self._layer = {}  # artist -> the overlay it is drawn in
        self._background = None
        self._svg_pieces = {}  # artist -> its SVG, while it has not changed: see svg()
        self._watched = []  # axes whose limit changes empty that cache
        self.kept = {}  # key -> the pictures of a state drawn before: see redraw()
        self.redraws = 0  # how many times a move was drawn: tests and benchmarks read it

    def subplots(self, nrows=1, ncols=1, **kwargs):
        """Axes on this figure, as ``Figure.subplots`` makes them."""
        return self.fig.subplots(nrows, ncols, **kwargs)

    @staticmethod
    def _new_overlay():
        return widgets.HTML(layout=widgets.Layout(grid_area="figure", width="100%", margin="0"))

    def animate(self, *artists, layer=0):
        """Mark artists as changing: they are drawn on top of the static background.

        Each `layer` is an SVG of its own, over the layers below it. Put artists that change
        rarely (a data set's points) in a layer apart from those that change on every move (the
        picture under them): a layer whose SVG did not change is not sent to the browser, which
        then neither parses nor paints it again.
        """
        while len(self.overlays) <= layer:
            self.overlays.append(self._new_overlay())
            self.widget.children = (*self.widget.children, self.overlays[-1])
        for artist in artists:
            artist.set_animated(True)
            self.animated.append(artist)
            self._layer[artist] = layer
            if artist.axes is not None and artist.axes not in self._watched:  # new limits move every artist
                self._watched.append(artist.axes)
                for event in ("xlim_changed", "ylim_changed"):
                    artist.axes.callbacks.connect(event, lambda _axes: self._svg_pieces.clear())
        self._background = None
        return artists[0] if len(artists) == 1 else artists

    def redraw(self, full=False, key=None):
        """Draw the changing artists over the static background and publish them.

        `key` (any hashable) names the state the artists show, for views with a few states that a
        student visits again and again (03's steps, 06's precomputed runs): the pictures of a state
        drawn before under its key are sent as they were kept, without drawing (until a full redraw).
        """
        if full:
            self.kept.clear()
        if key is not None and key in self.kept and self._background is not None:
            self.image.value, *values = self.kept[key]
            for overlay, value in zip(self.overlays, values, strict=True):
                overlay.value = value
            return
        as_vectors = self.vector and not any(isinstance(a, QuadMesh) for a in self.animated)
        if full or self._background is None:
            self.canvas.draw()  # animated artists are skipped by a normal draw
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            self._svg_pieces.clear()  # the layout may have moved
            if as_vectors:
                self.image.value = self.png()
        if as_vectors:
            for layer, overlay in enumerate(self.overlays):
                overlay.value = self.svg([a for a in self.animated if self._layer[a] == layer and a.get_visible()])
        else:
            self.canvas.restore_region(self._background)
            for artist in self.animated:
                if artist.get_visible():
                    self.fig.draw_artist(artist)
            self.image.value = self.png()
        self.redraws += 1
        if key is not None:
            self.kept[key] = (self.image.value, *(overlay.value for overlay in self.overlays))

    def picture(self):
        """What the student sees, as bytes: the PNG and the SVG over it (tests compare these)."""
        return bytes(self.image.value) + "".join(overlay.value for overlay in self.overlays).encode()

    def png(self):
        """The Agg canvas (PIXEL_RATIO image pixels per CSS pixel) as PNG bytes."""
        width, height = self.canvas.get_width_height(physical=True)
        return png_bytes(np.asarray(self.canvas.buffer_rgba())[:, :, :3], width, height)

    def svg(self, artists):
        """`artists` drawn as one transparent SVG the size of the figure, scaled to its width.

        SVG speaks points, so the figure is switched to 72 dots per inch while they draw
        (every position is then in points) and switched back afterwards. Text stays text.
        An image (``imshow``) goes in as a PNG of its data pixels, one per array element,
        which the browser scales up at the screen's own resolution: smoothly, unless the
        image asked for ``interpolation="nearest"``.

        Each artist is written on its own and its piece kept: an artist that did not change
        since (matplotlib's ``stale`` flag is off, and no axis limits changed) reuses its piece.
        The playground's 300 data points, for one, are written once per data set instead of
        on every move (writing them was half of a move's time).
        """
        width, height = self.fig.get_size_inches() * 72
        if any(artist not in self._svg_pieces or artist.stale for artist in artists):  # else no switch: 0.1 ms each
            dpi = self.fig.dpi
            saved = {key: mpl.rcParams[key] for key in _SVG_SETTINGS}  # (rc_context copies all of rcParams: slower)
            mpl.rcParams.update(_SVG_SETTINGS)
            self.fig.dpi = 72
            try:
                pieces = [self._svg_piece(artist, width, height) for artist in artists]
            finally:
                self.fig.dpi = dpi
                mpl.rcParams.update(saved)
        else:
            pieces = [self._svg_pieces[artist] for artist in artists]
        return (f'<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="100%" style="display:block" {_SVG_STROKES} '
                f'viewBox="0 0 {_short(width)} {_short(height)}" xmlns="http://www.w3.org/2000/svg" version="1.1">\n'
                + "".join(pieces) + "</svg>\n")

    def _svg_piece(self, artist, width, height):
        """One artist as SVG elements (with the clip paths and markers it uses), from the cache if unchanged."""
        if artist in self._svg_pieces and not artist.stale:
            return self._svg_pieces[artist]
        if _is_plain_image(artist):
            self._svg_pieces[artist] = text = _image_svg(artist, height)
            artist.stale = False
            return text
        buffer = io.StringIO()
        is_image = isinstance(artist, AxesImage)
        interpolation = artist.get_interpolation() if is_image else None
        if is_image:
            artist.set_interpolation("none")  # embedded as data pixels, not resampled here
        try:
            renderer = _OverlayRenderer(width, height, buffer, metadata=dict.fromkeys(_SVG_METADATA))
            artist.draw(renderer)
            renderer.finalize()
        finally:
            if is_image:
                artist.set_interpolation(interpolation)
                artist.stale = False  # drawn just now: only the interpolation was put back
        text = buffer.getvalue()
        text = text[text.index(">", text.index("<svg")) + 1:text.rindex("</svg>")]  # inside the root element
        text = _SVG_STYLE_SHEET.sub("", text, count=1)
        if is_image and interpolation not in ("nearest", "none"):  # let the browser smooth it
            for style in _PIXELATED:
                text = text.replace(style, "")
        self._svg_pieces[artist] = text
        return text

    def preview_png(self):
        """The whole figure, changing artists included, at its CSS size (one image pixel per CSS
        pixel, to keep notebooks small): the still picture a notebook shows for a panel whose
        cell has not run yet."""
        self._svg_pieces.clear()  # drawing here marks the artists as up to date
        for artist in self.animated:
            artist.set_animated(False)
        try:
            self.canvas.draw()
        finally:
            for artist in self.animated:
                artist.set_animated(True)
        width, height = self.canvas.get_width_height(physical=True)
        still = PILImage.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        still.convert("RGB").reduce(PIXEL_RATIO).save(buffer, format="png", optimize=True)
        return buffer.getvalue()


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


class _OverlayRenderer(RendererSVG):
    """Matplotlib's SVG writer, with three changes that make a move cheaper to write, send and draw.

    Markers: a line's markers are one ``<path>``, a subpath per point, instead of a ``<use>``
    element per point (each of which the browser expands into a copy of the marker). Each
    subpath is the point's place and the marker's outline in relative steps, to two decimals of
    a point (1/36 mm), and a circle is two arcs instead of eight Bezier curves. Measured on the
    playground's 300 points: from setting the SVG to the next frame (Chromium, device pixel
    ratio 2), 11 ms more than for an empty picture with ``<use>`` elements, under 1 ms as
    paths; writing them, 19 ms with ``<use>``, 7.3 ms as matplotlib writes paths (131 kB), 5.6
    ms as here (18 kB: a seventh to send and parse; the rest of the time is matplotlib's own work
    per line). One detail differs where markers overlap: all fills are painted before all edges,
    so every edge shows.

    Text sizes: matplotlib measures a text with FreeType once per renderer (its cache is keyed
    by the renderer), and LiveFigure makes a renderer for every artist it draws, so every text
    was measured again on every move. The sizes are kept in `_text_size`, for every renderer:
    notebook 02's move went from 7.9 to 6.4 ms (medians).
    """

    def get_text_width_height_descent(self, s, prop, ismath):
        return _text_size(s, prop.copy(), ismath)  # a copy: the key must not change if prop does

    def _convert_path(self, path, transform=None, clip=None, simplify=None, sketch=None):
        """Paths: a path's "d" attribute as matplotlib writes it, to two decimals of a point instead
        of six (notebook 06's training curves: 56 -> 40 kB a move)."""
        clip = (0.0, 0.0, self.width, self.height) if clip else None
        return _path.convert_to_string(path, transform, clip, simplify, sketch, 2, [b"M", b"L", b"Q", b"C", b"z"],
                                       False).decode("ascii")

    def draw_markers(self, gc, marker_path, marker_trans, path, trans, rgbFace=None):
        if gc.get_url() is not None:  # a link per marker: matplotlib's way
            return super().draw_markers(gc, marker_path, marker_trans, path, trans, rgbFace)
        points = self._make_flip_transform(trans).transform(path.vertices)
        points = points[np.isfinite(points).all(axis=1)]
        if not len(points):
            return
        start, outline = _outline(marker_path, marker_trans + Affine2D().scale(1.0, -1.0))
        d = "".join(f"M{x:.2f} {y:.2f}{outline}" for x, y in points + start)
        self.writer.start("g", **self._get_clip_attrs(gc))
        self.writer.element("path", d=d, style=self._get_style(gc, rgbFace))
        self.writer.end("g")


@functools.lru_cache(maxsize=4096)
def _text_size(text, font, ismath):
    """Width, height and descent of `text` in points (SVG's unit), as matplotlib's SVG writer measures it."""
    return _TEXT_TO_PATH.get_text_width_height_descent(text, font, ismath)


_TEXT_TO_PATH = TextToPath()


def _outline(marker_path, transform):
    """A marker's shape (`marker_path` under `transform`, around (0, 0)) as SVG path commands relative
    to its first point, and that point: (start, "l3.40 -5.90l..z"). The shape's points are rounded
    to two decimals before the steps between them are taken, so the steps add up exactly."""
    ends = transform.transform([(1.0, 0.0), (0.0, 1.0), (0.0, 0.0)])
    rx, ry = np.hypot(*(ends[:2] - ends[2]).T)
    if marker_path is Path.unit_circle() and np.isclose(rx, ry):  # "o" and ".": a circle of radius r
        r = round(rx, 2)
        return np.array([-r, 0.0]), f"a{r:.2f} {r:.2f} 0 1 0 {2 * r:.2f} 0a{r:.2f} {r:.2f} 0 1 0 {-2 * r:.2f} 0z"
    shape = transform.transform_path(marker_path)
    vertices = np.round(shape.vertices, 2)
    codes = shape.codes if shape.codes is not None else [Path.MOVETO] + [Path.LINETO] * (len(vertices) - 1)
    letters = {Path.MOVETO: "m", Path.LINETO: "l", Path.CURVE3: "q", Path.CURVE4: "c"}
    steps, current, subpath_start, i = [], vertices[0], vertices[0], 1
    while i < len(vertices):
        code = codes[i]
        if code == Path.CLOSEPOLY:
            steps.append("z")
            current, i = subpath_start, i + 1
            continue
        count = {Path.CURVE3: 2, Path.CURVE4: 3}.get(code, 1)
        moved = vertices[i:i + count] - current
        steps.append(letters[code] + " ".join(f"{v:.2f}" for v in moved.ravel()))
        current = vertices[i + count - 1]
        if code == Path.MOVETO:
            subpath_start = current
        i += count
    return vertices[0], "".join(steps)


def png_bytes(pixels, width, height, small=False):
    """An (height, width, 3) or (height, width, 4) uint8 array (RGB or RGBA) as PNG bytes.

    By default rows are unfiltered and zlib runs at its fastest level: measured on a 1440 x 704
    figure, Pillow's PNG writer takes 4 to 5 times longer (it tries five filters on every row),
    for a file no smaller on line art. `small=True` stores each row as its difference from the
    row above (PNG's "up" filter) at zlib's level 6: a third smaller for a smooth picture of
    data pixels (the playground's regions: 3.3 -> 2.1 kB, 0.1 -> 0.25 ms), and slower on a
    whole figure (10 -> 26 ms). PNG, not JPEG: JPEG rings around small text.
    """
    pixels = np.asarray(pixels, dtype=np.uint8)
    channels = pixels.size // (width * height)
    rows = np.zeros((height, 1 + channels * width), dtype=np.uint8)  # each row starts with its filter type
    rows[:, 1:] = pixels.reshape(height, channels * width)
    if small:
        rows[1:, 1:] -= rows[:-1, 1:].copy()  # uint8 arithmetic wraps around, as the filter wants
        rows[:, 0] = 2  # "up"

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    color_type = {3: 2, 4: 6}[channels]  # PNG's numbers for RGB and RGBA, 8 bits per channel
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    data = zlib.compress(rows.tobytes(), 6 if small else 1)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def _is_plain_image(artist):
    """An ``imshow`` picture on linear axes, without rotation, a transform or a clip path of its
    own: one that `_image_svg` can place with a scale and a shift, and clip to a rectangle."""
    return (type(artist) is AxesImage and artist.axes is not None and artist.get_clip_path() is None
            and artist.get_transform() is artist.axes.transData and artist.axes.transData.is_affine)


def _image_svg(image, height):
    """An ``imshow`` picture as an SVG ``<image>`` of its data pixels (one per array element),
    scaled onto its extent and clipped to its axes; the browser scales it up at the screen's
    resolution, smoothly unless it asked for ``interpolation="nearest"`` (or "none").

    Matplotlib's own writer resamples the array first (its `make_image`), which was half the time
    of a playground move's region picture (4 of 8 ms, profiled); the colours come from the same
    place, the image's `to_rgba` (its colormap and norm, or the RGB values themselves).
    `height` is the figure's height in points (SVG's y axis points down).
    """
    rgba = image.to_rgba(image.get_array(), alpha=image.get_alpha(), bytes=True)
    rows, columns = rgba.shape[:2]
    pixels = rgba if (rgba[..., 3] < 255).any() else rgba[..., :3]
    left, right, bottom, top = image.get_extent()
    first_row = top if image.origin == "upper" else bottom  # where row 0 of the array goes
    last_row = bottom if image.origin == "upper" else top
    (x0, y0), (x1, y1) = image.axes.transData.transform([(left, first_row), (right, last_row)])
    scale_x, scale_y = (x1 - x0) / columns, (y0 - y1) / rows  # data pixels to points; y down in SVG
    href = "data:image/png;base64," + base64.b64encode(png_bytes(pixels, columns, rows, small=True)).decode("ascii")
    style = " " + _PIXELATED[0] if image.get_interpolation() in ("nearest", "none") else ""  # as matplotlib's
    clip = group = ""
    if image.get_clip_on():
        box = image.get_clip_box() or image.axes.bbox  # (the axes by default) at 72 dpi: in points, y up
        clip_id = f"clip{id(image):x}"  # unique in the page: one per image object alive
        clip = (f'<defs><clipPath id="{clip_id}"><rect x="{_short(box.x0)}" y="{_short(height - box.y1)}" '
                f'width="{_short(box.width)}" height="{_short(box.height)}"/></clipPath></defs>')
        group = f' clip-path="url(#{clip_id})"'
    return (f'{clip}<g{group}><image xlink:href="{href}" width="{columns}" height="{rows}" '
            f'preserveAspectRatio="none"{style} transform="matrix({_short(scale_x)} 0 0 {_short(scale_y)} '
            f'{_short(x0)} {_short(height - y0)})"/></g>\n')


_SVG_METADATA = ("Creator", "Date", "Format", "Type")
_SVG_SETTINGS = {"svg.fonttype": "none", "svg.hashsalt": "nnlite", "svg.image_inline": True}  # text stays text
# Matplotlib opens every SVG with a style sheet, ``*{stroke-linejoin: round; stroke-linecap: butt}``.
# Inside a page that sheet applies to the whole document, and each new overlay adds one: Chromium
# then recomputes the style of all of JupyterLab on every move (measured: 50-130 ms a move, the
# largest part of a slider's latency). The same two values as attributes of the root <svg>
# draw the same picture: both properties are inherited by everything inside it.
_SVG_STYLE_SHEET = re.compile(r"\s*<defs>\s*<style[^>]*>[^<]*</style>\s*</defs>")
_SVG_STROKES = 'stroke-linejoin="round" stroke-linecap="butt"'


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
    each changed widget sends its new state once, all within a millisecond.

    Why: a move changes several pictures and text lines. Sent as each is drawn, they reach the
    browser while the kernel is still drawing, and it lays out and paints the page after each (on
    a 2-core laptop that painting also slows the kernel down). Sent together at the end, the
    browser still handles them one message at a time and may paint between them (measured: 20-40
    ms for a playground move's six), so fewer messages per move matters too.
    """
    with contextlib.ExitStack() as stack:
        pending = list(roots)
        while pending:
            widget = pending.pop()
            stack.enter_context(widget.hold_sync())
            pending.extend(getattr(widget, "children", ()))
        yield


class Panel:
    """Controls + views + an error line, wired together.

    ``Panel(update, controls={"lr": slider(...)}, views=[live.widget, text_widget])``
    calls ``update(lr=...)`` once now and again whenever a control moves. If update
    raises, the panel keeps the last good picture and says what went wrong in plain
    words under it (in JupyterLab an exception in a callback is otherwise invisible).
    With ``viz.presentation(True)`` its controls are drawn larger.
    """

    def __init__(self, update, controls, views, title=None, columns=2):
        self.update = update
        self.title = title
        self.controls = dict(controls)
        self.views = list(views)
        self.error = widgets.HTML(layout=widgets.Layout(min_height="0px"))
        self.last_update_seconds = 0.0
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        rows = list(self.controls.values())
        grid = [widgets.HBox(rows[i:i + columns], layout=widgets.Layout(flex_flow="row wrap"))
                for i in range(0, len(rows), columns)]
        header = [widgets.HTML(f"<b>{html.escape(title)}</b>")] if title else []
        if viz.presentation_on():
            header.insert(0, widgets.HTML(PRESENTATION_CSS))
        self.widget = widgets.VBox(header + grid + self.views + [self.error])
        if viz.presentation_on():
            self.widget.add_class("nnlite-presentation")
        self.refresh()

    def values(self):
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self):
        """Run update with the current values; show an error in words if it fails."""
        start = time.perf_counter()
        try:
            with one_message_each(self.widget):
                self.update(**self.values())
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
        stills = [PILImage.open(io.BytesIO(live.preview_png())).convert("RGB")
                  for view in self.views for live in getattr(view, "live_figures", ())]
        if not stills:
            return None
        sheet = PILImage.new("RGB", (sum(s.width for s in stills), max(s.height for s in stills)), "white")
        x = 0
        for still in stills:
            sheet.paste(still, (x, 0))
            x += still.width
        buffer = io.BytesIO()
        sheet.save(buffer, format="png", optimize=True)
        return buffer.getvalue()

    def _repr_mimebundle_(self, **kwargs):
        """The widget, a still picture of its figures, and a sentence, for places that cannot show
        widgets: GitHub, a notebook opened before its cells run (JupyterLab shows the picture
        until the cell runs), a terminal."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        names = ", ".join(control.description for control in self.controls.values())
        bundle["text/plain"] = (f"[interactive figure{': ' + self.title if self.title else ''} "
                                f"(controls: {names}). Run this cell to show it and move its controls.]")
        still = self.preview()
        if still is not None:
            bundle["image/png"] = base64.b64encode(still).decode("ascii")
        return bundle
