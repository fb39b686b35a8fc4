"""Solutions to the exercises of notebook 01, in the order of its exercise cells.

For instructors: tests/test_solutions.py puts each one into its exercise cell, runs the
notebook and requires every check to answer "Correct". Each solution is the code plus the
two or three lines of why a student should be able to say.
"""

SOLUTIONS = [
    '''# One epoch shows all 200 rows once, 32 per step: six full batches and one of the 8 leftover rows,
# so ceil(200 / 32) = 7 steps per epoch. Every epoch reshuffles and ends with its own short batch, which is
# kept (the exercise says so: nnlite's and PyTorch's default; with drop_last=True it would be 3 * 6 = 18).
steps_in_3_epochs = 3 * -(-200 // 32)  # -(-a // b) is ceil(a / b) in integers: 3 * 7 = 21''',
    '''# Along each direction a step multiplies the offset from the bottom by 1 - lr * curvature.
# The sharply curved direction (8) reaches the factor -1 first, at lr = 2 / 8; the gently curved one (0.5)
# would allow 4.
# So the largest curvature sets the limit: 2 / lambda_max. Below it every rate converges; past it (even
# 0.25000001) the sharply curved direction's factor is below -1 and the walk diverges.
lr_limit = 2 / 8''',
    '''# L = mean(r**2) with r = w*x + b - y. Chain rule: d(r**2)/dw = 2*r*x and d(r**2)/db = 2*r,
# and the mean over the points stays a mean. The sign comes out positive: the minus of
# "w <- w - lr * gradient" belongs to the step, not to the gradient.
def line_gradient(w, b, x, y):
    r = w * x + b - y
    return 2 * np.mean(r * x), 2 * np.mean(r)''',
    '''# Early stopping keeps the weights of the epoch with the lowest VALIDATION loss: the training loss
# falls at every epoch, whatever happens on new rows. np.argmin counts from 0, the epochs from 1.
validation = [2.30, 1.00, 0.60, 0.45, 0.44, 0.47, 0.52, 0.58]
early_stopping_epoch = int(np.argmin(validation)) + 1  # epoch 5, validation loss 0.44''',
    '''# New rows get the TRAINING rows' mean and standard deviation: the model learned in those units.
# The new rows' own numbers would give the same x another z, and would let new rows shape the input.
z_new = (np.array([4.0, 10.0, 16.0]) - 2.0) / 4.0  # [0.5, 2.0, 3.5]''',
    '''# The first-order prediction treats the loss as a straight line along the step: a fall of lr x |gradient|^2.
# The loss curves upward, so the true fall is smaller: the ratio is below 1, and falls as lr grows.
# (New names, so that the notebook's x, y, w and b stay as the optional part after the exercises needs them.)
x6, y6 = sgd.make_line_data(n=64, seed=0)  # section 1's data
w6, b6 = sgd.START
r6 = w6 * x6 + b6 - y6
dw6, db6 = 2 * np.mean(r6 * x6), 2 * np.mean(r6)
fall6 = np.mean(r6**2) - np.mean(((w6 - 0.05 * dw6) * x6 + (b6 - 0.05 * db6) - y6) ** 2)
first_order_ratio = fall6 / (0.05 * (dw6**2 + db6**2))  # 0.8843
# The follow-up: sgd.first_order_ratio(0.1) = 0.77, sgd.first_order_ratio(0.3) = 0.31. The loss is quadratic, so
# the ratio is exactly 1 - lr x g.Hg / (2 g.g) (g the gradient, H section 12's Hessian): it falls in a straight line
# with lr (0.88, 0.77, 0.31), as the longer the step, the more the straight-line prediction overestimates the fall.''',
]
