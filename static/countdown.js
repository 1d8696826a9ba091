// Keeps a round's countdown current. The server wrote the text; this only refreshes it every
// 30 seconds, counting from the server's clock (data-server-now) so that a wrong clock on the
// reader's computer does not move the deadline. Without JavaScript the server's text stays.
(function () {
  "use strict";
  var clocks = Array.prototype.slice.call(document.querySelectorAll("[data-deadline]"));
  if (!clocks.length) return;
  var loaded = Date.now();

  function unit(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // The same words as deadlines.countdown() on the server: "3 days 4 hours", "25 minutes".
  function say(ms) {
    var minutes = Math.floor(ms / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    minutes = minutes % 60;
    if (days) return unit(days, "day") + (hours ? " " + unit(hours, "hour") : "");
    if (hours) return unit(hours, "hour") + (minutes ? " " + unit(minutes, "minute") : "");
    return minutes ? unit(minutes, "minute") : "less than a minute";
  }

  function tick() {
    clocks.forEach(function (clock) {
      var deadline = Date.parse(clock.getAttribute("data-deadline"));
      var serverNow = Date.parse(clock.getAttribute("data-server-now"));
      if (isNaN(deadline)) return;
      var now = isNaN(serverNow) ? Date.now() : serverNow + (Date.now() - loaded);
      var left = deadline - now;
      if (left <= 0) {
        clock.textContent = clock.getAttribute("data-after") || "closed";
        clock.classList.add("countdown-over");
        return;
      }
      var text = clock.querySelector(".countdown-text") || clock;
      text.textContent = say(left);
    });
  }

  tick();
  window.setInterval(tick, 30000);
})();
