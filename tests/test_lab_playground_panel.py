"""Notebook 07's Playground and its panel: every control answers, the buttons play, step, pause and reset,
and Play trains in slices on the event loop (also in a real kernel), so Pause is heard. Each test builds
its own panel: none depends on another's moves."""

import asyncio

import numpy as np
import pytest

import nnlite as nl
from nnlite.labs import playground as P
from nnlite.widgets import Panel


def pictures(pg):
    return tuple(live.picture() for live in pg.figures)


def test_the_panel_starts_still_says_so_and_has_its_parts():
    panel = P.playground(P.Settings(epochs=40))
    pg = panel.playground
    assert isinstance(panel, Panel) and isinstance(pg, P.Playground) and pg.settings == P.Settings(epochs=40)
    assert not pg.playing and pg.loop.task is None and pg.trainer.epoch == 0 and pg.loop.chunks == 0
    assert "<b>ready</b>" in pg.status.value and "epoch 0 of 40" in pg.status.value
    assert "nl.MLP([2, 16, 16, 3], activation=&quot;relu&quot;" in pg.status.value
    assert panel.error.value == "" and panel.speed.value == pg.loop.pace.speed == 40
    assert {key: panel.buttons[key] for key in ("play", "step", "reset")} == {
        "play": pg.play_button, "step": pg.step_button, "reset": pg.reset_button}
    bundle = panel._repr_mimebundle_()
    assert '<img alt="' in bundle["text/html"]  # a still, in words
    assert "controls: data set, noise of the points" in bundle["text/plain"]


def test_buttons_use_font_awesome_icons_not_emoji():
    buttons = P.play_buttons()
    assert [(b.description, b.icon) for b in buttons] == [("Play", "play"), ("Step", "step-forward"),
                                                          ("Reset", "undo")]
    texts = [b.description + (b.tooltip or "") for b in buttons]
    assert all(ord(ch) < 0x2000 for text in texts for ch in text)  # no emoji, no symbol a font may lack


@pytest.mark.parametrize("name, value", [("lr", 1.0), ("batch_size", 1), ("weight_decay", 0.01), ("l1", 0.001)])
def test_a_training_setting_moved_before_the_first_step_redraws_no_view_and_the_views_stay_true(name, value):
    panel = P.playground()
    pg = panel.playground
    redraws, before = [live.redraws for live in pg.figures], pictures(pg)
    panel.controls[name].value = value
    assert f"{name}={value!r}" in pg.status.value and getattr(pg.trainer.settings, name) == value  # the new run
    assert [live.redraws for live in pg.figures] == redraws  # (drawing them was most of such a move's time)
    pg.draw()
    assert pictures(pg) == before  # what a redraw would have shown
    pg.trainer.step()
    redraws = [live.redraws for live in pg.figures]
    panel.controls[name].value = {"lr": 0.01, "batch_size": 64, "weight_decay": 0.001, "l1": 0.01}[name]
    assert all(live.redraws > n for live, n in zip(pg.figures, redraws, strict=True))  # trained: drawn afresh


@pytest.mark.parametrize("start, name, value", [
    ({}, "dataset", "moons"), ({}, "noise", 0.4), ({}, "val_fraction", 0.5), ({}, "layers", 6), ({}, "units_1", 32),
    ({}, "activation", "gelu"), ({}, "init", "normal"), ({}, "lr", 1.0), ({}, "batch_size", 1), ({}, "epochs", 1000),
    ({}, "weight_decay", 0.01), ({"init": "normal"}, "init", "auto"), ({"weight_decay": 0.01}, "weight_decay", 0.0),
    ({}, "layers", 0), ({}, "dataset", "blobs"), ({}, "epochs", 10), ({}, "lr", 0.001), ({}, "layers", 3),
    ({}, "units_1", 1), ({}, "units_2", 4), ({"hidden": ()}, "layers", 2), ({}, "x1_squared", True), ({}, "x2", False),
    ({}, "sin_x1", True), ({}, "l1", 0.01), ({}, "seed", 7), ({}, "target_loss", 0.5),
])
def test_every_control_changes_the_picture_or_text(start, name, value):
    panel = P.playground(P.Settings(**start))
    pg = panel.playground
    before = pictures(pg), pg.status.value
    panel.controls[name].value = value
    assert panel.error.value == ""
    assert (pictures(pg), pg.status.value) != before, f"moving {name} changed nothing"
    layers = panel.controls["layers"].value  # a units control for each hidden layer there is, and no other
    shown = [c for c in panel.units.children[1:] if c.layout.display != "none"]
    assert shown == [panel.controls[f"units_{k}"] for k in range(1, layers + 1)]


def test_units_are_set_per_layer_and_the_network_has_them():
    panel = P.playground(P.Settings(hidden=(16, 16)))
    panel.controls["layers"].value = 3
    panel.controls["units_1"].value = 5
    panel.controls["units_3"].value = 2
    assert panel.playground.settings.hidden == (5, 16, 2) and panel.playground.trainer.model.sizes == [2, 5, 16, 2, 3]
    assert "nl.MLP([2, 5, 16, 2, 3]" in panel.playground.status.value


def test_features_switched_build_the_model_on_the_chosen_columns():
    panel = P.playground(P.Settings(dataset="circles"))
    panel.controls["x1_squared"].value = panel.controls["x2_squared"].value = True
    panel.controls["x1"].value = False
    pg = panel.playground
    assert pg.settings.features == ("x2", "x1_squared", "x2_squared") and pg.trainer.model.sizes == [3, 16, 16, 2]
    assert "nl.feature_columns(A, [&#x27;x2&#x27;, &#x27;x1_squared&#x27;, &#x27;x2_squared&#x27;])" in pg.status.value
    panel.controls["x2"].value = panel.controls["x1_squared"].value = panel.controls["x2_squared"].value = False
    assert "features must choose at least one" in panel.error.value  # no input: said, and the last run stays
    assert pg.settings.features == ("x2_squared",)


def test_reset_keeps_the_seed_new_seed_draws_another_for_the_same_points():
    panel = P.playground(P.Settings(epochs=5, seed=3))
    pg = panel.playground
    start = [layer.W.copy() for layer in pg.trainer.model.layers]
    points = pg.trainer.X.copy()
    pg.step()
    panel.buttons["reset"].click()  # the same starting weights
    assert all(np.array_equal(a, layer.W) for a, layer in zip(start, pg.trainer.model.layers, strict=True))
    panel.buttons["new_seed"].click()
    assert pg.settings.seed == 4 and panel.controls["seed"].value == 4 and "seed=4" in pg.status.value
    assert not np.array_equal(start[0], pg.trainer.model.layers[0].W) and np.array_equal(points, pg.trainer.X)
    panel.controls["seed"].value = 3  # typed back: the first weights again
    assert all(np.array_equal(a, layer.W) for a, layer in zip(start, pg.trainer.model.layers, strict=True))


def test_new_data_draws_other_points_with_the_same_settings_and_weights():
    panel = P.playground(P.Settings(seed=2))
    pg = panel.playground
    points, weights = pg.trainer.X.copy(), pg.trainer.model.layers[0].W.copy()
    panel.buttons["new_data"].click()
    assert pg.settings == P.Settings(seed=2, data_seed=3) and not np.array_equal(points, pg.trainer.X)
    assert np.array_equal(weights, pg.trainer.model.layers[0].W)
    assert np.array_equal(pg.regions.points_lines["train"][0].get_xydata(), pg.trainer.X_train[pg.trainer.y_train == 0])
    assert 'make(&quot;spiral&quot;, n=300, noise=0.2, seed=3)' in pg.status.value


def test_the_confusion_matrix_is_the_validation_points_and_shown_on_demand():
    panel = P.playground(P.Settings(dataset="blobs", epochs=5))
    pg = panel.playground
    assert pg.confusion.widget.layout.display == "none" and pg.confusion.counts is None
    pg.confusion.button.value = True
    pg.step()
    predicted = pg.trainer.model.forward(pg.trainer.X_val).argmax(axis=1)
    assert np.array_equal(pg.confusion.counts, nl.confusion_matrix(pg.trainer.y_val, predicted, n_classes=3))
    words = pg.confusion.widget.value
    assert "<caption" in words and "a row per true class, a column per predicted class" in words
    assert f"{np.trace(pg.confusion.counts)} of {len(pg.trainer.y_val)} on the diagonal" in words
    assert pg.confusion.widget.layout.display is None


def test_data_controls_move_the_points_network_controls_the_regions():
    panel = P.playground(P.Settings(init="he"))
    pg = panel.playground
    points = pg.regions.points_lines["train"][0].get_xydata().copy()
    regions = pg.regions.image.get_array().copy()
    panel.controls["init"].value = "xavier"
    assert not np.array_equal(regions, pg.regions.image.get_array())
    assert np.array_equal(points, pg.regions.points_lines["train"][0].get_xydata())
    assert "init=&quot;xavier&quot;" in pg.status.value
    panel.controls["noise"].value = 0.1
    assert not np.array_equal(points, pg.regions.points_lines["train"][0].get_xydata())


def test_buttons_step_play_reset_without_an_event_loop():
    panel = P.playground(P.Settings(dataset="circles", noise=0.1, hidden=(4,), epochs=30))
    pg, buttons = panel.playground, panel.buttons
    before = pictures(pg)
    buttons["step"].click()
    assert pg.trainer.epoch == 1 and not pg.playing and pictures(pg) != before
    buttons["play"].click()  # no running event loop in a plain test: trains to the end here
    assert pg.trainer.epoch == 30 and not pg.playing and "<b>done</b>" in pg.status.value
    assert (pg.play_button.description, pg.play_button.icon) == ("Play", "play")
    finished = pg.trainer
    buttons["step"].click()  # a finished run starts again, as with Play: epoch 1 of the same seed
    assert pg.trainer is not finished and pg.trainer.epoch == 1 and "<b>done</b>" not in pg.status.value
    buttons["reset"].click()
    assert pg.trainer.epoch == 0 and "<b>ready</b>" in pg.status.value
    assert panel.error.value == ""


def test_only_epochs_moved_keeps_the_run_and_plays_on_to_the_new_end():
    settings = P.Settings(epochs=6, batch_size=8)
    pg = P.Playground(settings.replace(epochs=3))
    pg.play()  # no event loop here: trains to the end right away, slice after slice, redrawing in between
    assert pg.trainer.epoch == 3 and not pg.playing
    run = pg.trainer
    pg.apply(settings)  # only epochs changed: the same run goes on to 6
    assert pg.trainer is run and pg.settings == settings and pg.trainer.epoch == 3
    pg.play()
    assert pg.trainer is run and pg.trainer.epoch == 6 and "epochs=6" in pg.status.value
    namespace = {"nl": nl}
    exec(P.code_line(settings), namespace)
    assert pg.trainer.history.step_loss == namespace["history"].step_loss
    pg.apply(settings.replace(epochs=4))  # below the epochs already trained: a new run
    assert pg.trainer is not run and pg.trainer.epoch == 0


def test_moving_only_the_end_redraws_only_the_loss_and_the_status(monkeypatch):
    """Nothing else shows the number of epochs: the network view, drawn with every unit's picture, is not
    computed again (17 ms of kernel time a move, against 4.5, benchmarks/playground_controls.py)."""
    panel = P.playground(P.Settings(epochs=30))
    panel.view.value = "network"
    pg, drawn = panel.playground, []
    for view in (pg.main.network, pg.layers):
        monkeypatch.setattr(view, "show", lambda trainer, view=view: drawn.append(view))
    panel.controls["epochs"].value = 60
    assert pg.settings.epochs == 60 and drawn == []
    assert pg.loss.ax.get_xlim() == (0, 60) and "epoch 0 of 60" in pg.status.value
    panel.controls["activation"].value = "tanh"  # a new run: every view again
    assert pg.main.network in drawn and pg.layers in drawn


def test_divergence_is_shown_in_words():
    panel = P.playground(P.Settings(dataset="moons", hidden=(32,) * 6, lr=1.0, epochs=20))
    pg = panel.playground
    panel.buttons["play"].click()
    assert pg.trainer.diverged and not pg.playing and panel.error.value == ""
    assert "Training diverged in epoch 1" in pg.status.value and "#b00" in pg.status.value


def test_an_error_during_play_is_written_in_the_panels_error_line():
    panel = P.playground()
    panel.playground.loop.on_error("Training stopped: ValueError: broken")
    assert panel.error.value == "Training stopped: ValueError: broken"
    alone = P.Playground()  # without a panel: in the status line
    alone.loop.on_error("Training stopped: ValueError: broken")
    assert alone.status.value == "Training stopped: ValueError: broken"


def test_play_runs_in_slices_on_the_event_loop_and_pause_is_heard():
    panel = P.playground(P.Settings(hidden=(32, 32), batch_size=4, epochs=1000))
    panel.speed.value = 10  # epochs a second: the status line says so, and the loop keeps to it
    pg = panel.playground
    assert pg.loop.pace.speed == 10 and "Play: 10 epochs/s" in pg.status.value

    async def scenario():
        panel.buttons["play"].click()  # schedules a task and returns at once
        assert pg.playing and pg.play_button.description == "Pause" and pg.trainer.steps == 0
        task = pg.loop.task
        assert isinstance(task, asyncio.Task) and not task.done() and "training…" in pg.status.value
        while pg.trainer.steps < 10:
            await asyncio.sleep(0.01)  # another coroutine: runs between the slices
        panel.buttons["play"].click()  # Pause
        steps = pg.trainer.steps
        for _ in range(20):
            await asyncio.sleep(0)
        assert not pg.playing and pg.trainer.steps == steps and task.done()  # nothing keeps running after Pause

    asyncio.run(scenario())
    assert pg.loop.chunks > 1 and "paused" in pg.status.value and pg.play_button.description == "Play"


def test_a_control_move_during_play_starts_a_new_run():
    panel = P.playground(P.Settings(epochs=1000))
    pg = panel.playground

    async def scenario():
        panel.buttons["play"].click()
        while pg.trainer.steps == 0:
            await asyncio.sleep(0.01)
        panel.controls["activation"].value = "tanh"
        assert not pg.playing and pg.trainer.steps == 0 and pg.trainer.settings.activation == "tanh"
        await asyncio.sleep(0.05)
        assert pg.trainer.steps == 0  # the old play loop stopped

    asyncio.run(scenario())


def test_only_one_playground_plays_at_a_time():
    first, second = P.playground(P.Settings(epochs=1000)), P.playground(P.Settings(epochs=1000))

    async def scenario():
        first.buttons["play"].click()
        await asyncio.sleep(0)
        assert first.playground.playing
        second.buttons["play"].click()  # e.g. the cell was run again and the new panel is played
        assert second.playground.playing and not first.playground.playing
        second.buttons["play"].click()

    asyncio.run(scenario())
    assert not second.playground.playing


def test_building_the_panel_under_an_event_loop_starts_nothing():
    async def build():
        before = asyncio.all_tasks()
        panel = P.playground()
        await asyncio.sleep(0.05)
        return panel, asyncio.all_tasks() - before

    panel, new_tasks = asyncio.run(build())
    assert not panel.playground.playing and panel.playground.loop.chunks == 0 and not new_tasks


def test_play_in_a_real_kernel_trains_in_the_background_and_pause_stops_it():
    """The frontend's view: a Play click arrives as a comm message, training runs while the kernel is
    idle, the kernel still answers, and a Pause click stops it. (How fast it answers is measured by
    benchmarks/playground_play.py.)"""
    manager = pytest.importorskip("jupyter_client.manager")
    km, kc = manager.start_new_kernel(kernel_name="python3")

    def run(code):
        out = []

        def keep(msg):
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])

        reply = kc.execute_interactive(code, timeout=60, output_hook=keep)
        assert reply["content"]["status"] == "ok", reply["content"].get("evalue")
        return "".join(out).strip()

    def click(comm_id):
        content = {"comm_id": comm_id, "data": {"method": "custom", "content": {"event": "click"}}}
        kc.shell_channel.send(kc.session.msg("comm_msg", content))

    def until(code, expected, tries=600):
        for _ in range(tries):  # each try is one round trip to the kernel, between two slices of training
            answer = run(code)
            if answer == expected:
                return answer
        raise AssertionError(f"{code!r} still says {answer!r}, not {expected!r}")

    try:
        play = run("from nnlite.labs import playground as P\n"
                   "panel = P.playground(P.Settings(hidden=(32, 32), batch_size=4, epochs=1000))\n"
                   "pg = panel.playground\nprint(pg.play_button.comm.comm_id)")
        click(play)
        until("print(pg.playing, pg.trainer.epoch > 0)", "True True")  # trains while the kernel answers
        click(play)  # Pause
        until("print(pg.playing)", "False")
        steps = run("print(pg.trainer.steps)")
        assert run("import asyncio\nprint(pg.loop.task, sum('PlayLoop._play' in repr(t) for t in asyncio.all_tasks()))"
                   ) == "None 0"  # no play loop left running
        assert run("print(pg.trainer.steps)") == steps and run("print(repr(panel.error.value))") == "''"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
