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

settings.register_profile("nnlite", deadline=None, max_examples=30,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("nnlite-thorough", deadline=None, max_examples=300,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "nnlite"))
