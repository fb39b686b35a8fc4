"""accuracy and confusion_matrix, against counts made by hand."""

import numpy as np
import pytest

import nnlite as nl


def test_confusion_matrix_by_hand():
    y_true = [0, 0, 1, 1, 1, 2, 2, 2, 2]
    y_pred = [0, 1, 1, 1, 2, 2, 2, 0, 2]
    expected = [[1, 1, 0],   # class 0: one right, one called 1
                [0, 2, 1],   # class 1: two right, one called 2
                [1, 0, 3]]   # class 2: three right, one called 0
    counts = nl.confusion_matrix(y_true, y_pred)
    assert counts.dtype == np.int64
    np.testing.assert_array_equal(counts, expected)
    assert nl.accuracy(y_true, y_pred) == 6 / 9 == np.trace(counts) / counts.sum()


def test_confusion_matrix_size():
    np.testing.assert_array_equal(nl.confusion_matrix([0, 1], [0, 1], n_classes=4),
                                  [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])
    assert nl.confusion_matrix([0, 0], [0, 3]).shape == (4, 4)  # the largest label of either
    assert nl.confusion_matrix([1.0, 2.0], np.array([2, 1], dtype=np.uint8))[1, 2] == 1


def test_against_a_loop_on_random_labels():
    rng = np.random.default_rng(0)
    for k in (2, 3, 7):
        y_true, y_pred = rng.integers(0, k, 200), rng.integers(0, k, 200)
        loop = np.zeros((k, k), dtype=int)
        for t, p in zip(y_true, y_pred, strict=True):
            loop[t, p] += 1
        np.testing.assert_array_equal(nl.confusion_matrix(y_true, y_pred, n_classes=k), loop)
        assert nl.accuracy(y_true, y_pred) == pytest.approx(np.trace(loop) / 200, abs=0)


def test_accuracy_is_evaluate_s_accuracy_for_a_model():
    X, y = nl.datasets.spiral(n=150, seed=0)
    model = nl.MLP([2, 16, 3], seed=0)
    nl.fit(model, X, y, epochs=5, lr=0.2)
    predicted = model.forward(X).argmax(axis=1)
    assert nl.accuracy(y, predicted) == nl.evaluate(model, X, y)[1]
    assert nl.confusion_matrix(y, predicted, n_classes=3).sum(axis=1).tolist() == np.bincount(y).tolist()
