"""Solutions of notebook 06, in the order of its exercise cells (tests/test_solutions.py runs them)."""

SOLUTIONS = [
    "leaky_of_minus_2 = max(0.1 * -2, -2)",
    "leaky_slope_at_minus_3 = 0.1",
    """def leaky_relu(x, alpha):
    return np.where(x > 0, x, alpha * x)""",
    "bias_change = 0.0",
]
