"""Solutions to the exercises of notebook 01, in the order of its exercise cells.

For instructors: tests/test_solutions.py puts each one into its exercise cell, runs the
notebook and requires every check to answer "Correct".
"""

SOLUTIONS = [
    "steps_in_3_epochs = 3 * -(-200 // 32)  # ceil(200 / 32) = 7 steps per epoch",
    "stable_lr_above_036 = False  # 2 / lambda_max = 0.3507: every larger lr diverges",
    '''def line_gradient(w, b, x, y):
    r = w * x + b - y
    return 2 * np.mean(r * x), 2 * np.mean(r)''',
]
