"""Shared fixtures of the browser tests: one Chromium and one JupyterLab per module."""

from pathlib import Path

import pytest

from .jupyterlab import CHROMIUM, CHROMIUM_ARGS, LabPage, LabServer, chromium_available

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SCREENSHOTS = ROOT / "screenshots"


def pytest_collection_modifyitems(items):
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: .ci/run installs Debian's chromium package; "
                                   "install it to run the browser tests")
    for item in items:
        if "browser" in item.keywords and not chromium_available():
            item.add_marker(skip)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[test])")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server():
    with LabServer(ROOT / "notebooks") as lab:
        yield lab


@pytest.fixture(scope="module")
def lab(browser, server):
    """One HiDPI page (device pixel ratio 2) for every notebook of a module, each opened in turn."""
    page = LabPage(browser, server, NOTEBOOKS[0], device_scale_factor=2)
    yield page
    page.close()
