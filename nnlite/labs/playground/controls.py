"""The playground panel's controls: one per setting, each named for screen readers with its unit, and
`settings_from`, which reads a Settings back from their values.

As in TensorFlow Playground: a checkbox per input feature, the units set per hidden layer (a
dropdown each, shown for the layers there are), L1 next to weight decay (L2), a seed, and a
target validation loss to stop at.
"""

import ipywidgets as widgets

from ...access import name_control
from ...features import FEATURES
from ...widgets import dropdown, log_slider, selection_slider, slider
from .settings import ACTIVATIONS, DATASETS, INITS, OWN, REGRESSION, Settings
from .views import MAX_HIDDEN_LAYERS

WEIGHT_DECAYS = (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1)
L1_RATES = (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2)
TARGET_LOSSES = (("never", 0.0), ("0.5", 0.5), ("0.3", 0.3), ("0.2", 0.2), ("0.1", 0.1), ("0.05", 0.05),
                 ("0.02", 0.02), ("0.01", 0.01))
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256)
MAX_UNITS = 32
UNITS = tuple(f"units_{k}" for k in range(1, MAX_HIDDEN_LAYERS + 1))  # a control per hidden layer
WIDTHS = {"dataset": 165, "noise": 220, "val_fraction": 265, "layers": 220, "activation": 180, "init": 105,
          "seed": 110, "lr": 240, "batch_size": 100, "weight_decay": 230, "l1": 175, "epochs": 250,
          "target_loss": 195, **{name: 54 for name in UNITS},
          "x1": 48, "x2": 48, "x1_squared": 52, "x2_squared": 52, "x1_times_x2": 62, "sin_x1": 72, "sin_x2": 72}  # px
# (activation: its label and "leaky_relu" whole; at 155 px the option read "leaky_rel" on a laptop)


def setting_controls(s):
    """A control for every setting of `s` (a Settings) but n and test_fraction, by the name `settings_from` reads."""
    hidden = s.hidden or (8,)
    controls = {
        "dataset": dropdown("data", dataset_options(s.data is not None), s.dataset, name="data set"),
        "noise": slider("noise", 0.0, 0.5, 0.05, s.noise, name="noise of the points"),
        "val_fraction": slider("validation share", 0.1, 0.5, 0.05, s.val_fraction, readout_format=".0%",
                               name="validation share of the points"),
        **{name: name_control(widgets.Checkbox(value=name in s.features, description=label, indent=False,
                                               tooltip=f"the network reads {label} of each point"), f"input {label}")
           for name, label in FEATURES.items()},
        "activation": dropdown("activation", list(ACTIVATIONS), s.activation),
        "init": dropdown("init", list(INITS), s.init, name="initialisation"),
        "layers": slider("layers", 0, MAX_HIDDEN_LAYERS, 1, len(s.hidden), name="hidden layers", unit="layers"),
        **{name: dropdown("", list(range(1, MAX_UNITS + 1)), hidden[min(k, len(hidden) - 1)],
                          name=f"units in hidden layer {k + 1}", unit="units") for k, name in enumerate(UNITS)},
        "seed": name_control(widgets.BoundedIntText(value=s.seed, min=0, max=2**31 - 1, description="seed",
                                                    style={"description_width": "initial"}),
                             "seed of the starting weights and the shuffling (and of the points, until new seed "
                             "or new data)"),
        "lr": log_slider("learning rate", -3, 1, s.lr),
        "batch_size": dropdown("batch", list(BATCH_SIZES), s.batch_size, name="batch size", unit="points"),
        "weight_decay": selection_slider("weight decay", WEIGHT_DECAYS, s.weight_decay,
                                         name="weight decay (L2 regularisation rate)"),
        "l1": selection_slider("L1", L1_RATES, s.l1, name="L1 regularisation rate"),
        "epochs": slider("epochs", 10, 1000, 10, s.epochs, unit="epochs"),
        "target_loss": dropdown("stop at val. loss", list(TARGET_LOSSES), s.target_loss,
                                name="stop when the validation loss reaches"),
    }
    for name, width in WIDTHS.items():
        controls[name].layout.width = f"{width}px"
    return controls


def dataset_options(own):
    """The data set control's options, (label, value): the course's data sets, and your points if `own`."""
    label = {name: f"{name.replace('_', '-')} (regression)" for name in REGRESSION}
    return [(label.get(name, name), name) for name in DATASETS] + ([("your points", OWN)] if own else [])


def settings_from(values, old, data_seed=None, data=None):
    """The Settings the controls' `values` (by name) say; n and test_fraction stay `old`'s. The data seed
    and your own points, which have no control of their own (the "new data" button draws the one, clicks
    on the class regions add to the other), are `data_seed` and `data`."""
    features = tuple(name for name in FEATURES if values[name])
    return Settings(dataset=values["dataset"], noise=round(float(values["noise"]), 2), n=old.n,
                    val_fraction=round(float(values["val_fraction"]), 2), test_fraction=old.test_fraction,
                    hidden=tuple(values[name] for name in UNITS[:values["layers"]]), activation=values["activation"],
                    init=values["init"], lr=float(f"{values['lr']:.3g}"), batch_size=values["batch_size"],
                    epochs=values["epochs"], weight_decay=values["weight_decay"], seed=values["seed"],
                    features=features, l1=values["l1"], target_loss=values["target_loss"], data_seed=data_seed,
                    data=data)
