// The front end of nnlite.pointer.Pointer (an anywidget ES module: anywidget imports this text from a
// blob: URL, so nothing is fetched from any server). A transparent layer in a LiveFigure's grid cell,
// on top of its PNG and SVG overlays, exactly as large as the picture however the page scaled it.
//
// Where: CSS pixels -> figure points (the layer's size in CSS pixels against the figure's in points,
// which holds at any device pixel ratio and when the page shrank the figure) -> data, with the axes'
// place and limits that the kernel sends in `geometry` when they change (never per move).
// What goes to the kernel: a click inside the axes, where the button went up; a hover, at most one on
// its way at a time (the latest position waits for the kernel's "ack", so a busy kernel is not flooded);
// one "leave" when the pointer leaves the axes. Nothing while it moves outside them.
// Keyboard: in the Tab order; arrows move a cross (Shift: ten steps), Enter or Space clicks there, Home
// puts it in the middle, Tab leaves. The kernel's words ("say") go into the panel's polite live region
// (nnlite/access.js) when the figure is in a panel, else into the layer's own.

const SVG = "http://www.w3.org/2000/svg";
const KEYS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };  // y up
const ACK_TIMEOUT = 1000;  // ms: a hover not answered by then (kernel busy, restarted) no longer holds the next
const GAP = 9;  // CSS px: the cross's arms stop short of its centre, so the point under it stays visible

// One axis: a fraction of the axes (0 at the first limit, 1 at the second) -> data.
export function along([scale, first, second], fraction) {
  return scale === "log" ? first * Math.pow(second / first, fraction) : first + fraction * (second - first);
}

// Figure points from the top left -> data, and whether the point is inside the axes.
export function toData(geometry, px, py) {
  const [left, top, right, bottom] = geometry.axes;
  const u = (px - left) / (right - left), v = (bottom - py) / (bottom - top);
  return { x: along(geometry.x, u), y: along(geometry.y, v), inside: u >= 0 && u <= 1 && v >= 0 && v <= 1 };
}

function svgElement(name, attributes) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
  return e;
}

function liveRegion() {
  const region = document.createElement("div");
  region.className = "nnlite-pointer-sr";
  region.setAttribute("role", "status");
  region.setAttribute("aria-live", "polite");
  return region;
}

function render({ model, el }) {
  el.classList.add("nnlite-pointer");
  el.tabIndex = 0;
  el.setAttribute("role", "application");  // screen readers pass the arrow keys on instead of reading with them
  const help = document.createElement("span");
  help.className = "nnlite-pointer-sr";
  help.id = `nnlite-pointer-help-${Math.random().toString(36).slice(2)}`;
  el.setAttribute("aria-describedby", help.id);
  const cross = svgElement("svg", { class: "nnlite-pointer-cross", "aria-hidden": "true" });
  const arms = [];  // left, right, top, bottom: each a white halo under a black line
  for (let i = 0; i < 4; i++) {
    const pair = [["#fff", 4], ["#000", 1.6]].map(([stroke, width]) => svgElement("line", { stroke, "stroke-width": width }));
    cross.append(...pair);
    arms.push(pair);
  }
  const rings = [["#fff", 4], ["#000", 1.6]].map(([stroke, width]) =>
    svgElement("circle", { r: GAP, fill: "none", stroke, "stroke-width": width }));
  cross.append(...rings);
  const banner = document.createElement("div");  // an error in a kernel callback, in words
  banner.className = "nnlite-pointer-error";
  let own = liveRegion();  // there from the start (a region added just before it speaks is not read)
  el.append(cross, help, banner, own);

  const geometry = () => model.get("geometry");
  let cursor = [0.5, 0.5];  // the keyboard's cross, in fractions of the axes from the bottom left
  let keyboard = false;  // the cross shows while the keyboard, not the mouse, was used last
  let inside = false;  // the last position sent (or waiting) was inside the axes

  function say(text) {  // the panel's live region if there is one (one voice per panel), else our own
    const panel = el.closest(".nnlite-panel");
    const shared = panel && panel.querySelector(".nnlite-access [role=status]");
    if (shared && own) { own.remove(); own = null; }
    const region = shared || own;
    region.textContent = region.textContent === text ? `${text}\u00a0` : text;  // the same words again are news too
  }

  function drawCross() {
    const show = keyboard && document.activeElement === el && geometry().axes;
    cross.style.display = show ? "block" : "none";
    if (!show) return;
    const { size: [w, h], axes: [left, top, right, bottom] } = geometry();
    const px = left + cursor[0] * (right - left), py = bottom - cursor[1] * (bottom - top);
    const r = el.getBoundingClientRect(), gx = (GAP * w) / Math.max(r.width, 1), gy = (GAP * h) / Math.max(r.height, 1);
    const ends = [[left, py, px - gx, py], [px + gx, py, right, py], [px, top, px, py - gy], [px, py + gy, px, bottom]];
    const pct = (v, of) => `${((100 * v) / of).toFixed(3)}%`;
    ends.forEach(([x1, y1, x2, y2], i) => {
      for (const line of arms[i]) {
        line.setAttribute("x1", pct(x1, w)); line.setAttribute("y1", pct(y1, h));
        line.setAttribute("x2", pct(Math.max(x1, x2), w)); line.setAttribute("y2", pct(Math.max(y1, y2), h));
      }
    });
    for (const ring of rings) { ring.setAttribute("cx", pct(px, w)); ring.setAttribute("cy", pct(py, h)); }
  }

  let sentAt = 0, pending = null;  // one hover on its way at a time; the latest position waits
  function sendHover(message) {
    inside = message.event === "hover";
    if (sentAt && performance.now() - sentAt < ACK_TIMEOUT) { pending = message; return; }
    sentAt = performance.now();
    pending = null;
    model.send(message);
  }
  function atCursor(event) {
    const g = geometry();
    return { event, x: along(g.x, cursor[0]), y: along(g.y, cursor[1]), source: "keyboard" };
  }
  function atPointer(event) {  // where a mouse, pen or finger event is, in data
    const r = el.getBoundingClientRect(), g = geometry(), [w, h] = g.size;
    return toData(g, ((event.clientX - r.left) * w) / r.width, ((event.clientY - r.top) * h) / r.height);
  }

  const onPointerMove = (event) => {
    if (keyboard) { keyboard = false; drawCross(); }
    const p = atPointer(event);
    if (p.inside) sendHover({ event: "hover", x: p.x, y: p.y, source: event.pointerType || "mouse" });
    else if (inside) sendHover({ event: "leave", source: event.pointerType || "mouse" });
  };
  const onPointerLeave = (event) => { if (inside) sendHover({ event: "leave", source: event.pointerType || "mouse" }); };
  // A click's clientX/Y are whole CSS pixels in Chromium, its pointerup's are not: take the pointerup
  // that made this click (at the same place), for sub-pixel accuracy on a scaled-down figure.
  let lastUp = null;
  const onPointerUp = (event) => { lastUp = event; };
  const onClick = (event) => {
    const up = lastUp && Math.abs(lastUp.clientX - event.clientX) < 1 && Math.abs(lastUp.clientY - event.clientY) < 1
      ? lastUp : event;
    lastUp = null;
    const p = atPointer(up);
    if (p.inside) model.send({ event: "click", x: p.x, y: p.y, source: up.pointerType || "mouse" });
  };
  const onKeyDown = (event) => {
    if (event.target !== el || event.altKey || event.ctrlKey || event.metaKey || !geometry().axes) return;
    if (event.key in KEYS) {
      const [dx, dy] = KEYS[event.key], step = (event.shiftKey ? 10 : 1) / model.get("steps");
      const clamp = (v) => Math.min(1, Math.max(0, v));
      cursor = [clamp(cursor[0] + dx * step), clamp(cursor[1] + dy * step)];
      sendHover(atCursor("hover"));
    } else if (event.key === "Home") {
      cursor = [0.5, 0.5];
      sendHover(atCursor("hover"));
    } else if (event.key === "Enter" || event.key === " ") {
      model.send(atCursor("click"));
    } else {
      return;  // Tab, Escape and the rest keep their meaning: the focus is never trapped
    }
    keyboard = true;
    drawCross();
    // JupyterLab and Notebook 7 must not also take these keys (arrows move between cells, Enter edits one):
    // marked as used and stopped here, on window in the capture phase, before any shortcut handler of the page
    event.preventDefault();
    event.stopImmediatePropagation();
  };
  const onFocus = () => { keyboard = el.matches(":focus-visible"); drawCross(); };
  const onBlur = () => {
    if (keyboard && inside) sendHover({ event: "leave", source: "keyboard" });
    drawCross();
  };
  const onMessage = (message) => {
    if (!message) return;
    if (message.event === "ack") {
      sentAt = 0;
      if (pending) sendHover(pending);
    } else if (message.event === "say") {
      say(message.text);
    }
  };
  const showLabel = () => el.setAttribute("aria-label", model.get("label"));
  const showHelp = () => { help.textContent = model.get("help"); };
  const showError = () => {  // the kernel says it too
    const text = model.get("error");
    banner.textContent = text ? `\u26a0 ${text}` : "";
    banner.style.display = text ? "block" : "none";
  };

  const onElement = { pointermove: onPointerMove, pointerleave: onPointerLeave, pointerup: onPointerUp, click: onClick,
                      focus: onFocus, blur: onBlur };
  for (const [name, handler] of Object.entries(onElement)) el.addEventListener(name, handler);
  window.addEventListener("keydown", onKeyDown, true);
  const onModel = { "msg:custom": onMessage, "change:label": showLabel, "change:help": showHelp,
                    "change:error": showError, "change:geometry": drawCross };
  for (const [name, handler] of Object.entries(onModel)) model.on(name, handler);
  showLabel(); showHelp(); showError(); drawCross();

  return () => {  // the view is removed (cell cleared, output replaced): leave nothing behind
    window.removeEventListener("keydown", onKeyDown, true);
    for (const [name, handler] of Object.entries(onModel)) model.off(name, handler);
  };
}

export default { render };
