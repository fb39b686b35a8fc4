"""A keyboard-only walk through the panels of 05 and 07: every control moved with the keys alone, and the
figure and the words a screen reader reads for it change with each.

Every notebook's outputs are audited for accessibility (WCAG 2.1 A and AA: elements in serious or critical
breach of a WCAG rule (axe-core), figures without a text alternative, controls without an accessible name;
tests/browser/accessibility.py) on a laptop and on a projector in test_notebooks_in_lab, on the pages it
runs anyway; the Voila app, the slides, the pointer demo and the network view are audited by their tests.
"""

import pytest

from .accessibility import keyboard_walk
from .conftest import ROOT, SCREENSHOTS
from .jupyterlab import imports_and_cell
from .test_notebooks_in_lab import on_a_laptop

pytestmark = pytest.mark.browser

WALKS = {"05_vanishing_gradients.ipynb": "vg.explorer(", "07_playground.ipynb": "playground.playground("}


@pytest.mark.parametrize("notebook", sorted(WALKS))
def test_a_keyboard_alone_changes_every_control_and_its_figure(lab, notebook):
    lab.open(notebook)
    on_a_laptop(lab)
    errors = lab.run_cells(imports_and_cell(ROOT / "notebooks" / notebook, WALKS[notebook]))
    assert not errors, f"{notebook}: cells failed:\n" + "\n".join(errors)
    output = next(o for o in lab.widget_outputs() if o.query_selector(".nnlite-panel"))
    walked = keyboard_walk(lab.page, output, screenshot=SCREENSHOTS / f"keyboard_{notebook[:2]}.png")
    enabled = output.evaluate("o => [...o.querySelectorAll('.nnlite-panel .noUi-target:not([disabled]) [role=slider], "
                              ".nnlite-panel select:not(:disabled)')].filter(e => e.getClientRects().length).length")
    # (a control hidden for now, display: none, is out of the Tab order: the playground's class for added
    # points shows only with your own points)
    moved = [name for kind, name, _ in walked if kind in ("slider", "select")]
    assert len(moved) == enabled, f"{notebook}: the keyboard moved {moved}, the panel has {enabled} controls"
    assert any(kind == "button" and name.startswith("Show the data") for kind, name, _ in walked)
