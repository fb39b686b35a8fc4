"""Your own points in the playground: playground(X, y) trains on exactly them (its code line reproduces the
run), bad points get errors that name what is wrong, and clicks on the class regions add points of a
chosen class, with undo and clear that return to exactly what was there."""

import numpy as np
import pytest

import nnlite as nl
from nnlite.labs import playground as P
from nnlite.labs.playground.own_data import OwnData
from tests.test_lab_playground_engine import assert_same_history

RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 2))
Y = (X[:, 0] * X[:, 1] > 0).astype(int)  # xor of the signs: no straight line separates it


def test_playground_trains_on_your_points_and_its_code_line_reproduces_the_run():
    panel = P.playground(X, Y, settings={"hidden": [6], "epochs": 15, "batch_size": 8})
    trainer = panel.playground.trainer
    assert np.array_equal(trainer.X, X) and np.array_equal(trainer.y, Y) and trainer.settings.sizes == [2, 6, 2]
    assert panel.controls["dataset"].value == "own" and panel.controls["dataset"].options[-1] == ("your points", "own")
    trainer.run()
    namespace = {"nl": nl, "X": X, "y": Y}  # the line starts from your points, X and y
    exec(P.code_line(trainer.settings), namespace)
    assert "nl.datasets.make" not in P.code_line(trainer.settings)
    assert_same_history(trainer.history, namespace["history"])


def test_your_arrays_are_copied_checked_and_read_only():
    X_mine, y_mine = X.copy(), list(Y)
    data = OwnData(X_mine, y_mine)
    X_mine[0, 0] = 99.0  # changing yours later changes nothing of the run's
    assert data.X[0, 0] == X[0, 0] and data.classes == 2 and len(data) == 40
    with pytest.raises(ValueError, match="read-only"):
        data.X[0, 0] = 1.0
    assert OwnData(X, Y) == data and hash(OwnData(X, Y)) == hash(data) and OwnData(X, 1 - Y) != data
    assert P.Settings(dataset="own", data=(X, Y)) == P.Settings(dataset="own", data=data)  # a pair or an OwnData


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda: P.playground(X), TypeError, r"needs both your points X and their classes y; got only X"),
    (lambda: P.playground(y=Y), TypeError, r"got only y"),
    (lambda: P.playground({"lr": 0.3}, Y), TypeError, r"X must contain real numbers, got dict"),
    (lambda: P.playground(X[:, :1], Y), ValueError, r"X must have 2 columns \(x1, x2\).*got shape \(40, 1\)"),
    (lambda: P.playground(X, Y[:5]), ValueError, r"y must have one entry per row of X \(40\), got 5"),
    (lambda: P.playground(X, Y + 1), ValueError, r"no point has class 0: renumber the labels"),
    (lambda: P.playground(X, np.zeros(40)), ValueError, r"at least 2 classes, got only class 0"),
    (lambda: P.playground(X, Y * 0.5), ValueError, r"y must hold whole numbers \(class indices\), got 0.5"),
    (lambda: P.playground(X, Y * 11), ValueError, r"at most 10 classes.*got the label 11"),
    (lambda: P.playground(np.where(X > 2, np.nan, X), Y), ValueError, r"X must .*finite|NaN"),
    (lambda: P.playground(X[:2], Y[:2]), ValueError, r"at least 3 rows to split"),
    (lambda: P.Settings(dataset="own"), ValueError, r'dataset "own" needs your points: .*data=\(X, y\)'),
    (lambda: P.Settings(dataset="own", data=X), TypeError, r"data must be your points as a pair \(X, y\)"),
])
def test_bad_points_get_an_error_that_says_what_is_wrong(call, error, words):
    with pytest.raises(error, match=words):
        call()


def click(panel, x1, x2):
    """A click as the front end sends it (nnlite.pointer), here from the keyboard's cross and Enter."""
    panel.adder.pointer._on_message(None, {"event": "click", "x": x1, "y": x2, "source": "keyboard"}, [])
    assert panel.adder.pointer.error == "", panel.adder.pointer.error


def test_a_click_adds_a_point_of_the_chosen_class_and_undo_and_clear_go_back_exactly():
    panel = P.playground(settings={"dataset": "moons", "epochs": 5})
    pg, adder = panel.playground, panel.adder
    start = pg.settings
    assert adder.undo_button.disabled and adder.widget.layout.display == "none"  # noise and new data shown instead
    click(panel, 0.25, -0.5)
    assert pg.settings.dataset == "own" and len(pg.trainer.X) == start.n + 1
    assert pg.trainer.X[-1].tolist() == [0.25, -0.5] and pg.trainer.y[-1] == 0  # class 0 was picked
    assert panel.controls["noise"].layout.display == "none" and adder.widget.layout.display is None
    assert adder.label.options[-1] == ("new class 2", 2)  # moons has 2 classes: a third may be added
    adder.label.value = 2
    click(panel, 1.0, 1.0)
    assert pg.settings.classes == 3 and pg.trainer.model.sizes == [2, 16, 16, 3]  # a new output unit
    assert adder.label.options[2] == ("class 2 (green triangles)", 2) and not adder.undo_button.disabled
    assert len(pg.regions.points_lines["train"][2].get_xdata()) + len(
        pg.regions.points_lines["validation"][2].get_xdata()) <= 1  # drawn in class 2's line, if not in test
    first = pg.settings
    adder.undo()
    assert pg.settings.classes == 2 and len(pg.trainer.X) == start.n + 1 and pg.settings.data == first.data.__class__(
        first.data.X[:-1], first.data.y[:-1])
    adder.clear()
    assert pg.settings == start and panel.controls["dataset"].value == "moons"  # the run as it was, exactly
    assert [value for _, value in panel.controls["dataset"].options] == list(P.DATASETS)  # no points of yours left
    assert adder.undo_button.disabled and adder.clear_button.disabled and panel.error.value == ""


def test_up_to_ten_classes_each_with_its_colour_and_shape():
    panel = P.playground(X, Y, settings={"epochs": 3})
    for k in range(2, 10):
        assert panel.adder.label.options[-1] == (f"new class {k}", k)
        panel.adder.label.value = k
        click(panel, 0.1 * k, 0.0)
    s = panel.playground.settings
    assert s.classes == 10 and [v for _, v in panel.adder.label.options] == list(range(10))  # no eleventh
    assert panel.adder.label.options[9] == ("class 9 (wine pentagons)", 9)
    markers = [line.get_marker() for line in panel.playground.regions.points_lines["train"]]
    assert len(set(markers)) == 10 and panel.error.value == ""


def test_a_click_that_cannot_be_a_point_is_said_not_lost():
    panel = P.playground(X, Y, settings={"epochs": 3})
    panel.adder.pointer._on_message(None, {"event": "click", "x": float("nan"), "y": 0.0}, [])
    assert "finite number" in panel.adder.pointer.error and len(panel.playground.trainer.X) == 40


def test_the_chosen_class_is_said_but_not_when_the_options_change_with_the_data():
    panel = P.playground(X, Y, settings={"epochs": 3})
    said = []
    panel.adder.pointer.say = said.append
    panel.adder.label.value = 1
    assert said == ["A click now adds a point of class 1."]
    panel.adder.label.value = 2  # "new class 2"
    click(panel, 0.0, 0.0)  # a third class: the options change, and the choice stays class 2
    assert panel.adder.label.value == 2
    assert said[1:] == ["A click now adds a point of class 2.",
                        "Added a point of class 2 at x1 = 0.00, x2 = 0.00: 41 points now."]


def test_a_click_after_data_moves_adds_a_point_the_run_on_screen_has_while_the_class_was_hidden():
    """On a course data set the class control is hidden, and not kept up to date (one message less a move):
    a click brings it up to date first, so a regression's click adds one of its targets, not "class 2"."""
    panel = P.playground(settings={"dataset": "spiral", "epochs": 3})
    panel.adder.label.value = 2
    panel.controls["dataset"].value = "plane"  # a regression: its class control offers targets, the first chosen
    click(panel, 0.2, 0.1)
    s = panel.playground.settings
    assert s.dataset == "own" and s.task == "regression"
    assert s.data.y[-1] == 1.0 and panel.adder.label.options[0] == ("target +1 (blue circle)", 1.0)
