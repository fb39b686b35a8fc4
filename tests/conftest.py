"""Shared test settings.

Hypothesis runs a modest number of examples with no deadline (numerical gradients of a deep
network take a few milliseconds each, and a shared CI machine can be slow), so the unit suite
stays well under a minute on two cores. Raise the effort with HYPOTHESIS_PROFILE=nnlite-thorough.
"""

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `pytest tests` from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT))

from nnlite import viz  # noqa: E402  (after the path: the checkout's nnlite)

viz.presentation(False)  # the course style, as every notebook's first cell sets it

settings.register_profile("nnlite", deadline=None, max_examples=30,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("nnlite-thorough", deadline=None, max_examples=300,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "nnlite"))


# The longest test files first. `make test` runs two xdist workers, one test file at a time each, in
# collection order (--no-loadscope-reorder); the notebooks in JupyterLab take about a third of all the
# test time, and started late they would run on alone at the end.
LONGEST_FIRST = ["browser/test_notebooks_in_lab.py", "browser/test_slides_offline.py", "browser/test_frontends.py",
                 "browser/test_playground_screen.py"]


def pytest_collection_modifyitems(items):
    def rank(item):
        path = Path(str(item.fspath)).resolve().relative_to(ROOT / "tests").as_posix()
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the order inside each file stays
