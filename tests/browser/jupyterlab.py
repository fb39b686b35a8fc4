"""Drive JupyterLab in headless Chromium: shared by the browser test and benchmarks/latency.py.

`LabServer` starts a private JupyterLab (own port, token, settings and workspace folders)
on a copy of the notebooks, so autosave never touches the committed files. `LabPage`
opens one notebook in a fresh workspace, runs it, and moves its controls.
Every wait is on a condition in the page, never a fixed sleep.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SETTINGS = {
    # Render every cell (no windowing), so the test sees all outputs at once.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    # Offline: no news, no update checks.
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                         "checkForUpdates": False},
}


def imports_and_cell(notebook_path, text):
    """Indices of a notebook's first code cell (its imports) and of the first cell whose code contains
    `text`: what `LabPage.run_cells` needs to show one panel without the lesson around it."""
    cells = nbformat.read(notebook_path, as_version=4).cells
    code = [i for i, c in enumerate(cells) if c.cell_type == "code"]
    return [code[0], next(i for i in code if text in cells[i].source)]


def chromium_available():
    return Path(CHROMIUM).exists()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """A JupyterLab server on 127.0.0.1 serving a copy of `notebook_dir` (context manager)."""

    def __init__(self, notebook_dir, extra_files=()):
        self.root = Path(tempfile.mkdtemp(prefix="nnlite-lab-"))
        self.notebooks = self.root / "notebooks"
        shutil.copytree(notebook_dir, self.notebooks, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        for path in extra_files:
            shutil.copy(path, self.notebooks)
        settings = self.root / "settings"
        for name, value in SETTINGS.items():
            plugin, _, file = name.rpartition("/")
            (settings / plugin).mkdir(parents=True, exist_ok=True)
            (settings / plugin / file).write_text(json.dumps(value))
        self.port = free_port()
        self.token = secrets.token_hex(16)
        env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings),
                   JUPYTERLAB_WORKSPACES_DIR=str(self.root / "workspaces"),
                   JUPYTER_CONFIG_DIR=str(self.root / "config"), JUPYTER_RUNTIME_DIR=str(self.root / "runtime"),
                   MPLBACKEND="module://matplotlib_inline.backend_inline")
        self.log = open(self.root / "server.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={self.port}", "--ServerApp.ip=127.0.0.1",
             f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.notebooks}",
             "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=", "--ServerApp.port_retries=0",
             "--LabApp.extension_manager=readonly", *(["--allow-root"] if os.geteuid() == 0 else [])],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        try:
            self._wait_until_up()
        except Exception:
            self.close()  # no server left behind when it never came up
            raise

    def _wait_until_up(self, timeout=240):  # a loaded 2-core machine can take minutes
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}/api/status?token={self.token}"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited: {(self.root / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return
            except OSError:
                time.sleep(0.2)  # polling a server that is starting: a bounded retry, not a wait on the page
        raise TimeoutError(f"JupyterLab did not answer within {timeout} s")

    def url(self, notebook, workspace):
        return f"http://127.0.0.1:{self.port}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={self.token}"

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# JavaScript run in the page. `app` is window.jupyterapp; the current widget is the notebook.
JS_NOTEBOOK_READY = """() => {
  const app = window.jupyterapp; if (!app) return false;
  const w = app.shell.currentWidget;
  return !!(w && w.content && w.content.model && w.sessionContext && w.sessionContext.session
            && w.sessionContext.session.kernel && w.sessionContext.session.kernel.status === 'idle');
}"""
JS_NOTEBOOK_SHOWN = """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  return !!(w && w.context && w.context.isReady && w.content && w.content.widgets.length); }"""
JS_RUN_STATE = """() => {
  const w = window.jupyterapp.shell.currentWidget; const cells = w.content.model.cells;
  let code = 0, done = 0, errors = [];
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i); if (c.type !== 'code') continue; code++;
    if (c.executionCount !== null && c.executionCount !== undefined) done++;
    for (const o of c.outputs.toJSON()) {
      if (o.output_type === 'error') errors.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
      if (o.output_type === 'stream' && o.name === 'stderr') errors.push(`cell ${i} wrote to stderr: ${o.text}`);
    }
  }
  const busy = w.sessionContext.session.kernel.status !== 'idle';
  const running = document.querySelectorAll('.jp-InputPrompt').length &&
                  [...document.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'));
  return {code, done, errors, busy, running};
}"""
JS_CELLS_RAN = """(indices) => { const w = window.jupyterapp.shell.currentWidget, cells = w.content.model.cells;
  return w.sessionContext.session.kernel.status === 'idle' &&
         indices.every(i => cells.get(i).executionCount !== null && cells.get(i).executionCount !== undefined &&
                            !w.content.widgets[i].node.querySelector('.jp-InputPrompt').textContent.includes('*'));
}"""
# A signature of everything a control can change in one widget output: images, texts,
# canvases; the controls' own readouts are left out (they change without the kernel).
JS_SIGNATURE = """(el) => {
  const parts = [];
  el.querySelectorAll('img').forEach(i => parts.push(i.src));
  el.querySelectorAll('.widget-html-content, .widget-label, pre').forEach(t => parts.push(t.textContent));
  el.querySelectorAll('canvas').forEach(c => { try { parts.push(c.toDataURL().length + ':' +
      c.toDataURL().slice(-64)); } catch (e) {} });
  return parts.join('|');
}"""

# Every picture in the output areas: its pixels (natural size) against the CSS pixels it is shown
# in; for SVG overlays, the smallest text as shown on screen. `intended` is the CSS width the
# picture was drawn for: nnlite draws every PNG at two image pixels per CSS pixel.
JS_PICTURES = """() => [...document.querySelectorAll('.jp-OutputArea-output')].flatMap(out => {
  const cell = [...document.querySelectorAll('.jp-Notebook .jp-Cell')].findIndex(c => c.contains(out));
  const pictures = [...out.querySelectorAll('img')].filter(i => i.naturalWidth > 0).map(i => ({
      cell, kind: 'img', natural: i.naturalWidth, shown: i.getBoundingClientRect().width}));
  const svgs = [...out.querySelectorAll('.widget-html-content svg[viewBox]')].map(svg => {
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(t.style.fontSize) * scale)
                                                     .filter(x => x > 0);
      return {cell, kind: 'svg', smallestText: sizes.length ? Math.min(...sizes) : null};
  });
  return pictures.concat(svgs);
})"""
JS_BODY_FONT_PX = "() => parseFloat(getComputedStyle(document.querySelector('.jp-RenderedMarkdown p')).fontSize)"


class LabPage:
    """One notebook open in JupyterLab, driven by Playwright."""

    def __init__(self, browser, server, notebook, viewport=(1400, 1000), device_scale_factor=1, offline=False,
                 wait_for_kernel=True):
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                           device_scale_factor=device_scale_factor)
        self.outside = []  # with offline=True: every request that tried to leave the machine (and was refused)
        if offline:
            self.context.route("**/*", lambda route: self._only_local(route, server))
        self.page = self.context.new_page()
        self.page.goto(server.url(notebook, f"test-{secrets.token_hex(4)}"))
        self.page.wait_for_function(JS_NOTEBOOK_READY if wait_for_kernel else JS_NOTEBOOK_SHOWN, timeout=120_000,
                                    polling=200)

    def open(self, notebook, wait_for_kernel=True):
        """Open another notebook in this page, closing the current one and shutting its kernel down.
        The app stays loaded: 3-4 s instead of the 9-10 s of a fresh page (of which the kernel is 3)."""
        self.page.evaluate("""async (path) => { const app = window.jupyterapp, old = app.shell.currentWidget;
            if (old && old.context && old.context.path === path) return;
            await app.commands.execute('docmanager:open', {path});
            if (old && old.sessionContext) { await old.sessionContext.shutdown(); old.dispose(); } }""", notebook)
        ready = JS_NOTEBOOK_READY if wait_for_kernel else JS_NOTEBOOK_SHOWN
        self.page.wait_for_function(f"(path) => window.jupyterapp.shell.currentWidget.context.path === path && "
                                    f"({ready})()", arg=notebook, timeout=120_000, polling=100)
        self.outside.clear()

    def _only_local(self, route, server):
        url = route.request.url
        if url.startswith(f"http://127.0.0.1:{server.port}/") or url.startswith(("data:", "blob:")):
            return route.continue_()
        self.outside.append(url)
        return route.abort()

    def run_all(self, timeout=600):
        """Run every cell; return the list of errors (error outputs, stderr) once all cells ran.
        Outputs and execution counts are cleared first, so that running again waits for the new run."""
        self.page.evaluate("async () => { const app = window.jupyterapp;"
                           " await app.commands.execute('notebook:clear-all-cell-outputs');"
                           " await app.commands.execute('notebook:run-all-cells'); }")
        self.page.wait_for_function(
            f"() => {{ const s = ({JS_RUN_STATE})(); return s.errors.length > 0 || "
            f"(s.done === s.code && !s.busy && !s.running); }}", timeout=timeout * 1000, polling=250)
        state = self.page.evaluate(JS_RUN_STATE)
        return state["errors"]

    def run_cells(self, indices, timeout=600):
        """Run only the cells at `indices`, in this order (say, a notebook's imports and one panel); return
        the errors of those cells. The other cells keep the outputs the notebook was saved with."""
        self.page.evaluate("""async (indices) => { const app = window.jupyterapp, nb = app.shell.currentWidget.content;
            for (const i of indices) { nb.activeCellIndex = i; await app.commands.execute('notebook:run-cell'); } }""",
                           indices)
        self.page.wait_for_function(JS_CELLS_RAN, arg=indices, timeout=timeout * 1000, polling=250)
        return [error for error in self.page.evaluate(JS_RUN_STATE)["errors"]
                if int(error.split(":")[0].split()[1]) in indices]

    def widget_errors(self):
        """Texts of "Error displaying widget" boxes and of our panels' error lines."""
        return self.page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea-output')]
            .map(e => e.innerText).filter(t => t.includes('Error displaying widget') ||
                                               t.includes('Could not update the figure'))""")

    def widget_outputs(self):
        """Output areas that hold at least one slider or dropdown."""
        return [o for o in self.page.query_selector_all(".jp-OutputArea-output")
                if o.query_selector(".widget-slider, .widget-dropdown")]

    @staticmethod
    def controls(output):
        """Sliders first, then dropdowns: a dropdown may disable a slider (α only means something
        for Leaky ReLU), so every slider is moved while the panel still has its first settings. Only
        the controls on show: a panel may hide some for now (the playground's class for added points)."""
        return [c for c in output.query_selector_all(".widget-slider") + output.query_selector_all(".widget-dropdown")
                if c.is_visible()]

    @staticmethod
    def disabled(control):
        return control.query_selector(".noUi-target[disabled], select:disabled") is not None

    def signature(self, output):
        return output.evaluate(JS_SIGNATURE)

    def move(self, control):
        """Move one control by one step (a key press on a slider, the next option of a dropdown)."""
        select = control.query_selector("select")
        if select is not None:
            values = select.evaluate("s => [...s.options].map(o => o.value)")
            current = select.evaluate("s => s.value")
            target = values[(values.index(current) + 1) % len(values)]
            select.select_option(target)
            return
        handle = control.query_selector(".noUi-handle")
        handle.scroll_into_view_if_needed()
        at_max = handle.evaluate("h => h.getAttribute('aria-valuenow') === h.getAttribute('aria-valuemax')")
        handle.focus()
        self.page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")

    def wait_for_change(self, output, before, timeout=15):
        self.page.wait_for_function(f"([el, before]) => ({JS_SIGNATURE})(el) !== before", arg=[output, before],
                                    timeout=timeout * 1000, polling=50)

    def close(self):
        self.context.close()


def write_notebook(folder, name, cells):
    """A notebook of code `cells` (sources) written as folder/name, for a Python 3 kernel; returns its path."""
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells], metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.write(notebook, folder / name)
    return folder / name
