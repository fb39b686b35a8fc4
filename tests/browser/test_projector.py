"""A 1024 x 768 projector: `viz.presentation(True)` and JupyterLab's presentation mode, file
browser closed. Every picture is shown at no less than 90 % of the size it was drawn for, the
text in live figures is at least as large as the notebook's body text, and so are the controls.
Also: at device pixel ratio 2 every picture still has two image pixels per CSS pixel."""

from pathlib import Path

import pytest

from .conftest import NOTEBOOKS, SCREENSHOTS
from .jupyterlab import JS_BODY_FONT_PX, JS_PICTURES, LabPage

pytestmark = pytest.mark.browser

MIN_SHOWN = 0.9  # of the intended size


def presenting_copy(server, notebook):
    """A copy of the notebook whose first cells switch presentation on (as an instructor would)."""
    source = (server.notebooks / notebook).read_text()
    assert "viz.presentation(False)" in source, f"{notebook} has no viz.presentation(False) line to switch"
    name = f"presenting_{notebook}"
    (server.notebooks / name).write_text(source.replace("viz.presentation(False)", "viz.presentation(True)"))
    return name


@pytest.mark.parametrize("notebook", [n for n in NOTEBOOKS if not n.startswith("00_")])
def test_figures_keep_their_size_on_a_projector(browser, server, notebook):
    SCREENSHOTS.mkdir(exist_ok=True)
    lab = LabPage(browser, server, presenting_copy(server, notebook), viewport=(1024, 768), device_scale_factor=2)
    try:
        lab.page.evaluate("() => { window.jupyterapp.shell.collapseLeft(); "
                          "return window.jupyterapp.commands.execute('application:toggle-presentation-mode'); }")
        lab.page.wait_for_function("() => !!document.querySelector('.jp-mod-presentationMode')")
        errors = lab.run_all()
        assert not errors, f"{notebook}: cells failed:\n" + "\n".join(errors)
        body = lab.page.evaluate(JS_BODY_FONT_PX)
        pictures = lab.page.evaluate(JS_PICTURES)
        images = [p for p in pictures if p["kind"] == "img"]
        assert images, f"{notebook}: no pictures found"
        shrunk = [p for p in images if p["shown"] < MIN_SHOWN * p["natural"] / 2]
        assert not shrunk, f"{notebook}: pictures shown below {MIN_SHOWN:.0%} of their size: {shrunk}"
        small = [p for p in pictures if p["kind"] == "svg" and p["smallestText"] and p["smallestText"] < body]
        assert not small, f"{notebook}: live-figure text smaller than the {body} px body text: {small}"
        labels = lab.page.evaluate("() => [...document.querySelectorAll('.widget-slider .widget-label, "
                                   ".widget-dropdown .widget-label')]"
                                   ".map(l => parseFloat(getComputedStyle(l).fontSize))")
        assert all(size >= body for size in labels), f"{notebook}: control labels {labels} px, body {body} px"
        for k, output in enumerate(lab.widget_outputs()):
            output.scroll_into_view_if_needed()
            output.screenshot(path=str(SCREENSHOTS / f"projector_{Path(notebook).stem}_widget{k + 1}.png"))
    finally:
        lab.close()
