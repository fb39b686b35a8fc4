"""The interactive layer without a browser: LiveFigure blitting, LiveRow, Panel wiring and errors,
HiDPI pictures, presentation mode."""

import base64
import io
import re

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.path import Path
from matplotlib.transforms import Affine2D
from PIL import Image

from nnlite import viz
from nnlite.widgets import LiveFigure, LiveRow, Panel, dropdown, log_slider, slider, text_line


def pixel_size(png):
    return Image.open(io.BytesIO(png)).size


def test_live_figure_sends_the_background_once_and_the_changing_artists_as_svg():
    live = LiveFigure(figsize=(4, 3))
    ax = live.subplots()
    ax.set(xlim=(0, 1), ylim=(0, 2))
    (line,) = ax.plot([0, 1], [0, 1])
    title = ax.set_title("first")
    live.animate(line, title)
    live.redraw()
    background, first = bytes(live.image.value), live.overlay.value
    assert background.startswith(b"\x89PNG")  # lossless: no ringing around small text
    assert pixel_size(background) == (640, 480)  # 2 image pixels per CSS pixel (4 in x 80 dpi = 320 px)
    assert live.widget.layout.width == "320px"  # shown at its CSS size
    assert first.startswith("<svg") and "first</text>" in first and 'width="100%"' in first
    line.set_ydata([1, 2])
    title.set_text("second")
    live.redraw()
    assert bytes(live.image.value) == background and live.overlay.value != first and live.redraws == 2
    assert "second</text>" in live.overlay.value and live.fig.dpi == 160  # the dpi is back after drawing SVG
    line.set_ydata([0, 1])
    title.set_text("first")
    live.redraw()
    assert live.overlay.value == first  # the same artists give the same SVG: no date, no random ids


def test_a_changing_image_goes_into_the_svg_as_its_data_pixels():
    live = LiveFigure(figsize=(4, 3))
    left, right = live.subplots(1, 2)
    smooth = live.animate(left.imshow(np.zeros((4, 5)), vmin=0, vmax=1, interpolation="bilinear"))
    blocky = live.animate(right.imshow(np.zeros((3, 3)), vmin=0, vmax=1, interpolation="nearest"))
    live.redraw()
    first, background = live.overlay.value, bytes(live.image.value)
    assert first.count("<image") == 2 and 'width="5" height="4"' in first and 'width="3" height="3"' in first
    assert first.count("pixelated") == 1  # the browser scales the bilinear one smoothly, the nearest one in blocks
    smooth.set_data(np.ones((4, 5)))
    live.redraw()
    assert live.overlay.value != first and bytes(live.image.value) == background
    assert smooth.get_interpolation() == "bilinear" and blocky.get_interpolation() == "nearest"  # restored
    smooth.set_data(np.zeros((4, 5)))
    live.redraw()
    assert live.overlay.value == first


def test_the_overlay_brings_no_style_sheet_into_the_page():
    # matplotlib's SVG starts with <style>*{...}</style>: in a page that rule reaches every element, and
    # each new overlay made Chromium restyle all of JupyterLab (50-130 ms a move, benchmarks/latency.py)
    live = LiveFigure(figsize=(4, 3))
    ax = live.subplots()
    live.animate(ax.plot([0, 1], [0, 1], marker="o")[0], ax.set_title("t"))
    live.redraw()
    svg = live.overlay.value
    assert "<style" not in svg and "*{" not in svg
    assert svg.count("<svg") == 1 and 'stroke-linejoin="round" stroke-linecap="butt"' in svg.split(">")[0]


def test_an_unchanged_artist_reuses_its_svg_and_a_changed_or_moved_one_does_not():
    live = LiveFigure(figsize=(4, 3))
    ax = live.subplots()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    points = live.animate(ax.plot([0.2, 0.8], [0.2, 0.8], "o")[0])
    title = live.animate(ax.set_title("one"))
    live.redraw()
    first = live.overlay.value
    drawn = []
    original_draw = points.draw
    points.draw = lambda renderer: (drawn.append(1), original_draw(renderer))
    title.set_text("two")
    live.redraw()
    assert not drawn and "two</text>" in live.overlay.value  # the points were not written again
    assert live.overlay.value.replace("two", "one") == first
    ax.set_xlim(0, 2)  # new limits without a full redraw: the points sit elsewhere now
    live.redraw()
    assert drawn and live.overlay.value.replace("two", "one") != first
    points.set_data([0.2], [0.2])  # a changed artist (stale) is written again
    drawn.clear()
    live.redraw()
    assert drawn


def test_vector_false_ships_whole_png_frames_restoring_the_background():
    live = LiveFigure(figsize=(4, 3), vector=False)
    ax = live.subplots()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    line = live.animate(ax.plot([0, 1], [0, 1])[0])
    live.redraw()
    first = bytes(live.image.value)
    assert first.startswith(b"\x89PNG") and pixel_size(first) == (640, 480) and live.overlay.value == ""
    line.set_ydata([1, 0])
    live.redraw()
    assert bytes(live.image.value) != first
    line.set_ydata([0, 1])
    live.redraw()
    assert bytes(live.image.value) == first  # the background was restored, not drawn over


def test_live_row_puts_each_panel_in_its_own_figure_that_wraps():
    row = LiveRow(3, panel_size=(3, 2.5))
    axes = row.subplots(1, 3)
    lines = [ax.plot([0, 1], [0, i])[0] for i, ax in enumerate(axes)]
    row.animate(*lines)
    row.redraw()
    assert [len(f.animated) for f in row.figures] == [1, 1, 1] and row.redraws == 1
    assert row.widget.layout.flex_flow == "row wrap" and len(row.widget.children) == 3
    before = [f.picture() for f in row.figures]
    lines[1].set_ydata([1, 0])
    row.redraw()
    after = [f.picture() for f in row.figures]
    assert after[0] == before[0] and after[1] != before[1] and after[2] == before[2]
    with pytest.raises(ValueError, match="nrows \\* ncols must be 3"):
        row.subplots(1, 2)
    with pytest.raises(ValueError, match="n \\(the number of panels\\)"):
        LiveRow(0)


def test_panel_calls_update_on_every_move_and_reports_errors_in_words():
    calls = []
    text = text_line()

    def update(a, kind):
        if a > 5:
            raise ValueError("a must be <= 5 here")
        calls.append((a, kind))
        text.value = f"{a} {kind}"

    panel = Panel(update, {"a": slider("a", 0, 10, 1, 1), "kind": dropdown("kind", ["x", "y"])}, [text])
    assert calls == [(1, "x")] and text.value == "1 x"
    panel.controls["kind"].value = "y"
    assert text.value == "1 y" and panel.error.value == ""
    panel.controls["a"].value = 7
    assert "a must be &lt;= 5 here" in panel.error.value and "ValueError" in panel.error.value
    assert text.value == "1 y"  # the last good output stays
    panel.controls["a"].value = 2
    assert panel.error.value == "" and text.value == "2 y"
    bundle = Panel(lambda a: None, {"a": slider("rate", 0, 1, 1, 0)}, [], title="Demo")._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("[interactive figure: Demo (controls: rate). Run this cell")
    assert "image/png" not in bundle  # no figure, no picture


def test_panel_bundle_carries_a_still_picture_of_its_figures():
    row = LiveRow(2, panel_size=(3, 2))
    axes = row.subplots(1, 2)
    line = row.animate(axes[0].plot([0, 1], [0, 1])[0])
    panel = Panel(lambda a: (line.set_ydata([0, a]), row.redraw()), {"a": slider("a", 0, 3, 1, 1)}, [row.widget])
    still = base64.b64decode(panel._repr_mimebundle_()["image/png"])
    assert pixel_size(still) == (480, 160)  # both panels side by side, at CSS size
    assert line.get_animated()  # still changing after the picture was taken
    panel.controls["a"].value = 2
    assert panel.error.value == ""


def test_control_factories():
    assert type(slider("n", 1, 30, 1, 5)).__name__ == "IntSlider"
    assert type(slider("x", 0.0, 1.0, 0.1, 0.5)).__name__ == "FloatSlider"
    lr = log_slider("lr", -3, 0, 0.1)
    assert lr.min == -3 and lr.max == 0 and abs(lr.value - 0.1) < 1e-12
    assert dropdown("act", [("ReLU", "relu"), ("tanh", "tanh")]).value == "relu"


def test_presentation_mode_draws_every_figure_twice_as_large_but_no_wider_than_the_page():
    import matplotlib as mpl

    small = LiveFigure(figsize=(4, 3))
    try:
        viz.presentation(True)
        big, wide = LiveFigure(figsize=(4, 3)), LiveFigure(figsize=(12, 3))
        panel = Panel(lambda a: None, {"a": slider("a", 0, 1, 1, 0)}, [])
        assert mpl.rcParams["figure.dpi"] == mpl.rcParams["savefig.dpi"] == 160  # inline figures too
    finally:
        viz.presentation(False)
    assert small.widget.layout.width == "320px" and big.widget.layout.width == "640px"
    assert wide.widget.layout.width == f"{viz.PRESENTATION_WIDTH}px"  # narrowed, not shrunk by the browser
    assert wide.fig.get_size_inches()[1] == 3
    assert "nnlite-presentation" in panel.widget._dom_classes  # larger controls
    assert mpl.rcParams["figure.dpi"] == 80


def test_fit_figure_stacks_a_row_of_panels_on_a_projector():
    fig = Figure(figsize=(12, 3), dpi=160)
    axes = fig.subplots(1, 3)
    assert viz.fit_figure(fig) is fig and tuple(fig.get_size_inches()) == (12, 3)  # not presenting: unchanged
    try:
        viz.presentation(True)
        viz.fit_figure(fig)
        single = Figure(figsize=(9, 3), dpi=160)
        single.subplots()
        viz.fit_figure(single)
    finally:
        viz.presentation(False)
    assert tuple(fig.get_size_inches()) == (4, 9)  # one 4-inch panel (640 px) per row, three rows
    assert [ax.get_subplotspec().rowspan.start for ax in axes] == [0, 1, 2]
    assert single.get_size_inches()[0] * 160 == pytest.approx(viz.PRESENTATION_WIDTH)


def test_an_inline_picture_fits_a_projector_page_with_the_margin_that_tight_cropping_adds():
    def wide():  # narrowed to the page by fit_figure; "tight" then crops to the text and adds
        fig = Figure(figsize=(9, 3), dpi=160, layout="constrained")  # savefig.pad_inches on each side
        fig.subplots().set_ylabel("a long label " * 4)
        return fig

    fig = wide()
    viz._inline_png(fig)
    assert tuple(fig.get_size_inches()) == (9, 3)  # not presenting: the figure is left alone
    try:
        viz.presentation(True)
        png, _ = viz._inline_png(wide())  # (PNG bytes, the size to show it at)
    finally:
        viz.presentation(False)
    assert pixel_size(png)[0] <= 2 * viz.PRESENTATION_WIDTH  # two image pixels per CSS pixel, no wider


def test_region_colors_are_paler_where_the_model_is_unsure():
    sure = viz.region_colors(np.array([[[1.0, 0.0]]]))
    unsure = viz.region_colors(np.array([[[0.5, 0.5]]]))
    assert sure.shape == (1, 1, 3) and unsure.min() > sure.min()


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "gelu"])
def test_plot_helpers_draw_on_given_axes(activation):
    import nnlite as nl

    fig, axes = viz.new_axes(ncols=3, figsize=(9, 3))
    f_line, d_line = viz.plot_activation(activation, ax=axes[0])
    assert len(f_line.get_xdata()) == 401
    X, y = nl.datasets.moons(n=40, seed=0)
    model = nl.MLP([2, 8, 2], activation=activation, seed=0)
    history = nl.fit(model, X, y, epochs=2, batch_size=8, lr=0.1)
    assert len(viz.plot_loss(history, ax=axes[1])) == 2
    image, _ = viz.plot_decision_regions(model, X, y, ax=axes[2], resolution=20)
    assert image.get_array().shape == (20, 20, 3)
    assert len(viz.plot_grad_norms(history, ax=axes[1]).get_ydata()) == 2
    drawn = viz.draw_network([2, 3, 1], ax=axes[0], node_labels=[["a", "b"], ["c", "d", "e"], ["f"]])
    assert [t.get_text() for t in drawn["node_texts"][2]] == ["f"] and len(drawn["edges"][0]) == 6


def test_the_markers_of_a_line_are_one_path_with_matplotlibs_shapes_at_matplotlibs_places():
    import re

    import matplotlib.backends.backend_svg as backend_svg

    from nnlite import widgets as nnlite_widgets

    live = LiveFigure(figsize=(4, 3))
    ax = live.subplots()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    rng = np.random.default_rng(0)
    xy = rng.random((2, 50))
    xy[0, 7] = np.nan  # a missing point is left out, as matplotlib leaves it out
    for marker, color in (("^", "C0"), ("o", "C1")):
        live.animate(ax.plot(*xy, linestyle="none", marker=marker, markerfacecolor=color, markeredgecolor="k")[0])
    live.redraw()
    compact = live.overlay.value
    live._svg_pieces.clear()
    original = nnlite_widgets._OverlayRenderer
    nnlite_widgets._OverlayRenderer = backend_svg.RendererSVG  # matplotlib's own writer, for reference
    try:
        live.redraw()
    finally:
        nnlite_widgets._OverlayRenderer = original
    reference = live.overlay.value
    assert "<use" not in compact and reference.count("<use") == 98
    number = r"(-?[\d.]+)"
    paths = re.findall(r'<path d="([^"]*)"[^>]*style="([^"]*)"', compact)
    triangle = [float(v) for v in re.findall(r'<path id="[^"]*" d="([^"]*)"', reference)[0].replace("z", "").split()
                if v not in "ML"]
    uses = re.findall(r'<use [^>]*x="' + number + '" y="' + number + '" style="([^"]*)"', reference)
    places = [np.array(uses[49 * k:49 * (k + 1)])[:, :2].astype(float) for k in range(2)]
    assert len(paths) == 2 and len(triangle) == 6  # three corners
    assert [style for _, style in paths] == [uses[0][2], uses[49][2]]  # the fill and edge each <use> had

    # triangles: every corner at matplotlib's place, to 0.01 of a point
    subpaths = re.findall(r"M" + number + " " + number + "l" + number + " " + number + "l" + number + " " + number
                          + "z", paths[0][0])
    assert len(subpaths) == 49
    for (x, y, dx1, dy1, dx2, dy2), place in zip(np.array(subpaths, dtype=float), places[0], strict=True):
        corners = np.cumsum([[x, y], [dx1, dy1], [dx2, dy2]], axis=0)
        assert np.allclose(corners, place + np.reshape(triangle, (3, 2)), atol=0.011)
    # circles: two half-circle arcs of radius 3 points (markersize 6) around matplotlib's place
    circles = re.findall(r"M" + number + " " + number + r"a3\.00 3\.00 0 1 0 6\.00 0a3\.00 3\.00 0 1 0 -6\.00 0z",
                         paths[1][0])
    assert len(circles) == 49
    assert np.allclose(np.array(circles, dtype=float) + [3, 0], places[1], atol=0.006)


@pytest.mark.parametrize("marker", ["s", "x", "+", "D", "v", "*", "P"])
def test_a_marker_outline_in_relative_steps_comes_back_to_matplotlibs_corners(marker):
    import re

    from matplotlib.markers import MarkerStyle

    from nnlite.widgets import _outline

    style = MarkerStyle(marker)
    transform = style.get_transform() + Affine2D().scale(5.0, -5.0)  # a marker 10 points wide, in SVG's y
    start, steps = _outline(style.get_path(), transform)
    shape = transform.transform_path(style.get_path())
    corners, current = [np.array(start)], np.array(start)
    for letter, numbers in re.findall(r"([mlz])([^mlz]*)", steps):  # these markers are straight lines only
        if letter != "z":
            current = current + np.array(numbers.split(), dtype=float)
            corners.append(current)
    expected = [v for v, code in zip(shape.vertices, shape.codes, strict=True) if code != Path.CLOSEPOLY]
    assert np.allclose(corners, expected, atol=0.006)
    assert steps.count("z") == list(shape.codes).count(Path.CLOSEPOLY)


def test_a_move_sends_each_changed_widget_once_after_update_has_drawn_everything(monkeypatch):
    import ipywidgets

    sent = []
    monkeypatch.setattr(ipywidgets.Widget, "_send", lambda self, msg, buffers=None: sent.append((self, msg)))
    first, second = text_line(), text_line()

    def update(a):
        first.value = f"drawing {a}"
        first.value = f"{a} drawn"
        second.value = f"{a} too"
        assert not [w for w, _ in sent if w in (first, second)], "a change left before update was done"

    panel = Panel(update, {"a": slider("a", 0, 10, 1, 1)}, [first, second])
    sent.clear()
    panel.controls["a"].value = 2
    states = [(widget, msg["state"]) for widget, msg in sent if msg.get("method") == "update"]
    assert (first, {"value": "2 drawn"}) in states and (second, {"value": "2 too"}) in states
    assert len([w for w, _ in states if w is first]) == 1 and panel.error.value == ""


def test_a_layer_that_did_not_change_is_not_sent_again(monkeypatch):
    import ipywidgets

    live = LiveFigure(figsize=(4, 3))
    ax = live.subplots()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    picture = live.animate(ax.imshow(np.eye(2), extent=(0, 1, 0, 1)))
    points = live.animate(ax.plot([0.2, 0.8], [0.2, 0.8], "o")[0], layer=1)
    assert live.widget.children == (live.image, *live.overlays) and len(live.overlays) == 2
    live.redraw()
    assert "<image" in live.overlays[0].value and "<path" in live.overlays[1].value
    assert "<image" not in live.overlays[1].value
    sent = []
    monkeypatch.setattr(ipywidgets.Widget, "_send", lambda self, msg, buffers=None: sent.append(self))
    picture.set_data(1 - np.eye(2))
    live.redraw()
    assert live.overlays[0] in sent and live.overlays[1] not in sent
    before = live.overlays[1].value
    points.set_data([0.5], [0.5])
    live.redraw()
    assert live.overlays[1].value != before


def _image_samples(svg, points):
    """The colour an SVG's single <image> shows at each of `points` (x, y in the SVG's points),
    as nearest-neighbour drawing would (None outside it), and its clip rectangle."""
    matrix = [float(v) for v in re.search(r'<image[^>]*transform="matrix\(([^)]*)\)', svg).group(1).split()]
    a, _, _, d, e, f = matrix
    png = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=\s]+)", svg).group(1))  # matplotlib wraps it
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")).astype(float)
    opacity = re.search(r'<image[^>]*opacity="([^"]*)"', svg)  # matplotlib's way with a scalar alpha
    pixels[..., 3] *= float(opacity.group(1)) if opacity else 1.0
    pixels = pixels.round().astype(int)
    colours = []
    for x, y in points:
        i, j = int(np.floor((y - f) / d)), int(np.floor((x - e) / a))
        colours.append(tuple(pixels[i, j]) if 0 <= i < pixels.shape[0] and 0 <= j < pixels.shape[1] else None)
    clip = re.search(r'<rect x="([^"]*)" y="([^"]*)" width="([^"]*)" height="([^"]*)"', svg)
    return colours, clip and [float(v) for v in clip.groups()]


@pytest.mark.parametrize("case", ["lower", "upper", "reversed extent", "rgb", "nan and alpha", "unclipped"])
def test_an_image_written_by_nnlite_shows_what_matplotlibs_svg_writer_shows(case, monkeypatch):
    """LiveFigure writes plain imshow pictures itself (matplotlib resamples them first: slow); every
    point of the figure must show the same colour as in matplotlib's own SVG, and the clip is the same."""
    from nnlite import widgets

    rng = np.random.default_rng(0)
    data = rng.random((7, 9))
    options = {"origin": "upper" if case == "upper" else "lower", "extent": (-1, 2, 0, 3), "cmap": "viridis"}
    if case == "reversed extent":
        options["extent"] = (2, -1, 3, 0)
    if case == "rgb":
        data = (rng.random((7, 9, 3)) * 255).astype(np.uint8)
    if case == "nan and alpha":
        data[2, 3] = np.nan
        options["alpha"] = 0.6
    live = LiveFigure(figsize=(4, 3))
    ax = live.subplots()
    image = live.animate(ax.imshow(data, interpolation="nearest", **options))
    ax.set(xlim=(-1.5, 1.5), ylim=(-0.5, 2.5))  # the image reaches outside the axes: the clip matters
    if case == "unclipped":
        image.set_clip_on(False)
    live.redraw()
    ours = live.overlay.value
    monkeypatch.setattr(widgets, "_is_plain_image", lambda artist: False)
    live._svg_pieces.clear()
    live.redraw()
    theirs = live.overlay.value
    assert ours != theirs
    width, height = live.fig.get_size_inches() * 72
    # a grid whose points fall on no pixel's edge (there, two pictures may honestly disagree)
    points = [(x, y) for x in np.linspace(0.37, width - 0.11, 53) for y in np.linspace(0.23, height - 0.19, 47)]
    _, theirs_clip = _image_samples(theirs, points)
    if theirs_clip:  # matplotlib crops the picture to its clip; only what is inside it shows
        x, y, w, h = theirs_clip
        points = [(px, py) for px, py in points if x < px < x + w and y < py < y + h]
    ours_colours, ours_clip = _image_samples(ours, points)
    theirs_colours, _ = _image_samples(theirs, points)
    differ = [p for p, a, b in zip(points, ours_colours, theirs_colours, strict=True)
              if a != b and (a is None or b is None or max(abs(u - v) for u, v in zip(a, b, strict=True)) > 1)]
    assert sum(c is not None for c in ours_colours) > 100
    examples = [(p, ours_colours[points.index(p)], theirs_colours[points.index(p)]) for p in differ[:3]]
    assert not differ, f"{len(differ)} points differ, e.g. (point, ours, matplotlib's): {examples}"
    if case == "unclipped":
        assert ours_clip is None and "clip-path" not in ours
    else:
        assert ours_clip == pytest.approx(theirs_clip, abs=1e-3)
        clip_id = re.search(r'<clipPath id="([^"]+)"', ours).group(1)
        assert f'clip-path="url(#{clip_id})"' in ours  # and the picture uses it


def test_a_state_drawn_under_a_key_is_sent_again_as_kept_without_drawing():
    live = LiveFigure(figsize=(3, 2))
    (line,) = live.subplots().plot([0, 1], [0, 1])
    live.animate(line)
    live.redraw(key="rising")
    rising = live.picture()
    line.set_ydata([1, 0])
    live.redraw(key="falling")
    assert live.picture() != rising
    line.set_ydata([0, 1])
    live.redraw(key="rising")
    assert live.picture() == rising and live.redraws == 2  # sent as kept, not drawn
    live.redraw(full=True, key="rising")  # a new background: what was kept is forgotten, and drawn again
    assert live.redraws == 3 and list(live.kept) == ["rising"]


def test_an_image_with_a_clip_path_of_its_own_is_left_to_matplotlibs_writer():
    from matplotlib.patches import Circle

    live = LiveFigure(figsize=(3, 3))
    ax = live.subplots()
    image = live.animate(ax.imshow(np.eye(3), extent=(0, 1, 0, 1)))
    image.set_clip_path(Circle((0.5, 0.5), 0.4, transform=ax.transData))  # a round picture
    live.redraw()
    assert 'id="image' in live.overlay.value and 'preserveAspectRatio="none"' not in live.overlay.value
