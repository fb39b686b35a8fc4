"""The course outside JupyterLab, as README's "Other ways to run it" promises.

- Notebook 7 (`jupyter notebook`, what many hubs and Binder links open): 02 runs, and 07's playground, and a
  slider dragged with the MOUSE changes its figure. A focused slider does not move with the arrow
  keys there (the notebook takes them for navigation: seen when this test first pressed them), so mouse it is.
- Voila (the playground as an app, apps/playground.ipynb): it runs with its code hidden, a slider
  changes the figure, and no error shows.
- `make lab`'s JupyterLab: no "get notified about official Jupyter news?" toast, through the
  settings the Makefile writes into the lab's own settings folder (not the user's).
Every wait is on a condition in the page, never a fixed sleep.
"""

import contextlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from .accessibility import assert_clean, audit, record
from .conftest import ROOT
from .jupyterlab import SETTINGS, LabPage, LabServer, free_port, imports_and_cell, write_notebook

pytestmark = pytest.mark.browser
SCREENSHOTS = ROOT / "screenshots"
PLAYGROUND = "07_playground.ipynb"
APP = "playground.ipynb"  # in apps/: the playground panel alone, what README gives Voila

# The figure of one widget output: its images and SVG, the controls (whose readouts change by
# themselves) left out.
JS_FIGURE = """(el) => [...el.querySelectorAll('img, svg')]
  .filter(e => !e.closest('.widget-slider, .widget-dropdown, .widget-button'))
  .map(e => e.tagName === 'IMG' ? e.src : e.outerHTML).join('|')"""


def makefile_overrides():
    """The JSON the Makefile writes to the venv's share/jupyter/lab/settings/overrides.json."""
    match = re.search(r"printf '%s\\n' '(\{.*\})' > \$@", (ROOT / "Makefile").read_text())
    assert match, "the Makefile no longer writes overrides.json with printf"
    return json.loads(match.group(1))


class FrontEnd(LabServer):
    """`jupyter notebook`, `voila` or `make lab`'s `jupyter lab` on 127.0.0.1 with a token, on a copy
    of the notebooks (Voila: of apps/) and with the same private settings as the JupyterLab of the other
    browser tests, except that `make lab`'s has only the Makefile's overrides (context manager; closing is
    LabServer's)."""

    def __init__(self, kind):
        self.kind = kind
        self.root = Path(tempfile.mkdtemp(prefix=f"nnlite-{kind}-"))
        self.notebooks = self.root / "notebooks"
        shutil.copytree(ROOT / ("apps" if kind == "voila" else "notebooks"), self.notebooks,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        for name, value in SETTINGS.items() if kind != "lab" else ():
            plugin, _, file = name.rpartition("/")
            (self.root / "settings" / plugin).mkdir(parents=True, exist_ok=True)
            (self.root / "settings" / plugin / file).write_text(json.dumps(value))
        self.port, self.token = free_port(), secrets.token_hex(16)
        common = [f"--port={self.port}", "--no-browser"]
        if kind == "notebook":
            command = ["-m", "jupyter", "notebook", "--ServerApp.ip=127.0.0.1",
                       *(["--allow-root"] if os.geteuid() == 0 else []),
                       f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.notebooks}",
                       "--JupyterNotebookApp.expose_app_in_browser=True",
                       "--ServerApp.port_retries=0"]
        elif kind == "lab":  # make lab's command, its app settings in a folder of our own
            (self.root / "app-settings").mkdir()
            (self.root / "app-settings" / "overrides.json").write_text(json.dumps(makefile_overrides()))
            command = ["-m", "jupyter", "lab", "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={self.notebooks}",
                       "--LabApp.news_url=None", f"--LabApp.app_settings_dir={self.root / 'app-settings'}",
                       f"--IdentityProvider.token={self.token}", "--LabApp.expose_app_in_browser=True",
                       *(["--allow-root"] if os.geteuid() == 0 else [])]
        else:  # the command README gives for the playground as an app, on our port and token
            command = ["-m", "voila", str(self.notebooks), "--Voila.ip=127.0.0.1", f"--token={self.token}",
                       "--theme=light"]
        env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(self.root / "settings"),
                   JUPYTERLAB_WORKSPACES_DIR=str(self.root / "workspaces"),
                   JUPYTER_CONFIG_DIR=str(self.root / "config"),
                   JUPYTER_RUNTIME_DIR=str(self.root / "runtime"), MPLBACKEND="module://matplotlib_inline.backend_inline")
        self.log = open(self.root / "server.log", "w")
        self.process = subprocess.Popen([sys.executable, *command, *common], stdout=self.log,
                                        stderr=subprocess.STDOUT, env=env)
        self._wait_until_up()

    def _wait_until_up(self, timeout=60):
        if self.kind != "voila":  # a Jupyter server: LabServer's /api/status poll
            return super()._wait_until_up(timeout)
        deadline = time.monotonic() + timeout  # Voila has no /api/status: poll its tree page
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/?token={self.token}", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)  # polling a server that is starting: a bounded retry, not a wait on the page
        raise RuntimeError(f"Voila is not up: {(self.root / 'server.log').read_text()[-2000:]}")

    def url(self, notebook, workspace=None):
        """The notebook's page, for LabPage (which drives Notebook 7 as well as JupyterLab)."""
        if self.kind == "lab":
            return super().url(notebook, workspace)
        path = "notebooks" if self.kind == "notebook" else "voila/render"
        return f"http://127.0.0.1:{self.port}/{path}/{notebook}?token={self.token}"


@contextlib.contextmanager
def demo_in(kind, browser, tmp_path, name, cells, viewport, run=None):
    """A demo notebook of code `cells`, written as `name`, in `kind` ("lab", "notebook", "voila") at device
    pixel ratio 2: yields (page, LabPage or None for Voila) once its cells (all, or the indices `run`) ran.
    JupyterLab has its file browser open, as on a student's laptop (less room for the figures); after the
    test, no widget error and no request that left the machine."""
    if kind == "voila":
        with FrontEnd("voila") as server:
            write_notebook(server.notebooks, name, cells)
            context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                          device_scale_factor=2)
            try:
                page = context.new_page()
                page.goto(server.url(name), wait_until="commit")  # Voila streams the page while the cells run
                yield page, None
            finally:
                context.close()
        return
    server = (LabServer(ROOT / "notebooks", extra_files=[write_notebook(tmp_path, name, cells)]) if kind == "lab"
              else FrontEnd(kind))
    with server:
        if kind == "notebook":
            write_notebook(server.notebooks, name, cells)
        lab = LabPage(browser, server, name, viewport=viewport, device_scale_factor=2, offline=True)
        try:
            if kind == "lab":
                lab.page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
            errors = lab.run_all() if run is None else lab.run_cells(run)
            assert not errors, f"the demo in {kind}: cells failed:\n" + "\n".join(errors)
            yield lab.page, lab
            assert not lab.widget_errors(), f"{kind}: {lab.widget_errors()}"
            assert not lab.outside, f"{kind}: requests left the machine: {lab.outside}"
        finally:
            lab.close()


def serve(kind, module, extra):
    pytest.importorskip(module, reason=f"{module} is not installed (pip install -e .[{extra}])")
    with FrontEnd(kind) as server:
        yield server


@pytest.fixture(scope="module")
def notebook7():
    yield from serve("notebook", "notebook", "lab")


@pytest.fixture(scope="module")
def voila():
    yield from serve("voila", "voila", "test")


def first_slider(page):
    """The first enabled slider below a figure, and the widget output holding both."""
    for output in page.query_selector_all(".jp-OutputArea-output"):
        if not output.evaluate(JS_FIGURE):
            continue
        for slider in output.query_selector_all(".widget-slider"):
            if slider.query_selector(".noUi-target[disabled]") is None:
                return output, slider
    raise AssertionError("no enabled slider next to a figure on the page")


def drag(page, slider):
    """Drag the slider's handle with the mouse to a quarter of its track, or three quarters if it is
    in the left half; return the slider's value (aria-valuenow) before and after."""
    handle = slider.query_selector(".noUi-handle")
    handle.scroll_into_view_if_needed()
    track, box = slider.query_selector(".noUi-target").bounding_box(), handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    target = track["x"] + track["width"] * (0.75 if x < track["x"] + track["width"] / 2 else 0.25)
    before = handle.get_attribute("aria-valuenow")
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(target, y, steps=8)
    page.mouse.up()
    return before, handle.get_attribute("aria-valuenow")


def drag_and_see_the_figure_change(page, name):
    output, slider = first_slider(page)
    label = slider.inner_text().split("\n")[0]
    figure = output.evaluate(JS_FIGURE)
    before, after = drag(page, slider)
    assert after != before, f"{name}: dragging '{label}' with the mouse did not move it (value {before})"
    try:
        page.wait_for_function(f"([el, before]) => ({JS_FIGURE})(el) !== before", arg=[output, figure],
                               timeout=20_000, polling=100)
    except Exception as error:  # Playwright's TimeoutError: say what did not happen in words
        raise AssertionError(f"{name}: '{label}' moved {before} -> {after}, the figure did not change") from error
    output.screenshot(path=str(SCREENSHOTS / f"{name}_dragged.png"))


@pytest.mark.parametrize("notebook", ["02_scores_to_probabilities.ipynb", PLAYGROUND])
def test_notebook7_runs_and_a_mouse_drag_changes_the_figure(browser, notebook7, notebook):
    SCREENSHOTS.mkdir(exist_ok=True)
    nb = LabPage(browser, notebook7, notebook)
    try:  # 07: its imports and the playground (its ten-seed experiments run in JupyterLab's test)
        errors = (nb.run_all() if notebook != PLAYGROUND else
                  nb.run_cells(imports_and_cell(ROOT / "notebooks" / PLAYGROUND, "playground.playground(")))
        assert not errors, f"{notebook} in Notebook 7: cells failed:\n" + "\n".join(errors)
        assert not nb.widget_errors(), f"{notebook} in Notebook 7: {nb.widget_errors()}"
        drag_and_see_the_figure_change(nb.page, f"notebook7_{Path(notebook).stem}")
    finally:
        nb.close()


def test_voila_serves_the_playground_as_an_app(browser, voila):
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(voila.url(APP), wait_until="commit")  # Voila streams the page while the cells run
        # Voila shows the page once every cell has run; then the panel and its first figure are there.
        try:
            page.wait_for_function(f"""() => !document.querySelector('#loading, .voila-spinner-color1') &&
                [...document.querySelectorAll('.jp-OutputArea-output')].some(o => o.querySelector('.widget-slider')
                                                                                && ({JS_FIGURE})(o))""",
                                   timeout=120_000, polling=250)
        except Exception as error:  # Playwright's TimeoutError: say what the app shows instead
            page.screenshot(path=str(SCREENSHOTS / "voila_playground.png"))
            shown = page.inner_text("body")[-1500:]
            raise AssertionError(f"the app in Voila showed no panel; the page ends: {shown}") from error
        page.screenshot(path=str(SCREENSHOTS / "voila_playground.png"))
        text = page.inner_text("body")
        errors = page.query_selector_all("[data-mime-type='application/vnd.jupyter.stderr'], .jp-OutputArea-error")
        assert not errors, f"the app in Voila: {[e.inner_text()[:300] for e in errors]}"
        assert "Error displaying widget" not in text
        assert not page.query_selector(".jp-InputArea-editor, .cm-editor, .CodeMirror"), "Voila shows code"
        drag_and_see_the_figure_change(page, "voila_playground")
        result = audit(page)  # the app as a student with a screen reader or a keyboard meets it
        record(SCREENSHOTS / "accessibility.json", "voila playground", result)
        assert_clean("the app in Voila", result)
    finally:
        context.close()


def test_make_lab_has_no_news_toast(browser):
    """Without the Makefile's overrides this JupyterLab asks "Would you like to get notified about
    official Jupyter news?" over the figures (seen with JupyterLab 4.6, empty settings)."""
    with FrontEnd("lab") as lab:
        url = f"http://127.0.0.1:{lab.port}/lab/api/settings/@jupyterlab/apputils-extension:notification"
        with urllib.request.urlopen(f"{url}?token={lab.token}", timeout=30) as response:
            schema = json.load(response)["schema"]["properties"]
        assert schema["fetchNews"]["default"] == "false" and schema["checkForUpdates"]["default"] is False
        page = LabPage(browser, lab, "00_start_here.ipynb")  # waits until the notebook's kernel is idle,
        try:  # long after the announcements plugin has asked, or not
            assert not page.page.get_by_text("official Jupyter news").count(), "the news toast is back"
        finally:
            page.close()
