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


# The browser tests first. `make test` runs two xdist workers, one test file at a time each, in
# collection order (--no-loadscope-reorder). The files marked `browser` drive JupyterLab in Chromium and
# take most of the test time: started late, they would run on alone at the end. Within each group the
# collection order (file names) stays, and so does the order inside each file.
def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: "browser" not in item.keywords)  # stable: False (browser) sorts first


# These test files grade the same exercise settings, each by training networks: one worker runs them
# one after the other, so that they share the labs' caches of those runs instead of training them again
# in the other worker (measured: 224 CPU seconds apart, 184 together).
SHARING_RUNS = ("test_exercises.py", "test_exercise_mutants.py", "test_lab_playground_lesson.py")


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile`, with the SHARING_RUNS files as one file."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    if not hasattr(LoadFileScheduling, "_split_scope"):  # xdist's own method, not its API: plain loadfile then
        return None

    class SharingRunsScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid):
            file = super()._split_scope(nodeid)
            return "+".join(SHARING_RUNS) if Path(file).name in SHARING_RUNS else file

    return SharingRunsScheduling(config, log)
