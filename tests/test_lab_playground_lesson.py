"""Notebook 07's lesson: what it says about its runs holds with wide margins, and its exercises check
what they ask (built when first checked: importing the playground trains nothing)."""

import re
import subprocess
import sys

import numpy as np
import pytest

from nnlite.labs import playground as P


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


def test_results_over_seeds():
    runs = P.run_seeds(P.Settings(epochs=5), seeds=range(3), hidden=(4,))
    assert [r.settings.seed for r in runs] == [0, 1, 2] and all(r.settings.hidden == (4,) for r in runs)
    assert np.array_equal(P.overfit_gap(runs), P.final(runs, "test_loss") - P.final(runs, "train_loss"))
    assert P.loss_spread([0.22, 0.5, 0.38]) == "0.22-0.50, median 0.38"


def test_importing_the_playground_trains_nothing():
    code = ("import nnlite.labs.playground as P\n"
            "P.Trainer.__init__ = lambda *a, **k: (_ for _ in ()).throw(AssertionError('a Trainer at import'))\n"
            "print(type(P.VANISHING_RATIO).__name__)")
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0 and imported.stdout.strip() == "BuiltOnFirstUse", imported.stderr


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
    assert len(P.VANISHING_RATIO.mistakes) == 4 and repr(P.VANISHING_RATIO).startswith("NumberExercise(")
