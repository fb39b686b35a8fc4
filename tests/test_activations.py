"""Every activation: values, derivatives against a numerical gradient, extreme inputs, edge inputs."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnlite as nl

ALL = ["relu", "leaky_relu", "sigmoid", "tanh", "identity", "gelu", "silu"]
SMOOTH = ["sigmoid", "tanh", "identity", "gelu", "silu"]
ALPHAS = [0.0, 0.01, 0.1, 0.3, 0.5, 0.99]

shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5)
# A moderate range, so slopes are not tiny: tanh'(3.5) = 3.6e-3 still stands well above the rounding
# noise of the centred difference (about ulp(L) / 2 eps = 1e-10 here).
moderate = st.floats(-3.5, 3.5)
away_from_zero = st.one_of(st.floats(-3.5, -1e-3), st.floats(1e-3, 3.5))  # no kink inside x +- eps
EPS = 1e-5  # centred-difference step: truncation error ~ EPS**2, rounding error ~ 1e-16 / EPS


def check_derivative(act, x, seed):
    """L = sum(f(x) * R) has gradient R * f'(x): compare with centred differences."""
    R = np.random.default_rng(seed).normal(size=x.shape)
    analytic = R * act.derivative(x)
    # Where every slope is ~0 (GELU's minimum near x = -0.75, both ends of tanh) the relative error
    # compares rounding noise (~1e-10) with nothing: such draws cannot tell right from wrong.
    norm = np.linalg.norm(analytic)
    assume(norm == 0.0 or norm > 1e-3)
    error = nl.gradient_check(lambda v: np.sum(act.forward(v) * R), x, analytic, eps=EPS)
    assert error < 1e-7, f"{act!r}: relative error {error:.2e}"


@pytest.mark.parametrize("name", SMOOTH)
@given(x=hnp.arrays(np.float64, shapes, elements=moderate), seed=st.integers(0, 2**32 - 1))
def test_smooth_derivative_matches_numerical_gradient(name, x, seed):
    check_derivative(nl.get_activation(name), x, seed)


@given(x=hnp.arrays(np.float64, shapes, elements=away_from_zero), seed=st.integers(0, 2**32 - 1))
def test_relu_derivative_matches_numerical_gradient(x, seed):
    check_derivative(nl.ReLU(), x, seed)


@pytest.mark.parametrize("alpha", ALPHAS)
@given(x=hnp.arrays(np.float64, shapes, elements=away_from_zero), seed=st.integers(0, 2**32 - 1))
def test_leaky_relu_derivative_matches_numerical_gradient(alpha, x, seed):
    check_derivative(nl.LeakyReLU(alpha=alpha), x, seed)


@given(alpha=st.floats(0.0, 1.0, exclude_max=True), x=hnp.arrays(np.float64, shapes, elements=away_from_zero),
       seed=st.integers(0, 2**32 - 1))
def test_leaky_relu_any_alpha(alpha, x, seed):
    act = nl.get_activation("leaky_relu", alpha=alpha)
    assert act.alpha == alpha
    np.testing.assert_array_equal(act.forward(x), np.where(x > 0, x, alpha * x))
    check_derivative(act, x, seed)


def test_known_values():
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    np.testing.assert_array_equal(nl.ReLU().forward(x), [0, 0, 0, 0.5, 2])
    np.testing.assert_array_equal(nl.ReLU().derivative(x), [0, 0, 0, 1, 1])  # left slope at the kink
    np.testing.assert_allclose(nl.LeakyReLU(0.1).forward(x), [-0.2, -0.05, 0, 0.5, 2])
    np.testing.assert_allclose(nl.LeakyReLU(0.1).derivative(x), [0.1, 0.1, 0.1, 1, 1])
    np.testing.assert_array_equal(nl.Identity().forward(x), x)
    np.testing.assert_array_equal(nl.Identity().derivative(x), np.ones(5))
    sig = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(nl.Sigmoid().forward(x), sig, rtol=1e-15)
    np.testing.assert_allclose(nl.Sigmoid().derivative(x), sig * (1 - sig), rtol=1e-14)
    np.testing.assert_allclose(nl.Tanh().forward(x), np.tanh(x), rtol=1e-15)
    np.testing.assert_allclose(nl.Tanh().derivative(x), 1 / np.cosh(x) ** 2, rtol=1e-14)
    np.testing.assert_allclose(nl.SiLU().forward(x), x * sig, rtol=1e-15)
    assert nl.Sigmoid().forward([0.0])[0] == 0.5
    assert nl.Sigmoid().derivative([0.0])[0] == 0.25
    assert nl.Tanh().derivative([0.0])[0] == 1.0
    assert nl.GELU().derivative([0.0])[0] == 0.5
    assert nl.SiLU().derivative([0.0])[0] == 0.5
    # GELU in the tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    assert nl.GELU().forward([1.0])[0] == pytest.approx(0.8411919906082768, rel=1e-14)
    assert nl.SiLU().forward([1.0])[0] == pytest.approx(0.7310585786300049, rel=1e-14)


@given(x=st.floats(-6, 6))
def test_gelu_is_close_to_the_exact_erf_gelu(x):
    exact = 0.5 * x * (1 + math.erf(x / math.sqrt(2)))
    assert abs(nl.GELU().forward([x])[0] - exact) < 1e-3


@given(x=hnp.arrays(np.float64, shapes, elements=st.floats(-30, 30)))
def test_symmetries(x):
    np.testing.assert_allclose(nl.Sigmoid().forward(x) + nl.Sigmoid().forward(-x), 1.0, rtol=1e-14)
    np.testing.assert_allclose(nl.Tanh().forward(-x), -nl.Tanh().forward(x), rtol=1e-14)
    # s (1 - s) loses relative precision for large x (1 - s cancels), so compare absolutely
    np.testing.assert_allclose(nl.Sigmoid().derivative(x), nl.Sigmoid().derivative(-x), rtol=1e-12, atol=1e-15)
    assert (nl.Sigmoid().forward(x) >= 0).all() and (nl.Sigmoid().forward(x) <= 1).all()


@pytest.mark.parametrize("name", ["sigmoid", "silu", "gelu", "tanh"])
def test_huge_inputs_are_finite_and_silent(name):
    act = nl.get_activation(name)
    x = np.array([-1e4, -1e3, -710.0, -50.0, 0.0, 50.0, 710.0, 1e3, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = act.forward(x)
        d = act.derivative(x)
    assert np.isfinite(y).all() and np.isfinite(d).all()
    # the limits: the slope dies away (tanh, sigmoid) or becomes 1 on the right (silu, gelu)
    assert d[0] == pytest.approx(0.0, abs=1e-300)
    assert d[-1] == pytest.approx(0.0 if name in ("sigmoid", "tanh") else 1.0, abs=1e-12)
    limit = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "silu": (0.0, 1e4), "gelu": (0.0, 1e4)}[name]
    assert y[0] == pytest.approx(limit[0], abs=1e-300)
    assert y[-1] == pytest.approx(limit[1], rel=1e-15)


@pytest.mark.parametrize("name", ALL)
def test_edge_inputs(name):
    act = nl.get_activation(name)
    reference = act.forward(np.array([[-1.5, 0.0, 2.0]]))
    for x in ([[-1.5, 0.0, 2.0]], np.array([[-1.5, 0.0, 2.0]], dtype=np.float32), np.array([[-1.5, 0.0, 2.0]])):
        y, d = act.forward(x), act.derivative(x)
        assert y.dtype == np.float64 and d.dtype == np.float64
        assert y.shape == (1, 3) and d.shape == (1, 3)
        np.testing.assert_allclose(y, reference)
    ints = np.array([[-2, 0, 3]])
    assert act.forward(ints).dtype == np.float64
    np.testing.assert_allclose(act.forward(ints), act.forward(ints.astype(float)))
    zeros = np.zeros((4, 2))
    assert np.isfinite(act.forward(zeros)).all() and np.isfinite(act.derivative(zeros)).all()
    assert act.forward(np.zeros((0, 3))).shape == (0, 3)  # an empty batch is allowed
    assert act(np.array([1.0]))[0] == act.forward([1.0])[0]  # __call__ is forward
    assert act.forward(2.0).shape == ()  # a scalar in, a scalar out


def test_registry_and_get_activation():
    assert set(nl.ACTIVATIONS) == set(ALL)
    classes = {"relu": nl.ReLU, "leaky_relu": nl.LeakyReLU, "sigmoid": nl.Sigmoid, "tanh": nl.Tanh,
               "identity": nl.Identity, "gelu": nl.GELU, "silu": nl.SiLU}
    for name, cls in classes.items():
        act = nl.get_activation(name)
        assert type(act) is cls and act.name == name and isinstance(act, nl.Activation)
    custom = nl.LeakyReLU(alpha=0.2)
    assert nl.get_activation(custom) is custom
    assert nl.get_activation("leaky_relu", alpha=0.3).alpha == 0.3
    assert nl.LeakyReLU().alpha == 0.01
    assert repr(custom) == "LeakyReLU(alpha=0.2)" and repr(nl.ReLU()) == "ReLU()"


def test_forward_does_not_change_its_input():
    x = np.array([-1.0, 2.0])
    for name in ALL:
        act = nl.get_activation(name)
        act.forward(x)
        act.derivative(x)
        np.testing.assert_array_equal(x, [-1.0, 2.0])
