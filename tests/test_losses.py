"""softmax, log-softmax, softmax cross-entropy and mean squared error: values, gradients, extreme inputs."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnlite as nl

seeds = st.integers(0, 2**32 - 1)


# ---------------------------------------------------------------- softmax

def test_softmax_seed_numbers():
    p = nl.softmax([5, 8])
    assert p[0] == pytest.approx(0.0474, abs=5e-5) and p[1] == pytest.approx(0.9526, abs=5e-5)
    assert round(float(p[0]), 4) == 0.0474 and round(float(p[1]), 4) == 0.9526
    assert p.sum() == pytest.approx(1.0, abs=1e-15)


def test_softmax_of_huge_scores_is_exact_and_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        big = nl.softmax([1000, 1003])
        small = nl.softmax([0, 3])
        huge = nl.softmax([[1e4, 0.0, -1e4]])
    assert np.allclose(big, small, rtol=1e-12, atol=0)
    assert np.isfinite(big).all()
    np.testing.assert_array_equal(huge, [[1.0, 0.0, 0.0]])


@given(z=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=6),
                    elements=st.floats(-50, 50)),
       c=st.floats(-1000, 1000))
def test_softmax_is_invariant_to_a_constant(z, c):
    p = nl.softmax(z)
    np.testing.assert_allclose(nl.softmax(z + c), p, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-14)
    assert (p >= 0).all() and (p <= 1).all()


def test_softmax_axis():
    z = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    np.testing.assert_allclose(nl.softmax(z, axis=0).sum(axis=0), 1.0)
    np.testing.assert_allclose(nl.softmax(z, axis=0)[:, 1], nl.softmax(z[:, 1]))
    np.testing.assert_allclose(nl.softmax(z, axis=1), nl.softmax(z))
    np.testing.assert_allclose(nl.softmax(z)[1], [1 / 3] * 3)


# ---------------------------------------------------------------- log-softmax

def test_log_softmax_seed_numbers():
    # log softmax(z)_i = z_i - log(e^5 + e^8), and log(e^5 + e^8) = 8 + log(1 + e^-3): computed with math, not numpy.
    # (1 + e^-3 is rounded before its log is taken, so nnlite's -0.0486 may be off by a few parts in 1e15.)
    tail = math.log1p(math.exp(-3))
    logp = nl.log_softmax([5, 8])
    np.testing.assert_allclose(logp, [-3 - tail, -tail], rtol=1e-14, atol=0)
    np.testing.assert_allclose(logp, np.log(nl.softmax([5, 8])), rtol=1e-14, atol=0)
    assert logp[1] - logp[0] == pytest.approx(3.0, abs=1e-15)  # only the gap of the scores matters


def test_log_softmax_where_log_of_softmax_fails():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wide = nl.log_softmax([0, 800])
        huge = nl.log_softmax([[1e4, 0.0, -1e4]])
    assert wide.tolist() == [-800.0, 0.0]  # exact: e^-800 rounds to 0 inside a sum that is 1 anyway
    assert huge.tolist() == [[0.0, -1e4, -2e4]]
    with np.errstate(divide="ignore"):
        assert np.log(nl.softmax([0, 800])).tolist() == [-np.inf, 0.0]  # e^-800 is 0 in float64: log 0 = -inf
    assert nl.softmax_cross_entropy([[0, 800]], [0])[0] == 800.0


@given(z=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=6),
                    elements=st.floats(-50, 50)),
       c=st.floats(-1000, 1000))
def test_log_softmax_is_the_log_of_softmax(z, c):
    logp = nl.log_softmax(z)
    np.testing.assert_allclose(np.exp(logp), nl.softmax(z), rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(nl.log_softmax(z + c), logp, rtol=1e-9, atol=1e-9)
    assert (logp <= 0).all()
    np.testing.assert_allclose(logp.max(axis=-1), -np.log(np.exp(z - z.max(axis=-1, keepdims=True)).sum(axis=-1)),
                               rtol=1e-14, atol=1e-300)  # the largest score gets -log of the shifted sum


@pytest.mark.parametrize("axis", [0, 1, -1])
@given(seed=seeds)
def test_log_softmax_gradient_matches_numerical_gradient(axis, seed):
    # d log softmax(z)_i / dz_k = [i = k] - p_k, so the gradient of sum(v * log softmax(z)) is v - p sum(v).
    rng = np.random.default_rng(seed)
    z, v = rng.normal(0, 3, size=(3, 4)), rng.normal(size=(3, 4))
    p = nl.softmax(z, axis=axis)
    analytic = v - p * v.sum(axis=axis, keepdims=True)
    error = nl.gradient_check(lambda z: np.sum(v * nl.log_softmax(z, axis=axis)), z.copy(), analytic)
    assert error < 1e-7


def test_log_softmax_axis():
    z = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    np.testing.assert_allclose(nl.log_softmax(z, axis=0), nl.log_softmax(z.T).T, rtol=1e-15)
    np.testing.assert_allclose(nl.log_softmax(z)[1], [-np.log(3)] * 3, rtol=1e-15)


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda: nl.log_softmax([1.0, np.nan]), ValueError, r"z must contain only finite numbers, but it contains NaN"),
    (lambda: nl.log_softmax([0.0, np.inf]), ValueError, r"z must contain only finite numbers, but it contains inf"),
    (lambda: nl.log_softmax([]), ValueError, r"z must not be empty"),
    (lambda: nl.log_softmax(["a", "b"]), TypeError, r"z must contain real numbers"),
    (lambda: nl.log_softmax(np.zeros((2, 3)), axis=2), ValueError, r"axis must be in \[-2, 1\] .* got 2"),
    (lambda: nl.log_softmax(np.zeros((2, 3)), axis=1.0), TypeError, r"axis must be an integer, got float 1.0"),
    (lambda: nl.softmax(np.zeros((2, 3)), axis=True), TypeError, r"axis must be an integer, got bool True"),
])
def test_log_softmax_and_softmax_bad_input_is_named(call, error, words):
    with pytest.raises(error, match=words):
        call()


# ---------------------------------------------------------------- softmax cross-entropy

@st.composite
def classification_batch(draw):
    n = draw(st.integers(1, 6))
    c = draw(st.integers(2, 5))
    rng = np.random.default_rng(draw(seeds))
    return rng.normal(0, 3, size=(n, c)), rng.integers(0, c, size=n)


@given(batch=classification_batch())
def test_cross_entropy_gradient_matches_numerical_gradient(batch):
    logits, y = batch
    loss, dlogits = nl.softmax_cross_entropy(logits, y)
    # eps=1e-4: a confident row has a gradient near 1e-5 while the loss is rounded near 1e-16;
    # a smaller step would measure the rounding, not the slope.
    error = nl.gradient_check(lambda z: nl.softmax_cross_entropy(z, y)[0], logits.copy(), dlogits, eps=1e-4)
    assert error < 1e-7


@given(batch=classification_batch())
def test_cross_entropy_value(batch):
    logits, y = batch
    loss, dlogits = nl.softmax_cross_entropy(logits, y)
    p = nl.softmax(logits)
    rows = np.arange(len(y))
    assert loss == pytest.approx(-np.mean(np.log(p[rows, y])), rel=1e-12)
    assert loss == -np.mean(nl.log_softmax(logits)[rows, y])  # the loss is computed as log-softmax, to the bit
    onehot = np.eye(logits.shape[1])[y]
    np.testing.assert_allclose(dlogits, (p - onehot) / len(y), rtol=1e-12, atol=1e-17)
    np.testing.assert_allclose(dlogits.sum(axis=1), 0.0, atol=1e-15)  # prediction minus truth sums to 0
    assert isinstance(loss, float) and loss >= 0


def test_cross_entropy_of_uniform_scores_is_log_c():
    loss, dlogits = nl.softmax_cross_entropy(np.zeros((4, 3)), [0, 1, 2, 0])
    assert loss == pytest.approx(np.log(3), rel=1e-15)
    np.testing.assert_allclose(dlogits[0], [(1 / 3 - 1) / 4, 1 / 12, 1 / 12])


def test_cross_entropy_with_logits_of_size_1e4():
    logits = np.array([[1e4, 0.0, -1e4], [0.0, 1e4, 0.0], [-1e4, -1e4, -1e4]])
    y = np.array([0, 0, 2])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, dlogits = nl.softmax_cross_entropy(logits, y)
    # row losses: 0 (sure and right), 1e4 (sure and wrong), log 3 (all equal)
    assert np.isfinite(loss) and loss == pytest.approx((0 + 1e4 + np.log(3)) / 3, rel=1e-14)
    assert np.isfinite(dlogits).all()
    np.testing.assert_allclose(dlogits[0], [0, 0, 0], atol=1e-300)
    np.testing.assert_allclose(dlogits[1], [-1 / 3, 1 / 3, 0], atol=1e-15)
    np.testing.assert_allclose(dlogits[2], [1 / 9, 1 / 9, 1 / 9 - 1 / 3], atol=1e-15)


def test_cross_entropy_edge_inputs():
    reference = nl.softmax_cross_entropy(np.array([[1.0, 2.0, 0.5]]), np.array([1]))
    for logits, y in (([[1, 2, 0.5]], [1]),  # Python lists
                      (np.array([[1, 2, 0.5]], dtype=np.float32), np.array([1], dtype=np.int32)),
                      (np.array([[1.0, 2.0, 0.5]]), np.array([1.0])),  # whole-number floats are labels
                      (np.array([[1.0, 2.0, 0.5]]), np.array([1], dtype=np.uint8))):
        loss, d = nl.softmax_cross_entropy(logits, y)
        assert d.dtype == np.float64 and d.shape == (1, 3)
        assert loss == pytest.approx(reference[0], rel=1e-7)
    loss, d = nl.softmax_cross_entropy(np.array([[2, 1]]), np.array([0]))  # int logits
    assert d.dtype == np.float64 and loss == pytest.approx(np.log(1 + np.exp(-1)), rel=1e-14)
    loss, d = nl.softmax_cross_entropy(np.zeros((1, 2)), [1])  # batch of one, all zero
    assert loss == pytest.approx(np.log(2)) and d.tolist() == [[0.5, -0.5]]


def test_cross_entropy_does_not_change_its_input():
    logits = np.array([[1.0, 2.0], [3.0, -1.0]])
    nl.softmax_cross_entropy(logits, [0, 1])
    np.testing.assert_array_equal(logits, [[1.0, 2.0], [3.0, -1.0]])


# ---------------------------------------------------------------- mean squared error

@given(shape=hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=6), seed=seeds)
def test_mse_gradient_matches_numerical_gradient(shape, seed):
    rng = np.random.default_rng(seed)
    pred, target = rng.normal(size=shape), rng.normal(size=shape)
    loss, dpred = nl.mse(pred, target)
    assert loss == pytest.approx(np.mean((pred - target) ** 2), rel=1e-14)
    np.testing.assert_allclose(dpred, 2 * (pred - target) / pred.size, rtol=1e-14)
    assert nl.gradient_check(lambda p: nl.mse(p, target)[0], pred.copy(), dpred) < 1e-7


def test_mse_values_and_edges():
    loss, d = nl.mse([[1.0], [3.0]], [[0.0], [1.0]])
    assert loss == 2.5 and d.tolist() == [[1.0], [2.0]]
    loss, d = nl.mse(np.zeros((1, 1), dtype=np.float32), np.zeros((1, 1), dtype=int))
    assert loss == 0.0 and d.dtype == np.float64 and d.tolist() == [[0.0]]
    loss, d = nl.mse([1, 2, 3], [1, 2, 3])  # (N,) against (N,) is fine
    assert loss == 0.0 and d.shape == (3,)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, d = nl.mse([[1e4]], [[-1e4]])
    assert loss == 4e8 and d.tolist() == [[4e4]]
