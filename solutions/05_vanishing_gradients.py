"""Solutions of notebook 05 (vanishing gradients), one string per exercise cell, in order."""

SOLUTIONS = [
    "layers_below_1e9 = next(n for n in range(1, 100) if 0.25**n < 1e-9)",
    "he_std_64 = np.sqrt(2 / 64)",
    'tanh_prediction = "exploding"',
]
