"""Text alternatives and data tables say what the figure draws: each number is checked against the data
the artists were given, computed here independently."""

import base64
import html
import io
import re

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from nnlite import figure_text, viz
from nnlite.figure_text import data_table, describe, number, set_data_tables, set_text_alternative, text_alternative
from nnlite.widgets import LiveFigure


@pytest.mark.parametrize("value, text", [(0, "0"), (4.0, "4"), (0.1, "0.1"), (0.012345, "0.0123"), (1234.5, "1230"),
                                         (-0.000123456, "-0.000123"), (2.5e-7, "2.5e-07"), (123456789, "1.23e+08"),
                                         (np.inf, "infinity"), (np.nan, "not a number")])
def test_numbers_are_written_to_three_significant_digits(value, text):
    assert number(value) == text


def test_noise_around_zero_is_written_as_zero():
    assert number(3e-17, span=2.0) == "0" and number(3e-17) == "3e-17" and number(0.001, span=2.0) == "0.001"


def test_a_line_is_described_by_the_numbers_it_draws():
    fig, ax = viz.new_axes()
    x = np.linspace(0, 6, 61)
    y = 1 + np.cos(x)
    ax.plot(x, y, color=viz.PALETTE[1], label="1 + cos x")
    ax.set(title="a wave", xlabel="t (s)", ylabel="height (m)")
    text = describe(fig)
    low, high = np.argmin(y), np.argmax(y)
    assert text.startswith("Figure: 'a wave'. X axis 't (s)' from ")
    assert "y axis 'height (m)'" in text
    assert (f"Orange line '1 + cos x': 61 points from x = 0 to 6; y starts at {number(y[0])} and ends at "
            f"{number(y[-1])}, lowest {number(y[low], 4)} at x = {number(x[low])}, highest {number(y[high])} at "
            f"x = 0.") in text
    ax.lines[0].set_ydata(2 * y)  # the words follow the artist, not a copy of the data
    assert f"y starts at {number(2 * y[0])}" in describe(fig)


def test_log_scales_points_images_bars_and_texts_are_described():
    fig, (left, right) = viz.new_axes(2)
    left.plot([1, 2, 3], [10.0, 1.0, 0.1], "o", color=viz.PALETTE[3], label="norms")
    left.set_yscale("log")
    left.axhline(1.0, color="0.5")  # a guide, not data: left out
    right.imshow(np.array([[0.0, 0.5], [1.0, 2.0]]), cmap="viridis")
    right.bar([0, 1], [3.0, 4.0], label="counts")
    right.text(0, 0, "peak")
    text = describe(fig)
    assert text.startswith("Figure with 2 panels. Panel 1:")
    assert "(log scale)" in text and "3 vermillion circles 'norms', x from 1 to 3, y from 0.1 (at x = 3) to 10" in text
    assert "A 2 x 2 image of values from 0 to 2 (colour scale viridis, low to high)" in text
    assert "2 bars 'counts': 3 at x = 0, 4 at x = 1." in text and "Labels: 'peak'." in text
    assert text.count("line") == 0


def test_class_regions_and_points_are_counted_as_drawn():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2))
    y = (X[:, 0] > 0.3).astype(int)
    probs = np.zeros((20, 20, 2))
    probs[:, :7, 0], probs[:, 7:, 1] = 0.9, 0.8  # 7 of 20 columns class 0
    probs[:, :7, 1], probs[:, 7:, 0] = 0.1, 0.2
    fig, ax = viz.new_axes()
    ax.imshow(viz.region_colors(probs), origin="lower")
    viz.plot_points(X, y, ax)
    text = describe(fig)
    assert "Coloured regions (orange 65%, blue 35% of the area)" in text
    assert f"{(y == 0).sum()} blue circles 'class 0'" in text and f"{(y == 1).sum()} orange squares 'class 1'" in text
    assert figure_text.region_shares(np.full((3, 3, 3), 0.5)) is None  # a grey picture is no region map


def test_a_lab_can_give_its_own_words():
    fig, ax = viz.new_axes()
    (line,) = ax.plot([1, 2, 3], [0.9, 0.5, 0.21])
    set_text_alternative(fig, "train loss 0.21 after 3 epochs")
    assert text_alternative(fig) == "train loss 0.21 after 3 epochs"
    set_text_alternative(fig, lambda f: f"train loss {number(f.axes[0].lines[0].get_ydata()[-1])}")
    line.set_ydata([0.9, 0.5, 0.3])
    assert text_alternative(fig) == "train loss 0.3"
    set_text_alternative(fig, None)
    assert text_alternative(fig) == describe(fig)
    with pytest.raises(TypeError, match="text must be a string, a function of the figure or None, got int"):
        set_text_alternative(fig, 3)


def test_the_data_table_samples_long_lines_and_keeps_their_ends():
    fig, ax = viz.new_axes()
    x = np.arange(100.0)
    ax.plot(x, x ** 2, label="squares")
    ax.set_title("growth")
    table = data_table(fig)
    rows = re.findall(r"<tr><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td></tr>", table)
    assert len(rows) == figure_text.MAX_ROWS and rows[0] == ("0", "0") and rows[-1] == ("99", "9800")
    assert all(number(float(a) ** 2) == b for a, b in rows)  # each row is a point of the line
    assert "<caption style='text-align:left;font-weight:bold'>growth: squares</caption>" in table
    assert "21 of its 100 points, evenly spaced." in table and "<th scope='col'" in table
    assert "<table" in table._repr_html_()


def test_a_live_figure_publishes_its_words_with_every_redraw():
    live = LiveFigure(figsize=(4, 3))
    ax = live.subplots()
    ax.set(xlim=(0, 1), ylim=(0, 3))
    (line,) = ax.plot([0, 1], [0, 1], label="loss")
    live.animate(line)
    live.redraw()
    assert live.text == describe(live.fig) and "ends at 1" in live.text
    assert f'role="img" aria-label="{html.escape(live.text, quote=True)}"' in live.overlay.value
    line.set_ydata([0, 2.5])
    live.redraw()
    assert "ends at 2.5" in live.text and "ends at 2.5" in live.overlay.value


def test_an_inline_figure_is_html_with_its_png_and_its_words():
    fig, ax = viz.new_axes(figsize=(4, 3))
    ax.plot([0, 1, 2], [3.0, 1.0, 2.0], label="errors")
    out = viz._inline_html(fig)
    alt, width, source = re.fullmatch(r'<img alt="([^"]*)" width="(\d+)" src="data:image/png;base64,([^"]+)">',
                                      out).groups()
    assert html.unescape(alt) == describe(fig) and "lowest 1 at x = 1" in html.unescape(alt)
    png = Image.open(io.BytesIO(base64.b64decode(source)))
    assert png.width == 2 * int(width)  # two image pixels per CSS pixel: sharp on HiDPI screens
    assert viz._inline_html(fig) == out  # the same figure, the same bytes and words


def test_a_figure_can_give_its_own_tables():
    fig = Figure()
    fig.add_subplot().plot([0, 1], [2, 3], label="a line")
    assert "a line" in data_table(fig)
    set_data_tables(fig, lambda _fig: [("weights", ["from", "unit 1"], [["x₁", "0.5"]])])
    table = data_table(fig)
    assert "<caption style='text-align:left;font-weight:bold'>weights</caption>" in table and "a line" not in table
    assert ">x₁</td><td style=" in table and ">0.5</td>" in table
    set_data_tables(fig, None)
    assert "a line" in data_table(fig)
    with pytest.raises(TypeError, match="tables must be a function of the figure or None, got list"):
        set_data_tables(fig, [])


def test_a_dashed_or_dotted_line_is_said_so_not_told_by_colour_alone():
    fig = Figure()
    ax = fig.subplots()
    ax.plot([0, 1], [1, 2], color=viz.PALETTE[1], linestyle="--", label="validation loss")
    ax.plot([0, 1], [2, 1], color=viz.PALETTE[1], label="training loss")
    ax.axhline(1.5, color="k", linestyle=":", label="ln 3")
    words = describe(fig)
    assert "Orange dashed line 'validation loss'" in words and "orange line 'training loss'" in words.lower()
    assert "dotted horizontal line at y = 1.5 'ln 3'" in words


def test_words_follow_what_the_axes_show_not_what_lies_beyond_them():
    # a line that runs past the x limits is described where it is seen (notebook 01: a 10-epoch panel of a
    # 640-epoch run must not say where the run ended), a labelled axhline by its height, horizontal bars by
    # their widths (notebook 00: the probabilities, not the bars' thickness)
    fig = Figure()
    ax = fig.subplots()
    ax.plot(np.arange(100), np.linspace(4.0, 0.24, 100), label="batch 64")
    ax.set_xlim(0, 10)
    ax.axhline(0.25, color="k", label="noise floor")
    words = describe(fig)
    assert "11 points from x = 0 to 10" in words and "0.24" not in words
    assert "It goes on beyond the axes: 89 more points." in words  # its shown end is not where it ends
    fig = Figure()
    ax = fig.subplots()
    ax.plot([0, 1, 9], [0, 1, 2], label="a walk that leaves the frame")  # notebook 01: lr 0.4 explodes
    ax.set(xlim=(0, 5), ylim=(0, 5))
    assert "2 points from x = 0 to 1" in describe(fig) and "beyond the axes: 1 more point." in describe(fig)
    assert "horizontal line at y = 0.25 'noise floor'" in words and "from x = 0 to 1;" not in words
    fig = Figure()
    ax = fig.subplots()
    ax.barh([0, 1], [0.047, 0.953], label="P")
    assert "2 bars 'P': 0.047 at y = 0, 0.953 at y = 1." in describe(fig)
    assert re.search(r"<th[^>]*>y</th><th[^>]*>width</th>", data_table(fig))


def test_hollow_markers_are_named_open_in_their_edge_colour_not_black():
    fig, ax = viz.new_axes()
    ax.plot([0, 1, 2], [1, 2, 3], "o", color=viz.PALETTE[0], markerfacecolor="none")  # open circles
    ax.plot([0, 1], [0, 1], "o", color=viz.PALETTE[1])  # filled circles
    text = describe(fig)
    assert "3 open blue circles" in text and "2 orange circles" in text and "black" not in text


def test_a_line_break_in_a_title_label_or_axis_name_is_read_as_a_space():
    """A screen reader reads the text alternative aloud: repr() spelled a line break as \\n ("backslash n"), in
    titles such as 07's "seed 0, no decay, epoch 300\\nvalidation accuracy 80.0%" and in labels."""
    fig = Figure()
    ax = fig.subplots()
    ax.bar([1, 2], [0.5, 1.0], label="off\nfor every point")
    ax.set(title="seed 0\nvalidation accuracy 80 %", xlabel="hidden\nlayer")
    ax.text(0.5, 0.5, "sigmoid has no off side:\nz <= 0 still passes a gradient")
    words = describe(fig)
    assert "\\n" not in words and "\n" not in words
    assert "'seed 0 validation accuracy 80 %'" in words and "'hidden layer'" in words
    assert "'sigmoid has no off side: z <= 0 still passes a gradient'" in words and "'off for every point'" in words
