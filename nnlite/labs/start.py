"""Notebook 00: is everything the course needs installed and working? Said in plain words.

`environment_report()` tries each piece for real (imports it, computes or draws something
small) and returns a list of (component, ok, message). `show_environment_check()` prints it
without version numbers, so the text is the same on every machine where all is well;
`versions()` lists the versions for when something is not.

Only the standard library is imported at the top: if numpy or matplotlib is broken, this
module still loads and can say so.
"""

import importlib
import importlib.metadata
import math
import sys

MIN_PYTHON = (3, 10)
GOOD, BAD = "✓", "✗"  # marks that read without an emoji font (minimal hub images have none)
FIX = "run `make lab` again in the course folder (it installs everything), or"

_import = importlib.import_module  # tests replace these two to simulate a broken machine
_dist_version = importlib.metadata.version


def _major(version):
    try:
        return int(str(version).split(".")[0])
    except ValueError:
        return None


def _try(component, check, fix):
    """Run `check()`; it returns the OK message or raises. Any failure becomes a sentence."""
    try:
        return component, True, check()
    except ModuleNotFoundError as error:
        return component, False, f"is not installed ({error}). To fix it, {fix}."
    except Exception as error:  # the point is to report anything in words
        reason = f"{type(error).__name__}: {error}".strip().rstrip(":")
        return component, False, f"does not work ({reason}). To fix it, {fix}."


def _check_numpy():
    np = _import("numpy")
    z = np.array([5.0, 8.0])
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    if abs(p[0] - 0.0474) > 1e-4:
        raise ArithmeticError("numpy computed a wrong softmax")
    return "works (it turned two scores into probabilities)."


def _check_matplotlib():
    _import("matplotlib")
    figure_module = _import("matplotlib.figure")
    agg = _import("matplotlib.backends.backend_agg")
    fig = figure_module.Figure(figsize=(1, 1))
    canvas = agg.FigureCanvasAgg(fig)
    fig.subplots().plot([0, 1], [0, 1])
    canvas.draw()
    return "works (it drew a small figure)."


def _check_ipywidgets():
    widgets = _import("ipywidgets")
    major = _major(widgets.__version__)
    if major != 8:
        raise ImportError(f"the course needs ipywidgets 8, this is ipywidgets {widgets.__version__}")
    slider = widgets.IntSlider(value=1, min=0, max=2)
    slider.value = 2
    return "works (it made a slider)."


def _check_frontend():
    """jupyterlab_widgets, as installed where the kernel runs. JupyterLab itself may run from another
    environment (a JupyterHub, nb_conda_kernels): only the widget test in the browser can see that one."""
    try:
        lab_widgets = _dist_version("jupyterlab_widgets")
    except importlib.metadata.PackageNotFoundError:
        raise ImportError("jupyterlab_widgets is not installed in this kernel's environment, so JupyterLab cannot "
                          "draw widgets unless it runs from another environment that has it (the widget test "
                          "below tells)") from None
    try:
        ipywidgets = _dist_version("ipywidgets")
    except importlib.metadata.PackageNotFoundError:
        raise ImportError("ipywidgets is not installed") from None
    if (_major(ipywidgets), _major(lab_widgets)) != (8, 3):
        raise ImportError(f"ipywidgets {ipywidgets} needs jupyterlab_widgets 3.x, found {lab_widgets}: "
                          f"they must come from the same release line")
    return "installed in this kernel's environment, from the same release line as ipywidgets."


def _check_nnlite():
    nnlite = _import("nnlite")
    nnlite.MLP([2, 3, 2], seed=0)
    return "works (it built a small network)."


def environment_report():
    """Check every piece the course needs; return a list of (component, ok, message).

    Never raises: a missing or broken piece becomes ok=False and a message that says
    what is wrong and what to do.
    """
    version = ".".join(map(str, sys.version_info[:3]))
    python_ok = sys.version_info[:2] >= MIN_PYTHON
    report = [("Python", python_ok,
               "version 3.10 or newer: fine." if python_ok else
               f"is {version}, but the course needs 3.10 or newer. Install a newer Python, then run `make lab`.")]
    report.append(_try("numpy", _check_numpy, f"{FIX} `pip install numpy`"))
    report.append(_try("matplotlib", _check_matplotlib, f"{FIX} `pip install matplotlib`"))
    report.append(_try("ipywidgets", _check_ipywidgets, f"{FIX} `pip install \"ipywidgets>=8.1,<9\"`"))
    report.append(_try("widget frontend (jupyterlab_widgets)", _check_frontend,
                       f"{FIX} `pip install \"jupyterlab_widgets>=3,<4\"` in the environment that runs JupyterLab, "
                       f"then restart JupyterLab"))
    report.append(_try("nnlite", _check_nnlite, f"{FIX} `pip install -e .` in the course folder"))
    return report


def show_environment_check():
    """Print the report, one line per component, and a verdict. Returns True when all is well."""
    report = environment_report()
    for component, ok, message in report:
        print(f"{GOOD if ok else BAD} {component}: {message}")
    good = all(ok for _, ok, _ in report)
    if good:
        print("All good: the kernel side is ready. The widget test below checks the browser side.")
    else:
        print(f"Something is missing: fix the lines marked {BAD} (then restart the kernel: Kernel > Restart Kernel) "
              "and run this cell again.")
    return good


def versions():
    """The version of every piece, as a dict (None where it is not installed)."""
    found = {"python": ".".join(map(str, sys.version_info[:3]))}
    for name in ("nnlite", "numpy", "matplotlib", "ipywidgets", "jupyterlab_widgets", "jupyterlab", "ipykernel"):
        try:
            found[name] = _dist_version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    return found


def softmax_demo():
    """A first slider: two scores in, two probabilities out (the umbrella of notebook 02).

    If it shows and answers, widgets work in this browser. The bars are a live figure like those
    of every later panel (a picture, with the bars that change drawn over it), so the saved notebook
    shows a still picture of them before the cell runs, as it does for every later panel; the
    line of text under them says the same in words (and is what a screen reader reads).
    """
    from .. import viz
    from ..losses import softmax
    from ..widgets import LiveFigure, Panel, slider, text_line

    live = LiveFigure(figsize=(5.5, 1.4))
    ax = live.subplots()
    rows = (1, 0)  # "take the umbrella" on top
    bars = list(ax.barh(rows, [0.0, 0.0], height=0.6, color=viz.PALETTE[:2]))
    values = [ax.text(0.0, row, "", va="center") for row in rows]
    ax.set(xlim=(0.0, 1.18), ylim=(-0.5, 1.5), yticks=rows, yticklabels=["P(take the umbrella)", "P(leave it at home)"],
           xticks=[0.0, 0.5, 1.0])
    ax.grid(False)
    live.animate(*bars, *values)
    text = text_line()

    def update(yes, no):
        p = softmax([yes, no])
        for bar, value, probability in zip(bars, values, p, strict=True):
            bar.set_width(probability)
            value.set_position((probability + 0.02, value.get_position()[1]))
            value.set_text(f"{probability:.1%}")
        text.value = f"P(take the umbrella) = {p[0]:.1%}, P(leave it at home) = {p[1]:.1%}"
        live.redraw()

    controls = {"yes": slider("score for 'yes'", -10.0, 10.0, 0.5, 5.0),
                "no": slider("score for 'no'", -10.0, 10.0, 0.5, 8.0)}
    return Panel(update, controls, [live.widget, text], title="Two scores, two probabilities", columns=1,
                 parts={"live": live, "text": text, "bars": bars})


def exercise_demo():
    """An exercise to show what a check says (imported here, not at the top: see the docstring)."""
    from nnlite.exercises import Mistake, NumberExercise

    return NumberExercise(
        "P(yes) for the scores 5 (yes) and 8 (no)", expected=1 / (1 + math.exp(3)),
        mistakes=[Mistake(5 / 13, "That divides each score by the sum of the scores: softmax exponentiates first."),
                  Mistake(1 / (1 + math.exp(-3)), "That is P(no), the probability of the other answer."),
                  Mistake(math.exp(5), "That is e^5 alone: divide it by the sum of both exponentials.")],
        hint="Notebook 02 (section 2, softmax) shows how two scores become two probabilities.",
        why="e^5 / (e^5 + e^8) = 1 / (1 + e^3) = 0.04743.")
