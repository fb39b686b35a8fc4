"""Your own points in notebook 07's playground (issue 23), in JupyterLab, Notebook 7 and Voila, in headless
Chromium at device pixel ratio 2, on a demo notebook this file writes (``playground(X, y)`` on 40 points):

* a mouse click on the class regions adds a point of the chosen class where it was clicked (the kernel's
  run has it, within a data pixel), and says so in the panel's live region;
* the keyboard alone does the same: the class is picked in the "add" dropdown (a new class: the network
  gets a third output), Tab reaches the picture, the arrows move the cross, Enter adds the point;
* undo takes the last point back, clear all of them: the run is the 40 points again;
* in JupyterLab, on a 1280 x 800 laptop with the file browser open, the panel with these controls fits
  the screen, and the outputs pass the accessibility audit (axe-core, WCAG 2.1 A and AA);
* at 1024 x 768 (a projector) the panel is screenshot too, to be looked at.

Every wait is on a condition in the page, never a fixed sleep. Screenshots: screenshots/playground_points_*.png.
"""

import json
import re

import pytest

from .accessibility import assert_clean, audit, record
from .conftest import SCREENSHOTS
from .test_frontends import demo_in
from .test_playground_network import JS_BOXES, JS_RECORD_SPEECH, scroll_to

pytestmark = pytest.mark.browser
DEMO = "points_demo.ipynb"
VIEWPORT = (1280, 800)

CELLS = [
    """import json
import numpy as np
from nnlite import viz
from nnlite.labs import playground as P

viz.presentation(False)""",
    '''rng = np.random.default_rng(0)
X = rng.normal(size=(40, 2))
y = (X[:, 0] * X[:, 1] > 0).astype(int)
panel = P.playground(X, y, settings={"epochs": 20})
pg, regions = panel.playground, panel.playground.regions
panel.widget.add_class("probe-panel")

def fraction(x1, x2):  # a point of the plane as fractions of the regions' picture from its top left
    px, py = regions.ax.transData.transform((x1, x2))
    return [px / regions.live.fig.bbox.width, 1 - py / regions.live.fig.bbox.height]

extent = regions.extent
pixel = max(extent[1] - extent[0], extent[3] - extent[2]) / 60  # a data pixel of the 60 x 60 picture
print("TARGETS " + json.dumps({"click": fraction(0.5, -0.5), "pixel": pixel}))
panel''',
    '''print("RUN", json.dumps({"n": len(pg.trainer.X), "classes": pg.settings.classes, "sizes": pg.trainer.model.sizes,
                          "last": pg.trainer.X[-1].tolist(), "label": int(pg.trainer.y[-1])}))''',
]


def picture(page):
    """The class regions' picture: the pointer's layer lies exactly over it (nnlite.pointer)."""
    return page.query_selector(".probe-panel .nnlite-pointer")


def said(page, start, message):
    try:
        page.wait_for_function("(t) => window.__said.some(s => s.startsWith(t))", arg=start, timeout=60_000,
                               polling=50)
    except Exception as error:
        raise AssertionError(f"{message}; said: {page.evaluate('() => window.__said')}") from error


def kernel_run(lab, before=None):
    """The kernel's run now, printed by the demo's last cell, run again (its output replaces the one before,
    which said `before`): {n, classes, sizes, last, label}."""
    errors = lab.run_cells([2])
    assert not errors, errors
    lab.page.wait_for_function("(before) => { const m = document.body.innerText.match(/RUN (\\{.*\\})/); "
                               "return !!m && m[1] !== before; }", arg=before, timeout=60_000, polling=100)
    return json.loads(re.search(r"RUN (\{.*\})", lab.page.inner_text("body")).group(1))


@pytest.mark.parametrize("kind", ["lab", "notebook", "voila"])
def test_clicks_and_keys_add_points_of_a_chosen_class_and_undo_and_clear_take_them_back(browser, tmp_path, kind):
    SCREENSHOTS.mkdir(exist_ok=True)
    report = {}
    with demo_in(kind, browser, tmp_path, DEMO, CELLS, VIEWPORT, run=[0, 1]) as (page, lab):
        page.wait_for_function("""() => !!document.body && document.body.innerText.includes('TARGETS') &&
            !!document.querySelector('.probe-panel .nnlite-pointer') &&
            [...document.querySelectorAll('.probe-panel .nnlite-figure img')]
              .every(i => i.complete && i.naturalWidth)""",
                               timeout=180_000, polling=200)
        targets = json.loads(re.search(r"TARGETS (\{.*\})", page.inner_text("body")).group(1))
        panel = page.query_selector(".probe-panel")
        scroll_to(page, panel) if lab else panel.scroll_into_view_if_needed()
        page.evaluate(JS_RECORD_SPEECH)
        if kind == "lab":
            boxes = panel.evaluate(JS_BOXES)
            off = [b for b in boxes["controls"] + boxes["views"] if b["bottom"] > boxes["visible"]["bottom"] + 0.5
                   or b["right"] > boxes["visible"]["right"] + 0.5]
            page.screenshot(path=str(SCREENSHOTS / "playground_points_1280x800.png"))
            assert not off, f"the panel with your points does not fit {VIEWPORT}: {off}"

        box = picture(page).bounding_box()  # a mouse click at (0.5, -0.5) of the plane
        page.mouse.click(box["x"] + targets["click"][0] * box["width"], box["y"] + targets["click"][1] * box["height"])
        said(page, "Added a point of class 0 at x1 = ", f"{kind}: a click on the regions added no point")
        assert any(s.endswith("41 points now.") for s in page.evaluate("() => window.__said"))
        if lab:
            run = kernel_run(lab)
            assert run["n"] == 41 and run["label"] == 0 and run["sizes"] == [2, 16, 16, 2], run
            assert max(abs(run["last"][0] - 0.5), abs(run["last"][1] + 0.5)) < targets["pixel"], run

        add = ".probe-panel .widget-dropdown:has(label:text-is('add')) select"  # a new class, from the keyboard
        page.focus(add)
        for k in (1, 2):  # class 0 -> class 1 -> "new class 2" (a closed select moves with the arrows)
            page.keyboard.press("ArrowDown")
            said(page, f"A click now adds a point of class {k}.", f"{kind}: the arrow keys did not pick class {k}")
        page.focus(".probe-panel .nnlite-pointer")
        page.keyboard.press("Home")
        for key in ("ArrowRight", "ArrowRight", "ArrowUp"):
            page.keyboard.press(key)
        page.keyboard.press("Enter")
        said(page, "Added a point of class 2", f"{kind}: Enter on the regions added no point")
        picture(page).screenshot(path=str(SCREENSHOTS / f"playground_points_{kind}_added.png"))
        if lab:
            run = kernel_run(lab, json.dumps(run))
            assert run["n"] == 42 and run["classes"] == 3 and run["sizes"] == [2, 16, 16, 3], run

        panel.query_selector("button:has-text('undo')").click()
        said(page, "Took the last added point back.", f"{kind}: undo said nothing")
        panel.query_selector("button:has-text('clear')").click()
        said(page, "Took every added point back.", f"{kind}: clear said nothing")
        if lab:
            run = kernel_run(lab, json.dumps(run))
            assert run["n"] == 40 and run["classes"] == 2, run
            result = audit(page)
            record(SCREENSHOTS / "accessibility.json", f"your points in the playground ({kind})", result)
            assert_clean(f"the playground with your points ({kind})", result)
        if kind == "lab":
            page.evaluate("() => window.jupyterapp.shell.collapseLeft()")  # a projector: the whole width
            page.set_viewport_size({"width": 1024, "height": 768})
            scroll_to(page, panel)
            page.screenshot(path=str(SCREENSHOTS / "playground_points_1024x768.png"))
        report["said"] = page.evaluate("() => window.__said")
    (SCREENSHOTS / f"playground_points_{kind}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
