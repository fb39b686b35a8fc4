"""What the labs share about seeded runs: how a result over several seeds is written down.

A trained result is a distribution, not one number: the same settings end at different
accuracies on different seeds, and the last digits of one run differ between CPUs. So a lab
shows a result over seeds as its range and its median, rounded to what is stable, in a few
characters that fit in a printed line:

    >>> spread([0.96, 0.99, 1.0])
    '96-100 %, median 99 %'

Such a result comes from repeating one seeded run, unchanged but for its seed (`over_seeds`):

    >>> over_seeds(lambda seed, lr: seed * lr, seeds=(0, 1, 2), lr=10)
    [0, 10, 20]

Labs import this module; it imports no lab (a lab must not import another notebook's lab).
"""

from collections.abc import Iterable

import numpy as np

from .._validate import as_float_array, check_int

SEEDS = tuple(range(10))  # the seeds a trained result of the course is shown over: enough to see the spread of a
# result, few enough that our tiny networks train them all in seconds (a lab that needs more says so)


def check_seeds(seeds):
    """`seeds` as a tuple of different whole numbers >= 0, at least one, or an error that says what is wrong."""
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        raise TypeError(f"seeds must be a sequence of whole numbers, got {type(seeds).__name__}")
    seeds = tuple(check_int(seed, "seeds[...]", minimum=0) for seed in seeds)
    if not seeds:
        raise ValueError("seeds must hold at least one seed, got none")
    if len(set(seeds)) < len(seeds):
        raise ValueError(f"seeds must all differ (a seed given twice counts one run twice), got {seeds}")
    return seeds


def over_seeds(run, seeds, **settings):
    """Repeat one seeded run on every seed: run(seed=seed, **settings) for each seed of `seeds`, and what each
    gave, in the order of `seeds` (a list).

    The seed draws everything random about a run (the first weights, the order of the mini-batches, sometimes
    the data) and nothing else changes between the runs: so the list is a sample of what the settings give, and
    its spread is how much of a result is luck. Every lab's training function takes its seed as the argument
    `seed`, so this is how every lab repeats one."""
    return [run(seed=seed, **settings) for seed in check_seeds(seeds)]


def low_median_high(values):
    """(lowest, median, highest) of one result over seeds, as numbers: the range says how far the seeds
    disagree, the median is the typical seed (unlike the mean, one run that went wrong does not move it)."""
    values = np.asarray(values)
    return values.min(), float(np.median(values)), values.max()


def spread(values, fmt="{:.0%}", median=True, brackets=False):
    """One result over seeds in a few characters: its range, lowest to highest, and its median.

    Each number is written with `fmt`, a format with as many digits as stay the same on every computer:
    a trained result's last digits differ between BLAS kernels and numpy versions, and what is printed must
    not. "{:.0%}" (whole percents) suits an accuracy, "{:.2f}" a loss, "{:.3g}" a ratio or a count.

        spread([0.96, 0.99, 1.0])             -> '96-100 %, median 99 %'
        spread([0.31, 0.22, 0.5], "{:.2f}")   -> '0.22-0.50, median 0.31'

    median=False leaves the median out: the middle seed of a chaotic run can differ between computers
    while the extremes do not. brackets=True is notebook 01's phrasing: the median in brackets, a percent
    sign on every number, and one number "on every seed" when the lowest and the highest print the same:

        spread([0.3, 0.1, 0.2], "{:.2f}", brackets=True)      -> '0.10-0.30 (median 0.20)'
        spread([4.3116, 4.3117], "{:.3f}", brackets=True)     -> '4.312 on every seed'

    A value that rounds to zero is written without a sign ("0.00", not "-0.00"): the sign of a rounded
    zero is noise. A range that starts below zero says "to" instead of a dash, which would read as a
    subtraction:

        spread([-0.04, 0.0, 0.08], "{:.2f}")  -> '-0.04 to 0.08, median 0.00'
    """
    values = as_float_array(values, "values", ndim=1)
    low, middle, high = (_rounded(fmt, value) for value in low_median_high(values))
    dash = " to " if low.startswith("-") else "-"
    if brackets:
        if low == high:
            return f"{low} on every seed"
        return f"{low}{dash}{high} (median {middle})" if median else f"{low}{dash}{high}"
    unit = ""
    if all(text.endswith("%") for text in (low, middle, high)):
        unit, (low, middle, high) = " %", (text.removesuffix("%") for text in (low, middle, high))
    text = f"{low}{dash}{high}{unit}"
    return f"{text}, median {middle}{unit}" if median else text


def _rounded(fmt, value):
    """`value` written with `fmt`, without the sign of a value that rounds to zero."""
    text = fmt.format(value)
    return text[1:] if text.startswith("-") and not any(digit in text for digit in "123456789") else text


def require(claims):
    """Raise an AssertionError that names, in words, every claim of {claim: True/False} that does not hold: how a
    lab checks the sentences its notebook says about a set of runs (silent when they all hold)."""
    failed = [claim for claim, holds in claims.items() if not holds]
    if failed:
        raise AssertionError("the text says more than these runs show: " + "; ".join(failed))
