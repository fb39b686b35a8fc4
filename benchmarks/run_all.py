"""The series' run-all time, against the same notebooks at an earlier commit measured in the same run.

Issue 20 allows the series' run-all time to grow by 20 % at most over the commit before its work began. This
runs every notebook top to bottom in a fresh kernel (`jupyter nbconvert --execute`, outputs thrown away), once in
a worktree of `--base` and once in this tree, notebook by notebook in turn, so that both meet the same minute of a
busy machine; `--rounds` times. It prints each notebook's median seconds at both commits and the ratio of the totals.

    python benchmarks/run_all.py [--base 120a64c] [--rounds 1] [notebooks/04_relu_nonlinearity.ipynb ...]

Goal: a ratio of 1.2 or less. Asserts nothing (machines vary). Measured 2026-12-06 on a quiet 2-core machine, one
round: 109.3 s at 120a64c, 196.1 s at that day's fourth session's last commit, a ratio of 1.79 (04: 13.8 -> 30.3 s,
05: 16.0 -> 44.3, 07: 27.7 -> 50.0). After 04-07 loaded their longest runs over seeds from tables saved with the
course: 136.6 s at 120a64c against 122.7 s, a ratio of 0.90 (quiet machine; 0.85 beside three reviewers' work).
A run that shares the machine with another measures that one too: an earlier pair, beside a kernel left running,
read 152 and 236 s; and the same commit's total moved by a fifth between quiet runs an hour apart.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = "120a64c"  # 2026-11-28, the last commit before issue 20's work


def run_notebook(tree, name, scratch):
    """Seconds to execute notebooks/`name` of `tree` (a checkout) in a fresh kernel, with its own nnlite."""
    env = dict(os.environ, PYTHONPATH=str(tree), OPENBLAS_NUM_THREADS="1")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                    "--ExecutePreprocessor.timeout=1800", str(tree / "notebooks" / name),
                    "--output-dir", str(scratch), "--output", f"run_{name}"],
                   cwd=tree / "notebooks", env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=BASE, help="the commit to compare with (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every numbered notebook")
    args = parser.parse_args()
    names = [p.name for p in args.notebooks] or sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", str(base), args.base], cwd=ROOT, check=True,
                       capture_output=True)
        try:
            seconds = {name: {"base": [], "here": []} for name in names}
            for _ in range(args.rounds):
                for name in names:
                    if (base / "notebooks" / name).exists():
                        seconds[name]["base"].append(run_notebook(base, name, scratch))
                    seconds[name]["here"].append(run_notebook(ROOT, name, scratch))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=True)
    totals = {"base": 0.0, "here": 0.0}
    print(f"{'notebook':<36}{args.base:>10}{'here':>10}   (median seconds of {args.rounds} round(s))")
    for name, times in seconds.items():
        medians = {key: statistics.median(values) if values else 0.0 for key, values in times.items()}
        for key in totals:
            totals[key] += medians[key]
        print(f"{name:<36}{medians['base']:>10.1f}{medians['here']:>10.1f}")
    print(f"{'all':<36}{totals['base']:>10.1f}{totals['here']:>10.1f}   ratio {totals['here'] / totals['base']:.2f}"
          " (goal: 1.2 or less)")


if __name__ == "__main__":
    main()
