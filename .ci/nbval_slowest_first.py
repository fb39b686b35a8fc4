"""pytest plugin for `pytest -n 2 --dist loadscope --no-loadscope-reorder --nbval`: the notebooks
that take longest start first, so the two workers finish together.

xdist hands out one notebook at a time in collection order (by name), and by default reorders
them by number of cells; either way 07, the longest, started last and ran alone at the end.
Measured (strict nbval, 2 workers): one worker done at 60 s, the other at 92 s; the longest
first, both were done by 68 s (the whole run: 101 -> 78 s). The order is a list of measured times, not a guess: update
it when a notebook's running time changes a lot (`pytest --durations=0` sums them per notebook).
Load it with `PYTHONPATH=.ci pytest -p nbval_slowest_first ...`.
"""

from pathlib import Path

# seconds one notebook takes under nbval on a 2-core machine (measured 2026-11-28); others count 0
SECONDS = {"07_playground": 45, "06_leaky_relu_and_beyond": 33, "05_vanishing_gradients": 28,
           "04_relu_nonlinearity": 17, "01_training_vocabulary": 12, "03_backpropagation": 8,
           "02_scores_to_probabilities": 5, "00_start_here": 2}


def pytest_collection_modifyitems(items):
    # a stable sort: each notebook's cells keep their order
    items.sort(key=lambda item: -SECONDS.get(Path(str(item.fspath)).stem, 0))
