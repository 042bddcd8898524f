// Kitchen screens: ticket timers in the station's colours, acknowledgements, the bump bar
// (a bump bar is a keyboard), and a header that turns red when the screen is cut off.
// htmx and its ws extension do the rest. No framework, no build step.
(function () {
  "use strict";

  var DOWN_AFTER_MS = 3000;
  // Close codes after which the ws extension reconnects by itself; others we retry here,
  // because a kitchen screen must never stay silent (a server restart closes with 1001).
  var EXT_RETRIES = [1006, 1011, 1012, 1013];
  // Reconnect within seconds, never the extension's default of up to a minute: a kitchen
  // that waits a minute after the Wi-Fi comes back is a kitchen missing tickets.
  if (window.htmx) {
    htmx.config.wsReconnectDelay = function (retries) {
      return Math.min(5000, 500 * Math.pow(2, retries)) * (0.5 + Math.random() / 2);
    };
  }
  var socket = null;
  var downTimer = null;
  var selectedId = null;
  var selectedIndex = 0;

  // "Recall last" (the button or R) recalls the newest ticket the Bumped panel lists, the
  // one this cook sees, with that ticket's own key (kds/_recent.html): a bouncing key
  // recalls it once, and the next press, once the panel has moved on, the one before it.
  function recallLast() {
    var newest = document.querySelector("#recent .recall-one");
    if (newest) newest.click();
  }

  function screen() { return document.querySelector("[data-kds-screen]"); }
  function board() { return document.querySelector("#tickets, #expo-board"); }
  function cards() { var b = board(); return b ? Array.prototype.slice.call(b.querySelectorAll(":scope > .ticket")) : []; }

  // --- timers: m:ss since fire; yellow and red at the station's own thresholds -----------
  function tick() {
    var s = screen();
    if (!s) return;
    var warn = parseInt(s.getAttribute("data-warn"), 10) || 300;
    var late = parseInt(s.getAttribute("data-late"), 10) || 480;
    var now = Date.now();
    document.querySelectorAll("[data-kds-since]").forEach(function (el) {
      var secs = Math.max(0, Math.floor((now - Date.parse(el.getAttribute("data-kds-since"))) / 1000));
      el.textContent = Math.floor(secs / 60) + ":" + ("0" + (secs % 60)).slice(-2);
      var card = el.closest(".ticket");
      if (card) {
        card.classList.toggle("warn", secs >= warn && secs < late);
        card.classList.toggle("late", secs >= late);
      }
    });
    document.querySelectorAll("[data-kds-ago]").forEach(function (el) {
      var mins = Math.max(0, Math.floor((now - Date.parse(el.getAttribute("data-kds-ago"))) / 60000));
      el.textContent = mins < 1 ? "just now" : mins + " min ago";
    });
  }

  // --- acknowledgements: tell the server which tickets this screen has rendered ---------
  function ackRendered() {
    var b = document.getElementById("tickets");
    if (!socket || !b) return;
    var seqs = [];
    b.querySelectorAll(".ticket[data-seq]:not([data-acked])").forEach(function (card) {
      seqs.push(parseInt(card.getAttribute("data-seq"), 10));
      card.setAttribute("data-acked", "");
    });
    if (seqs.length) socket.send(JSON.stringify({ ack: seqs }));
  }

  // --- connection state ------------------------------------------------------------------
  document.addEventListener("htmx:wsOpen", function (event) {
    socket = event.detail.socketWrapper;
    clearTimeout(downTimer);
    downTimer = null;
    var s = screen();
    if (s) s.classList.remove("kds-down");
  });
  document.addEventListener("htmx:wsClose", function (event) {
    var wrapper = event.detail.socketWrapper;
    var code = event.detail.event && event.detail.event.code;
    socket = null;
    if (!downTimer) {
      downTimer = setTimeout(function () {
        var s = screen();
        if (s) s.classList.add("kds-down");
      }, DOWN_AFTER_MS);
    }
    if (code === 4401) { window.location.reload(); return; }  // signed out: the login page
    if (EXT_RETRIES.indexOf(code) === -1 && wrapper && document.body.contains(event.target)) {
      setTimeout(function () { wrapper.reconnect(); }, 1000 + Math.random() * 1000);
    }
  });
  function settled() { dedupe(); restoreSelection(); ackRendered(); tick(); }
  document.addEventListener("htmx:wsAfterMessage", settled);
  document.addEventListener("htmx:afterSettle", settled);
  document.addEventListener("htmx:oobAfterSwap", function () { restoreSelection(); });

  // A card can reach this screen twice (the tap's own answer, then the websocket's append):
  // keep the first of each.
  function dedupe() {
    var seen = {};
    cards().forEach(function (card) {
      if (seen[card.id]) card.remove();
      seen[card.id] = true;
    });
  }

  // --- selection: a big ring on one card; digits, arrows and taps move it -----------------
  function select(index) {
    var all = cards();
    all.forEach(function (c) { c.classList.remove("selected"); });
    if (!all.length) { selectedId = null; return; }
    selectedIndex = Math.max(0, Math.min(all.length - 1, index));
    all[selectedIndex].classList.add("selected");
    selectedId = all[selectedIndex].id;
    all[selectedIndex].scrollIntoView({ block: "nearest" });
  }
  function restoreSelection() {
    var all = cards();
    var at = all.findIndex(function (c) { return c.id === selectedId; });
    // A bumped card's place goes to the card that moved up into it.
    select(at >= 0 ? at : selectedIndex);
  }
  function columns() {
    var b = board();
    if (!b) return 1;
    return getComputedStyle(b).gridTemplateColumns.split(" ").length || 1;
  }
  function press(selector) {
    var card = document.getElementById(selectedId);
    var button = card && card.querySelector(selector);
    if (button && !button.disabled) button.click();
  }

  document.addEventListener("keydown", function (event) {
    if (!screen() || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest && event.target.closest("input, textarea, select")) return;
    var key = event.key;
    var handled = true;
    if (/^[1-9]$/.test(key)) select(parseInt(key, 10) - 1);
    else if (key === "Enter" || key === "b" || key === "B") press(".bump");
    else if (key === "r" || key === "R") recallLast();
    else if (key === "a" || key === "A") press("[data-allergy]");
    else if (key === "ArrowRight") select(selectedIndex + 1);
    else if (key === "ArrowLeft") select(selectedIndex - 1);
    else if (key === "ArrowDown") select(selectedIndex + columns());
    else if (key === "ArrowUp") select(selectedIndex - columns());
    else handled = false;
    // Stops the browser from also "clicking" a focused button on Enter: one key, one bump.
    if (handled) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-recall]")) recallLast();
    var card = event.target.closest && event.target.closest(".ticket");
    if (card && screen()) select(cards().indexOf(card));
    // A tapped button keeps focus; the bump bar's Enter must not press it a second time.
    var button = event.target.closest && event.target.closest("button");
    if (button && screen()) button.blur();
  });

  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", function () { tick(); select(0); });
})();
