"""Where the wrong answers go: the validation points' confusion matrix (nl.confusion_matrix) as a table.

Accuracy says how many points the network gets wrong; with 3 or more classes the matrix says which
classes it mixes up. It is a table of text (a caption, a header per row and column), so a screen
reader reads it as it is. Shown on demand (the toggle `button`): while it is hidden, a redraw costs
one comparison.
"""

import html

import ipywidgets as widgets
import numpy as np

from ... import colors
from ...metrics import confusion_matrix


class ConfusionView:
    """`button` (a toggle: show or hide the table) and `widget` (the table); `show(trainer)` fills it in."""

    def __init__(self):
        self.button = widgets.ToggleButton(description="confusion", icon="table", value=False,
                                           tooltip="the validation points' confusion matrix: where wrong answers go",
                                           layout=widgets.Layout(width="110px"))
        self.widget = widgets.HTML(layout=widgets.Layout(display="none"))
        self.counts = None  # the matrix last shown

    @property
    def shown(self):
        return self.button.value

    def show(self, trainer):
        """The matrix of the run's network on the validation points, now (nothing while hidden)."""
        regression = trainer.settings.task == "regression"  # no classes: nothing to confuse
        self.button.disabled = regression
        self.widget.layout.display = None if self.shown and not regression else "none"
        if not self.shown or trainer.diverged or regression:
            return
        predicted = trainer.model.forward(trainer.F_val).argmax(axis=1)
        n = trainer.model.sizes[-1]
        self.counts = confusion_matrix(trainer.y_val, predicted, n_classes=n)
        self.widget.value = matrix_html(self.counts)


def matrix_html(counts):
    """A confusion matrix as an HTML table: a row per true class, a column per predicted class, the right
    answers (the diagonal) in bold, a caption that says how to read it."""
    n, total = len(counts), int(counts.sum())
    label = [html.escape(f"{k} ({colors.NAMES[k]})") for k in range(n)]
    head = "".join(f"<th scope='col'>{name}</th>" for name in label)
    rows = "".join(f"<tr><th scope='row'>{label[i]}</th>" + "".join(
        f"<td>{'<b>' if i == j else ''}{counts[i, j]}{'</b>' if i == j else ''}</td>" for j in range(n)) + "</tr>"
                   for i in range(n))
    right = int(np.trace(counts))
    return ("<table class='nnlite-confusion' style='font-size:0.85em;text-align:right'>"
            f"<caption style='text-align:left'>Confusion matrix of the {total} validation points: a row per true "
            f"class, a column per predicted class; {right} of {total} on the diagonal (right).</caption>"
            f"<tr><th scope='col'>true \\ predicted</th>{head}</tr>{rows}</table>")
