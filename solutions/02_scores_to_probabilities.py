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
    """# H(q, p) = -sum_i q_i log p_i (the exercise; optional section 12), with log p_i taken from the scores: log p_i = z_i - logsumexp(z),
# section 5's log-softmax. np.log(nl.softmax(z)) rounds e^-1500 to 0 and gives -inf (and 0 * -inf = nan).
# Shift by the largest score m (section 4): logsumexp(z) = m + log(sum_j e^(z_j - m)), every exponent is <= 0
# and the sum lies between 1 and the number of classes, so log_p is finite and a q_i of 0 adds exactly 0.
# (nl.log_softmax(z) computes the same log_p; -np.sum(q * nl.log_softmax(z)) is as right.)
def soft_cross_entropy(z, q):
    z, q = np.asarray(z, dtype=float), np.asarray(q, dtype=float)
    shifted = z - z.max()
    log_p = shifted - np.log(np.sum(np.exp(shifted)))
    return -np.sum(q * log_p)""",
    """# L = the mean of the N rows' losses, so each row's part of the gradient is (section 6) p - onehot(y) of that row,
# divided by N (section 8). np.eye(C)[y] gives the one-hot rows: row n has its 1 at column y[n].
# (nl.softmax_cross_entropy(np.log(P), y)[1] gives the same, since softmax(log P) = P.)
def score_gradient(P, y):
    P, y = np.asarray(P, dtype=float), np.asarray(y)
    onehot = np.eye(P.shape[1])[y]
    return (P - onehot) / len(P)""",
]
