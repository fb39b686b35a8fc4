"""Worked solutions of notebook 04, in the order of its exercise cells (tests/test_solutions.py runs them)."""

SOLUTIONS = [
    """# The weighted sum first, then ReLU: max(0, w1*x1 + w2*x2 + b) for each input.
# (3, 1): 0.5*3 - 1*1 + 0.2 = 0.7 is positive and passes unchanged.
# (1, 2): 0.5*1 - 1*2 + 0.2 = -1.3 is negative, so the unit is off: 0 (not 1.3: ReLU is not |x|).
unit_outputs = [max(0.0, 0.5 * 3 - 1 * 1 + 0.2), max(0.0, 0.5 * 1 - 1 * 2 + 0.2)]""",
    """# The kink is where the unit's input is zero: 2x - 3 = 0, so x = -b/w = 3/2.
# The bias (-3) moves the kink away from 0; the weight (2) scales where it lands.
kink_x = -(-3) / 2""",
    """# Unit 1, relu(x), is on for x > 0 and gives x; unit 2, relu(-x) (w = -1), is on for x < 0 and gives -x.
# Both bend at x = -b / w = 0, facing opposite ways, and both count positively (v = 1, 1): a V, which is |x|.
# (v = 1, -1 would give relu(x) - relu(-x) = x back; a unit's w times any k > 0 with its v divided by k works too.)
abs_net = {"w": [1.0, -1.0], "b": [0.0, 0.0], "v": [1.0, 1.0], "c": 0.0}""",
    """# The pieces: slope 2 / 1.5 = 4/3 up to the peak, -4/3 down from it, 0 after x = 1.5.
# Each a_k is the CHANGE of slope at kink k: 4/3 (from 0), -4/3 - 4/3 = -8/3, 0 - (-4/3) = 4/3.
# Check: a1 + a2 + a3 = 0 (flat right tail) and the peak a1 * (0 - (-1.5)) = 2.
bump_slopes = [2 / 1.5, -2 * (2 / 1.5), 2 / 1.5]""",
    """# Section 2's collapse: (x W1 + b1) W2 + b2 = x (W1 W2) + (b1 W2 + b2), one layer x W + b.
# W = W1 W2: row i of W1 (input i's weights into the two units) times W2: 1*3 + 2*1 = 5 for x1, -1*3 + 0*1 = -3 for x2.
# b = b1 W2 + b2: b1 goes through the second layer like the units' outputs, 1*3 - 2*1 = 1, then b2 is added: 1.5.
W1 = np.array([[1, 2], [-1, 0]])
b1 = np.array([1, -2])
W2 = np.array([[3], [1]])
b2 = np.array([0.5])
W = W1 @ W2
b = b1 @ W2 + b2
collapsed = [W[0, 0], W[1, 0], b[0]]""",
]
