"""Notebook 07's playground with its network view picked (issue 23), in JupyterLab, in headless Chromium at
device pixel ratio 2, on a 1280 x 800 laptop screen with the file browser open, on a demo notebook this
file writes (the panel as 07 and apps/playground.ipynb make it, with the view control set to "network"):

* the panel fits the screen with its controls and every view (the diagram, the output picture, loss,
  the two layer views), and the diagram's words are on the SVG over it;
* hovering a unit shows and says its formula z = w·x + b with the numbers the kernel has, and the large
  picture turns to that unit's picture; hovering a weight shows and says its value;
* clicking a weight opens a text field (focused): typing 1.5 and Enter sets that weight in the kernel's
  model (a cell run afterwards prints it) and says so; the pictures and words of those moves came through
  the courier (`nnlite.courier`: its front end told the kernel it listens, and it carried messages);
* the outputs pass the accessibility audit (axe-core, WCAG 2.1 A and AA, no serious or critical violation);
* Play at default settings draws pictures of every view: counted per view from the page's own changes,
  with the median interval between two, written to screenshots/playground_network.json (not asserted:
  no wall-clock asserts);
* at 1024 x 768 (a projector) the panel is screenshot too, to be looked at.

Screenshots of each step land in screenshots/playground_network_*.png. Every wait is on a condition in the
page, never a fixed sleep.
"""

import json
import re
import statistics

import pytest

from nnlite.figure_text import number

from .accessibility import assert_clean, audit, record
from .conftest import ROOT, SCREENSHOTS
from .jupyterlab import LabPage, LabServer, write_notebook
from .test_pointer import wait_text

pytestmark = pytest.mark.browser
DEMO = "network_demo.ipynb"
VIEWPORT = (1280, 800)
VIEWS = ["diagram", "output picture", "loss", "gradient per layer", "units off"]

CELLS = [
    """import json
from nnlite import viz
from nnlite.labs import playground as P

viz.presentation(False)""",
    '''panel = P.playground()
panel.view.value = "network"  # what the student picks with the panel's "view" control
pg, view = panel.playground, panel.playground.main.network
panel.widget.add_class("probe-panel")
view.widget.add_class("probe-view")

def fraction(xy):  # a point of the diagram (points from the bottom left) as fractions of it from the top left
    return [xy[0] / view.diagram.width, 1 - xy[1] / view.diagram.height]

p, W = view.diagram.layout.positions, [layer.W for layer in pg.trainer.model.layers]
print("TARGETS " + json.dumps({"unit": fraction(p[1][2]), "weight": fraction(0.8 * p[0][0] + 0.2 * p[1][3]),
                               "W1": W[0].tolist(), "b1": pg.trainer.model.layers[0].b.tolist()}))
panel''',
    '''from nnlite.courier import courier

print("MODEL", "W =", float(pg.trainer.model.layers[0].W[0, 3]))  # the weight from x₁ to unit 4 of layer 1
print("COURIER", courier().ready, courier().messages > 0)  # a move's changes went in one message''',
]

JS_RECORD_SPEECH = """() => { window.__said = [];
  const watch = (region) => new MutationObserver(() => window.__said.push(region.textContent.trim()))
    .observe(region, {childList: true, characterData: true, subtree: true});
  document.querySelectorAll('[role=status][aria-live=polite]').forEach(watch); }"""
# Counts every new picture of each view of the panel (each LiveFigure's first SVG layer is replaced).
JS_COUNT_PICTURES = """(panel) => { window.__pictures = {};
  (window.__observers || []).forEach(o => o.disconnect());  // those of a count before: views may have moved
  window.__observers = [...panel.querySelectorAll('.nnlite-playground-view')].map((view, i) => {
    const layer = view.querySelectorAll('.widget-html')[0], observer = new MutationObserver(
      () => window.__pictures[i].push(performance.now()));
    window.__pictures[i] = [];
    observer.observe(layer, {childList: true, subtree: true, characterData: true});
    return observer; }); }"""
JS_BOXES = """(panel) => {
  const box = e => { const r = e.getBoundingClientRect();
                     return {name: (e.innerText || e.className).split('\\n')[0].slice(0, 40),
                             left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const area = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook').getBoundingClientRect();
  return {controls: [...panel.querySelectorAll('.widget-slider, .widget-dropdown, button')].map(box),
          views: [...panel.querySelectorAll('.nnlite-playground-view, .probe-view .widget-hbox')].map(box),
          panel: box(panel),
          visible: {left: Math.max(area.left, 0), top: Math.max(area.top, 0),
                    right: Math.min(area.right, innerWidth), bottom: Math.min(area.bottom, innerHeight)}};
}"""


def write_demo(folder):
    return write_notebook(folder, DEMO, CELLS)


def signed(value, first):
    text = number(abs(value))
    return (f"−{text}" if value < 0 else text) if first else (f" − {text}" if value < 0 else f" + {text}")


def at(page, fractions):
    """Page coordinates of a point given as fractions of the diagram's picture from its top left."""
    box = page.query_selector(".probe-view .nnlite-figure img").bounding_box()
    return box["x"] + fractions[0] * box["width"], box["y"] + fractions[1] * box["height"]


def readout(page):
    return page.evaluate("() => document.querySelector('.probe-view .widget-hbox .widget-html').textContent")


def hover_click_and_edit(lab, targets, report):
    page = lab.page
    view = page.query_selector(".probe-view")
    W, b = targets["W1"], targets["b1"]
    formula = (f"Unit 3 of layer 1: z = {signed(W[0][2], True)}·x₁{signed(W[1][2], False)}·x₂"
               f"{signed(b[2], False)}; it outputs relu(z)")
    page.mouse.move(*at(page, targets["unit"]))
    hbox = ".probe-view .widget-hbox .widget-html"
    wait_text(page, hbox, f"t.startsWith({json.dumps(formula)})", "hovering a unit did not show its formula")
    page.wait_for_function("(t) => window.__said.some(s => s.startsWith(t))", arg=formula, timeout=20_000)
    wait_text(page, ".probe-view", "t.includes('unit 3 of layer 1')", "the large picture did not turn to the unit")
    view.screenshot(path=str(SCREENSHOTS / "playground_network_hover_unit.png"))
    report["hover_unit"] = readout(page)

    value = f"The weight from x₁ to unit 4 of layer 1: w = {signed(W[0][3], True)}."
    page.mouse.move(*at(page, targets["weight"]))
    wait_text(page, hbox, f"t === {json.dumps(value)}", "hovering a weight did not show its value")
    page.wait_for_function("(t) => window.__said.includes(t)", arg=value, timeout=20_000)
    view.screenshot(path=str(SCREENSHOTS / "playground_network_hover_weight.png"))

    page.mouse.click(*at(page, targets["weight"]))
    field = ".probe-view .widget-hbox input"
    try:
        page.wait_for_function("(sel) => { const e = document.querySelector(sel); return !!e && e.offsetWidth > 0 && "
                               "document.activeElement === e; }", arg=field, timeout=20_000)  # shown, and focused
    except Exception as error:
        state = page.evaluate("(sel) => { const e = document.querySelector(sel); const a = document.activeElement; "
                              "return {shown: !!e && e.offsetWidth, active: a.tagName + '.' + a.className}; }", field)
        raise AssertionError(f"the text field was not shown and focused after a click on a weight: {state}") \
            from error
    page.wait_for_function("(t) => window.__said.some(s => s.startsWith('Selected: ' + t) && "
                           "s.endsWith('Type its new value and press Enter.'))", arg=value, timeout=20_000)
    page.keyboard.press("Control+A")
    page.keyboard.type("1.5")
    page.keyboard.press("Enter")
    edited = "The weight from x₁ to unit 4 of layer 1: w = 1.5."  # read from the kernel's model
    wait_text(page, hbox, f"t === {json.dumps(edited)}", "the typed weight did not reach the model")
    said = f"The weight from x₁ to unit 4 of layer 1 is now 1.5 (it was {signed(W[0][3], True)})."
    page.wait_for_function("(t) => window.__said.includes(t)", arg=said, timeout=20_000)
    view.screenshot(path=str(SCREENSHOTS / "playground_network_edited.png"))
    errors = lab.run_cells([2])  # the model itself, asked by a cell
    assert not errors, errors
    page.wait_for_function("() => document.body.innerText.includes('MODEL W = ')", timeout=60_000)
    model = re.search(r"MODEL W = (\S+)", page.inner_text("body")).group(1)
    assert model == "1.5", f"the kernel's model holds {model} after typing 1.5"
    assert "COURIER True True" in page.inner_text("body"), "no move went through the courier"
    report["said"] = page.evaluate("() => window.__said")


def scroll_to(page, panel):
    panel.evaluate("p => p.scrollIntoView({block: 'start'})")
    page.wait_for_function("(p) => Math.abs(p.getBoundingClientRect().top - document.querySelector("
                           "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook').getBoundingClientRect().top) < 40",
                           arg=panel, timeout=10_000, polling=100)


def pictures_drawn(page):
    """Wait until every picture of the panel is loaded and decoded (img.decode() resolves once it can be painted)."""
    page.evaluate("() => Promise.all([...document.querySelectorAll('.probe-panel img')]"
                  ".map(i => i.decode().catch(() => null)))")  # a picture without a source has nothing to wait for


def panel_fits(page, report):
    """The boxes of the panel's controls and views that are not on screen (scrolled to the panel's top)."""
    panel = page.query_selector(".probe-panel")
    scroll_to(page, panel)
    boxes = panel.evaluate(JS_BOXES)
    page.screenshot(path=str(SCREENSHOTS / "playground_network_1280x800.png"))
    off_screen = [b for b in boxes["controls"] + boxes["views"]
                  if b["bottom"] > boxes["visible"]["bottom"] + 0.5 or b["right"] > boxes["visible"]["right"] + 0.5]
    report["layout"] = {"visible": boxes["visible"], "panel": boxes["panel"], "off_screen": off_screen,
                        "views": boxes["views"]}
    assert len(boxes["views"]) == len(VIEWS) + 1, boxes["views"]  # and the readout line
    return off_screen


def play(page, views):
    """Play to the end; {view: {pictures, per_second, median_interval_ms}} counted in the page, and the seconds."""
    panel = page.query_selector(".probe-panel")
    scroll_to(page, panel)
    panel.evaluate(JS_COUNT_PICTURES)
    start = page.evaluate("() => performance.now()")
    panel.query_selector("button:has-text('Play')").click()
    page.wait_for_function("(p) => p.innerText.includes('training…')", arg=panel, timeout=60_000, polling=20)
    page.wait_for_function("(p) => p.innerText.includes('done') && !p.innerText.includes('training…')", arg=panel,
                           timeout=600_000, polling=100)
    seconds = (page.evaluate("() => performance.now()") - start) / 1000
    pictures, counted = page.evaluate("() => window.__pictures"), {}
    for i, name in enumerate(views):
        times = pictures[str(i)]
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        counted[name] = {"pictures": len(times), "per_second": round(len(times) / seconds, 1),
                         "median_interval_ms": round(statistics.median(gaps), 1) if gaps else None}
    return counted, round(seconds, 2)


def plays(page, report):
    """Play with the network view, then (the baseline, in the same page) with the class regions."""
    report["play"], report["play_seconds"] = play(page, VIEWS)
    page.screenshot(path=str(SCREENSHOTS / "playground_network_played_1280x800.png"))
    assert all(report["play"][name]["pictures"] > 1 for name in VIEWS[:3]), report["play"]
    page.select_option(".probe-panel .widget-dropdown:has(label:text-is('view')) select", label="class regions")
    page.wait_for_function("() => document.querySelectorAll('.probe-panel .nnlite-playground-view').length === 4",
                           timeout=30_000, polling=100)
    report["baseline"], report["baseline_seconds"] = play(page, ["class regions", *VIEWS[2:]])
    report["ratio"] = round(report["play"]["diagram"]["per_second"] / report["baseline"]["class regions"]["per_second"],
                            2)


def test_the_network_view_in_the_panel_fits_answers_hovers_and_a_typed_weight_reaches_the_model(browser, tmp_path):
    SCREENSHOTS.mkdir(exist_ok=True)
    report = {}
    with LabServer(ROOT / "notebooks", extra_files=[write_demo(tmp_path)]) as server:
        lab = LabPage(browser, server, DEMO, viewport=VIEWPORT, device_scale_factor=2, offline=True)
        try:
            lab.page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")  # browser open
            errors = lab.run_cells([0, 1])
            assert not errors, "the demo's cells failed:\n" + "\n".join(errors)
            page = lab.page
            page.wait_for_function("""() => document.body.innerText.includes('TARGETS') &&
                document.querySelectorAll('.probe-panel .nnlite-playground-view').length === 5 &&
                [...document.querySelectorAll('.nnlite-figure img')].every(i => i.complete && i.naturalWidth > 0)""",
                                   timeout=180_000, polling=200)
            assert not lab.widget_errors(), lab.widget_errors()
            assert not page.evaluate("() => window.jupyterapp.shell.leftCollapsed"), "the file browser is open"
            targets = json.loads(re.search(r"TARGETS (\{.*\})", page.inner_text("body")).group(1))
            words = page.evaluate("() => document.querySelector('.probe-view svg[role=img]')"
                                  ".getAttribute('aria-label')")
            assert words.startswith("Network diagram: 2 inputs (x₁, x₂), hidden layers of 16, 16 relu units"), words
            off_screen = panel_fits(page, report)
            page.evaluate(JS_RECORD_SPEECH)
            hover_click_and_edit(lab, targets, report)
            result = audit(page)
            record(SCREENSHOTS / "accessibility.json", "network view in the playground", result)
            assert_clean("the playground with the network view", result)
            plays(page, report)
            page.evaluate("() => window.jupyterapp.shell.collapseLeft()")  # a projector: the whole width
            page.set_viewport_size({"width": 1024, "height": 768})
            scroll_to(page, page.query_selector(".probe-panel"))
            pictures_drawn(page)  # after a resize Chromium decodes every picture again: shoot what a student sees
            page.screenshot(path=str(SCREENSHOTS / "playground_network_1024x768.png"))
            assert not lab.widget_errors(), lab.widget_errors()
            assert not lab.outside, f"requests left the machine: {lab.outside}"
        finally:
            lab.close()
    (SCREENSHOTS / "playground_network.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(json.dumps({k: v for k, v in report.items() if k != "said"}, indent=1, ensure_ascii=False))
    assert not off_screen, f"the panel with the network view does not fit {VIEWPORT}: {off_screen}"
