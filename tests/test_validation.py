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
