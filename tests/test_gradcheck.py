"""The gradient checker itself: it must find right gradients right and wrong ones wrong."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnlite as nl


@given(x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=3), elements=st.floats(-3, 3)))
def test_numerical_gradient_of_known_functions(x):
    original = x.copy()
    grad = nl.numerical_gradient(lambda v: np.sum(v**2), x)
    # rounding of f (<= 243) / 2e-6 stays below 3e-8; a one-sided difference would be off by eps = 1e-6
    np.testing.assert_allclose(grad, 2 * x, rtol=1e-8, atol=1e-7)
    np.testing.assert_array_equal(x, original)  # nudged in place, then restored exactly
    grad = nl.numerical_gradient(lambda v: np.sum(np.sin(v)), x)
    np.testing.assert_allclose(grad, np.cos(x), rtol=1e-7, atol=1e-9)
    assert grad.shape == x.shape


def test_numerical_gradient_of_a_non_contiguous_array():
    W = np.arange(6.0).reshape(2, 3).T  # a transposed view, as layer.W.T would be
    assert not W.flags.c_contiguous
    grad = nl.numerical_gradient(lambda v: np.sum(v**2), W)
    np.testing.assert_allclose(grad, 2 * W, rtol=1e-8)
    np.testing.assert_array_equal(W, np.arange(6.0).reshape(2, 3).T)
    column = np.arange(12.0).reshape(4, 3)[:, 1]  # a strided view
    np.testing.assert_allclose(nl.numerical_gradient(lambda v: np.sum(v**3), column), 3 * column**2, rtol=1e-8)


def test_numerical_gradient_of_a_view_reaches_the_parent():
    parent = np.array([[1.0, 2.0], [3.0, 4.0]])
    grad = nl.numerical_gradient(lambda _: parent[0, 1] * parent[1, 0], parent.T)
    np.testing.assert_allclose(grad, [[0.0, 2.0], [3.0, 0.0]], rtol=1e-9)  # d/d(parent.T): transposed


def test_relative_error():
    a = np.array([3.0, 4.0])
    assert nl.relative_error(a, a) == 0.0
    assert nl.relative_error(a, -a) == 1.0
    assert nl.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert nl.relative_error(a, 1.1 * a) == pytest.approx(0.1 / 2.1)
    assert nl.relative_error([1.0, 0.0], [0.0, 1.0]) == pytest.approx(np.sqrt(2) / 2)
    assert nl.relative_error(5.0, 5.0) == 0.0


def test_gradient_check_tells_right_from_wrong():
    x = np.array([0.3, -1.2, 2.0])

    def f(v):
        return np.sum(np.tanh(v))

    right = 1 - np.tanh(x) ** 2
    assert nl.gradient_check(f, x, right) < 1e-9
    assert nl.gradient_check(f, x, 1 - np.tanh(x)) > 1e-2  # the classic missing square
    assert nl.gradient_check(f, x, 2 * right) == pytest.approx(1 / 3, rel=1e-6)
    assert nl.gradient_check(f, x, right, eps=1e-4) < 1e-7


def test_a_copy_that_the_function_ignores_is_a_clear_error():
    W = np.array([[0.5, -1.0], [2.0, 0.25]])

    def loss(_):  # reads W where it lives, ignores its argument
        return float(np.sum(W**2))

    assert nl.gradient_check(loss, W, 2 * W) < 1e-9
    with pytest.raises(ValueError, match=r"x: f did not change .* not a copy.* it should be 0"):
        nl.gradient_check(loss, W.copy(), 2 * W)  # both causes named: a copy, or a wrong gradient where f is flat
    # a function that truly does not depend on x, checked against a gradient of 0: no error
    assert nl.gradient_check(loss, np.ones(3), np.zeros(3)) == 0.0
    # a gradient too small to move f above round-off (a vanishing gradient) is not mistaken for a copy
    assert nl.gradient_check(lambda v: 1.0 + 1e-30 * np.sum(v), np.ones(3), np.full(3, 1e-30), eps=1e-3) == 1.0


def test_bad_arguments():
    x = np.ones(3)
    with pytest.raises(TypeError, match="f must be a function"):
        nl.numerical_gradient(42, x)
    with pytest.raises(TypeError, match="x must be a float64 numpy array"):
        nl.numerical_gradient(np.sum, [1.0, 2.0])
    with pytest.raises(TypeError, match="x must be a float64 numpy array"):
        nl.numerical_gradient(np.sum, np.ones(3, dtype=np.float32))
    with pytest.raises(ValueError, match="eps"):
        nl.numerical_gradient(np.sum, x, eps=0.0)
    with pytest.raises(ValueError, match="b must have the same shape"):
        nl.relative_error(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="a must contain only finite"):
        nl.relative_error([np.nan], [1.0])


def test_entries_agree_floors_round_off_and_catches_a_tiny_bug():
    n = np.array([3.0, 2e-7, 0.0])
    assert nl.entries_agree(n + np.array([3e-5 * 0.9, 1e-10, -5e-9]), n)  # within 1e-8 + 1e-5 |n| each
    assert not nl.entries_agree(n + np.array([0.0, 1.1e-8 + 2e-12, 0.0]), n)  # just past the floor on a tiny entry
    assert not nl.entries_agree(n * np.array([1.0 + 2e-5, 1.0, 1.0]), n)  # a large entry 2e-5 off
    assert nl.entries_agree(n, n, rtol=0.0, atol=0.0)
    with pytest.raises(ValueError, match="same shape"):
        nl.entries_agree([1.0, 2.0], [1.0])


def test_gradient_check_entries_passes_the_right_gradient_and_fails_a_tiny_entry_bug():
    x = np.linspace(-1.0, 1.0, 12)
    c = np.array([0.5, 3.0, -2.0, 4.0, 1.0, -3.0, 2.5, -1.5, 3.5, -2.5, 2.0, 4e-7])

    def f(v):
        return float(np.sum(c * v))

    bug = c.copy()
    bug[-1] *= 1.05  # 5 % wrong on an entry of 4e-7: off by 2e-8, past the floor of 1e-8
    whole, agree = nl.gradient_check(f, x, bug, entries=True)
    assert whole < 1e-7 and not agree  # the whole array passes the bug; the rule does not
    assert nl.gradient_check(f, x, c, entries=True)[1]
