"""The training-step benchmark measures what it says: its NumPy floor does the same work as nnlite's step
(same loss, same updated weights, at every size it times), and its timing loop returns a median for
each contender. Its timings themselves are not asserted: machines vary."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("train_step_benchmark", ROOT / "benchmarks" / "train_step.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("case", range(3))
def test_the_numpy_floor_takes_the_same_step_as_nnlite(bench, case):
    sizes, batch = bench.CASES[case]
    bench.check_same_work(sizes, batch)  # raises if the loss or any updated weight differs


def test_a_floor_that_does_other_work_is_caught(bench, monkeypatch):
    sizes, batch = bench.CASES[0]
    monkeypatch.setattr(bench, "LR", bench.LR * 1.01)  # the floor steps 1 % further than nnlite's SGD...
    original = bench.nl.SGD
    monkeypatch.setattr(bench.nl, "SGD", lambda model, lr: original(model, lr=bench.LR / 1.01))  # ...than this
    with pytest.raises(AssertionError, match="weights differ"):
        bench.check_same_work(sizes, batch)


def test_the_timing_loop_gives_a_median_per_contender(bench):
    medians, reps, inner = bench.time_case([2, 4, 3], 8, torch=None, budget=0.02, warmup=2)
    assert set(medians) == {"nnlite", "numpy"} and reps >= 7 and inner >= 1
    assert all(np.isfinite(t) and t > 0 for t in medians.values())
