"""How fast is one nnlite training step, next to the same step written in plain NumPy?

    python benchmarks/train_step.py            # the full run (under a minute)
    python benchmarks/train_step.py --quick    # a few seconds: the smoke test in tests/ uses this

One step is ``nl.train_step(model, opt, X, y)``: forward, softmax cross-entropy, zero_grad,
backward, SGD update. It is timed against

* **numpy**: the floor. The same step written by hand inside this file, with nothing to spare:
  forward with ``np.maximum`` ReLU, a stable softmax cross-entropy, backward with the ReLU mask,
  ``W -= lr * dW`` updates and no dL/dX for the first layer (PyTorch does not compute it either).
  Before timing, the script checks that it computes the same loss and the same updated weights
  as nnlite from the same initial weights, so the floor does the same work. (It allocates a fresh
  dW per layer and step, as such code usually does; nnlite writes into its gradient arrays in place,
  so at the big sizes it can come out slightly below 1.0x.)
* **torch**: PyTorch on the CPU in float64 (``nn.Sequential`` of ``Linear``/``ReLU``,
  ``CrossEntropyLoss``, ``optim.SGD``), only when ``import torch`` works; otherwise a note is printed.

Sizes: [2, 16, 16, 3] batch 32, [64, 128, 128, 10] batch 128, [784, 256, 256, 10] batch 256.
The contenders run round-robin (one repetition of each, then again), after a warm-up, and the
MEDIAN time per step is reported with the ratios nnlite/numpy and torch/numpy.

Threads: every contender uses the same number of BLAS/OpenMP threads. It is taken from
NNLITE_BENCH_THREADS, else OMP_NUM_THREADS, else OPENBLAS_NUM_THREADS, else 1 (one thread gives
the steadiest numbers), and written into OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS
before NumPy is imported (and passed to torch.set_num_threads). Run the script as a program, not
after importing NumPy yourself, or the setting cannot take effect.

The goal is nnlite within 1.25x of the NumPy floor at every size. The script prints GOAL MET or
GOAL MISSED, and exits non-zero only on an error (a wrong result, a crash), never on the goal.
"""

import os
import sys

THREADS = (os.environ.get("NNLITE_BENCH_THREADS") or os.environ.get("OMP_NUM_THREADS")
           or os.environ.get("OPENBLAS_NUM_THREADS") or "1")
_NUMPY_WAS_LOADED = "numpy" in sys.modules
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = THREADS

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

try:
    import nnlite as nl
except ImportError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import nnlite as nl

GOAL = 1.25
LR = 0.01
CASES = [([2, 16, 16, 3], 32), ([64, 128, 128, 10], 128), ([784, 256, 256, 10], 256)]


def make_data(sizes, batch, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(batch, sizes[0]))
    y = rng.integers(0, sizes[-1], size=batch)
    return X, y


class NumpyStep:
    """The floor: one SGD step of a ReLU MLP with softmax cross-entropy, in plain NumPy."""

    def __init__(self, Ws, bs, X, y, lr):
        self.Ws = [np.array(W, dtype=np.float64) for W in Ws]
        self.bs = [np.array(b, dtype=np.float64) for b in bs]
        self.X, self.y, self.lr = X, y, lr
        self.rows = np.arange(len(X))

    def __call__(self):
        Ws, bs, lr, y, rows = self.Ws, self.bs, self.lr, self.y, self.rows
        h = self.X
        inputs = [h]
        for W, b in zip(Ws[:-1], bs[:-1], strict=True):
            h = np.maximum(h @ W + b, 0.0)
            inputs.append(h)
        logits = h @ Ws[-1] + bs[-1]
        shifted = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        total = e.sum(axis=1, keepdims=True)
        loss = np.mean(np.log(total[:, 0]) - shifted[rows, y])
        d = e / total
        d[rows, y] -= 1.0
        d /= len(rows)
        for i in range(len(Ws) - 1, -1, -1):
            dW = inputs[i].T @ d
            db = d.sum(axis=0)
            if i > 0:
                d = (d @ Ws[i].T) * (inputs[i] > 0)  # relu(z) > 0 exactly where z > 0
            Ws[i] -= lr * dW
            bs[i] -= lr * db
        return float(loss)


class TorchStep:
    """The same step in PyTorch (CPU, float64)."""

    def __init__(self, torch, Ws, bs, X, y, lr):
        self.torch = torch
        modules = []
        for i, (W, b) in enumerate(zip(Ws, bs, strict=True)):
            linear = torch.nn.Linear(W.shape[0], W.shape[1], dtype=torch.float64)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(W.T)))
                linear.bias.copy_(torch.from_numpy(b))
            modules.append(linear)
            if i < len(Ws) - 1:
                modules.append(torch.nn.ReLU())
        self.model = torch.nn.Sequential(*modules)
        self.criterion = torch.nn.CrossEntropyLoss()
        self.opt = torch.optim.SGD(self.model.parameters(), lr=lr)
        self.X = torch.from_numpy(np.ascontiguousarray(X))
        self.y = torch.from_numpy(np.asarray(y, dtype=np.int64))

    def __call__(self):
        self.opt.zero_grad()
        loss = self.criterion(self.model(self.X), self.y)
        loss.backward()
        self.opt.step()
        return float(loss.detach())

    def weights(self):
        linears = [m for m in self.model if isinstance(m, self.torch.nn.Linear)]
        return ([m.weight.detach().numpy().T.copy() for m in linears],
                [m.bias.detach().numpy().copy() for m in linears])


def load_torch():
    try:
        import torch
    except ImportError as error:
        return None, f"torch not available ({error}); skipping the PyTorch column"
    torch.set_num_threads(int(THREADS))
    return torch, None


def check_same_work(sizes, batch, torch=None):
    """One step of each contender from the same initial weights: same loss, same updated weights."""
    X, y = make_data(sizes, batch)
    model = nl.MLP(sizes, activation="relu", init="he", seed=0)
    W0 = [layer.W.copy() for layer in model.layers]
    b0 = [layer.b.copy() for layer in model.layers]
    floor = NumpyStep(W0, b0, X, y, LR)
    loss_nl = nl.train_step(model, nl.SGD(model, lr=LR), X, y)
    loss_np = floor()
    if not np.isclose(loss_nl, loss_np, rtol=1e-12, atol=0.0):
        raise AssertionError(f"{sizes}: nnlite loss {loss_nl!r} != numpy loss {loss_np!r}")
    for i, layer in enumerate(model.layers):
        if not (np.allclose(layer.W, floor.Ws[i], rtol=1e-12, atol=1e-14)
                and np.allclose(layer.b, floor.bs[i], rtol=1e-12, atol=1e-14)):
            raise AssertionError(f"{sizes}: layer {i + 1} weights differ between nnlite and numpy after one step")
        if np.array_equal(layer.W, W0[i]):
            raise AssertionError(f"{sizes}: layer {i + 1} did not move: the check would prove nothing")
    if torch is not None:
        step = TorchStep(torch, W0, b0, X, y, LR)
        loss_t = step()
        Ws, bs = step.weights()
        same = np.isclose(loss_t, loss_np, rtol=1e-10) and all(
            np.allclose(a, b, rtol=1e-9, atol=1e-12) for a, b in zip(Ws + bs, floor.Ws + floor.bs, strict=True))
        if not same:
            raise AssertionError(f"{sizes}: torch does not compute the same step as numpy")


def time_case(sizes, batch, torch, budget, warmup):
    """Median seconds per step of each contender, timed round-robin."""
    X, y = make_data(sizes, batch, seed=1)
    model = nl.MLP(sizes, activation="relu", init="he", seed=0)
    Ws = [layer.W.copy() for layer in model.layers]
    bs = [layer.b.copy() for layer in model.layers]
    opt = nl.SGD(model, lr=LR)
    contenders = {
        "nnlite": lambda: nl.train_step(model, opt, X, y),
        "numpy": NumpyStep(Ws, bs, X, y, LR),
    }
    if torch is not None:
        contenders["torch"] = TorchStep(torch, Ws, bs, X, y, LR)

    # Warm up, and measure roughly how long one step takes.
    rough = {}
    for name, step in contenders.items():
        start = time.perf_counter()
        for _ in range(warmup):
            step()
        rough[name] = (time.perf_counter() - start) / warmup
    # Each timed block runs ~2 ms of steps, so timer overhead stays negligible and the first,
    # cache-cold step after another contender weighs little; the order rotates every round so
    # no contender always follows the same one (torch's step evicts the caches of whoever is next).
    inner = {name: max(1, int(0.002 / t)) for name, t in rough.items()}
    reps = int(budget / (sum(rough[n] * inner[n] for n in rough)))
    reps = max(7, min(reps, 3000))

    samples = {name: [] for name in contenders}
    names = list(contenders)
    clock = time.perf_counter
    for r in range(reps):
        for name in names[r % len(names):] + names[:r % len(names)]:
            step, count = contenders[name], inner[name]
            start = clock()
            for _ in range(count):
                step()
            samples[name].append((clock() - start) / count)
    return {name: statistics.median(s) for name, s in samples.items()}, reps, inner["nnlite"]


def fmt_time(seconds):
    if seconds is None:
        return "-"
    return f"{seconds * 1e6:.1f} us" if seconds < 1e-3 else f"{seconds * 1e3:.3f} ms"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run (timings are rough)")
    args = parser.parse_args(argv)
    budget, warmup = (0.15, 3) if args.quick else (8.0, 20)  # seconds of timing per size

    if _NUMPY_WAS_LOADED:
        print("note: numpy was imported before this module, so the thread setting may not apply")
    print(f"nnlite {nl.__version__}, numpy {np.__version__}, threads {THREADS} (OMP/OPENBLAS/MKL_NUM_THREADS)")
    torch, note = load_torch()
    if note:
        print(f"note: {note}")
    else:
        print(f"torch {torch.__version__}")

    for sizes, batch in CASES:
        check_same_work(sizes, batch, torch)
    who = "nnlite, numpy and torch give" if torch is not None else "nnlite and numpy give"
    print(f"check: {who} the same loss and the same updated weights after one step, at every size")

    rows = []
    for sizes, batch in CASES:
        medians, reps, inner = time_case(sizes, batch, torch, budget, warmup)
        rows.append((sizes, batch, medians, reps, inner))

    header = (f"{'sizes':<22}{'batch':>6}{'nnlite':>12}{'numpy':>12}{'torch':>12}"
              f"{'nnlite/numpy':>14}{'torch/numpy':>13}{'reps':>10}")
    print()
    print(header)
    print("-" * len(header))
    met = True
    for sizes, batch, m, reps, inner in rows:
        ratio = m["nnlite"] / m["numpy"]
        met &= ratio <= GOAL
        t_ratio = f"{m['torch'] / m['numpy']:.2f}" if "torch" in m else "-"
        print(f"{str(sizes):<22}{batch:>6}{fmt_time(m['nnlite']):>12}{fmt_time(m['numpy']):>12}"
              f"{fmt_time(m.get('torch')):>12}{ratio:>14.2f}{t_ratio:>13}{f'{reps}x{inner}':>10}")
    print()
    print("median time per step; reps = repetitions x nnlite steps per repetition; the order rotates each round")
    verdict = "GOAL MET" if met else "GOAL MISSED"
    print(f"{verdict}: nnlite within {GOAL}x of the NumPy floor at every size" if met else
          f"{verdict}: nnlite is above {GOAL}x of the NumPy floor at some size")
    return 0


if __name__ == "__main__":
    sys.exit(main())
