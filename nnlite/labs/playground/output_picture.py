"""The large picture next to the network diagram: the class regions, or the picture of one unit.

As TensorFlow Playground's large heat map (src/playground.ts, src/heatmap.ts): it shows the network's
output over the input plane with the data on it, and, while a unit of the diagram is hovered or
selected, that unit's output instead. Its two options are TensorFlow Playground's: `show_test` adds the
test points (half filled; the playground keeps them aside until the end of a lesson, so they are off by
default), and `discrete` draws every point of the plane in the full colour of its class (of its sign,
for a unit), without the paler shades of an unsure network.
"""

import numpy as np

from ... import colors, viz
from ..._validate import check_int
from ...figure_text import set_text_alternative
from ...widgets import LiveFigure
from .point_marks import FILLS, SETS, drawn_classes, point_lines, show_lines_with_points
from .unit_pictures import diverging_colors, probability_colors

KEYS = {"train": "\u25cf train", "validation": "\u25cb validation", "test": "\u25d0 test"}  # filled, hollow, half


class OutputPicture:
    """A LiveFigure (`live`) of the input plane: a picture of resolution x resolution data pixels and the
    training, validation and (with `show_test`) test points, each set in its own marker shape.

    The axes have no ticks, so new data (new limits) changes no static pixel. The points are a layer of
    their own, written again only with new data or a new option: a move sends the picture and its title.
    """

    def __init__(self, resolution=60, figsize=(3.4, 3.4)):
        self.resolution = check_int(resolution, "resolution", minimum=2)
        self.live = LiveFigure(figsize=figsize)
        self.ax = ax = self.live.subplots()
        self.image = ax.imshow(np.ones((2, 2, 3), np.uint8), origin="lower", extent=(0, 1, 0, 1), aspect="auto",
                               interpolation="bilinear")
        self.points = point_lines(ax, SETS)  # the class in colour and shape, the set in the fill
        self.title = ax.set_title("class regions", fontsize="medium")
        self.key = ax.text(0.5, -0.02, "", transform=ax.transAxes, ha="center", va="top", fontsize="small",
                           color="0.3")
        ax.set(xticks=[], yticks=[])
        ax.grid(False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(True)
        self.live.animate(self.image, self.title)  # new on almost every move
        self.live.animate(*(line for lines in self.points.values() for line in lines), self.key, layer=1)
        self.show_test, self.discrete = False, False
        self.words, self._counts = "Class regions: nothing drawn yet.", {}
        set_text_alternative(self.live.fig, lambda _fig: f"{self.words} {self._points_words()}")
        self._pixels = np.empty((self.resolution, self.resolution, 3), dtype=np.uint8)  # reused by every picture
        self.set_options()

    def set_points(self, train, validation, test, extent):
        """New data: (X, y) of each set, and the extent (xmin, xmax, ymin, ymax) of the plane drawn."""
        for part, (X, y) in (("train", train), ("validation", validation), ("test", test)):
            y = drawn_classes(y)
            for k, line in enumerate(self.points[part]):
                line.set_data(X[y == k, 0], X[y == k, 1])
            self._counts[part] = len(X)
        self.image.set_extent(extent)
        self.ax.set(xlim=extent[:2], ylim=extent[2:])
        self._show_lines()

    def set_options(self, show_test=None, discrete=None):
        """show_test: draw the test points too; discrete: full colours only. None leaves an option as it is."""
        self.show_test = self.show_test if show_test is None else bool(show_test)
        self.discrete = self.discrete if discrete is None else bool(discrete)
        self._show_lines()
        self.key.set_text("\u2003".join(KEYS[part] for part in SETS if part != "test" or self.show_test))

    def _show_lines(self):  # the test points' lines only when shown
        show_lines_with_points(self.points, hidden=() if self.show_test else ("test",))

    def draw_regions(self, probs):
        """The class regions of class probabilities `probs` (resolution², classes): each point its likeliest
        class's colour, paler where the network is unsure (`viz.region_colors`), or full colour if discrete.
        A network with one output (a regression): that output, coloured as a unit's picture."""
        if probs.shape[1] == 1:
            values = probs[:, 0]
            self._set(diverging_colors(values.reshape(self.resolution, self.resolution), discrete=self.discrete),
                      "output" + (" (discrete)" if self.discrete else ""),
                      f"Output over the plane (a regression): from {values.min():.2f} to {values.max():.2f}, blue "
                      "where positive, orange where negative.")
            return
        if self.discrete:
            probs = np.eye(probs.shape[1])[probs.argmax(axis=1)]
        rgb = viz.region_colors(probs.reshape(self.resolution, self.resolution, -1))
        np.multiply(rgb, 255, out=self._pixels, casting="unsafe")
        shares = np.bincount(probs.argmax(axis=1), minlength=probs.shape[1]) / len(probs)
        self._set(self._pixels, "class regions" + (" (discrete)" if self.discrete else ""),
                  "Class regions over the plane: " + ", ".join(
                      f"{colors.NAMES[k]} (class {k}) {round(100 * share)}%" for k, share in enumerate(shares)) + ".")

    def draw_unit(self, values, name, words, k=None):
        """One unit's output at every grid point (`values`, resolution²), coloured as in the diagram; for
        output unit `k`, class k's probability (discrete: full colour where it is above one half). `name`:
        the title; `words`: what the picture shows, for screen readers."""
        values = values.reshape(self.resolution, self.resolution)
        if k is None:
            rgb = diverging_colors(values, discrete=self.discrete)
        else:
            rgb = probability_colors(values > 0.5 if self.discrete else values, k)
        self._set(rgb, name, f"{name[0].upper()}{name[1:]}: {words}.")

    def _points_words(self):
        shown = [part for part in SETS if part != "test" or self.show_test]
        return "Points: " + ", ".join(f"{self._counts.get(part, 0)} {part} ({FILLS[part]})"
                                      for part in shown) + "."

    def _set(self, pixels, title, words):
        self.image.set_data(pixels)
        self.words = words
        if self.title.get_text() != title:
            self.title.set_text(title)
