"""nnlite: neural networks from scratch, small enough to read in one sitting.

    import nnlite as nl
    X, y = nl.datasets.spiral(n=300, noise=0.2, seed=0)
    model = nl.MLP([2, 32, 32, 3], activation="relu", seed=0)
    history = nl.fit(model, X, y, epochs=50, batch_size=32, lr=0.1)

The core needs only NumPy. Plots live in ``nnlite.viz`` and sliders in
``nnlite.widgets``; import those yourself (they need matplotlib and ipywidgets).
"""

from . import datasets
from .activations import ACTIVATIONS, GELU, Activation, Identity, LeakyReLU, ReLU, Sigmoid, SiLU, Tanh, get_activation
from .features import FEATURES, feature_columns
from .gradcheck import entries_agree, gradient_check, numerical_gradient, relative_error
from .layers import INITS, Dense
from .losses import log_softmax, mse, softmax, softmax_cross_entropy
from .metrics import accuracy, confusion_matrix
from .model import MLP, BackwardTrace, TraceStep
from .optim import SGD
from .training import DivergenceError, History, evaluate, fit, train_step, training_steps

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS", "FEATURES", "INITS", "Activation", "BackwardTrace", "Dense", "DivergenceError", "GELU", "History",
    "Identity", "LeakyReLU", "MLP", "ReLU", "SGD", "SiLU", "Sigmoid", "Tanh", "TraceStep", "accuracy",
    "confusion_matrix", "datasets", "entries_agree", "evaluate", "feature_columns", "fit", "get_activation",
    "gradient_check", "log_softmax", "mse", "numerical_gradient", "relative_error", "softmax", "softmax_cross_entropy",
    "train_step", "training_steps",
]
