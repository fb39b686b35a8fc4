"""Where the browser spends a playground move with the network view on: a Chromium trace, summed.

Opens a notebook with one playground panel in JupyterLab (headless Chromium, device pixel ratio 2),
picks the network view, then traces --moves moves of each control named (a key press on a slider, the
next option of a dropdown) and sums the renderer's main-thread time by what it did (self time of each
trace event: script, HTML/SVG parsing, style, layout, paint, image decoding, compositing) and the
raster threads' image decoding and rasterising. A second part replays, in the page, each figure's last
SVG: how long parsing it (innerHTML) and styling and laying it out takes, per figure.

    python benchmarks/playground_profile.py [--moves 8] [--controls noise data]

Prints milliseconds per move; asserts nothing (the numbers depend on the machine and the minute).
--hide 0 hides the diagram while tracing and --css adds a style sheet (say, one that takes the dashes
off every line): the difference is what painting that part costs. What it found (2026-12-05, 2 busy
cores): the diagram's SVG took 2.4 ms to parse, but its tiles took the raster threads about 27 ms a move,
19 of them for the dashes (Skia dashes a path again for every tile it crosses).
Tried 2026-12-06 (latency.py --css, four alternated runs on a quiet machine): the dashed lines drawn without
anti-aliasing (shape-rendering: optimizeSpeed) took about 40 % less raster time in a bare page, but latency.py's
ratios, measured to the last DOM change, did not move beyond the noise; left out, as the dashes look rougher.
"""

import argparse
import collections
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser.jupyterlab import CHROMIUM, CHROMIUM_ARGS, LabPage, LabServer, write_notebook  # noqa: E402

CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink", "v8.execute", "toplevel",
              "disabled-by-default-devtools.timeline.frame", "cc"]
WHAT = {  # trace event name -> what it is, for the summary
    "FunctionCall": "script", "EvaluateScript": "script", "v8.callFunction": "script", "V8.Execute": "script",
    "EventDispatch": "script", "TimerFire": "script", "FireAnimationFrame": "script", "RunMicrotasks": "script",
    "v8.run": "script", "ParseHTML": "parse HTML/SVG", "UpdateLayoutTree": "style", "RecalculateStyles": "style",
    "Layout": "layout", "UpdateLayer": "layerize", "UpdateLayerTree": "layerize", "Layerize": "layerize",
    "PrePaint": "paint", "Paint": "paint", "PaintImage": "paint", "Decode Image": "image decode",
    "ImageDecodeTask": "image decode", "Decode LazyPixelRef": "image decode", "RasterTask": "raster",
    "CompositeLayers": "composite", "Commit": "composite", "HitTest": "hit test", "GPUTask": "gpu",
    "ParseAuthorStyleSheet": "style", "MajorGC": "GC", "MinorGC": "GC", "BlinkGC.AtomicPhase": "GC",
    "V8.GC_MC_BACKGROUND_MARKING": "GC", "DisplayItemList::Raster": "raster",
    "ZeroCopyRasterBuffer::Playback": "raster",
    "RasterizerTaskImpl::RunOnWorkerThread": "raster", "PaintArtifactCompositor::Update": "layerize",
    "LocalFrameView::performLayout": "layout", "Document::recalcStyle": "style", "Blink.Style.UpdateTime": "style",
    "Document::rebuildLayoutTree": "style", "ResourceFetcher::requestResource": "image load (data: URL)",
    "ResponseBodyLoader::DidFinishLoadingBody": "image load (data: URL)", "Receive mojo message": "IPC, tasks",
    "RunTask": "IPC, tasks", "ThreadControllerImpl::RunTask": "IPC, tasks", "ThreadPool_RunTask": "IPC, tasks",
    "ProxyMain::BeginMainFrame::commit": "composite", "MainFrame.Draw": "composite",
}
REPLAY_JS = """() => {
  const layers = [...document.querySelectorAll('.nnlite-playground .nnlite-figure .widget-html-content')]
    .filter(e => e.querySelector('svg'));
  return layers.map((el, i) => {
    const svg = el.innerHTML, out = {figure: i, kB: svg.length / 1000, parse: 0, style_layout: 0};
    const host = document.createElement('div');
    host.style.cssText = `position:absolute;left:0;top:0;width:${el.clientWidth}px;visibility:visible`;
    document.body.appendChild(host);
    const rounds = 20;
    for (let k = 0; k < rounds; k++) {
      const t0 = performance.now();
      host.innerHTML = svg;
      const t1 = performance.now();
      host.getBoundingClientRect(); document.body.offsetHeight;
      out.parse += t1 - t0; out.style_layout += performance.now() - t1;
      host.innerHTML = '';
    }
    host.remove();
    out.parse /= rounds; out.style_layout /= rounds;
    out.label = (el.querySelector('svg').getAttribute('aria-label') || '').slice(0, 40);
    return out;
  });
}"""


def self_times(events, threads):
    """{event name: self ms} over complete events on `threads` (tid set), nested by time."""
    totals = collections.Counter()
    by_thread = collections.defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and e.get("tid") in threads and "dur" in e:
            by_thread[e["tid"]].append(e)
    for evs in by_thread.values():
        evs.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack = []  # [end, name, child time]
        for e in evs:
            while stack and stack[-1][0] <= e["ts"]:
                end, name, start, child = stack.pop()
                totals[name] += (end - start) - child
                if stack:
                    stack[-1][3] += end - start
            stack.append([e["ts"] + e["dur"], e["name"], e["ts"], 0])
        while stack:
            end, name, start, child = stack.pop()
            totals[name] += (end - start) - child
            if stack:
                stack[-1][3] += end - start
    return {name: us / 1000 for name, us in totals.items()}


def thread_ids(events, pid_names, prefixes):
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events
             if e.get("ph") == "M" and e.get("name") == "thread_name"}
    renderers = {e["pid"] for e in events if e.get("ph") == "M" and e.get("name") == "process_name"
                 and e["args"]["name"] == "Renderer"}
    return {tid for (pid, tid), name in names.items() if pid in renderers and name.startswith(prefixes)}


def summarize(trace, moves):
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    main = thread_ids(events, None, ("CrRendererMain",))
    other = thread_ids(events, None, ("Compositor", "ThreadPool", "Raster", "CompositorTile"))
    rows = {}
    for label, tids in (("main thread", main), ("compositor/raster threads", other)):
        grouped, others = collections.Counter(), collections.Counter()
        for name, ms in self_times(events, tids).items():
            what = WHAT.get(name, "GC" if name.startswith("V8.GC") else "other")
            grouped[what] += ms
            if what == "other":
                others[name] += ms
        rows[label] = {k: v / moves for k, v in grouped.most_common() if v / moves >= 0.05}
        rows[label + ", largest other"] = {k: v / moves for k, v in others.most_common(6)}
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=8)
    parser.add_argument("--controls", nargs="*", default=["noise", "data"])
    parser.add_argument("--device-scale-factor", type=float, default=2)
    parser.add_argument("--hide", type=int, nargs="*", default=[],
                        help="figures (0 = the diagram) to hide while tracing: what painting them costs")
    parser.add_argument("--css", default="", help="a style sheet added to the page while tracing (experiments)")
    parser.add_argument("--trace", type=Path, help="also write the raw trace of the last control here")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    cells = ["from nnlite.labs import playground", "playground.playground()"]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        path = write_notebook(Path(tmp), "profile.ipynb", cells)
        with LabServer(Path(tmp)) as server:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            lab = LabPage(browser, server, path.name, device_scale_factor=args.device_scale_factor)
            errors = lab.run_all()
            if errors:
                raise RuntimeError("; ".join(errors))
            select = lab.page.wait_for_selector(".nnlite-playground .widget-dropdown:has(label:text-is('view')) select")
            select.select_option(label="network")
            lab.page.wait_for_function("() => document.querySelector('.nnlite-playground').innerText"
                                       ".includes('Hover a unit')", timeout=120_000)
            lab.page.wait_for_timeout(1500)  # a condition would be better; the trace only reads what follows
            output = lab.widget_outputs()[0]
            lab.page.evaluate("() => new MutationObserver(() => { window.__last = performance.now(); }).observe("
                              "document.querySelector('.jp-Notebook'), {subtree: true, childList: true, "
                              "attributes: true, characterData: true})")
            lab.page.evaluate("(hide) => { const f = document.querySelectorAll('.nnlite-playground .nnlite-figure'); "
                              "for (const i of hide) f[i].style.visibility = 'hidden'; }", args.hide)
            if args.css:
                lab.page.add_style_tag(content=args.css)
            for name in args.controls:
                control = next(c for c in lab.controls(output) if c.inner_text().split("\n")[0].strip() == name)
                lab.move(control)
                lab.page.wait_for_timeout(800)
                browser.start_tracing(page=lab.page, categories=CATEGORIES)
                for _ in range(args.moves):  # each until the page was quiet for 600 ms
                    lab.page.evaluate("() => { window.__last = 0; }")
                    lab.move(control)
                    lab.page.wait_for_function("() => window.__last > 0 && performance.now() - window.__last > 600",
                                               timeout=60_000, polling=50)
                trace = json.loads(browser.stop_tracing())
                if args.trace:
                    args.trace.write_text(json.dumps(trace))
                print(f"\n{name}: ms per move (self time, {args.moves} moves, each to 600 ms of quiet)")
                for label, row in summarize(trace, args.moves).items():
                    print(f"  {label}: total {sum(row.values()):.1f}: "
                          + ", ".join(f"{k} {v:.1f}" for k, v in row.items()))
            print("\nreplay of each figure's SVG layer as it is now (ms, mean of 20):")
            for row in lab.page.evaluate(REPLAY_JS):
                print(f"  figure {row['figure']} ({row['label']!r}): {row['kB']:.1f} kB, parse "
                      f"{row['parse']:.2f}, style+layout {row['style_layout']:.2f}")
            lab.close()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
