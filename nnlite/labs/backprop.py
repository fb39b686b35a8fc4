"""Notebook 03: backpropagation, step by step, on a network small enough to do by hand.

The network has 1 input, 2 hidden ReLU units and 1 output, with weights chosen so the
arithmetic stays readable:

    x = 2  ->  z = x W1 + b1 = [1.0, -0.5]  ->  h = ReLU(z) = [1.0, 0.0]  ->  y_hat = h W2 + b2 = 2.0

and the target is 1, so the squared error is (2 - 1)^2 = 1. Backpropagation walks the
same chain from right to left: every step multiplies the gradient that arrives from the
right (upstream) by its own local derivative (the chain rule).
"""

import time

import matplotlib as mpl
import numpy as np

from .. import viz
from .._validate import as_float_array, check_int, check_number
from ..datasets import circles
from ..exercises import FunctionExercise, Mistake, NumberExercise
from ..figure_text import number
from ..gradcheck import numerical_gradient
from ..losses import mse
from ..model import MLP
from ..optim import SGD
from ..training import evaluate, fit
from ..widgets import LiveFigure, Panel, dropdown, slider, text_line

X_TINY = 2.0
TARGET = 1.0
W1 = [[0.5, -0.25]]
B1 = [0.0, 0.0]
W2 = [[1.5], [2.0]]
B2 = [0.5]

UNKNOWN = "?"
GREY, CURRENT = "0.55", viz.PALETTE[3]
MUTED = "0.4"  # text not computed yet: grey, but dark enough to read in small print (5.7:1 on white)


def tiny_network(activation="relu"):
    """The 1-2-1 network of the notebook, with its fixed weights (W1, b1, W2, b2 above)."""
    model = MLP([1, 2, 1], activation=activation, seed=0)
    for layer, (W, b) in zip(model.layers, ((W1, B1), (W2, B2)), strict=True):
        layer.W[:] = W
        layer.b[:] = b
    return model


def backward_pass(model, x=X_TINY, target=TARGET):
    """Forward one example through `model`, take the squared error, and backpropagate with a trace.

    The gradients are zeroed first, so they belong to this example only. Returns a dict:
    "x", "z" and "h" (pre-activations and outputs of every hidden layer), "pred", "loss",
    "dpred" (dL/dy_hat), "trace" (the BackwardTrace, output side first), "dW" and "db"
    (copies of every layer's gradient, input side first), "W" and "b" (copies of the parameters).
    """
    if not hasattr(model, "layers") or model.sizes[0] != 1 or model.sizes[-1] != 1:
        raise ValueError("model must be an MLP with 1 input and 1 output, like tiny_network()")
    x = check_number(x, "x")
    target = check_number(target, "target")
    X = np.array([[x]])
    pred = model.forward_unchecked(X)
    loss, dpred = mse(pred, np.array([[target]]))
    model.zero_grad()
    model.backward_unchecked(dpred, trace=True)
    return {"x": X[0], "z": [z[0].copy() for z in model.pre_activations],
            "h": [h[0].copy() for h in model.hidden_outputs], "pred": float(pred[0, 0]), "target": target,
            "loss": loss, "dpred": float(dpred[0, 0]), "trace": model.last_trace, "activation": model.activation.name,
            "dW": [layer.dW.copy() for layer in model.layers], "db": [layer.db.copy() for layer in model.layers],
            "W": [layer.W.copy() for layer in model.layers], "b": [layer.b.copy() for layer in model.layers],
            "sizes": list(model.sizes)}


def _vec(a):
    return "[" + ", ".join(f"{v:.2f}" for v in np.ravel(a)) + "]"


def backward_stages(result):
    """What is known after each step of the backward pass: a list, one entry per step k = 0..n.

    Step 0 is the end of the forward pass and of the loss, which returns dL/dy_hat with the loss
    (nl.mse gives both): the gradient the backward pass starts from. Step k >= 1 is step k of
    the trace (`print(model.last_trace)` numbers its steps the same way), right to left.
    Every entry is a dict with "caption"
    (one sentence with the numbers), "current" (("edges", i): the weights of Dense i+1,
    ("nodes", j): the units of layer j, 0 = input), "node_grads" (per layer of units, per
    unit, a list of "name = value" strings known so far) and "edge_grads" (per weight matrix,
    an (n_in, n_out) nested list of strings, "?" when not computed yet).
    """
    sizes = result["sizes"]
    n_layers = len(sizes) - 1
    act = result["activation"]
    node = [[[] for _ in range(n)] for n in sizes]
    edge = [[[UNKNOWN] * b for _ in range(a)] for a, b in zip(sizes[:-1], sizes[1:], strict=True)]

    def snapshot(caption, current):
        return {"caption": caption, "current": current, "node_grads": [[list(u) for u in layer] for layer in node],
                "edge_grads": [[list(row) for row in m] for m in edge]}

    node[-1][0].append(f"∂L/∂ŷ = {result['dpred']:.2f}")
    stages = [snapshot(f"forward pass done: ŷ = {result['pred']:.2f}, loss = (ŷ - y)² = "
                       f"({result['pred']:.2f} - {result['target']:g})² = {result['loss']:.2f}, and the loss's "
                       f"gradient ∂L/∂ŷ = 2(ŷ - y) = {result['dpred']:.2f}, where the backward pass starts",
                       ("nodes", n_layers))]
    for k, step in enumerate(result["trace"], 1):
        if step.where.startswith("Dense"):
            i = int(step.where.split()[1]) - 1  # weight matrix index, 0 = input side
            layer_input = result["x"] if i == 0 else result["h"][i - 1]
            dW = np.outer(layer_input, step.upstream[0])
            for a in range(sizes[i]):
                for b in range(sizes[i + 1]):
                    edge[i][a][b] = f"{dW[a, b]:.2f}"
            name = "x" if i == 0 else "h"
            for a, g in enumerate(step.downstream[0]):
                node[i][a].append(f"∂L/∂{name} = {g:.2f}")
            for b, g in enumerate(step.upstream[0]):  # the bias is added into the unit: ∂L/∂b is the upstream itself
                node[i + 1][b].append(f"∂L/∂b = {g:.2f}")
            caption = (f"step {k}, Dense {i + 1}: ∂L/∂W = {name} × upstream = {_vec(layer_input)} × "
                       f"{_vec(step.upstream)}, ∂L/∂b = upstream; passes upstream @ Wᵀ = {_vec(step.downstream)} left")
            stages.append(snapshot(caption, ("edges", i)))
        else:
            j = int(step.where.split()[-1])  # the hidden layer of units after Dense j
            for a, g in enumerate(step.downstream[0]):
                node[j][a].append(f"∂L/∂z = {g:.2f}")
            caption = (f"step {k}, {act}: ∂L/∂z = ∂L/∂h × {act}'(z) = {_vec(step.upstream)} × {_vec(step.local)} "
                       f"= {_vec(step.downstream)}")
            stages.append(snapshot(caption, ("nodes", j)))
    return stages


def _forward_labels(result):
    """The text in every unit: the input; each hidden unit's bias b (added into its z), z and h; the output's
    bias and ŷ. Without the biases the lines alone do not add up (the tiny network's ŷ would be 1.5, not 2)."""
    sizes = result["sizes"]
    labels = [[f"x\n{v:.2f}" for v in result["x"]]]
    for b, z, h in zip(result["b"][:-1], result["z"], result["h"], strict=True):
        labels.append([f"b={c:.2f}\nz={a:.2f}\nh={v:.2f}" for c, a, v in zip(b, z, h, strict=True)])
    labels.append([f"b={result['b'][-1][0]:.2f}\nŷ={result['pred']:.2f}"] + [""] * (sizes[-1] - 1))
    return labels


class BackpropDiagram:
    """The network drawn on `ax`: forward values in the units, weights and their gradients on the
    lines, gradients of the units next to them. `show(result, stage)` updates every text and colour
    in place; `artists()` lists what changes, in drawing order (for a LiveFigure)."""

    def __init__(self, ax, sizes=(1, 2, 1)):
        self.ax, self.sizes = ax, list(sizes)
        pos = viz.network_positions(self.sizes)
        self.pos = pos
        self.edges, self.edge_texts, self.weight_texts = [], [], []
        small = mpl.font_manager.FontProperties(size="small").get_size_in_points()
        for i in range(len(self.sizes) - 1):
            lines, texts, weights = [], [], []
            for a, (xa, ya) in enumerate(pos[i]):
                line_row, text_row, weight_row = [], [], []
                for b, (xb, yb) in enumerate(pos[i + 1]):
                    ax.plot([xa, xb], [ya, yb], color=GREY, linewidth=1.2, zorder=1)  # static
                    # The coloured overlay covers the middle of the line only, so it never crosses a unit:
                    # the units can then stay in the static background.
                    (line,) = ax.plot([xa + 0.14 * (xb - xa), xa + 0.86 * (xb - xa)],
                                      [ya + 0.14 * (yb - ya), ya + 0.86 * (yb - ya)], color=GREY, linewidth=3,
                                      zorder=1.5, solid_capstyle="butt", visible=False)
                    t = 0.5 if min(self.sizes[i], self.sizes[i + 1]) == 1 else 0.3 + 0.4 * ((a + b) % 2)
                    box = {"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none"}
                    where = (xa + t * (xb - xa), ya + t * (yb - ya))
                    # the weight above the point, its gradient below, each 0.1 font size away: a box's
                    # padding (0.15) then covers the other box's padding but not its text (with both at
                    # the point, the weight's box hid the tops of the gradient's digits), and no line
                    # shows between the boxes
                    apart = {"xytext": (0, 0.1 * small), "textcoords": "offset points", "fontsize": small,
                             "ha": "center", "zorder": 3, "bbox": box}
                    weight_row.append(ax.annotate("", where, va="bottom", **apart))
                    text_row.append(ax.annotate("", where, va="top", **{**apart, "xytext": (0, -0.1 * small)}))
                    line_row.append(line)
                lines.append(line_row)
                texts.append(text_row)
                weights.append(weight_row)
            self.edges.append(lines)
            self.edge_texts.append(texts)
            self.weight_texts.append(weights)
        self.circles, self.node_texts, self.grad_texts = [], [], []
        for layer in pos:
            self.circles.append(ax.scatter(layer[:, 0], layer[:, 1], s=2300, color="white", edgecolors=viz.PALETTE[0],
                                           linewidths=2, zorder=2))
            self.node_texts.append([ax.text(x, y, "", ha="center", va="center", fontsize="small", zorder=4)
                                    for x, y in layer])
            self.grad_texts.append([ax.text(x, y + (0.2 if y > 0 else -0.2), "", ha="center",
                                            va="bottom" if y > 0 else "top", fontsize="small", zorder=4)
                                    for x, y in layer])
        self.loss_text = ax.text(pos[-1][0, 0], pos[-1][0, 1] + 0.25, "", ha="center", va="bottom")
        self.caption = ax.text(0.5, -0.02, "", transform=ax.transAxes, ha="center", va="top", wrap=True)
        ax.set_xlim(-0.45, len(self.sizes) - 0.35)
        ax.set_ylim(-0.95, 0.95)
        ax.axis("off")
        for artist in self.artists()[:-1]:  # labels inside the drawing: constrained layout makes room only
            artist.set_in_layout(False)  # for the (wrapped) caption: large projector fonts collapsed the axes

    def artists(self):
        """Everything `show` changes, the coloured lines first so the texts stay on top of them."""
        return ([line for m in self.edges for row in m for line in row]
                + [t for m in self.edge_texts for row in m for t in row]
                + [t for m in self.weight_texts for row in m for t in row]
                + [t for layer in self.node_texts for t in layer] + [t for layer in self.grad_texts for t in layer]
                + [self.loss_text, self.caption])

    def show(self, result, stage):
        if list(result["sizes"]) != self.sizes:
            raise ValueError(f"result must come from a network of sizes {self.sizes}, got {result['sizes']}")
        current = stage["current"]
        for i, matrix in enumerate(stage["edge_grads"]):
            is_current = current == ("edges", i)
            for a, row in enumerate(matrix):
                for b, grad in enumerate(row):
                    known = grad != UNKNOWN
                    # a weight whose gradient is exactly 0 (behind a ReLU that is off) gets a thin dashed
                    # grey line: nothing flows there, and it must not look like a live gradient
                    dead = known and result["dW"][i][a, b] == 0
                    self.edges[i][a][b].set(color=GREY if dead else (CURRENT if is_current else viz.PALETTE[0]),
                                            visible=known, linestyle=(0, (3, 2)) if dead else "-", gapcolor="white"
                                            if dead else None, linewidth=2.0 if dead else (4.0 if is_current else 2.5))
                    text = self.edge_texts[i][a][b]
                    self.weight_texts[i][a][b].set_text(f"w = {result['W'][i][a, b]:.2f}")
                    text.set_text(f"∂L/∂w = {grad}")
                    text.set_color(CURRENT if is_current else ("k" if known else MUTED))
        for j, labels in enumerate(_forward_labels(result)):
            for a, label in enumerate(labels):
                self.node_texts[j][a].set_text(label)
        hidden = range(1, len(self.sizes) - 1)
        for j, layer in enumerate(stage["node_grads"]):
            names = ["∂L/∂x"] if j == 0 else (["∂L/∂h", "∂L/∂z", "∂L/∂b"] if j in hidden else ["∂L/∂ŷ", "∂L/∂b"])
            is_current = current == ("nodes", j) or current == ("edges", j)
            for a, known in enumerate(layer):
                lines = known + [f"{name} = {UNKNOWN}" for name in names[len(known):]]
                text = self.grad_texts[j][a]
                text.set_text("\n".join(lines))
                text.set_color(CURRENT if is_current and known else ("k" if known else MUTED))
        self.loss_text.set_text(f"loss = {result['loss']:.2f}\n(target {result['target']:g})")
        self.caption.set_text(stage["caption"])


def draw_backward(result, step=None, ax=None):
    """A static picture of the backward pass after `step` steps (all of them by default). Returns the diagram."""
    stages = backward_stages(result)
    step = len(stages) - 1 if step is None else check_int(step, "step", minimum=0)
    if step >= len(stages):
        raise ValueError(f"step must be in 0..{len(stages) - 1} for this network, got {step}")
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.subplots(figsize=(9, 4.4), layout="constrained")[1]
    diagram = BackpropDiagram(ax, result["sizes"])
    diagram.show(result, stages[step])
    viz.set_text_alternative(ax.figure, diagram_words(result, stages[step], step, len(stages) - 1))
    return diagram


def diagram_words(result, stage, step, n_steps):
    """The backward-pass diagram in words, for a screen reader: the forward values unit by unit, each
    weight with its gradient (or "not computed yet"), and the caption of the step just done."""
    sizes = result["sizes"]
    units = []
    for j, (b, z, h) in enumerate(zip(result["b"][:-1], result["z"], result["h"], strict=True), 1):
        layer = f" of layer {j}" if len(sizes) > 3 else ""
        units += [f"hidden unit {a + 1}{layer}: b = {number(ba)}, z = {number(za)}, h = {number(ha)}"
                  + (" (off)" if ha == 0 else "")
                  for a, (ba, za, ha) in enumerate(zip(np.ravel(b), np.ravel(z), np.ravel(h), strict=True))]
    weights = []
    for i, matrix in enumerate(stage["edge_grads"]):
        for a, row in enumerate(matrix):
            for b, grad in enumerate(row):
                source = "x" if i == 0 else f"h{a + 1}"
                target = "the output" if i == len(sizes) - 2 else f"unit {b + 1}"
                known = "not computed yet" if grad == UNKNOWN else f"∂L/∂w = {number(float(grad))}"
                weights.append(f"{source} to {target}: w = {number(result['W'][i][a, b])}, {known}")
    output = (f"output b = {number(np.ravel(result['b'][-1])[0])}, ŷ = {number(result['pred'])}, "
              f"loss {number(result['loss'])} (target {number(result['target'])})")
    x = ", ".join(number(v) for v in np.ravel(result["x"]))
    return (f"Diagram of the network {sizes} after step {step} of {n_steps} of the backward pass. Forward: "
            f"input x = {x}; {'; '.join(units)}; {output}. Weights and their gradients: {'; '.join(weights)}. "
            f"{stage['caption'][0].upper() + stage['caption'][1:]}.")


class BackpropView:
    """A LiveFigure holding one BackpropDiagram: the units and lines are a still picture, the numbers
    and coloured lines an SVG over it. Every overlay is drawn once and kept: a network this small
    has only (inputs x steps) different ones, so a move usually just sends a few kB of text."""

    def __init__(self, sizes=(1, 2, 1)):
        self.live = LiveFigure(figsize=(9, 4.4))
        ax = self.live.subplots()
        self.diagram = BackpropDiagram(ax, sizes)
        self.title = ax.set_title(" ")
        self.live.animate(*self.diagram.artists(), self.title)
        self.state = None

    def show(self, result, stage, step, n_steps):
        self.diagram.show(result, stage)  # the artists always describe the picture shown (tests read them)
        self.title.set_text(f"backward step {step} of {n_steps}: right to left, "
                            "each gradient appears when it is computed")
        self.state = (result["x"][0], step)
        self.live.redraw(key=self.state)  # a state drawn before is sent as it was kept


INPUTS = [("x = 2 (the example above)", 2.0), ("x = 1", 1.0), ("x = -2 (the other unit wakes up)", -2.0)]


def explorer(prerender=True):
    """A 'backward step' slider (0 = forward pass only) and a choice of input, on the tiny network.

    prerender=True draws all the pictures now (about a second), so that every move is instant.
    """
    model = tiny_network()
    passes = {}
    for _, x in INPUTS:
        result = backward_pass(model, x)
        passes[x] = (result, backward_stages(result))
    n_steps = len(passes[INPUTS[0][1]][1]) - 1
    view = BackpropView(model.sizes)
    table = text_line()

    def update(step, x):
        result, stages = passes[x]
        view.show(result, stages[step], step, n_steps)
        rows = "".join(f"<tr><td>{k}</td><td style='text-align:left'>{s['caption']}</td></tr>"
                       for k, s in enumerate(stages[1:step + 1], 1))
        table.value = (f"<table><tr><th>step</th><th style='text-align:left'>what was computed</th></tr>{rows}</table>"
                       if rows else "<i>Move the step slider to start the backward pass.</i>")

    if prerender:
        for _, x in INPUTS:
            for step in range(n_steps, -1, -1):
                update(step, x)
    controls = {"step": slider("backward step", 0, n_steps, 1, 0), "x": dropdown("input", INPUTS, value=2.0)}
    return Panel(update, controls, [view.live.widget, table], title="Backpropagation, one step at a time",
                 parts={"view": view, "table": table})


def train_tiny(steps=30, lr=0.05, zero_grad=True, x=X_TINY, target=TARGET):
    """Train the tiny network on its one example with plain SGD, recording everything before every step.

    zero_grad=False forgets to reset the gradients, so every step uses the SUM of all gradients so far.
    Returns a dict of arrays, one entry per step: "loss", "z" (the two hidden pre-activations, (steps, 2)),
    "w" (W1[0, 0], the first unit's weight) and "b2" (the output bias).
    """
    steps = check_int(steps, "steps", minimum=1)
    model = tiny_network()
    optimizer = SGD(model, lr=lr)
    X, Y = np.array([[check_number(x, "x")]]), np.array([[check_number(target, "target")]])
    record = {"loss": [], "z": [], "w": [], "b2": []}
    for _ in range(steps):
        loss, dpred = mse(model.forward(X), Y)
        for name, value in (("loss", loss), ("z", model.pre_activations[0][0]), ("w", model.layers[0].W[0, 0]),
                            ("b2", model.layers[1].b[0])):
            record[name].append(np.copy(value))
        if zero_grad:
            model.zero_grad()
        model.backward(dpred)
        optimizer.step()
    return {name: as_float_array(values, name) for name, values in record.items()}


def plot_forgotten_zero_grad(with_reset, without_reset, axes=None):
    """Left: the loss of both runs of train_tiny. Right: the run without zero_grad, from inside: the first
    unit's input z1 (it switches off where z1 < 0 and never comes back) and the output bias b2. Returns the axes."""
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained")[1]
    ax_loss, ax_inside = axes
    steps = np.arange(1, len(with_reset["loss"]) + 1)
    ax_loss.plot(steps, with_reset["loss"], marker="o", label="zero_grad() every step")
    ax_loss.plot(steps, without_reset["loss"], marker="s", color=viz.PALETTE[3], label="zero_grad() forgotten")
    ax_loss.set(xlabel="step", ylabel="loss", title="the loss never settles")
    ax_loss.legend()
    ax_inside.axhline(0, color="0.5", linewidth=0.8)
    ax_inside.axhline(TARGET, color="0.5", linewidth=0.8, linestyle=":")
    ax_inside.plot(steps, without_reset["z"][:, 0], marker="s", color=viz.PALETTE[3],
                   label="z₁ (unit 1 is off below 0)")
    ax_inside.plot(steps, without_reset["b2"], marker="^", color=viz.PALETTE[2], label="b₂ (dotted: the target 1)")
    ax_inside.set(xlabel="step", ylim=(-4, 3.4), title="zero_grad() forgotten: unit 1 dies, b₂ swings")
    ax_inside.annotate(f"z₁ keeps falling:\n{without_reset['z'][-1, 0]:.2f} at step {len(steps)}", (len(steps), -3.8),
                       ha="right", va="bottom")
    ax_inside.legend(loc="upper right")  # above b2 (at most 1.68): clear of every marker
    return axes


def time_gradients(model, X, target, repeat=3):
    """Seconds to get every gradient of the squared error of `model` on (X, target) three ways, each the
    fastest of `repeat` runs: "reverse" (a forward pass, the loss and one backward pass; one run is 20 of
    them, the time is per pass), "forward mode" (forward_mode_gradient: one forward sweep per parameter) and
    "numerical" (centred differences: two loss evaluations per parameter). Wall-clock times: they vary from
    run to run and machine to machine; the fastest run is the one least disturbed by everything else.
    """
    X = as_float_array(X, "X", ndim=2)
    target = as_float_array(target, "target", ndim=2)

    def reverse():
        model.zero_grad()
        model.backward(mse(model.forward(X), target)[1])

    def numerical():
        for value, _ in model.parameters():
            numerical_gradient(lambda _: mse(model.forward(X), target)[0], value)

    runs = {"reverse": (reverse, 20), "forward mode": (lambda: forward_mode_gradient(model, X, target), 1),
            "numerical": (numerical, 1)}
    repeat = check_int(repeat, "repeat", minimum=1)
    times = {}
    for name, (run, calls) in runs.items():
        best = np.inf
        for _ in range(repeat):
            start = time.perf_counter()
            for _ in range(calls):
                run()
            best = min(best, (time.perf_counter() - start) / calls)
        times[name] = best
    return times


def forward_mode_gradient(model, X, target):
    """dL/dθ of the squared error for every parameter θ of `model`, by the chain rule LEFT to right
    (forward-mode differentiation): one forward sweep per parameter entry.

    Each sweep nudges one entry θ_i "infinitesimally" and carries, next to every value v of the forward
    pass, its derivative dv/dθ_i: dz = dh_in @ W + h_in @ dW + db for a Dense layer (dW, db: 1 at θ_i,
    0 elsewhere), dh = f'(z) * dz for an activation, and at the end dL/dθ_i = sum(dL/dŷ * dŷ/dθ_i).
    Those carried derivatives belong to θ_i alone, so the next entry needs a sweep of its own.
    Returns (gradients, in the order of model.parameters(); the number of sweeps).
    """
    X = as_float_array(X, "X", ndim=2)
    target = as_float_array(target, "target", ndim=2)
    parameters = [value for value, _ in model.parameters()]
    gradients, sweeps = [np.zeros_like(value) for value in parameters], 0
    for value, gradient in zip(parameters, gradients, strict=True):
        for i in np.ndindex(value.shape):
            h, dh = X, np.zeros_like(X)  # the input does not depend on θ_i
            for k, layer in enumerate(model.layers):
                dW, db = np.zeros_like(layer.W), np.zeros_like(layer.b)
                if value is layer.W:
                    dW[i] = 1.0
                elif value is layer.b:
                    db[i] = 1.0
                z, dz = h @ layer.W + layer.b, dh @ layer.W + h @ dW + db
                last = k == len(model.layers) - 1
                f = model.activation
                h, dh = (z, dz) if last else (f.forward_unchecked(z), f.derivative_unchecked(z) * dz)
            _, dpred = mse(h, target)
            gradient[i] = np.sum(dpred * dh)
            sweeps += 1
    return gradients, sweeps


def copies_of_one_unit(model):
    """Make every hidden unit of `model` (an MLP with one hidden layer) an exact copy of unit 0: the
    same incoming weights, the same bias, the same outgoing weights. This is what starting all the
    weights at one value (zero, or any constant) does. Changes `model` in place and returns it."""
    if len(model.layers) != 2:
        raise ValueError(f"model must have exactly one hidden layer, got {len(model.layers) - 1}")
    first, second = model.layers
    first.W[:] = first.W[:, :1]
    first.b[:] = first.b[0]
    second.W[:] = second.W[:1, :]
    return model


def unit_differences(model):
    """For every pair of hidden units of the first hidden layer, the largest absolute difference
    between their parameters (incoming weights, bias, outgoing weights). 0.0 means identical."""
    first, second = model.layers[0], model.layers[1]
    units = np.column_stack([first.W.T, first.b, second.W])  # one row of parameters per hidden unit
    n = len(units)
    return np.array([np.abs(units[i] - units[j]).max() for i in range(n) for j in range(i + 1, n)])


def one_unit_network(model):
    """The [n_in, 1, n_out] network that computes exactly what `model` computes when all its hidden units are
    copies of unit 0 (copies_of_one_unit): unit 0 with its outgoing weights times the number of copies."""
    first, second = model.layers
    one = MLP([first.n_in, 1, second.n_out], activation=model.activation, seed=0)
    one.layers[0].W[:] = first.W[:, :1]
    one.layers[0].b[:] = first.b[:1]
    one.layers[1].W[:] = second.W[:1] * first.n_out
    one.layers[1].b[:] = second.b
    return one


def symmetry_experiment(seeds=range(10), hidden=8, epochs=40, lr=0.1):
    """Train a [2, hidden, 2] ReLU network on the circles (nl.datasets.circles, seed 0: a small circle inside a
    ring, which no straight line separates), once from its random init and once with every hidden unit a copy
    of unit 0, for every seed.

    Returns {"copies": {...}, "random": {...}}, each with "difference" (per seed, the smallest and the largest
    difference between two hidden units after training, unit_differences: shape (n_seeds, 2)), "accuracy"
    (per seed, the trained model's accuracy on the data: shape (n_seeds,)) and "models" (the trained models,
    one per seed), and "data": the circles (X, y).
    """
    X, y = circles(n=200, noise=0.05, seed=0)
    hidden = check_int(hidden, "hidden", minimum=2)
    result = {name: {"difference": [], "accuracy": [], "models": []} for name in ("copies", "random")}
    for seed in seeds:
        for name, rows in result.items():
            model = MLP([2, hidden, 2], seed=seed)
            if name == "copies":
                copies_of_one_unit(model)
            fit(model, X, y, epochs=epochs, lr=lr, seed=seed)
            differences = unit_differences(model)
            rows["difference"].append((differences.min(), differences.max()))
            rows["accuracy"].append(evaluate(model, X, y)[1])
            rows["models"].append(model)
    arrays = {name: {key: values if key == "models" else np.array(values) for key, values in rows.items()}
              for name, rows in result.items()}
    return {**arrays, "data": (X, y)}


def best_copies_seed(result):
    """The index of the seed on which the copies did best (symmetry_experiment's result): the one plotted."""
    return int(np.argmax(result["copies"]["accuracy"]))


def plot_symmetry(result, axes=None):
    """symmetry_experiment's result in two panels. Left: per seed, the trained model's accuracy on the circles,
    from copies of one unit and from a random init, with chance (50 %) as a line. Right: the circles and, for the
    seed on which the copies did best, where each trained model's decision changes (P = 0.5). Returns the axes."""
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained", width_ratios=(1.4, 1))[1]
    ax_acc, ax_map = axes
    ax_acc.axhline(0.5, color="0.5", linewidth=0.8, linestyle=":")
    arms = (("random", 0, "o", "random init"), ("copies", 3, "s", "every unit a copy of one"))
    for name, color, marker, label in arms:
        accuracy = result[name]["accuracy"]
        ax_acc.plot(np.arange(len(accuracy)), accuracy, marker, color=viz.PALETTE[color], markersize=8, label=label)
    ax_acc.set(xlabel="seed", ylabel="accuracy after training", ylim=(0.4, 1.12), title="accuracy per seed")
    ax_acc.legend(loc="upper left", ncol=2)
    X, y = result["data"]
    seed = best_copies_seed(result)
    extent = viz.grid_extent(X)
    grid = viz.grid_points(extent, 120)
    gx, gy = grid[:, 0].reshape(120, 120), grid[:, 1].reshape(120, 120)
    viz.plot_points(X, y, ax_map)
    lines = (("random", "k", "-", "random init"), ("copies", viz.PALETTE[3], "--", "copies of one unit"))
    for name, color, style, label in lines:
        scores = result[name]["models"][seed].forward(grid)
        gap = (scores[:, 1] - scores[:, 0]).reshape(120, 120)  # 0 where the two classes are equally likely
        ax_map.contour(gx, gy, gap, levels=[0.0], colors=[color], linewidths=2.5, linestyles=style)
        ax_map.plot([], [], color=color, linestyle=style, linewidth=2.5, label=label)  # the legend's sample
    ax_map.set(xlim=extent[:2], ylim=extent[2:], aspect="equal", title=f"seed {seed}: where the decision changes")
    ax_map.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize="small")
    ax_map.grid(False)
    return axes


# Exercises (checked in the notebook)

TANH_STEP = NumberExercise(
    "dL/dz1 through a tanh unit at z1 = 1 with upstream 3",
    expected=3.0 * (1 - np.tanh(1.0) ** 2),
    mistakes=[
        Mistake(3.0, "That is what a ReLU that is on would pass (slope 1). What is tanh's slope at z = 1?"),
        Mistake(1 - np.tanh(1.0) ** 2, "That is the local derivative alone: the chain rule multiplies it by the "
                                       "upstream gradient."),
        Mistake(3.0 * np.tanh(1.0), "You used tanh(1), the forward value, instead of the slope 1 - tanh(1)^2."),
        Mistake(3.0 * (1 - np.tanh(1.0)), "Square tanh(1) before subtracting it from 1."),
        Mistake(3.0 * (1 - np.tanh(1.0)) ** 2, "You squared (1 - tanh(1)): the derivative squares tanh(1) alone, "
                                               "then subtracts it from 1."),
        Mistake(3.0 + 1 - np.tanh(1.0) ** 2, "The chain rule multiplies upstream and local slope; it does not add."),
        Mistake(3.0 / (1 - np.tanh(1.0) ** 2), "You divided by the local slope. The chain rule multiplies by it."),
        Mistake(3.0 * np.exp(-1.0) / (1 + np.exp(-1.0)) ** 2, "That uses the sigmoid's slope at 1. This unit is a "
                                                              "tanh, with its own derivative."),
    ],
    hint="Reread section 2 (the chain rule, by hand): what a step passes to its left is the upstream gradient "
         "combined with the step's local derivative, taken at the step's input.",
    why="3.0 x 0.4200 = 1.2599: a tanh unit passes back only 42 % of the gradient at z = 1 "
        "(notebook 05 explores where this leads).",
)


FAN_OUT = NumberExercise(
    "dL/dx when both hidden units pass a gradient back",
    expected=3.0 * 0.5 + 4.0 * (-0.25),
    mistakes=[
        Mistake(1.5, "That is the path through unit 1 only. x feeds both units: add the path through unit 2."),
        Mistake(-1.0, "That is the path through unit 2 only. x feeds both units: add the path through unit 1."),
        Mistake(7.0, "You added the upstream gradients without the weights: each path is dL/dz_j times "
                     "dz_j/dx = W1[0, j]."),
        Mistake(2.5, "The path through unit 2 is 4 x (-0.25): keep its minus sign."),
        Mistake(-1.5, "The contributions of the two paths add; they do not multiply."),
        Mistake(1.25, "You paired each upstream gradient with the other unit's weight: the path through unit j "
                      "uses dL/dz_j and W1[0, j], both of unit j."),
        Mistake(1.75, "You multiplied the sum of the upstream gradients by the sum of the weights: each path "
                      "multiplies its own pair, then the paths add."),
    ],
    hint="Reread section 4 (several paths): x reaches the loss through both units, each path contributes, and "
         "the contributions combine.",
    why="3 x 0.5 + 4 x (-0.25) = 1.5 - 1.0 = 0.5: x collects the sum over every path that leaves it, "
        "which is what upstream @ W.T computes.",
)


def _draw_batch(rng):
    """A batch of N examples with n_in inputs and n_out outputs, each from 1 to 4 and rarely equal: the
    non-square and batch-of-one shapes where a swapped index or a transpose too many shows."""
    n, n_in, n_out = (int(k) for k in rng.integers(1, 5, 3))
    return rng.integers(-3, 4, (n, n_in)).astype(float), rng.integers(-4, 5, (n, n_out)) * 0.5


def _as_floats(*arrays):
    return [np.asarray(a, dtype=float) for a in arrays]


def _loop_over_inputs(X, U):
    """A triple loop whose sum over the examples runs over range(n_in), the wrong length."""
    X, U = _as_floats(X, U)
    dW = np.zeros((X.shape[1], U.shape[1]))
    for i in range(X.shape[1]):
        for j in range(U.shape[1]):
            for n in range(X.shape[1]):
                dW[i, j] += X[n, i] * U[n, j]
    return dW, U.sum(axis=0)


DENSE_GRADIENTS = FunctionExercise(
    "dW and db of a Dense layer for a batch",
    reference=lambda X, U: (_as_floats(X)[0].T @ _as_floats(U)[0], _as_floats(U)[0].sum(axis=0)),
    cases=[([[2.0], [-2.0]], [[1.5, 0.0], [0.0, 1.0]]),
           ([[1.0, 2.0], [3.0, -1.0]], [[0.5, -1.0], [2.0, 0.25]])],
    draw=_draw_batch,
    mistakes=[
        Mistake(lambda X, U: (_as_floats(U)[0].T @ _as_floats(X)[0], np.sum(U, axis=0)),
                "Your dW is transposed: it must have one row per input and one column per output, so the "
                "input comes first."),
        Mistake(lambda X, U: (_as_floats(X)[0] @ _as_floats(U)[0], np.sum(U, axis=0)),
                "Your dW pairs row i of layer_input with column i of upstream: transpose layer_input, so each "
                "example's input meets that same example's upstream gradient."),
        Mistake(lambda X, U: (_as_floats(X)[0] * _as_floats(U)[0], np.sum(U, axis=0)),
                "You multiplied elementwise. dW[i, j] adds layer_input[n, i] * upstream[n, j] over the examples n: "
                "a matrix product."),
        Mistake(lambda X, U: (_as_floats(U)[0], np.sum(U, axis=0)),
                "Your dW is the upstream gradient alone: the chain rule multiplies it by the layer's input "
                "(dz/dW = input)."),
        Mistake(lambda X, U: (_as_floats(X)[0].T @ _as_floats(U)[0] / len(X), np.mean(U, axis=0)),
                "You averaged over the batch. The loss is already a mean, so upstream already carries the 1/N: "
                "dW and db SUM the examples' contributions."),
        Mistake(lambda X, U: (_as_floats(X)[0].T @ _as_floats(U)[0], np.sum(U, axis=1)),
                "Your db sums each example's row. db has one entry per output: sum over the examples (axis 0)."),
        Mistake(lambda X, U: (_as_floats(X)[0].T @ _as_floats(U)[0], _as_floats(U)[0]),
                "Your db keeps one row per example: the bias is shared by the whole batch, so its gradient "
                "collects every example's contribution into one entry per output."),
        Mistake(lambda X, U: (_as_floats(X)[0].T @ _as_floats(U)[0], _as_floats(U)[0].sum(axis=0, keepdims=True)),
                "Your db has shape (1, n_out), a row: sum over the examples without keepdims, so that it has the "
                "bias's shape, (n_out,)."),
        Mistake(lambda X, U: (_as_floats(X)[0].T @ _as_floats(U)[0], np.sum(U)),
                "Your db is one number: it must keep one entry per output, summing over the examples only."),
        Mistake(lambda X, U: (-(_as_floats(X)[0].T @ _as_floats(U)[0]), -np.sum(U, axis=0)),
                "Check the sign: the gradient is a plain product, no minus sign (SGD adds the minus when it steps)."),
        Mistake(_loop_over_inputs,
                "Your sum over the examples stops at the number of inputs (range over the wrong axis): it must "
                "visit every example, one per row of layer_input."),
    ],
    hint="Reread section 5 (a batch: every example adds its part): each example contributes to every entry of dW "
         "and of db, and the contributions add up.",
    why="Each example adds its own x_n^T upstream_n into dW and its upstream_n into db: a weight used by every "
        "example collects a gradient from every example (fan-out over the batch).",
)

THREE_CALLS = NumberExercise(
    "dW1[0, 0] after three backward calls without zero_grad",
    expected=18.0,
    mistakes=[
        Mistake(6.0, "That is the gradient of ONE backward call. What happens to .dW on the next calls?"),
        Mistake(12.0, "That is after two calls; there were three."),
        Mistake(24.0, "That is after four calls; there were three."),
        Mistake(216.0, "Gradients are added, not multiplied."),
        Mistake(2.0, "You divided by the number of calls: nothing averages them."),
        Mistake(0.0, "The first unit is on (z = 1.0), so its weight does get a gradient."),
    ],
    hint="Reread section 11 (gradients accumulate): what does a backward call do with what .dW already holds?",
    why="3 x 6 = 18: the weights are unchanged between calls, so each call adds the same 6.",
)


def _draw_two_layers(rng):
    """A batch through Dense(n_in, n_hidden), ReLU, Dense(n_hidden, n_out), and an upstream dL/dscores: every size
    from 1 to 4 and rarely all equal (a batch of one, non-square weights), biases that switch some units off for
    some examples and not for others, and z never exactly 0 (ReLU's kink: one fixed case has it)."""
    n, n_in, n_hidden, n_out = (int(k) for k in rng.integers(1, 5, 4))
    X = rng.normal(0.0, 1.0, (n, n_in))
    W1, b1 = rng.normal(0.0, 1.0, (n_in, n_hidden)), rng.normal(0.0, 0.7, n_hidden)
    W2, b2 = rng.normal(0.0, 1.0, (n_hidden, n_out)), rng.normal(0.0, 1.0, n_out)
    return X, W1, b1, W2, b2, rng.normal(0.0, 0.5, (n, n_out))


def _first_layer(X, W1, b1, W2, b2, U, mask=lambda z, dh, s: z > 0, transpose=True, inputs=None):
    """dW1, db1 with one piece changed: the ReLU mask (from z, the gradient dh or the scores s), W2 transposed or
    not, the input the weights' gradient pairs with."""
    X, W1, b1, W2, b2, U = _as_floats(X, W1, b1, W2, b2, U)
    z = X @ W1 + b1
    dh = U @ (W2.T if transpose else W2)
    delta = dh * mask(z, dh, np.maximum(z, 0.0) @ W2 + b2)
    first = X if inputs is None else inputs(X, z)
    return first.T @ delta, delta.sum(axis=0)


HIDDEN_GRADIENTS = FunctionExercise(
    "dW1 and db1 of a two-layer ReLU network, from dL/dscores",
    reference=_first_layer,
    cases=[([[2.0]], [[0.5, -0.25]], [0.0, 0.0], [[1.5], [2.0]], [0.5], [[2.0]]),  # section 3's trace
           ([[2.0], [-2.0]], [[0.5, -0.25]], [0.0, 0.0], [[1.5], [2.0]], [0.5], [[1.0], [0.5]]),  # section 5's batch
           ([[1.0, -2.0, 0.5], [0.5, 1.0, -1.0]],
            [[0.5, -1.0, 0.25, 1.0], [0.25, 0.5, -0.5, 0.5], [1.0, 0.5, 0.5, -1.0]], [0.1, 0.2, -0.3, 0.0],
            [[1.0, -1.0], [0.5, 2.0], [-1.5, 1.0], [2.0, 0.5]], [0.1, -0.1], [[0.5, -0.25], [-1.0, 0.75]]),
           ([[2.0]], [[0.5, -0.25]], [-1.0, 0.0], [[1.5], [2.0]], [0.5], [[2.0]])],  # z = [0, -0.5]: the kink
    draw=_draw_two_layers,
    mistakes=[
        Mistake(lambda *a: _first_layer(*a, mask=lambda z, dh, s: 1.0),
                "Your gradient goes straight from the hidden outputs h to z: the ReLU step between them multiplies "
                "by its own local slope, for each example and unit."),
        Mistake(lambda *a: _first_layer(*a, mask=lambda z, dh, s: np.maximum(z, 0.0)),
                "You multiplied by ReLU's output, max(0, z): the chain rule needs its slope, which is 1 or 0."),
        Mistake(lambda *a: _first_layer(*a, mask=lambda z, dh, s: z >= 0),
                "At z = 0 exactly your ReLU passes the gradient. Mathematically any slope from 0 to 1 will do there, "
                "but the check asks for the course's convention (section 2), also PyTorch's: slope 0 at z = 0, so "
                "the mask is z > 0, not z >= 0."),
        Mistake(lambda *a: _first_layer(*a, mask=lambda z, dh, s: dh > 0),
                "Your ReLU mask follows the sign of the gradient: whether a unit is on depends on its z in the "
                "forward pass, not on the gradient that comes back."),
        Mistake(lambda *a: _first_layer(*a, mask=lambda z, dh, s: s > 0),
                "Your ReLU mask comes from the wrong layer: the ReLU sits after the first Dense layer, so its slope "
                "depends on that layer's z, not on the scores."),
        Mistake(lambda *a: _first_layer(*a, mask=lambda z, dh, s: z > 0, transpose=False),
                "Your upstream meets W2 as it is: going back through a Dense layer multiplies by its weights "
                "transposed, so that each output's gradient reaches the units that fed it."),
        Mistake(lambda *a: _first_layer(*a, inputs=lambda X, z: np.maximum(z, 0.0)),
                "Your dW1 pairs the gradient with the hidden outputs h: W1 multiplies the first layer's input, X, "
                "so that is what its gradient pairs with."),
        Mistake(lambda *a: tuple(g / len(a[0]) for g in _first_layer(*a)),
                "You averaged over the batch: dL/dscores already carries the mean's 1/N, so dW1 and db1 SUM the "
                "examples' contributions."),
        Mistake(lambda *a: (_first_layer(*a)[0].T, _first_layer(*a)[1]),
                "Your dW1 is transposed: it has W1's shape, one row per input and one column per hidden unit."),
        Mistake(lambda *a: tuple(-g for g in _first_layer(*a)),
                "Check the sign: a gradient is a plain product of the chain's factors, with no minus sign (SGD "
                "adds the minus when it steps)."),
        Mistake(lambda *a: (_first_layer(*a)[0], _first_layer(*a)[1][None, :]),
                "Your db1 has shape (1, n_hidden), a row: sum over the examples without keepdims, so that it has "
                "b1's shape."),
        Mistake(lambda X, W1, b1, W2, b2, U: (np.maximum(np.asarray(X, float) @ W1 + b1, 0.0).T @ np.asarray(U, float),
                                              np.sum(U, axis=0)),
                "That is the second layer's dW2 and db2: the exercise asks for the first layer's, one more step "
                "to the left, through W2 and the ReLU."),
    ],
    hint="Reread section 7 (a classifier's head, and the shapes of a Dense layer's gradients), its rule for every "
         "layer: going left, the gradient crosses Dense 2 (its weights), then the ReLU (its slope at the first "
         "layer's z), and then Dense 1 gives its dW and db as in exercise 3.",
    why="delta1 = (dL/dscores @ W2.T) * (z1 > 0), then dW1 = X.T @ delta1 and db1 = delta1 summed over the rows: "
        "section 7's recursion, one layer deep. nnlite's model.backward does exactly this, layer after layer.",
)
