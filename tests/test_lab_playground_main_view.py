"""Notebook 07's playground with the network view picked (issue 23): the view is the panel's, it follows
every run the controls make, every picture Play draws is the network's own output on the plane at that
moment, its words say the same numbers, and a weight typed into it is the run's weight from then on."""

import asyncio

import numpy as np
import pytest

from nnlite.figure_text import _CELL as CELL
from nnlite.figure_text import number
from nnlite.labs import playground as P
from nnlite.labs.playground.controls import UNITS
from nnlite.labs.playground.main_view import COMPACT, NETWORK_SIZE

from .test_lab_playground_network_view import browser_sends, own_forward, point_on, said  # noqa: F401 (a fixture)


def network_panel(settings=None, **more):
    panel = P.playground(P.Settings(**more) if settings is None else settings)
    panel.view.value = "network"
    return panel, panel.playground, panel.playground.main.network


def assert_pictures_are_the_model_on_the_plane(net, model):
    """The network view's numbers are `model`'s own output on its grid (computed here, not by nnlite), and
    the diagram's words (what a screen reader reads) give each drawn unit's range of those numbers."""
    hidden, logits = own_forward(model, net.grid)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    for kept, h in zip(net.outputs[1:], [*hidden, e / e.sum(axis=1, keepdims=True)], strict=True):
        np.testing.assert_allclose(kept, h, rtol=0, atol=1e-12)
        for j in range(min(h.shape[1], 16)):
            assert f"unit {j + 1} from {number(h[:, j].min())} to {number(h[:, j].max())}" in net.diagram.live.text
    assert f'aria-label="{net.diagram.live.text}"' in net.diagram.live.overlays[0].value


def test_the_class_regions_come_first_and_the_network_view_is_built_when_picked():
    panel = P.playground()
    pg = panel.playground
    assert panel.view.value == pg.main.picked == "class regions" and pg.main.network is None  # nothing paid for it
    assert panel.figures.children[0].children == (pg.regions.live.widget,)
    panel.view.value = "network"
    net = pg.main.network
    assert panel.figures.children[0].children == (net.widget,) and pg.figures[:2] == net.figures
    assert panel.figures.live_figures == tuple(pg.figures) and len(pg.figures) == 5  # "Show the data" tables them
    assert all("nnlite-playground-view" in live.widget._dom_classes for live in pg.figures)
    assert tuple(net.diagram.live.fig.get_size_inches()) == NETWORK_SIZE["figsize"]
    assert tuple(pg.loss.live.fig.get_size_inches()) == COMPACT["loss"]  # smaller beside the network
    assert tuple(pg.layers.dead_live.fig.get_size_inches()) == COMPACT["layers"]
    assert pg.loss.live.widget.layout.width == f"{round(COMPACT['loss'][0] * pg.loss.live.dpi)}px"
    assert_pictures_are_the_model_on_the_plane(net, pg.trainer.model)
    panel.show_data.value = True  # the diagram's numbers: every weight and bias, a table per layer
    W, b = pg.trainer.model.layers[1].W, pg.trainer.model.layers[1].b
    assert "weights into layer 2</caption>" in panel.data.value and "weights into the output layer" in panel.data.value
    assert f">h₁</td><td style='{CELL}'>{number(W[0, 0])}</td>" in panel.data.value
    assert f">b</td><td style='{CELL}'>{number(b[0])}</td>" in panel.data.value
    panel.view.value = "class regions"
    assert panel.figures.children[0].children == (pg.regions.live.widget,) and pg.main.network is net
    assert tuple(pg.loss.live.fig.get_size_inches()) == pg.loss.figsize == (7.0, 2.6)
    with pytest.raises(ValueError, match="view must be one of 'class regions', 'network', got 'graph'"):
        pg.pick_view("graph")


def test_every_picture_play_draws_is_the_network_at_that_moment():
    panel, pg, net = network_panel(epochs=20)
    drawn, draw = [], net.draw

    def checked_draw(model):
        draw(model)
        assert_pictures_are_the_model_on_the_plane(net, model)
        assert model is pg.trainer.model
        drawn.append(pg.trainer.steps)

    net.draw = checked_draw

    async def scenario():
        panel.buttons["play"].click()
        while pg.playing:
            await asyncio.sleep(0.01)

    asyncio.run(scenario())
    assert pg.trainer.epoch == 20 and len(set(drawn)) >= 3
    assert drawn[-1] == pg.trainer.steps  # the last picture is the end
    panel.buttons["step"].click()  # done: Step draws what is there
    assert drawn[-1] == pg.trainer.steps


@pytest.mark.parametrize("name, value", [("activation", "tanh"), ("layers", 3), ("units_1", 5), ("dataset", "moons"),
                                         ("noise", 0.4), ("lr", 1.0), ("weight_decay", 0.01)])
def test_every_control_redraws_the_network_of_the_new_run(name, value):
    panel, pg, net = network_panel()
    pg.step()
    panel.controls[name].value = value
    assert net.model is pg.trainer.model and net.model.sizes == pg.trainer.model.sizes
    assert_pictures_are_the_model_on_the_plane(net, pg.trainer.model)
    train = pg.trainer.X_train[pg.trainer.y_train == 0]
    assert np.array_equal(net.output.points["train"][0].get_xydata(), train)  # the new run's points


def test_a_training_setting_before_the_first_step_hands_the_new_run_to_the_view():
    panel, pg, net = network_panel()
    panel.controls["lr"].value = 0.3  # nothing redrawn (the untrained network is the same), yet a new run
    assert net.model is pg.trainer.model
    assert_pictures_are_the_model_on_the_plane(net, pg.trainer.model)


def test_a_weight_typed_into_the_panel_is_the_runs_weight_and_every_view_follows(said):  # noqa: F811
    panel, pg, net = network_panel(hidden=(5, 4), activation="tanh", epochs=20)
    pg.step()
    loss_redraws, status = pg.loss.live.redraws, pg.status.value
    browser_sends(net.pointer, event="click", **dict(zip("xy", point_on(net, 1, 1, 2), strict=True)))
    net.interaction.editor.value = "2.5"
    assert pg.trainer.model.layers[0].W[1, 2] == 2.5
    assert said[-1].startswith("The weight from x₂ to unit 3 of layer 1 is now 2.5 (it was ")
    assert_pictures_are_the_model_on_the_plane(net, pg.trainer.model)
    assert pg.loss.live.redraws > loss_redraws and pg.status.value == status  # all drawn again, same run
    pg.step()  # training goes on from the typed weight
    assert pg.trainer.model.layers[0].W[1, 2] != 2.5 and abs(pg.trainer.model.layers[0].W[1, 2] - 2.5) < 1.0



def test_new_data_sends_the_pointers_place_once_with_both_new_limits(monkeypatch):
    """New x and y limits each move the class regions' pointer: held together, the browser gets one message
    with both, not a first one that pairs the new x limits with the old y limits. While the network is shown
    the class regions are not on the page: they take the new data (and send their pointer's place) when
    picked, not on every data move."""
    import ipywidgets

    panel, pg, _net = network_panel()
    pointer, sent = panel.adder.pointer, []
    send = ipywidgets.Widget._send
    monkeypatch.setattr(ipywidgets.Widget, "_send", lambda self, msg, buffers=None: (
        sent.append(msg["state"]["geometry"]) if self is pointer and "geometry" in msg.get("state", {}) else None,
        send(self, msg, buffers))[1])
    panel.controls["noise"].value = 0.35
    panel.controls["noise"].value = 0.4
    assert sent == []
    panel.view.value = "class regions"
    assert len(sent) == 1 and sent[0] == pointer.geometry
    np.testing.assert_array_equal(pg.regions.points_lines["train"][0].get_xdata(),
                                  pg.trainer.X_train[pg.trainer.y_train == 0, 0])  # the points of noise 0.4
    assert pointer.geometry["x"][1:] == list(pg.regions.ax.get_xlim())
    assert pointer.geometry["y"][1:] == list(pg.regions.ax.get_ylim())


def test_a_switch_to_a_regression_and_back_sends_no_whole_picture_and_nothing_to_the_view_off_the_page(monkeypatch):
    """A regression's data set changes the loss's title and the class regions' title. The loss's title is
    drawn over its picture (a line of its SVG), and the class regions, off the page while the network is
    shown, are drawn with their new title when picked: no new PNG is made, sent or decoded on the move."""
    import ipywidgets

    panel, pg, _net = network_panel()
    regions = [pg.regions.live.image, *pg.regions.live.overlays, panel.adder.pointer]
    sent = []
    monkeypatch.setattr(ipywidgets.Widget, "_send", lambda self, msg, buffers=None: sent.append(self))
    for dataset in ("plane", "spiral"):
        sent.clear()
        panel.controls["dataset"].value = dataset
        assert panel.error.value == ""
        assert not [w for w in sent if isinstance(w, ipywidgets.Image)], f"a whole picture sent for {dataset}"
        assert not [w for w in sent if any(w is r for r in regions)], f"the hidden class regions sent for {dataset}"
        loss_name = "squared error" if dataset == "plane" else "cross-entropy"
        assert f"loss ({loss_name}, log scale)" in pg.loss.live.picture().decode(errors="replace")
    panel.controls["dataset"].value = "plane"
    panel.view.value = "class regions"
    assert pg.regions.ax.get_title().startswith("output (") and pg.regions.live.picture() != b""
    assert any(isinstance(w, ipywidgets.Image) and w is pg.regions.live.image for w in sent)  # drawn afresh now


@pytest.mark.parametrize("name, value", [("noise", 0.35), ("dataset", "moons"), ("layers", 3), ("activation", "tanh"),
                                         ("seed", 5)])
def test_a_move_with_the_network_shown_sends_each_widget_once_and_only_what_is_on_the_page(monkeypatch, name, value):
    """Each widget message of a move costs the browser a task of its own (about 1.5 ms at device pixel ratio 2,
    measured): a move sends at most one message per widget, and only to the widgets on the page (the control,
    the status line, the layers of the figures shown, and the units row a new layer count changes)."""
    import ipywidgets

    panel, pg, _net = network_panel()
    sent = []
    monkeypatch.setattr(ipywidgets.Widget, "_send", lambda self, msg, buffers=None: sent.append(self))
    panel.controls[name].value = value
    assert panel.error.value == ""
    shown = [panel.controls[name], pg.status.widget, *(panel.controls[k].layout for k in UNITS),
             *(w for live in pg.figures for w in (live.image, *live.overlays))]
    assert len(sent) == len({id(w) for w in sent}), f"a widget sent twice when {name} moved"
    assert not [w for w in sent if all(w is not s for s in shown)], f"{name} sent to widgets off the page"
