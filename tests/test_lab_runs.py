"""What the labs share about seeded runs (nnlite.labs.runs): one run repeated over seeds, and a result over
seeds written as its range and its median, rounded to what is stable."""

import numpy as np
import pytest

from nnlite.labs import activations_lab, playground, sgd
from nnlite.labs import vanishing as vg
from nnlite.labs.runs import check_seeds, low_median_high, over_seeds, spread


@pytest.mark.parametrize("values, text", [
    ([0.96, 0.99, 1.0], "96-100 %, median 99 %"),
    ([1.0, 0.96, 0.99], "96-100 %, median 99 %"),  # the order of the seeds does not matter
    (np.array([0.5, 0.41, 0.59, 0.52]), "41-59 %, median 51 %"),  # an even count: the mean of the middle two
    ([0.7], "70-70 %, median 70 %"),
])
def test_spread_in_percent_is_range_and_median_to_whole_percents(values, text):
    assert spread(values) == text


@pytest.mark.parametrize("fmt, text", [
    ("{:.2f}", "0.22-0.50, median 0.38"),
    ("{:.3g}", "0.22-0.5, median 0.38"),  # significant figures: no trailing zeros
    ("{:.1%}", "22.0-50.0 %, median 38.0 %"),
])
def test_spread_writes_every_number_with_fmt(fmt, text):
    assert spread([0.22, 0.5, 0.38], fmt) == text


def test_spread_rounds_each_number_as_python_does_and_keeps_large_ones_readable():
    assert spread([1234.5, 0.001234, 2.0], "{:.3g}") == "0.00123-1.23e+03, median 2"
    assert spread([0.125, 0.135], "{:.2f}", median=False) == "0.12-0.14"  # 0.135 is stored a bit above


def test_a_value_that_rounds_to_zero_has_no_sign():
    assert spread([-0.004, 0.1, -0.001], "{:.2f}") == "0.00-0.10, median 0.00"
    assert spread([-0.04, 0.1, -0.001], "{:.2f}") == "-0.04 to 0.10, median 0.00"  # a real minus stays


def test_a_range_from_below_zero_says_to_not_a_dash_that_reads_as_a_subtraction():
    assert spread([-0.04, 0.0, 0.08], "{:.2f}") == "-0.04 to 0.08, median 0.00"
    assert spread([-0.3, -0.1], "{:.0%}") == "-30 to -10 %, median -20 %"
    assert spread([-0.3, -0.1, -0.2], "{:.2f}", brackets=True) == "-0.30 to -0.10 (median -0.20)"
    assert spread([0.04, 0.08], "{:.2f}", median=False) == "0.04-0.08"  # from zero up: the dash stays
    assert spread([-0.001, 0.3], "{:.0%}", brackets=True) == "0%-30% (median 15%)"


def test_median_false_leaves_the_median_out():
    assert spread([0.3, 0.1, 0.2], "{:.2f}", median=False) == "0.10-0.30"


def test_brackets_is_notebook_01s_phrasing():
    assert spread([0.3, 0.1, 0.2], "{:.2f}", brackets=True) == "0.10-0.30 (median 0.20)"
    assert spread([0.3, 0.1, 0.2], "{:.2f}", median=False, brackets=True) == "0.10-0.30"
    assert spread([4.3116, 4.3117], "{:.3f}", brackets=True) == "4.312 on every seed"  # the same when printed
    assert spread([4.3116, 4.3117], "{:.4f}", brackets=True) == "4.3116-4.3117 (median 4.3117)"
    assert spread([0.0, 0.5], "{:.0%}", brackets=True) == "0%-50% (median 25%)"  # each number with its sign


@pytest.mark.parametrize("values, message", [
    ([], "values must not be empty"),
    ([[0.1, 0.2]], "values must be 1-D"),
    ([0.1, np.nan], "values must contain only finite numbers"),
])
def test_spread_rejects_what_is_not_one_result_per_seed(values, message):
    with pytest.raises(ValueError, match=message):
        spread(values)


def test_low_median_high_keeps_counts_whole():
    low, middle, high = low_median_high([3, 1, 2, 9])
    assert (low, middle, high) == (1, 2.5, 9) and f"{low}-{high}" == "1-9"


def test_every_lab_formats_with_the_shared_spread():
    assert playground.spread is spread  # notebook 07 calls playground.spread
    assert activations_lab.spread is spread and vg.spread is spread
    assert sgd.spread([0.3, 0.1, 0.2]) == spread([0.3, 0.1, 0.2], "{:.2f}", brackets=True)


def test_over_seeds_runs_once_per_seed_in_order_with_the_same_settings():
    calls = []

    def run(seed, lr, epochs=1):
        calls.append((seed, lr, epochs))
        return seed * 10 + epochs

    assert over_seeds(run, (2, 0, 1), lr=0.1, epochs=3) == [23, 3, 13]
    assert calls == [(2, 0.1, 3), (0, 0.1, 3), (1, 0.1, 3)]
    assert over_seeds(run, np.arange(2), lr=0.1) == [1, 11]  # numpy's whole numbers are seeds too
    assert [type(seed) for seed in check_seeds(np.arange(2))] == [int, int]


@pytest.mark.parametrize("seeds, error, message", [
    ([], ValueError, "seeds must hold at least one seed, got none"),
    ((0, 1, 0), ValueError, r"seeds must all differ \(a seed given twice counts one run twice\), got \(0, 1, 0\)"),
    ((0, -1), ValueError, r"seeds\[...\] must be >= 0, got -1"),
    ((0, 1.5), TypeError, r"seeds\[...\] must be an integer, got float 1.5"),
    (3, TypeError, "seeds must be a sequence of whole numbers, got int"),
    ("01", TypeError, "seeds must be a sequence of whole numbers, got str"),
])
def test_over_seeds_refuses_seeds_that_are_not_different_whole_numbers(seeds, error, message):
    with pytest.raises(error, match=message):
        over_seeds(lambda seed: seed, seeds)


def test_every_lab_repeats_its_runs_with_over_seeds():
    """Each lab's own training function, repeated by over_seeds, gives what the lab's loop over seeds gave."""
    relu_runs = activations_lab.train_seeds("relu", lr=0.3, seeds=(1, 0), epochs=2)
    assert [run.seed for run in relu_runs] == [1, 0]
    assert relu_runs[0] is activations_lab.train_run("relu", lr=0.3, seed=1, epochs=2)
    x, y = sgd.make_line_data(16, 0)
    curves = sgd.learning_rate_curves(x, y, [0.1], batch_size=8, epochs=2, seeds=(3, 4))[0.1]
    for curve, seed in zip(curves, (3, 4), strict=True):
        np.testing.assert_array_equal(curve, sgd.sgd_path(x, y, 0.1, 8, 2, seed=seed)["loss"])
    with pytest.raises(ValueError, match="seeds must all differ"):
        playground.run_seeds(playground.Settings(epochs=1), seeds=(0, 0))
