"""The playground's large view, picked by the student: the class regions, or the network.

"class regions" is `RegionsView`: the network's answer over the input plane, with the points.
"network" is `NetworkView`, TensorFlow Playground's diagram: a picture of every unit's output over the
plane, a line per weight (hover a unit for its formula w·x + b, click a weight to type its new value),
and beside it the output picture, the same class regions built from the last layer. The network view is
built the first time it is picked, so a panel that never shows it pays nothing for it.

Beside the network the other views are drawn smaller (`COMPACT`), so that the whole panel still fits a
1280 x 800 laptop screen with the file browser open.
"""

import ipywidgets as widgets

from ...widgets import one_message_each
from .network_view import NetworkView
from .views import RegionsView

MAIN_VIEWS = ("class regions", "network")
COMPACT = {"loss": (4.2, 1.5), "layers": (2.95, 1.5)}  # inches: the loss and each layer view beside the network
NETWORK_SIZE = {"figsize": (5.6, 2.5), "output_size": 2.5}  # the diagram and the output picture, inches


class MainView:
    """The picked view (`picked`, one of MAIN_VIEWS) in `widget`; `regions` (a RegionsView) and `network`
    (a NetworkView, None until first picked). on_edit(part, old, new) is called after the student typed a
    new weight into the network view (the run's model has changed: redraw what depends on it)."""

    def __init__(self, resolution=60, on_edit=None):
        self.resolution, self.on_edit = resolution, on_edit
        self.regions, self.network, self.picked = RegionsView(resolution), None, MAIN_VIEWS[0]
        self._new_data = set()  # the views off the page that have not taken the last new data yet
        self.widget = widgets.Box([self.regions.live.widget], layout=widgets.Layout(padding="0"))  # as wide as its view

    @property
    def figures(self):
        """The LiveFigures of the picked view."""
        return self.network.figures if self.network_shown else [self.regions.live]

    @property
    def network_shown(self):
        return self.picked == "network"

    def pick(self, name, trainer, beside=None):
        """Show the view `name` (one of MAIN_VIEWS) of `trainer`'s run, drawn now. `beside`: the views shown
        with it, by their COMPACT names (each with a `figsize` and a `resize`): smaller beside the network."""
        if name not in MAIN_VIEWS:
            raise ValueError(f"view must be one of {', '.join(map(repr, MAIN_VIEWS))}, got {name!r}")
        self.picked = name
        if name == "network" and self.network is None:
            self.network = NetworkView(self.resolution, **NETWORK_SIZE)
            if self.on_edit is not None:
                self.network.on_edit(self.on_edit)
            self.network.set_data(trainer)
        if self.shown in self._new_data:  # new data came while it was off the page: it takes them now
            self._new_data.discard(self.shown)
            with one_message_each(*self.roots):
                self.shown.set_data(trainer)
        self.widget.children = [self.network.widget if self.network_shown else self.regions.live.widget]
        for key, view in (beside or {}).items():
            view.resize(COMPACT[key] if self.network_shown else view.figsize)
        self.show(trainer)

    @property
    def shown(self):
        """The picked view itself (a RegionsView or a NetworkView)."""
        return self.network if self.network_shown else self.regions

    @property
    def roots(self):
        """The widgets of both views (the network view's if it exists)."""
        return [self.regions.live.widget] + ([] if self.network is None else [self.network.widget])

    def set_data(self, trainer):
        """New points (a data control moved): the picked view moves to them now, the other one when it is
        picked (moved now, its pointer would send its new geometry to a view that is not on the page: one
        more message for the browser to handle in every data move). The widgets send once, at the end: new
        x and y limits would each send the pointer's geometry."""
        with one_message_each(*self.roots):
            self.shown.set_data(trainer)
        self._new_data = {view for view in (self.regions, self.network) if view is not None} - {self.shown}

    def follow(self, trainer):
        """A new run whose untrained network is the one drawn (only training settings changed): hovers
        and edits now read and change its model, without drawing anything again."""
        if self.network is not None and self.network.model is not None and not trainer.diverged:
            self.network.model = trainer.model

    def show(self, trainer):
        """Draw the picked view from the run as it is now."""
        self.shown.show(trainer)
