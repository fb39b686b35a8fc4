"""Notebook 07's lab: the playground. Its runs equal nl.fit's to the last bit, its panel answers
every control, and Play trains in slices on the event loop (also in a real kernel), so Pause is heard."""

import asyncio
import math
import re
import time

import numpy as np
import pytest

import nnlite as nl
from nnlite import viz
from nnlite.labs import playground as P


def fit_from_code_line(settings):
    namespace = {"nl": nl}
    exec(P.code_line(settings), namespace)
    return namespace


def assert_same_history(a, b):
    assert np.array_equal(a.step_loss, b.step_loss, equal_nan=True)
    assert a.epoch_loss == b.epoch_loss and a.epoch_accuracy == b.epoch_accuracy
    assert a.val_loss == b.val_loss and a.val_accuracy == b.val_accuracy
    assert (a.diverged, a.diverged_at_step) == (b.diverged, b.diverged_at_step)
    assert len(a.grad_norms) == len(b.grad_norms)
    assert all(np.array_equal(x, y, equal_nan=True) for x, y in zip(a.grad_norms, b.grad_norms, strict=True))


# ------------------------------------------------------------------ the run equals nl.fit

@pytest.mark.parametrize("settings", [
    P.Settings(epochs=20),
    P.Settings(dataset="xor", hidden=(4,), activation="tanh", init="xavier", batch_size=1, lr=0.05, epochs=3),
    P.Settings(dataset="blobs", hidden=(), activation="identity", batch_size=256, noise=0.5, epochs=15),
    P.Settings(dataset="moons", hidden=(32,) * 6, lr=1.0, epochs=20),  # diverges in the first epoch
    P.Settings(dataset="moons", activation="sigmoid", weight_decay=0.01, epochs=5),  # init auto: xavier
], ids=["spiral", "xor-batch-1", "blobs-linear-full-batch", "diverges", "sigmoid-weight-decay"])
def test_code_line_reproduces_the_playground_run_exactly(settings):
    trainer = P.Trainer(settings).run()
    namespace = fit_from_code_line(settings)
    assert_same_history(trainer.history, namespace["history"])
    for mine, theirs in zip(trainer.model.layers, namespace["model"].layers, strict=True):
        assert np.array_equal(mine.W, theirs.W, equal_nan=True) and np.array_equal(mine.b, theirs.b, equal_nan=True)
    if not trainer.diverged:
        loss, accuracy = nl.evaluate(namespace["model"], namespace["X_test"], namespace["y_test"])
        assert (loss, accuracy) == (trainer.latest()["test_loss"], trainer.latest()["test_accuracy"])


def test_the_played_run_equals_fit_even_in_slices_with_redraws_and_a_raised_end():
    settings = P.Settings(epochs=6, batch_size=8)
    pg = P.Playground(chunk_seconds=0.0005, redraw_seconds=0.0)
    pg.apply(settings.replace(epochs=3))
    pg.play()  # no event loop here: trains to the end right away, slice after slice, redrawing in between
    assert pg.trainer.epoch == 3 and not pg.playing and pg.chunks > 10
    pg.apply(settings)  # only epochs changed: the same run goes on to 6
    assert pg.trainer.epoch == 3
    pg.play()
    assert pg.trainer.epoch == 6
    assert_same_history(pg.trainer.history, fit_from_code_line(settings)["history"])
    assert "epochs=6" in pg.status.value


def test_default_run_numbers():
    """What the notebook says about the default run, with margins that hold on every seed and BLAS kernel."""
    trainer = P.run()
    r = trainer.latest()
    assert trainer.history.steps == 200 * 15  # 225 training rows in batches of 16: 15 steps per epoch
    assert r["train_accuracy"] > 0.95 and r["test_accuracy"] > 0.95 and r["test_loss"] < 0.2
    assert re.fullmatch(r"epoch 200 of 200: loss train \d\.\d{4}, test \d\.\d{4}; "
                        r"accuracy train \d+\.\d%, test \d+\.\d%", trainer.summary())
    assert len(trainer.curves["train_loss"]) == 201  # epoch 0 (before training) included
    np.testing.assert_allclose(trainer.start_grad_norms, [0.146545, 0.309279, 0.376378], atol=1e-6)  # no training
    runs = P.run_seeds(seeds=range(4))
    assert (P.final(runs, "test_accuracy") > 0.9).all() and runs[0].history.step_loss == trainer.history.step_loss


def test_the_things_to_try_show_what_the_notebook_says():
    """Seed 0, as the playground shows it: the claims of the list 'Things to try'."""
    default = P.Settings()
    xor = P.run(default, dataset="xor", activation="identity")
    assert xor.latest()["test_accuracy"] < 0.7 and xor.latest()["train_accuracy"] < 0.7
    assert P.run(default, dataset="xor").latest()["test_accuracy"] > 0.75  # the same network with ReLU
    sigmoid = P.run(default, hidden=(16,) * 6, activation="sigmoid")  # 2: stuck near a third, gradient vanishes
    assert sigmoid.start_grad_norms[-1] / sigmoid.start_grad_norms[0] > 1000
    assert abs(sigmoid.latest()["train_accuracy"] - 1 / 3) < 0.05
    relu = P.run(default, lr=1.0)  # 3: units die; with leaky_relu none
    leaky = P.run(default, lr=1.0, activation="leaky_relu")
    assert relu.dead_fraction().max() > 0.3 and leaky.dead_fraction().max() == 0
    noisy = P.run(default, dataset="moons", noise=0.4, hidden=(32,) * 3, test_fraction=0.5, epochs=300)  # 5
    test_loss = np.array(noisy.curves["test_loss"])
    assert test_loss.argmin() < 150 and test_loss[-1] > 1.3 * test_loss.min()
    assert noisy.curves["train_loss"][-1] < 0.9 * noisy.curves["train_loss"][test_loss.argmin()]  # still falling
    decayed = P.run(noisy.settings.replace(weight_decay=0.01))  # 6
    assert P.overfit_gap([decayed])[0] < 0.5 * P.overfit_gap([noisy])[0]
    too_much = P.run(noisy.settings.replace(weight_decay=0.1))  # section 7: more is not always better
    assert too_much.curves["train_loss"][-1] > 1.4 * decayed.curves["train_loss"][-1]
    assert too_much.curves["test_loss"][-1] > 1.1 * decayed.curves["test_loss"][-1]


def test_default_init_follows_the_activation():
    assert [P.default_init(a) for a in P.ACTIVATIONS] == ["he", "he", "xavier", "xavier", "he", "he", "xavier"]
    assert P.Settings(activation="tanh").init_name == "xavier" and P.Settings(init="normal").init_name == "normal"
    assert 'init="xavier"' in P.code_line(P.Settings(activation="sigmoid"))
    assert "weight_decay" not in P.code_line(P.Settings()) and "weight_decay=0.001" in P.code_line(
        P.Settings(weight_decay=1e-3))
    with pytest.raises(ValueError, match="weight_decay must be in"):
        P.Settings(weight_decay=-1.0)


def test_long_runs_keep_bounded_records(monkeypatch):
    monkeypatch.setattr(P, "MAX_STEP_RECORDS", 40)
    trainer = P.Trainer(P.Settings(epochs=6))  # 15 steps per epoch, 90 in all
    full = P.run(epochs=6)
    trainer.run()
    assert trainer.history.steps == 90 and len(trainer.history.step_loss) == len(trainer.history.grad_norms) == 40
    assert trainer.history.step_loss == full.history.step_loss[-40:]
    np.testing.assert_allclose(trainer.layer_grad_norms[-1], np.mean(full.history.grad_norms[-15:], axis=0),
                               rtol=1e-12)  # each layer's norm averaged over the last epoch's steps
    assert trainer.curves == full.curves


def test_step_semantics_and_divergence_in_words():
    trainer = P.Trainer(P.Settings(epochs=2))
    assert trainer.step() and trainer.history.steps == 1 and trainer.epoch == 0
    trainer.run_epoch()
    assert trainer.epoch == 1 and trainer.history.steps == 15
    trainer.run()
    assert trainer.done and not trainer.step() and trainer.history.steps == 30
    trainer.epochs = 3  # raise the end: the run goes on
    assert not trainer.done and trainer.run().epoch == 3

    blown = P.Trainer(P.Settings(dataset="moons", hidden=(32,) * 6, lr=1.0, epochs=20)).run()
    assert blown.diverged and blown.done and blown.history.diverged_at_step == 8
    assert blown.summary() == blown.message
    assert "diverged in epoch 1 (step 8)" in blown.message and "try a smaller one, such as 0.1" in blown.message


def test_settings_errors_name_the_parameter():
    with pytest.raises(ValueError, match="dataset must be one of 'spiral'"):
        P.Settings(dataset="swirl")
    with pytest.raises(TypeError, match=r"hidden must be a list of layer sizes like \[16, 16\]"):
        P.Settings(hidden=16)
    with pytest.raises(ValueError, match=r"hidden\[1\] must be >= 1, got 0"):
        P.Settings(hidden=[4, 0])
    with pytest.raises(ValueError, match=r"lr must be in \(0.0, inf\], got -0.1"):
        P.Settings(lr=-0.1)
    with pytest.raises(ValueError, match=r"test_fraction must be in \(0.0, 1.0\)"):
        P.Settings(test_fraction=1.0)
    with pytest.raises(ValueError, match="activation must be one of"):
        P.Settings(activation="swish")
    with pytest.raises(ValueError, match=r"unknown keys \['hiden'\]"):
        P.as_settings({"hiden": [3]})
    with pytest.raises(TypeError, match="settings must be a dict"):
        P.as_settings("relu")
    assert P.Settings(hidden=[8, 4]).hidden == (8, 4) and P.Settings(dataset="blobs", hidden=[]).sizes == [2, 3]


def test_classes_match_the_data_makers():
    for name, k in P.CLASSES.items():
        assert int(nl.datasets.make(name, n=60)[1].max()) + 1 == k


@pytest.mark.parametrize("activation", ["relu", "gelu", "sigmoid"])
def test_float32_grid_gives_the_picture_of_the_float64_model(activation):
    trainer = P.run(epochs=30, activation=activation)
    view = P.RegionsView(resolution=60)
    view.set_data(trainer)
    probs32 = P.grid_probabilities(trainer.model, view.points, 60)
    probs64, extent = viz.decision_grid(trainer.model, trainer.X, resolution=60)
    assert extent == view.extent and probs32.shape == probs64.shape == (60, 60, 3)
    assert np.abs(probs32 - probs64).max() < 1e-4
    assert np.mean(probs32.argmax(-1) == probs64.argmax(-1)) > 0.999


# ------------------------------------------------------------------ the panel

@pytest.fixture(scope="module")
def panel():
    start = time.perf_counter()
    built = P.playground()
    assert time.perf_counter() - start < 30.0  # a loaded CI machine gets slack
    return built


def pictures(pg):
    return tuple(live.picture() for live in pg.figures)


def test_panel_starts_still_and_says_so(panel):
    pg = panel.view
    assert not pg.playing and pg._task is None and pg.trainer.epoch == 0
    assert "ready: press Play" in pg.status.value and "epoch 0 of 200" in pg.status.value
    assert "nl.MLP([2, 16, 16, 3], activation=&quot;relu&quot;" in pg.status.value
    assert panel.error.value == ""


@pytest.mark.parametrize("name, value", [("lr", 1.0), ("batch_size", 1), ("weight_decay", 0.01)])
def test_a_training_setting_moved_before_the_first_step_redraws_no_view_and_the_views_stay_true(name, value):
    panel = P.playground()
    pg = panel.view
    redraws, before = [live.redraws for live in pg.figures], pictures(pg)
    panel.controls[name].value = value
    assert f"{name}={value!r}" in pg.status.value and pg.trainer.settings == pg.settings  # the new run
    assert [live.redraws for live in pg.figures] == redraws  # (drawing them was most of such a move's time)
    pg.draw()
    assert pictures(pg) == before  # what a redraw would have shown
    pg.trainer.step()
    redraws = [live.redraws for live in pg.figures]
    panel.controls[name].value = {"lr": 0.01, "batch_size": 64, "weight_decay": 0.001}[name]
    assert all(live.redraws > n for live, n in zip(pg.figures, redraws, strict=True))  # trained: drawn afresh


@pytest.mark.parametrize("name, value", [
    ("dataset", "moons"), ("noise", 0.4), ("test_fraction", 0.5), ("layers", 6), ("units", 32),
    ("activation", "gelu"), ("init", "normal"), ("lr", 1.0), ("batch_size", 1), ("epochs", 1000),
    ("weight_decay", 0.01), ("init", "auto"), ("weight_decay", 0.0),
    ("layers", 0), ("dataset", "blobs"), ("epochs", 10), ("lr", 0.001), ("layers", 3), ("units", 1),
])
def test_every_control_changes_the_picture_or_text(panel, name, value):
    pg = panel.view
    before = pictures(pg), pg.status.value
    panel.controls[name].value = value
    assert panel.error.value == ""
    assert (pictures(pg), pg.status.value) != before, f"moving {name} changed nothing"
    assert panel.last_update_seconds < 1.0  # the < 50 ms budget is measured and reported, not asserted here
    assert panel.controls["units"].disabled == (panel.controls["layers"].value == 0)


def test_data_controls_move_the_points_network_controls_the_regions(panel):
    pg = panel.view
    for name, value in [("dataset", "spiral"), ("layers", 2), ("units", 16), ("activation", "relu"), ("init", "he")]:
        panel.controls[name].value = value
    points = pg.regions.points_lines["train"][0].get_xydata().copy()
    panel.controls["noise"].value = 0.1
    assert not np.array_equal(points, pg.regions.points_lines["train"][0].get_xydata())
    regions = pg.regions.image.get_array().copy()
    panel.controls["init"].value = "xavier"
    assert not np.array_equal(regions, pg.regions.image.get_array())
    assert "init=&quot;xavier&quot;" in pg.status.value


def test_buttons_step_play_reset_without_an_event_loop(panel):
    pg, buttons = panel.view, panel.buttons
    for name, value in [("dataset", "circles"), ("noise", 0.1), ("layers", 1), ("units", 4), ("activation", "relu"),
                        ("init", "he"), ("lr", 0.1), ("batch_size", 16), ("epochs", 30), ("test_fraction", 0.25)]:
        panel.controls[name].value = value
    before = pictures(pg)
    buttons["step"].click()
    assert pg.trainer.epoch == 1 and not pg.playing and pictures(pg) != before
    buttons["play"].click()  # no running event loop in a plain test: trains to the end here
    assert pg.trainer.epoch == 30 and not pg.playing and "<b>done</b>" in pg.status.value
    assert (pg.play_button.description, pg.play_button.icon) == ("Play", "play")
    buttons["reset"].click()
    assert pg.trainer.epoch == 0 and "ready: press Play" in pg.status.value
    assert panel.error.value == ""


def test_divergence_is_shown_in_words(panel):
    pg = panel.view
    for name, value in [("dataset", "moons"), ("layers", 6), ("units", 32), ("lr", 1.0), ("epochs", 20)]:
        panel.controls[name].value = value
    panel.buttons["play"].click()
    assert pg.trainer.diverged and not pg.playing and panel.error.value == ""
    assert "Training diverged in epoch 1" in pg.status.value and "#b00" in pg.status.value


def test_a_control_move_during_play_starts_a_new_run(panel):
    pg = panel.view
    panel.controls["lr"].value = 0.1
    pg.playing, pg._stop_at = True, None  # as if Play were running
    panel.controls["activation"].value = "tanh"
    assert not pg.playing and pg.trainer.epoch == 0 and pg.trainer.settings.activation == "tanh"


# ------------------------------------------------------------------ play in slices on an event loop

def test_buttons_use_font_awesome_icons_not_emoji(panel):
    buttons = panel.buttons
    assert [(b.description, b.icon) for b in buttons.values()] == [("Play", "play"), ("Step", "step-forward"),
                                                                    ("Reset", "undo")]
    texts = [b.description + (b.tooltip or "") for b in buttons.values()]
    assert all(ord(ch) < 0x2000 for text in texts for ch in text)  # no emoji, no symbol a font may lack


def test_play_is_paced_so_that_learning_can_be_watched():
    panel = P.playground(P.Settings(epochs=40))
    pg = panel.view
    panel.speed.value = 10  # epochs per second: 40 epochs take 4 s

    async def play():
        start = time.perf_counter()
        panel.buttons["play"].click()
        while pg.playing:
            await asyncio.sleep(0.02)
        return time.perf_counter() - start

    redraws = pg.regions.live.redraws
    seconds = asyncio.run(play())
    assert pg.trainer.epoch == 40 and 3.9 < seconds < 60
    # a picture every 0.1 s (20 per second of play on an idle machine); on a loaded one drawing may take at
    # most half of the time, so fewer: the browser test measures what a student sees
    assert pg.regions.live.redraws - redraws >= 8
    panel.speed.value = math.inf
    assert pg.speed == math.inf and pg._allowed_steps(time.perf_counter()) == math.inf


def test_play_runs_in_slices_on_the_event_loop_and_pause_is_heard():
    panel = P.playground(P.Settings(hidden=(32, 32), batch_size=4, epochs=1000))
    panel.speed.value = math.inf  # as fast as it can: the slices, not the pace, are under test
    pg = panel.view

    async def scenario():
        assert not pg.playing
        panel.buttons["play"].click()  # schedules a task and returns at once
        assert pg.playing and pg.play_button.description == "Pause" and pg.trainer.epoch == 0
        task = pg._task
        assert isinstance(task, asyncio.Task) and not task.done()
        gaps, last = [], time.perf_counter()
        while time.perf_counter() - last < 5 and len(gaps) < 40:
            await asyncio.sleep(0)  # another coroutine: runs between the slices
            now = time.perf_counter()
            gaps.append(now - last)
            last = now
        assert pg.playing and pg.trainer.epoch >= 3 and len(gaps) == 40
        panel.buttons["play"].click()  # Pause
        epoch, steps = pg.trainer.epoch, pg.trainer.history.steps
        for _ in range(20):
            await asyncio.sleep(0)
        assert not pg.playing and pg.trainer.history.steps == steps and pg.trainer.epoch == epoch
        assert task.done()  # nothing keeps running after Pause
        return max(gaps)

    longest_gap = asyncio.run(scenario())
    assert pg.chunks > 5 and pg.regions.live.redraws > 1
    assert pg.longest_chunk < 0.2 and longest_gap < 0.2  # each slice is ~15 ms (a loaded CI machine gets slack)
    assert "paused" in pg.status.value


def test_only_one_playground_plays_at_a_time():
    first, second = P.playground(P.Settings(epochs=1000)), P.playground(P.Settings(epochs=1000))

    async def scenario():
        first.buttons["play"].click()
        await asyncio.sleep(0)
        assert first.view.playing
        second.buttons["play"].click()  # e.g. the cell was run again and the new panel is played
        assert second.view.playing and not first.view.playing
        second.buttons["play"].click()

    asyncio.run(scenario())
    assert not second.view.playing


def test_building_the_panel_under_an_event_loop_starts_nothing():
    async def build():
        before = asyncio.all_tasks()
        panel = P.playground()
        await asyncio.sleep(0.05)
        return panel, asyncio.all_tasks() - before

    panel, new_tasks = asyncio.run(build())
    assert not panel.view.playing and panel.view.chunks == 0 and not new_tasks


def test_play_in_a_real_kernel_keeps_it_responsive():
    """The frontend's view: a Play click arrives as a comm message, training runs while the kernel
    is idle, the kernel still answers, and a Pause click stops it."""
    manager = pytest.importorskip("jupyter_client.manager")
    km, kc = manager.start_new_kernel(kernel_name="python3")

    def run(code):
        msg_id = kc.execute(code)
        out = []
        while True:
            msg = kc.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                raise AssertionError(msg["content"]["evalue"])
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return "".join(out).strip()

    def click(comm_id):
        content = {"comm_id": comm_id, "data": {"method": "custom", "content": {"event": "click"}}}
        kc.shell_channel.send(kc.session.msg("comm_msg", content))

    try:
        play = run("from nnlite.labs import playground as P\n"
                   "panel = P.playground(P.Settings(hidden=(32, 32), batch_size=4, epochs=1000))\n"
                   "pg = panel.view\nprint(pg.play_button.comm.comm_id)")
        click(play)
        time.sleep(1.0)
        start = time.perf_counter()
        playing, epoch = run("print(pg.playing, pg.trainer.epoch)").split()
        answered = time.perf_counter() - start
        assert playing == "True" and int(epoch) > 0, "Play did not train in the background"
        assert answered < 1.0, f"the kernel took {answered:.2f} s to answer while training"
        click(play)  # Pause
        time.sleep(0.3)
        first = run("print(pg.playing, pg.trainer.history.steps)")
        time.sleep(0.3)
        assert first.startswith("False") and run("print(pg.playing, pg.trainer.history.steps)") == first
        assert run("print(pg.longest_chunk < 0.2, repr(pg.error.value))") == "True ''"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


# ------------------------------------------------------------------ exercises

@pytest.mark.parametrize("answer, status", [
    ("blobs", "correct"), (" Blobs ", "correct"), ("moons", "mistake"), ("xor", "mistake"), ("BLOBS", "correct"),
    (np.array(["blobs"]), "invalid"), (np.array([1.0, 2.0]), "invalid"), ("swirl", "invalid"), (None, "unanswered"),
])
def test_linear_dataset_exercise_takes_arrays_without_crashing(answer, status):
    assert P.LINEAR_DATASET.grade(answer).status == status


@pytest.mark.parametrize("answer, status, words", [
    (None, "unanswered", "Not answered yet"),
    ("relu", "invalid", "my_settings must be a dict"),
    ({"hiden": [3]}, "invalid", "unknown keys ['hiden']"),
    ({"hidden": [8]}, "mistake", "at most 4 hidden units in total: add up the sizes in 'hidden'. (Yours has 8.)"),
    ({}, "mistake", "(Yours has 32.)"),  # the default network is far too big
    ({"hidden": [4], "activation": "identity"}, "mistake", "no straight line puts a ring on one side"),
    ({"hidden": []}, "mistake", "Without a bend"),
    ({"hidden": [2]}, "mistake", "in at most 2 places"),
    ({"hidden": [4], "epochs": 600}, "mistake", "Keep epochs at 500 or fewer"),
    ({"hidden": [4], "lr": 0.001, "epochs": 50}, "mistake", "hardly moved"),
    ({"hidden": [3]}, "correct", "Median test accuracy over 3 seeds"),
])
def test_small_circles_exercise(answer, status, words):
    feedback = P.SMALL_CIRCLES.grade(answer)
    assert feedback.status == status and words in feedback.text, feedback


def test_small_circles_verdict_has_a_wide_margin():
    """The solution passes on every seed the check uses, far above the goal: no BLAS kernel can flip it."""
    settings = P.SMALL_CIRCLES.settings({"hidden": [3]})
    accuracies = [P.run(settings.replace(seed=seed)).latest()["test_accuracy"] for seed in P.SMALL_CIRCLES.seeds]
    assert min(accuracies) > P.SMALL_CIRCLES.target + 0.04


def test_vanishing_ratio_exercise_names_the_layers_exactly():
    trainer = P.Trainer(P.Settings(dataset="moons", hidden=(16,) * 6, activation="sigmoid"))
    norms = trainer.start_grad_norms
    assert len(norms) == 7 and P.VANISHING_RATIO.expected == norms[-1] / norms[0] > 1000
    assert P.VANISHING_RATIO.grade(norms[-1] / norms[0]).status == "correct"
    assert "last HIDDEN layer" in P.VANISHING_RATIO.grade(norms[-2] / norms[0]).text
    assert "upside down" in P.VANISHING_RATIO.grade(norms[0] / norms[-1]).text
    assert P.VANISHING_RATIO.grade(np.array([1.0, 2.0])).status == "invalid"


def test_the_same_number_of_epochs_leaves_the_loss_axis_as_it_was():
    # a move of any other control sets the epochs again: new limits would write every artist anew
    view = P.LossView()
    view.set_epochs(200)
    view.live.redraw()
    pieces = dict(view.live._svg_pieces)
    view.set_epochs(200)
    assert view.live._svg_pieces == pieces and not any(label.stale for label in view.tick_labels)
    view.set_epochs(300)
    assert not view.live._svg_pieces and view.tick_labels[-1].get_text() == "300"
