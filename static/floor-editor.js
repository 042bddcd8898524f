// The layout editor: drag a table to move it, drag its corner to resize it, arrow keys to
// nudge it. Pointer events, so a finger on a tablet and a mouse on the office PC do the
// same thing. Each finished gesture is one POST (htmx.ajax: the CSRF header from <body>,
// a fresh idempotency key); the server answers with the panel and the redrawn table.
(function () {
  "use strict";

  var MIN_SIZE = 4;
  // A finger wobbles: under this many pixels a touch is a tap (select), not a drag.
  var TAP_SLOP = 6;
  var NUDGE_DELAY_MS = 400;
  var drag = null;
  var nudge = null;

  function clamp(value, low, high) { return Math.max(low, Math.min(high, value)); }

  function saved(el) {
    var n = function (name) { return parseInt(el.getAttribute("data-" + name), 10) || 0; };
    return { x: n("x"), y: n("y"), w: n("w"), h: n("h") };
  }

  function draw(el, at) {
    el.style.left = at.x + "%";
    el.style.top = at.y + "%";
    el.style.width = at.w + "%";
    el.style.height = at.h + "%";
  }

  // The table may have been redrawn by an earlier save while a finger was on it.
  function live(el) { return document.getElementById(el.id) || el; }

  function markSelected(el) {
    document.querySelectorAll(".layout-table.selected").forEach(function (other) {
      if (other !== el) other.classList.remove("selected");
    });
    el.classList.add("selected");
  }

  function request(el, verb, action, values) {
    var url = "/floor/tables/" + el.getAttribute("data-table") + "/" + action;
    if (verb === "POST") {
      values.key = window.brigadeKey();
      el.classList.add("saving");
    }
    return htmx.ajax(verb, url, {
      source: el,
      values: values,
      target: "#layout-panel",
      swap: "outerHTML",
      headers: { "X-Error-Target": "#panel-error" },
    });
  }

  function select(el) {
    markSelected(el);
    // Focused, so the arrow keys nudge the table just tapped or clicked.
    el.focus({ preventScroll: true });
    request(el, "GET", "layout", {});
  }

  function save(el, at, from) {
    markSelected(el);
    if (at.x !== from.x || at.y !== from.y) request(el, "POST", "move", { x: at.x, y: at.y });
    else if (at.w !== from.w || at.h !== from.h) request(el, "POST", "resize", { width: at.w, height: at.h });
  }

  document.addEventListener("pointerdown", function (event) {
    var el = event.target.closest(".layout-table");
    if (!el || drag || (event.pointerType === "mouse" && event.button !== 0)) return;
    var board = el.parentElement.getBoundingClientRect();
    drag = {
      el: el,
      pointer: event.pointerId,
      resize: !!event.target.closest(".resize-handle"),
      startX: event.clientX,
      startY: event.clientY,
      // Pixels per percent of the floor, measured once: the board does not change mid-drag.
      perX: board.width / 100,
      perY: board.height / 100,
      from: saved(el),
      to: saved(el),
      moved: false,
    };
    // Keep the moves coming to us when a fast finger leaves the table. A pointer that is
    // already gone cannot be captured; the drag still works from the document's events.
    try { el.setPointerCapture(event.pointerId); } catch (ignored) { /* pointer already up */ }
    event.preventDefault();
  });

  document.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.pointer) return;
    var dxPx = event.clientX - drag.startX;
    var dyPx = event.clientY - drag.startY;
    if (!drag.moved && Math.abs(dxPx) + Math.abs(dyPx) < TAP_SLOP) return;
    drag.moved = true;
    var from = drag.from;
    var dx = dxPx / drag.perX;
    var dy = dyPx / drag.perY;
    var to = { x: from.x, y: from.y, w: from.w, h: from.h };
    // Whole percents, and never off the floor: what the server stores is what is drawn.
    if (drag.resize) {
      to.w = clamp(Math.round(from.w + dx), MIN_SIZE, 100 - from.x);
      to.h = clamp(Math.round(from.h + dy), MIN_SIZE, 100 - from.y);
    } else {
      to.x = clamp(Math.round(from.x + dx), 0, 100 - from.w);
      to.y = clamp(Math.round(from.y + dy), 0, 100 - from.h);
    }
    drag.to = to;
    var el = live(drag.el);
    el.classList.add("dragging");
    draw(el, to);
  });

  function finish(event, cancelled) {
    if (!drag || event.pointerId !== drag.pointer) return;
    var done = drag;
    drag = null;
    var el = live(done.el);
    el.classList.remove("dragging");
    if (cancelled) draw(el, done.from);
    else if (!done.moved) select(el);
    else save(el, done.to, done.from);
  }
  document.addEventListener("pointerup", function (event) { finish(event, false); });
  document.addEventListener("pointercancel", function (event) { finish(event, true); });

  // Arrow keys nudge the focused table by 1% (5% with Shift); one save once the keys rest.
  document.addEventListener("keydown", function (event) {
    var el = event.target.closest && event.target.closest(".layout-table");
    if (!el) return;
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); select(el); return; }
    var step = event.shiftKey ? 5 : 1;
    var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    var move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    if (!nudge || nudge.el !== el) nudge = { el: el, from: saved(el), to: saved(el), timer: null };
    var to = nudge.to;
    to.x = clamp(to.x + move[0], 0, 100 - to.w);
    to.y = clamp(to.y + move[1], 0, 100 - to.h);
    draw(el, to);
    clearTimeout(nudge.timer);
    nudge.timer = setTimeout(function () {
      var done = nudge;
      nudge = null;
      refocus = done.el.id;
      save(live(done.el), done.to, done.from);
    }, NUDGE_DELAY_MS);
  });

  // The saved table is drawn anew; keep the keyboard on it for the next nudge.
  var refocus = null;
  document.addEventListener("htmx:afterSettle", function () {
    if (!refocus) return;
    var el = document.getElementById(refocus);
    refocus = null;
    if (el) el.focus({ preventScroll: true });
  });

  // The turn slider shows the angle on the table while the finger slides; it saves on release.
  document.addEventListener("input", function (event) {
    if (!event.target.matches("[data-turn-slider]")) return;
    var table = document.querySelector(".layout-table.selected");
    if (table) table.style.setProperty("--turn", event.target.value + "deg");
    var readout = document.querySelector("[data-turn-readout]");
    if (readout) readout.textContent = event.target.value + "°";
  });

  // Refused (off the floor, gone, no connection): put the table back where the server has it.
  function putBack(event) {
    var el = event.detail && event.detail.elt;
    if (!el || !el.classList || !el.classList.contains("layout-table")) return;
    el.classList.remove("saving");
    if (!event.detail.successful) {
      draw(el, saved(el));
      el.style.setProperty("--turn", (parseInt(el.getAttribute("data-turn"), 10) || 0) + "deg");
    }
  }
  document.addEventListener("htmx:afterRequest", putBack);

  // "Done" in the panel just clears the selection; no need to reload the board.
  document.addEventListener("click", function (event) {
    var done = event.target.closest("[data-deselect]");
    if (!done || !window.htmx) return;
    event.preventDefault();
    document.querySelectorAll(".layout-table.selected").forEach(function (el) { el.classList.remove("selected"); });
    htmx.ajax("GET", done.getAttribute("href"), { target: "#layout-panel", select: "#layout-panel", swap: "outerHTML" });
  });
})();
