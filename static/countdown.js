// The one countdown of the pages (a round, the draft with its comments, the comment form). The
// server wrote its text; this keeps it moving every second, counting from the server's clock
// (data-server-now) so that a wrong clock on the reader's computer does not move the deadline.
// At zero it says data-after and, where the countdown carries data-ends-actions, takes away
// the actions the server would now refuse (marked data-until-deadline) and shows what the page
// says then (data-at-deadline). Without JavaScript the server's text stays; the server decides.
(function () {
  "use strict";
  var clocks = Array.prototype.slice.call(document.querySelectorAll("[data-deadline]"));
  if (!clocks.length) return;
  var loaded = Date.now();
  var timer = null;

  // English as the server says it; another language of the page (<html lang>) in its own
  // plural forms, which are CLDR's as the server's catalogue has them ("3 дня 4 часа").
  var lang = document.documentElement.lang || "en";
  function unit(n, word) {
    if (lang.split("-")[0] === "en" || !window.Intl || !Intl.NumberFormat) {
      return n + " " + word + (n === 1 ? "" : "s");
    }
    return new Intl.NumberFormat(lang, { style: "unit", unit: word, unitDisplay: "long" }).format(n);
  }

  // The same words as deadlines.countdown(precise=True) on the server: "3 days 4 hours 5 seconds".
  function say(ms) {
    var s = Math.floor(ms / 1000);
    var parts = [
      [Math.floor(s / 86400), "day"], [Math.floor((s % 86400) / 3600), "hour"],
      [Math.floor((s % 3600) / 60), "minute"], [s % 60, "second"]
    ];
    var said = parts.filter(function (p) { return p[0]; }).map(function (p) { return unit(p[0], p[1]); });
    return said.length ? said.join(" ") : "0 seconds";
  }

  function endActions() {
    document.querySelectorAll("[data-until-deadline]").forEach(function (element) {
      element.hidden = true;
      if (element.matches("button")) element.disabled = true;
      element.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
    });
    document.querySelectorAll("[data-at-deadline]").forEach(function (element) {
      element.hidden = false;
    });
  }

  function tick() {
    var running = 0;
    clocks.forEach(function (clock) {
      if (clock.classList.contains("countdown-over")) return;
      var deadline = Date.parse(clock.getAttribute("data-deadline"));
      var serverNow = Date.parse(clock.getAttribute("data-server-now"));
      if (isNaN(deadline)) return;
      var now = isNaN(serverNow) ? Date.now() : serverNow + (Date.now() - loaded);
      var left = deadline - now;
      if (left <= 0) {
        clock.textContent = clock.getAttribute("data-after") || "closed";
        clock.classList.add("countdown-over");
        if (clock.hasAttribute("data-ends-actions")) endActions();
        return;
      }
      running += 1;
      var text = clock.querySelector(".countdown-text") || clock;
      text.textContent = say(left);
    });
    if (!running && timer !== null) window.clearInterval(timer);
  }

  tick();
  timer = window.setInterval(tick, 1000);
})();
