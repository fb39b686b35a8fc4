"""Every notebook in a real JupyterLab (headless Chromium, driven by Playwright), at device
pixel ratio 2 (a HiDPI laptop), in two passes over the same page and kernel:

1. Laptop (1400 x 1000 CSS pixels): run all cells, no error outputs, no "Error displaying
   widget"; every picture sharp (at least two image pixels per CSS pixel it is shown in);
   then every slider and dropdown is moved and must change its figure or text.
2. Projector (1024 x 768): `viz.presentation(True)` in the notebook's first cell and
   JupyterLab's presentation mode, file browser closed, all cells run again. Every picture is
   shown at no less than 90 % of the size it was drawn for, still at two image pixels per CSS
   pixel; the text in live figures is at least as large as the notebook's body text, and so
   are the controls' labels.

On each screen, right after the cells ran, the outputs are audited for accessibility (WCAG 2.1 A and
AA: tests/browser/accessibility.py), and the numbers written to screenshots/accessibility.json, so a run
shows where each notebook stands even when a check fails. The audit rides on these two runs rather
than two runs of its own: every notebook run in the browser costs CI time, and the pages are the same.

One page for both passes: the second run reuses what the kernel keeps (06's trained runs are
cached), which halves the time of a separate projector page. And one page for all the notebooks,
each opened in turn with a kernel of its own (`LabPage.open`): a fresh page cost 9-10 s a notebook.
Screenshots land in screenshots/.
"""

from pathlib import Path

import pytest

from .accessibility import assert_clean, audit, record
from .conftest import NOTEBOOKS, SCREENSHOTS
from .jupyterlab import JS_BODY_FONT_PX, JS_PICTURES

pytestmark = pytest.mark.browser

LAPTOP, PROJECTOR = (1400, 1000), (1024, 768)
MIN_SHOWN = 0.9  # of the intended size, on the projector
AUDITS = SCREENSHOTS / "accessibility.json"  # every page's numbers, for the record
# The notebook's `viz.presentation(False)` line switched on, as an instructor would before presenting.
JS_PRESENT = """() => { const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
  for (let i = 0; i < cells.length; i++) { const c = cells.get(i), text = c.sharedModel.getSource();
    if (text.includes('viz.presentation(False)')) {
      c.sharedModel.setSource(text.replace('viz.presentation(False)', 'viz.presentation(True)')); return true; } }
  return false; }"""


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ has no NN_name.ipynb files"


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_on_a_laptop_then_on_a_projector(lab, notebook):
    SCREENSHOTS.mkdir(exist_ok=True)
    lab.open(notebook)
    on_a_laptop(lab)  # whatever the notebook before left behind
    audits = {"laptop": every_control_changes_its_output(lab, notebook)}
    if not notebook.startswith("00_"):  # 00 has no figure to present
        audits["projector"] = figures_keep_their_size_on_a_projector(lab, notebook)
    for screen, result in audits.items():
        assert_clean(f"{notebook} on a {screen}", result)


def audited(lab, notebook, screen):
    """The accessibility audit of the page's outputs as they are now, recorded under the notebook and screen."""
    result = audit(lab.page)
    record(AUDITS, f"{notebook} {screen}", result)
    return result


def on_a_laptop(lab):
    """JupyterLab as it opens on a laptop: 1400 x 1000, file browser open, no presentation mode."""
    lab.page.set_viewport_size({"width": LAPTOP[0], "height": LAPTOP[1]})
    lab.page.evaluate("""async () => { const app = window.jupyterapp; app.shell.expandLeft();
        if (document.querySelector('.jp-mod-presentationMode'))
            await app.commands.execute('application:toggle-presentation-mode'); }""")
    lab.page.wait_for_function("() => !document.querySelector('.jp-mod-presentationMode')")


def pictures_are_sharp(lab, notebook):
    blurry = [p for p in lab.page.evaluate(JS_PICTURES) if p["kind"] == "img" and p["natural"] < 2 * p["shown"] - 1]
    assert not blurry, f"{notebook}: pictures with fewer than 2 image pixels per CSS pixel: {blurry}"


def every_control_changes_its_output(lab, notebook):
    """Run every cell, check the pictures, move every control; return the audit of the page as it ran."""
    errors = lab.run_all()
    lab.page.screenshot(path=str(SCREENSHOTS / f"{Path(notebook).stem}_top.png"))
    assert not errors, f"{notebook}: cells failed:\n" + "\n".join(errors)
    assert not lab.widget_errors(), f"{notebook}: {lab.widget_errors()}"
    result = audited(lab, notebook, "laptop")
    pictures_are_sharp(lab, notebook)
    for k, output in enumerate(lab.widget_outputs()):
        output.scroll_into_view_if_needed()
        for control in lab.controls(output):
            if lab.disabled(control) or not control.is_visible():  # greyed out or hidden by an earlier move
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
    return result


def on_a_projector(lab, notebook):
    """JupyterLab on a 1024 x 768 projector: presentation mode, file browser closed, and the notebook's
    `viz.presentation(False)` switched on (its cells still to be run)."""
    lab.page.set_viewport_size({"width": PROJECTOR[0], "height": PROJECTOR[1]})
    assert lab.page.evaluate(JS_PRESENT), f"{notebook} has no viz.presentation(False) line to switch"
    lab.page.evaluate("() => { window.jupyterapp.shell.collapseLeft(); "
                      "return window.jupyterapp.commands.execute('application:toggle-presentation-mode'); }")
    lab.page.wait_for_function("() => !!document.querySelector('.jp-mod-presentationMode')")


# In the playground's panel: a button's, checkbox's or label's words cut off (an ellipsis: wider than their box),
# and a row's name running into the control beside it (both were seen on the projector's screenshot).
JS_WORDS_CUT = """() => {
  const cut = [];
  for (const panel of document.querySelectorAll('.nnlite-playground')) {
    for (const e of panel.querySelectorAll('button, .widget-checkbox label, .widget-hbox > .widget-html')) {
      if (e.getClientRects().length && e.scrollWidth > e.clientWidth + 1) cut.push(e.innerText.trim().slice(0, 30));
    }
    for (const name of panel.querySelectorAll('.widget-hbox > .widget-html:first-child b')) {
      const next = name.closest('.widget-html').nextElementSibling;
      if (!next || !next.getClientRects().length) continue;
      const a = name.getBoundingClientRect(), b = next.getBoundingClientRect();
      if (a.right > b.left + 1 && a.top < b.bottom && b.top < a.bottom) cut.push('runs into: ' + name.innerText);
    }
  }
  return cut;
}"""


def figures_keep_their_size_on_a_projector(lab, notebook):
    """Run every cell on the projector, check the sizes of pictures and text; return the page's audit."""
    on_a_projector(lab, notebook)
    errors = lab.run_all()
    assert not errors, f"{notebook} on a projector: cells failed:\n" + "\n".join(errors)
    result = audited(lab, notebook, "projector")
    pictures_are_sharp(lab, notebook)
    body = lab.page.evaluate(JS_BODY_FONT_PX)
    pictures = lab.page.evaluate(JS_PICTURES)
    images = [p for p in pictures if p["kind"] == "img"]
    assert images, f"{notebook}: no pictures found"
    shrunk = [p for p in images if p["shown"] < MIN_SHOWN * p["natural"] / 2]
    assert not shrunk, f"{notebook}: pictures shown below {MIN_SHOWN:.0%} of their size on a projector: {shrunk}"
    small = [p for p in pictures if p["kind"] == "svg" and p["smallestText"] and p["smallestText"] < body]
    assert not small, f"{notebook}: live-figure text smaller than the {body} px body text: {small}"
    labels = lab.page.evaluate("() => [...document.querySelectorAll('.widget-slider .widget-label, "
                               ".widget-dropdown .widget-label')].map(l => parseFloat(getComputedStyle(l).fontSize))")
    assert all(size >= body for size in labels), f"{notebook}: control labels {labels} px, body {body} px"
    cut = lab.page.evaluate(JS_WORDS_CUT)
    assert not cut, f"{notebook} on a projector: words cut off or running into the next control: {cut}"
    for k, output in enumerate(lab.widget_outputs()):
        # the screen as the room sees it: a panel can be taller than the screen (an element shot shows grey)
        output.evaluate("o => o.scrollIntoView({block: 'start'})")
        lab.page.screenshot(path=str(SCREENSHOTS / f"projector_{Path(notebook).stem}_widget{k + 1}.png"))
    return result
