"""pytest plugin for `pytest --nbval`: a notebook cell that writes to stderr fails, also in cells
whose outputs nbval does not compare (tagged nbval-ignore-output). A warning a student would see
(numpy 1.24's "overflow encountered in matmul") is a failure on every machine, not only where
it changes an output. Load it with `PYTHONPATH=.ci pytest -p nbval_no_stderr --nbval ...`."""

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    outputs = getattr(item, "test_outputs", None) or []  # what nbval recorded from the kernel
    stderr = "".join(o.get("text", "") for o in outputs
                     if o.get("output_type") == "stream" and o.get("name") == "stderr")
    if stderr:
        pytest.fail(f"the cell wrote to stderr:\n{stderr[:2000]}", pytrace=False)
    return result
