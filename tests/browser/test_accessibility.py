"""Every notebook's outputs audited for accessibility (WCAG 2.1 A and AA), on a laptop and on a projector,
and a keyboard-only walk through the panels of 05 and 07.

The audit (tests/browser/accessibility.py) counts, in the cells' outputs: elements in serious or critical
breach of a WCAG rule (axe-core), figures without a text alternative, and controls without an accessible
name. Each page's numbers are written to screenshots/accessibility.json, so a run shows where each
notebook stands even when a check fails. The keyboard walk moves every control of a panel with the keys
alone and checks that the figure and the words a screen reader reads for it change with each.
"""

import pytest

from .accessibility import assert_clean, audit, keyboard_walk, record
from .conftest import NOTEBOOKS, ROOT, SCREENSHOTS
from .jupyterlab import imports_and_cell
from .test_notebooks_in_lab import on_a_laptop, on_a_projector

pytestmark = pytest.mark.browser

RESULTS = SCREENSHOTS / "accessibility.json"  # every page's numbers, for the record
# Checks that a notebook does not pass yet, left to the pass over its lab ({notebook: {check, ...}}; the checks
# are "violations", "figures" and "controls"). Empty: every notebook is held to all three.
LATER = {}
WALKS = {"05_vanishing_gradients.ipynb": "vg.explorer(", "07_playground.ipynb": "playground.playground("}


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_outputs_pass_the_audit_on_a_laptop_and_on_a_projector(lab, notebook):
    lab.open(notebook)
    on_a_laptop(lab)
    errors = lab.run_all()
    assert not errors, f"{notebook}: cells failed:\n" + "\n".join(errors)
    results = {"laptop": audit(lab.page)}
    record(RESULTS, f"{notebook} laptop", results["laptop"])
    if not notebook.startswith("00_"):  # 00 has no figure to present
        on_a_projector(lab, notebook)
        errors = lab.run_all()
        assert not errors, f"{notebook} on a projector: cells failed:\n" + "\n".join(errors)
        results["projector"] = audit(lab.page)
        record(RESULTS, f"{notebook} projector", results["projector"])
    for screen, result in results.items():
        assert_clean(f"{notebook} on a {screen}", result, LATER.get(notebook, ()))


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
