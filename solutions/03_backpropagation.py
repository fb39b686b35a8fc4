"""Solutions of the exercises of notebooks/03_backpropagation.ipynb, in the order of the exercise cells."""

SOLUTIONS = [
    """dL_dz1_tanh = 3.0 * (1 - np.tanh(1.0) ** 2)""",
    """def weight_gradient(layer_input, upstream):
    layer_input, upstream = np.asarray(layer_input, dtype=float), np.asarray(upstream, dtype=float)
    return np.outer(layer_input, upstream)""",
    """dW_after_three_calls = 3 * 6.0""",
]
