"""Every notebook in a real JupyterLab (headless Chromium, driven by Playwright):
run all cells, no error outputs, no "Error displaying widget"; every picture sharp on a
HiDPI screen (device pixel ratio 2: at least two image pixels per CSS pixel it is shown in);
then every slider and dropdown is moved and must change its figure or text. Screenshots (at
ratio 2) land in screenshots/.
"""

from pathlib import Path

import pytest

from .conftest import NOTEBOOKS, SCREENSHOTS
from .jupyterlab import JS_PICTURES, LabPage

pytestmark = pytest.mark.browser


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ has no NN_name.ipynb files"


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_and_every_control_changes_its_output(browser, server, notebook):
    SCREENSHOTS.mkdir(exist_ok=True)
    lab = LabPage(browser, server, notebook, device_scale_factor=2)
    try:
        errors = lab.run_all()
        lab.page.screenshot(path=str(SCREENSHOTS / f"{Path(notebook).stem}_top.png"))
        assert not errors, f"{notebook}: cells failed:\n" + "\n".join(errors)
        assert not lab.widget_errors(), f"{notebook}: {lab.widget_errors()}"
        blurry = [p for p in lab.page.evaluate(JS_PICTURES) if p["kind"] == "img" and p["natural"] < 2 * p["shown"] - 1]
        assert not blurry, f"{notebook}: pictures with fewer than 2 image pixels per CSS pixel: {blurry}"
        for k, output in enumerate(lab.widget_outputs()):
            output.scroll_into_view_if_needed()
            for control in lab.controls(output):
                if lab.disabled(control):  # greyed out on purpose by the panel: nothing to move
                    continue
                label = control.inner_text().split("\n")[0]
                before = lab.signature(output)
                lab.move(control)
                try:
                    lab.wait_for_change(output, before)
                except Exception as error:  # Playwright's TimeoutError: say which control in words
                    raise AssertionError(f"{notebook}: moving '{label}' in widget {k + 1} changed nothing") from error
            output.screenshot(path=str(SCREENSHOTS / f"{Path(notebook).stem}_widget{k + 1}.png"))
            assert not lab.widget_errors(), f"{notebook}: {lab.widget_errors()}"
    finally:
        lab.close()
