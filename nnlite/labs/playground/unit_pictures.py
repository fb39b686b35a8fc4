"""What every unit of a network outputs over the input plane, and how that is coloured.

TensorFlow Playground draws a small picture in every unit of its network diagram: the unit's
output at every point of the input plane (its src/playground.ts, ``updateDecisionBoundary``, runs
the network on a 100 x 100 grid and keeps every node's output; src/heatmap.ts colours them). Here
`GridPass` does the same with ONE forward pass of the grid through the model, as the model itself
computes it (``model.forward``, then ``model.hidden_outputs``), in blocks of rows (a matrix product
of thousands of rows makes OpenBLAS start threads, which on a busy machine costs far more than it
saves: 8 ms against 160 ms for six layers of 32 units, measured). It keeps every layer's outputs
in buffers that the next pass reuses, so Play allocates nothing per picture.

A unit's small picture is the mean of its outputs over square blocks of grid points (`tiles`, as
TensorFlow Playground's ``reduceMatrix``); its large picture is every grid point. Both are coloured
by `diverging_colors` as TensorFlow Playground colours them: grey at 0, blue for positive and orange for
negative outputs (the Okabe-Ito hues of `nnlite.colors`), full at 1 and -1 and beyond. One scale for
every unit, so all compare; a ReLU unit shows as full blue where its output passed 1, grey where it is
off. An output unit is its class's probability, in its class's colour (`probability_colors`): the class
regions are built from those.
"""

import functools

import numpy as np

from ... import colors
from ..._validate import check_int
from ...losses import softmax_unchecked

POSITIVE, NEGATIVE = colors.FILLS[0], colors.FILLS[1]  # Okabe-Ito blue and orange, as TensorFlow Playground
ZERO = "#e8eaeb"  # TensorFlow Playground's grey for 0: a unit that is off shows as a grey square
_RGB = {name: colors.rgb(color) for name, color in (("positive", POSITIVE), ("negative", NEGATIVE), ("zero", ZERO))}


class GridPass:
    """One forward pass of the input plane's points through a model, every unit's output kept.

    ``outputs = GridPass().run(model, grid)`` returns one (N, n) array per layer, inputs first:
    the grid itself, each hidden layer's outputs (what ``model.hidden_outputs`` holds after
    ``model.forward``), and the class probabilities (the softmax of the logits; for a network with one
    output, a regression, that output itself). `logits` holds
    the last layer's outputs themselves. The arrays are reused by the next run with the same
    sizes: copy what must outlive it.
    """

    def __init__(self, block=256):
        self.block = check_int(block, "block", minimum=1)
        self.outputs, self.logits, self._shape = [], None, None

    def run(self, model, grid):
        n = len(grid)
        if self._shape != (n, *model.sizes):  # new sizes or a new grid size: new buffers, else reuse them
            self._shape = (n, *model.sizes)
            self.outputs = [None, *(np.empty((n, s)) for s in model.sizes[1:])]
            self.logits = np.empty((n, model.sizes[-1]))
        self.outputs[0] = grid
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run: the caller checks isfinite
            for start in range(0, n, self.block):
                rows = slice(start, start + self.block)
                self.logits[rows] = model.forward(grid[rows])
                for kept, h in zip(self.outputs[1:-1], model.hidden_outputs, strict=True):
                    kept[rows] = h
            self.outputs[-1][...] = softmax_unchecked(self.logits) if model.sizes[-1] > 1 else self.logits
        return self.outputs


def tiles(values, resolution, tile_resolution):
    """The small pictures of units: `values` (resolution², n), one column per unit over a grid of
    resolution x resolution points (row by row from the bottom, as `viz.grid_points`), averaged over
    square blocks of (resolution / tile_resolution)² points: (tile_resolution, tile_resolution, n),
    row 0 at the bottom."""
    f = resolution // tile_resolution
    if f * tile_resolution != resolution:
        raise ValueError(f"tile_resolution must divide resolution ({resolution}), got {tile_resolution}")
    return values.reshape(tile_resolution, f, tile_resolution, f, -1).mean(axis=(1, 3))


def diverging_colors(values, discrete=False):
    """Outputs as uint8 RGB colours: grey at 0, towards blue for positive and orange for negative values,
    reaching them at 1 and -1 (and staying there beyond), in 2 * SHADES + 1 steps. discrete=True: every
    positive value full blue, every negative full orange (TensorFlow Playground's "discretize output")."""
    t = np.sign(values) if discrete else np.clip(values, -1.0, 1.0)
    return _DIVERGING[np.rint((t + 1.0) * SHADES).astype(np.intp)]


def probability_colors(p, k):
    """Class k's probabilities as uint8 RGB colours: white at 0, class k's colour (FILLS, as the class
    regions draw it) at 1, in SHADES + 1 steps."""
    return _probability_table(k)[np.rint(np.asarray(p, dtype=float) * SHADES).astype(np.intp)]


SHADES = 255  # steps from 0 to 1: finer than a screen shows (TensorFlow Playground draws 30)


def _table(start, end, steps):
    t = np.linspace(0.0, 1.0, steps + 1)[:, None]
    return np.rint(255 * (start + t * (end - start))).astype(np.uint8)


_DIVERGING = np.concatenate([_table(_RGB["negative"], _RGB["zero"], SHADES)[:-1],
                             _table(_RGB["zero"], _RGB["positive"], SHADES)])  # -1 .. 0 .. 1


@functools.lru_cache(maxsize=None)
def _probability_table(k):
    return _table(np.ones(3), colors.rgb(colors.FILLS[k % len(colors.FILLS)]), SHADES)
