"""Audit what the course renders for accessibility, in the browser: shared by the browser tests.

Three numbers per page, counted in the cells' outputs only (JupyterLab's own chrome, its menus and
toolbars, is JupyterLab's to fix, not ours):

* ``violations``: elements that axe-core (Deque's rule engine, the one browsers' own audits use;
  its script comes from the PyPI package ``axe-playwright-python``, so it runs offline) finds in
  serious or critical breach of a WCAG 2.0 / 2.1 level A or AA rule, by rule;
* ``figures_without_text``: pictures (an inline figure, a live figure) that a screen reader cannot
  put into words: an ``<img>`` without alt text and without a labelled ``role="img"`` beside it in
  its live figure;
* ``unnamed_controls``: sliders, dropdowns, buttons, toggles and text fields without an accessible
  name (axe-core's own computation of the name that a screen reader announces).

`keyboard_walk` moves a panel's controls with the keyboard alone (Tab, arrow keys, Enter) and checks
that the figure and its text alternative change with them.
"""

import json
from pathlib import Path

WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = ("serious", "critical")
OUTPUTS = ".jp-OutputArea-output"
CONTROLS = ("input:not([type=hidden]), select, textarea, button, [contenteditable=true], [role=slider], [role=button], "
            "[role=checkbox], [role=switch], [role=combobox], [role=spinbutton], [role=textbox], [role=listbox]")


def axe_script():
    """axe-core's script, as the PyPI package axe-playwright-python ships it (no network needed)."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


# Runs axe-core on the outputs, then counts pictures without words and controls without names.
JS_AUDIT = """async ([outputs, controls, tags]) => {
  const areas = [...document.querySelectorAll(outputs)];
  const visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length)
                       && getComputedStyle(e).visibility !== 'hidden';
  const result = {violations: {}, figures: 0, figures_without_text: [], controls: 0, unnamed_controls: []};
  if (!areas.length) return result;
  const report = await axe.run({include: areas}, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  result.where = {};  // the first elements of each rule, as axe-core names them
  for (const v of report.violations) {
    if (v.impact !== 'serious' && v.impact !== 'critical') continue;
    result.violations[v.id] = (result.violations[v.id] || 0) + v.nodes.length;
    result.where[v.id] = v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary.slice(0, 160));
  }
  axe.setup(document);
  try {
    const name = e => axe.commons.text.accessibleTextVirtual(axe.utils.getNodeFromTree(e)).trim();
    const where = e => { const cell = e.closest('.jp-Cell');
      const cells = [...document.querySelectorAll('.jp-Cell')];
      return cell ? `cell ${cells.indexOf(cell)}` : 'page'; };
    for (const area of areas) {
      for (const img of area.querySelectorAll('img')) {
        if (!visible(img) || img.closest(controls)) continue;
        result.figures++;
        const alt = img.getAttribute('alt');
        let words = alt === null ? '' : name(img);
        if (!words && alt !== null) {  // decorative: the words must be on a labelled picture beside it
          const live = img.parentElement && img.parentElement.parentElement;
          const labelled = live ? [...live.querySelectorAll('[role=img]')].map(name).filter(t => t) : [];
          words = labelled.join(' ');
        }
        if (!words) result.figures_without_text.push(`${where(img)}: <img> ${img.naturalWidth}x${img.naturalHeight}`);
      }
      for (const control of area.querySelectorAll(controls)) {
        if (!visible(control) || control.closest('[aria-hidden=true]')) continue;
        result.controls++;
        if (!name(control)) {
          const kind = control.getAttribute('role') || control.tagName.toLowerCase();
          const near = (control.closest('.widget-inline-hbox, .widget-button, .widget-toggle-button') || control)
                         .innerText.trim().slice(0, 40);
          result.unnamed_controls.push(`${where(control)}: ${kind} '${near}'`);
        }
      }
    }
  } finally { axe.teardown(); }
  return result;
}"""


def audit(page):
    """The three numbers (and what lies behind them) for everything in `page`'s cell outputs."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_script())
    return page.evaluate(JS_AUDIT, [OUTPUTS, CONTROLS, WCAG_A_AA])


def record(path, page_name, result):
    """Add one page's audit to the JSON file at `path` (a run over every page fills it)."""
    path.parent.mkdir(exist_ok=True)
    results = json.loads(path.read_text()) if path.exists() else {}
    results[page_name] = {"summary": summary(result), **result}
    path.write_text(json.dumps(results, indent=1, sort_keys=True))


def assert_clean(name, result, skip=()):
    """No serious or critical violation, no figure without words, no unnamed control (but the checks in `skip`:
    "violations", "figures", "controls")."""
    problems = []
    if "violations" not in skip and result["violations"]:
        problems.append(f"axe-core: {result['violations']}")
    if "figures" not in skip and result["figures_without_text"]:
        problems.append(f"figures without a text alternative: {result['figures_without_text']}")
    if "controls" not in skip and result["unnamed_controls"]:
        problems.append(f"controls without an accessible name: {result['unnamed_controls']}")
    assert not problems, f"{name}: " + "; ".join(problems)


def summary(result):
    """The audit in one line: 'violations 3 (image-alt 2, ...), figures 2/5 without text, controls 1/7 unnamed'."""
    total = sum(result["violations"].values())
    rules = ", ".join(f"{rule} {n}" for rule, n in sorted(result["violations"].items()))
    return (f"violations {total}{f' ({rules})' if rules else ''}, "
            f"figures {len(result['figures_without_text'])}/{result['figures']} without text, "
            f"controls {len(result['unnamed_controls'])}/{result['controls']} unnamed")



# What a student sees and hears of a panel: its pictures, its texts, and the words of its figures.
JS_PANEL_STATE = """(panel) => ({
  figure: [...panel.querySelectorAll('.nnlite-figure img, .nnlite-figure svg')].map(e => e.tagName === 'IMG' ? e.src
          : e.outerHTML.length + ':' + e.innerHTML.slice(-200)).join('|'),
  words: [...panel.querySelectorAll('[role=img]')].map(e => e.getAttribute('aria-label')).join(' | '),
  text: [...panel.querySelectorAll('.nnlite-announce')].map(e => e.innerText).join(' | '),
  live: (panel.querySelector('.nnlite-access [role=status]') || {}).textContent || ''})"""
# The focused element: what it is, and whether it is in the panel after the one focused before.
JS_FOCUSED = """([panel, before]) => { const e = document.activeElement;
  const inside = panel.contains(e), kind = e.getAttribute('role') === 'slider' ? 'slider'
    : e.tagName === 'SELECT' ? 'select' : e.tagName === 'BUTTON' ? 'button' : e.isContentEditable ? 'readout' : 'other';
  const after = !before || !!(before.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING);
  const ring = getComputedStyle(e).outlineStyle !== 'none' && parseFloat(getComputedStyle(e).outlineWidth) >= 2;
  return {inside, kind, after, ring, name: e.getAttribute('aria-label') || e.innerText.trim(),
          value: e.getAttribute('aria-valuetext') || e.value || '',
          atEnd: kind === 'slider' ? e.getAttribute('aria-valuenow') === e.getAttribute('aria-valuemax')
                 : kind === 'select' ? e.selectedIndex === e.options.length - 1 : false}; }"""


def keyboard_walk(page, output, screenshot=None, timeout=20_000):
    """Walk through the panel in `output` with the keyboard alone, as a student without a mouse would.

    Focus goes to the output, then Tab reaches each control in reading order (each after the one
    before, with a visible focus ring). An arrow key moves each slider one step, and an arrow key
    picks each dropdown's next option (the previous one at the end); every move must change the
    figure (or the panel's text) and, where the figure changed, the words a screen reader reads for
    it. Buttons are pressed with Enter: "Show the data" must show a table, and Play is pressed
    again at once to pause it. Returns what was walked: [(kind, name, value after), ...].
    """
    panel = output.query_selector(".nnlite-panel")
    assert panel is not None, "no nnlite panel in this output"
    output.evaluate("o => { o.tabIndex = -1; o.focus(); }")
    walked, before, shot = [], None, False
    for _ in range(80):  # a bound on Tab presses: a panel has a few dozen focusable elements at most
        page.keyboard.press("Tab")
        focused = page.evaluate_handle("() => document.activeElement")
        state = page.evaluate(JS_FOCUSED, [panel, before])
        if not state["inside"]:
            break
        assert state["after"], f"Tab went back to {state['name']!r}: not in reading order"
        before = focused
        if state["kind"] in ("readout", "other"):
            continue
        assert state["ring"], f"{state['kind']} {state['name']!r} has no visible focus ring"
        if screenshot and not shot:
            output.screenshot(path=str(screenshot))
            shot = True
        seen = page.evaluate(JS_PANEL_STATE, panel)
        if state["kind"] == "button":
            press_button(page, panel, state["name"], seen, timeout)
        else:
            page.keyboard.press(("ArrowLeft" if state["kind"] == "slider" else "ArrowUp") if state["atEnd"]
                                else ("ArrowRight" if state["kind"] == "slider" else "ArrowDown"))
            wait_for(page, panel, "s.figure !== seen.figure || s.text !== seen.text", seen, timeout,
                     f"moving {state['kind']} {state['name']!r} by keyboard changed nothing")
            now = page.evaluate(JS_PANEL_STATE, panel)
            if now["figure"] != seen["figure"]:
                wait_for(page, panel, "s.words !== seen.words", seen, timeout,
                         f"{state['name']!r}: the figure changed, its text alternative did not")
            if now["text"] != seen["text"]:  # read out once the keys are still (access.js: QUIET)
                wait_for(page, panel, "s.live !== seen.live && s.live.length > 0", seen, timeout,
                         f"{state['name']!r}: the new result was not put in the live region")
        walked.append((state["kind"], state["name"], page.evaluate(JS_FOCUSED, [panel, None])["value"]))
    return walked


def wait_for(page, panel, condition, seen, timeout, message):
    """Wait until `condition` (JavaScript over `s`, the panel's state now, and `seen`) holds."""
    try:
        page.wait_for_function(f"([panel, seen]) => {{ const s = ({JS_PANEL_STATE})(panel); return {condition}; }}",
                               arg=[panel, seen], timeout=timeout, polling=100)
    except Exception as error:  # Playwright's TimeoutError: say what did not happen, in words
        raise AssertionError(message) from error


def press_button(page, panel, name, seen, timeout):
    """Enter on a focused button: "Show the data" shows (and hides) tables; Play is paused at once."""
    page.keyboard.press("Enter")
    if name.startswith("Show the data"):
        page.wait_for_function("(panel) => !!panel.querySelector('.nnlite-tables table')", arg=panel, timeout=timeout)
        page.keyboard.press("Enter")
        page.wait_for_function("(panel) => !panel.querySelector('.nnlite-tables table')", arg=panel, timeout=timeout)
    elif name.startswith("Play"):
        page.wait_for_function("() => document.activeElement.innerText.includes('Pause')", timeout=timeout)
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.activeElement.innerText.includes('Play')", timeout=timeout)
    else:
        wait_for(page, panel, "s.figure !== seen.figure || s.text !== seen.text", seen, timeout,
                 f"pressing {name!r} by keyboard changed nothing")
