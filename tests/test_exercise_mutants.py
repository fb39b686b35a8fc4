"""Every check refuses every wrong answer derived from its worked solution.

For each exercise cell of each notebook, tests/mutation.py derives every one-place change of the
solution in solutions/ (a constant perturbed, an operator or an index swapped, a term dropped, a
transpose added, sum <-> mean, ...). Each mutant is run like a student's cell. A mutant that does not
run (a NameError, a division by zero) never reaches the check and is set aside. A mutant that gives
the right answer after all (x > 0 and x >= 0 where both branches agree) is recognised by running it
against the solution on inputs of this file's own, drawn independently of the check's cases (for an
answer judged by a diagnosis, by an oracle of this file's own: a network's function on a grid, or
settings trained on seeds the check does not use), and set aside too. Every other mutant must be
refused: never "Correct", never "Close".

`python -m tests.test_exercise_mutants` prints the count per exercise.
"""

import ast
import copy
import dataclasses
import importlib.util
import warnings
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path

import nbformat
import numpy as np
import pytest

from nnlite.datasets import make
from nnlite.exercises import BuiltOnFirstUse, ChoiceExercise, DiagnosedExercise, NumberExercise
from nnlite.exercises.answers import _same_option, near, read_numbers
from nnlite.exercises.functions import run_cases
from nnlite.labs.playground import ACTIVATIONS, DATASETS, INITS, Settings, lesson, run

from .mutation import mutants

ROOT = Path(__file__).resolve().parents[1]
# The strings a solution's string constant may become, beyond a choice's options: notebook 07's settings.
SETTINGS_WORDS = tuple(f.name for f in dataclasses.fields(Settings)) + ACTIVATIONS + INITS + DATASETS
STRINGS = {"SMALL_CIRCLES": SETTINGS_WORDS, "VANISHING_RATIO": SETTINGS_WORDS}


def _line_case(rng):
    n = int(rng.integers(1, 11))
    return (float(rng.normal(0, 3)), float(rng.normal(0, 3)), rng.normal(0, rng.choice([0.1, 1.0, 100.0]), n),
            rng.normal(0, 5, n))


def _scores_and_target(rng):
    n = int(rng.integers(1, 11))
    z = rng.normal(0, rng.choice([1.0, 30.0, 3000.0]), n) + rng.choice([0.0, 2000.0, -2000.0])
    if rng.random() < 0.3:
        z[rng.integers(n)] = z.max()
    q = rng.dirichlet(np.ones(n)) if rng.random() < 0.6 else np.eye(n)[rng.integers(n)]
    return z, q


def _batch(rng):
    n, n_in, n_out = (int(k) for k in rng.integers(1, 7, 3))
    return rng.normal(size=(n, n_in)), rng.normal(size=(n, n_out))


def _leaky_case(rng):
    shape = tuple(int(k) for k in rng.integers(1, 5, int(rng.integers(0, 4))))
    x = np.asarray(rng.normal(0, 3, shape) * rng.choice([1.0, 1e-6]))
    x[rng.random(shape) < 0.2] = 0.0
    return x, float(rng.choice([0.0, 1.0, rng.uniform(-1.0, 3.0)]))


def _probabilities_and_labels(rng):
    n, classes = int(rng.integers(1, 8)), int(rng.integers(2, 8))
    e = np.exp(rng.normal(0, rng.choice([0.3, 3.0]), (n, classes)))
    return e / e.sum(axis=1, keepdims=True), rng.integers(0, classes, n)


def _two_layers(rng):
    """Half the time an example of zeros meets a bias of 0: a z of exactly 0, where ReLU's slope is 0 (nnlite's
    convention), so that `z >= 0` is no right answer after all."""
    n, n_in, n_hidden, n_out = (int(k) for k in rng.integers(1, 6, 4))
    X, b1 = rng.normal(size=(n, n_in)), rng.normal(size=n_hidden)
    if rng.random() < 0.5:
        X[rng.integers(n)], b1[rng.integers(n_hidden)] = 0.0, 0.0
    return (X, rng.normal(size=(n_in, n_hidden)), b1,
            rng.normal(size=(n_hidden, n_out)), rng.normal(size=n_out), rng.normal(size=(n, n_out)))



def _deep_network(rng):
    """05's exercise 2: a network's settings, with seeds the check never draws (it takes 0 to 99)."""
    return (int(rng.integers(2, 9)), str(rng.choice(["sigmoid", "tanh", "relu"])), str(rng.choice(["xavier", "he"])),
            int(rng.integers(100, 1000)))

def _share_off_case(rng):
    """06's exercise 2: an activation, a learning rate and seeds the check never uses at these rates (it takes 0 to
    7, 11, 13 and 15); few enough combinations that their runs, cached, train once."""
    return (str(rng.choice(["relu", "leaky_relu"])), float(rng.choice([0.3, 0.85])),
            tuple(int(s) for s in sorted(rng.choice([8, 9, 10], size=int(rng.integers(1, 4)), replace=False))))


# Inputs for telling a right answer written differently from a wrong one: drawn here, not by the checks.
INPUTS = {"LINE_GRADIENT": _line_case, "SOFT_CROSS_ENTROPY": _scores_and_target, "DENSE_GRADIENTS": _batch,
          "LEAKY_FUNCTION": _leaky_case, "SCORE_GRADIENT": _probabilities_and_labels, "HIDDEN_GRADIENTS": _two_layers,
          "SIGNAL_RATIO": _deep_network, "SHARE_OFF": _share_off_case}


def _is_abs(net):
    """Section 5's network with these weights has two units, as the exercise asks, and computes |x|, on a grid out
    to a million, up to the check's rounding (1e-6 relative, 1e-6 absolute)."""
    try:
        w, b, v = (np.asarray(net[k], dtype=float) for k in "wbv")
        c = float(net["c"])
        if not w.shape == b.shape == v.shape == (2,):
            return False
        x = np.concatenate([np.linspace(-1e3, 1e3, 4001), np.linspace(-2, 2, 801), [-1e6, 1e6]])
        return bool(np.allclose(np.maximum(np.multiply.outer(x, w) + b, 0) @ v + c, np.abs(x), rtol=1e-6, atol=1e-6))
    except Exception:
        return False


@cache
def _circles_accuracy(settings):
    """The goal is an accuracy on new points on each of the check's seeds (3 tanh units miss on its seed 0, 76 %),
    and a right answer is no lucky one: the lower of the worst of those and the median over five seeds the check
    never sees. The new points are this file's own, not the check's."""
    X, y = make("circles", n=2000, noise=0.1, seed=8008)

    def accuracy(seed):
        r = run(settings.replace(seed=seed))
        return 0.0 if r.diverged else float(np.mean(r.model.predict(r.inputs(X)) == y))
    return float(min(min(map(accuracy, (0, 1, 2))), np.median([accuracy(seed) for seed in range(10, 15)])))


def _circles_in_three(answer):
    """Network and training settings, at most 3 hidden units (the fewest that do it) and 500 epochs, that classify
    circles (noise 0.1) at 90 % or more on each of the check's seeds, and on new seeds by the median (each settings
    trained once)."""
    if not isinstance(answer, dict) or not set(answer) <= {"hidden", "activation", "init", "lr", "batch_size",
                                                           "epochs", "weight_decay"}:
        return False
    try:
        settings = Settings(dataset="circles", noise=0.1, **answer)
    except (TypeError, ValueError):
        return False
    return sum(settings.hidden) <= 3 and settings.epochs <= 500 and _circles_accuracy(settings) >= 0.9


ORACLES = {"ABS_FROM_RELUS": _is_abs, "SMALL_CIRCLES": _circles_in_three}  # what makes a diagnosed answer right


def _setup(notebook):
    """The names the notebook's first code cell imports (np, nl, its lab module), and nothing else."""
    first = next(c for c in notebook.cells if c.cell_type == "code")
    imports = [node for node in ast.parse(first.source).body if isinstance(node, (ast.Import, ast.ImportFrom))]
    namespace = {}
    exec(compile(ast.Module(body=imports, type_ignores=[]), "<imports>", "exec"), namespace)
    return namespace


def _solutions(stem):
    spec = importlib.util.spec_from_file_location(stem, ROOT / "solutions" / f"{stem}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SOLUTIONS


@cache
def exercise_cells():
    """(id, exercise, its name, the variable its check reads, the solution's source, the namespace) per exercise
    cell. An exercise built on first use is built here."""
    found = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        checks = [c for c in notebook.cells if "check" in c.metadata.get("tags", [])]
        if not checks:
            continue
        namespace = _setup(notebook)
        for i, (check, solution) in enumerate(zip(checks, _solutions(path.stem), strict=True)):
            call = ast.parse(check.source).body[0].value  # module.EXERCISE.check(variable)
            name = call.func.value.attr
            exercise = eval(ast.unparse(call.func.value), dict(namespace))
            exercise = exercise.exercise if isinstance(exercise, BuiltOnFirstUse) else exercise
            found.append((f"{path.stem[:2]}-{i + 1}-{name}", exercise, name, call.args[0].id, solution, namespace))
    return found


def _run(source, variable, namespace):
    """The value a cell with `source` leaves in `variable`, or None if it does not run."""
    scope = dict(namespace)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            exec(compile(source, "<mutant>", "exec"), scope)
    except Exception:
        return None
    return scope.get(variable)


def _equivalent(exercise, name, value, right, expected=None):
    """True when the mutant's `value` is the right answer written differently (judged without the check).
    For a function, `expected` is the right function's results on the oracle's cases (computed once per
    exercise by `_oracle_results`); the cases run in chunks, and the first chunk that differs decides."""
    if isinstance(exercise, lesson.MeasuredFactor):  # a measurement: any value in its spread measures it right
        number, problem = read_numbers(value, (), squeeze=True)  # (07's exercise 3: the data set, the mean, 9 seeds)
        return (problem is None and exercise.low <= number <= exercise.high
                and exercise.grade(value).status != "mistake")  # seed 0 alone is inside, and named
    if isinstance(exercise, NumberExercise):
        number, problem = read_numbers(value, exercise.expected.shape, squeeze=True)
        return problem is None and near(number, np.asarray(right, dtype=float), 1e-12, 1e-15)
    if isinstance(exercise, ChoiceExercise):
        return _same_option(value, right)
    if isinstance(exercise, DiagnosedExercise):
        return ORACLES[name](value)
    if not callable(value):
        return False
    cases, want = expected if expected is not None else _oracle_results(exercise, name, right)
    for start in range(0, len(cases), ORACLE_CHUNK):
        got = run_cases(value, cases[start:start + ORACLE_CHUNK], 5.0)[0]
        if not exercise._all_same([exercise._result(o) for o in got], want[start:start + ORACLE_CHUNK]):
            return False
    return True


ORACLE_CASES, ORACLE_CHUNK = 300, 25


def _oracle_results(exercise, name, right):
    """The oracle's 300 random cases for the function exercise `name`, and the right function's results on them."""
    draw, rng = INPUTS[name], np.random.default_rng(12345)
    cases = [draw(rng) for _ in range(ORACLE_CASES)]
    return cases, [exercise._result(o) for o in run_cases(right, cases, 5.0)[0]]


def survey(cell):
    """Counter of what became of the cell's mutants, and the list of those a check accepted (or, for an answer
    judged by a diagnosis, refused although this file's oracle finds it right)."""
    _, exercise, name, variable, solution, namespace = cell
    right = _run(solution, variable, namespace)
    options = exercise.options if isinstance(exercise, ChoiceExercise) else STRINGS.get(name, ())
    counts, accepted = Counter(), []
    expected = _oracle_results(exercise, name, right) if name in INPUTS and callable(right) else None
    for what, source in mutants(solution, options=[o for o in options if isinstance(o, str)]):
        value = _run(source, variable, namespace)
        if value is None:
            counts["does not run"] += 1
        elif _equivalent(exercise, name, value, right, expected):
            counts["right after all"] += 1
            if isinstance(exercise, DiagnosedExercise) and exercise.grade(copy.deepcopy(value)).status != "correct":
                accepted.append((what, source.splitlines()[-1], "a right answer refused"))  # the oracle's right
        else:
            feedback = exercise.grade(copy.deepcopy(value) if not callable(value) else value)
            counts["refused" if feedback.status in ("mistake", "wrong", "invalid") else "ACCEPTED"] += 1
            counts["named by the table"] += feedback.status == "mistake"
            if feedback.status not in ("mistake", "wrong", "invalid"):
                accepted.append((what, source.splitlines()[-1], feedback.text))
    return counts, accepted


CELLS = exercise_cells()


@pytest.mark.parametrize("cell", CELLS, ids=[c[0] for c in CELLS])
def test_every_wrong_answer_made_from_the_solution_is_refused(cell):
    counts, accepted = survey(cell)
    assert counts["refused"] >= 3, counts  # the solution gives the mutation something to work on
    assert not accepted, accepted


@pytest.mark.parametrize("cell", CELLS, ids=[c[0] for c in CELLS])
def test_the_solution_itself_is_correct(cell):
    _, exercise, _, variable, solution, namespace = cell
    assert exercise.grade(_run(solution, variable, namespace)).status == "correct"


def test_a_check_that_grades_on_the_test_set_is_caught(monkeypatch):
    """A mutant of a check, not of a solution: exercise 2's verdict read from the test set (as it once was), which
    a student could tune on by resubmitting. With the test set locked, the solution must still be graded."""
    def locked(self, at="end"):
        raise AssertionError("exercise 2's check looked at the test set")
    monkeypatch.setattr("nnlite.labs.playground.engine.Trainer.test_score", locked)
    lesson.circles_runs.cache_clear()
    try:
        assert lesson.SMALL_CIRCLES.grade({"hidden": [3], "epochs": 7}).status == "mistake"
        assert lesson.SMALL_CIRCLES.grade({"hidden": [3]}).status == "correct"
    finally:
        lesson.circles_runs.cache_clear()


def _refuses_past_the_limit(exercise):
    """A learning-rate limit is a bound, not a target with a symmetric tolerance: a rate a hair past it diverges
    and must be refused, while the limit in any spelling, or a hair below it, is accepted."""
    right = [0.25, 2 / 8, Fraction(1, 4), np.float64(0.25), Decimal("0.25"), [0.25], 0.24999999]
    past = [0.25000001, 0.2500001, 0.2501, 0.26, 0.3]
    return (all(exercise.grade(v).status == "correct" for v in right)
            and all(exercise.grade(v).status == "wrong" and "past the limit" in exercise.grade(v).text for v in past))


def test_a_check_that_accepts_a_rate_past_the_limit_is_caught():
    """A mutant of a check, not of a solution: 01's exercise 2 with the plain symmetric tolerance it once had,
    which marked 0.25000001, a diverging rate, "Correct"."""
    from nnlite.labs import sgd
    assert _refuses_past_the_limit(sgd.LR_LIMIT)
    symmetric = NumberExercise(sgd.LR_LIMIT.title, sgd.LR_LIMIT.expected, mistakes=sgd.LR_LIMIT.mistakes)
    assert symmetric.grade(0.25000001).status == "correct" and not _refuses_past_the_limit(symmetric)


def _says_the_limit_is_exact(exercise):
    """Just below a learning-rate limit, the check says the limit is exactly 2 / lambda_max, never "within 1 %",
    which would read as a tolerance that the answer missed by a hair."""
    texts = [exercise.grade(v).text for v in (2 / 8.0001, 0.2499, 0.249, 0.24)]
    return all("exactly 2 / lambda_max" in t and " % of the right value" not in t for t in texts)


def test_a_limit_check_that_says_within_one_percent_is_caught():
    """A mutant of 01's exercise 2: the same hints with the plain near-miss words, "within 1 % of the right value",
    which the review found for 2 / 8.0001."""
    from nnlite.labs import sgd
    assert _says_the_limit_is_exact(sgd.LR_LIMIT)
    plain = NumberExercise(sgd.LR_LIMIT.title, sgd.LR_LIMIT.expected, mistakes=sgd.LR_LIMIT.mistakes,
                           near_hint=sgd.LR_LIMIT.near_hint)
    assert "within 1 %" in plain.grade(2 / 8.0001).text and not _says_the_limit_is_exact(plain)

def _guess_not_called_close(exercise):
    """A one-figure guess (the "predict first" of 01's exercise 6) is told to compute, never "close" or right;
    two figures of the right value are "close"."""
    return (all(exercise.grade(v).status == "wrong" and "right value" not in exercise.grade(v).text
                for v in (0.9, 0.8, 0.5)) and exercise.grade(0.88).status == "close")


def test_a_check_that_calls_a_guess_close_is_caught():
    """A mutant of a check: 01's exercise 6 without `close_from=2`, which told the guess 0.9 that it was "the right
    value rounded to 1 significant figure"."""
    from nnlite.labs import sgd
    check = sgd.FIRST_ORDER_RATIO
    assert _guess_not_called_close(check)
    mutant = NumberExercise(check.title, check.expected, mistakes=check.mistakes, hint=check.hint, rtol=check.rtol)
    assert mutant.grade(0.9).status == "close" and not _guess_not_called_close(mutant)


def test_a_check_that_names_a_mistake_too_loosely_is_caught():
    """A mutant of a check: 07's exercise 2 without its rule for one weak seed, which told three tanh units
    (validation 97 %, one seed at 76 % on new points) that "the training loss hardly moved"."""
    tanh = {"hidden": [3], "activation": "tanh"}
    assert "hardly moved" not in lesson.SMALL_CIRCLES.grade(tanh).text
    assert "hardly moved" in _circles_told_too_slow("one_seed_missed", tanh).grade(tanh).text


def _circles_told_too_slow(diagnosis, answer):
    """07's exercise 2 with the "too slow" feedback for `diagnosis` (as it once had), `answer` its example."""
    mutant = dict(lesson.SMALL_CIRCLES.by_diagnosis)
    mutant[diagnosis] = lesson.Mistake(answer, mutant["too_slow"].hint)
    return DiagnosedExercise(lesson.SMALL_CIRCLES.title, read=lesson.read_circles_settings,
                             diagnose=lesson._diagnose_circles, mistakes=mutant, check_table=False)


def test_a_check_that_asks_past_its_own_budget_or_calls_the_bound_close_is_caught():
    """Mutants of checks: 07's exercise 2 without its rule for a run at the step budget (as it once was), which told
    two GELUs at 500 epochs to take more epochs, past the cap it refuses; 07's exercise 3 without its bound, which
    told 4, the textbook bound for a slope of 1/4, that it was the right value rounded."""
    capped = {"hidden": [2], "activation": "gelu", "lr": 0.3, "epochs": 500}
    assert "more epochs" not in lesson.SMALL_CIRCLES.grade(capped).text
    assert "more epochs" in _circles_told_too_slow("too_slow_at_cap", capped).grade(capped).text
    exercise = lesson.VANISHING_RATIO
    for four in (4, 4.0, np.float32(4)):
        assert exercise.grade(four).status == "mistake" and "bound" in exercise.grade(four).text
    unbounded = _window_mutant(mistakes=[m for m in exercise.mistakes if m.answer != 4.0], low=3.9)
    assert unbounded.grade(4).status == "correct"


def _window_mutant(**changes):
    """07's exercise 3 with some of its parts changed (a mutant of the check)."""
    exercise = lesson.VANISHING_RATIO
    parts = {"low": exercise.low, "high": exercise.high, "crossed": exercise.crossed, "single": exercise.single,
             "inverted": exercise.inverted, "mistakes": exercise.mistakes, "hint": exercise.hint}
    return lesson.MeasuredFactor(exercise.title, **{**parts, **changes})


def _ratios(seeds):
    norms = np.array([lesson._start_grad_norms(dataset="moons", hidden=(16,) * 6, activation="sigmoid", seed=seed)
                      for seed in seeds])
    return norms[:, -2] / norms[:, 0]


def test_exercise_3_of_07_that_asks_for_its_own_digits_or_too_wide_a_window_is_caught():
    """Mutants of the check: exercise 3 as it once was, four figures of the notebook's own seeds, which refused a
    correct computation over other seeds (a reader's 4.37, seeds 10-19's 4.35); and a window twice as wide, which
    would take the sixth root (3.49) or He's initialisation (3.21); and one without its `single`, which would take
    seed 0 alone as computed (4.7116...)."""
    exercise = lesson.VANISHING_RATIO
    others = np.median(_ratios(range(10, 20))) ** (1 / 5)
    own_digits = NumberExercise(exercise.title, np.median(_ratios(range(10))) ** (1 / 5),
                                mistakes=exercise.mistakes[1:])  # not the bound, 4: 4.48 to one figure
    assert exercise.grade(others).status == exercise.grade(4.37).status == "correct"
    assert own_digits.grade(others).status != "correct" and own_digits.grade(4.37).status != "correct"
    he = np.median([n[-2] / n[0] for n in (lesson._start_grad_norms(
        dataset="moons", hidden=(16,) * 6, activation="sigmoid", init="he", seed=seed) for seed in range(10))])
    sixth_root, he_root = np.median(_ratios(range(10))) ** (1 / 6), he ** (1 / 5)
    seed_0 = _ratios(range(1))[0] ** (1 / 5)  # seed 0 alone, as computed (4.71...)
    assert all(exercise.grade(v).status != "correct" for v in (sixth_root, he_root, seed_0))
    wide = _window_mutant(low=3.0, high=6.0, mistakes=[])
    assert all(wide.grade(v).status == "correct" for v in (sixth_root, he_root))
    assert _window_mutant(single=lesson.Mistake(99.0, "never")).grade(seed_0).status == "correct"


def test_exercise_3_of_07_names_a_factor_upside_down_or_not_yet_rooted_from_any_seeds():
    """Mutant: the check without its windowed slips, which named the inverse and the ratio itself of seeds 0-9
    only, so that the same slip over other seeds (1/4.317, a ratio of 1,200) got the generic hint."""
    exercise = lesson.VANISHING_RATIO
    for inverted in (0.224, 1 / 4.317):
        assert exercise.grade(inverted).status == "mistake" and "upside down" in exercise.grade(inverted).text
    assert "ratio itself" in exercise.grade(1200).text and "ratio itself" in exercise.grade(2400).text
    assert "upside down" not in exercise.grade(0.5).text and "upside down" not in exercise.grade(1e-310).text

    class NoSlips(lesson.MeasuredFactor):
        def _slip(self, value):
            return ""

    bare = NoSlips(exercise.title, low=4.1, high=4.9, crossed=5, single=exercise.single,
                   inverted=exercise.inverted, mistakes=exercise.mistakes)
    assert "upside down" not in bare.grade(1 / 4.317).text and "ratio itself" not in bare.grade(1200).text


def test_the_mutations_cover_each_kind_of_slip():
    made = {what.split(" -> ")[0] if "->" in what else what
            for what, _ in mutants("def f(x, w):\n    return np.where(x.T > 0, np.sum(x, axis=0) @ w / len(x), -x)")}
    assert {"transpose dropped", "sum", "axis dropped", "len() + 1", "Div", "MatMult", "operands swapped",
            "right side dropped", "minus dropped", "Gt", "0", "branches of where swapped", "sign flipped"} <= made


def main():
    print(f"{'exercise':34} {'mutants':>7} {'refused':>7} {'by table':>8} {'same':>5} {'no run':>6}")
    for cell in CELLS:
        counts, accepted = survey(cell)
        total = sum(v for k, v in counts.items() if k != "named by the table")
        print(f"{cell[0]:34} {total:>7} {counts['refused']:>7} {counts['named by the table']:>8} "
              f"{counts['right after all']:>5} {counts['does not run']:>6}" + (f"  ACCEPTED {accepted}" if accepted
                                                                                  else ""))


if __name__ == "__main__":
    main()


def test_a_share_off_check_posed_at_one_rate_is_caught():
    """A mutant of a check: 06's exercise 2 with cases at lr 0.85 only would accept a function that ignores its
    learning rate (it trains at 0.85 whatever it is given). Its cases hold a second rate, and that slip has a hint."""
    from nnlite.labs import activations_lab as lab

    def ignores_lr(name, lr, seeds):
        return lab.median_off(lab.train_seeds(name, 0.1 if name == "leaky_relu" else None, 0.85, seeds))

    assert {lr for _, lr, _ in lab.SHARE_OFF.cases} > {0.85}
    assert lab.SHARE_OFF.grade(ignores_lr).status == "mistake"


def test_a_share_off_check_without_a_diverged_run_is_caught():
    """A mutant of a check: 06's exercise 2 with no diverged run among its cases would accept a function that keeps
    the diverged runs in its median. One case holds runs that diverged and runs that did not, and that slip, like a
    forgotten alpha (an error from lab.train_seeds), gets a hint that names it, not a traceback."""
    from nnlite.labs import activations_lab as lab

    def runs(name, lr, seeds):
        return lab.train_seeds(name, 0.1 if name == "leaky_relu" else None, lr, seeds)

    def keeps_diverged(name, lr, seeds):
        return float(np.median([run.off[-1] for run in runs(name, lr, seeds)]))

    def forgets_alpha(name, lr, seeds):
        return lab.median_off(lab.train_seeds(name, lr=lr, seeds=seeds))

    assert any(0 < sum(run.diverged for run in runs(*case)) < len(case[2]) for case in lab.SHARE_OFF.cases)
    assert lab.SHARE_OFF.grade(keeps_diverged).status == "mistake"
    feedback = lab.SHARE_OFF.grade(forgets_alpha)
    assert feedback.status == "mistake" and "alpha=0.1" in feedback.text
