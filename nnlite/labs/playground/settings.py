"""What defines one playground run (`Settings`), and that run as one line of nnlite code (`code_line`).

Settings are checked when they are made, with errors that name the setting; the playground does
not check them again (its Trainer runs fit's loop without fit's argument checks; only nl.SGD,
made once per run, checks its own learning rate and weight decay).

The points are cut in three, as in notebook 01 (section 10): the training set, the only points
the network learns from; the validation set, to watch while it trains and to choose settings by;
and the test set, which the playground never shows: it is looked at once, at the end.
"""

import dataclasses

from ... import datasets
from ..._validate import check_choice, check_int, check_number, describe
from ...features import FEATURES, check_feature_names
from .own_data import OwnData, as_own_data

CLASSIFICATION = tuple(datasets.DATASETS)  # "spiral", "moons", "circles", "xor", "blobs": classes
REGRESSION = tuple(datasets.REGRESSION_DATASETS)  # "plane", "multi_gaussian": real targets, one output unit
DATASETS = (*CLASSIFICATION, *REGRESSION)
OWN = "own"  # the data set of your own points: playground(X, y), or points added by clicking
CLASSES = {"spiral": 3, "moons": 2, "circles": 2, "xor": 2, "blobs": 3}  # what the makers produce by default
ACTIVATIONS = ("relu", "leaky_relu", "tanh", "sigmoid", "gelu", "silu", "identity")
INITS = ("auto", "xavier", "he", "normal")  # "auto": the init that suits the activation (default_init); the
# next option is one "auto" is not for the default ReLU, so a first move always changes the picture
DATA = ("dataset", "noise", "n", "val_fraction", "test_fraction", "seed", "data_seed", "data")  # what makes the points
TRAINING_ONLY = ("lr", "batch_size", "weight_decay", "l1", "target_loss")  # they change nothing before the first step


def default_init(activation):
    """The initialisation that suits an activation: "he" for ReLU and its relatives (He et al.
    2015 derive it for units that are 0 on half their inputs), "xavier" for tanh and identity
    (Glorot & Bengio 2010 derive it for a slope of 1 at 0).

    Sigmoid gets "xavier" too, by convention, not by derivation: its slope at 0 is 1/4, not 1,
    and its outputs are centred on 1/2, not 0, so Glorot and Bengio's derivation does not
    cover it (they tested their init with tanh and softsign only). PyTorch's recommended gain
    for sigmoid, ``calculate_gain("sigmoid")``, is 1 too (Xavier unchanged; for tanh it
    recommends 5/3, not Xavier's 1), though PyTorch itself picks no init by activation: an
    ``nn.Linear`` starts from ``kaiming_uniform_(a=sqrt(5))`` whatever follows it. Notebook 05
    uses Xavier for sigmoid too; a deep sigmoid stack then shows sigmoid's own vanishing gradient.
    """
    check_choice(activation, "activation", ACTIVATIONS)
    return "he" if activation in ("relu", "leaky_relu", "gelu", "silu") else "xavier"


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything that defines one playground run.

    dataset: one of "spiral", "moons", "circles", "xor", "blobs" (spiral and blobs have
    3 classes, the others 2), "plane" or "multi_gaussian" (TensorFlow Playground's two regression
    sets: real targets, one output unit, the mean squared error as the loss), or "own" for your own
    points, `data`; noise, n: how the data is made
    (not used for your own points); val_fraction, test_fraction:
    the shares of the points held out as the validation and the test set (the rest trains);
    hidden: the sizes of the hidden layers, e.g. (16, 16), or () for a linear model;
    activation, init: as in nl.MLP ("auto", the default, picks default_init(activation));
    features: the inputs the network reads, keys of nl.FEATURES (TensorFlow Playground's seven:
    "x1", "x2", "x1_squared", ...), computed from each point by nl.feature_columns;
    lr, batch_size, epochs, weight_decay, l1: as in nl.fit; target_loss: stop once the validation
    loss is at or below it (0: never, train all epochs); seed: one seed for the data, the split,
    the initial weights and the shuffling; data_seed: another seed for the data and the split
    only (None: `seed`), so that new data can be drawn for the same starting weights and back;
    data: your own points, an OwnData or a pair (X, y) (see OwnData), used when dataset is "own" (kept
    while another data set is picked, so that picking "own" again brings them back).
    """

    dataset: str = "spiral"
    noise: float = 0.2
    n: int = 300
    val_fraction: float = 0.2
    test_fraction: float = 0.2
    hidden: tuple = (16, 16)
    activation: str = "relu"
    init: str = "auto"
    lr: float = 0.1
    batch_size: int = 16
    epochs: int = 200
    weight_decay: float = 0.0
    seed: int = 0
    features: tuple = ("x1", "x2")
    l1: float = 0.0
    target_loss: float = 0.0
    data_seed: int = None
    data: OwnData = None

    def __post_init__(self):
        check_choice(self.dataset, "dataset", (*DATASETS, OWN))
        if self.dataset == OWN and self.data is None:
            raise ValueError('dataset "own" needs your points: Settings(dataset="own", data=(X, y)), or '
                             "playground(X, y)")
        check_choice(self.activation, "activation", ACTIVATIONS)
        check_choice(self.init, "init", INITS)
        if isinstance(self.hidden, (str, bytes)) or not isinstance(self.hidden, (list, tuple)):
            raise TypeError(f"hidden must be a list of layer sizes like [16, 16] (or [] for no hidden layer), "
                            f"got {describe(self.hidden)}")
        values = {
            "noise": check_number(self.noise, "noise", low=0.0),
            "n": check_int(self.n, "n", minimum=8),
            "val_fraction": check_number(self.val_fraction, "val_fraction", low=0.0, high=1.0, low_open=True,
                                         high_open=True),
            "test_fraction": check_number(self.test_fraction, "test_fraction", low=0.0, high=1.0, low_open=True,
                                          high_open=True),
            "hidden": tuple(check_int(h, f"hidden[{i}]", minimum=1) for i, h in enumerate(self.hidden)),
            "lr": check_number(self.lr, "lr", low=0.0, low_open=True),
            "batch_size": check_int(self.batch_size, "batch_size", minimum=1),
            "epochs": check_int(self.epochs, "epochs", minimum=0),
            "weight_decay": check_number(self.weight_decay, "weight_decay", low=0.0),
            "seed": check_int(self.seed, "seed", minimum=0),
            "features": tuple(f for f in FEATURES if f in check_feature_names(self.features, "features")),
            "l1": check_number(self.l1, "l1", low=0.0),
            "target_loss": check_number(self.target_loss, "target_loss", low=0.0),
            "data_seed": None if self.data_seed is None else check_int(self.data_seed, "data_seed", minimum=0),
            "data": None if self.data is None else as_own_data(self.data),
        }
        if values["val_fraction"] + values["test_fraction"] >= 1.0:
            raise ValueError(f"val_fraction + test_fraction must be below 1, so that points are left to train on; "
                             f"got {self.val_fraction:g} + {self.test_fraction:g}")
        for name, value in values.items():
            object.__setattr__(self, name, value)

    @property
    def init_name(self):
        """The init the network really gets: `init`, or default_init(activation) for "auto"."""
        return default_init(self.activation) if self.init == "auto" else self.init

    @property
    def task(self):
        """"classification" (labels; softmax, cross-entropy) or "regression" (real targets; one output, MSE)."""
        return self.data.task if self.dataset == OWN else ("classification", "regression")[self.dataset in REGRESSION]

    @property
    def loss(self):
        """The loss nl.fit trains with: "cross_entropy" for classification, "mse" for regression."""
        return "mse" if self.task == "regression" else "cross_entropy"

    @property
    def classes(self):
        """How many classes the points have (a regression: 1, its one output)."""
        return self.data.classes if self.dataset == OWN else 1 if self.dataset in REGRESSION else CLASSES[self.dataset]

    @property
    def sizes(self):
        """The layer sizes of the network: [number of features, hidden..., number of classes]."""
        return [len(self.features), *self.hidden, self.classes]

    def points(self):
        """All the points of the run, (X, y): your own, or made by the data set's maker from points_seed."""
        if self.dataset == OWN:
            return self.data.X, self.data.y
        return datasets.make(self.dataset, n=self.n, noise=self.noise, seed=self.points_seed)

    @property
    def points_seed(self):
        """The seed of the data and the split: data_seed, or seed when it is None."""
        return self.seed if self.data_seed is None else self.data_seed

    def replace(self, **changes):
        """A copy with some settings changed: ``settings.replace(lr=0.3)``."""
        return dataclasses.replace(self, **changes)

    def changes(self, other):
        """The names of the settings in which `other` differs from these, as a set: {"lr"}, or set()."""
        return {f.name for f in dataclasses.fields(self) if getattr(self, f.name) != getattr(other, f.name)}


def as_settings(value, name="settings"):
    """Accept a Settings or a dict of its fields (what a student writes) and return a Settings."""
    if isinstance(value, Settings):
        return value
    if not isinstance(value, dict):
        raise TypeError(f"{name} must be a dict like {{'hidden': [8], 'activation': 'relu'}}, got {describe(value)}")
    unknown = sorted(set(value) - {f.name for f in dataclasses.fields(Settings)})
    if unknown:
        valid = ", ".join(f.name for f in dataclasses.fields(Settings))
        raise ValueError(f"{name} has unknown keys {unknown}; the keys are {valid}")
    return Settings(**value)


def code_line(settings):
    """One line of nnlite code that makes the same data and trains the same network as the playground.
    For your own points (dataset "own") it starts from them: X, y are the run's points (`Trainer.X`, `.y`)."""
    s = as_settings(settings)
    data = s.points_seed
    inputs = f"X_train, X_val, X_test = (nl.feature_columns(A, {list(s.features)}) for A in (X_train, X_val, X_test)); "
    make = f'X, y = nl.datasets.make("{s.dataset}", n={s.n}, noise={s.noise!r}, seed={data}); '
    if s.dataset == OWN:
        make = ""
    return (make + f"X_train, y_train, X_val, y_val, X_test, y_test = nl.datasets.train_val_test_split(X, y, "
            f"val_fraction={s.val_fraction!r}, test_fraction={s.test_fraction!r}, seed={data}); "
            + ("" if s.features == ("x1", "x2") else inputs)
            + f'model = nl.MLP({s.sizes}, activation="{s.activation}", init="{s.init_name}", seed={s.seed}); '
            f"history = nl.fit(model, X_train, y_train, epochs={s.epochs}, batch_size={s.batch_size}, lr={s.lr!r}, "
            + (f"weight_decay={s.weight_decay!r}, " if s.weight_decay else "")
            + (f"l1={s.l1!r}, " if s.l1 else "")
            + (f"callback=lambda epoch, h: h.val_loss[-1] <= {s.target_loss!r}, " if s.target_loss else "")
            + ('loss="mse", ' if s.task == "regression" else "")
            + f'seed={s.seed}, validation=(X_val, y_val), on_diverge="stop")')
