"""Worked solutions of the exercises of notebooks/02_scores_to_probabilities.ipynb, in the order of the
exercise cells: the answer, and in its comments the two or three lines of why."""

SOLUTIONS = [
    """# Softmax exponentiates, then divides: e^7 / (e^7 + e^6) = 1 / (1 + e^-1) = 0.7311.
# Only the gap of 1 matters (yes is e^1 = 2.72 times as likely as no); dividing the scores
# themselves, 7 / 13 = 0.54, is not softmax.
p_yes_calm = np.exp(7.0) / (np.exp(7.0) + np.exp(6.0))""",
    """# It rained, so the right answer is yes, and the network gave it P(yes) = 1 - 0.99 = 0.01.
# Cross-entropy is minus the natural log of that: -ln 0.01 = 4.6052. Being right with the same
# confidence costs -ln 0.99 = 0.010050, so the confident mistake costs 458 times as much.
loss_confident_wrong = -np.log(1 - 0.99)""",
    """# Subtracting the largest score changes nothing (the e^-max cancels between top and bottom)
# and makes every exponent <= 0: each e^(z - max) lies in (0, 1], the largest is exactly 1,
# so nothing overflows and the sum is at least 1 (never 0, never inf). A probability can still
# round to 0: stable_softmax([0, 800])[0] is e^-800 = 0.0, and -np.log of it is inf. A loss is
# taken from the scores with log-softmax (section 5: nl.log_softmax([0, 800])[0] = -800).
def stable_softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum()""",
]
