// Keyboard stepping through a comparison: n / j = next change, p / k = previous change.
(function () {
  "use strict";
  var changes = Array.prototype.slice.call(document.querySelectorAll("[data-change]"));
  if (!changes.length) return;
  var current = -1;
  function go(index) {
    current = Math.max(0, Math.min(changes.length - 1, index));
    var target = changes[current];
    history.replaceState(null, "", "#" + target.id);
    target.scrollIntoView({ block: "center" });
    changes.forEach(function (el) { el.classList.remove("current-change"); });
    target.classList.add("current-change");
  }
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "n" || event.key === "j") { go(current + 1); event.preventDefault(); }
    if (event.key === "p" || event.key === "k") { go(current - 1); event.preventDefault(); }
  });
})();
