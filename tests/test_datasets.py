"""The toy data sets, make(), the train/validation/test splits and the mini-batch iterator."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnlite as nl
from nnlite import datasets

MAKERS = {"spiral": datasets.spiral, "moons": datasets.moons, "circles": datasets.circles,
          "xor": datasets.xor, "blobs": datasets.blobs}
N_CLASSES = {"spiral": 3, "moons": 2, "circles": 2, "xor": 2, "blobs": 3}


@pytest.mark.parametrize("name", MAKERS)
@pytest.mark.parametrize("n", [1, 2, 7, 100, 101, 301])
def test_shapes_dtypes_and_labels(name, n):
    X, y = MAKERS[name](n=n, seed=0)
    assert X.shape == (n, 2) and y.shape == (n,)
    assert X.dtype == np.float64 and y.dtype == np.int64
    assert np.isfinite(X).all()
    assert set(np.unique(y)) <= set(range(N_CLASSES[name]))
    if n >= 100:  # every class is there, in (almost) equal parts
        counts = np.bincount(y, minlength=N_CLASSES[name])
        assert counts.min() > 0
        if name != "xor":  # xor labels come from the positions
            assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", MAKERS)
def test_seeded(name):
    X1, y1 = MAKERS[name](n=50, seed=3)
    X2, y2 = MAKERS[name](n=50, seed=3)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = MAKERS[name](n=50, seed=4)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", MAKERS)
def test_noise_zero_is_noise_free_and_deterministic(name):
    X1, y1 = MAKERS[name](n=40, noise=0.0, seed=1)
    X2, y2 = MAKERS[name](n=40, noise=0.0, seed=2)
    if name == "xor":  # xor draws its points at random; the others lie on fixed curves
        assert not np.array_equal(X1, X2)
    else:
        np.testing.assert_array_equal(X1, X2)
        np.testing.assert_array_equal(y1, y2)


def test_geometry():
    X, y = datasets.circles(n=200, noise=0.0, factor=0.5)
    radius = np.linalg.norm(X, axis=1)
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.5)
    X, y = datasets.xor(n=300, noise=0.0, seed=0)
    np.testing.assert_array_equal(y, (X[:, 0] > 0) != (X[:, 1] > 0))
    X, y = datasets.spiral(n=90, noise=0.0)
    assert np.linalg.norm(X, axis=1).max() == pytest.approx(1.0)


def test_extra_parameters():
    X, y = datasets.spiral(n=100, classes=5, seed=0)
    assert set(y) == set(range(5))
    X, y = datasets.blobs(n=100, centers=4, seed=0)
    assert set(y) == set(range(4))
    X, y = datasets.blobs(n=400, centers=4, noise=0.01, seed=0)
    for k in range(4):  # points sit around their centre on the unit circle
        centre = X[y == k].mean(axis=0)
        assert np.linalg.norm(centre) == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize("name", MAKERS)
def test_make(name):
    X, y = datasets.make(name, n=60, noise=0.05, seed=2)
    X2, y2 = MAKERS[name](n=60, noise=0.05, seed=2)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert set(datasets.DATASETS) == set(MAKERS)


def test_train_test_split():
    X = np.arange(40.0).reshape(20, 2)
    y = np.arange(20)
    X_train, y_train, X_test, y_test = datasets.train_test_split(X, y, test_fraction=0.25, seed=0)
    assert len(X_test) == len(y_test) == 5 and len(X_train) == len(y_train) == 15
    np.testing.assert_array_equal(X_train[:, 0], 2 * y_train)  # rows and labels stay paired
    np.testing.assert_array_equal(X_test[:, 0], 2 * y_test)
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == list(range(20))  # a partition
    again = datasets.train_test_split(X, y, test_fraction=0.25, seed=0)
    np.testing.assert_array_equal(again[3], y_test)
    other = datasets.train_test_split(X, y, test_fraction=0.25, seed=1)
    assert not np.array_equal(other[3], y_test)
    assert len(datasets.train_test_split(X, y, test_fraction=0.01)[3]) == 1  # at least one test row
    X_train, y_train, X_test, y_test = datasets.train_test_split(X.tolist(), y.tolist())
    assert X_train.shape == (15, 2)


def test_train_test_split_keeps_its_rows():
    """The playground and notebook 06 depend on which rows are held out: one permutation drawn from the
    seed, the test rows first (round(fraction * N) of them), the training rows after them, in that order."""
    X = np.arange(60.0).reshape(30, 2)
    y = np.arange(30)
    for fraction, seed in [(0.25, 0), (0.3, 7), (0.5, 3)]:
        order = np.random.default_rng(seed).permutation(30)
        n_test = round(fraction * 30)
        X_train, y_train, X_test, y_test = datasets.train_test_split(X, y, test_fraction=fraction, seed=seed)
        np.testing.assert_array_equal(y_test, order[:n_test])
        np.testing.assert_array_equal(y_train, order[n_test:])


def test_train_val_test_split():
    X = np.arange(200.0).reshape(100, 2)
    y = np.arange(100)
    X_train, y_train, X_val, y_val, X_test, y_test = datasets.train_val_test_split(X, y, val_fraction=0.15,
                                                                                   test_fraction=0.2, seed=4)
    assert (len(y_train), len(y_val), len(y_test)) == (65, 15, 20)
    for part_X, part_y in [(X_train, y_train), (X_val, y_val), (X_test, y_test)]:
        np.testing.assert_array_equal(part_X[:, 0], 2 * part_y)  # rows and labels stay paired
    assert sorted(np.concatenate([y_train, y_val, y_test]).tolist()) == list(range(100))  # a partition
    # adding a validation set leaves the test set as train_test_split cuts it, and takes the rest from its training rows
    _, y_train2, _, y_test2 = datasets.train_test_split(X, y, test_fraction=0.2, seed=4)
    np.testing.assert_array_equal(y_test, y_test2)
    np.testing.assert_array_equal(np.concatenate([y_val, y_train]), y_train2)
    again = datasets.train_val_test_split(X, y, val_fraction=0.15, test_fraction=0.2, seed=4)
    np.testing.assert_array_equal(again[3], y_val)
    assert not np.array_equal(datasets.train_val_test_split(X, y, seed=5)[5], datasets.train_val_test_split(X, y)[5])
    tiny = datasets.train_val_test_split(X[:3].tolist(), y[:3].tolist(), val_fraction=0.01, test_fraction=0.01)
    assert [len(part) for part in tiny] == [1, 1, 1, 1, 1, 1]  # at least one row in each held-out part


@pytest.mark.parametrize("call, error, pattern", [
    (lambda X, y: datasets.train_val_test_split(X, y, val_fraction=0.0), ValueError, r"val_fraction must be in \(0\.0"),
    (lambda X, y: datasets.train_val_test_split(X, y, val_fraction=1.0), ValueError, r"val_fraction must be in"),
    (lambda X, y: datasets.train_val_test_split(X, y, test_fraction=-0.2), ValueError, r"test_fraction must be in"),
    (lambda X, y: datasets.train_val_test_split(X, y, val_fraction="0.2"), TypeError, r"val_fraction must be a finite"),
    (lambda X, y: datasets.train_val_test_split(X, y, val_fraction=float("nan")), TypeError, r"val_fraction must be"),
    (lambda X, y: datasets.train_val_test_split(X, y, val_fraction=0.5, test_fraction=0.5), ValueError,
     r"val_fraction \+ test_fraction must be below 1, so that rows are left to train on; got 0\.5 \+ 0\.5 = 1"),
    (lambda X, y: datasets.train_val_test_split(X[:4], y[:4], val_fraction=0.45, test_fraction=0.45), ValueError,
     r"val_fraction=0\.45 and test_fraction=0\.45 take all 4 rows of X and leave none to train on"),
    (lambda X, y: datasets.train_val_test_split(X[:2], y[:2]), ValueError,
     r"X must have at least 3 rows to split into training, validation and test sets, got 2"),
    (lambda X, y: datasets.train_val_test_split(X, y[:5]), ValueError, r"y must have one entry per row of X \(10\)"),
    (lambda X, y: datasets.train_val_test_split(3.0, y), ValueError, r"X must be an array with one row per example"),
    (lambda X, y: datasets.train_test_split(X[:2], y[:2], test_fraction=0.9), ValueError,
     r"test_fraction=0\.9 takes all 2 rows of X for the test set and leaves none to train on"),
])
def test_bad_splits_are_named(call, error, pattern):
    X, y = np.zeros((10, 2)), np.zeros(10)
    with pytest.raises(error, match=pattern):
        call(X, y)


@given(n=st.integers(1, 60), batch_size=st.integers(1, 70), shuffle=st.booleans(), seed=st.integers(0, 1000))
def test_batches_cover_every_row_once(n, batch_size, shuffle, seed):
    X = np.arange(2.0 * n).reshape(n, 2)
    y = np.arange(n)
    chunks = list(datasets.batches(X, y, batch_size, shuffle=shuffle, seed=seed))
    assert len(chunks) == -(-n // batch_size)
    sizes = [len(yb) for _, yb in chunks]
    assert all(s == batch_size for s in sizes[:-1]) and 1 <= sizes[-1] <= batch_size
    assert sizes[-1] == (n % batch_size or batch_size)  # the last batch holds the leftovers
    seen = np.concatenate([yb for _, yb in chunks])
    assert sorted(seen.tolist()) == list(range(n))
    for Xb, yb in chunks:
        np.testing.assert_array_equal(Xb[:, 0], 2 * yb)  # rows stay with their labels
        assert Xb.dtype == np.float64
    if not shuffle:
        assert seen.tolist() == list(range(n))


def test_batches_shuffle_is_seeded():
    X = np.arange(200.0).reshape(100, 2)
    y = np.arange(100)

    def order(seed):
        return np.concatenate([yb for _, yb in datasets.batches(X, y, 32, seed=seed)])

    np.testing.assert_array_equal(order(5), order(5))
    assert not np.array_equal(order(5), order(6))
    assert not np.array_equal(order(5), y)  # it does shuffle
    rng = np.random.default_rng(0)  # one Generator: a new order every epoch
    assert not np.array_equal(order(rng), order(rng))


def test_datasets_are_reachable_from_the_package():
    assert nl.datasets is datasets
    X, y = nl.datasets.spiral(n=30, seed=0)
    assert X.shape == (30, 2)


# ---------------------------------------------------------------- regression sets

REGRESSION = {"plane": datasets.plane, "multi_gaussian": datasets.multi_gaussian}


def tf_plane(x, y):
    """TensorFlow Playground's regressPlane label (src/dataset.ts), in its own units ([-6, 6]^2)."""
    return (x + y) / 10  # d3.scale.linear().domain([-10, 10]).range([-1, 1])


def tf_gaussian(x, y):
    """TensorFlow Playground's regressGaussian label, in its own units, line by line."""
    label = 0
    for cx, cy, sign in [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]:
        new_label = sign * min(1.0, max(0.0, 1 - math.hypot(x - cx, y - cy) / 2))  # domain [0, 2] -> [1, 0], clamped
        if abs(new_label) > abs(label):
            label = new_label
    return label


@pytest.mark.parametrize("name, tf_label", [("plane", tf_plane), ("multi_gaussian", tf_gaussian)])
def test_regression_sets_are_tensorflow_playgrounds_at_a_sixth_of_the_size(name, tf_label):
    X, y = REGRESSION[name](n=500, noise=0.0, seed=3)
    assert X.shape == (500, 2) and y.shape == (500,) and X.dtype == y.dtype == np.float64
    assert -1 <= X.min() and X.max() <= 1 and (np.abs(X) > 0.9).any(axis=0).all()  # points fill [-1, 1]^2
    np.testing.assert_allclose(y, [tf_label(6 * x1, 6 * x2) for x1, x2 in X], rtol=0, atol=1e-12)


def test_regression_ranges_and_bump_area():
    X, y = datasets.plane(n=2000, noise=0.0, seed=0)
    assert 1.1 < np.abs(y).max() <= 1.2
    X, y = datasets.multi_gaussian(n=20000, noise=0.0, seed=0)
    assert np.abs(y).max() <= 1 and np.abs(y).max() > 0.95
    # six cones of radius 1/3 cover 6 * pi / 9 of the square's area 4: a share of pi / 6 = 0.524
    assert abs(np.mean(y != 0) - np.pi / 6) < 0.02
    assert abs(np.mean(y > 0) - np.mean(y < 0)) < 0.02  # three up, three down


@pytest.mark.parametrize("name", REGRESSION)
def test_regression_noise_moves_the_targets_not_the_points(name):
    X0, y0 = REGRESSION[name](n=4000, noise=0.0, seed=7)
    X1, y1 = REGRESSION[name](n=4000, noise=0.3, seed=7)
    np.testing.assert_array_equal(X0, X1)
    assert not np.array_equal(y0, y1)
    lipschitz = 0.6 * np.sqrt(2) if name == "plane" else 3.0  # the steepest slope of the target
    assert np.abs(y1 - y0).max() <= lipschitz * np.sqrt(2) * 0.3 + 1e-12  # taken at most 0.3 away along each axis
    if name == "plane":  # y1 - y0 = 0.6 (e1 + e2), e uniform in [-0.3, 0.3]: standard deviation 0.6 * 0.3 * sqrt(2/3)
        assert np.std(y1 - y0) == pytest.approx(0.6 * 0.3 * np.sqrt(2 / 3), rel=0.05)


@pytest.mark.parametrize("name", [*MAKERS, *REGRESSION])
def test_a_new_data_set_is_a_new_seed(name):
    """The playground's "new data" button is make() with another seed: the same kind of data, other points."""
    X, y = datasets.make(name, n=80, noise=0.1, seed=4)
    again = datasets.make(name, n=80, noise=0.1, seed=4)
    other = datasets.make(name, n=80, noise=0.1, seed=5)
    np.testing.assert_array_equal(X, again[0])
    np.testing.assert_array_equal(y, again[1])
    assert not np.array_equal(X, other[0]) and other[0].shape == X.shape and other[1].dtype == y.dtype
    maker = MAKERS.get(name) or REGRESSION[name]
    np.testing.assert_array_equal(maker(n=80, noise=0.1, seed=4)[1], y)
    assert (name in datasets.REGRESSION_DATASETS) == (y.dtype == np.float64)


def test_regression_lists_are_separate():
    assert set(datasets.REGRESSION_DATASETS) == set(REGRESSION) and not set(datasets.DATASETS) & set(REGRESSION)
    with pytest.raises(ValueError, match=r"name must be one of 'spiral', .*'blobs', 'plane', 'multi_gaussian'; got"):
        datasets.make("Plane")


@pytest.mark.parametrize("n", [1, 2, 7])
def test_regression_small_n(n):
    for maker in REGRESSION.values():
        X, y = maker(n=n, seed=0)
        assert X.shape == (n, 2) and y.shape == (n,)


def test_regression_end_to_end_with_fit_and_evaluate():
    noise = 0.1  # plane: the noise a linear model cannot fit has variance 0.36 * 2 * noise^2 / 3 = 0.0024
    for seed in range(3):
        X, y = datasets.plane(n=300, noise=noise, seed=seed)
        model = nl.MLP([2, 1], seed=seed)  # a plane is a linear function: no hidden layer needed
        history = nl.fit(model, X, y, epochs=50, lr=0.1, loss="mse", seed=seed)
        loss, accuracy = nl.evaluate(model, X, y, loss="mse")
        assert accuracy is None and history.epoch_accuracy == []
        assert loss == nl.mse(model.forward(X), y[:, None])[0]
        assert loss < 0.005  # measured 0.0022 to 0.0027
        X, y = datasets.multi_gaussian(n=300, noise=noise, seed=seed)
        losses = {}
        for sizes in ([2, 1], [2, 16, 16, 1]):
            model = nl.MLP(sizes, activation="tanh", seed=seed)
            nl.fit(model, X, y, epochs=300 if len(sizes) > 2 else 100, lr=0.1, loss="mse", seed=seed)
            losses[len(sizes)] = nl.evaluate(model, X, y, loss="mse")[0] / np.var(y)
        assert losses[2] > 0.9 and losses[4] < 0.75  # measured: 0.98 to 0.99 without a hidden layer, 0.36 to 0.60 with


# ---------------------------------------------------------------- your own data

def test_from_arrays_returns_checked_copies_and_changes_nothing():
    X = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    for y, task, dtype in [(np.array([0, 1, 0]), "classification", np.int64),
                           (np.array([1.0, 0.0, 1.0]), "classification", np.int64),  # whole floats are labels
                           (np.array([0.5, -2.0, 7.25]), "regression", np.float64),
                           (np.array([1, 2, 3]), "regression", np.float64)]:
        Xc, yc = X.copy(), y.copy()
        X.setflags(write=False)
        y.setflags(write=False)  # a write to the inputs would raise
        X_out, y_out = datasets.from_arrays(X, y, task=task)
        X.setflags(write=True)
        np.testing.assert_array_equal(X, Xc)
        np.testing.assert_array_equal(y, yc)
        assert X_out.dtype == np.float64 and y_out.dtype == dtype
        np.testing.assert_array_equal(X_out, X)
        np.testing.assert_array_equal(y_out, y)  # nothing lost: the same values
        assert not np.shares_memory(X_out, X) and not np.shares_memory(y_out, y)
        X_out[:] = 9.0
        assert (X == Xc).all()
    X_out, y_out = datasets.from_arrays([[1, 2], [3, 4]], [1, 0])  # lists and ints
    assert X_out.dtype == np.float64 and y_out.tolist() == [1, 0]


def test_from_arrays_takes_two_to_ten_classes_each_used():
    X = np.zeros((20, 2))
    for k in (2, 3, 10):
        y = np.arange(20) % k
        assert datasets.from_arrays(X, y)[1].max() == k - 1
    assert datasets.MAX_CLASSES == 10


def test_from_arrays_data_trains():
    X, y = datasets.blobs(n=90, seed=0)
    X, y = datasets.from_arrays(X.tolist(), y.tolist())
    model = nl.MLP([2, 8, 3], seed=0)
    nl.fit(model, X, y, epochs=20, lr=0.2)
    assert nl.evaluate(model, X, y)[1] > 0.9
