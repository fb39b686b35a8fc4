"""Worked solutions of the exercises of notebooks/03_backpropagation.ipynb, in the order of the
exercise cells: the answer, and in its comments the two or three lines of why."""

SOLUTIONS = [
    """# Downstream = upstream x local derivative (the chain rule). tanh's slope at z = 1 is
# 1 - tanh(1)^2 = 0.4200, so the unit passes back 3.0 x 0.4200 = 1.2599: only 42 % of what
# arrived (a ReLU that is on would pass all of it).
dL_dz1_tanh = 3.0 * (1 - np.tanh(1.0) ** 2)""",
    """# x reaches the loss through both units of the Dense step, so the contributions of the two paths add:
# 3 x 0.5 through unit 1 plus 4 x (-0.25) through unit 2 = 1.5 - 1.0 = 0.5. That is one entry
# of upstream @ W1.T, the rule a Dense step uses.
dL_dx_both_on = 3 * 0.5 + 4 * (-0.25)""",
    """# Each example n adds its own outer product x_n^T upstream_n into dW, and its upstream_n into db:
# layer_input.T @ upstream does all the sums at once (shape (n_in, n_out)), and db sums the rows.
# No 1/N: the loss is already a mean, so upstream carries it.
def dense_gradients(layer_input, upstream):
    layer_input, upstream = np.asarray(layer_input, dtype=float), np.asarray(upstream, dtype=float)
    return layer_input.T @ upstream, upstream.sum(axis=0)""",
    """# Each backward call ADDS its gradient into .dW (as in PyTorch). On a fresh tiny_network(), and
# without an SGD step, the weights do not change, so every call adds the same 6: 6 + 6 + 6 = 18.
# (On the notebook's `model` after section 10's three training steps the weights have moved: each call
# would add about -0.0135 instead.)
dW_after_three_calls = 3 * 6.0""",
    """# Right to left, section 7's rule once: through Dense 2, dL/dh = upstream @ W2.T (shape (N, n_hidden));
# through the ReLU, times its slope at the FIRST layer's z, 1 where z1 > 0 and 0 elsewhere; then Dense 1's
# gradients as in exercise 3, summed over the examples (upstream already carries the mean's 1/N). b2 is not needed.
def first_layer_gradients(X, W1, b1, W2, b2, upstream):
    X, W1, b1, W2, b2, upstream = (np.asarray(a, dtype=float) for a in (X, W1, b1, W2, b2, upstream))
    z1 = X @ W1 + b1
    delta1 = (upstream @ W2.T) * (z1 > 0)
    return X.T @ delta1, delta1.sum(axis=0)""",
]
