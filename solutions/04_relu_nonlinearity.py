"""Solutions of notebook 04, in the order of its exercise cells (tests/test_solutions.py runs them)."""

SOLUTIONS = [
    "unit_outputs = [max(0.0, 0.5 * 3 - 1 * 1 + 0.2), max(0.0, 0.5 * 1 - 1 * 2 + 0.2)]",
    "kink_x = -(-3) / 2",
    """def abs_from_relus(x):
    return relu.relu(x) + relu.relu(-x)""",
    """bump_positions = [-1.5, 0.0, 1.5]
bump_slopes = [1.4, -2.8, 1.4]""",
]
