"""A network diagram with a picture in every unit and a line for every weight, drawn in place on a LiveFigure.

As in TensorFlow Playground (src/playground.ts: ``drawNode``, ``drawLink``, ``updateWeightsUI``): each
unit is a small square picture of its output over the input plane, and each weight a line whose colour
says its sign and whose thickness its size. Here the sign is said twice, for readers who do not see
the two hues apart: positive weights are solid blue lines, negative ones dashed orange lines. The
thickness comes in six steps of |w| (`WEIGHT_EDGES`), so that all the lines of one step and sign are
one path: 12 paths whatever the size of the network, instead of one element per weight.

The figure's only axes fills it, with one data unit per point, so that the geometry (`diagram_layout`)
is in points: squares stay square, and `nnlite.pointer.hit_network` measures in the same units.

Large layers: a layer shows its first `max_units` units (16 by default) and says how many more it has.
At 32 units a picture would be 6 points (7 CSS pixels) high, too small to read or to point at, and the
5000 lines of six layers of 32 units would be 5000 lines to tell apart (and 130 kB per picture).
"""

from typing import NamedTuple

import numpy as np

from ... import colors
from ..._validate import check_int
from .unit_pictures import diverging_colors, probability_colors, tiles

MAX_COLUMNS = 8  # the input layer, up to MAX_HIDDEN_LAYERS (6) hidden layers, the output layer
WEIGHT_EDGES = (0.1, 0.25, 0.5, 1.0, 2.0)  # |w| at which a weight's line gets thicker
WEIGHT_WIDTHS = (0.3, 0.5, 0.8, 1.2, 1.8, 2.6)  # points, one per step of |w|
WEIGHT_STRENGTH = (0.3, 0.5, 0.75, 1.0, 1.0, 1.0)  # how much of the hue (the rest white): small weights recede
GAP = 2  # transparent image pixels between two unit pictures of a column


class Layout(NamedTuple):
    """Where a diagram's parts go, in points from the bottom left: `shown` units per layer, their
    centres (`positions`, one (shown, 2) array per layer), the side of a unit's square (`tile`) and the
    distance between two units of a column (`spacing`)."""

    shown: tuple
    positions: list
    tile: float
    spacing: float


def diagram_layout(sizes, width, height, max_units=16, tile_resolution=15, label_width=12.0):
    """The Layout of a network of `sizes` in a width x height (points) figure: one column per layer, the
    units of a column centred, at most `max_units` of them shown, squares at most 28 points wide. The
    squares are `tile_resolution` image pixels high with GAP pixels between them, so one image per column
    draws them all. `label_width`: room on the left for the inputs' names."""
    shown = tuple(min(n, max_units) for n in sizes)
    truncated = any(n > max_units for n in sizes)
    top, bottom = 14.0, 14.0 if truncated else 4.0  # column titles above, "+16 more" below
    spacing = min((height - top - bottom) / max(shown), 28.0 * (tile_resolution + GAP) / tile_resolution)
    tile = spacing * tile_resolution / (tile_resolution + GAP)
    first, last = label_width + 4.0 + tile / 2, width - 4.0 - tile / 2
    xs = np.linspace(first, last, len(sizes))
    middle = bottom + (height - top - bottom) / 2
    positions = [np.column_stack([np.full(k, x), middle + ((k - 1) / 2 - np.arange(k)) * spacing])
                 for x, k in zip(xs, shown, strict=True)]
    return Layout(shown, positions, tile, spacing)


class NetworkDiagram:
    """The diagram on `live` (a LiveFigure of its own): `set_sizes` lays it out for a network, `draw`
    colours every unit's picture and sorts every weight into its line, `highlight` marks one part.

    Everything that changes is animated: a new network needs no full redraw. The pictures, new on every
    move, are the figure's first SVG layer, with the frames and texts; the weights the second, sent only
    when a weight's line changed (its step or sign); the highlight, new on every hover, the third.
    """

    def __init__(self, live, max_units=16, tile_resolution=15):
        self.live, self.max_units = live, check_int(max_units, "max_units", minimum=1)
        self.tile_resolution = check_int(tile_resolution, "tile_resolution", minimum=1)
        live.fig.set_layout_engine("none")
        self.ax = ax = live.subplots()
        ax.set_position((0, 0, 1, 1))
        self.width, self.height = live.fig.get_size_inches() * 72
        ax.axis("off")
        self.pictures = [ax.imshow(np.zeros((1, 1, 4), np.uint8), extent=(0, 1, 0, 1), origin="upper",
                                   interpolation="bilinear", visible=False) for _ in range(MAX_COLUMNS)]
        (self.frames,) = ax.plot([], [], color="0.45", linewidth=0.5)
        self.weights = {(sign, step): ax.plot([], [], color=_weight_color(sign, step), zorder=1 + step / 10,
                                              linewidth=width, linestyle=_dashes(width) if sign < 0 else "-")[0]
                        for sign in (1, -1) for step, width in enumerate(WEIGHT_WIDTHS)}
        text = {"ha": "center", "va": "center", "fontsize": 8, "color": "0.2"}
        self.titles = [ax.text(0, 0, "", **text) for _ in range(MAX_COLUMNS)]
        self.more = [ax.text(0, 0, "", **{**text, "fontsize": 7.5}) for _ in range(MAX_COLUMNS)]
        self.input_names = [ax.text(0, 0, "", **{**text, "ha": "right"}) for _ in range(self.max_units)]
        live.animate(*self.pictures, self.frames, *self.titles, *self.more, *self.input_names)
        live.animate(*self.weights.values(), layer=1, own_layer=True)  # not painted again with the pictures
        (self.halo,) = ax.plot([], [], color="white", linewidth=5, solid_capstyle="round", zorder=5)
        (self.mark,) = ax.plot([], [], color="black", linewidth=1.6, zorder=6)
        live.animate(self.halo, self.mark, layer=2)
        ax.set(xlim=(0, self.width), ylim=(0, self.height), aspect="auto")  # points (imshow set them otherwise)
        self.layout, self.sizes = None, None
        self._buffers, self._segments, self._styles = [], None, None

    def set_sizes(self, sizes, input_names):
        """Lay the diagram out for a network of `sizes` (inputs first) whose inputs are named `input_names`."""
        self.sizes = list(sizes)
        label_width = 4.5 * max(len(name) for name in input_names)
        self.layout = layout = diagram_layout(sizes, self.width, self.height, self.max_units, self.tile_resolution,
                                              label_width)
        r, t = self.tile_resolution, layout.tile
        self._buffers = []
        for column, (picture, centres, n) in enumerate(zip(self.pictures, layout.positions, sizes, strict=False)):
            k = len(centres)
            buffer = np.zeros((k, r + GAP, r, 4), np.uint8)  # each unit's square, then a transparent gap
            buffer[:, :r, :, 3] = 255
            self._buffers.append(buffer)
            (x, top), bottom = centres[0], centres[-1, 1]
            picture.set_extent((x - t / 2, x + t / 2, bottom - t / 2, top + t / 2))
            picture.set_visible(True)
            ha = "left" if column == 0 else "right" if column == len(sizes) - 1 else "center"  # inside the figure
            title_x = {"left": 2.0, "right": self.width - 2, "center": x}[ha]
            _set_text(self.titles[column], _column_title(column, len(sizes), n), (title_x, self.height - 7),
                      horizontalalignment=ha)
            _set_text(self.more[column], f"+{n - k} more" if n > k else "", (x, bottom - t / 2 - 6))
        for column in range(len(sizes), MAX_COLUMNS):
            self.pictures[column].set_visible(False)
            _set_text(self.titles[column], "")
            _set_text(self.more[column], "")
        for i, label in enumerate(self.input_names):
            shown = i < len(layout.positions[0])
            x, y = layout.positions[0][i] if shown else (0, 0)
            _set_text(label, input_names[i] if shown else "", (x - t / 2 - 3, y))
        corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1], [np.nan, np.nan]]) * t / 2
        self.frames.set_data(*np.concatenate([c + corners for p in layout.positions for c in p]).T)
        self._segments, self._styles = _segments(layout), None
        self.highlight(None)

    def draw(self, outputs, weights):
        """Colour every shown unit's picture from `outputs` (one (N, n) array per layer, as GridPass gives,
        the last the class probabilities) and draw every shown weight of `weights` (the W matrices)."""
        r, resolution = self.tile_resolution, round(len(outputs[0]) ** 0.5)
        last = len(outputs) - 1
        for column, (values, buffer, picture) in enumerate(zip(outputs, self._buffers, self.pictures, strict=False)):
            k = len(buffer)
            small = tiles(values[:, :k], resolution, r)
            if column == last and k > 1:  # class probabilities (one output: a regression's value, as a unit's)
                rgb = np.stack([probability_colors(small[..., j], j) for j in range(k)], axis=2)
            else:
                rgb = diverging_colors(small)
            buffer[:, :r, :, :3] = rgb.transpose(2, 0, 1, 3)[:, ::-1]
            tiles_now = buffer.reshape(-1, r, 4)[:-GAP]
            if not np.array_equal(picture.get_array(), tiles_now):  # else as drawn (weights and plane as they
                picture.set_data(tiles_now)  # were): its picture is not encoded, sent or decoded again
        values = np.concatenate([W[:len(a), :len(b)].ravel() for W, a, b in
                                 zip(weights, self.layout.positions, self.layout.positions[1:], strict=False)])
        styles = 2 * np.searchsorted(WEIGHT_EDGES, np.abs(values), side="right") + (values < 0)  # step, sign
        if self._styles is not None and np.array_equal(styles, self._styles):
            return  # every line as it was (a data control): its SVG layer is not written, sent, parsed, painted
        self._styles = styles
        for (sign, step), line in self.weights.items():
            chosen = styles == 2 * step + (sign < 0)
            line.set_data(self._segments[0][chosen].ravel(), self._segments[1][chosen].ravel())
            if line.get_visible() != chosen.any():  # an empty line is left out (drawing one costs as much)
                line.set_visible(chosen.any())

    def highlight(self, part):
        """Mark a unit (a square around its picture) or a weight (its line, in black on white), or nothing."""
        self.mark.set_visible(part is not None)
        self.halo.set_visible(part is not None and part.kind == "weight")
        if part is None:
            return
        p, half = self.layout.positions, self.layout.tile / 2 + 2
        if part.kind == "unit":
            x, y = p[part.layer][part.unit]
            self.mark.set_data([x - half, x + half, x + half, x - half, x - half],
                               [y - half, y - half, y + half, y + half, y - half])
        else:
            (x0, y0), (x1, y1) = p[part.layer - 1][part.source], p[part.layer][part.unit]
            xs, ys = [x0 + half - 2, x1 - half + 2], [y0, y1]
            self.halo.set_data(xs, ys)
            self.mark.set_data(xs, ys)


def _set_text(text, words, position=None, horizontalalignment=None):
    """Change a text that is drawn only when it says something: an empty matplotlib text is never marked as
    drawn, so LiveFigure would write it again on every redraw. A text left as it was is not touched: any
    setter marks it stale, and a new network would then write every unchanged title and name again."""
    if position is not None and tuple(text.get_position()) != tuple(position):
        text.set_position(position)
    if horizontalalignment is not None and text.get_horizontalalignment() != horizontalalignment:
        text.set_horizontalalignment(horizontalalignment)
    if text.get_text() != words:
        text.set_text(words)
    if text.get_visible() != bool(words):
        text.set_visible(bool(words))


def _column_title(column, columns, n):
    name = "input" if column == 0 else "output" if column == columns - 1 else f"layer {column}"
    return f"{name}{'s' if column == 0 and n > 1 else ''}"


def _weight_color(sign, step):
    hue = colors.rgb(colors.PALETTE[0] if sign > 0 else colors.PALETTE[1])
    return tuple(1.0 - WEIGHT_STRENGTH[step] * (1.0 - hue))


def _dashes(width):
    """A dash pattern that reads as dashed at every width: matplotlib scales it by the width."""
    return (0, (max(3.0, 2.5 * width) / width, max(1.8, 1.2 * width) / width))


def _segments(layout):
    """Every shown weight's line, from the right side of its source's square to the left side of its unit's,
    as x and y arrays of shape (weights, 3) (the third point NaN: a break in the path), in the order of
    ``np.concatenate([W[:shown_in, :shown_out].ravel() for W in weights])``."""
    xs, ys, half = [], [], layout.tile / 2
    for a, b in zip(layout.positions, layout.positions[1:], strict=False):
        start, end = np.repeat(a, len(b), axis=0), np.tile(b, (len(a), 1))  # row-major: source, then unit
        xs.append(np.column_stack([start[:, 0] + half, end[:, 0] - half, np.full(len(start), np.nan)]))
        ys.append(np.column_stack([start[:, 1], end[:, 1], np.full(len(start), np.nan)]))
    return np.concatenate(xs), np.concatenate(ys)
