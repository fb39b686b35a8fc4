"""The interactive layer without a browser: LiveFigure blitting, LiveRow, Panel wiring and errors,
HiDPI pictures, presentation mode."""

import base64
import io
import re

import ipywidgets
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from nnlite import render, viz
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


def without_clip_ids(svg):
    """An SVG with its clip paths' ids taken out: two figures name theirs apart (see the test below); matplotlib
    names them p and ten hex digits, nnlite.render's own writers clip, the kernel, the SVG and the artist."""
    return re.sub(r"(clipPath id=\"|url\(#)(p[0-9a-f]{10}|clip[0-9A-Za-z_]+)", r"\1p", svg)


def same_picture(live, other):
    """Whether two LiveFigures (or LiveRows) show the same picture, whatever their clip paths' ids."""
    return without_clip_ids(live.picture().decode("latin-1")) == without_clip_ids(other.picture().decode("latin-1"))


def test_every_layer_of_every_figure_names_its_clip_paths_apart():
    # url(#id) takes the first element of that id in the page: with one id for one clip, the weight lines of
    # the playground's diagram were clipped by the clip path of the pictures' layer below them, and painted
    # again (dashes and all) whenever that layer was replaced, on every move (a Chromium trace)
    lives = [LiveFigure(figsize=(4, 3)) for _ in range(2)]
    for live in lives:
        ax = live.subplots()
        live.animate(ax.plot([0, 1], [0, 1])[0])
        live.animate(ax.plot([0, 1], [1, 0])[0], layer=1)
        live.redraw()
    overlays = [overlay.value for live in lives for overlay in live.overlays]
    ids = [re.findall(r'clipPath id="([^"]+)"', svg) for svg in overlays]
    assert all(len(found) == 1 for found in ids) and len({found[0] for found in ids}) == 4
    for svg, (clip,) in zip(overlays, ids, strict=True):
        assert f"url(#{clip})" in svg  # each uses its own
    assert len({without_clip_ids(svg) for svg in overlays[::2]}) == 1  # the same picture otherwise
    lives[0].redraw(full=True)  # every layer written afresh: the same picture, its clips still apart from all others
    again = [overlay.value for overlay in lives[0].overlays]
    assert [without_clip_ids(svg) for svg in again] == [without_clip_ids(svg) for svg in overlays[:2]]
    # (matplotlib 3.7 hashes the clip box's float digits into its id, which a full redraw may change in the last bit)
    again_ids = [re.findall(r'clipPath id="([^"]+)"', svg) for svg in again]
    assert all(len(found) == 1 for found in again_ids)
    assert len({found[0] for found in again_ids + ids[2:]}) == 4


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


def test_an_unchanged_artist_reuses_its_svg_and_a_changed_or_moved_one_does_not(monkeypatch):
    live = LiveFigure(figsize=(4, 3))
    ax = live.subplots()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    points = live.animate(ax.plot([0.2, 0.8], [0.2, 0.8], "o")[0])
    title = live.animate(ax.set_title("one"))
    live.redraw()
    first = live.overlay.value
    written, write = [], render._artist_svg
    monkeypatch.setattr(render, "_artist_svg", lambda artist, *size: (written.append(artist), write(artist, *size))[1])
    title.set_text("two")
    live.redraw()
    assert written == [title] and "two</text>" in live.overlay.value  # the points were not written again
    assert live.overlay.value.replace("two", "one") == first
    ax.set_xlim(0, 2)  # new limits without a full redraw: the points sit elsewhere now
    live.redraw()
    assert points in written and live.overlay.value.replace("two", "one") != first
    points.set_data([0.2], [0.2])  # a changed artist (stale) is written again
    written.clear()
    live.redraw()
    assert written == [points]


def test_vector_false_ships_whole_png_frames_restoring_the_background():
    live = LiveFigure(figsize=(4, 3), vector=False)
    ax = live.subplots()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    line = live.animate(ax.plot([0, 1], [0, 1])[0])
    live.redraw()
    first = bytes(live.image.value)
    assert first.startswith(b"\x89PNG") and pixel_size(first) == (640, 480)
    assert "<path" not in live.overlay.value and 'role="img"' in live.overlay.value  # only the words, on top
    line.set_ydata([1, 0])
    live.redraw()
    assert bytes(live.image.value) != first and "y starts at 1 and ends at 0" in live.overlay.value
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
    assert "image/png" not in bundle and "text/html" not in bundle  # no figure, no picture


def test_panel_bundle_carries_a_still_picture_of_its_figures():
    row = LiveRow(2, panel_size=(3, 2))
    axes = row.subplots(1, 2)
    line = row.animate(axes[0].plot([0, 1], [0, 1])[0])
    panel = Panel(lambda a: (line.set_ydata([0, a]), row.redraw()), {"a": slider("a", 0, 3, 1, 1)}, [row.widget])
    still_html = panel._repr_mimebundle_()["text/html"]
    alt, source = re.fullmatch(r'<img alt="([^"]+)" src="data:image/png;base64,([^"]+)">', still_html).groups()
    assert pixel_size(base64.b64decode(source)) == (480, 160)  # both panels side by side, at CSS size
    assert alt.startswith("A still picture of the interactive figure.") and alt.count("Figure:") == 2
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
    with viz.presentation(True):
        big, wide = LiveFigure(figsize=(4, 3)), LiveFigure(figsize=(12, 3))
        panel = Panel(lambda a: None, {"a": slider("a", 0, 1, 1, 0)}, [])
        assert mpl.rcParams["figure.dpi"] == mpl.rcParams["savefig.dpi"] == 160  # inline figures too
        assert viz.presentation_on()
    assert small.widget.layout.width == "320px" and big.widget.layout.width == "640px"
    assert wide.widget.layout.width == f"{viz.PRESENTATION_WIDTH}px"  # narrowed, not shrunk by the browser
    assert wide.fig.get_size_inches()[1] == 3
    assert "nnlite-presentation" in panel.widget._dom_classes  # larger controls
    assert mpl.rcParams["figure.dpi"] == 80 and not viz.presentation_on()  # the block's end restored both


def test_importing_nnlite_changes_no_matplotlib_setting_and_presentation_applies_the_course_style():
    import subprocess
    import sys

    code = """
import matplotlib as mpl
before = {key: repr(value) for key, value in mpl.rcParams.items()}
import nnlite, nnlite.viz, nnlite.widgets, nnlite.render
from nnlite.labs import sgd, softmax, backprop, relu, vanishing, activations_lab, playground, start
changed = [key for key, value in mpl.rcParams.items() if repr(value) != before[key]]
assert not changed, changed
nnlite.viz.presentation(False)
assert mpl.rcParams["figure.dpi"] == 80 and mpl.rcParams["axes.spines.top"] is False
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_presentation_as_a_context_gives_back_every_setting_it_changed():
    import matplotlib as mpl

    mpl.rcParams["lines.linewidth"] = 3.5  # a student's own setting, before the block
    try:
        with viz.presentation(True):
            assert mpl.rcParams["figure.dpi"] == 160 and mpl.rcParams["lines.linewidth"] == 2.0
        assert mpl.rcParams["lines.linewidth"] == 3.5 and mpl.rcParams["figure.dpi"] == 80
    finally:
        viz.presentation(False)


def test_fit_figure_stacks_a_row_of_panels_on_a_projector():
    fig = Figure(figsize=(12, 3), dpi=160)
    axes = fig.subplots(1, 3)
    assert viz.fit_figure(fig) is fig and tuple(fig.get_size_inches()) == (12, 3)  # not presenting: unchanged
    with viz.presentation(True):
        viz.fit_figure(fig)
        single = Figure(figsize=(9, 3), dpi=160)
        single.subplots()
        viz.fit_figure(single)
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
    with viz.presentation(True):
        png, _ = viz._inline_png(wide())  # (PNG bytes, the size to show it at)
    assert pixel_size(png)[0] <= 2 * viz.PRESENTATION_WIDTH  # two image pixels per CSS pixel, no wider


def test_a_title_longer_than_the_projector_page_wraps_instead_of_widening_the_picture():
    fig = Figure(figsize=(6.5, 3.6), dpi=160, layout="constrained")
    fig.subplots().set_title("10 hidden layers: the sigmoid gradient fades towards the input, and a few words more")
    with viz.presentation(True):
        png, size = viz._inline_png(fig)
    assert size["width"] <= viz.PRESENTATION_WIDTH and pixel_size(png)[0] <= 2 * viz.PRESENTATION_WIDTH


def test_inline_figures_keep_their_words_when_matplotlib_inline_resets_the_formats_after_a_cell(monkeypatch):
    # With matplotlib 3.7, matplotlib_inline sets its figure formats after the first cell has run, popping
    # every formatter of Figure (IPython's select_figure_formats): ours must come back after that cell.
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    monkeypatch.setattr("matplotlib.get_backend", lambda **_: "module://matplotlib_inline.backend_inline")
    try:
        viz.presentation(False)
        html = shell.display_formatter.formatters["text/html"]
        assert html.type_printers[Figure] is viz._inline_html
        for formatter in shell.display_formatter.formatters.values():  # what select_figure_formats does
            formatter.type_printers.pop(Figure, None)
        shell.events.trigger("post_run_cell", None)
        assert html.type_printers[Figure] is viz._inline_html
        fig = Figure(figsize=(2, 1))
        fig.subplots().plot([0, 1], [1, 0])
        assert shell.display_formatter.format(fig)[0].get("text/html", "").startswith("<img alt=")
    finally:
        InteractiveShell.clear_instance()


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


def test_a_state_drawn_under_a_key_is_sent_again_as_kept_without_drawing():
    live = LiveFigure(figsize=(3, 2))
    (line,) = live.subplots().plot([0, 1], [0, 1])
    live.animate(line)
    live.redraw(key="rising")
    rising, rising_words = live.picture(), live.text
    line.set_ydata([1, 0])
    live.redraw(key="falling")
    assert live.picture() != rising and live.text != rising_words
    line.set_ydata([0, 1])
    live.redraw(key="rising")
    assert live.picture() == rising and live.redraws == 2  # sent as kept, not drawn
    assert live.text == rising_words  # and its words with it (a still picture's alt text is read from them)
    live.redraw(full=True, key="rising")  # a new background: what was kept is forgotten, and drawn again
    assert live.redraws == 3 and list(live.kept) == ["rising"]


def test_a_panel_names_its_controls_and_marks_its_key_result_for_screen_readers():
    import ipywidgets as widgets

    from nnlite.access import ANNOUNCE, name_control

    text = text_line()
    live = LiveFigure(figsize=(3, 2))
    (line,) = live.subplots().plot([0, 1], [0, 1])
    live.animate(line)
    controls = {"lr": log_slider("lr", -3, 0, 0.1, name="learning rate"),
                "epochs": slider("epochs", 1, 50, 1, 10, unit="epochs"), "act": dropdown("act", ["relu", "tanh"])}
    panel = Panel(lambda lr, epochs, act: (line.set_ydata([0, epochs]), live.redraw()), controls,
                  [text, live.widget], title="Demo")
    names = panel.access.names
    assert sorted(map(tuple, names.values())) == [("Show the data", ""), ("act", ""), ("epochs", "epochs"),
                                                  ("learning rate", "")]
    assert all(any(cls in names for cls in control._dom_classes) for control in controls.values())
    assert ANNOUNCE in text._dom_classes and ANNOUNCE in panel.error._dom_classes
    assert ANNOUNCE not in panel.widget.children[0]._dom_classes  # the title is not news
    assert panel.widget.children[-3:] == (panel.show_data, panel.data, panel.access)
    assert "nnlite-panel" in panel.widget._dom_classes and "nnlite-figure" in live.widget._dom_classes
    # a lab's own layout keeps them, and its status line is read out too
    status = widgets.HTML("ready")
    panel.widget = widgets.VBox([status, *controls.values(), live.widget])
    assert panel.widget.children[-3:] == (panel.show_data, panel.data, panel.access) and ANNOUNCE in status._dom_classes
    with pytest.raises(TypeError, match="unit must be a string"):
        name_control(controls["lr"], "learning rate", unit=None)


def test_a_move_sends_nothing_more_for_accessibility_and_the_data_shows_on_request():
    live = LiveFigure(figsize=(3, 2))
    (line,) = live.subplots().plot([0, 1], [0, 1], label="y")
    live.animate(line)
    panel = Panel(lambda a: (line.set_ydata([0, a]), live.redraw()), {"a": slider("a", 0, 9, 1, 1)}, [live.widget])
    changes = []
    panel.access.observe(changes.append)  # every trait: nothing of it changes on a move
    panel.data.observe(changes.append)
    panel.controls["a"].value = 4
    assert changes == [] and panel.data.value == "" and panel.data.layout.display == "none"
    panel.show_data.value = True
    assert panel.data.layout.display is None and "<caption" in panel.data.value
    assert re.findall(r"<td[^>]*>([^<]*)</td>", panel.data.value) == ["0", "0", "1", "4"]  # the line's points
    panel.controls["a"].value = 6
    assert re.findall(r"<td[^>]*>([^<]*)</td>", panel.data.value)[-1] == "6"  # follows the figure while shown


def test_a_live_figure_resized_draws_afresh_at_its_new_size():
    live = LiveFigure(figsize=(4, 3), dpi=80)
    live.animate(*live.subplots().plot([0, 1], [0, 1]))
    live.redraw()
    live.resize((2, 1.5))
    assert live.widget.layout.width == "160px" and tuple(live.fig.get_size_inches()) == (2, 1.5)
    live.redraw()
    png = Image.open(io.BytesIO(live.image.value))
    assert png.size == (2 * 160, 2 * 120)  # the background rendered again, at the new size
    assert 'viewBox="0 0 144 108"' in live.overlay.value  # and the line written again for it
    redraws = live.redraws
    live.resize((2, 1.5))  # the same size: nothing to do
    assert live._background is not None and live.redraws == redraws


def test_a_panel_names_its_parts_when_it_is_made():
    view, summary = object(), ipywidgets.HTML()
    panel = Panel(lambda **_: None, {}, [summary], parts={"view": view, "summary": summary})
    assert panel.view is view and panel.summary is summary
    for clash in ("update", "controls", "error", "not a name"):
        with pytest.raises(ValueError, match="parts must be named"):
            Panel(lambda **_: None, {}, [], parts={clash: view})


def test_within_limits_draws_what_leaves_the_axis_along_its_edge():
    drawn = viz.within_limits(np.array([0.5, 2.0, -1.0, np.nan, np.inf, -np.inf], dtype=np.float32), (0.0, 1.0))
    assert drawn.dtype == np.float64
    np.testing.assert_array_equal(drawn, [0.5, 1.0, 0.0, 1.0, 1.0, 0.0])  # NaN (blew up) at the top
