"""Runs of notebook 07 saved with the course: results over seeds that take longer to train than the notebook may
take to run (sections 3, 7 and 8), read instead of trained (see labs/tables.py for the format and its checks).

An experiment (`EXPERIMENTS`) is a few groups of runs, each group one Settings trained from every seed of
`seeds`, exactly as the notebook trained them (`train_saved`: lesson.run_seeds, one playground run per seed).
`save_runs` writes its file: every run's curves, the epoch of its lowest validation loss and the networks the
notebook looks into (at the end of training and at that epoch), in float32; `load_runs` reads it back as
`SavedRun`s, which answer what the notebook asks of a finished Trainer. These runs are calm: another computer's
arithmetic moves their numbers by about 1e-13, far below what the notebook prints, so the file is what any
computer trains (tests/test_lab_playground_lesson.py trains them again and compares).
"""

import copy
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..._validate import check_choice
from ...model import MLP
from ...training import evaluate
from ..tables import flat_parameters, load_table, save_table, set_flat_parameters
from .lesson import run_seeds
from .run_setup import RunSetup
from .settings import Settings

FOLDER = Path(__file__).resolve().parents[1] / "data"  # labs/data: the files saved with the course
NETWORKS = {"end": "the network after its last epoch", "best": "the network of its lowest validation loss"}


@dataclass(frozen=True)
class Experiment:
    """The runs of one file: one group per entry of `groups` ({name: Settings}), each trained from every seed of
    `seeds` (all for the same number of epochs); `networks` ({name: a tuple of NETWORKS' keys}) says which networks
    each group keeps (a group left out keeps its curves only)."""

    file: str
    groups: dict
    seeds: tuple
    networks: dict


NOISY = Settings(dataset="moons", noise=0.4, hidden=(32, 32, 32), val_fraction=0.3, epochs=300)  # section 7
EXPERIMENTS = {
    # section 3: XOR with and without a bend, the default network (2 x 16); later cells look at the networks
    "xor": Experiment("playground_xor_runs.npz",
                      {"identity": Settings(dataset="xor", activation="identity"), "relu": Settings(dataset="xor")},
                      tuple(range(8)), {"identity": ("end",), "relu": ("end",)}),
    # sections 7 and 8: noisy moons, 3 x 32 units, 300 epochs, at three weight decays (0.1 is read by its curves)
    "noisy moons": Experiment("playground_noisy_runs.npz",
                              {wd: NOISY.replace(weight_decay=wd) for wd in (0.0, 0.01, 0.1)},
                              tuple(range(8)), {0.0: ("end", "best"), 0.01: ("end", "best")}),
}


class SavedRun(RunSetup):
    """A finished playground run read from a file (load_runs): its settings and points (rebuilt from the
    settings, as a Trainer builds them), its `curves`, its `best_epoch` and the networks the file keeps. It
    answers what a lesson asks of a finished Trainer (curves, latest, model, best_model, test_score, steps);
    it does not train on (playground.run(run.settings) trains it again)."""

    def __init__(self, settings, losses, right, best_epoch, networks):
        """losses: the training and the validation loss after every epoch, epoch 0 first (2, epochs + 1); right:
        how many training and validation points the network got right then; networks: {which: MLP}."""
        super().__init__(settings)
        (train_loss, val_loss), (train_right, val_right) = losses, right
        self.curves = {"train_loss": train_loss.astype(float).tolist(), "val_loss": val_loss.astype(float).tolist(),
                       "train_accuracy": (train_right / len(self.y_train)).tolist(),
                       "val_accuracy": (val_right / len(self.y_val)).tolist()}
        self.best_epoch, self._networks = best_epoch, networks

    @property
    def steps(self):
        """SGD steps the run took: every epoch's (a saved run never stopped early)."""
        return self.settings.epochs * self.steps_per_epoch

    def latest(self):
        """The numbers after the last epoch: epoch, train/validation loss and accuracy."""
        return {"epoch": self.settings.epochs, **{key: values[-1] for key, values in self.curves.items()}}

    @property
    def model(self):
        """The network after the last epoch."""
        return self._network("end")

    def best_model(self):
        """A copy of the network with the weights of `best_epoch` (the lowest validation loss)."""
        return copy.deepcopy(self._network("best"))

    def test_score(self, at="end"):
        """(loss, accuracy) on the test set of the network after the last epoch (at="end") or of best_epoch
        (at="best"), as Trainer.test_score."""
        check_choice(at, "at", tuple(NETWORKS))
        return evaluate(self.model if at == "end" else self.best_model(), self.inputs(self.X_test), self.y_test,
                        self.settings.loss)

    def _network(self, which):
        if which not in self._networks:
            kept = "".join(f" and {NETWORKS[name]}" for name in self._networks)
            raise ValueError(f"this saved run keeps its curves{kept} only, not {NETWORKS[which]}: train it again "
                             "with playground.run(run.settings)")
        return self._networks[which]


def _experiment(name):
    """The Experiment called `name` in EXPERIMENTS, or a ValueError that lists them."""
    return EXPERIMENTS[check_choice(name, "name", tuple(EXPERIMENTS))]


def train_saved(name):
    """Train the runs of experiment `name` as the notebook trained them before they were saved: {group: the
    Trainers of every seed} ("xor": about 8 s; "noisy moons": about 25 s). Save them with save_runs."""
    e = _experiment(name)
    return {group: run_seeds(settings, seeds=e.seeds) for group, settings in e.groups.items()}


def save_runs(runs, name, path=None):
    """Write `runs` (train_saved(name)'s {group: [finished run per seed]}) as experiment `name`'s file (path
    None: the course's, in labs/data): curves and networks in float32, accuracies as counts of points right."""
    e = _experiment(name)
    if list(runs) != list(e.groups) or any(len(runs[group]) != len(e.seeds) for group in e.groups):
        raise ValueError(f"runs must be train_saved({name!r})'s: the groups {list(e.groups)}, each with one run per "
                         f"seed of {e.seeds}; got {({group: len(r) for group, r in runs.items()})} runs")
    arrays = {**_made_for(e),
              "loss": np.array([[[r.curves[f"{p}_loss"] for p in ("train", "val")] for r in runs[g]]
                                for g in e.groups], dtype=np.float32),
              "right": np.array([[_right(r) for r in runs[g]] for g in e.groups], dtype=np.uint16),
              "best_epoch": np.array([[r.best_epoch for r in runs[g]] for g in e.groups], dtype=np.int16)}
    for i, group in enumerate(e.groups):
        for which in e.networks.get(group, ()):
            arrays[f"{which}_{i}"] = np.array([flat_parameters(r.model if which == "end" else r.best_model())
                                               for r in runs[group]], dtype=np.float32)
    save_table(FOLDER / e.file if path is None else path, arrays)


def load_runs(name, path=None):
    """The runs of experiment `name` saved with the course (path None) or at `path`: {group: [SavedRun per
    seed]}, in the order of EXPERIMENTS[name]; a file made for other settings, seeds or networks is refused."""
    e = _experiment(name)
    table = load_table(FOLDER / e.file if path is None else path, "saved runs",
                       f"save_runs(train_saved({name!r}), {name!r})", {"loss", "right", "best_epoch"},
                       made_for=_made_for(e))
    runs = {}
    for i, (group, settings) in enumerate(e.groups.items()):
        networks = {which: table[f"{which}_{i}"] for which in e.networks.get(group, ())}
        runs[group] = []
        for k, seed in enumerate(e.seeds):
            s = settings.replace(seed=seed)
            runs[group].append(SavedRun(s, table["loss"][i, k], table["right"][i, k], int(table["best_epoch"][i, k]),
                                        {which: _network(s, flat[k]) for which, flat in networks.items()}))
    return runs


def _made_for(e):
    """What a file of experiment `e` must hold as it is: its groups' settings, its seeds, the networks kept."""
    return {"settings": np.array([f"{group!r}: {settings!r}" for group, settings in e.groups.items()]),
            "seeds": np.array(e.seeds),
            "networks": np.array([" ".join(e.networks.get(group, ())) for group in e.groups])}


def _right(run):
    """How many training and validation points `run` got right after every epoch: its accuracies times the counts."""
    return [np.rint(np.multiply(run.curves[f"{part}_accuracy"], len(y)))
            for part, y in (("train", run.y_train), ("val", run.y_val))]


def _network(settings, flat):
    """The network of `settings` with the weights `flat` (flat_parameters' order), in float64."""
    return set_flat_parameters(MLP(settings.sizes, activation=settings.activation, init=settings.init_name,
                                   seed=settings.seed), flat)
