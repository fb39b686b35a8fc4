"""Notebook 03's lab: the tiny network, its backward pass step by step, and the zero_grad bug."""

import html

import numpy as np
import pytest

import nnlite as nl
from nnlite import viz
from nnlite.labs import backprop as bp


def test_tiny_network_forward():
    model = bp.tiny_network()
    assert model.sizes == [1, 2, 1] and model.activation.name == "relu"
    assert model.forward(np.array([[2.0]]))[0, 0] == 2.0
    np.testing.assert_allclose(model.pre_activations[0], [[1.0, -0.5]])


def test_backward_pass_numbers():
    r = bp.backward_pass(bp.tiny_network())
    assert (r["pred"], r["loss"], r["dpred"]) == (2.0, 1.0, 2.0)
    np.testing.assert_allclose(r["dW"][0], [[6.0, 0.0]])
    np.testing.assert_allclose(r["db"][0], [3.0, 0.0])
    np.testing.assert_allclose(r["dW"][1], [[2.0], [0.0]])
    np.testing.assert_allclose(r["db"][1], [2.0])
    assert [s.where for s in r["trace"]] == ["Dense 2", "relu after Dense 1", "Dense 1"]
    np.testing.assert_allclose(r["trace"][-1].downstream, [[1.5]])


def test_backward_pass_zeroes_old_gradients_first():
    model = bp.tiny_network()
    bp.backward_pass(model)
    r = bp.backward_pass(model)  # a second call must not add up
    np.testing.assert_allclose(r["dW"][0], [[6.0, 0.0]])


@pytest.mark.parametrize("x", [2.0, 1.0, -2.0, 0.7])
def test_backward_pass_matches_numerical_gradient(x):
    model = bp.tiny_network()
    r = bp.backward_pass(model, x)

    def loss(_):
        return nl.mse(model.forward(np.array([[x]])), np.array([[bp.TARGET]]))[0]

    for layer, dW, db in zip(model.layers, r["dW"], r["db"], strict=True):
        assert nl.gradient_check(loss, layer.W, dW) < 1e-7
        assert nl.gradient_check(loss, layer.b, db) < 1e-7


def test_other_input_wakes_the_other_unit():
    r = bp.backward_pass(bp.tiny_network(), -2.0)
    assert (r["pred"], r["loss"], r["dpred"]) == (1.5, 0.25, 1.0)
    np.testing.assert_allclose(r["dW"][0], [[0.0, -4.0]])


def test_backward_stages():
    result = bp.backward_pass(bp.tiny_network())
    stages = bp.backward_stages(result)
    assert len(stages) == 4
    first, dense2, relu, dense1 = stages
    # step 0: forward pass and loss done; the loss returned dL/dy_hat, where backward starts
    assert first["current"] == ("nodes", 2) and first["node_grads"][2] == [["∂L/∂ŷ = 2.00"]]
    assert all(g == "?" for m in first["edge_grads"] for row in m for g in row)
    assert all(not unit for layer in first["node_grads"][:2] for unit in layer)
    # step k of the picture is step k of the printed trace
    trace_rows = str(result["trace"]).splitlines()[2:]
    for k, (stage, row) in enumerate(zip(stages[1:], trace_rows, strict=True), 1):
        where = result["trace"][k - 1].where
        assert row.split()[0] == str(k) and where in row
        assert stage["caption"].startswith(f"step {k}, ")
        assert where.split()[0] in stage["caption"]
    assert dense2["current"] == ("edges", 1) and dense2["edge_grads"][1] == [["2.00"], ["0.00"]]
    assert dense2["edge_grads"][0] == [["?", "?"]]
    assert dense2["node_grads"][1] == [["∂L/∂h = 3.00"], ["∂L/∂h = 4.00"]]
    assert dense2["node_grads"][2] == [["∂L/∂ŷ = 2.00", "∂L/∂b = 2.00"]]  # Dense 2 computes the output bias's
    assert relu["node_grads"][1] == [["∂L/∂h = 3.00", "∂L/∂z = 3.00"], ["∂L/∂h = 4.00", "∂L/∂z = 0.00"]]
    assert "[3.00, 4.00] × [1.00, 0.00] = [3.00, 0.00]" in relu["caption"]
    assert dense1["current"] == ("edges", 0) and dense1["edge_grads"][0] == [["6.00", "0.00"]]
    assert dense1["node_grads"][0] == [["∂L/∂x = 1.50"]]
    # the hidden biases' gradients appear with Dense 1's step: each equals its unit's dL/dz (db1 = [3, 0])
    assert dense1["node_grads"][1] == [["∂L/∂h = 3.00", "∂L/∂z = 3.00", "∂L/∂b = 3.00"],
                                       ["∂L/∂h = 4.00", "∂L/∂z = 0.00", "∂L/∂b = 0.00"]]
    np.testing.assert_array_equal(result["db"][0], [3.0, 0.0])


def test_backward_stages_of_a_deeper_network():
    model = nl.MLP([1, 3, 2, 1], activation="tanh", seed=1)
    r = bp.backward_pass(model, 0.5, target=-1.0)
    stages = bp.backward_stages(r)
    assert len(stages) == 1 + len(r["trace"]) == 6
    last = stages[-1]
    for i, layer in enumerate(model.layers):
        np.testing.assert_allclose(np.array(last["edge_grads"][i], dtype=float), layer.dW, atol=0.005)
    _, ax = viz.new_axes(figsize=(9, 4.4))
    diagram = bp.draw_backward(r, ax=ax)
    assert diagram.edge_texts[2][1][0].get_text() == f"∂L/∂w = {model.layers[2].dW[1, 0]:.2f}"


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda: bp.backward_pass(nl.MLP([2, 2, 1])), ValueError, "model must be an MLP with 1 input and 1 output"),
    (lambda: bp.backward_pass(bp.tiny_network(), x=np.nan), TypeError, "x must be a finite number"),
    (lambda: bp.backward_pass(bp.tiny_network(), target="1"), TypeError, "target must be a finite number"),
    (lambda: bp.draw_backward(bp.backward_pass(bp.tiny_network()), step=4, ax=viz.new_axes()[1]), ValueError,
     "step must be in 0..3"),
    (lambda: bp.draw_backward(bp.backward_pass(bp.tiny_network()), step=1.5), TypeError, "step must be an integer"),
    (lambda: bp.train_tiny(steps=0), ValueError, "steps must be >= 1"),
    (lambda: bp.train_tiny(lr=-1.0), ValueError, "lr must be in"),
])
def test_bad_input_is_named(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_diagram_refuses_a_result_of_another_shape():
    _, ax = viz.new_axes()
    diagram = bp.BackpropDiagram(ax, (1, 2, 1))
    r = bp.backward_pass(nl.MLP([1, 3, 1], seed=0))
    with pytest.raises(ValueError, match=r"result must come from a network of sizes \[1, 2, 1\]"):
        diagram.show(r, bp.backward_stages(r)[0])


def test_forgetting_zero_grad():
    good = bp.train_tiny(steps=30, lr=0.05, zero_grad=True)
    bad = bp.train_tiny(steps=30, lr=0.05, zero_grad=False)
    assert good["loss"][0] == bad["loss"][0] == 1.0  # same until gradients pile up
    assert good["loss"][1] == bad["loss"][1] == pytest.approx(0.0625)
    assert good["loss"][-1] < 1e-10
    assert bad["loss"][-10:].max() > 0.3 and bad["loss"][2] == pytest.approx(0.4556, abs=1e-4)
    assert bad["z"].shape == (30, 2) and bad["w"].shape == bad["b2"].shape == (30,)


def test_forgotten_zero_grad_kills_the_unit_and_b2_swings_alone():
    """Notebook 03, optional section 17: an independent NumPy re-run of the tiny network without zero_grad."""
    bad = bp.train_tiny(steps=200, lr=0.05, zero_grad=False)
    W1, b1, W2, b2 = np.array([[0.5, -0.25]]), np.zeros(2), np.array([[1.5], [2.0]]), np.array([0.5])
    sums = [np.zeros_like(W1), np.zeros_like(b1), np.zeros_like(W2), np.zeros_like(b2)]
    for step in range(200):
        z = 2.0 * W1 + b1
        h = np.maximum(z, 0.0)
        d = 2 * (h @ W2 + b2 - 1.0)
        dz = (d @ W2.T) * (z > 0)
        for total, grad in zip(sums, (2.0 * dz, dz[0], h.T @ d, d[0]), strict=True):
            total += grad
        np.testing.assert_allclose([bad["z"][step, 0], bad["w"][step], bad["b2"][step]], [z[0, 0], W1[0, 0], b2[0]],
                                   rtol=1e-12, atol=1e-12)
        for value, total in zip((W1, b1, W2, b2), sums, strict=True):
            value -= 0.05 * total
    assert (bad["z"][2:, 0] < 0).all() and (bad["z"][:, 1] == -0.5).all()  # unit 1 off from step 3; unit 2 always
    np.testing.assert_allclose(np.diff(bad["w"][2:]), -0.05 * 4.6)           # the frozen sum drives W1 down
    crossings = np.count_nonzero(np.diff(np.sign(bad["b2"][2:] - 1.0)))
    assert crossings >= 15 and bad["b2"][2:].min() > 0.2 and bad["b2"][2:].max() < 1.8  # swings, never settles


def test_forgotten_zero_grad_is_heavy_ball_momentum_with_beta_one():
    """Notebook 03, optional section 17: v <- beta v - lr g, w <- w + v (Polyak 1964) with beta = 1 moves every
    weight as a forgotten zero_grad does; with beta = 0.9 it does not (so the test can tell them apart)."""
    bad = bp.train_tiny(steps=60, lr=0.05, zero_grad=False)

    def heavy_ball(beta):
        W1, b1, W2, b2 = np.array([[0.5, -0.25]]), np.zeros(2), np.array([[1.5], [2.0]]), np.array([0.5])
        velocities = [np.zeros_like(W1), np.zeros_like(b1), np.zeros_like(W2), np.zeros_like(b2)]
        w, bias = [], []
        for _ in range(60):
            w.append(W1[0, 0])
            bias.append(b2[0])
            z = 2.0 * W1 + b1
            h = np.maximum(z, 0.0)
            d = 2 * (h @ W2 + b2 - 1.0)
            dz = (d @ W2.T) * (z > 0)
            for value, v, grad in zip((W1, b1, W2, b2), velocities, (2.0 * dz, dz[0], h.T @ d, d[0]), strict=True):
                v *= beta
                v -= 0.05 * grad
                value += v
        return np.array(w), np.array(bias)

    w, bias = heavy_ball(1.0)
    np.testing.assert_allclose(bad["w"], w, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(bad["b2"], bias, rtol=1e-12, atol=1e-12)
    assert np.abs(heavy_ball(0.9)[1] - bad["b2"]).max() > 0.1


@pytest.fixture  # a new panel for each test: a test moves its controls
def panel():
    return bp.explorer(prerender=False)


def grad_texts(view):
    return [t.get_text() for layer in view.diagram.grad_texts for t in layer]


def test_explorer_steps_through_the_backward_pass(panel):
    view = panel.view
    assert panel.error.value == "" and panel.controls["step"].max == 3
    assert view.state == (2.0, 0)
    assert grad_texts(view)[-1] == "∂L/∂ŷ = 2.00\n∂L/∂b = ?"  # from the loss, before the first backward step
    assert all(text.endswith("?") for text in grad_texts(view))
    pictures = [view.live.picture()]
    for step in range(1, 4):
        panel.controls["step"].value = step
        assert panel.error.value == ""
        assert view.state == (2.0, step)
        assert view.live.picture() != pictures[-1]
        assert panel.table.value.count("<tr>") == step + 1  # header + one row per step
        pictures.append(view.live.picture())
    assert view.diagram.edge_texts[0][0][0].get_text() == "∂L/∂w = 6.00"
    assert view.diagram.edges[0][0][0].get_visible() and view.diagram.edges[0][0][0].get_color() == bp.CURRENT
    dead = view.diagram.edges[0][0][1]  # W1[0, 1], behind the unit that is off: gradient 0
    assert view.diagram.edge_texts[0][0][1].get_text() == "∂L/∂w = 0.00"
    assert dead.get_visible() and dead.get_color() == bp.GREY
    assert dead.get_linestyle() == "--" and dead.get_gapcolor() == "white"
    assert dead.get_linewidth() < view.diagram.edges[0][0][0].get_linewidth()
    assert view.diagram.caption.get_text().startswith("step 3, Dense 1")
    redraws = view.live.redraws
    panel.controls["step"].value = 0  # back to a picture drawn before: served from the cache
    assert view.live.picture() == pictures[0] and view.live.redraws == redraws
    assert "Move the step slider" in panel.table.value


def test_explorer_input_choice(panel):
    view = panel.view
    panel.controls["step"].value = 3
    before = view.live.picture()
    panel.controls["x"].value = -2.0
    assert panel.error.value == "" and view.state == (-2.0, 3)
    assert view.live.picture() != before
    assert view.diagram.edge_texts[0][0][1].get_text() == "∂L/∂w = -4.00"
    assert view.diagram.loss_text.get_text().startswith("loss = 0.25")
    panel.controls["x"].value = 1.0
    assert view.diagram.node_texts[2][0].get_text() == "b=0.50\nŷ=1.25"
    panel.controls["x"].value = 2.0


def test_prerendered_explorer_answers_from_the_cache():
    panel = bp.explorer()
    view = panel.view
    assert len(view.live.kept) == 12
    redraws = view.live.redraws
    for x in (1.0, -2.0):
        panel.controls["x"].value = x
        for step in range(4):
            panel.controls["step"].value = step
            assert panel.error.value == "" and view.live.overlay.value == view.live.kept[(x, step)][1]
    assert view.live.redraws == redraws


def test_the_prerendered_explorers_words_describe_the_state_it_shows():
    """The still picture's alt text (live.text) is of the state shown (x = 2, step 0), not of the last state
    prerendered (x = -2): a screen reader must hear what the picture and the notebook's text show."""
    fresh, panel = bp.explorer(prerender=False), bp.explorer()
    shown = fresh.view.live.text
    assert "'x 2.00'" in shown and "'x -2.00'" not in shown
    assert panel.view.live.text == shown
    alt = panel._repr_mimebundle_()["text/html"]
    assert "'x 2.00'" in html.unescape(alt) and "'x -2.00'" not in html.unescape(alt)
    panel.controls["x"].value = -2.0  # a state kept from the prerendering: its words come back with it
    assert "'x -2.00'" in panel.view.live.text
    panel.controls["x"].value = 2.0
    assert panel.view.live.text == shown


def test_a_batch_sums_the_examples_contributions():
    model = bp.tiny_network()
    X, Y = np.array([[2.0], [-2.0]]), np.array([[1.0], [1.0]])
    loss, dpred = nl.mse(model.forward(X), Y)
    model.backward(dpred, trace=True)
    upstream = model.last_trace[-1].upstream
    assert loss == 0.625 and np.array_equal(upstream, [[1.5, 0.0], [0.0, 1.0]])
    assert np.array_equal(model.layers[0].db, upstream.sum(axis=0))
    assert np.array_equal(model.layers[0].dW, [[3.0, -2.0]]) and np.array_equal(model.layers[1].db, [1.5])


def test_fan_out_adds_the_paths():
    model = bp.tiny_network()
    _, dpred = nl.mse(model.forward(np.array([[2.0]])), np.array([[1.0]]))
    dx = model.backward(dpred, trace=True)
    paths = model.last_trace[-1].upstream[0] * model.layers[0].W[0]
    assert paths.sum() == dx[0, 0] == 3 * 0.5 + 0 * (-0.25)


def test_forward_mode_needs_one_sweep_per_parameter_and_agrees_with_backprop():
    model = bp.tiny_network()
    gradients, sweeps = bp.forward_mode_gradient(model, [[2.0]], [[1.0]])
    assert sweeps == 7  # W1: 2, b1: 2, W2: 2, b2: 1
    for gradient, expected in zip(gradients, ([[6.0, 0.0]], [3.0, 0.0], [[2.0], [0.0]], [2.0]), strict=True):
        np.testing.assert_array_equal(gradient, expected)
    deeper = nl.MLP([3, 4, 3, 2], activation="tanh", seed=1)
    rng = np.random.default_rng(0)
    X, T = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    gradients, sweeps = bp.forward_mode_gradient(deeper, X, T)
    assert sweeps == sum(value.size for value, _ in deeper.parameters()) == 16 + 15 + 8
    _, dpred = nl.mse(deeper.forward(X), T)
    deeper.backward(dpred)
    for gradient, (value, grad) in zip(gradients, deeper.parameters(), strict=True):
        assert nl.relative_error(gradient, grad) < 1e-12
        assert nl.gradient_check(lambda _: nl.mse(deeper.forward(X), T)[0], value, gradient) < 1e-7


def test_a_batch_in_pieces_needs_each_piece_scaled():
    """Mean losses: k pieces summed give k times the batch's gradient, unless each is scaled by its share."""
    X, Y = np.array([[2.0], [-2.0], [1.0]]), np.array([[1.0], [1.0], [0.0]])
    whole = bp.tiny_network()
    whole.backward(nl.mse(whole.forward(X), Y)[1])
    plain, scaled = bp.tiny_network(), bp.tiny_network()
    for rows in ([0, 1], [2]):  # pieces of unequal size
        plain.backward(nl.mse(plain.forward(X[rows]), Y[rows])[1])
        scaled.backward(nl.mse(scaled.forward(X[rows]), Y[rows])[1] * len(rows) / len(X))
    for w, p, s in zip(whole.layers, plain.layers, scaled.layers, strict=True):
        np.testing.assert_allclose(s.dW, w.dW, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(s.db, w.db, rtol=1e-12, atol=1e-15)
        assert not np.allclose(p.db, w.db)  # unscaled, the pieces' means overweight the small piece


def test_equal_incoming_weights_alone_do_not_make_units_copies():
    """docs/teaching.md: all hidden units stay one unit only if their OUTGOING weights are equal too."""
    X, y = nl.datasets.moons(n=200, noise=0.1, seed=0)
    for seed in range(3):
        incoming, every = nl.MLP([2, 4, 2], seed=seed), nl.MLP([2, 4, 2], seed=seed)
        incoming.layers[0].W[:] = 0.5
        for layer in every.layers:
            layer.W[:] = 0.5
        for model in (incoming, every):
            nl.fit(model, X, y, epochs=20, lr=0.1, seed=seed)
        assert bp.unit_differences(incoming).min() > 0.1
        assert bp.unit_differences(every).max() == 0.0


# --- symmetry ------------------------------------------------------------------------------------

def test_copies_of_one_unit():
    model = bp.copies_of_one_unit(nl.MLP([2, 3, 2], seed=4))
    assert np.array_equal(bp.unit_differences(model), np.zeros(3))
    assert bp.unit_differences(nl.MLP([2, 3, 2], seed=4)).min() > 0
    with pytest.raises(ValueError, match="model must have exactly one hidden layer, got 2"):
        bp.copies_of_one_unit(nl.MLP([2, 3, 3, 2]))


def test_copies_stay_copies_and_cost_accuracy():
    result = bp.symmetry_experiment(seeds=range(3), hidden=4, epochs=10)
    for name in ("copies", "random"):
        assert result[name]["difference"].shape == (3, 2) and result[name]["accuracy"].shape == (3,)
    assert result["copies"]["difference"].max() == 0.0
    assert result["random"]["difference"][:, 0].min() > 0.1
    ax_acc, ax_map = bp.plot_symmetry(result)
    np.testing.assert_array_equal(ax_acc.lines[2].get_ydata(), result["copies"]["accuracy"])
    seed = bp.best_copies_seed(result)
    assert result["copies"]["accuracy"][seed] == result["copies"]["accuracy"].max()
    assert len(ax_map.collections) >= 2  # the points, and at least one boundary drawn
    assert len(result["copies"]["models"]) == 3 and result["data"][0].shape == (200, 2)


def test_a_layer_of_copies_is_one_unit():
    X, _ = nl.datasets.circles(n=200, noise=0.05, seed=0)
    for seed in range(3):
        copies = bp.copies_of_one_unit(nl.MLP([2, 8, 2], seed=seed))
        one = bp.one_unit_network(copies)
        assert one.sizes == [2, 1, 2]
        np.testing.assert_allclose(one.forward(X), copies.forward(X), rtol=1e-12, atol=1e-12)


def best_line_accuracy(X, y):
    """The best accuracy of any straight boundary (either side either class) over all lines through two points:
    what one ReLU unit's network can reach at most (its decision is a half-plane), up to ties on the line."""
    best = 0.0
    for i in range(len(X) - 1):
        d = X[i + 1:] - X[i]
        normals = np.column_stack([-d[:, 1], d[:, 0]])
        side = (X - X[i]) @ normals.T > 0  # (points, lines)
        right = (side == (y[:, None] == 1)).mean(axis=0)
        best = max(best, right.max(), (1 - right).max())
    return best


def test_the_copies_accuracy_stays_under_what_one_straight_line_can_do():
    """Notebook 03, sections 12 and 15: the circles need a bent boundary; copies of one unit draw a straight one."""
    X, y = nl.datasets.circles(n=200, noise=0.05, seed=0)
    line = best_line_accuracy(X, y)
    assert line < 0.7  # no straight line gets 70 % of the circles right
    result = bp.symmetry_experiment(seeds=range(10), hidden=8, epochs=40)
    assert result["copies"]["accuracy"].max() <= line + 0.01
    assert result["random"]["accuracy"].min() > 0.75


def test_time_gradients_measures_all_three_ways():
    model = nl.MLP([2, 4, 2], seed=0)
    X, T = np.ones((5, 2)), np.zeros((5, 2))
    times = bp.time_gradients(model, X, T, repeat=1)
    assert set(times) == {"reverse", "forward mode", "numerical"} and all(t > 0 for t in times.values())
    with pytest.raises(ValueError, match="repeat must be >= 1"):
        bp.time_gradients(model, X, T, repeat=0)


def test_the_diagram_shows_every_bias_so_that_the_lines_add_up():
    result = bp.backward_pass(bp.tiny_network())
    diagram = bp.draw_backward(result, step=0, ax=viz.new_axes()[1])
    assert [t.get_text() for t in diagram.node_texts[1]] == ["b=0.00\nz=1.00\nh=1.00", "b=0.00\nz=-0.50\nh=0.00"]
    assert diagram.node_texts[2][0].get_text() == "b=0.50\nŷ=2.00"
    # the lines alone give 1.0 * 1.5 + 0.0 * 2.0 = 1.5: only with the bias shown do they add up to y_hat
    assert result["h"][0] @ result["W"][1][:, 0] + result["b"][1][0] == result["pred"] == 2.0


def test_unknown_gradients_are_grey_but_readable():
    diagram = bp.draw_backward(bp.backward_pass(bp.tiny_network()), step=0, ax=viz.new_axes()[1])
    assert diagram.grad_texts[0][0].get_color() == bp.MUTED
    grey = float(bp.MUTED)  # WCAG contrast of grey text on white: at least 4.5 for small print
    linear = grey / 12.92 if grey <= 0.04045 else ((grey + 0.055) / 1.055) ** 2.4
    assert 1.05 / (linear + 0.05) >= 4.5


# --- the exercises -----------------------------------------------------------------------------

@pytest.mark.parametrize(("answer", "status", "words"), [
    (3.0 * (1 - np.tanh(1.0) ** 2), "correct", "42 %"), (1.26, "correct", "42 %"), (1.3, "close", "more digits"),
    (3.0, "mistake", "ReLU"), (1 - np.tanh(1.0) ** 2, "mistake", "local derivative alone"),
    (3.0 * np.tanh(1.0), "mistake", "forward value"), (-1.2599, "mistake", "sign"),
])
def test_tanh_step(answer, status, words):
    feedback = bp.TANH_STEP.grade(answer)
    assert feedback.status == status and words in feedback.text


def test_dense_gradients_exercise():
    def right(X, U):
        X, U = np.asarray(X, dtype=float), np.asarray(U, dtype=float)
        return X.T @ U, U.sum(axis=0)

    assert bp.DENSE_GRADIENTS.grade(right).status == "correct"
    example = right([[2.0], [-2.0]], [[1.5, 0.0], [0.0, 1.0]])  # the one in the exercise text
    np.testing.assert_array_equal(example[0], [[3.0, -2.0]])
    for wrong, words in [
        (lambda X, U: (np.asarray(U).T @ np.asarray(X), np.sum(U, axis=0)), "transposed"),
        (lambda X, U: (np.asarray(X).T @ np.asarray(U) / len(X), np.mean(U, axis=0)), "averaged"),
        (lambda X, U: (np.asarray(U, dtype=float), np.sum(U, axis=0)), "upstream gradient alone"),
        (lambda X, U: (-(np.asarray(X).T @ np.asarray(U)), -np.sum(U, axis=0)), "sign"),
        (lambda X, U: (np.asarray(X).T @ np.asarray(U), np.sum(U, axis=1)), "axis 0"),
    ]:
        feedback = bp.DENSE_GRADIENTS.grade(wrong)
        assert feedback.status == "mistake" and words in feedback.text, feedback
    unsummed = bp.DENSE_GRADIENTS.grade(lambda X, U: (np.asarray(X).T @ np.asarray(U), np.asarray(U)))
    assert unsummed.status == "mistake" and "one row per example" in unsummed.text  # db = upstream, unsummed
    one = bp.DENSE_GRADIENTS.grade(lambda X, U: np.asarray(X).T @ np.asarray(U))
    assert one.status == "invalid" and "2 values" in one.text


def test_dense_gradients_names_a_db_kept_as_a_row():
    kept = bp.DENSE_GRADIENTS.grade(lambda X, U: (np.asarray(X, float).T @ np.asarray(U, float),
                                                  np.asarray(U, float).sum(axis=0, keepdims=True)))
    assert kept.status == "mistake" and "keepdims" in kept.text


def _first_layer_by_hand(X, W1, b1, W2, b2, U):
    X, W1, b1, W2, U = (np.asarray(a, dtype=float) for a in (X, W1, b1, W2, U))
    z = X @ W1 + b1
    delta = (U @ W2.T) * (z > 0)
    return X.T @ delta, delta.sum(axis=0)


def test_hidden_gradients_exercise():
    exercise = bp.HIDDEN_GRADIENTS
    assert exercise.grade(_first_layer_by_hand).status == "correct"
    # the example in the exercise text is section 3's trace, and the check's cases agree with nnlite's backward pass
    dW1, db1 = _first_layer_by_hand([[2.0]], [[0.5, -0.25]], [0.0, 0.0], [[1.5], [2.0]], [0.5], [[2.0]])
    assert np.array_equal(dW1, [[6.0, 0.0]]) and np.array_equal(db1, [3.0, 0.0])
    for X, W1, b1, W2, b2, U in exercise.cases[:12]:
        net = nl.MLP([np.shape(W1)[0], np.shape(W1)[1], np.shape(W2)[1]], activation="relu")
        for layer, (W, b) in zip(net.layers, [(W1, b1), (W2, b2)], strict=True):
            layer.W[:], layer.b[:] = W, b
        net.forward(np.asarray(X, float))
        net.backward(np.asarray(U, float))
        got = _first_layer_by_hand(X, W1, b1, W2, b2, U)
        np.testing.assert_allclose(got[0], net.layers[0].dW, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(got[1], net.layers[0].db, rtol=1e-12, atol=1e-15)
    kinks = [i for i, (X, W1, b1, *_) in enumerate(exercise.cases) if np.any(np.asarray(X) @ W1 + b1 == 0)]
    assert kinks == [3]  # one case has a z of exactly 0, where nnlite's ReLU has slope 0; the others stay clear of it
    assert all(np.abs(np.asarray(X) @ W1 + b1).min() > 1e-9 for i, (X, W1, b1, *_) in enumerate(exercise.cases)
               if i != 3)
    for wrong, words in [
        (lambda X, W1, b1, W2, b2, U: (np.asarray(X).T @ (np.asarray(U) @ np.asarray(W2).T),
                                       (np.asarray(U) @ np.asarray(W2).T).sum(0)), "local slope"),
        (lambda X, W1, b1, W2, b2, U: (lambda d: (np.asarray(X).T @ d, d.sum(0)))(
            (np.asarray(U) @ np.asarray(W2).T) * (np.asarray(X) @ W1 + b1 >= 0)), "At z = 0 exactly"),
        (lambda *a: tuple(g / len(a[0]) for g in _first_layer_by_hand(*a)), "averaged"),
        (lambda *a: (_first_layer_by_hand(*a)[0].T, _first_layer_by_hand(*a)[1]), "transposed"),
        (lambda *a: tuple(-g for g in _first_layer_by_hand(*a)), "sign"),
        (lambda *a: (_first_layer_by_hand(*a)[0], _first_layer_by_hand(*a)[1][None]), "keepdims"),
    ]:
        feedback = exercise.grade(wrong)
        assert feedback.status == "mistake" and words in feedback.text, (words, feedback)


def test_hidden_gradients_cases_switch_units_on_and_off_and_are_not_square():
    on = [(np.asarray(X) @ W1 + b1 > 0) for X, W1, b1, *_ in bp.HIDDEN_GRADIENTS.cases]
    assert sum(m.any() and not m.all() for m in on) > 20  # most cases have units both on and off
    assert any(len(X) == 1 for X, *_ in bp.HIDDEN_GRADIENTS.cases)
    assert any(len({np.shape(X)[1], np.shape(W1)[1], np.shape(W2)[1]}) == 3
               for X, W1, b1, W2, *_ in bp.HIDDEN_GRADIENTS.cases)


def test_three_calls():
    assert bp.THREE_CALLS.grade(18).status == "correct"
    assert "two calls" in bp.THREE_CALLS.grade(12.0).text
    assert "added, not multiplied" in bp.THREE_CALLS.grade(216).text


@pytest.mark.parametrize(("answer", "status", "words"), [
    (0.5, "correct", "sum over every path"), (1.5, "mistake", "unit 1 only"), (-1.0, "mistake", "unit 2 only"),
    (7.0, "mistake", "without the weights"), (2.5, "mistake", "minus sign"), (-1.5, "mistake", "do not multiply"),
    (0.0, "wrong", "each path contributes"),
])
def test_fan_out_exercise(answer, status, words):
    feedback = bp.FAN_OUT.grade(answer)
    assert feedback.status == status and words in feedback.text


def test_a_weights_box_covers_neither_the_gradient_under_it_nor_leaves_a_seam_between_them():
    result = bp.backward_pass(bp.tiny_network())
    diagram = bp.draw_backward(result)
    figure = diagram.ax.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    pairs = [(w, g) for m_w, m_g in zip(diagram.weight_texts, diagram.edge_texts, strict=True)
             for row_w, row_g in zip(m_w, m_g, strict=True) for w, g in zip(row_w, row_g, strict=True)]
    assert len(pairs) == 4
    for weight, gradient in pairs:
        weight_box = weight.get_bbox_patch().get_window_extent(renderer)
        gradient_box = gradient.get_bbox_patch().get_window_extent(renderer)
        gradient_text = gradient.get_window_extent(renderer)
        assert weight_box.y0 >= gradient_text.y1  # the weight (drawn later) sits above the gradient's letters
        assert weight_box.y0 < gradient_box.y1  # the boxes overlap: no line shows between them


def test_backward_diagram_says_in_words_what_it_shows():
    result = bp.backward_pass(bp.tiny_network())
    start = viz.text_alternative(bp.draw_backward(result, step=0, ax=viz.new_axes()[1]).ax.figure)
    assert "after step 0 of 3" in start and start.count("not computed yet") == 4
    assert "hidden unit 2: b = 0, z = -0.5, h = 0 (off)" in start and "ŷ = 2, loss 1 (target 1)" in start
    done = viz.text_alternative(bp.draw_backward(result, ax=viz.new_axes()[1]).ax.figure)
    assert "not computed yet" not in done and "points from x" not in done  # words, not line coordinates
    assert "x to unit 1: w = 0.5, ∂L/∂w = 6; x to unit 2: w = -0.25, ∂L/∂w = 0" in done
    assert "h1 to the output: w = 1.5, ∂L/∂w = 2" in done and "Step 3, Dense 1" in done
