"""The playground on screen: `Playground` (a run, its views, Play / Step / Reset and the status
line) and `PlaygroundPanel` (that, with a control for every setting, `controls`), which `playground()` makes.
"""

import math
import weakref

import ipywidgets as widgets

from ... import viz
from ...features import FEATURES
from ...widgets import PRESENTATION_CSS, Panel, dropdown, one_message_each
from .confusion import ConfusionView
from .controls import BATCH_SIZES, MAX_UNITS, UNITS, WEIGHT_DECAYS, dataset_options, setting_controls, settings_from
from .engine import Trainer
from .loop import PlayLoop
from .main_view import MAIN_VIEWS, MainView
from .point_adder import HINT, PointAdder
from .settings import DATA, OWN, TRAINING_ONLY, Settings, as_settings
from .status import StatusLine
from .views import LayersView, LossView

SPEEDS = (("slow", 10), ("normal", 40), ("fast", 160), ("max", math.inf))  # epochs per second while playing
# On a projector the words are half as large again: the buttons, checkboxes and labels the panel sizes for a laptop
# ("new data", "sin(x1)", the rows' names) take the width of their words there, instead of cutting them or running
# into the next control.
FIT_THE_WORDS_CSS = """<style>.nnlite-playground.nnlite-presentation .widget-button,
.nnlite-playground.nnlite-presentation .widget-toggle-button,
.nnlite-playground.nnlite-presentation .widget-checkbox,
.nnlite-playground.nnlite-presentation .widget-hbox > .widget-html { width: auto !important; flex: 0 0 auto; }
.nnlite-playground.nnlite-presentation .widget-hbox > .widget-html { margin-right: 8px; }</style>"""
__all__ = ["BATCH_SIZES", "MAX_UNITS", "SPEEDS", "WEIGHT_DECAYS", "Playground", "PlaygroundPanel", "play_buttons",
           "playground"]


class Playground:
    """Play / pause / step / reset around a Trainer, with its views and the status line.

    `trainer` is the run on screen; its `settings` are the playground's (one place for them).
    `loop` (a PlayLoop) trains it in slices on the event loop while it plays. `main` (the class
    regions or the network, as picked with `pick_view`), `loss`, `layers` and `confusion` (a table,
    on demand) are the views, `status` (a StatusLine) the line of text above them. on_error is
    called with a sentence (HTML) when Play stops on an error; by default it replaces the status line.
    """

    _instances = weakref.WeakSet()  # every playground of this kernel: only one plays at a time

    def __init__(self, settings=None, resolution=60, chunk_seconds=0.015, redraw_seconds=0.1, speed=40,
                 on_error=None):
        Playground._instances.add(self)
        self.main = MainView(resolution, on_edit=lambda *_: self.draw())  # a typed weight changes every view
        self.loss, self.layers, self.confusion, self.status = LossView(), LayersView(), ConfusionView(), StatusLine()
        self.confusion.button.observe(lambda _: self.confusion.show(self.trainer), names="value")
        self.play_button, self.step_button, self.reset_button = play_buttons(
            lambda: self.pause() if self.playing else self.play(), self.step, self.reset)
        views = (self._show_main, *(lambda view=view: view.show(self.trainer)
                                    for view in (self.loss, self.layers, self.confusion)))
        self.loop = PlayLoop(views, self._show_state, on_error or self.status.say, chunk_seconds, redraw_seconds,
                             speed)
        self.trainer = Trainer(settings)
        self.main.set_data(self.trainer)
        self.loss.set_epochs(self.settings.epochs)
        self.draw()

    settings = property(lambda self: self.trainer.settings, doc="The Settings of the run on screen.")
    playing = property(lambda self: self.loop.playing)
    regions = property(lambda self: self.main.regions, doc="The class regions view (a RegionsView).")

    @property
    def figures(self):
        """The LiveFigures shown: the main view's, loss and accuracy, gradient per hidden layer, units off."""
        return [*self.main.figures, self.loss.live, self.layers.grad_live, self.layers.dead_live]

    def pick_view(self, name):
        """Show the class regions or the network (one of MAIN_VIEWS), the others beside it, and draw them all."""
        self.main.pick(name, self.trainer, beside={"loss": self.loss, "layers": self.layers})
        self.draw()

    def apply(self, settings):
        """New settings from the controls. Only `epochs` changed (and the run has not passed it):
        keep the run and move its end. Anything else: a new run (the code line must stay true)."""
        settings = as_settings(settings)
        changed = self.settings.changes(settings)
        if not changed:
            return
        if changed == {"epochs"} and self.trainer.epoch <= settings.epochs:
            self.trainer.continue_with(settings)  # a play that reached the old end trains on to the new one
            self.loss.set_epochs(settings.epochs)
            with one_message_each(self.status.widget, self.loss.live.widget):  # nothing else shows the end
                self.loss.show(self.trainer)
                self._show_status()
            return
        untrained = self.trainer.steps == 0 and not self.trainer.diverged
        self.loop.stop()
        self.trainer = Trainer(settings)
        if untrained and changed <= set(TRAINING_ONLY):
            self.main.follow(self.trainer)
            self._show_status()  # the views show the untrained network, which these settings do not change
            return
        if changed & set(DATA):
            self.main.set_data(self.trainer)
        self.loss.set_epochs(settings.epochs)
        self.draw()

    def reset(self):
        """Start the same run again from the same initial weights (the seed stays)."""
        self.loop.stop()
        self.trainer = Trainer(self.settings)
        self.draw()

    def play(self):
        """Train until the chosen number of epochs (a finished run starts again from the beginning)."""
        if self.playing:
            return
        if self.trainer.done:
            self.trainer = Trainer(self.settings)
        self._start(until_epoch=None)

    def step(self):
        """Train one epoch (in slices too, so even a slow epoch does not block the page). As with Play,
        a finished run starts again from the beginning: a press that changed nothing would leave a
        student (or a screen reader) unsure whether it was heard."""
        if self.playing:
            self.loop.stop()
        if self.trainer.done:
            self.trainer = Trainer(self.settings)
        self._start(until_epoch=self.trainer.epoch + 1)

    def pause(self):
        """Stop after the slice that is running now, and show where training got to."""
        self.loop.stop()
        self.draw()

    def _start(self, until_epoch):
        for other in list(Playground._instances):  # e.g. the panel of a cell that was run again
            if other is not self and other.playing:
                other.pause()
        self.loop.start(self.trainer, until_epoch)

    def draw(self):
        """Redraw every view and the status text from the trainer (sent to the browser together)."""
        with one_message_each(self.status.widget, self.confusion.widget, *(live.widget for live in self.figures)):
            self.loop.draw_all()

    def _show_main(self):
        self.main.show(self.trainer)
        self._show_status()  # the numbers in the status line go with the picture of the regions

    def _show_state(self):
        show_playing(self.play_button, self.playing and self.loop.until_epoch is None)
        self._show_status()

    def _show_status(self):
        self.status.show(self.trainer, self.playing, self.loop.pace.speed)


def play_buttons(on_play=None, on_step=None, on_reset=None):
    """The Play, Step and Reset buttons, with Font Awesome icons (an emoji may have no font); each
    calls its function (if given) when clicked."""
    size = {"layout": widgets.Layout(width="92px")}
    buttons = (widgets.Button(description="Play", icon="play", button_style="success", **size,
                              tooltip="train to the chosen epochs; click again to pause"),
               widgets.Button(description="Step", icon="step-forward", tooltip="train one epoch", **size),
               widgets.Button(description="Reset", icon="undo", tooltip="start again from the same initial weights",
                              **size))
    for button, action in zip(buttons, (on_play, on_step, on_reset), strict=True):
        if action is not None:
            button.on_click(lambda _, action=action: action())
    return buttons


def show_playing(button, playing):
    """The Play button says Pause while Play trains."""
    button.description, button.icon = ("Pause", "pause") if playing else ("Play", "play")
    button.button_style = "warning" if playing else "success"


def retitle_regions(pg):
    """Title the big picture of Playground `pg` for its task: a regression's picture is its output, not class
    regions. Drawn now if it is on the page, else when picked (a whole new picture for a view off the page
    would cost 50 ms of a move, for nothing)."""
    regions = pg.regions
    title = f"{'output' if pg.settings.task == 'regression' else 'class regions'} ({HINT})"
    if regions.ax.get_title() == title:
        return
    regions.ax.set_title(title, fontsize="medium")
    if pg.main.shown is regions:
        regions.live.redraw(full=True)
    else:
        regions.live.invalidate()


def show_units(row, units, layers):
    """Show the first `layers` of the `units` controls in `row` (an HBox that starts with its label). All of
    them are in the row from the first call on, the others hidden (display: none): a new layer count shows or
    hides a control the browser has built already, instead of changing the row's children (a view built or
    dropped on every layers move)."""
    if len(row.children) == 1:
        row.children = (*row.children, *units)
    for k, control in enumerate(units):
        display = None if k < layers else "none"
        if control.layout.display != display:
            control.layout.display = display


class PlaygroundPanel(Panel):
    """The playground panel: data, inputs, network and training controls (`controls`, see
    `controls.setting_controls`), Play/Pause/Step/Reset and the speed, and the views, laid out to fit an
    848-pixel-wide notebook (a 1280 x 800 laptop with the file browser open); on a narrower page they wrap.

    Moving a control starts a new run, except `epochs`, which only moves the end, the speed and the
    view. Besides a Panel's `controls` and `error` line it has `playground` (the Playground), `buttons`
    (play, step, reset, new_seed, new_data), `speed`, `view` (class regions or network: the main view)
    and `figures` (the box of the views shown). "new seed" draws other starting weights for the same
    points; "new data" draws other points (the next data seed) for the same settings. A click on the class
    regions adds a point (`adder`, a PointAdder: its class, undo and clear take the place of noise and
    "new data", which do not apply to your own points).
    """

    def __init__(self, settings=None, resolution=60):
        s = Settings() if settings is None else as_settings(settings)
        self.playground = pg = Playground(s, resolution=resolution, on_error=self._say_error)
        self.data_seed = s.data_seed  # no control of its own: "new data" draws the next one
        self.own_points = s.data  # nor have your own points: clicks on the class regions add to them
        self.adder = PointAdder(pg.regions, lambda: pg.settings, self._set_points)
        self._quiet = False  # True while the data set control's options change: no run for that
        self.buttons = {"play": pg.play_button, "step": pg.step_button, "reset": pg.reset_button,
                        "new_seed": widgets.Button(description="new seed", icon="random", tooltip="other starting "
                                                   "weights, the same points", layout=widgets.Layout(width="100px")),
                        "new_data": widgets.Button(description="new data", icon="refresh", tooltip="other points "
                                                   "of the same data set", layout=widgets.Layout(width="100px"))}
        self.buttons["new_seed"].on_click(lambda _: self.new_seed())
        self.buttons["new_data"].on_click(lambda _: self.new_data())
        self.speed = dropdown("speed", list(SPEEDS), pg.loop.pace.speed, name="speed of Play", unit="epochs a second")
        self.speed.observe(lambda change: pg.loop.set_speed(change["new"]), names="value")
        self.view = dropdown("view", list(MAIN_VIEWS), pg.main.picked, name="main view")
        self.view.observe(lambda change: self._pick(change["new"]), names="value")
        self.figures = widgets.Box(layout=widgets.Layout(display="flex", flex_flow="row wrap",
                                                         align_items="flex-start", width="100%"))
        self._show_figures()
        self.units = widgets.HBox([widgets.HTML("units", layout=widgets.Layout(width="36px"))],
                                  layout=widgets.Layout(align_items="center"))
        super().__init__(self._update, setting_controls(s), views=[self.figures])  # the layout is ours (below)
        self.widget = self._layout(self.figures)

    def _update(self, **values):
        if self._quiet:
            return
        show_units(self.units, [self.controls[name] for name in UNITS], values["layers"])
        own = values["dataset"] == OWN
        for widget, shown in ((self.controls["noise"], not own), (self.buttons["new_data"], not own),
                              (self.adder.widget, own)):
            widget.layout.display = None if shown else "none"
        self.playground.apply(settings_from(values, self.playground.settings, self.data_seed, self.own_points))
        if own:  # hidden, its options would be one more message a move (the first click brings them up to date)
            self.adder.show_classes()
        retitle_regions(self.playground)

    def _set_points(self, dataset, data):
        """A click, undo or clear: the run's data set and your own points (the data set control follows)."""
        self.own_points, control = data, self.controls["dataset"]
        self._quiet = True  # new options move the value to the first one: no run for that
        try:
            control.options = dataset_options(data is not None)
            control.value = dataset
        finally:
            self._quiet = False
        self.refresh()

    def new_seed(self):
        """Other starting weights and shuffles (the next seed) for the same points."""
        self.data_seed = self.playground.settings.points_seed
        self.controls["seed"].value += 1  # the move starts the new run

    def new_data(self):
        """Other points of the same data set (the next data seed); the seed of the weights stays."""
        self.data_seed = self.playground.settings.points_seed + 1
        self.refresh()

    def _layout(self, figures):
        def row(label, names, *more):
            return widgets.HBox([widgets.HTML(f"<b>{label}</b>", layout=widgets.Layout(width="62px")),
                                 *(self.controls[n] for n in names),
                                 *(self.controls[m] if isinstance(m, str) else m for m in more)],
                                layout=widgets.Layout(flex_flow="row wrap", align_items="center"))

        self.speed.layout.width, self.view.layout.width = "125px", "165px"
        pg, b = self.playground, self.buttons
        box = widgets.VBox([
            row("Data", ("dataset", "noise"), self.adder.widget, "val_fraction", b["new_data"]),
            row("Network", (*FEATURES, "activation", "init")),  # the inputs it reads, its units' activation
            row("", ("layers",), self.units),
            row("Training", ("lr", "batch_size", "weight_decay", "l1")),
            row("Run", ("epochs", "target_loss", "seed"), b["new_seed"]),
            row("", (), pg.play_button, pg.step_button, pg.reset_button, self.speed, self.view, pg.confusion.button),
            pg.status.widget, figures, pg.confusion.widget, self.error,
        ], layout=widgets.Layout(width="100%"))
        box.add_class("nnlite-playground")
        if viz.presentation_on():  # as Panel does: larger controls for the back of the room
            box.children = (widgets.HTML(PRESENTATION_CSS + FIT_THE_WORDS_CSS), *box.children)
            box.add_class("nnlite-presentation")
        return box

    def _pick(self, name):
        """The student picked another main view (class regions or network): show it, drawn now."""
        self.playground.pick_view(name)
        self._show_figures()

    def _show_figures(self):
        pg = self.playground
        self.figures.children = [pg.main.widget, *(live.widget for live in pg.figures[len(pg.main.figures):])]
        self.figures.live_figures = tuple(pg.figures)  # what Panel.preview and "Show the data" draw
        for live in pg.figures:
            live.widget.add_class("nnlite-playground-view")  # the browser test finds the views by it

    def _say_error(self, text):
        self.error.value = text


def playground(X=None, y=None, *, task="classification", settings=None, resolution=60):
    """The playground panel (a PlaygroundPanel): every setting a control, Play/Pause/Step/Reset, the views
    (the class regions or the network, picked with its "view" control; loss; the hidden layers).

    ``playground()`` starts on a course data set; ``playground(X, y)`` on your own points: X with one row
    (x1, x2) per point, y their classes 0, 1, ..., K-1 (2 to 10 classes; checked, with errors that say
    what is wrong), or with task="regression" real targets (one output unit, the mean squared error).
    ``settings=Settings(...)`` or a dict of its fields sets the rest; ``playground(settings)``
    alone, a Settings or a dict, is read as settings too."""
    if isinstance(X, (Settings, dict)) and y is None and settings is None:
        X, settings = None, X
    settings = Settings() if settings is None else as_settings(settings)
    if X is not None or y is not None:
        if X is None or y is None:
            raise TypeError(f"playground(X, y) needs both your points X and their classes y; got only "
                            f"{'y' if X is None else 'X'}")
        settings = settings.replace(dataset=OWN, data=(X, y, task))
    return PlaygroundPanel(settings, resolution)
