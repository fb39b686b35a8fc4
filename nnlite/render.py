"""How a live figure's pictures are written: its changing artists as SVG, its still parts as PNG,
and the still picture a notebook shows before its cells run.

`nnlite.widgets.LiveFigure` shows a figure as a PNG of what does not change with an SVG of
what does laid over it. This module writes both, faster and smaller than matplotlib's own
writers would (each reason is given where it is done), and it is the only place in nnlite
that uses matplotlib's private API:

* ``matplotlib._path.convert_to_string`` (a path's "d" attribute),
* ``RendererSVG._convert_path``, ``_make_flip_transform``, ``_get_clip_attrs`` and ``_get_style``,
* ``Line2D._dash_pattern`` (a line's dashes, scaled by its width, as matplotlib draws them),
  ``Line2D._marker`` (its MarkerStyle) and ``Line2D._markeredgecolor`` (whether that edge is "auto").

`pyproject.toml` caps matplotlib below the first release nnlite was not tested with, and CI
installs the newest releases and pre-releases to see a change coming. Should a student still
meet a matplotlib whose private API moved, `artists_svg` warns once and falls back to
matplotlib's own SVG writer: every figure stays right, only a little slower to send.
"""

import base64
import functools
import html
import re
import secrets
import struct
import warnings
import zlib
from io import BytesIO, StringIO

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.colors import to_hex, to_rgba
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.path import Path
from matplotlib.textpath import TextToPath
from matplotlib.transforms import Affine2D
from PIL import Image as PILImage

try:
    from matplotlib import _path
except ImportError:  # a matplotlib without it: the fallback below
    _path = None

PIXELATED = ('style="image-rendering:crisp-edges;image-rendering:pixelated"', 'style="image-rendering:optimizeSpeed"')
_SVG_METADATA = ("Creator", "Date", "Format", "Type")
_SVG_SETTINGS = {"svg.fonttype": "none", "svg.hashsalt": None, "svg.image_inline": True}  # text stays text; the
# salt of the clip paths' ids is artists_svg's `ids`
# Matplotlib opens every SVG with a style sheet, ``*{stroke-linejoin: round; stroke-linecap: butt}``.
# Inside a page that sheet applies to the whole document, and each new overlay adds one: Chromium
# then recomputes the style of all of JupyterLab on every move (measured: 50-130 ms a move, the
# largest part of a slider's latency). The same two values as attributes of the root <svg>
# draw the same picture: both properties are inherited by everything inside it.
_SVG_STYLE_SHEET = re.compile(r"\s*<defs>\s*<style[^>]*>[^<]*</style>\s*</defs>")
_SVG_STROKES = 'stroke-linejoin="round" stroke-linecap="butt"'
_A_LINE = Line2D([], [])  # what a line of this matplotlib has
LINE_HOOKS = ("_dash_pattern", "_marker", "_markeredgecolor")
PRIVATE_HOOKS = ("_convert_path", "_make_flip_transform", "_get_clip_attrs", "_get_style")


def suptitle(fig):
    """The figure's suptitle as a Text artist, or None. Matplotlib keeps the artist only in a private
    attribute (3.8's ``fig.get_suptitle()`` gives its string alone), so it is read here, with the rest
    of the private API."""
    return getattr(fig, "_suptitle", None)


def missing_private_api():
    """The names of the private matplotlib functions this module relies on that this matplotlib
    lacks (an empty list when all are there)."""
    missing = [] if _path is not None and hasattr(_path, "convert_to_string") else ["_path.convert_to_string"]
    missing += [f"Line2D.{name}" for name in LINE_HOOKS if not hasattr(_A_LINE, name)]
    return missing + [f"RendererSVG.{name}" for name in PRIVATE_HOOKS if not hasattr(RendererSVG, name)]


def artists_svg(fig, artists, ids="nnlite"):
    """Each of `artists` (drawn on `fig`) as SVG elements, in points, for `svg_document`.

    SVG speaks points, so the figure is switched to 72 dots per inch while they draw (every
    position is then in points) and switched back afterwards. Text stays text.

    `ids` seeds the ids of the clip paths (matplotlib's ``svg.hashsalt``; the clips of the images and
    lines written here add this kernel's token and the artist): the same clip gets the same id for the
    same `ids`, and another for other `ids`. Give every SVG that shares a page its own:
    ``url(#id)`` finds the first element of that id in the whole page, so an SVG whose clip path had
    the id of one in an SVG above it was clipped by that one, and painted again whenever that one was
    replaced (measured: the playground's unchanged weight lines were painted and rasterised again on
    every move that changed the unit pictures, 10-16 ms of a move's raster time at device pixel ratio 2).
    """
    width, height = fig.get_size_inches() * 72
    dpi = fig.dpi
    saved = {key: mpl.rcParams[key] for key in _SVG_SETTINGS}  # (rc_context copies all of rcParams: slower)
    mpl.rcParams.update({**_SVG_SETTINGS, "svg.hashsalt": ids})
    fig.dpi = 72
    try:
        return [_artist_svg(artist, width, height) for artist in artists]
    finally:
        fig.dpi = dpi
        mpl.rcParams.update(saved)


def svg_document(pieces, width, height, label=None, own_layer=False):
    """The SVG pieces of `artists_svg` as one transparent SVG of `width` x `height` points, scaled to
    the width of the element that holds it. `label`: the figure's text alternative, which makes the SVG
    a picture with those words for screen readers (role="img"); without it the SVG is hidden from them.
    `own_layer`: the browser keeps its painted pixels apart (a composited layer, ``will-change``), so that
    a change in a picture under it does not paint it again (see `widgets.SvgLayers`)."""
    access = f'role="img" aria-label="{html.escape(label, quote=True)}"' if label else 'aria-hidden="true"'
    style = "display:block;will-change:transform" if own_layer else "display:block"
    return (f'<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="100%" style="{style}" {_SVG_STROKES} '
            f'{access} '
            f'viewBox="0 0 {_short(width)} {_short(height)}" xmlns="http://www.w3.org/2000/svg" version="1.1">\n'
            + "".join(pieces) + "</svg>\n")


def _artist_svg(artist, width, height):
    if _is_plain_image(artist):
        artist.stale = False
        return _image_svg(artist, height)
    if _is_plain_line(artist) and not _fallback:
        piece = _ours(_line_svg, artist, width, height)
        if piece is not None:
            artist.stale = False
            return piece
    is_image = isinstance(artist, AxesImage)
    interpolation = artist.get_interpolation() if is_image else None
    if is_image:
        artist.set_interpolation("none")  # embedded as data pixels, not resampled here
    try:
        text = _draw(artist, width, height)
    finally:
        if is_image:
            artist.set_interpolation(interpolation)
            artist.stale = False  # drawn just now: only the interpolation was put back
    text = text[text.index(">", text.index("<svg")) + 1:text.rindex("</svg>")]  # inside the root element
    text = _SVG_STYLE_SHEET.sub("", text, count=1)
    if is_image and interpolation not in ("nearest", "none"):  # let the browser smooth it
        for style in PIXELATED:
            text = text.replace(style, "")
    return text


def _draw(artist, width, height):
    """One artist drawn by our writer, or by matplotlib's own if this matplotlib changed what ours uses."""
    text = None if _fallback else _ours(_draw_with, _OverlayRenderer, artist, width, height)
    return _draw_with(RendererSVG, artist, width, height) if text is None else text


def _ours(write, *args):
    """``write(*args)``, one of our writers; None if it failed because this matplotlib changed a private
    function it uses: then, once, a warning, and matplotlib's own writer for the rest of the session."""
    try:
        return write(*args)
    except (AttributeError, TypeError) as error:
        if not _private_api_changed(error):
            raise
        _fallback.append(error)
        warnings.warn(f"nnlite: matplotlib {mpl.__version__} changed a private function that nnlite's fast SVG "
                      f"writer uses ({error}); live figures now use matplotlib's own writer, which is slower. "
                      "Install the matplotlib that pyproject.toml allows.", RuntimeWarning, stacklevel=3)
        return None


_fallback = []  # the error that made this session use matplotlib's own writer, once there was one


def _private_api_changed(error):
    return bool(missing_private_api()) or any(name in str(error) for name in (*PRIVATE_HOOKS, "convert_to_string"))


def _draw_with(writer, artist, width, height):
    buffer = StringIO()
    renderer = writer(width, height, buffer, metadata=dict.fromkeys(_SVG_METADATA))
    artist.draw(renderer)
    renderer.finalize()
    return buffer.getvalue()


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
    by the renderer), and a renderer is made for every artist drawn, so every text would be
    measured again on every move. The sizes are kept in `_text_size`, for every renderer:
    notebook 02's move takes 6.4 ms instead of 7.9 (medians).

    Paths: a path's "d" attribute to two decimals of a point instead of six (notebook 06's
    training curves: 40 kB a move instead of 56).
    """

    def get_text_width_height_descent(self, s, prop, ismath):
        return _text_size(s, prop.copy(), ismath)  # a copy: the key must not change if prop does

    def _convert_path(self, path, transform=None, clip=None, simplify=None, sketch=None):
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


def canvas_png(canvas):
    """What an Agg canvas holds, one image pixel per physical pixel, as PNG bytes (`png_bytes`)."""
    width, height = canvas.get_width_height(physical=True)
    return png_bytes(np.asarray(canvas.buffer_rgba())[:, :, :3], width, height)


def blit_png(canvas, background, artists):
    """`background` (a region saved from `canvas` before) with the visible `artists` drawn over it by
    Agg, as PNG bytes: each frame of a live figure that sends whole pictures (``vector=False``)."""
    canvas.restore_region(background)
    for artist in artists:
        if artist.get_visible():
            canvas.figure.draw_artist(artist)
    return canvas_png(canvas)


def still_png(canvas, animated, reduce=1):
    """The whole figure on `canvas`, its `animated` artists included, as PNG bytes `reduce` times smaller
    each way: a still picture, written once and kept in a notebook, so Pillow's writer at its smallest."""
    for artist in animated:
        artist.set_animated(False)
    try:
        canvas.draw()
    finally:
        for artist in animated:
            artist.set_animated(True)
    width, height = canvas.get_width_height(physical=True)
    still = PILImage.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    return _smallest_png(still.convert("RGB").reduce(reduce))


def side_by_side(pngs):
    """PNG pictures (bytes) side by side on white, tops aligned, as one PNG; None for no picture."""
    stills = [PILImage.open(BytesIO(png)).convert("RGB") for png in pngs]
    if not stills:
        return None
    sheet = PILImage.new("RGB", (sum(s.width for s in stills), max(s.height for s in stills)), "white")
    x = 0
    for still in stills:
        sheet.paste(still, (x, 0))
        x += still.width
    return _smallest_png(sheet)


def _smallest_png(image):
    buffer = BytesIO()
    image.save(buffer, format="png", optimize=True)
    return buffer.getvalue()


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
    # the "up" filter pays for a smooth picture (the class regions); the playground's columns of unit pictures,
    # squares with transparent gaps between them, came out no smaller with it (260.0 kB against 260.3 kB over
    # 99 columns of 18 networks) and took three times as long (19.5 against 6.1 ms): those are written fast
    small = pixels.shape[2] == 3
    href = "data:image/png;base64," + base64.b64encode(png_bytes(pixels, columns, rows, small)).decode("ascii")
    style = " " + PIXELATED[0] if image.get_interpolation() in ("nearest", "none") else ""  # as matplotlib's
    clip, group = _clip_rectangle(image, image.get_clip_box() or image.axes.bbox, height)  # (as before)
    return (f'{clip}<g{group}><image xlink:href="{href}" width="{columns}" height="{rows}" '
            f'preserveAspectRatio="none"{style} transform="matrix({_short(scale_x)} 0 0 {_short(scale_y)} '
            f'{_short(x0)} {_short(height - y0)})"/></g>\n')


def _is_plain_line(artist):
    """A visible line without steps, gaps, effects, a link, an id or a clip path of its own, whose markers
    (if any) are one shape drawn at every point: one that `_line_svg` writes."""
    marker = artist._marker if type(artist) is Line2D and hasattr(artist, "_marker") else None
    return (marker is not None and (not marker or marker.get_marker() != "," and marker.get_fillstyle() in
                                    ("full", "none") and artist.get_markevery() is None)
            and artist.get_visible() and artist.get_drawstyle() == "default" and artist.get_gapcolor() is None
            and not artist.get_path_effects() and artist.get_sketch_params() is None and artist.get_url() is None
            and artist.get_gid() is None and artist.get_clip_path() is None and not missing_private_api())


CAPS = {"projecting": "square", "butt": "butt", "round": "round"}  # matplotlib's cap styles in SVG's words


def _line_svg(line, width, height):
    """A line as SVG, as matplotlib's writer draws it (`Line2D.draw`, ``RendererSVG.draw_path`` and our
    `_OverlayRenderer.draw_markers`): a ``<path>`` through its points (its transform, then SVG's y axis,
    which points down; no NaN, clipped to the figure, simplified when it is long) with its colour, width,
    dashes, caps and clip; then its markers, if any, as one more path (the line's own MarkerStyle: its
    shape, transform, caps and joins). Matplotlib's way (a renderer, a graphics context and a group for
    each line) took 0.4 to 0.6 ms a line, most of a playground move's writing with the network view (18
    lines a move); this takes a fifth of that. `width` and `height`: the figure's, in points."""
    points = line.get_transform().transform(line.get_xydata())
    points[:, 1] = height - points[:, 1]
    clip, clip_path = _clip_rectangle(line, line.get_clip_box(), height)
    pieces = [clip]
    linewidth = line.get_linewidth()
    if line.get_linestyle() != "None" and len(points):
        path = Path(points)  # simplified as matplotlib simplifies the line's own path: when long and straight
        d = _path.convert_to_string(path, None, (0.0, 0.0, width, height), path.should_simplify, None, 2,
                                    [b"M", b"L", b"Q", b"C", b"z"], False).decode("ascii").replace(" \n", "")
        dashed = line.is_dashed()
        style = _style(None, to_rgba(line.get_color(), line.get_alpha()), linewidth,
                       line._dash_pattern if linewidth > 0 else (0, None),
                       line.get_dash_joinstyle() if dashed else line.get_solid_joinstyle(),
                       line.get_dash_capstyle() if dashed else line.get_solid_capstyle())
        pieces.append(f'<path d="{d}"{clip_path} style="{style}"/>\n')
    marker, size = line._marker, line.get_markersize()
    points = points[np.isfinite(points).all(axis=1)]
    if marker and size > 0 and len(points):
        face = to_rgba(line.get_markerfacecolor(), line.get_alpha())
        edge = to_rgba(line.get_markeredgecolor(), line.get_alpha())
        if str(line._markeredgecolor) == "auto" and str(line.get_markerfacecolor()).lower() != "none":
            edge = edge[:3] + face[3:]  # as Line2D.draw: an automatic edge takes the face's alpha
        start, outline = _outline(marker.get_path(), marker.get_transform().scale(size) + Affine2D().scale(1.0, -1.0))
        d = "".join(f"M{x:.2f} {y:.2f}{outline}" for x, y in points + start)
        style = _style(face, edge, line.get_markeredgewidth(), (0, None), marker.get_joinstyle(),
                       marker.get_capstyle())
        pieces.append(f'<path d="{d}"{clip_path} style="{style}"/>\n')
    return "".join(pieces) if len(pieces) > 1 else ""


def _style(face, edge, linewidth, dashes, join, cap):
    """An SVG style as matplotlib's writer writes it (``RendererSVG._get_style_dict``, without hatches):
    `face` and `edge` RGBA (face None: not filled), `dashes` (offset, sequence or None)."""
    style = {}
    if face is None:
        style["fill"] = "none"
    else:
        if tuple(face[:3]) != (0, 0, 0):
            style["fill"] = to_hex(face, keep_alpha=False)
        if face[3] != 1.0:
            style["fill-opacity"] = _short(face[3])
    offset, sequence = dashes
    if sequence is not None:
        style["stroke-dasharray"] = ",".join(_short(v) for v in sequence)
        style["stroke-dashoffset"] = _short(float(offset))
    if linewidth:
        style["stroke"] = to_hex(edge, keep_alpha=False)
        if edge[3] != 1.0:
            style["stroke-opacity"] = _short(edge[3])
        if linewidth != 1.0:
            style["stroke-width"] = _short(linewidth)
        if join != "round":
            style["stroke-linejoin"] = join
        if cap != "butt":
            style["stroke-linecap"] = CAPS[cap]
    return "; ".join(f"{key}: {value}" for key, value in style.items())


def _clip_rectangle(artist, box, height):
    """The SVG of a clip `box` (a Bbox at 72 dpi, in points, y up), if `artist` is clipped and there is one:
    a ``<clipPath>`` definition and the attribute that uses it ("" and "" if not). `height`: the figure's,
    in points. Its id is unique in the page: this kernel's, the SVG's (`artists_svg`'s `ids`) and the artist's."""
    if not artist.get_clip_on() or box is None:
        return "", ""
    clip_id = f"clip{_KERNEL}_{str(mpl.rcParams['svg.hashsalt']).replace('.', '_')}_{id(artist):x}"
    return (f'<defs><clipPath id="{clip_id}"><rect x="{_short(box.x0)}" y="{_short(height - box.y1)}" '
            f'width="{_short(box.width)}" height="{_short(box.height)}"/></clipPath></defs>',
            f' clip-path="url(#{clip_id})"')


_KERNEL = secrets.token_hex(3)  # two kernels' SVGs may share a page (two notebooks open in one JupyterLab)


def _short(number):
    """Numbers as matplotlib's SVG writer prints them."""
    return f"{number:f}".rstrip("0").rstrip(".")
