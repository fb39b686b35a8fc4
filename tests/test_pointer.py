"""nnlite.pointer without a browser: the geometry the kernel sends and what the front end's mapping makes of it
(pointer.js run by Node, when it is installed), the messages both ways, and the network diagram's hit-testing.
tests/browser/test_pointer.py clicks, hovers and types in JupyterLab, Notebook 7 and Voila."""

import json
import shutil
import subprocess

import ipywidgets
import numpy as np
import pytest

from nnlite import viz
from nnlite.pointer import HERE, Pointer, hit_network, unit_words
from nnlite.widgets import LiveFigure, LiveRow


def demo(xlim=(-3.0, 2.0), ylim=(-1.5, 2.5), yscale="linear", figsize=(3.0, 3.0)):
    """A LiveFigure as a lab builds one, drawn once (its constrained layout has placed the axes), with a pointer."""
    live = LiveFigure(figsize=figsize)
    ax = live.subplots()
    ax.set(yscale=yscale)
    ax.set(xlim=xlim, ylim=ylim, title="demo")
    (line,) = ax.plot([], [], "o")
    live.animate(line)
    live.redraw()
    pointer = Pointer(live, ax, label="demo: add a point")
    return live, ax, pointer, line


def browser_sends(pointer, **content):
    """What the front end's model.send(content) becomes in the kernel: a custom comm message."""
    pointer._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


@pytest.fixture
def sent(monkeypatch):
    """Every message a widget sends to the front end: (widget, message)."""
    messages = []
    monkeypatch.setattr(ipywidgets.Widget, "_send", lambda self, msg, buffers=None: messages.append((self, msg)))
    return messages


def data_to_figure_points(ax, xy):
    """Where matplotlib draws data points, in figure points from the top left (what the browser measures)."""
    fig = ax.figure
    display = ax.transData.transform(xy)
    return np.column_stack([display[:, 0], fig.bbox.height - display[:, 1]]) * 72 / fig.dpi


def js_to_data(geometry, points):
    """pointer.js's own `toData`, run by Node on `points` (figure points from the top left)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the browser test checks the same mapping")
    source = (HERE / "pointer.js").read_text()
    script = (f"const m = await import('data:text/javascript,' + encodeURIComponent({json.dumps(source)}));"
              f"const g = {json.dumps(geometry)};"
              f"console.log(JSON.stringify({json.dumps(points.tolist())}.map(([px, py]) => m.toData(g, px, py))));")
    result = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("yscale, ylim", [("linear", (-1.5, 2.5)), ("log", (0.01, 100.0)), ("linear", (2.5, -1.5))])
def test_the_front_ends_mapping_gives_back_the_data_points_matplotlib_drew(yscale, ylim):
    live, ax, pointer, _ = demo(ylim=ylim, yscale=yscale)
    rng = np.random.default_rng(0)
    y = 10 ** rng.uniform(-2, 2, 30) if yscale == "log" else rng.uniform(-1.5, 2.5, 30)
    data = np.column_stack([rng.uniform(-3, 2, 30), y])
    outside = np.array([[-3.5, 0.5]]) if yscale == "log" else np.array([[-3.5, 0.0]])  # left of the axes
    got = js_to_data(pointer.geometry, data_to_figure_points(ax, np.vstack([data, outside])))
    assert np.allclose([[p["x"], p["y"]] for p in got[:-1]], data, rtol=1e-9, atol=1e-9)
    assert all(p["inside"] for p in got[:-1]) and not got[-1]["inside"]


def test_the_geometry_is_the_axes_box_in_figure_points_from_the_top_left():
    live, ax, pointer, _ = demo(figsize=(4.0, 3.0))
    g = pointer.geometry
    assert g["size"] == pytest.approx([4.0 * 72, 3.0 * 72])
    corners = data_to_figure_points(ax, [[-3.0, 2.5], [2.0, -1.5]])  # top left and bottom right of the limits
    assert g["axes"] == pytest.approx(corners.ravel().tolist())
    assert g["x"] == ["linear", -3.0, 2.0] and g["y"] == ["linear", -1.5, 2.5]


def test_the_geometry_is_sent_when_the_layout_or_the_limits_change_and_never_on_a_move(sent):
    live, ax, pointer, line = demo()
    sent.clear()
    ours = lambda: [m for w, m in sent if w is pointer]  # noqa: E731
    for y in range(5):  # moves: only the overlay changes
        line.set_data([0], [y * 0.1])
        live.redraw()
    live.redraw(full=True)  # the same layout drawn again: nothing new to send
    assert ours() == []
    ax.set_xlim(-4, 4)
    assert [m["state"] for m in ours()] == [{"geometry": pointer.geometry}] and pointer.geometry["x"][1:] == [-4, 4]
    ax.set_ylabel("a label that moves the axes")
    live.redraw(full=True)
    assert len(ours()) == 2 and ours()[-1]["state"]["geometry"]["axes"][0] > ours()[0]["state"]["geometry"]["axes"][0]


def test_a_click_reaches_the_callbacks_in_data_coordinates_with_its_source(sent):
    live, ax, pointer, _ = demo()
    sent.clear()
    got = []
    pointer.on_click(lambda x, y: got.append((x, y, pointer.source)))
    browser_sends(pointer, event="click", x=0.25, y=-1.0, source="mouse")
    browser_sends(pointer, event="click", x=1, y=2, source="keyboard")
    assert got == [(0.25, -1.0, "mouse"), (1.0, 2.0, "keyboard")] and pointer.source is None
    assert sent == []  # a click is not acknowledged: only hovers wait for one another


def test_each_hover_and_leave_is_acknowledged_once_after_its_callbacks_ran(sent):
    live, ax, pointer, _ = demo()
    sent.clear()
    readout = ipywidgets.HTML()
    pointer.on_hover(lambda x, y: setattr(readout, "value", "outside" if x is None else f"{x:.2f} {y:.2f}"))
    browser_sends(pointer, event="hover", x=0.5, y=1.0, source="keyboard")
    browser_sends(pointer, event="leave", source="mouse")
    assert [(w, m.get("content")) for w, m in sent] == [
        (readout, None), (pointer, {"event": "ack"}), (readout, None), (pointer, {"event": "ack"})]
    assert readout.value == "outside"


def test_an_error_in_a_callback_is_shown_in_words_and_the_hover_still_acknowledged(sent):
    live, ax, pointer, _ = demo()
    sent.clear()
    pointer.on_hover(lambda x, y: 1 / 0)
    browser_sends(pointer, event="hover", x=0.5, y=0.5)
    assert pointer.error == "Could not handle the hover: ZeroDivisionError: division by zero"
    assert [m.get("content") for _, m in sent[-2:]] == [{"event": "say", "text": pointer.error}, {"event": "ack"}]
    pointer._callbacks["hover"].clear()
    browser_sends(pointer, event="hover", x=0.5, y=0.5)
    assert pointer.error == ""  # the next event that works clears it
    calls = []
    pointer.on_click(lambda x, y: calls.append(x))
    browser_sends(pointer, event="click", x=float("nan"), y=0.5)
    assert calls == [] and "the click's x must be a finite number" in pointer.error
    browser_sends(pointer, event="unknown")  # ignored, not an error
    browser_sends(pointer, event="click", x=0.1, y=0.2)
    assert calls == [0.1] and pointer.error == ""


def test_say_sends_the_words_once_each_time_even_the_same_words(sent):
    live, ax, pointer, _ = demo()
    sent.clear()
    pointer.say("Added point 1.")
    pointer.say("Added point 1.")
    assert [m["content"] for _, m in sent] == [{"event": "say", "text": "Added point 1."}] * 2
    with pytest.raises(TypeError, match="text must be a string, got int"):
        pointer.say(3)


def test_the_layer_sits_on_top_of_its_figure_and_finds_it_in_a_row():
    live, ax, pointer, _ = demo()
    assert live.widget.children[-1] is pointer and pointer.layout.grid_area == "figure"
    assert "Enter or Space clicks where the cross is" in pointer.help and pointer.label == "demo: add a point"
    row = LiveRow(2, panel_size=(2.0, 2.0))
    left, right = row.subplots(1, 2)
    right.set(xlim=(0, 10), ylim=(0, 1))
    pointer = Pointer(row, right, action="adds a point", steps=60)
    assert row.figures[1].widget.children[-1] is pointer and pointer not in row.figures[0].widget.children
    assert pointer.geometry["x"] == ["linear", 0.0, 10.0] and pointer.steps == 60
    assert "Enter or Space adds a point" in pointer.help


def test_bad_arguments_say_what_was_expected():
    live, ax, _, _ = demo()
    other = LiveFigure(figsize=(2, 2)).subplots()
    with pytest.raises(TypeError, match="view must be a LiveFigure or a LiveRow, got Figure"):
        Pointer(live.fig, ax)
    with pytest.raises(ValueError, match="ax must be an axes of the view's figure"):
        Pointer(live, other)
    with pytest.raises(ValueError, match="steps must be >= 2, got 1"):
        Pointer(live, ax, steps=1)
    with pytest.raises(TypeError, match="label must be a non-empty string"):
        Pointer(live, ax, label="")
    ax.set_xscale("symlog")
    with pytest.raises(ValueError, match="maps linear and log axes; ax's x scale is 'symlog'"):
        Pointer(live, ax)


# ---- the network diagram ----

def network(sizes=(2, 3, 2), figsize=(7, 3.6)):
    live = LiveFigure(figsize=figsize)
    ax = live.subplots()
    viz.draw_network(list(sizes), ax=ax)
    live.redraw()
    return ax, viz.network_positions(list(sizes))


def offset(ax, xy, dx_points, dy_points):
    """The data point `dx_points`, `dy_points` (screen points, y up) away from the data point `xy`."""
    display = ax.transData.transform([xy])[0] + np.array([dx_points, dy_points]) * ax.figure.dpi / 72
    return ax.transData.inverted().transform([display])[0]


def test_hit_network_names_units_within_their_circle_on_the_screen():
    ax, positions = network()
    for layer, unit, words in [(0, 0, "x₁"), (1, 1, "unit 2 of layer 1"), (2, 1, "unit 2 of layer 2, the output")]:
        for dx, dy in [(0, 0), (14, 0), (0, -14), (10, 10)]:  # inside the 15-point circle, whatever the aspect
            part = hit_network(*offset(ax, positions[layer][unit], dx, dy), positions, ax)
            assert (part.kind, part.layer, part.unit, part.source, part.words) == ("unit", layer, unit, None, words)
    assert hit_network(*offset(ax, positions[1][1], 0, 16), positions, ax) is None  # just outside it, between lines


def test_hit_network_names_the_nearest_weight_and_its_place_in_w():
    ax, positions = network()
    start, end = positions[0][1], positions[1][2]  # from x₂ to unit 3 of layer 1: W1[1, 2]
    middle = (start + end) / 2
    part = hit_network(*middle, positions, ax)
    assert (part.kind, part.layer, part.unit, part.source) == ("weight", 1, 2, 1)
    assert part.words == "the weight from x₂ to unit 3 of layer 1"
    direction = ax.transData.transform([end])[0] - ax.transData.transform([start])[0]
    normal = np.array([-direction[1], direction[0]]) / np.hypot(*direction)
    assert hit_network(*offset(ax, middle, *(3.5 * normal)), positions, ax).words == part.words
    assert hit_network(*offset(ax, middle, *(8 * normal)), positions, ax) is None
    part = hit_network(*(positions[1][0] * 0.7 + positions[2][1] * 0.3), positions, ax)  # not where lines cross
    assert part.words == "the weight from unit 1 of layer 1 to unit 2 of layer 2, the output"
    # just past a unit's circle, with a tolerance wide enough for the lines into it too: the nearest line wins
    near_unit = positions[1][1] * 0.85 + positions[2][0] * 0.15
    part = hit_network(*near_unit, positions, ax, tolerance=30)
    assert part.words == "the weight from unit 2 of layer 1 to unit 1 of layer 2, the output"


def test_unit_words_and_bad_positions():
    assert unit_words(0, 11, 3) == "x₁₂" and unit_words(2, 0, 4) == "unit 1 of layer 2"
    ax, positions = network()
    with pytest.raises(ValueError, match="at least 2 layers of at least one unit each, got \\[2\\] units"):
        hit_network(0, 0, positions[:1], ax)
    with pytest.raises(ValueError, match="unit_radius must be in"):
        hit_network(0, 0, positions, ax, unit_radius=-1)
