"""Worked solutions of the exercises of notebooks/05_vanishing_gradients.ipynb, in the order of the
exercise cells: the answer, and in its comments the two or three lines of why."""

SOLUTIONS = [
    """# dC/db1 = s'(z1) w2 s'(z2) w3 s'(z3) w4 s'(z4) dC/da4 and dC/db4 = s'(z4) dC/da4: the last slope
# and dC/da4 cancel, leaving s'(z1) w2 s'(z2) w3 s'(z3) w4, three factors w * sigma'(z) (the last one
# paired the other way round). At z = 0 sigma' = 1/4, so each factor is 0.5 * 0.25 = 1/8: 1/512.
chain_ratio = (0.5 * 0.25) ** 3""",
    """# The same bookkeeping: relu'(z1) w2 relu'(z2) w3 ... relu'(z10) w11, ten factors relu'(z) * w.
# A ReLU that is on has slope exactly 1, so each factor is the weight, 1.5, and the product is
# 1.5^10 = 57.7: the first layer gets 58 times the gradient of the last. That is an exploding gradient.
relu_chain_ratio = 1.5 ** 10""",
    """# He initialisation: Var(w) = 2 / n_in, because Var(z) = n_in Var(w) E[x^2] and a ReLU keeps
# E[x^2] = Var(z_previous) / 2. The standard deviation is the square root: sqrt(2/64) = 0.1768
# (0.125 = sqrt(1/64) would be right for a linear or tanh unit, not for ReLU).
he_std_64 = np.sqrt(2 / 64)""",
    """# tanh has slope 1 at the centre, and std-1 weights with 32 inputs make W.T multiply the
# gradient by about sqrt(32) = 5.7 per layer: more than saturation takes away, so it explodes.
# Sigmoid's slope is at most 1/4 (it vanishes with either init); He keeps ReLU's product near 1.
exploding_network = "tanh + normal\"""",
]
