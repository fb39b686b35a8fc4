"""The network diagram in words: a unit's formula with its current numbers, what its picture shows, a
weight's value, and the whole diagram, each written from the numbers the diagram draws.

A unit of layer l computes z = w₁a₁ + w₂a₂ + ... + b from the outputs a of layer l - 1 (the inputs
x₁, x₂ for layer 1), then outputs act(z); an output unit's z is its class's score, which softmax
turns into a probability (notebooks 02 and 03). Numbers are written to three significant digits
(`figure_text.number`), the same on every machine.
"""

import numpy as np

from ...figure_text import number
from ...pointer import SUBSCRIPTS

MINUS = "\u2212"


def signed(value, first=False):
    """A number in a sum: "0.52" or "−0.52" first, " + 0.52" or " − 0.52" after."""
    text = number(abs(value))
    if first:
        return f"{MINUS}{text}" if value < 0 else text
    return f" {MINUS} {text}" if value < 0 else f" + {text}"


def unit_name(layer, unit, n_layers, input_names):
    """A unit in words: an input's name ("x₁"), "unit 2 of layer 1", "output unit 2 (class 1)"."""
    if layer == 0:
        return input_names[unit]
    return f"output unit {unit + 1} (class {unit})" if layer == n_layers - 1 else f"unit {unit + 1} of layer {layer}"


def part_name(part, n_layers, input_names):
    """A NetworkPart (nnlite.pointer) in words: a unit's name, or "the weight from x₁ to unit 3 of layer 1"."""
    if part.kind == "unit":
        return unit_name(part.layer, part.unit, n_layers, input_names)
    return (f"the weight from {unit_name(part.layer - 1, part.source, n_layers, input_names)} "
            f"to {unit_name(part.layer, part.unit, n_layers, input_names)}")


def source_name(layer, i, input_names):
    """The name of the i-th number that layer `layer` reads: an input's name, or hᵢ (unit i's output)."""
    return input_names[i] if layer == 1 else f"h{str(i + 1).translate(SUBSCRIPTS)}"


def formula(model, layer, unit, input_names):
    """Unit `unit` (from 0) of layer `layer` (1 = the first hidden layer) as its pre-activation with the
    current weights: 'z = 0.52·x₁ − 1.1·x₂ + 0.03', then what it outputs."""
    W, b = model.layers[layer - 1].W[:, unit], model.layers[layer - 1].b[unit]
    terms = "".join(f"{signed(w, first=i == 0)}·{source_name(layer, i, input_names)}" for i, w in enumerate(W))
    z = f"z = {terms}{signed(b)}"
    if layer == len(model.layers) and model.sizes[-1] == 1:
        return f"{z}: the network's output itself (a regression: no softmax)"
    if layer == len(model.layers):
        return f"{z}: the score of class {unit}; softmax turns the scores into probabilities"
    where = f", where hᵢ is the output of unit i of layer {layer - 1}" if layer > 1 else ""
    return f"{z}{where}; it outputs {model.activation.name}(z)"


def picture_words(values, output_unit=False):
    """What a unit's picture shows (`values`: its output at every grid point): its range, and where it is 0."""
    values = values[np.isfinite(values)]
    if not values.size:
        return "no picture: the outputs are not numbers"
    low, high = float(values.min()), float(values.max())
    if output_unit:
        return f"its probability over the plane goes from {number(low)} to {number(high)}"
    if low == high:
        return f"it outputs {number(low)} everywhere on the plane"
    zero = float(np.mean(values == 0.0))
    return f"its output over the plane goes from {number(low)} to {number(high)}" + (
        f", 0 on {round(100 * zero)}% of it" if zero else "")


def unit_text(model, layer, unit, values, input_names):
    """Everything a hover on a unit says: its name, formula and picture."""
    name = unit_name(layer, unit, len(model.sizes), input_names)
    name = name[0].upper() + name[1:]
    if layer == 0:
        return f"{name}, an input: {picture_words(values)}."
    return f"{name}: {formula(model, layer, unit, input_names)}; {picture_words(values, layer == len(model.layers))}."


def weight_text(name, value):
    """A hover on a weight: 'The weight from x₁ to unit 3 of layer 1: w = 0.523.' (`name`: part_name's)."""
    return f"{name[0].upper()}{name[1:]}: w = {signed(value, first=True)}."


def diagram_text(model, outputs, shown, input_names):
    """The diagram's text alternative: each layer, the range of every shown unit's output over the plane
    (from `outputs`, the numbers its pictures are coloured by), and each layer's weights."""
    sizes, sentences = model.sizes, []
    sentences.append(f"Network diagram: {sizes[0]} inputs ({', '.join(input_names)}), "
                     + (f"hidden layers of {', '.join(map(str, sizes[1:-1]))} {model.activation.name} units, "
                        if len(sizes) > 2 else "no hidden layer, ")
                     + ("1 output (a regression). " if sizes[-1] == 1 else f"{sizes[-1]} outputs (one per class). ")
                     + "Each unit shows its output over the input plane: blue where positive, orange where negative, "
                     "grey at 0, in full colour from 1 and -1 on"
                     + ("" if sizes[-1] == 1 else "; an output unit shows the probability of its class, in the colour "
                        "of that class")
                     + ". Each line is a weight: solid blue if positive, dashed orange if negative, thicker when "
                       "larger.")
    for layer in range(1, len(sizes)):
        k, what = shown[layer], "probability" if layer == len(sizes) - 1 and sizes[-1] > 1 else "output"
        lows, highs = outputs[layer][:, :k].min(axis=0), outputs[layer][:, :k].max(axis=0)
        ranges = "; ".join(f"unit {j + 1} from {number(low)} to {number(high)}"
                           for j, (low, high) in enumerate(zip(lows, highs, strict=True)))
        more = f" ({sizes[layer] - k} more units not drawn)" if sizes[layer] > k else ""
        W = model.layers[layer - 1].W
        sentences.append(f"{'Output layer' if layer == len(sizes) - 1 else f'Layer {layer}'}, {what} per unit: "
                         f"{ranges}{more}. Its {W.size} weights go from {number(W.min())} to {number(W.max())}, "
                         f"{int((W > 0).sum())} positive.")
    return " ".join(sentences)


def weight_tables(model, input_names):
    """The diagram's numbers as tables, one per layer: a row per number the layer reads (x₁, x₂ or h₁, h₂,
    ... and the bias b), a column per unit, each cell a weight; (caption, header, rows) for
    `figure_text.set_data_tables`."""
    tables = []
    for layer, dense in enumerate(model.layers, 1):
        units = [unit_name(layer, j, len(model.sizes), input_names) for j in range(dense.W.shape[1])]
        rows = [[source_name(layer, i, input_names), *map(number, row)] for i, row in enumerate(dense.W)]
        rows.append(["b", *map(number, dense.b)])
        tables.append((f"weights into {'the output layer' if layer == len(model.layers) else f'layer {layer}'}",
                       ["from", *units], rows))
    return tables
