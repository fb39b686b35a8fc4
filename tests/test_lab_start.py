"""Notebook 00's environment check: all OK here, and a broken machine is described in words."""

import importlib.metadata
import re
import sys

import pytest

from nnlite import viz
from nnlite.labs import start

from .test_notebooks_structure import minutes_in_header


def test_everything_is_ok_on_this_machine():
    report = start.environment_report()
    components = [component for component, _, _ in report]
    assert components == ["Python", "numpy", "matplotlib", "ipywidgets", "widget frontend (jupyterlab_widgets)",
                          "nnlite"]
    assert all(ok for _, ok, _ in report), report


def test_the_printed_check_has_no_version_numbers(capsys):
    assert start.show_environment_check() is True
    out = capsys.readouterr().out
    assert out.count(start.GOOD) == 6 and start.BAD not in out and "All good" in out
    assert not any(ch.isdigit() for ch in out.replace("3.10", ""))
    # the frontend check sees only the kernel's environment (JupyterLab may run from another one): it says so
    assert "widget frontend (jupyterlab_widgets): installed in this kernel's environment" in out


NEEDS = {"numpy": ("matplotlib",)}  # what else cannot work without the module


@pytest.mark.parametrize("module", ["numpy", "matplotlib", "ipywidgets", "nnlite"])
def test_a_missing_module_is_reported_in_words(monkeypatch, capsys, module):
    monkeypatch.setitem(sys.modules, module, None)  # `import module` now fails, as if it were not installed
    report = {component: (ok, message) for component, ok, message in start.environment_report()}
    ok, message = report[module]
    assert not ok and message.startswith("is not installed") and "make lab" in message
    # the other pieces are still judged on their own; matplotlib needs numpy, and says so if it has to import it
    # (whether it has to depends on which of its modules earlier tests imported)
    failed = {component for component, (ok, _) in report.items() if not ok}
    assert failed in ({module}, {module, *NEEDS.get(module, ())}), failed
    assert all(module in report[other][1] for other in failed - {module})
    assert start.show_environment_check() is False
    out = capsys.readouterr().out
    assert f"{start.BAD} {module}: is not installed" in out and "Something is missing" in out


def test_missing_or_mismatched_frontend_is_reported(monkeypatch):
    real = importlib.metadata.version

    def missing(name):
        if name == "jupyterlab_widgets":
            raise importlib.metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(start, "_dist_version", missing)
    ok, message = start.environment_report()[4][1:]
    assert not ok and "jupyterlab_widgets is not installed" in message and "restart JupyterLab" in message
    assert start.versions()["jupyterlab_widgets"] is None

    monkeypatch.setattr(start, "_dist_version", lambda name: "1.1.0" if name == "jupyterlab_widgets" else real(name))
    ok, message = start.environment_report()[4][1:]
    assert not ok and "needs jupyterlab_widgets 3.x, found 1.1.0" in message


def test_a_broken_numpy_is_reported_not_raised(monkeypatch):
    class Broken:
        def array(self, *args, **kwargs):
            raise RuntimeError("the BLAS library failed to load")

    real_import = start._import
    monkeypatch.setattr(start, "_import", lambda name: Broken() if name == "numpy" else real_import(name))
    ok, message = start.environment_report()[1][1:]
    assert not ok and message.startswith("does not work (RuntimeError: the BLAS library failed to load)")


def test_versions_lists_every_piece():
    found = start.versions()
    assert set(found) >= {"python", "numpy", "matplotlib", "ipywidgets", "jupyterlab_widgets", "nnlite"}
    assert found["ipywidgets"].startswith("8.") and found["jupyterlab_widgets"].startswith("3.")


def test_softmax_demo_answers_its_sliders():
    panel = start.softmax_demo()
    assert "4.7%" in panel.text.value and "95.3%" in panel.text.value  # scores 5 and 8: notebook 02's umbrella
    assert [round(bar.get_width(), 4) for bar in panel.bars] == [0.0474, 0.9526]
    before = panel.live.picture()
    panel.controls["yes"].value = 8.0
    assert panel.text.value.count("50.0%") == 2 and panel.error.value == ""
    assert [bar.get_width() for bar in panel.bars] == [0.5, 0.5] and panel.live.picture() != before
    panel.controls["no"].value = -10.0
    assert "100.0%" in panel.text.value and panel.error.value == ""


def test_softmax_demo_shows_a_still_picture_before_its_cell_runs():
    """Notebook 00 tells students that a widget cell shows a still picture of its figure until it runs:
    the saved output must hold one (JupyterLab shows it while the widget is not live)."""
    import base64
    import io

    from matplotlib.colors import to_rgb
    from PIL import Image

    bundle = start.softmax_demo()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "interactive figure" in bundle["text/plain"]
    still = re.search(r'<img alt="([^"]+)" src="data:image/png;base64,([^"]+)"', bundle["text/html"])
    assert still, "the still picture, with its words, is in the bundle"
    picture = Image.open(io.BytesIO(base64.b64decode(still.group(2))))
    width, height = picture.size
    assert width > 300 and height > 80
    colours = {colour for _, colour in picture.convert("RGB").getcolors(width * height)}
    bars = {tuple(round(255 * c) for c in to_rgb(colour)) for colour in viz.PALETTE[:2]}
    assert bars <= colours  # both bars are in the picture


def test_the_exercise_demo_says_each_thing_a_check_can_say():
    demo = start.exercise_demo()
    statuses = [demo.grade(answer).status for answer in (None, 5 / 13, 0.06, 0.047, "0.0474", 0.0474259)]
    assert statuses == ["unanswered", "mistake", "wrong", "close", "invalid", "correct"]
    for mistake in demo.mistakes:
        assert mistake.hint in demo.grade(mistake.answer).text
    assert "0.04743" in demo.grade(0.0474259).text  # its right answer, printed to the 4 figures it asks for


def test_the_total_in_notebook_00_adds_up_every_notebooks_own_time():
    """00's map adds up the core minutes of the notebooks (test_notebooks_structure checks each row):
    the terms are the first number of each notebook's "**Time:**" line, and so is the total."""
    from pathlib import Path

    import nbformat

    paths = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))

    cells = nbformat.read(paths[0], as_version=4).cells
    the_map = next(c.source for c in cells if c.source.startswith("## 1. The map"))
    addition = re.search(r"\(([\d + ]+) = (\d+) minutes[,)]", the_map)  # "(... = 430 minutes, 440 if ...)"
    terms = [int(term) for term in addition.group(1).split("+")]
    assert terms == [minutes_in_header(path) for path in paths] and sum(terms) == int(addition.group(2))
    assert "about seven hours" in the_map and 405 < sum(terms) <= 435  # 6 3/4 to 7 1/4 hours
