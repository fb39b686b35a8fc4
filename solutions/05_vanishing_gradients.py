"""Worked solutions of the exercises of notebooks/05_vanishing_gradients.ipynb, in the order of the
exercise cells: the answer, and in its comments the two or three lines of why."""

SOLUTIONS = [
    """# dC/db1 = s'(z1) w2 s'(z2) w3 s'(z3) w4 s'(z4) dC/da4 and dC/db4 = s'(z4) dC/da4: the last slope
# and dC/da4 cancel, leaving s'(z1) w2 s'(z2) w3 s'(z3) w4, three factors w * sigma'(z) (the last one
# paired the other way round). At z = 0 sigma' = 1/4, so each factor is 0.5 * 0.25 = 1/8: 1/512.
chain_ratio = (0.5 * 0.25) ** 3""",
    """# One forward pass, the loss's gradient with respect to the logits, one backward pass: every layer's
# dL/db is then the mean of its points' deltas. grad_norms lists the layers input side first, the
# output layer last, so the last hidden layer is [-2]. ReLU + Xavier, 20 layers, seed 0: 3e-3, it vanishes
# (factor sqrt(32 x 1/32 x 1/2) = 0.71 per layer); ReLU + He: 0.4, level (mean-square factor 1).
def first_to_last_b(depth, activation, init, seed):
    X, y = vg.lab_data()
    model = vg.make_model(depth, activation, init, seed=seed)
    _, dlogits = nl.softmax_cross_entropy(model.forward(X), y)
    model.backward(dlogits)
    norms = model.grad_norms(of="b")
    return norms[0] / norms[-2]""",
    """# He initialisation: Var(w) = 2 / n_in, because Var(z) = n_in Var(w) E[x^2] and a ReLU keeps
# E[x^2] = Var(z_previous) / 2, so the variance of the pre-activations z stays put (the outputs' own
# variance is smaller, about 0.34 Var(z)). The standard deviation is the square root: sqrt(2/64) = 0.1768
# (0.125 = sqrt(1/64) would be right for a linear or tanh unit, not for ReLU).
he_std_64 = np.sqrt(2 / 64)""",
    """# The factor of a wide layer, sqrt(n Var(w) E[f'(z)^2]) (section 3): with std 1 and n = 32 the weight term
# sqrt(n Var(w)) is 5.7. Sigmoid + std 1 has a slope term sqrt(E[sigma'^2]) of 0.14 (saturation), a factor of
# about 0.76 < 1 (optional section 15's table): it vanishes, only slowly (Xavier faster: 0.24). tanh with std 1 has a slope
# term of about 0.36 (tanh' = 4 sigma'(2x) is a bell four times taller than sigmoid's; one forward pass measures it:
# np.sqrt(vg.init_stats(20, "tanh", "normal").slope_sq.mean()), 0.35 to 0.36 on seeds 0-2; the hint shows
# this tool on sigmoid + he, as does the exercise's text), a factor of
# 5.7 x 0.36 = 2.0 > 1 by the rule: it explodes, 19 factors of about 1.9 as measured (the ratio below).
# He makes ReLU's factor sqrt(32 x 2/32 x 1/2) = 1.
# Measured: [vg.init_stats(20, "tanh", "normal", seed=s).first_to_last for s in vg.SEEDS] runs from about 5e4 to 3e5.
exploding_network = 'tanh + std 1'""",
]
