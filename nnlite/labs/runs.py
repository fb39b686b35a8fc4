"""What the labs share about seeded runs: how a result over several seeds is written down.

A trained result is a distribution, not one number: the same settings end at different
accuracies on different seeds, and the last digits of one run differ between CPUs. So a lab
shows a result over seeds as its range and its median, rounded to what is stable, in a few
characters that fit in a printed line:

    >>> spread([0.96, 0.99, 1.0])
    '96-100 %, median 99 %'

Labs import this module; it imports no lab (a lab must not import another notebook's lab).
"""

import numpy as np


def spread(values, percent=True):
    """'55-68 %, median 61 %' (or plain numbers with percent=False): the range and the median of one result
    over seeds, in a few characters."""
    values = np.asarray(values, dtype=float)
    lo, mid, hi = np.min(values), np.median(values), np.max(values)
    if percent:
        return f"{100 * lo:.0f}-{100 * hi:.0f} %, median {100 * mid:.0f} %"
    return f"{lo:.3g}-{hi:.3g}, median {mid:.3g}"
