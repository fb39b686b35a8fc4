"""The playground on screen: `Playground` (a run, its views, Play / Step / Reset and the status
line) and `PlaygroundPanel` (that, with a control for every setting), which `playground()` makes.
"""

import html
import math
import weakref

import ipywidgets as widgets

from ... import viz
from ...widgets import (
    PRESENTATION_CSS,
    Panel,
    dropdown,
    log_slider,
    one_message_each,
    selection_slider,
    slider,
    text_line,
)
from .engine import Trainer
from .loop import PlayLoop
from .main_view import MAIN_VIEWS, MainView
from .settings import ACTIVATIONS, DATA, DATASETS, INITS, TRAINING_ONLY, Settings, as_settings, code_line
from .views import MAX_HIDDEN_LAYERS, LayersView, LossView

SPEEDS = (("slow", 10), ("normal", 40), ("fast", 160), ("max", math.inf))  # epochs per second while playing
WEIGHT_DECAYS = (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1)
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256)
MAX_UNITS = 32


class Playground:
    """Play / pause / step / reset around a Trainer, with its views and the status line.

    `trainer` is the run on screen; its `settings` are the playground's (one place for them).
    `loop` (a PlayLoop) trains it in slices on the event loop while it plays. `main` (the class
    regions or the network, as picked with `pick_view`), `loss` and `layers` are the views, `status`
    the line of text above them. on_error is called with a sentence (HTML) when Play stops on an
    error; by default the sentence replaces the status line.
    """

    _instances = weakref.WeakSet()  # every playground of this kernel: only one plays at a time

    def __init__(self, settings=None, resolution=60, chunk_seconds=0.015, redraw_seconds=0.1, speed=40,
                 on_error=None):
        Playground._instances.add(self)
        self.main = MainView(resolution, on_edit=lambda *_: self.draw())  # a typed weight changes every view
        self.loss, self.layers = LossView(), LayersView()
        # the state, the run's numbers and the run as code: one text, so a move sends one message for it
        self.status = text_line()
        self.status.layout.width = "100%"
        self.play_button, self.step_button, self.reset_button = play_buttons()
        self.play_button.on_click(lambda _: self.pause() if self.playing else self.play())
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        views = (self._show_main, lambda: self.loss.show(self.trainer), lambda: self.layers.show(self.trainer))
        self.loop = PlayLoop(views, self._show_state, on_error or self._say_error, chunk_seconds, redraw_seconds,
                             speed)
        self.trainer = Trainer(settings)
        self.main.set_data(self.trainer)
        self.loss.set_epochs(self.settings.epochs)
        self.draw()

    @property
    def settings(self):
        """The Settings of the run on screen."""
        return self.trainer.settings

    @property
    def playing(self):
        return self.loop.playing

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
            self.draw()
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
        """Start the same run again from the initial weights."""
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
        """Train one epoch (in slices too, so even a slow epoch does not block the page)."""
        if self.playing:
            self.loop.stop()
        if self.trainer.done:
            self.draw()
            return
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
        with one_message_each(self.status, *(live.widget for live in self.figures)):
            self.loop.draw_all()

    def _show_main(self):
        self.main.show(self.trainer)
        self._show_status()  # the numbers in the status line go with the picture of the regions

    def _show_state(self):
        playing = self.playing and self.loop.until_epoch is None
        self.play_button.description, self.play_button.icon = ("Pause", "pause") if playing else ("Play", "play")
        self.play_button.button_style = "warning" if playing else "success"
        self._show_status()

    def _show_status(self):
        self.status.value = status_html(self.trainer, self.playing, self.loop.pace.speed) + code_html(self.settings)

    def _say_error(self, text):
        self.status.value = text


def play_buttons():
    """The Play, Step and Reset buttons, with Font Awesome icons (an emoji may have no font)."""
    size = {"layout": widgets.Layout(width="92px")}
    return (widgets.Button(description="Play", icon="play", button_style="success", **size,
                           tooltip="train to the chosen epochs; click again to pause"),
            widgets.Button(description="Step", icon="step-forward", tooltip="train one epoch", **size),
            widgets.Button(description="Reset", icon="undo", tooltip="start again from the initial weights", **size))


def status_html(trainer, playing=False, speed=None):
    """The status line under the buttons: the state in words, the latest numbers and the speed of Play."""
    if trainer.diverged:
        return f"<span style='color:#b00'><b>stopped</b> &middot; {html.escape(trainer.summary())}</span>"
    if playing:
        state = "training…"
    elif trainer.done:
        state = "done"
    elif trainer.steps == 0:
        state = "ready"
    else:
        state = "paused"
    pace = "" if speed is None else " &middot; Play: " + ("as fast as it can" if speed == math.inf
                                                            else f"{speed:g} epochs/s")
    return f"<b>{state}</b> &middot; {html.escape(trainer.summary())}{pace}"


def code_html(settings):
    """The run as one line of nnlite code, under the status line: one line that scrolls sideways
    (four lines if it wrapped, which would push the views below a laptop's screen)."""
    return ("<div style='font-size:0.85em;color:#444;white-space:nowrap;overflow-x:auto;scrollbar-width:thin;"
            "width:0;min-width:100%'>"  # as wide as the output, not as the line: it scrolls
            "The same run as nnlite code (after <code>import nnlite as nl</code>): "
            f"<span style='font-family:monospace;user-select:all'>{html.escape(code_line(settings))}</span></div>")


class PlaygroundPanel(Panel):
    """The playground panel: data, network and training controls, Play/Pause/Step/Reset and the
    speed, and the views (the class regions or the network, loss and accuracy, two of the hidden
    layers), laid out to fit an 848-pixel-wide notebook (a 1280 x 800 laptop with the file browser
    open) in about 620 pixels of height; on a narrower page the views wrap.

    `settings` gives the starting values (hidden layers all of one size, as the sliders make
    them). Moving a control starts a new run, except `epochs`, which only moves the end, the
    speed and the view. Besides a Panel's `controls` and `error` line it has `playground` (the
    Playground), `buttons` (play, step, reset), `speed` (the speed control), `view` (class regions
    or network: the main view) and `figures` (the box of the views shown).
    """

    WIDTHS = {"dataset": 140, "noise": 230, "val_fraction": 250, "layers": 190, "units": 210, "activation": 165,
              "init": 120, "lr": 250, "batch_size": 110, "epochs": 230, "weight_decay": 220}  # pixels

    def __init__(self, settings=None, resolution=60):
        s = Settings() if settings is None else as_settings(settings)
        self.playground = pg = Playground(s, resolution=resolution, on_error=self._say_error)
        self.buttons = {"play": pg.play_button, "step": pg.step_button, "reset": pg.reset_button}
        self.speed = dropdown("speed", list(SPEEDS), pg.loop.pace.speed)
        self.speed.observe(lambda change: pg.loop.set_speed(change["new"]), names="value")
        self.view = dropdown("view", list(MAIN_VIEWS), pg.main.picked)
        self.view.observe(lambda change: self._pick(change["new"]), names="value")
        self.figures = widgets.Box(layout=widgets.Layout(display="flex", flex_flow="row wrap",
                                                         align_items="flex-start", width="100%"))
        self._show_figures()
        super().__init__(self._update, self._controls(s), views=[self.figures])  # the layout is ours (below)
        self.widget = self._layout(self.figures)

    @staticmethod
    def _controls(s):
        controls = {
            "dataset": dropdown("data", list(DATASETS), s.dataset),
            "noise": slider("noise", 0.0, 0.5, 0.05, s.noise),
            "val_fraction": slider("validation share", 0.1, 0.5, 0.05, s.val_fraction, readout_format=".0%"),
            "layers": slider("layers", 0, MAX_HIDDEN_LAYERS, 1, len(s.hidden)),
            "units": slider("units", 1, MAX_UNITS, 1, s.hidden[0] if s.hidden else 8),
            "activation": dropdown("activation", list(ACTIVATIONS), s.activation),
            "init": dropdown("init", list(INITS), s.init),
            "lr": log_slider("learning rate", -3, 1, s.lr),
            "batch_size": dropdown("batch", list(BATCH_SIZES), s.batch_size),
            "epochs": slider("epochs", 10, 1000, 10, s.epochs),
            "weight_decay": selection_slider("weight decay", WEIGHT_DECAYS, s.weight_decay),
        }
        for name, width in PlaygroundPanel.WIDTHS.items():
            controls[name].layout.width = f"{width}px"
        return controls

    def _update(self, dataset, noise, val_fraction, layers, units, activation, init, lr, batch_size, epochs,
                weight_decay):
        self.controls["units"].disabled = layers == 0  # no hidden layer: nothing to size
        s = self.playground.settings  # n, test_fraction and seed have no control: they stay
        self.playground.apply(Settings(dataset=dataset, noise=round(float(noise), 2), n=s.n,
                                       val_fraction=round(float(val_fraction), 2), test_fraction=s.test_fraction,
                                       hidden=(units,) * layers,
                                       activation=activation, init=init, lr=float(f"{lr:.3g}"),
                                       batch_size=batch_size, epochs=epochs, weight_decay=weight_decay, seed=s.seed))

    def _layout(self, figures):
        def row(label, names, *more):
            return widgets.HBox([widgets.HTML(f"<b>{label}</b>", layout=widgets.Layout(width="62px")),
                                 *(self.controls[n] for n in names), *more],
                                layout=widgets.Layout(flex_flow="row wrap", align_items="center"))

        self.speed.layout.width, self.view.layout.width = "125px", "175px"
        pg = self.playground
        box = widgets.VBox([
            row("Data", ("dataset", "noise", "val_fraction")),
            row("Network", ("layers", "units", "activation", "init")),
            row("Training", ("lr", "batch_size", "epochs"), self.view),
            row("", ("weight_decay",), pg.play_button, pg.step_button, pg.reset_button, self.speed),
            pg.status, figures, self.error,
        ], layout=widgets.Layout(width="100%"))
        box.add_class("nnlite-playground")
        if viz.presentation_on():  # as Panel does: larger controls for the back of the room
            box.children = (widgets.HTML(PRESENTATION_CSS), *box.children)
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


def playground(settings=None, resolution=60):
    """The playground panel (a PlaygroundPanel): every setting a control, Play/Pause/Step/Reset, the views
    (the class regions or the network, picked with its "view" control; loss; the hidden layers)."""
    return PlaygroundPanel(settings, resolution)
