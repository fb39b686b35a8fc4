"""What a figure shows, in words and as a table, read from the artists that draw it.

A screen reader cannot see a picture; it reads the picture's text alternative. `describe(fig)`
writes one for any matplotlib figure: for each axes its title, its axis labels and ranges (a log
scale said so), and for each line, set of points, image or row of bars what it shows in numbers
(where it starts and ends, its lowest and highest values and where, how many points of each
class). `data_table(fig)` puts the same numbers in an HTML table. Both read the artists
themselves (`line.get_xydata()`, a scatter's offsets, an image's array), the numbers the picture
is drawn from: the words cannot drift away from the figure.

A lab can say it better (``"train loss 0.21, test loss 0.34 after 60 epochs"``) with
`set_text_alternative(fig, text)`, where `text` is a string or a function of the figure that
builds the sentence from the same numbers it draws; `describe` then returns that instead.

Numbers are rounded to three significant digits (`number`), and a value below a billionth of
its axis's span is written 0: what is written is the same on every machine and BLAS kernel.
"""

import html
import math

import numpy as np
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.container import BarContainer
from matplotlib.image import AxesImage

from . import colors, render

MAX_SERIES = 6  # described per axes; the rest are counted
MAX_ROWS = 21  # rows of a table: a long line is sampled evenly, its first and last points kept


def set_text_alternative(fig, text):
    """Give `fig` a text alternative of your own: a string, or a function ``text(fig) -> str`` that is
    called each time the figure is described (a live figure: on every redraw). None: back to `describe`'s."""
    if text is not None and not isinstance(text, str) and not callable(text):
        raise TypeError(f"text must be a string, a function of the figure or None, got {type(text).__name__}")
    fig.nnlite_text_alternative = text


def text_alternative(fig):
    """The figure's own text alternative (`set_text_alternative`), or else `describe(fig)`."""
    own = getattr(fig, "nnlite_text_alternative", None)
    if own is None:
        return describe(fig)
    return own(fig) if callable(own) else own


def number(value, span=None):
    """`value` rounded to three significant digits, as a person writes it ("0.0123", "1230", "2.5e-07");
    0 when it is below a billionth of `span` (floating-point noise around zero)."""
    value = float(value)
    if not math.isfinite(value):
        return {math.inf: "infinity", -math.inf: "minus infinity"}.get(value, "not a number")
    if value == 0 or (span and abs(value) < 1e-9 * span):
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    if -4 <= exponent < 6:
        text = f"{round(value, 2 - exponent):.{max(0, 2 - exponent)}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return f"{value:.3g}"


def _label(artist):
    label = str(artist.get_label() or "")
    return "" if label.startswith("_") else label


def _color_word(artist, kind="line"):
    """The palette's word for an artist's colour ("orange"; "open orange" for hollow markers), or None."""
    color = artist.get_markerfacecolor() if kind == "points" else artist.get_color()
    hollow = kind == "points" and isinstance(color, str) and color.lower() == "none"
    try:
        word = colors.name(artist.get_markeredgecolor() if hollow else color)
    except ValueError:  # a colour matplotlib alone understands
        word = None
    return " ".join(w for w in ("open" if hollow else None, word) if w) or None


def _span(values):
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    return float(np.ptp(finite)) + float(np.abs(finite).max()) if finite.size else 0.0


def _is_reference_line(line):
    """axhline / axvline: drawn in axes coordinates along one direction, a guide rather than data."""
    return line.get_transform() is not line.axes.transData and len(line.get_xdata()) == 2


def _series(ax):
    """Every data-carrying artist of `ax`, in drawing order: (kind, label, artist)."""
    found = []
    bars = {patch for container in ax.containers if isinstance(container, BarContainer) for patch in container}
    for container in ax.containers:
        if isinstance(container, BarContainer) and any(p.get_visible() for p in container):
            found.append(("bars", _label(container), container))
    for artist in ax.get_children():
        if not artist.get_visible() or artist in bars:
            continue
        if hasattr(artist, "get_xydata") and artist in ax.lines:
            if _is_reference_line(artist) and not _label(artist):
                continue
            data = artist.get_xydata()
            if len(data) and np.isfinite(data).all(axis=1).any():
                points = artist.get_linestyle() in ("None", "none", "", " ")
                found.append(("points" if points else "line", _label(artist), artist))
        elif isinstance(artist, PathCollection) and len(artist.get_offsets()):
            found.append(("scatter", _label(artist), artist))
        elif isinstance(artist, (PolyCollection, LineCollection)) and len(artist.get_paths()) and _label(artist):
            found.append(("area", _label(artist), artist))
        elif isinstance(artist, AxesImage) and artist.get_array() is not None:
            found.append(("image", _label(artist), artist))
    return found


def _marker_word(artist, count):
    marker = artist.get_marker() if hasattr(artist, "get_marker") else None
    word = colors.MARKER_NAMES.get(marker, "points") if isinstance(marker, str) else "points"
    return word if count != 1 else word.rstrip("s").replace("crosse", "cross")


LINE_STYLES = {"--": "dashed", ":": "dotted", "-.": "dash-dotted"}  # a solid line is said without a word


def _describe_line(kind, label, line, xs, ys):
    color = _color_word(line, kind)
    style = LINE_STYLES.get(line.get_linestyle()) if kind == "line" else None  # not told apart by colour alone
    if _is_reference_line(line):  # a labelled axhline / axvline: its position, not its axes coordinates
        x, y = line.get_xdata(), line.get_ydata()
        where = (f"horizontal line at y = {number(y[0], ys)}" if y[0] == y[-1]
                 else f"vertical line at x = {number(x[0], xs)}")
        return " ".join(w for w in (color, style, where) if w) + (f" '{label}'" if label else "") + "."
    data = line.get_xydata()
    data = data[np.isfinite(data).all(axis=1)]
    low_x, high_x = sorted(line.axes.get_xlim())
    shown = data[(data[:, 0] >= low_x) & (data[:, 0] <= high_x)]  # what the axes show, not what lies beyond
    beyond = len(data) - len(shown) if len(shown) else 0  # said, so that a line's shown end is not read as its end
    data = shown if len(shown) else data
    more = f" It goes on beyond the axes: {beyond} more {'point' if beyond == 1 else 'points'}." if beyond else ""
    x, y = data[:, 0], data[:, 1]
    name = " ".join(w for w in (color, style, "line" if kind == "line" else _marker_word(line, len(x))) if w)
    name += f" '{label}'" if label else ""
    if len(x) == 1:
        return f"{name} at x = {number(x[0], xs)}, y = {number(y[0], ys)}.{more}"
    low, high = int(np.argmin(y)), int(np.argmax(y))
    if kind == "points":
        return (f"{len(x)} {name}, x from {number(x.min(), xs)} to {number(x.max(), xs)}, y from "
                f"{number(y[low], ys)} (at x = {number(x[low], xs)}) to {number(y[high], ys)} "
                f"(at x = {number(x[high], xs)}).{more}")
    return (f"{name}: {len(x)} points from x = {number(x[0], xs)} to {number(x[-1], xs)}; y starts at "
            f"{number(y[0], ys)} and ends at {number(y[-1], ys)}, lowest {number(y[low], ys)} at x = "
            f"{number(x[low], xs)}, highest {number(y[high], ys)} at x = {number(x[high], xs)}.{more}")


def _scatter_shape(collection):
    """The word for a scatter's marker shape ("squares"), found by comparing its outline with each named one's."""
    from matplotlib.markers import MarkerStyle

    paths = collection.get_paths()
    if len(paths) != 1:
        return "points"
    for marker, word in colors.MARKER_NAMES.items():
        style = MarkerStyle(marker)
        outline = style.get_path().transformed(style.get_transform()).vertices
        if outline.shape == paths[0].vertices.shape and np.allclose(outline, paths[0].vertices):
            return word
    return "points"


def _describe_scatter(label, collection, xs, ys):
    offsets = np.asarray(collection.get_offsets(), dtype=float)
    faces = collection.get_facecolor()
    if len(faces) != len(offsets):  # one colour for all
        faces = [faces[0] if len(faces) else None] * len(offsets)
    groups = {}
    for face in faces:
        word = (colors.name(face) if face is not None else None) or "other"
        groups[word] = groups.get(word, 0) + 1
    shape = _scatter_shape(collection)
    name = f"{shape} '{label}'" if label else shape
    parts = ", ".join(f"{n} {word}" for word, n in groups.items()) if len(groups) > 1 else ""
    color = next(iter(groups)) if len(groups) == 1 and next(iter(groups)) != "other" else ""
    return (f"{len(offsets)} {color + ' ' if color else ''}{name}{f' ({parts})' if parts else ''}, x from "
            f"{number(offsets[:, 0].min(), xs)} to {number(offsets[:, 0].max(), xs)}, y from "
            f"{number(offsets[:, 1].min(), ys)} to {number(offsets[:, 1].max(), ys)}.")


def region_shares(pixels):
    """The share of each palette colour among an RGB image's pixels, when every pixel is a palette colour
    made paler (`nnlite.viz.region_colors`); None for any other picture. {"blue": 0.52, ...}"""
    pixels = np.asarray(pixels, dtype=float).reshape(-1, np.shape(pixels)[-1])[:, :3]
    if pixels.max() > 1:
        pixels = pixels / 255
    fills = colors.rgb(colors.FILLS[:7])  # black cannot be told from grey here
    # region_colors: 1 - (1 - fill) * t, for t in 0.15..0.6: a pixel's distance from white points the
    # way of its fill's; the class is the fill whose way is closest (cosines: one small product)
    away = 1.0 - pixels
    directions = (1.0 - fills) / np.linalg.norm(1.0 - fills, axis=1, keepdims=True)
    length = np.linalg.norm(away, axis=1)
    if (length < 1e-6).any():  # a white pixel: no region map draws one
        return None
    cosines = away @ directions.T / length[:, None]
    best = cosines.argmax(axis=1)
    if cosines[np.arange(len(best)), best].min() < 0.995:
        return None
    counts = np.bincount(best, minlength=len(fills))
    return {colors.NAMES[k]: counts[k] / len(best) for k in np.flatnonzero(counts)}


def _describe_image(label, image):
    array = np.asarray(image.get_array())
    rows, columns = array.shape[:2]
    name = f"image '{label}'" if label else "image"
    if array.ndim == 3:
        shares = region_shares(array)
        if shares:
            parts = ", ".join(f"{word} {round(100 * share)}%" for word, share in
                              sorted(shares.items(), key=lambda item: -item[1]))
            return f"coloured regions ({parts} of the area)."
        return f"a {columns} x {rows} colour {name}."
    finite = array[np.isfinite(array)]
    cmap = image.get_cmap().name
    if not finite.size:
        return f"an empty {name}."
    return (f"a {columns} x {rows} {name} of values from {number(finite.min())} to {number(finite.max())} "
            f"(colour scale {cmap}, low to high).")


def _bar_values(container):
    """(the axis the bars stand on, [(position, value)] of the visible bars): ("x", [(x, height)]) for upright
    bars, ("y", [(y, width)]) for horizontal ones."""
    if getattr(container, "orientation", None) == "horizontal":
        return "y", [(p.get_y() + p.get_height() / 2, p.get_width()) for p in container if p.get_visible()]
    return "x", [(p.get_x() + p.get_width() / 2, p.get_height()) for p in container if p.get_visible()]


def _describe_bars(label, container, ys):
    at, pairs = _bar_values(container)
    heights = [value for _, value in pairs]
    shown = ", ".join(f"{number(h, ys if at == 'x' else None)} at {at} = {number(x)}" for x, h in pairs[:12])
    more = f", and {len(heights) - 12} more" if len(heights) > 12 else ""
    return f"{len(heights)} bars{f' {_quoted(label)}' if label else ''}: {shown}{more}."


def _axis_text(ax, which):
    axis_label = (ax.get_xlabel if which == "x" else ax.get_ylabel)().strip()
    low, high = ax.get_xlim() if which == "x" else ax.get_ylim()
    scale = (ax.get_xscale if which == "x" else ax.get_yscale)()
    span = abs(high - low) + max(abs(low), abs(high)) if scale == "linear" else None
    name = f"{which} axis {_quoted(axis_label)}" if axis_label else f"{which} axis"
    words = f"{name} from {number(low, span)} to {number(high, span)}"
    return words + (f" ({scale} scale)" if scale != "linear" else "")


def _quoted(text):
    """A text of the figure in quotes, its line breaks read as spaces (repr alone would spell them \\n, and a
    screen reader would say so)."""
    return repr(" ".join(text.split()))


def _axes_text(ax):
    """One axes in words: title, axes, then each series."""
    titles = [t for t in (ax.get_title("left"), ax.get_title(), ax.get_title("right")) if t.strip()]
    sentences = [f"{'; '.join(_quoted(t) for t in titles)}." if titles else ""]
    if ax.axison:
        sentences.append(f"{_axis_text(ax, 'x').capitalize()}, {_axis_text(ax, 'y')}.")
    series = _series(ax)
    # noise around zero is written 0, relative to the axis's span; a log axis has no zero, every size counts
    xs = None if ax.get_xscale() == "log" else _span(ax.get_xlim())
    ys = None if ax.get_yscale() == "log" else _span(ax.get_ylim())
    for kind, label, artist in series[:MAX_SERIES]:
        if kind in ("line", "points"):
            text = _describe_line(kind, label, artist, xs, ys)
        elif kind == "scatter":
            text = _describe_scatter(label, artist, xs, ys)
        elif kind == "image":
            text = _describe_image(label, artist)
        elif kind == "bars":
            text = _describe_bars(label, artist, ys)
        else:
            text = f"a shaded area '{label}'."
        sentences.append(text[0].upper() + text[1:])
    if len(series) > MAX_SERIES:
        sentences.append(f"And {len(series) - MAX_SERIES} more.")
    texts = [t.get_text().strip() for t in ax.texts if t.get_visible() and t.get_text().strip()]
    if texts:
        more = f" and {len(texts) - 12} more" if len(texts) > 12 else ""
        sentences.append("Labels: " + ", ".join(_quoted(t) for t in texts[:12]) + more + ".")
    return " ".join(s for s in sentences if s)


def describe(fig):
    """A text alternative for `fig`, written from its artists (see the module's docstring)."""
    axes = [ax for ax in fig.axes if ax.get_visible()]
    suptitle = render.suptitle(fig)
    title = suptitle.get_text().strip() if suptitle is not None else ""
    opening = f"Figure {_quoted(title)}" if title else "Figure"
    if not axes:
        return f"{opening}, empty."
    if len(axes) == 1:
        return f"{opening}: {_axes_text(axes[0])}"
    panels = " ".join(f"Panel {i + 1}: {_axes_text(ax)}" for i, ax in enumerate(axes))
    return f"{opening} with {len(axes)} panels. {panels}"


def _rows(n, max_rows=MAX_ROWS):
    """Indices of at most `max_rows` rows spread evenly over n, the first and the last included."""
    return np.unique(np.linspace(0, n - 1, min(n, max_rows)).round().astype(int)) if n else np.arange(0)


_CELL = "border:1px solid #767676;padding:0 0.5em;text-align:right"  # inline: no style sheet needed


def _table(caption, header, rows, note=""):
    head = "".join(f"<th scope='col' style='{_CELL}'>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td style='{_CELL}'>{html.escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    note = f"<p>{html.escape(note)}</p>" if note else ""
    return (f"<div><table class='nnlite-data' style='border-collapse:collapse;margin:0.3em 0'>"
            f"<caption style='text-align:left;font-weight:bold'>{html.escape(caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}</div>")


def _series_table(ax_name, kind, label, artist, max_rows):
    name = f"{ax_name}: {label or kind}"
    if kind in ("line", "points"):
        data = artist.get_xydata()
        data = data[np.isfinite(data).all(axis=1)]
        keep = _rows(len(data), max_rows)
        note = f"{len(keep)} of its {len(data)} points, evenly spaced." if len(keep) < len(data) else ""
        xs, ys = _span(data[:, 0]), _span(data[:, 1])
        return _table(name, ["x", "y"], [(number(x, xs), number(y, ys)) for x, y in data[keep]], note)
    if kind == "scatter":
        offsets = np.asarray(artist.get_offsets(), dtype=float)
        faces = artist.get_facecolor()
        keep = _rows(len(offsets), max_rows)
        words = [colors.name(faces[i if len(faces) == len(offsets) else 0]) or "" for i in keep] if len(faces) else []
        note = f"{len(keep)} of its {len(offsets)} points, evenly spaced." if len(keep) < len(offsets) else ""
        xs, ys = _span(offsets[:, 0]), _span(offsets[:, 1])
        words = words or [""] * len(keep)
        rows = [(number(x, xs), number(y, ys), w) for (x, y), w in zip(offsets[keep], words, strict=True)]
        return _table(name, ["x", "y", "colour"], rows, note)
    if kind == "bars":
        at, pairs = _bar_values(artist)
        return _table(name, [at, "height" if at == "x" else "width"],
                      [(number(position), number(value)) for position, value in pairs])
    if kind == "image":
        return _table(name, ["what it shows"], [(_describe_image(label, artist),)])
    return ""


def set_data_tables(fig, tables):
    """Give `fig` tables of your own for `data_table`: a function ``tables(fig) -> [(caption, header, rows)]``
    (rows of strings), for a figure whose numbers are not in its lines and bars (a network diagram's weights).
    None: back to the tables read from the artists."""
    if tables is not None and not callable(tables):
        raise TypeError(f"tables must be a function of the figure or None, got {type(tables).__name__}")
    fig.nnlite_data_tables = tables


def data_table(fig, max_rows=MAX_ROWS):
    """The numbers `fig` draws, as HTML tables: one per line, set of points or row of bars (a long line
    sampled evenly, at most `max_rows` rows), each captioned with its axes' title; or the figure's own
    tables (`set_data_tables`)."""
    own = getattr(fig, "nnlite_data_tables", None)
    if own is not None:
        return DataTable("".join(_table(*table) for table in own(fig)) or "<p>This figure draws no data.</p>")
    tables = []
    axes = [ax for ax in fig.axes if ax.get_visible()]
    for i, ax in enumerate(axes):
        ax_name = ax.get_title().strip() or (f"panel {i + 1}" if len(axes) > 1 else "figure")
        for kind, label, artist in _series(ax):
            tables.append(_series_table(ax_name, kind, label, artist, max_rows))
    return DataTable("".join(tables) or "<p>This figure draws no data.</p>")


class DataTable(str):
    """The HTML of `data_table`: a string that a notebook shows as its tables."""

    def _repr_html_(self):
        return f"<div class='nnlite-tables' style='display:flex;flex-wrap:wrap;gap:0.5em 1.5em'>{self}</div>"
