// The front end of nnlite.access.Access (an anywidget ES module: anywidget imports this text from a
// blob: URL, so nothing is fetched from any server). One per Panel; it works on the panel it sits in
// (the nearest element with the class nnlite-panel), entirely in the browser: no message per move.
//
// 1. Names: ipywidgets 8 puts role="slider" on noUiSlider's handle, which does not point to the visible
//    description, so a screen reader announces "slider, 0.1" without saying what it sets. Every slider
//    handle gets aria-label (what it changes) and aria-valuetext (the readout and its unit); a dropdown,
//    a slider's typed-in readout and an unlabelled button get a name too. The kernel sends the words
//    once (the trait `names`, by a CSS class put on each control); without them the visible label is used.
//    A text line that scrolls sideways becomes focusable, so that the keyboard can scroll it.
// 2. Pictures: a live figure's PNG background becomes decorative (alt=""): its words are on the SVG
//    laid over it (role="img", aria-label), written by the kernel with every redraw.
// 3. Announcements: the panel's key result (the text lines marked nnlite-announce: captions, the status
//    line) is copied into a polite live region that exists from the start (a region created or replaced
//    at each update is not read reliably), once the controls have been still for QUIET ms, and during
//    Play at most every MAX_WAIT ms: a screen reader reads each new result once, not every redraw.
// All of this is done again whenever ipywidgets re-renders a control (a MutationObserver on the panel), and
// a scrolling line is measured again whenever it changes or its size does (a ResizeObserver).
// 4. below: the arrow keys reach a focused dropdown.

const QUIET = 800;
const MAX_WAIT = 4000;

function render({ model, el }) {
  el.classList.add("nnlite-access");
  const status = document.createElement("div");
  status.className = "nnlite-sr-only";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  el.append(status);

  let panel = null, observer = null, timer = null, firstPending = 0, tries = 0;

  const set = (node, name, value) => { if (value && node.getAttribute(name) !== value) node.setAttribute(name, value); };
  const words = (control) => {
    for (const cls of control.classList) {
      const known = (model.get("names") || {})[cls];
      if (known) return known;  // [name, unit]
    }
    const label = control.querySelector(".widget-label");
    return [label ? label.textContent.trim() : "", ""];
  };

  function nameControls() {
    for (const control of panel.querySelectorAll(".widget-slider, .widget-dropdown, .widget-select")) {
      const [name, unit] = words(control);
      const handle = control.querySelector("[role=slider]");
      const readout = control.querySelector(".widget-readout");
      const select = control.querySelector("select");
      if (handle) {
        set(handle, "aria-label", name);
        const value = readout ? readout.textContent.trim() : handle.getAttribute("aria-valuenow");
        set(handle, "aria-valuetext", unit ? `${value} ${unit}` : value);
      }
      if (readout) {
        set(readout, "role", "textbox");
        set(readout, "aria-label", `${name}: type a value${unit ? ` in ${unit}` : ""}`);
      }
      if (select) set(select, "aria-label", unit ? `${name} (${unit})` : name);
    }
    for (const control of panel.querySelectorAll(".widget-text")) {  // a number typed in (a seed)
      const [name, unit] = words(control);
      const input = control.querySelector("input");
      if (input && name) set(input, "aria-label", unit ? `${name} (${unit})` : name);
    }
    for (const button of panel.querySelectorAll("button")) {
      if (!button.textContent.trim() && !button.getAttribute("aria-label")) set(button, "aria-label", button.title);
    }
    for (const img of panel.querySelectorAll(".nnlite-figure img")) {
      if (!img.hasAttribute("alt")) img.setAttribute("alt", "");  // decorative: the SVG over it has the words
    }
  }

  // A line of text that scrolls sideways (a long code line) must be reachable by keyboard to be scrolled.
  // Measuring a line lays the page out: only the lines a change touched are measured.
  const SCROLLING = ".widget-html-content [style*=overflow]";
  const linesAt = (n) => { const line = n.closest(SCROLLING); return line ? [line] : [...n.querySelectorAll(SCROLLING)]; };
  function letScroll(lines) {
    for (const line of lines) {
      if (line.isConnected && line.scrollWidth > line.clientWidth && line.tabIndex < 0) line.tabIndex = 0;
    }
  }
  // A line can also start to overflow without changing: the page narrowed (a sidebar opened), or it was
  // not laid out yet when found (a slide not shown). A ResizeObserver measures it then, after the layout.
  const resized = new ResizeObserver((entries) => letScroll(entries.map((entry) => entry.target)));
  let watched = [];
  function watch(lines) {
    watched = watched.filter((line) => line.isConnected || (resized.unobserve(line), false));
    for (const line of lines) if (!watched.includes(line)) { watched.push(line); resized.observe(line); }
  }

  function keyResult() {
    return [...panel.querySelectorAll(".nnlite-announce")].map((n) => n.innerText.trim()).filter((t) => t)
      .join(" ").replace(/\s+/g, " ");
  }
  function speak() {
    firstPending = 0;
    const text = keyResult();
    if (text && status.textContent !== text) status.textContent = text;
  }
  function schedule() {  // wait for QUIET ms of stillness, but never longer than MAX_WAIT in all
    const now = performance.now();
    if (!firstPending) firstPending = now;
    clearTimeout(timer);
    timer = setTimeout(speak, Math.max(0, Math.min(QUIET, firstPending + MAX_WAIT - now)));
  }

  // A live figure's SVG, replaced at every move, holds no control and no key result: naming the controls
  // again after each read every control, and measuring every scrolling line laid the page out, once per
  // message of a move (6 ms a playground move, a Chromium trace). Only the other changes name the controls,
  // and only a scrolling line that changed is measured. (Naming at the next frame instead was tried: the
  // move's last change then came one frame later, 10 ms.)
  const node = (m) => (m.target.nodeType === 1 ? m.target : m.target.parentElement);
  const inFigure = (m) => node(m) && node(m).closest(".nnlite-figure .widget-html-content");
  function onMutations(mutations) {
    const outside = mutations.filter((m) => !inFigure(m));
    if (!outside.length) return;
    nameControls();
    const lines = new Set(outside.flatMap((m) => (node(m) ? linesAt(node(m)) : [])));
    letScroll(lines);
    watch(lines);
    if (outside.some((m) => node(m) && node(m).closest(".nnlite-announce"))) schedule();
  }

  function attach() {  // the view is put into the page after render: find the panel once it is there
    panel = el.closest(".nnlite-panel");
    if (!panel) {
      if (tries++ < 600) requestAnimationFrame(attach);
      return;
    }
    nameControls();
    letScroll(panel.querySelectorAll(SCROLLING));
    watch(panel.querySelectorAll(SCROLLING));
    observer = new MutationObserver(onMutations);
    observer.observe(panel, { subtree: true, childList: true, characterData: true, attributes: true,
                              attributeFilter: ["aria-valuetext", "aria-label", "alt", "class"] });
  }
  // 4. Dropdowns by keyboard: JupyterLab and Notebook 7 take the arrow keys for moving between cells
  //    before a focused <select> can use them (a slider's handle marks them as used; a select does not).
  //    Stopped here, on window in the capture phase (before any shortcut handler), the key still does
  //    what it does to a select by default: pick the next or previous option, which fires "change".
  const onKeyDown = (event) => {
    const target = event.target;
    if (panel && target.tagName === "SELECT" && panel.contains(target) && event.key.startsWith("Arrow")
        && !event.altKey && !event.ctrlKey && !event.metaKey) event.stopImmediatePropagation();
  };
  window.addEventListener("keydown", onKeyDown, true);

  attach();
  model.on("change:names", () => panel && nameControls());

  return () => {  // the view is removed (cell cleared, output replaced): leave nothing behind
    if (observer) observer.disconnect();
    resized.disconnect();
    clearTimeout(timer);
    window.removeEventListener("keydown", onKeyDown, true);
  };
}

export default { render };
