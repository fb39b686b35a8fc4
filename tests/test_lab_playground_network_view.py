"""Notebook 07's network view (issue 23): every picture is the network's own output over the plane, every
line its weight, and a hover or a click (sent as the browser sends them) says the right numbers and edits
the right weight. tests/browser/test_playground_network.py does the same in JupyterLab."""

import warnings

import ipywidgets
import numpy as np
import pytest

from nnlite import colors, viz
from nnlite.figure_text import number
from nnlite.labs import playground as P
from nnlite.labs.playground.network_diagram import WEIGHT_EDGES, WEIGHT_WIDTHS
from nnlite.labs.playground.unit_pictures import NEGATIVE, POSITIVE, ZERO

from .test_widgets import without_clip_ids

SETTINGS = P.Settings(hidden=(5, 4), activation="tanh", epochs=20)  # tanh: negative outputs too


def shown_view(settings=SETTINGS, epochs=3, **kwargs):
    trainer = P.Trainer(settings)
    for _ in range(epochs):
        trainer.run_epoch()
    view = P.NetworkView(**kwargs)
    view.set_data(trainer)
    view.show(trainer)
    return trainer, view


def browser_sends(pointer, **content):
    """What the front end's model.send(content) becomes in the kernel: a custom comm message."""
    pointer._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


@pytest.fixture
def said(monkeypatch):
    """The words every Pointer said (its "say" messages to the front end)."""
    words = []

    def send(self, msg, buffers=None):
        content = msg.get("content")
        if isinstance(content, dict) and content.get("event") == "say":
            words.append(content["text"])

    monkeypatch.setattr(ipywidgets.Widget, "_send", send)
    return words


def own_forward(model, grid):
    """The model's hidden outputs and logits on the grid, computed here with NumPy (not through nnlite)."""
    act = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0.0)}[model.activation.name]
    h, outputs = grid, []
    for layer in model.layers[:-1]:
        h = act(h @ layer.W + layer.b)
        outputs.append(h)
    return outputs, h @ model.layers[-1].W + model.layers[-1].b


def exact_colour(t, hue, zero=ZERO):
    """Where t in [0, 1] lies between `zero` and `hue`, as 0..255 floats."""
    return 255 * (colors.rgb(zero) + np.asarray(t)[..., None] * (colors.rgb(hue) - colors.rgb(zero)))


def tile(values, resolution, tile_resolution):
    """A unit's small picture, by loops: each pixel the mean of the grid points in its block, row 0 at the top."""
    f, grid = resolution // tile_resolution, values.reshape(resolution, resolution)
    means = np.array([[grid[a * f:(a + 1) * f, b * f:(b + 1) * f].mean() for b in range(tile_resolution)]
                      for a in range(tile_resolution)])
    return means[::-1]


def unit_pixels(view, layer, unit):
    """The RGB pixels of one unit's square in the diagram's picture of its layer."""
    r = view.diagram.tile_resolution
    strip = view.diagram.pictures[layer].get_array()
    return strip[unit * (r + 2):unit * (r + 2) + r, :, :3].astype(float)


def test_the_pictures_come_from_one_forward_pass_of_the_model_on_the_grid():
    trainer, view = shown_view()
    model, grid = trainer.model, view.grid
    for start in range(0, len(grid), view.grid_pass.block):  # the model's own forward, block by block: to the bit
        rows = slice(start, start + view.grid_pass.block)
        logits = model.forward(grid[rows])
        assert np.array_equal(view.grid_pass.logits[rows], logits)
        for kept, h in zip(view.outputs[1:-1], model.hidden_outputs, strict=True):
            assert np.array_equal(kept[rows], h)
    hidden, logits = own_forward(model, grid)  # and what the network computes, worked out independently
    for kept, h in zip(view.outputs[1:-1], hidden, strict=True):
        np.testing.assert_allclose(kept, h, rtol=0, atol=1e-12)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    np.testing.assert_allclose(view.outputs[-1], e / e.sum(axis=1, keepdims=True), rtol=0, atol=1e-12)
    assert view.outputs[0] is grid
    buffers = [id(a) for a in view.outputs[1:]]
    trainer.step()
    view.show(trainer)
    assert [id(a) for a in view.outputs[1:]] == buffers  # Play allocates no new buffers


def test_every_unit_picture_is_the_colour_of_its_output_over_the_plane():
    trainer, view = shown_view()
    hidden, _ = own_forward(trainer.model, view.grid)
    R, r = view.resolution, view.diagram.tile_resolution
    checked = 0
    for layer, values in enumerate([view.grid, *hidden], 0):
        for unit in range(values.shape[1]):
            t = np.clip(tile(values[:, unit], R, r), -1, 1)
            expected = np.where((t >= 0)[..., None], exact_colour(np.abs(t), POSITIVE),
                                exact_colour(np.abs(t), NEGATIVE))
            assert np.abs(unit_pixels(view, layer, unit) - expected).max() <= 1.0, (layer, unit)
            checked += 1
    probs = view.outputs[-1]
    for k in range(probs.shape[1]):  # an output unit: its class's probability, white to the class's colour
        expected = exact_colour(tile(probs[:, k], R, r), colors.FILLS[k], zero="white")
        assert np.abs(unit_pixels(view, len(hidden) + 1, k) - expected).max() <= 1.0
    assert checked == 2 + 5 + 4
    assert any(unit_pixels(view, 1, j)[..., 2].min() < 150 for j in range(5))  # a saturated blue or orange shows


def test_the_output_picture_is_built_from_the_last_layer():
    trainer, view = shown_view()
    _, logits = own_forward(trainer.model, view.grid)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs = (e / e.sum(axis=1, keepdims=True)).reshape(60, 60, -1)
    expected = viz.region_colors(probs) * 255
    assert np.abs(view.output.image.get_array() - expected).max() <= 1.0
    view.set_options(discrete=True)
    sure = viz.region_colors(np.eye(3)[probs.argmax(-1)]) * 255
    assert np.abs(view.output.image.get_array() - sure).max() <= 1.0
    assert view.output.title.get_text() == "class regions (discrete)"
    shares = np.bincount(probs.argmax(-1).ravel(), minlength=3) / 3600
    assert view.output.live.text.startswith("Class regions over the plane: " + ", ".join(
        f"{colors.NAMES[k]} (class {k}) {round(100 * s)}%" for k, s in enumerate(shares)))


def segments(line):
    """A weight line's segments as (x0, y0, x1, y1) rows."""
    x, y = line.get_xdata(), line.get_ydata()
    return np.column_stack([x[0::3], y[0::3], x[1::3], y[1::3]])


def test_every_weight_is_one_line_whose_colour_style_and_width_follow_its_sign_and_size():
    trainer, view = shown_view(epochs=8)
    layout, model = view.diagram.layout, trainer.model
    seen = {}
    for line in view.diagram.weights.values():
        width, style = line.get_linewidth(), line.get_linestyle()
        hue = colors.rgb(line.get_color())
        if not line.get_visible():
            continue
        for _, y0, x1, y1 in segments(line):
            layer = int(np.argmin([abs(p[0, 0] - x1) for p in layout.positions]))  # the column it ends in
            i = int(np.argmin(np.abs(layout.positions[layer - 1][:, 1] - y0)))
            j = int(np.argmin(np.abs(layout.positions[layer][:, 1] - y1)))
            w = model.layers[layer - 1].W[i, j]
            assert (layer, i, j) not in seen
            seen[layer, i, j] = w
            assert width == WEIGHT_WIDTHS[int(np.sum(np.abs(w) >= np.array(WEIGHT_EDGES)))], (w, width)
            assert (style == "-") == (w >= 0) and (style == "--") == (w < 0)  # sign by style too
            bluer = hue[2] > hue[0]
            assert bluer == (w >= 0), (w, hue)  # blue positive, orange negative
    assert len(seen) == 2 * 5 + 5 * 4 + 4 * 3
    widths = {view.diagram.weights[1, s].get_linewidth() for s in range(len(WEIGHT_WIDTHS))}
    assert widths == set(WEIGHT_WIDTHS) and sorted(WEIGHT_WIDTHS) == list(WEIGHT_WIDTHS)


def test_the_signs_stay_apart_for_colour_blind_readers():
    for kind in colors.KINDS:  # the two hues (and the grey of 0) stay apart under each simulated dichromacy
        blue, orange, grey = (colors.simulate(c, kind) for c in (POSITIVE, NEGATIVE, ZERO))
        assert colors.delta_e(blue, orange) > 40 and colors.delta_e(blue, grey) > 20 and \
            colors.delta_e(orange, grey) > 20, kind
    # the strongest weight lines reach WCAG's 3:1 against the page
    _, view = shown_view()
    for sign in (1, -1):
        assert colors.contrast_ratio(view.diagram.weights[sign, len(WEIGHT_WIDTHS) - 1].get_color()) >= 3


def point_on(view, layer, source, unit, along=0.2):
    """A point a fifth of the way along a weight's line (not where lines cross), in the diagram's points."""
    p = view.diagram.layout.positions
    return (1 - along) * p[layer - 1][source] + along * p[layer][unit]


def test_hovering_a_unit_shows_and_says_its_formula_with_its_current_numbers(said):
    trainer, view = shown_view()
    model = trainer.model
    x, y = view.diagram.layout.positions[2][1]  # unit 2 of layer 2: z = w·h + b
    browser_sends(view.pointer, event="hover", x=x, y=y)
    W, b = model.layers[1].W[:, 1], model.layers[1].b[1]
    terms = " ".join(f"{'−' if w < 0 else '+'} {number(abs(w))}·h{'₁₂₃₄₅'[i]}" for i, w in enumerate(W))
    formula = f"z = {terms[2:] if W[0] >= 0 else '−' + terms[2:]} {'−' if b < 0 else '+'} {number(abs(b))}"
    text = view.interaction.readout.value
    assert text.startswith(f"Unit 2 of layer 2: {formula}, where hᵢ is the output of unit i of layer 1; "
                           f"it outputs tanh(z)"), text
    values = view.outputs[2][:, 1]
    assert f"goes from {number(values.min())} to {number(values.max())}" in text
    assert said == [text]
    assert view.output.title.get_text() == "unit 2 of layer 2"  # the large picture shows that unit
    assert view.diagram.mark.get_visible() and not view.diagram.halo.get_visible()
    x, y = view.diagram.layout.positions[1][0]
    browser_sends(view.pointer, event="hover", x=x + 1, y=y - 1)  # inside its square: layer 1 reads the inputs
    assert view.interaction.readout.value.startswith(
        f"Unit 1 of layer 1: z = {'−' if model.layers[0].W[0, 0] < 0 else ''}{number(abs(model.layers[0].W[0, 0]))}·x₁")
    browser_sends(view.pointer, event="leave")
    assert view.interaction.readout.value.startswith("Squares: each unit's output")
    assert view.output.title.get_text() == "class regions" and not view.diagram.mark.get_visible()
    assert len(said) == 2  # leaving says nothing


def test_hovering_a_weight_shows_its_value_and_a_hover_sends_only_what_changed(said):
    trainer, view = shown_view()
    pictures, lines = view.diagram.live.overlays[0].value, view.diagram.live.overlays[1].value
    browser_sends(view.pointer, event="hover", **dict(zip("xy", point_on(view, 2, 3, 1), strict=True)))
    w = trainer.model.layers[1].W[3, 1]
    expected = f"The weight from unit 4 of layer 1 to unit 2 of layer 2: w = {'−' if w < 0 else ''}{number(abs(w))}."
    assert view.interaction.readout.value == expected and said == [expected]
    assert view.diagram.halo.get_visible() and view.output.title.get_text() == "class regions"
    assert view.diagram.live.overlays[0].value == pictures  # the pictures and lines are not sent again
    assert view.diagram.live.overlays[1].value == lines
    assert "stroke" in view.diagram.live.overlays[2].value  # the highlight is


def test_the_weights_are_written_again_only_when_a_line_changes_its_step_or_sign():
    """A data control leaves the weights as they were: their SVG layer is not written again (nor sent, parsed,
    painted), and the browser keeps that layer's pixels apart from the pictures under it that did change."""
    trainer, view = shown_view()
    diagram, model = view.diagram, trainer.model
    layers, pieces = diagram.live.svg_layers, diagram.live.svg_layers.pieces
    assert "will-change:transform" in diagram.live.overlays[1].value
    assert "will-change" not in diagram.live.overlays[0].value + diagram.live.overlays[2].value
    kept = {line: pieces[line] for line in diagram.weights.values() if line.get_visible()}
    W = model.layers[0].W
    W[0, 0] *= 1 - 1e-3  # another value of the same step and sign (no step edge is that close)...
    assert min(abs(abs(W[0, 0]) - np.array(WEIGHT_EDGES))) > 0.01
    view.draw(model)
    assert all(pieces[line] is svg for line, svg in kept.items())  # ...writes no line again
    fresh = P.NetworkView()  # and drawing them would have given the same layer
    fresh.set_data(trainer)
    fresh.show(trainer)
    assert without_clip_ids(fresh.diagram.live.overlays[1].value) == without_clip_ids(diagram.live.overlays[1].value)
    W[0, 0] = -3.0  # a step and a sign more: the lines are written again
    view.draw(model)
    assert diagram.weights[-1, len(WEIGHT_WIDTHS) - 1].get_visible()
    assert layers.pieces[diagram.weights[-1, len(WEIGHT_WIDTHS) - 1]] in diagram.live.overlays[1].value


def test_a_picture_is_written_again_only_when_its_colours_changed():
    """A data control that leaves the weights and the plane (the validation share) leaves every unit's
    picture as it was: not encoded, sent or decoded again. A new weight changes the pictures after it."""
    trainer, view = shown_view()
    pictures, model = view.diagram.pictures, trainer.model
    kept = [picture.get_array() for picture in pictures[:4]]
    view.draw(model)
    assert all(picture.get_array() is array for picture, array in zip(pictures, kept, strict=False))
    model.layers[1].W[0, 0] += 1.0  # layer 2's first unit (and the output) see it, layer 1 does not
    view.draw(model)
    assert [picture.get_array() is array for picture, array in zip(pictures, kept, strict=False)] == [
        True, True, False, False]
    hidden, _ = own_forward(model, view.grid)
    t = np.clip(tile(hidden[1][:, 0], view.resolution, view.diagram.tile_resolution), -1, 1)
    expected = np.where((t >= 0)[..., None], exact_colour(np.abs(t), POSITIVE), exact_colour(np.abs(t), NEGATIVE))
    assert np.abs(unit_pixels(view, 2, 0) - expected).max() <= 1.0  # the new picture is the new output's


def test_clicking_a_weight_edits_that_weight_and_every_picture_follows(said):
    trainer, view = shown_view()
    model = trainer.model
    edits = []
    view.on_edit(lambda part, old, new: edits.append((part.layer, part.source, part.unit, old, new)))
    before = [layer.W.copy() for layer in model.layers]
    picture = view.output.image.get_array().copy()
    browser_sends(view.pointer, event="click", **dict(zip("xy", point_on(view, 1, 1, 2), strict=True)))
    editor = view.interaction.editor
    assert editor.layout.display == "" and editor.value == f"{before[0][1, 2]:.4g}"
    assert said[-1].startswith("Selected: The weight from x₂ to unit 3 of layer 1: w = ")
    assert said[-1].endswith("Type its new value and press Enter.")
    editor.value = "2.5"  # the student types 2.5 and presses Enter
    after = [layer.W.copy() for layer in model.layers]
    assert after[0][1, 2] == 2.5
    changed = [np.argwhere(a != b).tolist() for a, b in zip(after, before, strict=True)]
    assert changed == [[[1, 2]], [], []]  # that weight and no other
    assert edits == [(1, 1, 2, before[0][1, 2], 2.5)]
    old = f"{'−' if before[0][1, 2] < 0 else ''}{number(abs(before[0][1, 2]))}"
    assert said[-1] == f"The weight from x₂ to unit 3 of layer 1 is now 2.5 (it was {old})."
    hidden, _ = own_forward(model, view.grid)  # the pictures are the edited network's
    np.testing.assert_allclose(view.outputs[1], hidden[0], rtol=0, atol=1e-12)
    assert not np.array_equal(view.output.image.get_array(), picture)
    assert view.interaction.readout.value.endswith("w = 2.5.")  # the selection stays shown
    browser_sends(view.pointer, event="click", **dict(zip("xy", point_on(view, 1, 1, 2), strict=True)))
    assert view.interaction.selected is None and editor.layout.display == "none" and said[-1] == "Nothing selected."
    editor.value = "9"  # nothing selected: typing changes nothing
    assert all(np.array_equal(a, layer.W) for a, layer in zip(after, model.layers, strict=True))


def test_a_selected_unit_stays_in_the_large_picture_until_clicked_again(said):
    trainer, view = shown_view()
    x, y = view.diagram.layout.positions[3][0]  # output unit 1
    browser_sends(view.pointer, event="click", x=x, y=y)
    browser_sends(view.pointer, event="leave")
    assert view.output.title.get_text() == "output unit 1 (class 0)"
    p = view.outputs[-1][:, 0].reshape(60, 60)
    assert np.abs(view.output.image.get_array() - exact_colour(p, colors.FILLS[0], zero="white")).max() <= 1.0
    assert "probability over the plane goes from" in view.output.live.text
    trainer.run_epoch()
    view.show(trainer)  # training goes on: the selected unit's picture is drawn anew
    p = view.outputs[-1][:, 0].reshape(60, 60)
    assert np.abs(view.output.image.get_array() - exact_colour(p, colors.FILLS[0], zero="white")).max() <= 1.0
    assert view.interaction.editor.layout.display == "none"
    browser_sends(view.pointer, event="click", x=x, y=y)
    assert view.output.title.get_text() == "class regions"


def test_the_text_alternatives_hold_the_numbers_drawn():
    trainer, view = shown_view()
    words = view.diagram.live.text
    assert words.startswith("Network diagram: 2 inputs (x₁, x₂), hidden layers of 5, 4 tanh units, 3 outputs")
    for layer in (1, 2, 3):
        for j in range(view.outputs[layer].shape[1]):
            values = view.outputs[layer][:, j]
            assert f"unit {j + 1} from {number(values.min())} to {number(values.max())}" in words
        W = trainer.model.layers[layer - 1].W
        assert f"Its {W.size} weights go from {number(W.min())} to {number(W.max())}, {(W > 0).sum()} positive." \
            in words
    assert f'aria-label="{words}"' in view.diagram.live.overlays[0].value  # what a screen reader reads
    assert view.output.live.text.endswith("Points: 180 train (filled), 60 validation (hollow).")
    view.set_options(show_test=True)
    assert view.output.live.text.endswith("60 validation (hollow), 60 test (half filled).")


def test_new_data_writes_only_the_lines_with_points():
    """New data (new limits) writes every drawn line again: the empty lines of the classes a data set does not
    have (8 of 10 per set here) are not drawn, and come back when a data set has points of their class."""
    trainer, view = shown_view(P.Settings(dataset="moons", hidden=(3,), epochs=2), epochs=0)
    drawn = [line for lines in view.output.points.values() for line in lines if line.get_visible()]
    assert len(drawn) == 4 and all(len(line.get_xdata()) for line in drawn)  # train and validation, 2 classes
    view.set_data(P.Trainer(P.Settings(dataset="blobs", hidden=(3,))))
    assert [line.get_visible() for line in view.output.points["train"][:4]] == [True, True, True, False]


def test_show_test_adds_the_test_points_and_their_key():
    trainer, view = shown_view()
    test_lines = view.output.points["test"]
    assert not any(line.get_visible() for line in test_lines) and "test" not in view.output.key.get_text()
    view.set_options(show_test=True)
    assert view.output.key.get_text().endswith("◐ test")
    for k, line in enumerate(test_lines):
        assert np.array_equal(line.get_xydata(), trainer.X_test[trainer.y_test == k])
        assert line.get_visible() == (k < trainer.settings.classes)  # the empty lines are not drawn
    assert "path" in view.output.live.overlays[1].value
    view.set_options(show_test=False)
    assert not any(line.get_visible() for line in test_lines)


def test_large_layers_draw_their_first_16_units_and_say_how_many_more():
    trainer, view = shown_view(P.Settings(hidden=(32, 32, 32), epochs=3), epochs=1)
    layout = view.diagram.layout
    assert layout.shown == (2, 16, 16, 16, 3)
    assert [t.get_text() for t in view.diagram.more if t.get_visible()] == ["+16 more"] * 3
    drawn = sum(len(segments(line)) for line in view.diagram.weights.values() if line.get_visible())
    assert drawn == 2 * 16 + 16 * 16 * 2 + 16 * 3
    assert "(16 more units not drawn)" in view.diagram.live.text
    assert layout.tile > 10  # points: big enough to see and to point at
    for p in layout.positions:  # every square inside the figure
        assert p[:, 1].min() - layout.tile / 2 > 0 and p[:, 1].max() + layout.tile / 2 < view.diagram.height


def test_a_network_of_other_sizes_is_laid_out_again_and_forgets_the_selection():
    trainer, view = shown_view()
    x, y = view.diagram.layout.positions[2][3]
    browser_sends(view.pointer, event="click", x=x, y=y)
    assert view.interaction.selected is not None
    other = P.Trainer(P.Settings(hidden=(), epochs=3))
    view.set_data(other)
    view.show(other)
    assert view.diagram.layout.shown == (2, 3) and view.interaction.selected is None
    assert [p.get_visible() for p in view.diagram.pictures] == [True, True] + [False] * 6
    assert "no hidden layer" in view.diagram.live.text


def test_a_new_width_writes_again_only_what_moved():
    """Titles and input names that stay where they were are not written again (a units move is a new network)."""
    trainer, view = shown_view()
    diagram = view.diagram
    diagram.set_sizes([2, 6, 4, 3], view.input_names)
    kept = [text for text in (*diagram.titles, *diagram.input_names) if text.get_visible()]
    assert len(kept) == 4 + 2 and not any(text.stale for text in kept)
    assert diagram.frames.stale  # the squares of layer 1 moved
    diagram.set_sizes([2, 6, 4, 4, 3], view.input_names)  # a layer more: every column moves
    assert all(text.stale for text in diagram.titles[1:5]) and not diagram.titles[0].stale  # "inputs" stays


def test_a_diverged_run_keeps_the_last_pictures():
    trainer, view = shown_view(P.Settings(dataset="moons", hidden=(32,) * 6, lr=1.0, epochs=20), epochs=0)
    picture = view.output.live.picture()
    trainer.run()
    assert trainer.diverged
    view.show(trainer)
    assert view.output.live.picture() == picture
    with np.errstate(all="ignore"):
        view.draw(trainer.model)  # drawn anyway: a network whose outputs are not numbers changes nothing
    assert view.output.live.picture() == picture


def test_bad_arguments_say_what_was_expected():
    with pytest.raises(ValueError, match="tile_resolution must divide resolution \\(60\\), got 16"):
        P.NetworkView(tile_resolution=16)
    view = P.NetworkView()
    with pytest.raises(ValueError, match="call set_data first"):
        view.draw(P.Trainer(SETTINGS).model)


def test_on_a_projector_every_figure_fits_the_page_without_a_warning():
    with viz.presentation(True), warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", DeprecationWarning)  # the oldest traitlets warns inside ipywidgets itself
        _, view = shown_view()
        for live in view.figures:
            assert live.fig.get_size_inches()[0] * live.dpi <= viz.PRESENTATION_WIDTH
        assert view.diagram.layout.tile > 10


def test_a_weight_typed_wrong_is_said_and_changes_nothing(said):
    trainer, view = shown_view()
    browser_sends(view.pointer, event="click", **dict(zip("xy", point_on(view, 2, 0, 0), strict=True)))
    before = trainer.model.layers[1].W.copy()
    view.interaction.editor.value = "a lot"
    assert said[-1] == "A weight must be a finite number, such as 0.5 or -1.2; got 'a lot'."
    assert np.array_equal(trainer.model.layers[1].W, before)
    view.interaction.editor.value = "inf"
    assert said[-1].endswith("got 'inf'.") and np.array_equal(trainer.model.layers[1].W, before)
    view.interaction.editor.value = "\u22120.25"  # the minus sign of the readout, copied
    assert trainer.model.layers[1].W[0, 0] == -0.25


def test_the_two_switches_are_toggles_on_the_readout_line_named_for_screen_readers():
    trainer, view = shown_view()
    toggles = view.options
    assert set(toggles) == {"show_test", "discrete"} and all(t in view.interaction.widget.children
                                                           for t in toggles.values())
    before = view.output.image.get_array().copy()
    toggles["discrete"].value = True  # TensorFlow Playground's "discretize output"
    assert view.output.discrete and not np.array_equal(before, view.output.image.get_array())
    toggles["show_test"].value = True  # its "show test data"
    assert all(line.get_visible() for line in view.output.points["test"][:trainer.settings.classes])
    assert view.output.live.text.endswith("60 test (half filled).")
    toggles["show_test"].value = toggles["discrete"].value = False
    assert not view.output.show_test and not view.output.discrete
    assert np.array_equal(before, view.output.image.get_array())
