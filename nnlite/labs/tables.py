"""Runs saved with the course, in one format: a compressed NumPy file (.npz) of named arrays.

Some results take longer to train than a notebook may take to run (a sweep of learning rates, runs of many
seeds): a lab trains them once, writes them with `save_table`, and the notebook reads them with `load_table`.
A table holds its results and the settings they were trained with. The lab names the settings it uses
(`made_for`), and a table made for other settings is refused, in words that say how to make it again: read as
if it matched, it would show another experiment's numbers under this one's name.

Labs import this module; it imports no lab.
"""

from pathlib import Path

import numpy as np


def save_table(path, arrays):
    """Write `arrays` ({name: array}) to `path` as a compressed .npz, making its folder if needed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)


def load_table(path, kind, writer, needed=(), made_for=None):
    """The arrays of a table that save_table wrote, as {name: array}.

    kind names the table in errors ("sweep"), writer says how to make it again ("save_lr_sweep(...)").
    A ValueError says what is wrong when the file cannot be read, lacks one of the `needed` arrays or of
    those in `made_for`, or holds other settings than `made_for` ({name: the value this lab uses})."""
    made_for = made_for or {}
    try:
        with np.load(path, allow_pickle=False) as data:
            table = {key: data[key] for key in data.files}
    except (OSError, ValueError) as error:
        raise ValueError(f"path must be a {kind} table written by {writer}, could not read {path}: "
                         f"{error}") from error
    missing = (set(needed) | set(made_for)) - set(table)
    if missing:
        raise ValueError(f"{path} is not a {kind} table: it lacks {sorted(missing)}")
    for key, value in made_for.items():
        if not np.array_equal(table[key], value):
            raise ValueError(f"{Path(path).name} was not made for this lab's {key} (it holds "
                             f"{_short(table[key])}, this lab uses {_short(value)}); regenerate it with {writer}")
    return table


def flat_parameters(model):
    """A network's weights and biases as one vector, layer by layer (W row by row, then b): how a table stores a
    trained network (`set_flat_parameters` puts them back)."""
    return np.concatenate([part.ravel() for layer in model.layers for part in (layer.W, layer.b)])


def set_flat_parameters(model, flat):
    """Put the vector `flat_parameters` wrote into `model` (a network of the same sizes), in place, as float64;
    return the model."""
    start = 0
    for layer in model.layers:
        for part in (layer.W, layer.b):
            part[...] = flat[start:start + part.size].reshape(part.shape)
            start += part.size
    return model


def _short(value, limit=80):
    text = str(np.asarray(value).tolist())
    return text if len(text) <= limit else text[:limit - 3] + "..."
