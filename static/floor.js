// The floor plan's kitchen alerts: "Dismiss" hides one alert on this tablet only. The
// dismissed keys are kept for the shift (sessionStorage), so a redraw of the plan does not
// bring a dismissed alert back; a new problem has a new key and shows again.
(function () {
  "use strict";
  var STORE = "brigade.dismissedAlerts";

  function dismissed() {
    try { return JSON.parse(window.sessionStorage.getItem(STORE) || "[]"); } catch (e) { return []; }
  }

  function apply() {
    var gone = dismissed();
    document.querySelectorAll(".floor-alerts").forEach(function (banner) {
      var shown = 0;
      banner.querySelectorAll("[data-alert]").forEach(function (alert) {
        alert.hidden = gone.indexOf(alert.getAttribute("data-alert")) !== -1;
        if (!alert.hidden) shown += 1;
      });
      banner.hidden = shown === 0;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-dismiss-alert]");
    if (!button) return;
    // Keep only the keys still on screen: the list cannot grow all night.
    var onScreen = Array.prototype.map.call(document.querySelectorAll("[data-alert]"), function (el) {
      return el.getAttribute("data-alert");
    });
    var gone = dismissed().filter(function (key) { return onScreen.indexOf(key) !== -1; });
    gone.push(button.getAttribute("data-dismiss-alert"));
    try { window.sessionStorage.setItem(STORE, JSON.stringify(gone)); } catch (e) { /* private mode */ }
    apply();
  });

  document.addEventListener("DOMContentLoaded", apply);
  document.addEventListener("htmx:afterSettle", apply);
  document.addEventListener("htmx:oobAfterSwap", apply);
  document.addEventListener("htmx:wsAfterMessage", apply);
})();
