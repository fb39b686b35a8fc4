"""TensorFlow Playground's network view for the playground: the diagram with a picture in every unit,
the large output picture next to it, and a pointer to ask the diagram about its numbers.

    view = NetworkView()             # view.widget: the two figures, the readout line and the weight editor
    view.set_data(trainer)           # the data and the input plane (after a data control moved)
    view.show(trainer)               # one forward pass of the plane's grid: every picture and weight drawn
    view.set_options(show_test=True, discrete=True)
    view.on_edit(lambda part, old, new: ...)   # a weight was edited: redraw what depends on the model

Hover a unit (with the mouse, or the keyboard's cross): the line under the figures shows its
pre-activation with its current numbers, z = w·x + b, and what its picture shows, and the large
picture shows that unit's output over the plane (as TensorFlow Playground does). Hover a weight: its
value. Click a unit to keep it selected; click a weight to select it and type its new value into the
number field that appears (`network_pointer`). Everything the line shows is also said, for screen readers.
"""

import ipywidgets as widgets
import numpy as np

from ... import viz
from ..._validate import check_int
from ...access import name_control
from ...features import FEATURES
from ...figure_text import set_data_tables, set_text_alternative
from ...pointer import SUBSCRIPTS
from ...widgets import LiveFigure, one_message_each
from .network_diagram import NetworkDiagram
from .network_pointer import IDLE, NetworkPointer
from .network_words import diagram_text, part_name, picture_words, unit_text, weight_tables, weight_text
from .output_picture import OutputPicture
from .unit_pictures import GridPass


class NetworkView:
    """The network diagram (`diagram`, a NetworkDiagram), the large output picture (`output`, an
    OutputPicture) and what hovers and clicks on the diagram do (`interaction`, a NetworkPointer: its
    `pointer`, `readout` line and weight `editor`). `widget` shows them all.

    resolution: grid points across the plane (the output picture's data pixels); tile_resolution: data
    pixels across a unit's small picture (it must divide resolution); max_units: units drawn per layer;
    figsize: the diagram's size in inches, output_size: the side of the output picture.
    """

    def __init__(self, resolution=60, tile_resolution=15, max_units=16, figsize=(5.6, 3.4), output_size=3.4):
        self.resolution = check_int(resolution, "resolution", minimum=2)
        if resolution % check_int(tile_resolution, "tile_resolution", minimum=1):
            raise ValueError(f"tile_resolution must divide resolution ({resolution}), got {tile_resolution}")
        self.diagram = NetworkDiagram(LiveFigure(figsize=figsize), max_units, tile_resolution)
        self.output = OutputPicture(resolution, (output_size, output_size))
        set_text_alternative(self.diagram.live.fig, lambda _fig: self.words)
        set_data_tables(self.diagram.live.fig, lambda _fig: [] if self.model is None else
                        weight_tables(self.model, self.input_names))  # "Show the data": every weight
        self.grid_pass, self.grid, self.model, self.outputs = GridPass(), None, None, None
        self.points, self.features = None, ("x1", "x2")  # the plane's grid, and the features `grid` holds of it
        self.input_names, self.words = None, "Network diagram: nothing drawn yet."
        self.interaction = NetworkPointer(self)
        self.options = option_toggles(self.set_options)  # "show test data", "discretize output": on the readout's line
        self.interaction.widget.children = (*self.interaction.widget.children, *self.options.values())
        figures = widgets.Box([live.widget for live in self.figures], layout=widgets.Layout(
            display="flex", flex_flow="row wrap", align_items="flex-start", width="100%"))
        figures.live_figures = tuple(self.figures)  # what Panel.preview and "Show the data" draw
        self.widget = widgets.VBox([figures, self.interaction.widget], layout=widgets.Layout(width="100%"))
        self.widget.live_figures = figures.live_figures

    @property
    def figures(self):
        """The two LiveFigures: the diagram and the output picture."""
        return [self.diagram.live, self.output.live]

    @property
    def pointer(self):
        """The diagram's `nnlite.pointer.Pointer`."""
        return self.interaction.pointer

    def set_data(self, trainer):
        """New points (a data control moved): the data on the output picture, and the plane's grid."""
        extent = viz.grid_extent(trainer.X)  # the same box as viz.decision_grid and RegionsView
        self.output.set_points((trainer.X_train, trainer.y_train), (trainer.X_val, trainer.y_val),
                               (trainer.X_test, trainer.y_test), extent)
        self.points = self.grid = viz.grid_points(extent, self.resolution)  # the plane; grid: as the network reads it
        self.features = ("x1", "x2")

    def set_options(self, show_test=None, discrete=None):
        """TensorFlow Playground's "show test data" and "discretize output" (see OutputPicture), drawn at once."""
        self.output.set_options(show_test, discrete)
        if self.outputs is not None:
            self.show_part(self.interaction.part)

    def on_edit(self, callback):
        """Call ``callback(part, old, new)`` after the student set a weight (a NetworkPart) from old to new."""
        self.interaction.edit_callbacks.append(callback)
        return callback

    def show(self, trainer):
        """Draw the run's network as it is now (a diverged run keeps its last pictures)."""
        if trainer.settings.features != self.features:  # other inputs: the grid as the network reads it now
            self.features, self.grid = trainer.settings.features, trainer.inputs(self.points)
            self.model = None  # the diagram's input names change with them
        if not trainer.diverged:
            self.draw(trainer.model)

    def draw(self, model):
        """One forward pass of the grid through `model`; every unit's picture, every weight and the words."""
        if self.grid is None or model.sizes[0] != self.grid.shape[1]:
            raise ValueError(f"the model reads {model.sizes[0]} inputs: call set_data first, with points of as many "
                             f"coordinates, got {None if self.grid is None else self.grid.shape[1]}")
        outputs = self.grid_pass.run(model, self.grid)
        if not all(np.isfinite(values).all() for values in outputs[1:]):
            return  # a network that overflowed on the plane: keep the last pictures
        if self.model is None or model.sizes != self.model.sizes:
            self.input_names = ([FEATURES[f] for f in self.features] if len(self.features) == model.sizes[0] else
                                [f"x{str(i + 1).translate(SUBSCRIPTS)}" for i in range(model.sizes[0])])
            self.diagram.set_sizes(model.sizes, self.input_names)
            self.interaction.forget()  # its parts may not exist in the new network
        self.model, self.outputs = model, outputs
        self.diagram.draw(outputs, [layer.W for layer in model.layers])
        self.words = diagram_text(model, outputs, self.diagram.layout.shown, self.input_names)
        self.show_part(self.interaction.part)

    def show_part(self, part):
        """The readout, the highlight and the large picture for a unit or weight (None: the class regions)."""
        with one_message_each(self.widget):
            self.interaction.readout.value = IDLE if part is None else self.describe(part)
            self.diagram.highlight(part)
            if part is not None and part.kind == "unit":
                values = self.outputs[part.layer][:, part.unit]
                output_unit = part.layer == len(self.outputs) - 1 and self.model.sizes[-1] > 1  # a class's
                self.output.draw_unit(values, self.name(part), picture_words(values, output_unit),
                                      part.unit if output_unit else None)
            else:
                self.output.draw_regions(self.outputs[-1])
            for live in self.figures:
                live.redraw()

    def describe(self, part):
        """What the readout says of a part: a unit's formula and picture, or a weight's value."""
        if part.kind == "unit":
            values = self.outputs[part.layer][:, part.unit]
            return unit_text(self.model, part.layer, part.unit, values, self.input_names)
        return weight_text(self.name(part), self.model.layers[part.layer - 1].W[part.source, part.unit])

    def name(self, part):
        """A unit or weight in words: "unit 2 of layer 1", "the weight from x₁ to output unit 1 (class 0)"."""
        return part_name(part, len(self.model.sizes), self.input_names)


def option_toggles(set_options):
    """TensorFlow Playground's two switches as toggles, {"show_test": ..., "discrete": ...}: each calls
    ``set_options(show_test=...)`` or ``set_options(discrete=...)`` when it moves."""
    toggles = {
        "show_test": name_control(widgets.ToggleButton(description="test points", tooltip="show the test points "
                                                       "too (half filled)", layout=widgets.Layout(width="105px")),
                                  "show the test points on the output picture"),
        "discrete": name_control(widgets.ToggleButton(description="discrete", tooltip="every point of the plane "
                                                      "in the full colour of its answer",
                                                      layout=widgets.Layout(width="85px")),
                                 "discretize the output picture"),
    }
    for name, toggle in toggles.items():
        toggle.observe(lambda change, name=name: set_options(**{name: change["new"]}), names="value")
    return toggles
