"""The playground's status line: the state in words, the latest numbers, the speed of Play, and the run
as one line of nnlite code, in one HTML text (so a move sends one message for all of it)."""

import html
import math

from ...widgets import text_line
from .settings import code_line


class StatusLine:
    """`widget`, the line of text above the views; `show` writes the run into it, `say` any sentence."""

    def __init__(self):
        self.widget = text_line()
        self.widget.layout.width = "100%"

    @property
    def value(self):
        return self.widget.value

    def show(self, trainer, playing=False, speed=None):
        """The run's state and numbers, and its code line."""
        self.widget.value = status_html(trainer, playing, speed) + code_html(trainer.settings)

    def say(self, text):
        """A sentence (HTML) instead: why Play stopped."""
        self.widget.value = text


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
