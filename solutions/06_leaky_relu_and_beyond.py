"""Worked solutions of notebook 06, in the order of its exercise cells (tests/test_solutions.py puts
each one into its cell and requires every check to print "✓ Correct")."""

SOLUTIONS = [
    """# For x <= 0 Leaky ReLU returns alpha * x: the input keeps its sign, scaled down.
# max(alpha * x, x) picks that branch because alpha <= 1 (so alpha * x >= x when x < 0).
leaky_of_minus_2 = max(0.1 * -2, -2)   # -0.2""",
    """# lab.train_seeds trains one run per seed (cached); each run's off ends with the share of hidden units
# off for every input after the last epoch. The median over the runs that did not diverge is robust to
# one extreme seed. Compared on seeds 0 to 4: at lr 0.85 ReLU loses many units, Leaky ReLU few; at lr 0.3
# both keep about the share they started with.
def share_off(name, lr, seeds):
    alpha = 0.1 if name == "leaky_relu" else None
    runs = lab.train_seeds(name, alpha=alpha, lr=lr, seeds=seeds)
    return np.median([run.off[-1] for run in runs if not run.diverged])""",
    """# np.where chooses element by element: x where x > 0, alpha * x elsewhere. It works for any shape and
# any alpha, and leaves x itself untouched. np.maximum(alpha * x, x) is the same only for alpha <= 1, and
# nl.LeakyReLU refuses an alpha outside [0, 1), which a learned (PReLU) alpha can reach.
def leaky_relu(x, alpha):
    return np.where(x > 0, x, alpha * x)""",
    """# dL/db = sum over the examples of dL/dh * relu'(z). Every z is negative, so every relu'(z) is 0,
# and every term of the sum is 0 (each example's term has its own slope: the sum of dL/dh is not
# factored out), so dL/db = 0: the SGD step b - lr * dL/db leaves the bias where it was. In the first layer
# the inputs never change either, so the unit stays dead for good (a Leaky unit would move to -3.2).
bias_after_step = -3.0""",
    """# Its own gradient is exactly 0 (relu'(z) = 0 for every example), so SGD never moves its weights or bias.
# But z = w . h + b, and h is the first layer's output, which keeps learning: when h changes, z can rise
# above 0 for some example, and the unit is back (section 2 saw it in at least half of the ReLU runs).
what_switches_it_on = 'the layer before it'""",
]
