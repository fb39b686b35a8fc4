"""The training-step benchmark runs end to end (its timings are not asserted: CI machines vary)."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_train_step_benchmark_quick_run():
    env = dict(os.environ, NNLITE_BENCH_THREADS="1")
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "train_step.py"), "--quick"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "nnlite/numpy" in out and "torch/numpy" in out
    assert "same loss and the same updated weights" in out  # the floor was checked to do the same work
    for sizes in ("[2, 16, 16, 3]", "[64, 128, 128, 10]", "[784, 256, 256, 10]"):
        row = next((line for line in out.splitlines() if line.startswith(sizes)), None)
        assert row is not None, f"no table row for {sizes}:\n{out}"
        assert re.search(r"\s\d+\.\d\d\s", row), f"no ratio in {row!r}"
    assert ("GOAL MET" in out) != ("GOAL MISSED" in out)
    assert "skipping the PyTorch column" in out or re.search(r"^torch \d", out, re.MULTILINE)
