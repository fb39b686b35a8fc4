"""Bad input: every public function says which parameter is wrong, instead of a NumPy traceback.

Each case asserts the exception type AND that the message names the parameter.
"""

import numpy as np
import pytest

import nnlite as nl
from nnlite import datasets


def model():
    return nl.MLP([2, 4, 3], seed=0)


def fitted_model():
    m = model()
    m.forward(np.zeros((5, 2)))
    return m


X = np.random.default_rng(0).normal(size=(10, 2))
Y = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 0])
NAN = np.array([[0.0, np.nan]])
INF = np.array([[np.inf, 0.0]])

CASES = [
    # --- shapes and feature counts
    ("MLP.forward wrong feature count", lambda: model().forward(np.zeros((4, 3))),
     ValueError, r"X must have 2 features \(columns\) for this model, got 3"),
    ("MLP.forward 1-D", lambda: model().forward(np.zeros(2)), ValueError, r"X must be 2-D, got a 1-D array"),
    ("MLP.forward 3-D", lambda: model().forward(np.zeros((2, 2, 2))), ValueError, r"X must be 2-D, got a 3-D array"),
    ("MLP.forward empty", lambda: model().forward(np.zeros((0, 2))), ValueError, r"X must not be empty"),
    ("MLP.forward ragged", lambda: model().forward([[1.0, 2.0], [3.0]]), ValueError, r"X must be a rectangular"),
    ("Dense.forward wrong feature count", lambda: nl.Dense(3, 2).forward(np.zeros((4, 2))),
     ValueError, r"x must have 3 features"),
    ("Dense.forward 3-D", lambda: nl.Dense(3, 2).forward(np.zeros((1, 4, 3))), ValueError, r"x must be 2-D"),
    ("train_step wrong feature count", lambda: nl.train_step((m := model()), nl.SGD(m), np.zeros((3, 5)), [0, 1, 2]),
     ValueError, r"X must have 2 features"),
    ("evaluate wrong feature count", lambda: nl.evaluate(model(), np.zeros((3, 5)), [0, 1, 2]),
     ValueError, r"X must have 2 features"),
    ("fit wrong feature count", lambda: nl.fit(model(), np.zeros((3, 5)), [0, 1, 2]),
     ValueError, r"X must have 2 features"),
    ("fit 3-D", lambda: nl.fit(model(), np.zeros((3, 2, 1)), [0, 1, 2]), ValueError, r"X must be 2-D"),
    ("softmax_cross_entropy 1-D logits", lambda: nl.softmax_cross_entropy([1.0, 2.0], [0]),
     ValueError, r"logits must be 2-D"),
    # --- NaN, inf, strings
    ("MLP.forward NaN", lambda: model().forward(NAN), ValueError, r"X must contain only finite numbers.*NaN"),
    ("MLP.forward inf", lambda: model().forward(INF), ValueError, r"X must contain only finite numbers.*inf"),
    ("Dense.forward NaN", lambda: nl.Dense(2, 2).forward(NAN), ValueError, r"x must contain only finite.*NaN"),
    ("fit NaN", lambda: nl.fit(model(), np.vstack([X[:9], NAN]), Y), ValueError, r"X must contain only finite.*NaN"),
    ("fit inf", lambda: nl.fit(model(), np.vstack([X[:9], INF]), Y), ValueError, r"X must contain only finite.*inf"),
    ("activation NaN", lambda: nl.ReLU().forward([1.0, np.nan]), ValueError, r"x must contain only finite"),
    ("activation derivative -inf", lambda: nl.Tanh().derivative([-np.inf]), ValueError, r"x must contain only finite"),
    ("softmax NaN", lambda: nl.softmax([1.0, np.nan]), ValueError, r"z must contain only finite numbers"),
    ("cross-entropy inf logits", lambda: nl.softmax_cross_entropy(INF, [0]), ValueError, r"logits must contain only"),
    ("mse NaN target", lambda: nl.mse([[1.0]], [[np.nan]]), ValueError, r"target must contain only finite"),
    ("MLP.forward strings", lambda: model().forward([["a", "b"]]), TypeError, r"X must contain real numbers"),
    ("MLP.forward complex", lambda: model().forward(np.ones((1, 2), dtype=complex)), TypeError,
     r"X must contain real numbers"),
    ("activation strings", lambda: nl.Sigmoid().forward(np.array(["1", "2"])), TypeError, r"x must contain real"),
    ("fit string X", lambda: nl.fit(model(), [["a", "b"]], [0]), TypeError, r"X must contain real numbers"),
    ("string labels", lambda: nl.softmax_cross_entropy(np.zeros((2, 3)), ["a", "b"]), TypeError,
     r"y must hold integer class labels"),
    # --- labels
    ("labels out of range", lambda: nl.softmax_cross_entropy(np.zeros((2, 3)), [0, 3]), ValueError,
     r"y must be class indices in 0\.\.2 \(there are 3 classes\), got 3"),
    ("fit labels out of range", lambda: nl.fit(model(), X, Y + 1), ValueError, r"y must be class indices in 0\.\.2"),
    ("negative labels", lambda: nl.softmax_cross_entropy(np.zeros((2, 3)), [0, -1]), ValueError,
     r"y must be class indices >= 0, got -1"),
    ("fit negative labels", lambda: nl.fit(model(), X, Y - 1), ValueError, r"y must be class indices >= 0"),
    ("fractional labels", lambda: nl.softmax_cross_entropy(np.zeros((2, 3)), [0.5, 1.0]), ValueError,
     r"y must hold whole numbers"),
    ("NaN labels", lambda: nl.softmax_cross_entropy(np.zeros((2, 3)), [np.nan, 1.0]), ValueError,
     r"y must hold whole numbers"),
    ("2-D labels", lambda: nl.softmax_cross_entropy(np.zeros((2, 3)), [[0], [1]]), ValueError,
     r"y must be a 1-D array of integer labels"),
    ("label count", lambda: nl.softmax_cross_entropy(np.zeros((2, 3)), [0, 1, 2]), ValueError,
     r"y must have one label per row of logits \(2\), got 3"),
    # --- lengths and shapes of targets
    ("fit X/y length mismatch", lambda: nl.fit(model(), X, Y[:7]), ValueError,
     r"y must have one entry per row of X \(10\), got 7"),
    ("train_step X/y length mismatch", lambda: nl.train_step((m := model()), nl.SGD(m), X, Y[:3]), ValueError,
     r"y must have one entry per row of X"),
    ("evaluate X/y length mismatch", lambda: nl.evaluate(model(), X, Y[:3]), ValueError,
     r"y must have one entry per row of X"),
    ("mse (N,) vs (N, 1)", lambda: nl.mse(np.zeros((4, 1)), np.zeros(4)), ValueError,
     r"target must have the same shape as pred \(4, 1\), got \(4,\)"),
    ("mse (N, 1) vs (N,)", lambda: nl.mse(np.zeros(4), np.zeros((4, 1))), ValueError, r"target must have the same"),
    ("fit mse (N,) targets for 3 outputs", lambda: nl.fit(model(), X, np.zeros(10), loss="mse"), ValueError,
     r"y must have shape \(N, 3\)"),
    ("fit mse wrong columns", lambda: nl.fit(model(), X, np.zeros((10, 2)), loss="mse"), ValueError,
     r"y must have 3 columns"),
    ("fit mse NaN targets", lambda: nl.fit(model(), X, np.full((10, 3), np.nan), loss="mse"), ValueError,
     r"y must contain only finite"),
    # --- numbers: lr, batch_size, epochs, momentum, alpha
    ("SGD lr = 0", lambda: nl.SGD(model(), lr=0.0), ValueError, r"lr must be in \(0\.0, inf\], got 0"),
    ("SGD lr < 0", lambda: nl.SGD(model(), lr=-0.1), ValueError, r"lr must be in \(0\.0"),
    ("fit lr = 0", lambda: nl.fit(model(), X, Y, lr=0), ValueError, r"lr must be in \(0\.0"),
    ("fit lr NaN", lambda: nl.fit(model(), X, Y, lr=float("nan")), TypeError, r"lr must be a finite number"),
    ("fit lr string", lambda: nl.fit(model(), X, Y, lr="0.1"), TypeError, r"lr must be a finite number"),
    ("batch_size 0", lambda: nl.fit(model(), X, Y, batch_size=0), ValueError, r"batch_size must be >= 1, got 0"),
    ("batch_size negative", lambda: nl.fit(model(), X, Y, batch_size=-5), ValueError, r"batch_size must be >= 1"),
    ("batch_size float", lambda: nl.fit(model(), X, Y, batch_size=2.5), TypeError, r"batch_size must be an integer"),
    ("batch_size whole float", lambda: nl.fit(model(), X, Y, batch_size=32.0), TypeError,
     r"batch_size must be an integer"),
    ("batch_size string", lambda: nl.fit(model(), X, Y, batch_size="32"), TypeError, r"batch_size must be an integer"),
    ("batch_size bool", lambda: nl.fit(model(), X, Y, batch_size=True), TypeError, r"batch_size must be an integer"),
    ("batches batch_size 0", lambda: list(datasets.batches(X, Y, 0)), ValueError, r"batch_size must be >= 1"),
    ("negative epochs", lambda: nl.fit(model(), X, Y, epochs=-1), ValueError, r"epochs must be >= 0, got -1"),
    ("epochs float", lambda: nl.fit(model(), X, Y, epochs=1.5), TypeError, r"epochs must be an integer"),
    ("momentum 1", lambda: nl.SGD(model(), momentum=1.0), ValueError, r"momentum must be in \[0\.0, 1\.0\)"),
    ("fit momentum negative", lambda: nl.fit(model(), X, Y, momentum=-0.5), ValueError, r"momentum must be in"),
    ("alpha 1.0", lambda: nl.LeakyReLU(alpha=1.0), ValueError, r"alpha must be in \[0\.0, 1\.0\), got 1\.0"),
    ("alpha -0.1", lambda: nl.LeakyReLU(alpha=-0.1), ValueError, r"alpha must be in \[0\.0, 1\.0\), got -0\.1"),
    ("alpha via get_activation", lambda: nl.get_activation("leaky_relu", alpha=2), ValueError, r"alpha must be in"),
    ("alpha string", lambda: nl.LeakyReLU(alpha="0.1"), TypeError, r"alpha must be a finite number"),
    # --- names: activation, init, loss, on_diverge, data set
    ("unknown activation", lambda: nl.get_activation("relux"), ValueError,
     r"activation must be one of .*'relu'.*'gelu'.*; got 'relux'"),
    ("unknown activation in MLP", lambda: nl.MLP([2, 3], activation="Relu"), ValueError,
     r"activation must be one of .*'relu'"),
    ("activation not a name", lambda: nl.MLP([2, 3], activation=np.tanh), ValueError, r"activation must be one of"),
    ("unknown init", lambda: nl.MLP([2, 3], init="glorot"), ValueError,
     r"init must be one of 'he', 'xavier', 'normal'; got 'glorot'"),
    ("unknown init in Dense", lambda: nl.Dense(2, 3, init="He"), ValueError, r"init must be one of 'he'"),
    ("normal init std 0", lambda: nl.Dense(2, 3, init="normal", std=0.0), ValueError, r"std must be in \(0\.0"),
    ("unknown loss in fit", lambda: nl.fit(model(), X, Y, loss="hinge"), ValueError,
     r"loss must be one of 'cross_entropy', 'mse'; got 'hinge'"),
    ("unknown loss in train_step", lambda: nl.train_step((m := model()), nl.SGD(m), X, Y, loss="ce"), ValueError,
     r"loss must be one of"),
    ("unknown loss in evaluate", lambda: nl.evaluate(model(), X, Y, loss="MSE"), ValueError, r"loss must be one of"),
    ("unknown on_diverge", lambda: nl.fit(model(), X, Y, on_diverge="ignore"), ValueError,
     r"on_diverge must be one of 'raise', 'stop'"),
    ("unknown data set", lambda: datasets.make("swiss_roll"), ValueError, r"name must be one of 'spiral'"),
    # --- sizes
    ("sizes too short", lambda: nl.MLP([3]), ValueError, r"sizes must be a list like \[n_in, hidden\.\.\., n_out\]"),
    ("sizes empty", lambda: nl.MLP([]), ValueError, r"sizes must be a list"),
    ("sizes a number", lambda: nl.MLP(3), ValueError, r"sizes must be a list"),
    ("sizes a string", lambda: nl.MLP("23"), ValueError, r"sizes must be a list"),
    ("sizes zero width", lambda: nl.MLP([2, 0, 3]), ValueError, r"sizes\[1\] must be >= 1, got 0"),
    ("sizes fractional", lambda: nl.MLP([2, 3.5, 3]), TypeError, r"sizes\[1\] must be an integer"),
    ("Dense n_in 0", lambda: nl.Dense(0, 3), ValueError, r"n_in must be >= 1"),
    ("Dense n_out float", lambda: nl.Dense(2, 3.0), TypeError, r"n_out must be an integer"),
    # --- backward
    ("MLP.backward before forward", lambda: model().backward(np.zeros((1, 3))), RuntimeError,
     r"backward was called before forward"),
    ("Dense.backward before forward", lambda: nl.Dense(2, 3).backward(np.zeros((1, 3))), RuntimeError,
     r"backward was called before forward"),
    ("MLP.backward wrong shape", lambda: fitted_model().backward(np.zeros((5, 2))), ValueError,
     r"dlogits must have shape \(5, 3\) \(batch, n_out\) like the last logits, got \(5, 2\)"),
    ("MLP.backward wrong batch", lambda: fitted_model().backward(np.zeros((4, 3))), ValueError,
     r"dlogits must have shape \(5, 3\)"),
    ("MLP.backward 1-D", lambda: fitted_model().backward(np.zeros(3)), ValueError, r"dlogits must be 2-D"),
    ("MLP.backward NaN", lambda: fitted_model().backward(np.full((5, 3), np.nan)), ValueError,
     r"dlogits must contain only finite"),
    ("Dense.backward wrong shape", lambda: (d := nl.Dense(2, 3), d.forward(np.zeros((4, 2))),
                                            d.backward(np.zeros((4, 2)))), ValueError, r"dy must have shape \(4, 3\)"),
    # --- other arguments
    ("softmax axis", lambda: nl.softmax(np.zeros((2, 3)), axis=2), ValueError, r"axis must be in \[-2, 1\]"),
    ("fit not a model", lambda: nl.fit("model", X, Y), TypeError, r"model must be an nnlite MLP, got str"),
    ("SGD not a model", lambda: nl.SGD([1, 2]), TypeError, r"model must be an nnlite MLP"),
    ("evaluate not a model", lambda: nl.evaluate(None, X, Y), TypeError, r"model must be an nnlite MLP"),
    ("validation not a pair", lambda: nl.fit(model(), X, Y, validation=X), TypeError,
     r"validation must be a pair \(X_val, y_val\)"),
    ("validation X wrong", lambda: nl.fit(model(), X, Y, validation=(np.zeros(3), Y)), ValueError,
     r"validation X must be 2-D"),
    ("data set n 0", lambda: datasets.spiral(n=0), ValueError, r"n must be >= 1, got 0"),
    ("data set n float", lambda: datasets.moons(n=10.5), TypeError, r"n must be an integer"),
    ("data set noise negative", lambda: datasets.circles(noise=-0.1), ValueError, r"noise must be in \[0\.0"),
    ("spiral classes 1", lambda: datasets.spiral(classes=1), ValueError, r"classes must be >= 2"),
    ("blobs centers 1", lambda: datasets.blobs(centers=1), ValueError, r"centers must be >= 2"),
    ("circles factor 1", lambda: datasets.circles(factor=1.0), ValueError, r"factor must be in \(0\.0, 1\.0\)"),
    ("split fraction 1", lambda: datasets.train_test_split(X, Y, test_fraction=1.0), ValueError,
     r"test_fraction must be in \(0\.0, 1\.0\)"),
    ("split length mismatch", lambda: datasets.train_test_split(X, Y[:3]), ValueError,
     r"y must have one entry per row of X"),
    ("split one row", lambda: datasets.train_test_split(X[:1], Y[:1]), ValueError, r"X must have at least 2 rows"),
    ("batches length mismatch", lambda: list(datasets.batches(X, Y[:4])), ValueError,
     r"y must have one entry per row of X \(10\), got 4"),
    ("regression set noise negative", lambda: datasets.plane(noise=-0.1), ValueError, r"noise must be in \[0\.0"),
    ("regression set n 0", lambda: datasets.multi_gaussian(n=0), ValueError, r"n must be >= 1, got 0"),
    ("regression set n string", lambda: datasets.make("plane", n="100"), TypeError, r"n must be an integer"),
    ("regression set seed string", lambda: datasets.multi_gaussian(seed="1"), TypeError,
     r"seed must be a whole number >= 0, got str '1'"),
    ("data set seed negative", lambda: datasets.make("spiral", seed=-1), ValueError,
     r"seed must be a whole number >= 0, got int -1"),
    ("data set seed fractional", lambda: datasets.circles(seed=1.5), TypeError, r"seed must be a whole number"),
    # --- your own data: datasets.from_arrays
    ("own data X 1-D", lambda: datasets.from_arrays(np.zeros(4), Y[:4]), ValueError,
     r"X must be 2-D, got a 1-D array of shape \(4,\)"),
    ("own data X 3 columns", lambda: datasets.from_arrays(np.zeros((4, 3)), [0, 1, 0, 1]), ValueError,
     r"X must have 2 columns \(x1, x2\), one row per point; got shape \(4, 3\)"),
    ("own data X one row", lambda: datasets.from_arrays(np.zeros((1, 2)), [0]), ValueError,
     r"X must have at least 2 rows \(points\), one to train on and one to test on; got 1"),
    ("own data X empty", lambda: datasets.from_arrays(np.zeros((0, 2)), []), ValueError, r"X must not be empty"),
    ("own data X NaN", lambda: datasets.from_arrays(np.vstack([X[:3], NAN]), [0, 1, 0, 1]), ValueError,
     r"X must contain only finite numbers, but it contains NaN"),
    ("own data X inf", lambda: datasets.from_arrays(np.vstack([X[:3], INF]), [0, 1, 0, 1]), ValueError,
     r"X must contain only finite numbers, but it contains inf"),
    ("own data X strings", lambda: datasets.from_arrays([["1", "2"], ["3", "4"]], [0, 1]), TypeError,
     r"X must contain real numbers, got list \[\['1', '2'\], \['3', '4'\]\]"),
    ("own data X ragged", lambda: datasets.from_arrays([[1.0, 2.0], [3.0]], [0, 1]), ValueError,
     r"X must be a rectangular array of numbers"),
    ("own data lengths", lambda: datasets.from_arrays(X, Y[:7]), ValueError,
     r"y must have one entry per row of X \(10\), got 7"),
    ("own data regression lengths", lambda: datasets.from_arrays(X, np.zeros(11), task="regression"), ValueError,
     r"y must have one entry per row of X \(10\), got 11"),
    ("own data one class", lambda: datasets.from_arrays(X, np.ones(10, dtype=int)), ValueError,
     r"y must hold at least 2 classes, got only class 1 \(all 10 points\)"),
    ("own data 11 classes", lambda: datasets.from_arrays(np.zeros((11, 2)), np.arange(11)), ValueError,
     r"y must hold at most 10 classes, labels 0 to 9; got the label 10"),
    ("own data class missing", lambda: datasets.from_arrays(X[:4], [0, 2, 3, 0]), ValueError,
     r"y must use every class from 0 to its largest label 3 at least once, but no point has class 1: renumber"),
    ("own data labels -1 and 1", lambda: datasets.from_arrays(X[:4], [-1, 1, 1, -1]), ValueError,
     r"y must be class indices >= 0, got -1"),
    ("own data NaN label", lambda: datasets.from_arrays(X[:3], [0.0, np.nan, 1.0]), ValueError,
     r"y must hold whole numbers \(class indices\), got nan at index 1"),
    ("own data fractional label", lambda: datasets.from_arrays(X[:3], [0.0, 1.0, 0.5]), ValueError,
     r"y must hold whole numbers \(class indices\), got 0\.5 at index 2"),
    ("own data string labels", lambda: datasets.from_arrays(X[:2], ["cat", "dog"]), TypeError,
     r"y must hold integer class labels, got list \['cat', 'dog'\]"),
    ("own data 2-D labels", lambda: datasets.from_arrays(X[:2], [[0], [1]]), ValueError,
     r"y must be a 1-D array of integer labels, got shape \(2, 1\)"),
    ("own data NaN target", lambda: datasets.from_arrays(X[:2], [0.5, np.nan], task="regression"), ValueError,
     r"y must contain only finite numbers, but it contains NaN"),
    ("own data string targets", lambda: datasets.from_arrays(X[:2], ["0.5", "1"], task="regression"), TypeError,
     r"y must contain real numbers"),
    ("own data 2-D targets", lambda: datasets.from_arrays(X[:2], [[0.5], [1.0]], task="regression"), ValueError,
     r"y must be 1-D, got a 2-D array of shape \(2, 1\)"),
    ("own data unknown task", lambda: datasets.from_arrays(X, Y, task="clustering"), ValueError,
     r"task must be one of 'classification', 'regression'; got 'clustering'"),
    # --- input features
    ("features unknown name", lambda: nl.feature_columns(X, ["x1", "x3"]), ValueError,
     r"names must be features among 'x1', 'x2', 'x1_squared', .*'sin_x2'; got 'x3'"),
    ("features none", lambda: nl.feature_columns(X, []), ValueError, r"names must choose at least one feature of 'x1'"),
    ("features one string", lambda: nl.feature_columns(X, "x1"), TypeError,
     r"names must be a list of feature names such as \['x1', 'x2'\], got str 'x1'"),
    ("features a set", lambda: nl.feature_columns(X, {"x1"}), TypeError, r"names must be a list of feature names"),
    ("features twice", lambda: nl.feature_columns(X, ["x1", "x2", "x1"]), ValueError,
     r"names must choose each feature at most once, got 'x1' 2 times"),
    ("features X 3 columns", lambda: nl.feature_columns(np.zeros((4, 3)), ["x1"]), ValueError,
     r"X must have 2 columns \(x1, x2\), one row per point; got shape \(4, 3\)"),
    ("features X NaN", lambda: nl.feature_columns(NAN, ["x1"]), ValueError, r"X must contain only finite numbers"),
    # --- metrics
    ("confusion lengths", lambda: nl.confusion_matrix([0, 1, 2], [0, 1]), ValueError,
     r"y_pred must have one label per entry of y_true \(3\), got 2"),
    ("confusion label too big", lambda: nl.confusion_matrix([0, 1, 2], [0, 1, 3], n_classes=3), ValueError,
     r"y_pred must be class indices in 0\.\.2 \(there are 3 classes\), got 3"),
    ("confusion negative", lambda: nl.confusion_matrix([0, -1], [0, 1]), ValueError,
     r"y_true must be class indices >= 0, got -1"),
    ("confusion empty", lambda: nl.confusion_matrix([], []), ValueError, r"y_true must hold at least one label"),
    ("confusion n_classes 0", lambda: nl.confusion_matrix([0], [0], n_classes=0), ValueError,
     r"n_classes must be >= 1, got 0"),
    ("confusion n_classes float", lambda: nl.confusion_matrix([0], [0], n_classes=2.0), TypeError,
     r"n_classes must be an integer"),
    ("confusion scores not labels", lambda: nl.confusion_matrix([0, 1], np.zeros((2, 3))), ValueError,
     r"y_pred must be a 1-D array of integer labels, got shape \(2, 3\)"),
    ("accuracy fractional", lambda: nl.accuracy([0, 1], [0.5, 1.0]), ValueError, r"y_pred must hold whole numbers"),
    ("accuracy lengths", lambda: nl.accuracy([0, 1], [0]), ValueError, r"y_pred must have one label per entry"),
    # --- regularisation
    ("SGD l1 negative", lambda: nl.SGD(model(), l1=-0.01), ValueError, r"l1 must be in \[0\.0, inf\], got -0\.01"),
    ("fit l1 string", lambda: nl.fit(model(), X, Y, l1="0.01"), TypeError, r"l1 must be a finite number, got str"),
]


@pytest.mark.parametrize("call, error, pattern", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_bad_input_is_named(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_errors_are_the_documented_kinds():
    """ValueError for a wrong value, TypeError for a wrong kind: both stay catchable as Exception."""
    assert {case[2] for case in CASES} == {ValueError, TypeError, RuntimeError}
    assert not issubclass(nl.DivergenceError, ValueError) and issubclass(nl.DivergenceError, ArithmeticError)


def test_a_failed_call_leaves_the_model_alone():
    m = model()
    W = m.layers[0].W.copy()
    with pytest.raises(ValueError):
        nl.fit(m, X, Y + 5)
    with pytest.raises(ValueError):
        nl.train_step(m, nl.SGD(m), X, Y[:3])
    np.testing.assert_array_equal(m.layers[0].W, W)
