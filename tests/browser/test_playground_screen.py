"""Notebook 07's playground on a 1280 x 800 laptop with JupyterLab's file browser open, at device
pixel ratio 2: the controls and all four views are on screen together, and Play lasts long enough
to watch (several seconds, at least 20 pictures). A screenshot lands in screenshots/."""

import pytest

from .conftest import ROOT
from .jupyterlab import LabPage, imports_and_cell

pytestmark = pytest.mark.browser

NOTEBOOK = "07_playground.ipynb"
VIEWPORT = (1280, 800)
PANEL_CELLS = imports_and_cell(ROOT / "notebooks" / NOTEBOOK, "playground.playground(")
SCREENSHOT = ROOT / "screenshots" / "07_playground_1280x800.png"

# Bounding boxes of what must be visible together, and of the part of the notebook the page shows.
JS_BOXES = """(panel) => {
  const box = e => { const r = e.getBoundingClientRect();
                     return {name: (e.innerText || e.className).split('\\n')[0].slice(0, 40),
                             left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const shown = e => e.getClientRects().length > 0;  // not a control hidden for now (display: none)
  const controls = [...panel.querySelectorAll('.widget-slider, .widget-dropdown, button')].filter(shown).map(box);
  const views = [...panel.querySelectorAll('.nnlite-playground-view')].map(box);
  const area = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook').getBoundingClientRect();
  return {controls, views, panel: box(panel),
          visible: {left: Math.max(area.left, 0), top: Math.max(area.top, 0),
                    right: Math.min(area.right, innerWidth), bottom: Math.min(area.bottom, innerHeight)},
          fileBrowserOpen: !window.jupyterapp.shell.leftCollapsed &&
                           !!document.querySelector('.jp-FileBrowser:not(.lm-mod-hidden)')};
}"""
# Counts every new picture of the class-regions view (its SVG overlay is replaced on each redraw).
JS_COUNT_PICTURES = """(view) => {
  window.__pictures = 0;
  new MutationObserver(() => { window.__pictures++; }).observe(view, {childList: true, subtree: true,
                                                                     characterData: true});
}"""


def outside(box, area):
    return (box["left"] < area["left"] - 0.5 or box["top"] < area["top"] - 0.5 or box["right"] > area["right"] + 0.5
            or box["bottom"] > area["bottom"] + 0.5)


def test_playground_fits_a_laptop_screen_and_play_is_watchable(browser, server):
    lab = LabPage(browser, server, NOTEBOOK, viewport=VIEWPORT, device_scale_factor=2)
    try:
        if lab.page.evaluate("() => window.jupyterapp.shell.leftCollapsed"):
            lab.page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
        errors = lab.run_cells(PANEL_CELLS)  # the rest of 07 runs in test_notebooks_in_lab
        assert not errors, "cells failed:\n" + "\n".join(errors)
        assert not lab.widget_errors(), lab.widget_errors()
        panel = lab.page.wait_for_selector(".nnlite-playground", timeout=30_000)
        lab.page.wait_for_function("(p) => p.querySelectorAll('.nnlite-playground-view img').length === 4 && "
                                   "[...p.querySelectorAll('.nnlite-playground-view img')].every(i => i.complete "
                                   "&& i.naturalWidth > 0)", arg=panel, timeout=30_000, polling=100)
        panel.evaluate("p => p.scrollIntoView({block: 'start'})")
        lab.page.wait_for_function("(p) => Math.abs(p.getBoundingClientRect().top - document.querySelector("
                                   "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook').getBoundingClientRect()"
                                   ".top) < 40", arg=panel, timeout=10_000, polling=100)
        boxes = panel.evaluate(JS_BOXES)
        SCREENSHOT.parent.mkdir(exist_ok=True)
        lab.page.screenshot(path=str(SCREENSHOT))
        assert boxes["fileBrowserOpen"], "the file browser should be open, as on a student's laptop"
        assert len(boxes["views"]) == 4 and len(boxes["controls"]) >= 14, boxes
        off_screen = [b for b in boxes["controls"] + boxes["views"] if outside(b, boxes["visible"])]
        assert not off_screen, f"not on screen with the rest (visible area {boxes['visible']}): {off_screen}"
        print(f"\nplayground panel box at {VIEWPORT[0]}x{VIEWPORT[1]}: {boxes['panel']}; "
              f"visible notebook area {boxes['visible']}")

        # the run as code: one line that scrolls sideways; a click selects all of it, to copy
        code = panel.query_selector("span[style*='user-select']")
        code.click()
        selected = lab.page.evaluate("() => window.getSelection().toString()")
        assert selected.startswith("X, y = nl.datasets.make(") and selected.endswith('on_diverge="stop")'), selected
        assert not outside(code.evaluate("c => c.parentElement.getBoundingClientRect().toJSON()"), boxes["visible"])

        regions = panel.query_selector(".nnlite-playground-view")
        regions.evaluate(JS_COUNT_PICTURES)
        play = panel.query_selector("button:has-text('Play')")
        start = lab.page.evaluate("() => performance.now()")
        play.click()
        lab.page.wait_for_function("(p) => p.innerText.includes('done') && !p.innerText.includes('training…')",
                                   arg=panel, timeout=600_000, polling=50)  # a loaded CI machine is slow
        seconds = (lab.page.evaluate("() => performance.now()") - start) / 1000
        pictures = lab.page.evaluate("() => window.__pictures")
        print(f"Play (200 epochs, default speed): {seconds:.1f} s, {pictures} pictures of the class regions")
        assert seconds > 3 and pictures >= 20, f"Play lasted {seconds:.1f} s with {pictures} pictures"
        assert not lab.widget_errors(), lab.widget_errors()
    finally:
        lab.close()
