"""Solutions of the exercises of notebooks/02_scores_to_probabilities.ipynb, in the order of the exercise cells."""

SOLUTIONS = [
    """p_yes_calm = np.exp(5.0) / (np.exp(5.0) + np.exp(5.0))""",
    """loss_confident_wrong = -np.log(1 - 0.99)""",
    """def stable_softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum()""",
]
