"""The interactive layer without a browser: LiveFigure blitting, Panel wiring and errors."""

import numpy as np
import pytest

from nnlite import viz
from nnlite.widgets import LiveFigure, Panel, dropdown, log_slider, slider, text_line


def test_live_figure_sends_the_background_once_and_the_changing_artists_as_svg():
    live = LiveFigure(figsize=(4, 3))
    ax = live.subplots()
    ax.set(xlim=(0, 1), ylim=(0, 2))
    (line,) = ax.plot([0, 1], [0, 1])
    title = ax.set_title("first")
    live.animate(line, title)
    live.redraw()
    background, first = bytes(live.image.value), live.overlay.value
    assert background.startswith(b"\xff\xd8")  # JPEG
    assert first.startswith("<svg") and "first</text>" in first and 'width="100%"' in first
    line.set_ydata([1, 2])
    title.set_text("second")
    live.redraw()
    assert bytes(live.image.value) == background and live.overlay.value != first and live.redraws == 2
    assert "second</text>" in live.overlay.value and live.fig.dpi == 80  # the dpi is back after drawing SVG
    line.set_ydata([0, 1])
    title.set_text("first")
    live.redraw()
    assert live.overlay.value == first  # the same artists give the same SVG: no date, no random ids


def test_live_figure_blits_jpeg_frames_when_a_changing_artist_is_a_picture():
    import numpy as np

    live = LiveFigure(figsize=(4, 3))
    image = live.animate(live.subplots().imshow(np.zeros((4, 4)), vmin=0, vmax=1))
    live.redraw()
    first = bytes(live.image.value)
    image.set_data(np.ones((4, 4)))
    live.redraw()
    assert bytes(live.image.value) != first and live.overlay.value == ""
    image.set_data(np.zeros((4, 4)))
    live.redraw()
    assert bytes(live.image.value) == first  # the background was restored, not drawn over


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
    assert bundle["text/plain"].startswith("[interactive figure: Demo (controls: rate)")


def test_control_factories():
    assert type(slider("n", 1, 30, 1, 5)).__name__ == "IntSlider"
    assert type(slider("x", 0.0, 1.0, 0.1, 0.5)).__name__ == "FloatSlider"
    lr = log_slider("lr", -3, 0, 0.1)
    assert lr.min == -3 and lr.max == 0 and abs(lr.value - 0.1) < 1e-12
    assert dropdown("act", [("ReLU", "relu"), ("tanh", "tanh")]).value == "relu"


def test_presentation_mode_draws_every_figure_one_and_a_half_times_larger():
    import matplotlib as mpl

    small = LiveFigure(figsize=(6, 3)).canvas.get_width_height()
    try:
        viz.presentation(True)
        big = LiveFigure(figsize=(6, 3)).canvas.get_width_height()
        assert mpl.rcParams["figure.dpi"] == mpl.rcParams["savefig.dpi"] == 120  # inline figures too
    finally:
        viz.presentation(False)
    assert big == (720, 360) and small == (480, 240) and mpl.rcParams["figure.dpi"] == 80


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
