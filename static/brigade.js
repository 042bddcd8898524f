// Small behaviours htmx does not cover: PIN keypad, category tabs, quantity stepper,
// kitchen timers and the live-connection badge. No framework, no build step.
(function () {
  "use strict";

  // Idempotency keys for buttons that post without a form. crypto.randomUUID needs a
  // secure context, which a restaurant LAN on plain http is not; getRandomValues is not.
  window.brigadeKey = function () {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  };

  document.addEventListener("click", function (event) {
    var key = event.target.closest("[data-digit], [data-clear]");
    if (key) {
      var input = key.closest("form").querySelector(".pin-input");
      if (key.hasAttribute("data-clear")) input.value = "";
      else if (input.value.length < 6) input.value += key.getAttribute("data-digit");
      return;
    }
    var tab = event.target.closest(".cat-tab");
    if (tab) {
      document.querySelectorAll(".cat-tab").forEach(function (t) { t.classList.toggle("active", t === tab); });
      document.querySelectorAll("[data-category-panel]").forEach(function (panel) {
        panel.hidden = panel.getAttribute("data-category-panel") !== tab.getAttribute("data-category");
      });
      return;
    }
    var step = event.target.closest("[data-step]");
    if (step) {
      var qty = step.parentElement.querySelector("input");
      var next = (parseInt(qty.value, 10) || 1) + parseInt(step.getAttribute("data-step"), 10);
      qty.value = Math.max(1, Math.min(99, next));
    }
  });

  // Tap outside a modal closes it (nothing is lost: the modal only ever holds a form).
  document.addEventListener("click", function (event) {
    if (event.target.classList && event.target.classList.contains("modal-backdrop")) {
      document.getElementById("modal").innerHTML = "";
    }
  });

  // Menu search: typing shows matching items from every category; empty shows the tab again.
  document.addEventListener("input", function (event) {
    if (!event.target.matches("[data-menu-search]")) return;
    var words = event.target.value.trim().toLowerCase();
    var active = document.querySelector(".cat-tab.active");
    document.querySelectorAll("[data-category-panel]").forEach(function (panel) {
      var shown = 0;
      panel.querySelectorAll(".item").forEach(function (item) {
        var hit = !words || item.textContent.toLowerCase().indexOf(words) !== -1;
        item.hidden = !hit;
        if (hit) shown += 1;
      });
      panel.hidden = words ? shown === 0 : !(active && panel.getAttribute("data-category-panel") === active.getAttribute("data-category"));
    });
  });

  // Live badge: a cook or server must see at a glance when the screen is not live.
  function setConn(live) {
    document.body.classList.toggle("offline", !live);
    document.querySelectorAll("[data-conn]").forEach(function (el) {
      el.textContent = live ? "Live" : "Reconnecting…";
      el.classList.toggle("live", live);
    });
  }
  // The feed echoes this tablet's own change back: a check panel of the version already
  // shown is not redrawn, so the note the server just got ("Discount applied.") stays.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    var fresh = event.detail.fragment && event.detail.fragment.firstElementChild;
    if (!target || !fresh || target.id !== "check" || !target.dataset.version) return;
    if (fresh.dataset && fresh.dataset.version === target.dataset.version) {
      event.detail.shouldSwap = false;
    }
  });
  // The pay screen's feed only says "check N is now at version V": a tablet that already
  // shows V (its own payment, with the change due on it) keeps it; any other redraws.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var fresh = event.detail.fragment && event.detail.fragment.firstElementChild;
    if (!fresh || fresh.id !== "pay-live") return;
    event.detail.shouldSwap = false;
    var pay = document.getElementById("pay");
    if (!pay || pay.dataset.version === fresh.dataset.version) return;
    window.htmx.ajax("GET", window.location.pathname + window.location.search, { target: "#pay", swap: "outerHTML" });
  });
  // Back (or Forward) to a live screen shows the check as it is now, not the page the
  // browser kept: a paid check came back editable, and Back from the guest's bill showed
  // the staff's bill with its buttons (reloaded, a locked tablet refuses it). Reloading once
  // is cheap; a reload's own navigation type is "reload", so this never loops.
  window.addEventListener("pageshow", function (event) {
    if (!document.querySelector("[ws-connect], [data-fresh-on-back]")) return;
    var nav = window.performance && performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    if (event.persisted || (nav && nav.type === "back_forward")) window.location.reload();
  });
  document.addEventListener("htmx:wsOpen", function () { setConn(true); });
  document.addEventListener("htmx:wsClose", function () { setConn(false); });

  // Ticket timers: yellow at 5 minutes, red at 8 (kitchen convention; per station later).
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-since]").forEach(function (el) {
      var secs = Math.max(0, Math.floor((now - Date.parse(el.getAttribute("data-since"))) / 1000));
      el.textContent = Math.floor(secs / 60) + ":" + ("0" + (secs % 60)).slice(-2);
      var ticket = el.closest(".ticket");
      if (ticket) {
        ticket.classList.toggle("warn", secs >= 300 && secs < 480);
        ticket.classList.toggle("late", secs >= 480);
      }
    });
    document.querySelectorAll("[data-clock]").forEach(function (el) {
      el.textContent = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    });
  }
  // A message stays until the next thing works, or ten seconds, whichever comes first.
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && !event.detail.failed) {
      var flash = document.getElementById("flash");
      if (flash && event.detail.target !== flash) flash.innerHTML = "";
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.classList.contains("modal-error")) {
      event.detail.target.scrollIntoView({ block: "nearest" });
    }
    if (event.detail.target && event.detail.target.id === "flash") {
      var shown = event.detail.target.firstElementChild;
      setTimeout(function () { if (shown && shown.parentElement) shown.remove(); }, 10000);
    }
  });
  // Network gone: say so instead of failing silently.
  document.addEventListener("htmx:sendError", function () {
    var flash = document.getElementById("flash");
    if (flash) flash.innerHTML = '<div class="flash flash-error" role="alert"><span>No connection to the server. Nothing was saved; tap again when the Wi-Fi is back.</span></div>';
  });

  // After an item is added, show it: scroll the check to the new line.
  document.addEventListener("htmx:afterSettle", function () {
    var added = document.querySelector(".line.just-added");
    if (added) added.scrollIntoView({ block: "nearest" });
  });
  // The choose modal opens on the seat the server has selected in the seat bar.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "modal") return;
    var picked = document.querySelector("#seat-bar input[name=seat]:checked");
    if (!picked) return;
    var same = event.detail.target.querySelector('.choose input[name=seat][value="' + picked.value + '"]');
    if (same) same.checked = true;
  });

  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);
})();
