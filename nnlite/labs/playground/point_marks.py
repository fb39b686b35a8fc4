"""How the playground draws its points: the class in colour AND in shape, the set in the fill.

Colour is never the only channel (WCAG 2.1, success criterion 1.4.1): class k is drawn in
`viz.PALETTE[k]` and in the shape `colors.MARKERS[k]` (circle, square, triangle, ...), so a
student who cannot tell blue from orange still tells class 0 from class 1. Which set a point
belongs to is in its fill: training points are filled, validation points hollow (an outline in
the class colour), test points half filled. The views' keys say so in words.
"""

import numpy as np

from ... import colors, viz

MAX_CLASSES = len(colors.MARKERS)  # your own points may have up to 10 classes (nl.datasets.MAX_CLASSES)
SETS = {  # matplotlib marker styles per set; the class sets the colour and the shape
    "train": {"markersize": 4.2, "markeredgecolor": "k", "markeredgewidth": 0.5},
    "validation": {"markersize": 4.6, "markerfacecolor": "none", "markeredgewidth": 1.3},
    "test": {"markersize": 4.8, "fillstyle": "left", "markerfacecoloralt": "white", "markeredgecolor": "k",
             "markeredgewidth": 0.6},
}
FILLS = {"train": "filled", "validation": "hollow", "test": "half filled"}


ZERO = 0.05  # a regression's targets within this of 0 are drawn as "about 0"


def drawn_classes(y):
    """The class each point is drawn as: its label; or, for a regression's real targets, TensorFlow
    Playground's colours for positive and negative values: 0 (blue circles) above ZERO, 1 (orange squares)
    below -ZERO, and 7 (black stars) for targets about 0 (the text alternative gives the numbers)."""
    if y.dtype.kind != "f":
        return y
    return np.where(y > ZERO, 0, np.where(y < -ZERO, 1, 7))


def class_style(part, k):
    """The matplotlib style of class k's points of a set ("train", "validation" or "test")."""
    color = viz.PALETTE[k]
    style = {"linestyle": "none", "marker": colors.MARKERS[k], **SETS[part]}
    if part == "validation":
        style["markeredgecolor"] = color
    else:
        style["markerfacecolor"] = color
    return style


def point_lines(ax, parts, n_classes=MAX_CLASSES):
    """One empty marker line per set and class on `ax`: {part: [line of class 0, line of class 1, ...]}.
    (LiveFigure writes a line's markers as one SVG path, many times faster than a scatter.)"""
    return {part: [ax.plot([], [], **class_style(part, k))[0] for k in range(n_classes)] for part in parts}


def show_lines_with_points(points, hidden=()):
    """Draw only the lines of `points` ({part: lines}, as `point_lines` makes) that have points, and none of
    the parts in `hidden`. New axis limits make LiveFigure write every drawn line again, and most of the
    lines of ten classes are empty (writing the 25 empty ones of a two-class data set took 2 ms of a move)."""
    for part, lines in points.items():
        for line in lines:
            shown = len(line.get_xdata()) > 0 and part not in hidden
            if line.get_visible() != shown:
                line.set_visible(shown)


def key_handles(parts):
    """Legend handles that say what the fill means, in grey circles: 'train (filled)', 'validation (hollow)'."""
    import matplotlib.lines as mlines

    handles = []
    for part in parts:
        style = {**class_style(part, 0), "marker": "o"}
        for key in ("markerfacecolor", "markeredgecolor"):
            if style.get(key) not in (None, "none", "k", "white"):
                style[key] = "0.45"
        handles.append(mlines.Line2D([], [], label=f"{part} ({FILLS[part]})", **style))
    return handles


def shapes_words(n_classes):
    """The classes' shapes in words: 'class 0 blue circles, class 1 orange squares'."""
    return ", ".join(f"class {k} {colors.NAMES[k]} {colors.MARKER_NAMES[colors.MARKERS[k]]}" for k in range(n_classes))
