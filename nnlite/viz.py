"""Plots for the course, in one colour-blind-safe style, each with a text alternative.

Every function draws on an ``ax`` you pass (or a new one) and returns what it drew,
so notebooks stay short and views can update the artists later.

Importing this module changes nothing. A notebook's first cell calls
``viz.presentation(False)``: it applies the course style (colours, sizes, 80 CSS pixels
per inch) and sends inline figures at two image pixels per CSS pixel, so they are sharp on
HiDPI screens. ``viz.presentation(True)`` does the same for the back of a room; as a context
(``with viz.presentation(True): ...``) it holds only inside the block.

Every inline figure carries a text alternative, the words a screen reader reads for it:
`describe(fig)` writes them from the figure's artists, or a lab gives its own with
`set_text_alternative(fig, text)`; `data_table(fig)` shows the figure's numbers as a table
(all three from `nnlite.figure_text`). Colours and marker shapes come from `nnlite.colors`.
"""

import base64
import html
import math

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from . import render
from .colors import FILLS, MARKERS, PALETTE  # noqa: F401  (the course's colours and shapes, named here too)
from .figure_text import data_table, describe, set_text_alternative, text_alternative  # noqa: F401

SCREEN_DPI = 80  # CSS pixels per inch of a figure on screen: 80 keeps 9-inch figures inside a notebook
# On a projector every figure is drawn twice as large: the smallest text (10 pt) is then 22 px,
# above JupyterLab's 17 px body text in presentation mode, even at 90 % of its size.
PRESENTATION_SCALE = 2.0
# ... and no wider than this many CSS pixels: JupyterLab's output area is 798 px wide in
# presentation mode on a 1024 x 768 projector with the file browser closed.
PRESENTATION_WIDTH = 780

_STYLE = {"font.size": 11, "axes.titlesize": 12, "axes.labelsize": 11, "xtick.labelsize": 10, "ytick.labelsize": 10,
          "legend.fontsize": 10, "lines.linewidth": 2.0, "lines.markersize": 6}
_state = {"presentation": False}


def course_style(presentation_mode=False):
    """The course's matplotlib settings, as a dict for ``rcParams.update`` or ``rc_context``."""
    dpi = SCREEN_DPI * (PRESENTATION_SCALE if presentation_mode else 1.0)
    return {"axes.prop_cycle": mpl.cycler(color=PALETTE), "axes.grid": True, "grid.alpha": 0.3,
            "axes.spines.top": False, "axes.spines.right": False, "figure.dpi": dpi, "savefig.dpi": dpi,
            "image.cmap": "viridis", **_STYLE}


class presentation:  # noqa: N801  (lower case: used like a function, as numpy's errstate)
    """The course style, for a laptop (on=False) or for the back of a room (on=True).

    Call it once at the top of a notebook. With on=True every figure made afterwards, inline
    or live, is drawn at twice the resolution, so text, lines and markers all grow together;
    a figure that would then be wider than a projector's page (PRESENTATION_WIDTH) is made
    narrower, or its panels are stacked, instead of being shrunk back by the browser. Panels
    draw their controls larger too.

    As a context it holds only inside the block, and the settings before it come back:

        with viz.presentation(True):
            fig = ...  # a projector-sized figure
    """

    def __init__(self, on=True):
        self._before = (_state["presentation"], {key: mpl.rcParams[key] for key in course_style()})
        _state["presentation"] = bool(on)
        mpl.rcParams.update(course_style(_state["presentation"]))
        _send_inline_figures_sharp()

    def _ipython_display_(self):
        """Nothing to show: a notebook's first cell ends with this call (IPython's display protocol)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        _state["presentation"], settings = self._before
        mpl.rcParams.update(settings)


def presentation_on():
    """Whether presentation mode is on."""
    return _state["presentation"]


def fit_figsize(figsize, dpi=None):
    """`figsize` (inches), narrowed in presentation mode so that it is at most
    PRESENTATION_WIDTH CSS pixels wide at `dpi` (default: the current figure dpi)."""
    width, height = figsize
    dpi = dpi or mpl.rcParams["figure.dpi"]
    if _state["presentation"]:
        width = min(width, PRESENTATION_WIDTH / dpi)
    return (width, height)


def fit_figure(fig):
    """Make an existing figure fit a projector's page (presentation mode only; otherwise
    nothing changes). A row of panels is rewrapped into as many columns as fit, each panel
    keeping its size; a single panel too wide is made narrower. Returns the figure."""
    width, height = fig.get_size_inches()
    limit = PRESENTATION_WIDTH / fig.dpi
    if not _state["presentation"] or width <= limit:
        return fig
    axes = [ax for ax in fig.axes if ax.get_subplotspec() is not None]
    grids = {ax.get_subplotspec().get_gridspec() for ax in axes}
    if len(grids) == 1 and len(axes) > 1 and next(iter(grids)).get_geometry() == (1, len(axes)):
        columns = max(1, int(limit // (width / len(axes))))
        rows = math.ceil(len(axes) / columns)
        grid = fig.add_gridspec(rows, columns)
        for i, ax in enumerate(sorted(axes, key=lambda a: a.get_subplotspec().colspan.start)):
            ax.set_subplotspec(grid[i // columns, i % columns])
        width, height = min(width * columns / len(axes), limit), height * rows
    fig.set_size_inches(min(width, limit), height)
    return fig


def _inline_png(fig):
    """PNG of an inline figure at two image pixels per CSS pixel, fitted to a projector's page.

    "tight" cropping also keeps text that sticks out of the figure (a long tick label or title),
    which can make the picture wider than the figure: in presentation mode the figure is narrowed
    by that overhang (three times at most: the layout moves as it narrows) so the picture fits.
    Returns (PNG bytes, {"width": .., "height": ..} in CSS pixels), as IPython's retina_figure does."""
    from IPython.core.pylabtools import retina_figure

    fit_figure(fig)
    if _state["presentation"]:  # a title longer than the projector's page wraps instead of widening the picture
        for text in [ax.title for ax in fig.axes] + [t for t in [render.suptitle(fig)] if t is not None]:
            text.set_wrap(True)
    for _ in range(3 if _state["presentation"] else 0):  # off the projector, nothing to measure: draw once
        limit = 0.98 * PRESENTATION_WIDTH / fig.dpi
        fig.draw_without_rendering()
        padding = 2 * mpl.rcParams["savefig.pad_inches"]  # "tight" adds it around the text on both sides
        overhang = fig.get_tightbbox().width + padding - limit
        if overhang <= 0:
            break
        width, height = fig.get_size_inches()
        fig.set_size_inches(max(width - overhang, 0.5 * limit), height)
    return retina_figure(fig, base64=False, bbox_inches="tight")


def _inline_html(fig):
    """An inline figure as ``<img alt="..." src="data:image/png;base64,...">``: its PNG (`_inline_png`) and
    its text alternative together.

    Why HTML and not an image/png output: JupyterLab 4's image renderer sets only an image's source and
    size, whatever alt text the output's metadata holds, so a PNG output reaches a screen reader as an
    unnamed picture. An ``<img>`` in a text/html output keeps its alt, in JupyterLab, Notebook 7, Voila
    and nbconvert, and also when a saved notebook is opened before its cells run (its HTML is sanitized
    then: alt, width and a data: source survive). The notebook is no larger: the same base64 PNG, plus
    the words. `width` is the CSS width, half the PNG's pixels, as IPython's own retina output gives it.
    """
    picture = _inline_png(fig)
    if picture is None:  # nothing drawn: no output, as IPython's own formatter does
        return None
    png, size = picture
    alt = html.escape(text_alternative(fig), quote=True)
    return (f'<img alt="{alt}" width="{size["width"]}" '
            f'src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">')


def _send_inline_figures_sharp():
    """In a notebook kernel with the inline backend, send figures at two image pixels per CSS pixel,
    with their text alternative (`_inline_html`)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or "inline" not in mpl.get_backend():
        return
    import matplotlib_inline.backend_inline  # noqa: F401  (sets up the inline backend now, not later)

    _register_figure_formatters(shell)
    # matplotlib_inline may set its own figure formats only after the first cell has run (it does with
    # matplotlib 3.7), dropping ours: put them back after every cell if they are gone (a dict lookup).
    if _restore_figure_formatters not in shell.events.callbacks["post_run_cell"]:
        shell.events.register("post_run_cell", _restore_figure_formatters)


def _no_png(fig):
    return None  # no image/png output: the text/html one holds the picture


def _register_figure_formatters(shell):
    formatters = shell.display_formatter.formatters
    formatters["image/png"].for_type(Figure, _no_png)
    formatters["text/html"].for_type(Figure, _inline_html)


def _restore_figure_formatters(*_):
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None and shell.display_formatter.formatters["text/html"].type_printers.get(Figure) is not \
            _inline_html:
        _register_figure_formatters(shell)


def new_axes(ncols=1, figsize=(6, 3.6), nrows=1):
    """A new figure (not tied to pyplot) and its axes, in the course style."""
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.subplots(nrows, ncols, squeeze=False).ravel() if ncols * nrows > 1 else fig.subplots()


def get_axes(ax, figsize=(6, 3.6)):
    """`ax` itself, or new axes on a pyplot figure (so it shows inline) when `ax` is None."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # only when no axes were given: lets inline figures show

    return plt.subplots(figsize=figsize, layout="constrained")[1]


def plot_activation(activation, ax=None, x_range=(-4.0, 4.0), points=401):
    """The activation f(x) and its derivative f'(x) on one axes. Returns (f line, f' line)."""
    from .activations import get_activation

    act = get_activation(activation)
    ax = get_axes(ax)
    x = np.linspace(*x_range, points)
    (f_line,) = ax.plot(x, act.forward(x), color=PALETTE[0], label=f"{act.name}(x)")
    (d_line,) = ax.plot(x, act.derivative(x), color=PALETTE[1], linestyle="--", label=f"{act.name}'(x)")
    ax.axhline(0, color="0.5", linewidth=0.8)
    ax.axvline(0, color="0.5", linewidth=0.8)
    ax.set_xlabel("x")
    ax.set_title(repr(act))
    ax.legend(loc="upper left")
    return f_line, d_line


def plot_loss(history, ax=None, log=False):
    """Training loss: every step (faint) and the mean of every epoch (bold), plus the
    validation loss (dashed, so that no curve is told apart by colour alone) when there is one.
    x is in epochs. Returns the list of lines."""
    ax = get_axes(ax)
    steps = len(history.step_loss)
    epochs = max(len(history.epoch_loss), 1)
    per_epoch = steps / epochs if history.epoch_loss else 1
    lines = ax.plot(np.arange(1, steps + 1) / per_epoch, history.step_loss, color=PALETTE[0], alpha=0.3,
                    linewidth=1, label="loss of each step")
    lines += ax.plot(np.arange(1, len(history.epoch_loss) + 1), history.epoch_loss, color=PALETTE[0],
                     marker="o" if len(history.epoch_loss) < 30 else None, label="mean loss of each epoch")
    if history.val_loss:
        lines += ax.plot(np.arange(1, len(history.val_loss) + 1), history.val_loss, color=PALETTE[1],
                         linestyle="--", label="validation loss")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.legend()
    return lines


def plot_grad_norms(norms, ax=None, label=None, **line_kwargs):
    """Gradient norm of every layer (input side = layer 1), on a log scale.

    `norms`: a (n_layers,) array, or a History (then the norms of its first step: the
    gradient at initialisation). Returns the line.
    """
    if hasattr(norms, "grad_norms"):
        norms = norms.grad_norms[0]
    norms = np.asarray(norms, dtype=float)
    ax = get_axes(ax)
    (line,) = ax.plot(np.arange(1, len(norms) + 1), norms, marker="o", label=label, **line_kwargs)
    ax.set_yscale("log")
    ax.set_xlabel("layer (1 = input side)")
    ax.set_ylabel("gradient norm ||dL/dW||")
    return line


def within_limits(values, limits):
    """`values` as drawn on an axis with fixed `limits` (low, high): a value beyond an edge is drawn at that edge,
    so a line that leaves the axis stays visible along it; NaN and +inf (a run that blew up) at the top edge,
    -inf at the bottom one."""
    low, high = limits
    values = np.asarray(values, dtype=float)
    return np.clip(np.nan_to_num(values, nan=high, posinf=high, neginf=low), low, high)


def grid_extent(X, margin=0.3):
    """(xmin, xmax, ymin, ymax): the box around 2-D points X, `margin` wider on every side."""
    X = np.asarray(X, dtype=float)
    (x0, y0), (x1, y1) = X.min(axis=0) - margin, X.max(axis=0) + margin
    return (x0, x1, y0, y1)


def grid_points(extent, resolution):
    """resolution x resolution points covering extent, row by row from the bottom (as imshow wants)."""
    x0, x1, y0, y1 = extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    return np.column_stack([gx.ravel(), gy.ravel()])


def decision_grid(model, X, resolution=120, margin=0.3):
    """The model's predicted class on a grid covering X: returns (grid_probs, extent).

    grid_probs has shape (resolution, resolution, n_classes); extent is
    (xmin, xmax, ymin, ymax) for imshow.
    """
    from .losses import softmax_unchecked

    extent = grid_extent(X, margin)
    logits = model.forward(grid_points(extent, resolution))
    return softmax_unchecked(logits).reshape(resolution, resolution, -1), extent


def region_colors(probs):
    """RGB image of class regions: each pixel is its class colour, paler where the model is unsure."""
    colors = np.array([mpl.colors.to_rgb(c) for c in FILLS])
    k = probs.shape[-1]
    winner = probs.argmax(axis=-1)
    confidence = (probs.max(axis=-1) - 1.0 / k) / (1.0 - 1.0 / k)  # 0 = a coin toss, 1 = sure
    base = colors[winner % len(colors)]
    return 1.0 - (1.0 - base) * (0.15 + 0.45 * confidence[..., None])


def plot_decision_regions(model, X, y, ax=None, resolution=120):
    """Coloured class regions of a 2-D classifier, with the data on top. Returns (image, list of scatters)."""
    ax = get_axes(ax, figsize=(4.5, 4.2))
    probs, extent = decision_grid(model, X, resolution)
    image = ax.imshow(region_colors(probs), origin="lower", extent=extent, aspect="auto", interpolation="bilinear")
    scatters = plot_points(X, y, ax)
    ax.set_xlim(extent[:2])
    ax.set_ylim(extent[2:])
    ax.grid(False)
    return image, scatters


def plot_points(X, y, ax):
    """Scatter a 2-D data set, each class in its colour AND its marker shape (class 0 blue circles, 1 orange
    squares, 2 green triangles, ...: `MARKERS`), so that the classes differ without colour too; dark edges
    make every point stand out on any region. One scatter per class, labelled "class k"; returns them."""
    X, y = np.asarray(X), np.asarray(y)
    return [ax.scatter(X[y == k, 0], X[y == k, 1], color=FILLS[k % len(FILLS)], marker=MARKERS[k % len(MARKERS)],
                       s=18, edgecolors="k", linewidths=0.5, label=f"class {k}") for k in np.unique(y)]


def network_positions(sizes):
    """x, y positions of every unit of a network drawn left (input) to right (output)."""
    positions = []
    for i, n in enumerate(sizes):
        ys = np.linspace(0.5, -0.5, n) * (n - 1) / max(max(sizes) - 1, 1) if n > 1 else np.zeros(1)
        positions.append(np.column_stack([np.full(n, float(i)), ys]))
    return positions


def draw_network(sizes, ax=None, node_labels=None, edge_labels=None, highlight_layer=None, title=None):
    """A network diagram: circles for units, lines for weights.

    node_labels: optional list (one per layer) of lists of strings written in the circles,
    e.g. forward values; edge_labels: optional list (one per weight matrix) of (n_in, n_out)
    arrays of strings written on the lines, e.g. gradients. highlight_layer colours the
    weights of one layer (0 = input side), to show where the backward pass is.
    Returns a dict of the drawn texts and lines, so a view can update them in place.
    """
    ax = get_axes(ax, figsize=(7, 3.6))
    pos = network_positions(sizes)
    drawn = {"edges": [], "edge_texts": [], "node_texts": []}
    for i in range(len(sizes) - 1):
        color = PALETTE[3] if highlight_layer == i else "0.6"
        layer_lines, layer_texts = [], []
        for a, (xa, ya) in enumerate(pos[i]):
            for b, (xb, yb) in enumerate(pos[i + 1]):
                (line,) = ax.plot([xa, xb], [ya, yb], color=color, linewidth=1.5, zorder=1)
                layer_lines.append(line)
                if edge_labels is not None:
                    t = 0.3 + 0.4 * ((a + b) % 2)  # stagger labels so crossing lines stay readable
                    layer_texts.append(ax.text(xa + t * (xb - xa), ya + t * (yb - ya), edge_labels[i][a][b],
                                               fontsize="small", ha="center", va="center", zorder=3,
                                               bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"}))
        drawn["edges"].append(layer_lines)
        drawn["edge_texts"].append(layer_texts)
    for i, layer in enumerate(pos):
        ax.scatter(layer[:, 0], layer[:, 1], s=900, color="white", edgecolors=PALETTE[0], linewidths=2, zorder=2)
        texts = []
        for j, (x, yy) in enumerate(layer):
            label = node_labels[i][j] if node_labels is not None else ""
            texts.append(ax.text(x, yy, label, ha="center", va="center", fontsize="small", zorder=4))
        drawn["node_texts"].append(texts)
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-0.75, 0.75)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return drawn

