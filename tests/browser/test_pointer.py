"""Clicks, hovers and keys on live figures (nnlite.pointer) in JupyterLab, Notebook 7 and Voila, in headless
Chromium at device pixel ratio 2, on a demo notebook this file writes:

* a click on a '+' drawn at a known data point reaches the kernel within half a data pixel (the figures'
  region pictures have 60 x 60 data pixels), on a figure shown at its own size and on one the page scaled
  down; the hover too, and leaving the axes is reported once;
* a quick sweep over the figure sends at most one hover per move, and the kernel ends at the last one;
* the network diagram names the unit or weight under the mouse (`hit_network`); an error in a callback
  shows on the figure in words; where the panel has no live region, the layer speaks with its own;
* the keyboard alone: Tab reaches the figure (named, described), the arrows move a visible cross, Enter
  and Space click where it is, the panel's live region says what the kernel said, the notebook does not
  take the keys, Tab leaves;
* the outputs pass the project's accessibility audit (axe-core, WCAG 2.1 A and AA: no serious or
  critical violation);
* the click round trip (click -> kernel -> readout changed), median, against the echo floor (a button
  that writes the time into a label) in the same page, in alternating blocks, with its parts: the way in
  (click -> callback), the callback (a point added and drawn), the way back: written to
  screenshots/pointer_latency.json, not asserted (no wall-clock asserts).

Every wait is on a condition in the page, never a fixed sleep.
"""

import io
import json
import re
import statistics

import pytest
from PIL import Image as PILImage

from .accessibility import assert_clean, audit, record
from .conftest import SCREENSHOTS
from .test_frontends import demo_in

pytestmark = pytest.mark.browser
DEMO = "pointer_demo.ipynb"
RESOLUTION = 60  # data pixels across each region picture
STEPS = 60  # arrow presses across the axes: one data pixel each
VIEWPORT = (800, 900)  # narrower than the wide figure (1200 CSS px): the page scales it down
ROUNDS = 5  # blocks of the latency measurement, per kind
CLICKS = 7  # clicks per block (the first of a block is not counted: the page restyles the cell it lands in)

CELLS = [
    """import json
import time
import ipywidgets as widgets
import numpy as np
from nnlite import viz
from nnlite.pointer import Pointer, hit_network
from nnlite.widgets import LiveFigure, Panel

viz.presentation(False)""",
    '''def regions(name, figsize, extent, targets):
    """A region picture of 60 x 60 data pixels with a '+' at each target; a click adds a point, a hover is
    written out, the keyboard's cross is said."""
    live = LiveFigure(figsize=figsize)
    ax = live.subplots()
    colors = np.random.default_rng(0).uniform(0.6, 1.0, (60, 60, 3))
    live.animate(ax.imshow(colors, origin="lower", extent=extent, aspect="auto", interpolation="nearest"))
    ax.set(xlim=extent[:2], ylim=extent[2:], title=f"{name}: click to add a point")
    (added,) = ax.plot([], [], "o", color="k", markersize=4)
    live.animate(added, layer=1)
    live.animate(*[ax.plot([x], [y], "+", color="k", markersize=14)[0] for x, y in targets], layer=2)
    live.redraw()
    live.overlays[2].add_class(f"probe-targets-{name}")
    live.widget.add_class(f"probe-figure-{name}")
    pointer = Pointer(live, ax, label=f"{name} regions: add a point", action="adds a point", steps=60)
    clicked = widgets.HTML("no click yet").add_class(f"probe-click-{name}")
    hovered = widgets.HTML("no hover yet").add_class(f"probe-hover-{name}")
    points, hovers = [], [0]

    @pointer.on_click
    def add(x, y):
        arrived = time.time()
        points.append((x, y))
        added.set_data(*zip(*points))
        live.redraw()
        clicked.value = (f"n={len(points)} x={x:.6f} y={y:.6f} source={pointer.source} "
                         f"kernel_ms={arrived * 1e3:.1f},{time.time() * 1e3:.1f}")
        pointer.say(f"Added point {len(points)} at x = {x:.2f}, y = {y:.2f}.")

    @pointer.on_hover
    def hover(x, y):
        hovers[0] += 1
        hovered.value = ("outside" if x is None else f"x={x:.6f} y={y:.6f} source={pointer.source}") + \\
            f" hovers={hovers[0]}"
        if x is not None and pointer.source == "keyboard":
            pointer.say(f"Cross at x = {x:.2f}, y = {y:.2f}.")

    return Panel(lambda: None, {}, [live.widget, clicked, hovered], title=f"{name} regions")''',
    'regions("small", (3.0, 3.0), (-3.0, 2.0, -1.5, 2.5), [(0.0, 0.0), (1.25, 2.0)])',
    'regions("wide", (12.0, 4.0), (0.0, 10.0, -1.0, 1.0), [(2.5, 0.5), (7.0, -0.75)])',
    '''sizes = [2, 3, 2]
net = LiveFigure(figsize=(5.0, 2.6))
ax = net.subplots()
viz.draw_network(sizes, ax=ax)
net.redraw()
net.widget.add_class("probe-figure-net")
positions = viz.network_positions(sizes)
named = widgets.HTML("nothing yet").add_class("probe-hover-net")
net_pointer = Pointer(net, ax, label="network: select a unit or a weight")

@net_pointer.on_hover
def name_it(x, y):
    part = None if x is None else hit_network(x, y, positions, ax)
    named.value = "nothing" if part is None else part.words

@net_pointer.on_click
def select(x, y):  # clicking on nothing raises: the error path the test checks
    part = hit_network(x, y, positions, ax)
    if part is None:
        raise ValueError("no unit or weight there")
    net_pointer.say(f"Selected {part.words}.")

def fractions(xy):  # where matplotlib drew a data point, as fractions of the figure from the top left
    px, py = ax.transData.transform(xy)
    return [px / net.fig.bbox.width, 1 - py / net.fig.bbox.height]

Panel(lambda: None, {}, [net.widget, named], title="network")''',
    '''echo = widgets.Button(description="echo").add_class("probe-echo-button")
echoed = widgets.HTML("no click yet").add_class("probe-echo")
echo.on_click(lambda _: setattr(echoed, "value", f"kernel_ms={time.time() * 1e3:.1f},{time.time() * 1e3:.1f}"))
widgets.HBox([echo, echoed])''',
    '''print("TARGETS " + json.dumps({
    "small": {"targets": [[0.0, 0.0], [1.25, 2.0]], "extent": [-3.0, 2.0, -1.5, 2.5]},
    "wide": {"targets": [[2.5, 0.5], [7.0, -0.75]], "extent": [0.0, 10.0, -1.0, 1.0]},
    "net": {"unit": fractions(positions[1][1]), "weight": fractions(0.8 * positions[0][0] + 0.2 * positions[1][2]),
            "empty": fractions((positions[1][0] + positions[1][1]) / 2)}}))''',
]

# The picture of one figure, the pointer layer over it, and the centres of its '+' targets (their SVG paths).
JS_GEOMETRY = """(name) => {
  const fig = document.querySelector('.probe-figure-' + name);
  const img = fig.querySelector('img'), layer = fig.querySelector('.nnlite-pointer');
  const box = e => { const b = e.getBoundingClientRect(); return {x: b.left, y: b.top, w: b.width, h: b.height}; };
  const marks = [...document.querySelectorAll('.probe-targets-' + name + ' svg path')];
  return {img: box(img), natural: img.naturalWidth, layer: box(layer), dpr: window.devicePixelRatio,
          targets: marks.map(p => { const b = p.getBoundingClientRect();
                                    return [b.left + b.width / 2, b.top + b.height / 2]; })};
}"""
JS_TEXT = "(sel) => { const e = document.querySelector(sel); return e ? e.textContent : null; }"
# Every text the live regions had, in order: a region that changes twice between two polls loses nothing.
JS_RECORD_SPEECH = """() => { window.__said = [];
  const watch = (region) => new MutationObserver(() => window.__said.push(region.textContent.trim()))
    .observe(region, {childList: true, characterData: true, subtree: true});
  document.querySelectorAll('[role=status][aria-live=polite]').forEach(watch); }"""
# Time from the next click to the next change of the text at `sel`.
JS_ARM = """(sel) => { window.__t0 = null; window.__t1 = null;
  window.addEventListener('click', () => { window.__t0 = performance.now(); }, {capture: true, once: true});
  const obs = new MutationObserver(() => {
    if (window.__t1 === null) { window.__t1 = performance.now(); obs.disconnect(); } });
  obs.observe(document.querySelector(sel), {childList: true, subtree: true, characterData: true}); }"""
JS_NOTEBOOK_STATE = """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  return w && w.content ? [w.content.activeCellIndex, w.content.mode] : null; }"""


def wait_text(page, sel, condition, message, timeout=20_000):
    """Wait until `condition` (JavaScript over `t`, the text at `sel`) holds; else fail with `message`."""
    try:
        page.wait_for_function(f"(sel) => {{ const e = document.querySelector(sel); if (!e) return false; "
                               f"const t = e.textContent; return ({condition}); }}", arg=sel, timeout=timeout,
                               polling=20)
    except Exception as error:  # Playwright's TimeoutError: say what did not happen, and what is there
        raise AssertionError(f"{message} (the page shows {page.evaluate(JS_TEXT, sel)!r})") from error


def numbers(page, sel, pattern=r"x=(\S+) y=(\S+) source=(\S+)"):
    match = re.search(pattern, page.evaluate(JS_TEXT, sel) or "")
    return (float(match.group(1)), float(match.group(2)), match.group(3)) if match else None


def near(kind_of_text, x, y, half):
    """JavaScript: the text's x and y are within `half` (x, y) of (x, y)."""
    return (f"(m => !!m && Math.abs(+m[1] - {x}) <= {half[0]} && Math.abs(+m[2] - {y}) <= {half[1]})"
            f"(t.match(/x=(\\S+) y=(\\S+) source={kind_of_text}/))")


def clicks_land_within_half_a_data_pixel(page, kind, targets, report):
    for name in ("small", "wide"):
        x0, x1, y0, y1 = targets[name]["extent"]
        half = ((x1 - x0) / RESOLUTION / 2, (y1 - y0) / RESOLUTION / 2)
        page.query_selector(f".probe-figure-{name}").scroll_into_view_if_needed()
        geo = page.evaluate(JS_GEOMETRY, name)
        assert all(abs(geo["layer"][k] - geo["img"][k]) < 0.6 for k in "xywh"), f"{name}: the layer is off the picture"
        scale = geo["img"]["w"] / (geo["natural"] / 2)  # shown CSS width / the CSS width it was drawn for
        if name == "wide":
            assert scale < 0.95, f"{kind}: the wide figure was not scaled down ({scale:.2f}): the test lost its point"
        (tx0, ty0), (tx1, ty1) = targets[name]["targets"]
        (cx0, cy0), (cx1, cy1) = geo["targets"]
        css_per_data = (abs((cx1 - cx0) / (tx1 - tx0)), abs((cy1 - cy0) / (ty1 - ty0)))  # as the targets were drawn
        errors = []
        for n, ((tx, ty), (cx, cy)) in enumerate(zip(targets[name]["targets"], geo["targets"], strict=True), 1):
            page.mouse.click(cx, cy)  # at a fraction of a CSS pixel
            wait_text(page, f".probe-click-{name}", f"t.startsWith('n={n} ')", f"{name}: click {n} did not arrive")
            x, y, source = numbers(page, f".probe-click-{name}")
            errors.append([round(abs(x - tx) / (2 * half[0]), 4), round(abs(y - ty) / (2 * half[1]), 4)])
            assert abs(x - tx) <= half[0] and abs(y - ty) <= half[1] and source == "mouse", \
                f"{kind} {name}: a click on ({tx}, {ty}) reached the kernel as ({x}, {y}, {source})"
            # taken where the button went up, not at the click's whole CSS pixel (up to half a pixel away)
            css_error = max(abs(x - tx) * css_per_data[0], abs(y - ty) * css_per_data[1])
            assert css_error < 0.1, f"{kind} {name}: the click landed {css_error:.2f} CSS px from where it was made"
        # hover the first target, then leave the figure: one "leave"
        (tx, ty), (cx, cy) = targets[name]["targets"][0], geo["targets"][0]
        page.mouse.move(cx + 2, cy + 2)
        page.mouse.move(cx, cy, steps=2)
        wait_text(page, f".probe-hover-{name}", near("mouse", tx, ty, half), f"{name}: the hover did not arrive")
        page.mouse.move(geo["img"]["x"] + geo["img"]["w"] / 2, geo["img"]["y"] - 30)
        wait_text(page, f".probe-hover-{name}", "t.startsWith('outside')", f"{name}: leaving was not reported")
        report[name] = {"scale": round(scale, 3), "dpr": geo["dpr"], "click_error_in_data_pixels": errors}


def a_sweep_sends_the_last_position(page, targets, report):
    """40 quick moves: the kernel gets at most one hover per move, and ends where the mouse stopped."""
    x0, x1, y0, y1 = targets["small"]["extent"]
    half = ((x1 - x0) / RESOLUTION / 2, (y1 - y0) / RESOLUTION / 2)
    geo = page.evaluate(JS_GEOMETRY, "small")
    (sx, sy), (ex, ey) = geo["targets"]
    page.mouse.move(sx, sy)
    wait_text(page, ".probe-hover-small", near("mouse", *targets["small"]["targets"][0], half), "no hover at the start")
    before = int(re.search(r"hovers=(\d+)", page.evaluate(JS_TEXT, ".probe-hover-small")).group(1))
    page.mouse.move(ex, ey, steps=40)
    wait_text(page, ".probe-hover-small", near("mouse", *targets["small"]["targets"][1], half),
              "after a sweep, the kernel's last hover is not where the mouse stopped")
    after = int(re.search(r"hovers=(\d+)", page.evaluate(JS_TEXT, ".probe-hover-small")).group(1))
    assert 1 <= after - before <= 40, f"{after - before} hovers reached the kernel for 40 moves"
    report["sweep"] = {"moves": 40, "hovers_handled": after - before}


def the_network_names_what_is_under_the_mouse(page, targets):
    page.query_selector(".probe-figure-net").scroll_into_view_if_needed()
    img = page.evaluate(JS_GEOMETRY, "net")["img"]
    at = {k: (img["x"] + fx * img["w"], img["y"] + fy * img["h"]) for k, (fx, fy) in targets["net"].items()}
    page.mouse.move(*at["unit"])
    wait_text(page, ".probe-hover-net", "t === 'unit 2 of layer 1'", "hovering a unit did not name it")
    page.mouse.move(*at["weight"])
    wait_text(page, ".probe-hover-net", "t === 'the weight from x₁ to unit 3 of layer 1'", "the weight is not named")
    # a figure whose panel has no live region (as a LiveFigure shown alone): the layer speaks with its own
    page.evaluate("() => document.querySelector('.probe-figure-net').closest('.nnlite-panel')"
                  ".querySelector('.nnlite-access [role=status]').remove()")
    page.mouse.click(*at["empty"])  # nothing there: the callback raises, the figure shows and says so
    banner, own = ".probe-figure-net .nnlite-pointer-error", ".probe-figure-net .nnlite-pointer [role=status]"
    wait_text(page, banner, "t.includes('ValueError: no unit or weight there')", "the error was not shown")
    wait_text(page, own, "t.includes('ValueError: no unit or weight there')", "the error was not said")
    page.mouse.click(*at["unit"])
    wait_text(page, banner, "t === ''", "the error stayed after a click that worked")
    wait_text(page, own, "t === 'Selected unit 2 of layer 1.'", "the selection was not said")


def edge_is_dark(page, sel):
    """Whether the screen is dark just inside the left edge of the element at `sel`, half-way down: where a
    focus ring is drawn and the figure's white margin is otherwise."""
    box = page.query_selector(sel).bounding_box()
    shot = page.screenshot(clip={"x": box["x"] + 1, "y": box["y"] + box["height"] / 2, "width": 1, "height": 1})
    return PILImage.open(io.BytesIO(shot)).convert("L").getextrema()[1] < 80  # (darkest, lightest)


def the_keyboard_alone_adds_a_point(page, kind, targets, report):
    x0, x1, y0, y1 = targets["small"]["extent"]
    output = page.query_selector(".probe-figure-small").evaluate_handle("f => f.closest('.jp-OutputArea-output')")
    output.evaluate("o => { o.tabIndex = -1; o.focus(); }")
    cell_before = page.evaluate(JS_NOTEBOOK_STATE)
    for _ in range(10):  # the layer is the panel's first stop
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('nnlite-pointer')"):
            break
    focused = page.evaluate("""() => { const e = document.activeElement; return {role: e.getAttribute('role'),
        label: e.getAttribute('aria-label'),
        help: document.getElementById(e.getAttribute('aria-describedby'))?.textContent}; }""")
    focused["ring"] = edge_is_dark(page, ".probe-figure-small .nnlite-pointer")
    assert focused["role"] == "application" and focused["label"] == "small regions: add a point" and focused["ring"] \
        and "Enter or Space adds a point" in focused["help"], f"{kind}: Tab did not reach the figure: {focused}"
    page.keyboard.press("Home")
    for key in ["ArrowRight"] * 3 + ["ArrowUp"] * 2 + ["Shift+ArrowLeft"]:
        page.keyboard.press(key)
    u, v = 0.5 + (3 - 10) / STEPS, 0.5 + 2 / STEPS
    x, y = x0 + u * (x1 - x0), y0 + v * (y1 - y0)
    wait_text(page, ".probe-hover-small", near("keyboard", x, y, (1e-6, 1e-6)), f"{kind}: the arrows moved no cross")
    cross = page.evaluate("() => getComputedStyle(document.activeElement.querySelector('.nnlite-pointer-cross'))"
                          ".display")
    assert cross == "block", f"{kind}: the keyboard's cross is not shown"
    n = int(re.match(r"n=(\d+)", page.evaluate(JS_TEXT, ".probe-click-small")).group(1))
    page.keyboard.press("Enter")
    wait_text(page, ".probe-click-small", f"t.startsWith('n={n + 1} ')", f"{kind}: Enter added no point")
    got_x, got_y, source = numbers(page, ".probe-click-small")
    assert abs(got_x - x) < 1e-6 and abs(got_y - y) < 1e-6 and source == "keyboard", (got_x, got_y, source)
    page.keyboard.press(" ")
    wait_text(page, ".probe-click-small", f"t.startsWith('n={n + 2} ')", f"{kind}: Space added no point")
    said = f"Added point {n + 2} at x = {x:.2f}, y = {y:.2f}."
    page.wait_for_function("(said) => window.__said.includes(said)", arg=said, timeout=20_000)
    region = page.evaluate("""() => { const layer = document.activeElement, panel = layer.closest('.nnlite-panel');
        return {own: !!layer.querySelector('[role=status]'),
                shared: panel.querySelector('.nnlite-access [role=status]').textContent}; }""")
    assert not region["own"], f"{kind}: the layer kept a live region of its own inside a panel that has one"
    still = page.evaluate("() => document.activeElement.classList.contains('nnlite-pointer')")
    assert still and page.evaluate(JS_NOTEBOOK_STATE) == cell_before, \
        f"{kind}: the notebook took the keys ({cell_before} -> {page.evaluate(JS_NOTEBOOK_STATE)})"
    output.as_element().screenshot(path=str(SCREENSHOTS / f"pointer_{kind}_keyboard.png"))  # the cross, the focus ring
    page.keyboard.press("Tab")
    assert not page.evaluate("() => document.activeElement.classList.contains('nnlite-pointer')"), "Tab did not leave"
    assert not edge_is_dark(page, ".probe-figure-small .nnlite-pointer"), "the ring stayed after Tab"
    wait_text(page, ".probe-hover-small", "t.startsWith('outside')", f"{kind}: leaving by Tab was not reported")
    report["keyboard"] = {"cell_before_and_after": cell_before, "said": said}


def click_round_trips(page, report):
    """Median ms from a click to the changed readout: the pointer (a point added and drawn) and the echo button,
    in alternating blocks in the same page."""
    times = {"pointer": [], "echo": []}
    for _ in range(ROUNDS):
        for what in ("pointer", "echo"):
            element = page.query_selector(".probe-echo-button" if what == "echo" else ".probe-figure-small img")
            sel = ".probe-echo" if what == "echo" else ".probe-click-small"
            for i in range(CLICKS):
                element.scroll_into_view_if_needed()
                box = element.bounding_box()
                x = box["x"] + box["width"] * (0.5 if what == "echo" else 0.3 + 0.1 * (i % 5))
                y = box["y"] + box["height"] * (0.5 if what == "echo" else 0.25 + 0.1 * (i % 4))
                if what == "pointer":  # the mouse is there first and its hover answered: the time is the click's
                    before = page.evaluate(JS_TEXT, ".probe-hover-small")
                    page.mouse.move(x, y)
                    wait_text(page, ".probe-hover-small", f"t !== {json.dumps(before)}", "no hover before a click")
                else:
                    page.mouse.move(x, y)
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                page.evaluate(JS_ARM, sel)
                page.mouse.down()
                page.mouse.up()
                page.wait_for_function("() => window.__t1 !== null && window.__t0 !== null", timeout=20_000,
                                       polling="raf")
                if i:  # the kernel's clock and the page's are the machine's: the way in, the callback, the way back
                    start, end = map(float, re.search(r"kernel_ms=(\S+),(\S+)", page.evaluate(JS_TEXT, sel)).groups())
                    t0, t1, origin = page.evaluate("() => [window.__t0, window.__t1, performance.timeOrigin]")
                    times[what].append((t1 - t0, start - (origin + t0), end - start, origin + t1 - end))
    parts = ("round_trip", "to_kernel", "in_kernel", "back_to_page")
    report["click_ms_median"] = {what: {part: round(statistics.median(trip[j] for trip in v), 1)
                                        for j, part in enumerate(parts)} for what, v in times.items()}
    report["click_ms"] = {what: [[round(t, 1) for t in trip] for trip in v] for what, v in times.items()}


@pytest.mark.parametrize("kind", ["lab", "notebook", "voila"])
def test_clicks_hovers_and_keys_reach_the_kernel_in_data_coordinates(browser, kind, tmp_path):
    SCREENSHOTS.mkdir(exist_ok=True)
    report = {}
    with demo_in(kind, browser, tmp_path, DEMO, CELLS, VIEWPORT) as (page, _):
        page.wait_for_function("""() => !!document.body && document.body.innerText.includes('TARGETS') &&
            document.querySelectorAll('.nnlite-pointer').length === 3 &&
            document.querySelectorAll('.nnlite-access [role=status]').length === 3 &&
            [...document.querySelectorAll('.nnlite-figure img')].every(i => i.complete && i.naturalWidth > 0) &&
            document.querySelectorAll('.probe-targets-small svg path, .probe-targets-wide svg path').length === 4""",
                               timeout=180_000, polling=200)
        text = page.inner_text("body")
        assert "Error displaying widget" not in text
        targets = json.loads(re.search(r"TARGETS (\{.*\})", text).group(1))
        page.evaluate(JS_RECORD_SPEECH)
        clicks_land_within_half_a_data_pixel(page, kind, targets, report)
        a_sweep_sends_the_last_position(page, targets, report)
        the_network_names_what_is_under_the_mouse(page, targets)
        the_keyboard_alone_adds_a_point(page, kind, targets, report)
        result = audit(page)
        record(SCREENSHOTS / "accessibility.json", f"pointer demo in {kind}", result)
        assert_clean(f"the pointer demo in {kind}", result)
        click_round_trips(page, report)
        page.screenshot(path=str(SCREENSHOTS / f"pointer_{kind}_page.png"))
    path = SCREENSHOTS / "pointer_latency.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    results[kind] = report
    path.write_text(json.dumps(results, indent=1))
    print(kind, json.dumps({k: v for k, v in report.items() if k != "click_ms"}))
