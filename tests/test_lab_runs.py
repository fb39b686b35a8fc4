"""What the labs share about seeded runs (nnlite.labs.runs): a result over seeds written as its range
and its median, rounded to what is stable."""

import numpy as np
import pytest

from nnlite.labs import playground
from nnlite.labs.runs import spread


@pytest.mark.parametrize("values, text", [
    ([0.96, 0.99, 1.0], "96-100 %, median 99 %"),
    ([1.0, 0.96, 0.99], "96-100 %, median 99 %"),  # the order of the seeds does not matter
    (np.array([0.5, 0.41, 0.59, 0.52]), "41-59 %, median 51 %"),  # an even count: the mean of the middle two
    ([0.7], "70-70 %, median 70 %"),
])
def test_spread_in_percent_is_range_and_median_to_whole_percents(values, text):
    assert spread(values) == text


def test_spread_of_plain_numbers_keeps_three_significant_figures():
    assert spread([0.22, 0.5, 0.38], percent=False) == "0.22-0.5, median 0.38"
    assert spread([1234.5, 0.001234, 2.0], percent=False) == "0.00123-1.23e+03, median 2"


def test_the_playground_formats_with_the_shared_spread():
    assert playground.spread is spread  # notebook 07 calls playground.spread
