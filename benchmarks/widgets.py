"""Kernel-side cost of every control move, at the controls' extreme settings.

Runs each notebook's cells in one IPython shell (no browser), picks up every Panel that a
cell displays, and moves each control through its extremes (slider min, max and middle;
every dropdown option), then all sliders to their maximum together. Each setting is timed
as Panel.last_update_seconds (the update function: compute + draw + encode the PNG),
median of `--repeats` moves. Goal: the slowest control stays well under 50 ms.

    python benchmarks/widgets.py [--repeats 3] [notebooks/05_vanishing_gradients.ipynb ...]
"""

import argparse
import statistics
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
GOAL_MS = 50.0


def panels_of(notebook):
    """Execute a notebook's code cells in-process; return (cell index, Panel) for each Panel displayed."""
    import matplotlib
    from IPython.core.interactiveshell import InteractiveShell

    from nnlite.widgets import Panel

    matplotlib.use("agg")  # no figures pop up; LiveFigure draws with Agg anyway
    shell = InteractiveShell.instance()
    nb = nbformat.read(notebook, as_version=4)
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        result = shell.run_cell(cell.source, silent=False, store_history=False)
        if isinstance(result.result, Panel):
            found.append((index, result.result))
    InteractiveShell.clear_instance()
    return found


def settings(control):
    """The values worth timing for one control: the extremes and the middle, or every option."""
    if hasattr(control, "options") and control.options:
        return [v[1] if isinstance(v, tuple) else v for v in control.options]
    if type(control).__name__ == "FloatLogSlider":
        return [control.base**control.min, control.base**((control.min + control.max) / 2), control.base**control.max]
    return [control.min, type(control.value)((control.min + control.max) / 2), control.max]


def time_move(panel, control, value, repeats):
    """Median kernel time of moving `control` to `value` (moving away first so each move is real)."""
    times = []
    for _ in range(repeats):
        original = value
        alternatives = [v for v in settings(control) if v != value]
        if alternatives:
            control.value = alternatives[0]
        control.value = original
        times.append(panel.last_update_seconds * 1000)
        if panel.error.value:
            raise RuntimeError(f"{control.description}={value!r} shows an error: {panel.error.value}")
    return statistics.median(times)


def measure(notebook, repeats):
    rows = []
    for cell_index, panel in panels_of(notebook):
        initial = panel.values()
        for name, control in panel.controls.items():
            worst = max(((time_move(panel, control, v, repeats), v) for v in settings(control)), key=lambda t: t[0])
            rows.append((notebook.name, cell_index, name, worst[1], worst[0]))
            control.value = initial[name]
        sliders = {n: c for n, c in panel.controls.items() if not hasattr(c, "options")}
        if len(sliders) > 1:
            for c in sliders.values():
                c.value = settings(c)[-1]
            worst = statistics.median(time_move(panel, c, settings(c)[-1], 1) for c in sliders.values())
            rows.append((notebook.name, cell_index, "all sliders at max", "max", worst))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    rows = []
    for notebook in notebooks:
        rows += measure(notebook.resolve(), args.repeats)
    print(f"{'notebook':<32}{'cell':>5}  {'control':<22}{'slowest at':<14}{'ms':>8}")
    for name, cell, control, value, ms in rows:
        print(f"{name:<32}{cell:>5}  {control:<22}{str(value)[:13]:<14}{ms:>8.1f}")
    if not rows:
        print("no panels found")
        return 0
    slowest = max(rows, key=lambda r: r[4])
    print(f"\nmedian over controls {statistics.median(r[4] for r in rows):.1f} ms; slowest: {slowest[2]} in "
          f"{slowest[0]} at {slowest[3]}: {slowest[4]:.1f} ms (goal: under {GOAL_MS:.0f} ms) -> "
          f"{'GOAL MET' if slowest[4] < GOAL_MS else 'GOAL MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
